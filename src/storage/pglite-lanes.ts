// PGlite has one connection: every statement and every transaction waits its turn on one lock,
// first come, first served. Under load a webhook's inbox record (what its acknowledgement waits
// for) then queued behind every turn transaction already waiting, and acknowledgements took
// seconds. Here the database is reached through two lanes over one lock of our own: the urgent
// lane (Database.urgent: inbox records, claims, settlements — single short statements) goes
// before anything waiting in the normal lane (Prisma, turn transactions), never into the middle of
// a transaction. PGlite's own lock behind it is then never contended, and work that holds the
// lock may talk to PGlite below its `query` (storage/pglite-statements.ts).
import type { PGlite, Transaction } from "@electric-sql/pglite";

class TwoLaneLock {
  private busy = false;
  private readonly urgent: (() => void)[] = [];
  private readonly normal: (() => void)[] = [];

  async run<T>(urgent: boolean, fn: () => Promise<T>): Promise<T> {
    if (this.busy) await new Promise<void>((resolve) => (urgent ? this.urgent : this.normal).push(resolve));
    this.busy = true;
    try {
      return await fn();
    } finally {
      // The next holder starts in a task of its own: PGlite's statements resolve as microtasks,
      // so a direct hand-over ran every waiting statement in one microtask drain, and the event
      // loop accepted one connection per turn (acknowledgements 20 ms apart under a burst).
      // Who goes next is decided then, so an inbox record read meanwhile goes first.
      setImmediate(() => this.handOver());
    }
  }

  private handOver(): void {
    const next = this.urgent.shift() ?? this.normal.shift();
    if (next) next();
    else this.busy = false;
  }
}

export interface PgliteLanes {
  /** The client for Prisma's adapter (normal lane). */
  normal: PGlite;
  /** Runs `fn` holding the connection, before anything waiting in the normal lane (single short statements). */
  urgent<T>(fn: () => Promise<T>): Promise<T>;
  /** Runs `fn` holding the connection, in the normal lane (a turn's transaction). */
  exclusive<T>(fn: () => Promise<T>): Promise<T>;
}

export function pgliteLanes(client: PGlite): PgliteLanes {
  const lock = new TwoLaneLock();
  const normal = new Proxy(client, {
    get(target, member, receiver) {
      if (member === "query") return ((...args) => lock.run(false, () => target.query(...args))) as PGlite["query"];
      if (member === "exec") return ((...args) => lock.run(false, () => target.exec(...args))) as PGlite["exec"];
      if (member === "transaction")
        return (<T>(fn: (tx: Transaction) => Promise<T>) => lock.run(false, () => target.transaction(fn))) as PGlite["transaction"];
      const value = Reflect.get(target, member, receiver);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
  return { normal, urgent: (fn) => lock.run(true, fn), exclusive: (fn) => lock.run(false, fn) };
}
