// The exactly-once conversation pipeline: webhook → inbox (durable, deduplicated, answered at
// once) → inbox workers (one person's events in order, across instances) → a channel's handler,
// which applies a conversation turn with its replies in one transaction (turn-runner.ts) →
// outbox workers (one chat's replies in order) → the channel's adapter. Every instance runs
// both workers; they find each other's work in the database.
import type { Platform } from "../generated/prisma/client.js";
import type { ClaimedEvent, Inbox } from "../inbox/inbox.js";
import type { Logger } from "../logger.js";
import type { OutboxRow, OutboxSender, ReplyClaimant } from "./outbox-sender.js";
import { QueueWorker } from "./queue-worker.js";

/**
 * Handles one claimed inbox event. "applied": a conversation turn marked it DONE in its own
 * transaction; "handled": anything else (the pipeline marks it DONE afterwards).
 */
export type InboxHandler = (event: ClaimedEvent) => Promise<"applied" | "handled">;

export interface WakeSignal {
  notify(): void;
  onWake(listener: () => void): void;
}

export interface PipelineOptions {
  inbox: Inbox;
  sender: OutboxSender;
  logger: Logger;
  /** Events in work at once per instance (default 32). */
  concurrency?: number;
  /** Replies in flight at once per instance (default 32). */
  sendConcurrency?: number;
  /** How often an idle worker looks for work recorded elsewhere (default 250 ms). */
  idleMs?: number;
  /**
   * Tells the other instances that an event was recorded, and hears them (Redis pub/sub when
   * REDIS_URL is set), so a worker elsewhere claims it at once instead of at its next idle tick.
   */
  signal?: WakeSignal;
  /**
   * The database is this process's alone (PGlite): an event is claimed in the statement that
   * records it and handed to the worker here, without a claim statement per event, and claims
   * left by an earlier process are released at start.
   */
  claimOnRecord?: boolean;
  /** Told each event's outcome (metrics). */
  onApplied?: (platform: Platform, outcome: "applied" | "handled" | "retry" | "dead") => void;
}

export class Pipeline {
  private readonly handlers: Partial<Record<Platform, InboxHandler>> = {};
  private readonly events: QueueWorker<ClaimedEvent>;
  private readonly replies: QueueWorker<OutboxRow>;
  /** Replies this process queued in line (PENDING) and has not seen claimed since. */
  private waitingReplies = 0;
  /** Events this process recorded without claiming them and has not seen claimed since (claimOnRecord). */
  private unclaimed = 0;
  private started = false;

  constructor(private readonly options: PipelineOptions) {
    const { inbox, sender, logger } = options;
    const idleMs = options.idleMs ?? 250;
    this.events = new QueueWorker({
      name: "inbox",
      claim: async (limit) => {
        const events = await inbox.claim(this.workerId, limit);
        this.unclaimed = Math.max(0, this.unclaimed - events.length);
        return events;
      },
      work: async (event) => {
        await this.work(event);
        // The person's next event may be waiting for this one; with claims on record, only
        // events recorded unclaimed can be.
        return !options.claimOnRecord || this.unclaimed > 0;
      },
      renew: () => inbox.renew(this.workerId),
      leaseMs: inbox.leaseMs,
      concurrency: options.concurrency ?? 32,
      idleMs,
      logger,
    });
    this.replies = new QueueWorker({
      name: "outbox",
      claim: async (limit) => {
        const rows = await sender.claim(limit);
        this.waitingReplies = Math.max(0, this.waitingReplies - rows.length);
        return rows;
      },
      // A reply sent frees its chat's next one: worth a claim only if one was queued in line.
      work: async (row) => {
        await sender.send(row);
        return this.waitingReplies > 0;
      },
      renew: () => sender.renew(),
      leaseMs: sender.leaseMs,
      concurrency: options.sendConcurrency ?? 32,
      idleMs,
      logger,
    });
  }

  get workerId(): string {
    return this.options.sender.workerId;
  }

  /** Who handles the events of a platform. */
  on(platform: Platform, handler: InboxHandler): void {
    this.handlers[platform] = handler;
  }

  /** Records an event and wakes a worker; null when it was recorded before (a redelivery). */
  async receive(platform: Platform, externalKey: string, actorKey: string, payload: object): Promise<string | null> {
    const claimFor = this.options.claimOnRecord && this.started ? this.workerId : undefined;
    const recorded = await this.options.inbox.record(platform, externalKey, actorKey, payload, claimFor);
    if (!recorded) return null;
    if (recorded.claimed) {
      this.events.offer({ id: recorded.id, platform, payload: recorded.payload, tries: 1 });
    } else {
      this.unclaimed++;
      this.events.kick();
      this.options.signal?.notify();
    }
    return recorded.id;
  }

  /** The claimant a turn runner hands its replies to (claimed in the turn, or queued in line). */
  get claimant(): ReplyClaimant {
    return {
      workerId: this.workerId,
      leaseMs: this.options.sender.leaseMs,
      queued: (row) => {
        if (row.status === "SENDING") return this.replies.push(row);
        this.waitingReplies++;
        this.replies.kick();
      },
    };
  }

  async start(): Promise<void> {
    // A process that died left its claims: where no other instance can hold them, they are free now.
    if (this.options.claimOnRecord) await this.options.inbox.releaseOthers(this.workerId);
    this.options.signal?.onWake(() => this.events.kick());
    this.events.start();
    this.replies.start();
    this.started = true;
  }

  /** Stops taking work; waits for what is in hand (bounded), events first, then their replies. */
  async stop(timeoutMs: number): Promise<void> {
    this.started = false;
    await this.events.stop(timeoutMs);
    await this.replies.stop(timeoutMs);
  }

  private async work(event: ClaimedEvent): Promise<void> {
    const handler = this.handlers[event.platform];
    try {
      if (!handler) throw new Error(`no handler for ${event.platform} events`);
      const outcome = await handler(event);
      if (outcome === "handled") await this.options.inbox.done(event.id);
      this.options.onApplied?.(event.platform, outcome);
    } catch (error) {
      const next = await this.options.inbox.failed(event, error);
      this.options.onApplied?.(event.platform, next);
      this.options.logger[next === "dead" ? "error" : "warn"](
        { err: error, inboundId: event.id, platform: event.platform, tries: event.tries },
        next === "dead" ? "inbound event failed for the last time (DEAD)" : "inbound event failed; will be retried",
      );
    }
  }
}
