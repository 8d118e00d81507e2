// Participants and their platform accounts: the persistence the conversation needs for
// registration, behind an interface so registration steps can be tested without a database.

import type { Actor } from "../engine/types.js";
import type { Participant, PlatformAccount } from "../generated/prisma/client.js";
import { isUniqueViolation } from "../storage/errors.js";
import { revive } from "../storage/json-rows.js";
import { atomically, type Db, recoverable } from "../storage/transaction.js";

export interface NewParticipant {
  phone: string;
  phoneVerified: boolean;
  fullName: string;
  /** YYYY-MM-DD */
  birthDate: string;
  unitId: string | null;
  audienceId: string | null;
  excluded: boolean;
  consentAt: Date;
  /** The contest's further registration fields, by name; null when it asks none. */
  details: Record<string, string> | null;
}

/** What a profile edit may change (the phone stays). */
export interface ProfileChange {
  fullName: string;
  /** YYYY-MM-DD */
  birthDate: string;
  unitId: string | null;
  audienceId: string | null;
  details: Record<string, string> | null;
}

export type RegisterOutcome =
  | { kind: "created"; participant: Participant; account: PlatformAccount }
  /** This very account registered a moment ago (the same confirmation handled twice). */
  | { kind: "duplicate"; participant: Participant; account: PlatformAccount }
  /** Someone else (another account) registered this phone. */
  | { kind: "taken"; existing: Participant };

export interface People {
  /**
   * The sender's account (created on first contact; the interaction recorded) and the
   * participant its phone belongs to, if any.
   */
  arrive(actor: Actor, now: Date): Promise<{ account: PlatformAccount; participant: Participant | null }>;
  byPhone(phone: string): Promise<Participant | null>;
  /** The contest's roster row for the phone (unit and audience to propose), if any. */
  rosterEntry(phone: string): Promise<{ unitId: string | null; audienceId: string | null } | null>;
  /** Creates the participant and links the account to it in one transaction. */
  register(accountId: string, data: NewParticipant): Promise<RegisterOutcome>;
  /**
   * Links the account to an existing participant. A simulated account never takes the phone
   * of a participant with a real (Telegram/Zalo) account; a real account arriving takes the
   * phone away from simulated ones. Null when refused.
   */
  link(account: PlatformAccount, participant: Participant): Promise<PlatformAccount | null>;
  updateProfile(participantId: string, data: ProfileChange): Promise<Participant>;
  /**
   * The verified owner of a phone arrives while someone registered it by typing: the typed
   * registration keeps its attempts and accounts under a marked phone (`+84…#<id>`), and the
   * phone is free for its owner. Two people, never merged.
   */
  releaseUnverified(participant: Participant): Promise<void>;
}

/** A participant's further registration fields, from their JSON column (text values only). */
export function participantDetails(value: unknown): Record<string, string> {
  if (!value || typeof value !== "object" || Array.isArray(value)) return {};
  return Object.fromEntries(Object.entries(value).filter((e): e is [string, string] => typeof e[1] === "string"));
}

/** The phone as dialled, without the mark of a released unverified registration. */
export const dialledPhone = (phone: string) => phone.split("#")[0]!;

/** How stale a recorded last interaction may get before a turn writes it again. */
export const INTERACTION_PRECISION_MS = 5 * 60_000;

const asDate = (isoDate: string) => new Date(`${isoDate}T00:00:00Z`);

export class PrismaPeople implements People {
  constructor(
    private readonly prisma: Db,
    private readonly contestId: string,
  ) {}

