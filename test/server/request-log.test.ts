import { Writable } from "node:stream";
import express from "express";
import { pino } from "pino";
import request from "supertest";
import { describe, expect, it } from "vitest";
import { createApp } from "../../src/server/app.js";

describe("request log", () => {
  it("writes no line per successful webhook update, but one for failures and for other requests", async () => {
    const lines: { level: number; req?: { path: string }; res?: { statusCode: number } }[] = [];
    const sink = new Writable({
      write(chunk, _encoding, done) {
        lines.push(JSON.parse(String(chunk)));
        done();
      },
    });
    const router = express.Router();
    router.post("/webhooks/telegram", (_req, res) => void res.json({ ok: true }));
    router.post("/webhooks/zalo", (_req, res) => void res.status(401).json({ error: "bad signature" }));
    router.get("/api/admin/stats", (_req, res) => void res.json({}));
    const app = createApp({ logger: pino({ level: "info" }, sink), checks: {}, routers: [router] });
    for (let i = 0; i < 5; i++) expect((await request(app).post("/webhooks/telegram").send({})).status).toBe(200);
    expect((await request(app).post("/webhooks/zalo").send({})).status).toBe(401);
    expect((await request(app).get("/api/admin/stats?token=secret")).status).toBe(200);
    const logged = lines.filter((l) => l.req).map((l) => [l.level, l.req!.path, l.res?.statusCode]);
    expect(logged).toEqual([
      [40, "/webhooks/zalo", 401],
      [30, "/api/admin/stats", 200],
    ]);
  });
});
