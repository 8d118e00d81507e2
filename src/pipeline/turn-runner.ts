// Applies one conversation turn exactly once. The turn's effects (answers, registration…), its
// replies (the outbox) and its inbox mark commit in one database transaction; the session,
// kept in Redis or memory, is written by compare-and-set inside that transaction, just before
// the commit, together with the id of the event it applied and the state before it. So:
// - an event whose transaction committed is DONE: a retry or redelivery finds it DONE and
//   does nothing (its replies are in the outbox, sent or to be sent);
// - an event whose session write landed but whose commit did not is retried from the state
//   recorded before it, never from the state it produced.
// docs/pipeline.md walks through every step and what a Redis loss costs.
import { randomUUID } from "node:crypto";
import type { ContestContext } from "../contest/context.js";
import type { ConversationEngine } from "../engine/engine.js";
import type { ConversationSession } from "../engine/session.js";
import type { Actor, InboundEvent, Reply } from "../engine/types.js";
import type { Prisma } from "../generated/prisma/client.js";
import type { Logger } from "../logger.js";
import { turnServices } from "../services.js";
import type { SessionStore } from "../sessions/store.js";
import type { Database } from "../storage/database.js";
import { NeedsPrismaError } from "../storage/plain-sql.js";
import type { OutboxPayload, ReplyContext } from "./outbox.js";
import { type OutboxRow, queueReply, type ReplyClaimant } from "./outbox-sender.js";

const SESSION_TTL_SECONDS = 60 * 60 * 24 * 30;
// Conflicts only happen when two processes work on one person at once: turns outside the
// inbox (tests, preview) or a worker whose lease ran out. Retried after a short random pause.
const CONFLICT_RETRIES = 20;

export interface TurnJob {
  actor: Actor;
  event: InboundEvent;
  /** The inbox event being applied: marked DONE with the effects, its replies queued in the outbox. */
  inboundId?: string;
  /** What the channel needs besides the reply to render it (kept with it in the outbox). */
  context?: ReplyContext;
}

/** What the session store holds per person. */
interface SessionRecord {
  state?: ConversationSession;
  /** The event this state is the result of. */
  applied?: string;
  /** The state before that event. */
  previous?: ConversationSession;
}

class SessionConflictError extends Error {}

export interface TurnRunnerDeps {
  db: Pick<Database, "prisma" | "plainTransaction">;
  contest: ContestContext;
  engine: ConversationEngine;
  sessions: SessionStore;
  clock: () => Date;
  sessionTtlSeconds?: number;
  /** This process's outbox sender: a reply its chat is not waiting on is claimed in the turn and handed over. */
  claimant?: ReplyClaimant;
  /** Where a turn that left the fast path is noted (debug level). */
  logger?: Logger;
}

// PGlite runs one transaction at a time: a turn may wait for the others before it starts.
const TRANSACTION_OPTIONS = { maxWait: 60_000, timeout: 60_000 };

export class TurnRunner {
  private readonly locks = new Map<string, Promise<unknown>>();

  constructor(private readonly deps: TurnRunnerDeps) {}

  /**
   * A turn outside the inbox (tests, the organizer's preview world): applied at once, its
   * reply returned instead of queued. One person's calls run one at a time in this process.
   */
  handle(actor: Actor, event: InboundEvent): Promise<Reply> {
    const key = `${actor.platform}:${actor.externalId}`;
    const previous = this.locks.get(key) ?? Promise.resolve();
    const run = previous.catch(() => undefined).then(async () => (await this.apply({ actor, event }))!);
    this.locks.set(key, run);
    void run
      .finally(() => {
        if (this.locks.get(key) === run) this.locks.delete(key);
      })
      .catch(() => undefined);
    return run;
  }

