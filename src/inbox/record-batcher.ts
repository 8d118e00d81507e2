// Inbox records written by group commit (storage/group-commit.ts): under load one INSERT for
// many webhooks, each acknowledged only once its row is committed. A record may also be claimed
// in that INSERT for the worker of this process (Inbox.record's `claimFor`).
import type { Platform } from "../generated/prisma/client.js";
import { GroupCommit } from "../storage/group-commit.js";
import type { SqlRunner } from "../storage/migrate.js";

interface InboxRecord {
  platform: Platform;
  externalKey: string;
  actorKey: string;
  payload: string;
  claim: RecordClaim | undefined;
}

/** A new record: its id, and when it was claimed with its insert, its payload as stored (as a claim reads it). */
export type Recorded = { id: string; claimed: false } | { id: string; claimed: true; payload: unknown };

export interface RecordClaim {
  workerId: string;
  lockedUntil: Date;
}

export class RecordBatcher {
  private readonly group: GroupCommit<InboxRecord, Recorded | null>;

  constructor(private readonly sql: SqlRunner) {
    this.group = new GroupCommit((batch) => this.insert(batch));
  }

  /** Records an event, claimed for `claim` when it may be; null when it was recorded before (a redelivery). */
  record(platform: Platform, externalKey: string, actorKey: string, payload: object, claim?: RecordClaim): Promise<Recorded | null> {
    return this.group.add({ platform, externalKey, actorKey, payload: JSON.stringify(payload), claim });
  }

  /**
   * One INSERT of the batch in arrival order (`seq` follows it). Each record gets the id of its
   * new row; a key twice in one batch: the first gets the id, the other null (a redelivery).
   * A record that asks to be claimed is claimed as the inbox's claim would (Inbox.claim): when it
   * is the first of its actor in the batch and no event of that actor is pending (the lease of the
   * batch's latest claim: they differ by the milliseconds between webhooks). Only for a database
   * one process owns: two instances inserting one person's events at once would not see each
   * other's uncommitted rows, and could both claim.
   */
  private async insert(batch: InboxRecord[]): Promise<(Recorded | null)[]> {
    const claim = batch.reduce<RecordClaim | undefined>((latest, p) => p.claim ?? latest, undefined);
    const rows = await this.sql.query<{ id: string; platform: string; externalKey: string; claimed: boolean }>(
      `INSERT INTO "InboundEvent" (id, platform, "externalKey", "actorKey", payload, "lockedBy", "lockedUntil", tries)
       SELECT gen_random_uuid(), e.platform::"Platform", e.key, e.actor, e.payload::jsonb,
         CASE WHEN e.claimed THEN $5 END, CASE WHEN e.claimed THEN $6::timestamptz END, CASE WHEN e.claimed THEN 1 ELSE 0 END
       FROM (SELECT u.*, u.wants AND u.n = min(u.n) OVER (PARTITION BY u.actor)
               AND NOT EXISTS (SELECT 1 FROM "InboundEvent" p WHERE p."actorKey" = u.actor AND p.status = 'PENDING') AS claimed
             FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $7::boolean[])
               WITH ORDINALITY AS u(platform, key, actor, payload, wants, n)) e
       ORDER BY e.n
       ON CONFLICT (platform, "externalKey") DO NOTHING
       RETURNING id::text AS id, platform::text AS platform, "externalKey", "lockedBy" IS NOT NULL AS claimed`,
      [
        batch.map((p) => p.platform),
        batch.map((p) => p.externalKey),
        batch.map((p) => p.actorKey),
        batch.map((p) => p.payload),
        claim?.workerId ?? null,
        claim?.lockedUntil ?? null,
        batch.map((p) => p.claim !== undefined),
      ],
    );
    const recorded = new Map(rows.map((r) => [`${r.platform}:${r.externalKey}`, r]));
    return batch.map((p): Recorded | null => {
      const key = `${p.platform}:${p.externalKey}`;
      const row = recorded.get(key);
      if (!row) return null;
      recorded.delete(key);
      return row.claimed ? { id: row.id, claimed: true, payload: JSON.parse(p.payload) } : { id: row.id, claimed: false };
    });
  }
}
