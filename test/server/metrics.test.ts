// GET /metrics: Prometheus text for this machine or a bearer METRICS_TOKEN, with figures that
// match the database and counters of the requests served.
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { actor, register } from "../helpers/contest.js";
import { startServer, type TestServer } from "../helpers/server.js";

describe("metrics", () => {
  let running: TestServer;
  beforeAll(async () => {
    running = await startServer({ METRICS_TOKEN: "metrics-token-123456", SIMULATOR: "on" });
  });
  afterAll(async () => running?.destroy());

  it("serves Prometheus text locally, refuses proxied requests without the token, and counts what happened", async () => {
    const who = actor("SIMULATOR", "m-1");
    await register(running.runner, who, { phone: "0977000111" });
    await running.runner.handle(who, { type: "command", name: "thi" });
    await request(running.server).get("/healthz");
    // One event through the pipeline (the simulator is a channel like the others).
    const sim = await request(running.server)
      .post("/simulator/api/event")
      .send({ user: "m-2", event: { type: "start" } });
    expect(sim.status).toBe(200);
    const local = await request(running.server).get("/metrics");
    expect(local.status).toBe(200);
    expect(local.header["content-type"]).toContain("text/plain");
    expect(local.text).toMatch(/^contest_attempts\{status="IN_PROGRESS"\} 1$/m);
    expect(local.text).toMatch(/^contest_outbox_pending 0$/m);
    expect(local.text).toMatch(/^contest_http_requests_total\{route="GET \/healthz",status="200"\} 1$/m);
    expect(local.text).toContain("process_cpu_seconds_total");
    expect(local.text).toMatch(/^contest_inbound_events_total\{platform="SIMULATOR",outcome="applied"\} 1$/m);
    expect(local.text).toMatch(/^contest_replies_total\{platform="SIMULATOR",outcome="sent"\} 1$/m);
    expect(local.text).toMatch(/^contest_inbox_pending 0$/m);
    expect(local.text).toMatch(/^contest_inbox_lag_seconds 0$/m);
    expect(local.text).toMatch(/^contest_replies_pending 0$/m);
    const proxied = await request(running.server).get("/metrics").set("X-Forwarded-For", "198.51.100.7");
    expect(proxied.status).toBe(401);
    const withToken = await request(running.server)
      .get("/metrics")
      .set("X-Forwarded-For", "198.51.100.7")
      .set("authorization", "Bearer metrics-token-123456");
    expect(withToken.status).toBe(200);
  });
});