  /** Applies the job once; null when its inbox event was applied before (nothing done now). */
  async apply(job: TurnJob): Promise<Reply | null> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.once(job);
      } catch (error) {
        // Someone wrote this person's session meanwhile (a worker whose lease ran out): start over.
        if (!(error instanceof SessionConflictError) || attempt >= CONFLICT_RETRIES) throw error;
        await new Promise((r) => setTimeout(r, 2 + Math.random() * 20));
      }
    }
  }

  private sessionKey(actor: Actor): string {
    return `conv:${this.deps.contest.slug}:${actor.platform}:${actor.externalId}`;
  }

  private async once(job: TurnJob): Promise<Reply | null> {
    const { db, sessions } = this.deps;
    const key = this.sessionKey(job.actor);
    const stored = await sessions.getVersioned<SessionRecord>(key);
    const marker = job.inboundId ?? randomUUID();
    // The stored state is this very event's result from a try that did not commit: start before it.
    const before = stored.value?.applied === marker ? stored.value.previous : stored.value?.state;
    const now = this.deps.clock();
    const body = (tx: Prisma.TransactionClient, marked?: number) =>
      this.inTransaction(tx, job, { key, version: stored.version, marker, before }, now, marked);
    let result: Awaited<ReturnType<typeof body>> | undefined;
    // Registered people's turns (answers above all) run on the plain-SQL fast path; a turn that
    // needs a Prisma model query there is rolled back before its session write and run again on
    // Prisma's transaction. Registration turns go to Prisma at once (they always need it).
    if (!before?.step) {
      try {
        // The inbox mark goes with BEGIN, in one round trip.
        result = await db.plainTransaction(body, job.inboundId ? markDoneStatement(job.inboundId, now) : undefined);
      } catch (error) {
        if (!(error instanceof NeedsPrismaError)) throw error;
        this.deps.logger?.debug({ member: error.member, event: job.event.type }, "turn left the plain-SQL path");
      }
    }
    if (result === undefined) result = await db.prisma.$transaction(body, TRANSACTION_OPTIONS);
    if (!result) return null;
    // To this process's sender: sent now when claimed in the transaction (no claim round trip),
    // otherwise looked for once the chat's earlier reply is out.
    if (result.queued) this.deps.claimant?.queued(result.queued);
    return result.reply;
  }

  private async inTransaction(
    tx: Prisma.TransactionClient,
    job: TurnJob,
    stored: { key: string; version: number; marker: string; before: ConversationSession | undefined },
    now: Date,
    /** The inbox mark's row count when it ran with BEGIN. */
    marked: number | undefined,
  ): Promise<{ reply: Reply; queued: (OutboxRow & { status: string }) | null } | null> {
    const { sessions, engine, contest } = this.deps;
    const { key, marker, before } = stored;
    // Marked DONE first: the update locks the row until COMMIT (a second try waits, then finds
    // it DONE) and is undone with everything else if the turn fails.
    if (job.inboundId && (marked ?? (await markDone(tx, job.inboundId, now))) !== 1) return null;
    const { reply, session } = await engine.turn({
      ...turnServices(tx, contest),
      actor: job.actor,
      event: job.event,
      // A copy: steps change the session in place, and `before` must stay as it was.
      session: before && structuredClone(before),
      now,
    });
    let queued: (OutboxRow & { status: string }) | null = null;
    if (job.inboundId && (reply.messages.length > 0 || reply.notice || job.context?.callbackQueryId)) {
      const payload: OutboxPayload = { ...reply, ...job.context };
      queued = await queueReply(
        tx,
        { platform: job.actor.platform, chatId: job.actor.chatId, eventId: job.inboundId, payload },
        this.deps.claimant,
      );
    }
    const record: SessionRecord = { state: session, applied: marker, previous: before };
    const ttl = this.deps.sessionTtlSeconds ?? SESSION_TTL_SECONDS;
    if (!(await sessions.setIfVersion(key, stored.version, record, ttl))) throw new SessionConflictError(key);
    return { reply, queued };
  }
}

/** Marks the inbox row DONE in this transaction; 0 when it was no longer pending (applied by someone). */
function markDone(tx: Prisma.TransactionClient, inboundId: string, now: Date): Promise<number> {
  return tx.$executeRawUnsafe(markDoneStatement(inboundId, now));
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The DONE mark as one parameter-free statement (it can go with BEGIN): its values are an id the inbox made and a clock reading. */
function markDoneStatement(inboundId: string, now: Date): string {
  if (!UUID.test(inboundId)) throw new Error(`inbox id is not a UUID: ${inboundId.slice(0, 40)}`);
  return `UPDATE "InboundEvent" SET status = 'DONE', "processedAt" = '${now.toISOString()}', "lockedUntil" = NULL
    WHERE id = '${inboundId}' AND status = 'PENDING'`;
}
