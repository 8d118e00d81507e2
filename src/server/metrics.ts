// Prometheus metrics at GET /metrics (text format, prom-client): HTTP requests by route and
// status (webhooks included), inbound events, replies and broadcast sends by platform and
// outcome, and figures read from the database at scrape time so they agree across instances
// (inbox, reply and delivery backlog and lag, attempts of the open round by status). Open to clients on this machine, or with
// METRICS_TOKEN as a bearer token.
import { type Request, type RequestHandler, Router } from "express";
import { Counter, collectDefaultMetrics, Gauge, Registry } from "prom-client";
import { pendingDeliveries } from "../broadcast/campaigns.js";
import type { PrismaClient } from "../generated/prisma/client.js";
import type { InboxCounts } from "../inbox/inbox.js";
import type { OutboxCounts } from "../pipeline/outbox-sender.js";
import { bearerToken, isLocalRequest, sameSecret } from "./client-address.js";

export class Metrics {
  readonly registry = new Registry();
  readonly httpRequests = new Counter({
    name: "contest_http_requests_total",
    help: "HTTP requests by route and status",
    labelNames: ["route", "status"] as const,
    registers: [this.registry],
  });
  readonly sends = this.byOutcome(
    "contest_sends_total",
    "Broadcast and notice deliveries by platform and outcome (sent, failed, skipped, retried)",
  );
  readonly replies = this.byOutcome(
    "contest_replies_total",
    "Conversation replies from the outbox by platform and outcome (sent, failed, retried)",
  );
  readonly events = this.byOutcome(
    "contest_inbound_events_total",
    "Inbound events worked by platform and outcome (applied, handled, retry, dead)",
  );

  private byOutcome(name: string, help: string) {
    return new Counter({ name, help, labelNames: ["platform", "outcome"] as const, registers: [this.registry] });
  }

  /** A figure read at scrape time. */
  private figure(name: string, help: string, read: () => Promise<number>): void {
    new Gauge({
      name,
      help,
      registers: [this.registry],
      async collect() {
        this.set(await read());
      },
    });
  }

  /** Inbox and reply-outbox backlog, read at scrape time (they agree across instances). */
  watchPipeline(source: { counts(): Promise<InboxCounts> }, replies: { counts(): Promise<OutboxCounts> }): void {
    // prom-client collects each gauge on its own: three gauges share one read per scrape.
    const inbox = { counts: perScrape(() => source.counts()) };
    const outbox = { counts: perScrape(() => replies.counts()) };
    const figures: [string, string, () => Promise<number>][] = [
      ["contest_inbox_pending", "Inbound events recorded and not yet applied", async () => (await inbox.counts()).pending],
      ["contest_inbox_dead", "Inbound events that failed every try (DEAD)", async () => (await inbox.counts()).dead],
      ["contest_inbox_lag_seconds", "Age of the oldest inbound event not yet applied", async () => (await inbox.counts()).lagSeconds],
      ["contest_replies_pending", "Conversation replies waiting to be sent or being sent", async () => (await outbox.counts()).pending],
      [
        "contest_replies_failed",
        "Conversation replies given up (unreachable, or the last try failed)",
        async () => (await outbox.counts()).failed,
      ],
      ["contest_replies_lag_seconds", "Age of the oldest conversation reply not yet sent", async () => (await outbox.counts()).lagSeconds],
    ];
    for (const [name, help, read] of figures) this.figure(name, help, read);
  }

  constructor(prisma: PrismaClient, contestId: string) {
    collectDefaultMetrics({ register: this.registry });
    this.figure("contest_outbox_pending", "Broadcast and notice deliveries waiting to be sent or being sent", () =>
      pendingDeliveries(prisma),
    );
    this.figure("contest_outbox_lag_seconds", "Age of the oldest broadcast or notice delivery that is due and not yet sent", async () => {
      const now = new Date();
      const oldest = await prisma.delivery.findFirst({
        where: {
          status: "PENDING",
          OR: [{ notBefore: null }, { notBefore: { lte: now } }],
          campaign: { status: { in: ["SCHEDULED", "RUNNING"] } },
        },
        orderBy: { campaign: { createdAt: "asc" } },
        select: { notBefore: true, campaign: { select: { createdAt: true, scheduledAt: true } } },
      });
      const since = oldest ? (oldest.notBefore ?? oldest.campaign.scheduledAt ?? oldest.campaign.createdAt) : now;
      return Math.max(0, (now.getTime() - since.getTime()) / 1000);
    });
    new Gauge({
      name: "contest_attempts",
      help: "Attempts of the open round by status (started = in progress)",
      labelNames: ["status"] as const,
      registers: [this.registry],
      async collect() {
        const now = new Date();
        const round = await prisma.round.findFirst({ where: { contestId, opensAt: { lte: now }, closesAt: { gt: now } } });
        const groups = round ? await prisma.attempt.groupBy({ by: ["status"], where: { roundId: round.id }, _count: { _all: true } }) : [];
        for (const status of ["IN_PROGRESS", "SUBMITTED", "EXPIRED"]) {
          this.set({ status }, groups.find((g) => g.status === status)?._count._all ?? 0);
        }
      },
    });
  }

  /** Counts every request by its route pattern (never the raw path: ids would explode the labels). */
  middleware(): RequestHandler {
    return (req, res, next) => {
      res.on("finish", () => {
        const route = (req.route?.path as string | undefined) ?? (res.statusCode === 404 ? "unmatched" : req.baseUrl || "other");
        this.httpRequests.inc({ route: `${req.method} ${route}`, status: String(res.statusCode) });
      });
      next();
    };
  }
}

/** `read`, called at most once a second: the gauges of one scrape share its result. */
function perScrape<T>(read: () => Promise<T>): () => Promise<T> {
  let last: { at: number; value: Promise<T> } | undefined;
  return () => {
    if (!last || Date.now() - last.at > 1_000) last = { at: Date.now(), value: read() };
    return last.value;
  };
}

function allowed(req: Request, token: string | undefined): boolean {
  return isLocalRequest(req) || sameSecret(bearerToken(req), token);
}

export function metricsRouter(metrics: Metrics, token: string | undefined): Router {
  const router = Router();
  router.get("/metrics", async (req, res) => {
    if (!allowed(req, token)) return void res.status(401).json({ error: "metrics are for this machine or a bearer METRICS_TOKEN" });
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
  return router;
}
