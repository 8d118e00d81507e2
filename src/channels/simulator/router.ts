// The web simulator's HTTP side: a chat page at /simulator and a JSON endpoint that turns a
// browser's event into the engine's neutral event and runs it through the pipeline. Tests and benchmarks drive the same
// endpoint without a browser: POST /simulator/api/event {user, event} → Reply.
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { type NextFunction, type Request, type Response, Router } from "express";
import { z } from "zod";
import { COMMANDS } from "../../engine/types.js";
import type { Logger } from "../../logger.js";
import { bearerToken, isLocalRequest } from "../../server/client-address.js";
import type { SimulatorChannel } from "./channel.js";
import type { PreviewWorld } from "./preview.js";

export interface SimulatorOptions {
  /** "loopback": only clients on this machine, never through a proxy; "public": anyone. */
  access: "loopback" | "public";
  /** True when the bearer token belongs to an organizer (the preview scores against the real bank). */
  isOrganizer(token: string): Promise<boolean>;
}

const PAGE = readFileSync(path.join(path.dirname(fileURLToPath(import.meta.url)), "page.html"), "utf8");

const eventSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("start"), payload: z.string().max(64).optional() }),
  z.object({ type: z.literal("command"), name: z.enum(COMMANDS) }),
  z.object({ type: z.literal("text"), text: z.string().min(1).max(2000) }),
  z.object({ type: z.literal("button"), data: z.string().min(1).max(64) }),
  // The simulator stands in for a platform's verified contact sharing.
  z.object({ type: z.literal("contact"), phone: z.string().max(20) }),
  z.object({ type: z.literal("unsupported") }),
]);

const bodySchema = z.object({
  user: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/),
  name: z.string().max(64).optional(),
  event: eventSchema,
  /** Organizer preview: run on the throw-away world with the clock moved by this much. */
  preview: z
    .object({
      offsetMs: z
        .number()
        .int()
        .min(-5 * 365 * 86_400_000)
        .max(5 * 365 * 86_400_000),
    })
    .optional(),
});

export function simulatorRouter(channel: SimulatorChannel, preview: PreviewWorld, logger: Logger, options: SimulatorOptions): Router {
  const router = Router();
  router.use("/simulator", (req, res, next) => {
    if (options.access === "public" || isLocalRequest(req)) return next();
    res.status(403).json({ error: "the simulator is open to this machine only (SIMULATOR_ACCESS=loopback)" });
  });
  const isOrganizer = async (req: Request) => {
    const token = bearerToken(req);
    return token !== undefined && (await options.isOrganizer(token));
  };
  const refusePreview = (res: Response) =>
    res.status(401).json({ error: "the preview is for organizers: send an organizer's admin token as a bearer token" });
  const organizerOnly = async (req: Request, res: Response, next: NextFunction) => ((await isOrganizer(req)) ? next() : refusePreview(res));
  router.get("/simulator", (_req, res) => {
    res.type("html").send(PAGE);
  });
  router.post("/simulator/api/event", async (req, res, next) => {
    const parsed = bodySchema.safeParse(req.body);
    if (!parsed.success) {
      res.status(400).json({ error: "invalid event", issues: parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`) });
      return;
    }
    if (parsed.data.preview && !(await isOrganizer(req))) return void refusePreview(res);
    const { user, name, event } = parsed.data;
    try {
      const neutral = event.type === "contact" ? { type: "contact" as const, phone: event.phone, own: true } : event;
      // The organizer's preview runs on a throw-away world of its own, outside the pipeline.
      const reply = parsed.data.preview
        ? await (await preview.runner(parsed.data.preview.offsetMs)).handle(
            { platform: "SIMULATOR", externalId: user, chatId: user, displayName: name, canShareContact: true },
            neutral,
          )
        : await channel.send(user, name, neutral);
      res.json({ ...reply, serverTime: new Date().toISOString() });
    } catch (error) {
      logger.error({ err: error, user }, "simulator event failed");
      next(error);
    }
  });
  router.get("/simulator/api/preview/rounds", organizerOnly, async (_req, res, next) => {
    try {
      res.json({ now: new Date().toISOString(), rounds: await preview.rounds() });
    } catch (error) {
      next(error);
    }
  });
  return router;
}
