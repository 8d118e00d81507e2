// A loop that keeps up to `concurrency` claimed items in work: it claims as many as it has
// free slots, starts them, and claims again as slots free up; with nothing to claim it sleeps
// until kicked (an item was recorded in this process) or until `idleMs` passes (items recorded
// by another instance, retries coming due, leases of dead workers running out). While it holds
// items it renews their lease, so a live worker's items are never taken over however slow.
import type { Logger } from "../logger.js";

export interface QueueWorkerOptions<T> {
  name: string;
  claim(limit: number): Promise<T[]>;
  /**
   * Works one item; a rejection is logged (the item's own failure handling is the caller's).
   * Resolving to false says its end makes nothing new claimable: no claim query follows it
   * (unless all slots were busy).
   */
  work(item: T): Promise<boolean | undefined>;
  /** Renews the lease of every item this worker holds. */
  renew(): Promise<void>;
  leaseMs: number;
  concurrency: number;
  idleMs: number;
  logger: Logger;
}

export class QueueWorker<T> {
  private readonly running = new Set<Promise<void>>();
  /** Items claimed elsewhere waiting for a free slot (offer). */
  private readonly ready: T[] = [];
  private stopped = true;
  private wake: (() => void) | undefined;
  private kicked = false;
  private loop: Promise<void> | undefined;
  private heartbeat: NodeJS.Timeout | undefined;
  /** Asleep because every slot was busy: an item's end must wake the loop. */
  private full = false;

  constructor(private readonly options: QueueWorkerOptions<T>) {}

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.heartbeat = setInterval(() => {
      if (this.running.size === 0) return;
      this.options
        .renew()
        .catch((error: unknown) => this.options.logger.warn({ err: error, queue: this.options.name }, "lease renewal failed"));
    }, this.options.leaseMs / 3);
    this.heartbeat.unref();
    this.loop = this.run();
    while (this.ready.length > 0 && this.running.size < this.options.concurrency) this.begin(this.ready.shift()!);
  }

  /** Something new is waiting: claim now instead of at the next idle tick. */
  kick(): void {
    this.kicked = true;
    this.wake?.();
  }

  /** Works an item claimed elsewhere (e.g. in the transaction that created it). */
  push(item: T): void {
    this.begin(item);
  }

  /**
   * Works an item claimed elsewhere once a slot is free, before claiming anything new. Offered
   * while stopped, it waits for start; left unstarted at stop, its lease runs out for another taker.
   */
  offer(item: T): void {
    if (!this.stopped && this.running.size < this.options.concurrency) this.begin(item);
    else this.ready.push(item);
  }

  /** Stops claiming and waits for the items in work (bounded by `timeoutMs`). */
  async stop(timeoutMs: number): Promise<void> {
    this.stopped = true;
    this.wake?.();
    clearInterval(this.heartbeat);
    await this.loop;
    const deadline = new Promise<void>((resolve) => setTimeout(resolve, timeoutMs).unref());
    await Promise.race([Promise.allSettled([...this.running]), deadline]);
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      this.kicked = false;
      const free = this.options.concurrency - this.running.size;
      let claimed: T[] = [];
      if (free > 0) {
        try {
          claimed = await this.options.claim(free);
        } catch (error) {
          this.options.logger.error({ err: error, queue: this.options.name }, "claim failed");
        }
      }
      for (const item of claimed) this.begin(item);
      // Fewer than asked: nothing more is due. All slots busy: wait until one frees (it kicks).
      this.full = this.running.size >= this.options.concurrency;
      if (claimed.length < free || this.full) await this.sleep();
    }
  }

  private begin(item: T): void {
    const task = this.options
      .work(item)
      .catch((error: unknown) => this.options.logger.error({ err: error, queue: this.options.name }, "queue item failed"))
      .then((again) => {
        this.running.delete(task);
        const next = this.stopped ? undefined : this.ready.shift();
        if (next !== undefined) this.begin(next);
        if (again !== false || this.full) this.kick();
      });
    this.running.add(task);
  }

  private sleep(): Promise<void> {
    if (this.kicked || this.stopped) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const timer = setTimeout(done, this.options.idleMs);
      timer.unref();
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = () => {
        this.wake = undefined;
        done();
      };
    });
  }
}
