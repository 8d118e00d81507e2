// The express application: shared middleware, health endpoints, then each feature's router
// (channels, simulator, admin API) in the order given.
import express, { type ErrorRequestHandler, type RequestHandler, type Router } from "express";
import { pinoHttp } from "pino-http";
import type { Logger } from "../logger.js";
import { type Check, healthRouter, type Note } from "./health.js";

declare module "http" {
  interface IncomingMessage {
    /** Exact request bytes, kept for webhook signatures computed over the raw body. */
    rawBody?: Buffer;
  }
}

export interface AppOptions {
  logger: Logger;
  checks: Record<string, Check>;
  /** Shown under "notes" in /readyz without making the instance unready (e.g. Zalo needs re-authorising). */
  notes?: Record<string, Note>;
  routers?: Router[];
  /** Counts requests by route and status (Prometheus). */
  requestCounter?: RequestHandler;
}

export function createApp({ logger, checks, notes = {}, routers = [], requestCounter }: AppOptions): express.Express {
  const app = express();
  app.disable("x-powered-by");
  app.set("trust proxy", true);
  app.use(
    pinoHttp({
      logger,
      // Log the path only: query strings may carry tokens or personal data.
      serializers: {
        req: (req: { method: string; url: string; id: unknown }) => ({
          id: req.id,
          method: req.method,
          path: req.url.split("?")[0],
        }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
      autoLogging: { ignore: (req) => req.url === "/healthz" || req.url === "/readyz" },
      // Platform webhooks are the hot path (hundreds a second at peak, each counted in
      // /metrics): a line only when one fails, not one per update.
      customLogLevel: (req, res, error) => {
        if (error || res.statusCode >= 500) return "error";
        if (res.statusCode >= 400) return "warn";
        return req.url?.startsWith("/webhooks/") ? "silent" : "info";
      },
    }),
  );
  if (requestCounter) app.use(requestCounter);
  app.use(
    express.json({
      limit: "1mb",
      verify: (req, _res, buf) => {
        req.rawBody = buf;
      },
    }),
  );
  app.use(healthRouter(checks, notes));
  for (const router of routers) app.use(router);
  app.use((_req, res) => {
    res.status(404).json({ error: "not found" });
  });
  const onError: ErrorRequestHandler = (error, req, res, _next) => {
    const status = typeof error.status === "number" && error.status < 500 ? error.status : 500;
    if (status >= 500) req.log.error({ err: error }, "request failed");
    // A streamed download that failed half-way cannot get a status any more: cut it short, so
    // the client sees an incomplete transfer rather than a file that looks whole.
    if (res.headersSent) return void res.destroy(error instanceof Error ? error : undefined);
    res.status(status).json({ error: status >= 500 ? "internal error" : error.message });
  };
  app.use(onError);
  return app;
}
