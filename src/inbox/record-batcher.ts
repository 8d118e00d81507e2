// Inbox records written by group commit (storage/group-commit.ts): under load one INSERT for
// many webhooks, each acknowledged only once its row is committed.
import type { Platform } from "../generated/prisma/client.js";
import { GroupCommit } from "../storage/group-commit.js";
import type { SqlRunner } from "../storage/migrate.js";

interface InboxRecord {
  platform: Platform;
  externalKey: string;
  actorKey: string;
  payload: string;
}

export class RecordBatcher {
  private readonly group: GroupCommit<InboxRecord, string | null>;

  constructor(private readonly sql: SqlRunner) {
    this.group = new GroupCommit((batch) => this.insert(batch));
  }

  /** Records an event; its id, or null when it was recorded before (a redelivery). */
  record(platform: Platform, externalKey: string, actorKey: string, payload: object): Promise<string | null> {
    return this.group.add({ platform, externalKey, actorKey, payload: JSON.stringify(payload) });
  }

  /**
   * One INSERT of the batch in arrival order (`seq` follows it). Each record gets the id of its
   * new row; a key twice in one batch: the first gets the id, the other null (a redelivery).
   */
  private async insert(batch: InboxRecord[]): Promise<(string | null)[]> {
    const rows = await this.sql.query<{ id: string; platform: string; externalKey: string }>(
      `INSERT INTO "InboundEvent" (id, platform, "externalKey", "actorKey", payload)
       SELECT gen_random_uuid(), e.platform::"Platform", e.key, e.actor, e.payload::jsonb
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) WITH ORDINALITY AS e(platform, key, actor, payload, n)
       ORDER BY e.n
       ON CONFLICT (platform, "externalKey") DO NOTHING
       RETURNING id::text AS id, platform::text AS platform, "externalKey"`,
      [batch.map((p) => p.platform), batch.map((p) => p.externalKey), batch.map((p) => p.actorKey), batch.map((p) => p.payload)],
    );
    const ids = new Map(rows.map((r) => [`${r.platform}:${r.externalKey}`, r.id]));
    return batch.map((p) => {
      const key = `${p.platform}:${p.externalKey}`;
      const id = ids.get(key) ?? null;
      ids.delete(key);
      return id;
    });
  }
}
