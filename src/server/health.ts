// Liveness and readiness. /readyz checks each dependency with a short timeout so a hung
// connection answers 503 instead of hanging the probe.
import { Router } from "express";
import { TIMED_OUT, within } from "./deadline.js";

export type Check = () => Promise<void>;
/** Something an operator should know that does not make the instance unready; null to leave out. */
export type Note = () => Promise<unknown>;

async function withTimeout(check: Check, ms: number): Promise<void> {
  if ((await within(check(), ms)) === TIMED_OUT) throw new Error(`no answer within ${ms} ms`);
}

export function healthRouter(checks: Record<string, Check>, notes: Record<string, Note> = {}, timeoutMs = 2_000): Router {
  const router = Router();
  router.get("/healthz", (_req, res) => {
    res.json({ status: "ok" });
  });
  router.get("/readyz", async (req, res) => {
    const results = await Promise.all(
      Object.entries(checks).map(async ([name, check]) => {
        try {
          await withTimeout(check, timeoutMs);
          return [name, "ok"] as const;
        } catch (error) {
          req.log.warn({ check: name, err: (error as Error).message }, "readiness check failed");
          return [name, "unavailable"] as const;
        }
      }),
    );
    const ready = results.every(([, state]) => state === "ok");
    const noted = ready
      ? await Promise.all(Object.entries(notes).map(async ([name, note]) => [name, await note().catch(() => null)] as const))
      : [];
    const shown = noted.filter(([, value]) => value !== null && value !== undefined);
    res.status(ready ? 200 : 503).json({
      status: ready ? "ready" : "not ready",
      checks: Object.fromEntries(results),
      ...(shown.length ? { notes: Object.fromEntries(shown) } : {}),
    });
  });
  return router;
}
