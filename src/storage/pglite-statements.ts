// Named prepared statements on PGlite, for the statements that run on every update (the turn's
// plain-SQL transaction, inbox records and claims, outbox marks), and that transaction itself. PGlite's `query` parses,
// plans and describes the statement every time, in six calls into PostgreSQL (Parse, Describe,
// Bind, Describe, Execute, Sync); here a statement is parsed and described once, then each run
// is one call (Bind, Execute, Sync) on its cached plan. Measured on a one-row UPDATE by key:
// 117–145 µs through `query`, 39 µs prepared (docs/pipeline.md, «On the embedded database»).
// Built on PGlite's public protocol API (`execProtocol`, `protocol.serialize`, `parse.parseResults`),
// with its own serializers and parsers, so values go and come back exactly as through `query`.
//
// The caller holds the connection (storage/pglite-lanes.ts): nothing else may talk to PGlite
// between the two calls that prepare a statement.
import { type PGlite, parse, protocol, type Results } from "@electric-sql/pglite";

type BackendMessage = Awaited<ReturnType<PGlite["execProtocol"]>>["messages"][number];

interface Prepared {
  name: string;
  /** Type OIDs of the parameters, as PostgreSQL inferred them (they choose the serializers). */
  paramTypes: number[];
  /** The row description (for statements returning rows), added to each run's messages for parsing. */
  rows: BackendMessage | undefined;
}

const { serialize } = protocol;
/** Names unique in the process: two sets of statements on one client never meet. */
let named = 0;

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, p) => sum + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

export interface StatementOptions {
  /** Parsers by type OID over PGlite's own. */
  parsers?: Record<number, (value: string) => unknown>;
  /** Inside a transaction: no file-system sync after the statement (PGlite's `query` skips it too). */
  inTransaction?: boolean;
}

export class PgliteStatements {
  /** Statements by text, least recently used first. */
  private readonly cache = new Map<string, Prepared>();
  /** Statements evicted from the cache, closed with the next run. */
  private closing: string[] = [];
  /** PGlite's parsers with a caller's on top, merged once (PGlite merges them on every result: ~4 % of the server's CPU). */
  private readonly parserSets = new WeakMap<object, PGlite["parsers"]>();

  constructor(
    private readonly client: PGlite,
    /** Bounds the statements kept; the hot path has about twenty. */
    private readonly max = 200,
  ) {}

  async query<T>(text: string, values: unknown[], options: StatementOptions = {}): Promise<Results<T>> {
    await this.ensureOpen();
    const syncToFs = !options.inTransaction;
    const statement = this.cache.get(text) ?? (await this.prepare(text, syncToFs));
    this.cache.delete(text); // moved to the most recently used end
    this.cache.set(text, statement);
    const serializers = this.client.serializers;
    const params = values.map((value, i) => {
      if (value === null || value === undefined) return null;
      const serializer = serializers[statement.paramTypes[i]!];
      return serializer ? serializer(value) : String(value);
    });
    const closes = this.closing.map((name) => serialize.close({ type: "S", name }));
    this.closing = [];
    const message = concat([
      ...closes,
      serialize.bind({ statement: statement.name, values: params }),
      serialize.execute({}),
      serialize.sync(),
    ]);
    let messages: BackendMessage[];
    try {
      ({ messages } = await this.client.execProtocol(message, { syncToFs }));
    } catch (error) {
      // A table changed under a cached plan in a way PostgreSQL cannot re-plan: prepare anew next time.
      if ((error as { code?: string }).code === "0A000") this.evict(text);
      throw error;
    }
    const described = statement.rows ? [statement.rows, ...messages] : messages;
    return parse.parseResults(described, this.parsers(options.parsers))[0] as Results<T>;
  }

  /**
   * Runs `fn` in a transaction (BEGIN, and `opening` in the same call: its row count goes to
   * `fn`); commits when it resolves, rolls back when it throws.
   */
  async transaction<T>(fn: (opened: number | undefined) => Promise<T>, opening?: string): Promise<T> {
    await this.ensureOpen();
    let result: T;
    try {
      // A failing opening statement leaves the transaction open and aborted: rolled back below too.
      const begun = await this.simple(opening ? `BEGIN; ${opening}` : "BEGIN", false);
      result = await fn(opening ? (begun.at(-1)?.rowCount ?? 0) : undefined);
    } catch (error) {
      try {
        await this.simple("ROLLBACK", true);
      } catch (rollbackError) {
        throw new AggregateError([error, rollbackError], "rolling back the embedded database's transaction failed");
      }
      throw error;
    }
    await this.simple("COMMIT", true);
    return result;
  }

  /** Forgets every prepared statement (after migrations changed tables). */
  async reset(): Promise<void> {
    this.cache.clear();
    this.closing = [];
    await this.simple("DEALLOCATE ALL", true);
  }

  /** Statements without parameters in one call (the simple protocol); one result each. */
  private async simple(sql: string, syncToFs: boolean): Promise<Results[]> {
    await this.ensureOpen();
    const { messages } = await this.client.execProtocol(serialize.query(sql), { syncToFs });
    return parse.parseResults(messages, this.client.parsers);
  }

  private async prepare(text: string, syncToFs: boolean): Promise<Prepared> {
    const name = `hot_${++named}`;
    const { messages } = await this.client.execProtocol(
      concat([serialize.parse({ name, text }), serialize.describe({ type: "S", name }), serialize.sync()]),
      { syncToFs },
    );
    const params = messages.find((m) => m.name === "parameterDescription") as { dataTypeIDs: number[] } | undefined;
    const prepared = { name, paramTypes: params?.dataTypeIDs ?? [], rows: messages.find((m) => m.name === "rowDescription") };
    this.cache.set(text, prepared);
    if (this.cache.size > this.max) this.evict(this.cache.keys().next().value!);
    return prepared;
  }

  private parsers(extra: StatementOptions["parsers"]): PGlite["parsers"] {
    if (!extra) return this.client.parsers;
    const known = this.parserSets.get(extra);
    if (known) return known;
    const merged = { ...this.client.parsers, ...extra };
    this.parserSets.set(extra, merged);
    return merged;
  }

  /** PGlite's `query` waits for this; below it, a database not open fails inside its module instead. */
  private async ensureOpen(): Promise<void> {
    if (this.client.closed) throw new Error("the embedded database (PGlite) is closed");
    if (!this.client.ready) await this.client.waitReady;
  }

  private evict(text: string): void {
    const statement = this.cache.get(text);
    if (!statement) return;
    this.cache.delete(text);
    this.closing.push(statement.name);
  }
}
