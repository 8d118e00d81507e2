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
  readonly sends = new Counter({
    name: "contest_sends_total",
    help: "Broadcast and notice deliveries by platform and outcome (sent, failed, skipped, retried)",
    labelNames: ["platform", "outcome"] as const,
    registers: [this.registry],
  });
  readonly replies = new Counter({
    name: "contest_replies_total",
    help: "Conversation replies from the outbox by platform and outcome (sent, failed, retried)",
    labelNames: ["platform", "outcome"] as const,
    registers: [this.registry],
  });
  readonly events = new Counter({
    name: "contest_inbound_events_total",
    help: "Inbound events worked by platform and outcome (applied, handled, retry, dead)",
    labelNames: ["platform", "outcome"] as const,
    registers: [this.registry],
  });

  /** Inbox and reply-outbox backlog, read at scrape time (they agree across instances). */
  watchPipeline(inbox: { counts(): Promise<InboxCounts> }, outbox: { counts(): Promise<OutboxCounts> }): void {
    const gauge = <T>(name: string, help: string, read: () => Promise<T>, value: (t: T) => number) =>
      new Gauge({
        name,
        help,
        registers: [this.registry],
        async collect() {
          this.set(value(await read()));
        },
      });
    gauge(
      "contest_inbox_pending",
      "Inbound events recorded and not yet applied",
      () => inbox.counts(),
      (c) => c.pending,
    );
    gauge(
      "contest_inbox_dead",
      "Inbound events that failed every try (DEAD)",
      () => inbox.counts(),
      (c) => c.dead,
    );
    gauge(
      "contest_inbox_lag_seconds",
      "Age of the oldest inbound event not yet applied",
      () => inbox.counts(),
      (c) => c.lagSeconds,
    );
    gauge(
      "contest_replies_pending",
      "Conversation replies waiting to be sent or being sent",
      () => outbox.counts(),
      (c) => c.pending,
    );
    gauge(
      "contest_replies_failed",
      "Conversation replies given up (recipient unreachable, last try failed)",
      () => outbox.counts(),
      (c) => c.failed,
    );
    gauge(
      "contest_replies_lag_seconds",
      "Age of the oldest conversation reply not yet sent",
      () => outbox.counts(),
      (c) => c.lagSeconds,
    );
  }

  constructor(prisma: PrismaClient, contestId: string) {
    collectDefaultMetrics({ register: this.registry });
    new Gauge({
      name: "contest_outbox_pending",
      help: "Deliveries waiting to be sent or being sent",
      registers: [this.registry],
      async collect() {
        this.set(await pendingDeliveries(prisma));
      },
    });
    new Gauge({
      name: "contest_outbox_lag_seconds",
      help: "Age of the oldest delivery that is due and not yet sent",
      registers: [this.registry],
      async collect() {
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
        this.set(Math.max(0, (now.getTime() - since.getTime()) / 1000));
      },
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