  // Every turn starts here: one plain SQL statement (see AttemptService on Prisma's cost). It
  // writes the account only when something changed or the last interaction recorded is older
  // than INTERACTION_PRECISION_MS: most turns read it, sparing a row version, its WAL and its
  // index entries each time (lastInteractionAt serves Zalo's 48-hour and 7-day windows).
  async arrive(actor: Actor, now: Date, again = false): Promise<{ account: PlatformAccount; participant: Participant | null }> {
    const stale = new Date(now.getTime() - INTERACTION_PRECISION_MS);
    const rows = await this.prisma.$queryRaw<{ account: unknown; participant: unknown }[]>`
      WITH existing AS (
        SELECT * FROM "PlatformAccount" WHERE platform = ${actor.platform}::"Platform" AND "externalId" = ${actor.externalId}
      ), written AS (
        INSERT INTO "PlatformAccount" (id, platform, "externalId", "chatId", "displayName", "lastInteractionAt", "updatedAt")
        VALUES (gen_random_uuid(), ${actor.platform}::"Platform", ${actor.externalId}, ${actor.chatId}, ${actor.displayName ?? null}, ${now}, ${now})
        ON CONFLICT (platform, "externalId") DO UPDATE SET
          "chatId" = EXCLUDED."chatId",
          "displayName" = COALESCE(EXCLUDED."displayName", "PlatformAccount"."displayName"),
          "lastInteractionAt" = EXCLUDED."lastInteractionAt",
          "blockedAt" = NULL,
          "updatedAt" = EXCLUDED."updatedAt"
        WHERE "PlatformAccount"."chatId" IS DISTINCT FROM EXCLUDED."chatId"
          OR (EXCLUDED."displayName" IS NOT NULL AND "PlatformAccount"."displayName" IS DISTINCT FROM EXCLUDED."displayName")
          OR "PlatformAccount"."blockedAt" IS NOT NULL
          OR "PlatformAccount"."lastInteractionAt" IS NULL OR "PlatformAccount"."lastInteractionAt" < ${stale}
        RETURNING *
      ), account AS (
        SELECT * FROM written UNION ALL SELECT * FROM existing WHERE NOT EXISTS (SELECT 1 FROM written)
      )
      SELECT to_jsonb(account) AS account,
             (SELECT to_jsonb(p) FROM "Participant" p WHERE p."contestId" = ${this.contestId}::uuid AND p.phone = account.phone) AS participant
      FROM account`;
    const row = rows[0];
    // Another transaction created the account after this statement's snapshot: it is visible now.
    if (!row) {
      if (again) throw new Error(`account ${actor.platform}:${actor.externalId} neither written nor found`);
      return this.arrive(actor, now, true);
    }
    return {
      account: revive<PlatformAccount>(row.account, ["blockedAt", "lastInteractionAt", "createdAt", "updatedAt"]),
      participant: row.participant ? revive<Participant>(row.participant, ["birthDate", "consentAt", "registeredAt", "updatedAt"]) : null,
    };
  }

  async rosterEntry(phone: string): Promise<{ unitId: string | null; audienceId: string | null } | null> {
    const rows = await this.prisma.$queryRaw<{ unitId: string | null; audienceId: string | null }[]>`
      SELECT "unitId"::text AS "unitId", "audienceId"::text AS "audienceId" FROM "RosterEntry"
      WHERE "contestId" = ${this.contestId}::uuid AND phone = ${phone}`;
    return rows[0] ?? null;
  }

  async byPhone(phone: string): Promise<Participant | null> {
    const rows = await this.prisma.$queryRaw<Participant[]>`
      SELECT * FROM "Participant" WHERE "contestId" = ${this.contestId}::uuid AND phone = ${phone}`;
    return rows[0] ?? null;
  }

  async register(accountId: string, data: NewParticipant): Promise<RegisterOutcome> {
    try {
      return await recoverable(this.prisma, () =>
        atomically(this.prisma, async (tx) => {
          const participant = await tx.participant.create({
            data: { contestId: this.contestId, ...data, details: data.details ?? undefined, birthDate: asDate(data.birthDate) },
          });
          const account = await tx.platformAccount.update({ where: { id: accountId }, data: { phone: data.phone } });
          return { kind: "created" as const, participant, account };
        }),
      );
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      // The winner's transaction has committed: its participant and account link are visible.
      const existing = await this.byPhone(data.phone);
      if (!existing) throw error;
      const account = await this.prisma.platformAccount.findUniqueOrThrow({ where: { id: accountId } });
      return account.phone === data.phone ? { kind: "duplicate", participant: existing, account } : { kind: "taken", existing };
    }
  }

  async link(account: PlatformAccount, participant: Participant): Promise<PlatformAccount | null> {
    if (account.platform === "SIMULATOR") {
      const real = await this.prisma.platformAccount.count({ where: { phone: participant.phone, platform: { not: "SIMULATOR" } } });
      if (real > 0) return null;
    } else {
      await this.prisma.platformAccount.updateMany({ where: { phone: participant.phone, platform: "SIMULATOR" }, data: { phone: null } });
    }
    return this.prisma.platformAccount.update({ where: { id: account.id }, data: { phone: participant.phone } });
  }

  updateProfile(participantId: string, data: ProfileChange): Promise<Participant> {
    return this.prisma.participant.update({
      where: { id: participantId },
      data: { ...data, details: data.details ?? undefined, birthDate: asDate(data.birthDate) },
    });
  }

  async releaseUnverified(participant: Participant): Promise<void> {
    if (participant.phoneVerified) throw new Error("only an unverified registration can be released");
    const marked = `${participant.phone}#${participant.id.slice(0, 8)}`;
    await atomically(this.prisma, async (tx) => {
      await tx.platformAccount.updateMany({ where: { phone: participant.phone }, data: { phone: marked } });
      await tx.participant.update({ where: { id: participant.id }, data: { phone: marked } });
    });
  }
}
