// Group commit of inbox records: while one INSERT is on its way, the webhooks that arrive wait
// and go together in the next one — one statement and one commit for many acknowledgements
// under load, the same single INSERT as before when traffic is light (nothing waits for a
// timer). Each caller still gets its answer only after its row is committed.
import type { Platform } from "../generated/prisma/client.js";
import type { SqlRunner } from "../storage/migrate.js";

interface Pending {
  platform: Platform;
  externalKey: string;
  actorKey: string;
  payload: string;
  resolve: (id: string | null) => void;
  reject: (error: unknown) => void;
}

/** Rows per INSERT at most (bounds one statement's size). */
const MAX_BATCH = 500;

export class RecordBatcher {
  private queue: Pending[] = [];
  private flushing = false;

  constructor(private readonly sql: SqlRunner) {}

  /** Records an event; its id, or null when it was recorded before (a redelivery). */
  record(platform: Platform, externalKey: string, actorKey: string, payload: object): Promise<string | null> {
    return new Promise((resolve, reject) => {
      this.queue.push({ platform, externalKey, actorKey, payload: JSON.stringify(payload), resolve, reject });
      if (!this.flushing) void this.flush();
    });
  }

  private async flush(): Promise<void> {
    this.flushing = true;
    try {
      while (this.queue.length > 0) {
        const batch = this.queue.splice(0, MAX_BATCH);
        try {
          settle(batch, await this.insert(batch));
        } catch (error) {
          for (const p of batch) p.reject(error);
        }
      }
    } finally {
      this.flushing = false;
    }
  }

  /** One INSERT of the batch in arrival order (`seq` follows it); the ids of the rows that were new. */
  private async insert(batch: Pending[]): Promise<Map<string, string>> {
    const rows = await this.sql.query<{ id: string; platform: string; externalKey: string }>(
      `INSERT INTO "InboundEvent" (id, platform, "externalKey", "actorKey", payload)
       SELECT gen_random_uuid(), e.platform::"Platform", e.key, e.actor, e.payload::jsonb
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) WITH ORDINALITY AS e(platform, key, actor, payload, n)
       ORDER BY e.n
       ON CONFLICT (platform, "externalKey") DO NOTHING
       RETURNING id::text AS id, platform::text AS platform, "externalKey"`,
      [batch.map((p) => p.platform), batch.map((p) => p.externalKey), batch.map((p) => p.actorKey), batch.map((p) => p.payload)],
    );
    return new Map(rows.map((r) => [`${r.platform}:${r.externalKey}`, r.id]));
  }
}

/** Hands each caller its id; a key twice in one batch: the first caller gets the id, the other null. */
function settle(batch: Pending[], ids: Map<string, string>): void {
  for (const p of batch) {
    const key = `${p.platform}:${p.externalKey}`;
    p.resolve(ids.get(key) ?? null);
    ids.delete(key);
  }
}
