// The simulator is a demo and test channel: it must not let an anonymous visitor take over a
// real participant, nor be reachable from elsewhere unless the operator opens it.
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { M } from "../../src/messages/index.js";
import { actor, register } from "../helpers/contest.js";
import { startServer, type TestServer } from "../helpers/server.js";

describe("simulator access and identity", () => {
  let running: TestServer;
  const sim = (user: string, event: object) => request(running.server).post("/simulator/api/event").send({ user, event });

  beforeAll(async () => {
    running = await startServer({ SIMULATOR: "on" });
  });
  afterAll(async () => running?.destroy());

  it("refuses a simulated user who shares the phone of a Telegram participant", async () => {
    const telegram = actor("TELEGRAM", "tg-victim");
    await register(running.runner, telegram, { phone: "0912000111", name: "Trần Thị Bích" });
    await sim("intruder", { type: "start" });
    await sim("intruder", { type: "button", data: "c:y" });
    await sim("intruder", { type: "text", text: "Kẻ Mạo Danh" });
    await sim("intruder", { type: "text", text: "01/01/1990" });
    const shared = await sim("intruder", { type: "contact", phone: "0912000111" });
    const said = shared.body.messages.map((m: { text: string }) => m.text).join("\n");
    expect(said).toContain(M.simulatorPhoneTaken);
    expect(said).not.toContain("Trần Thị Bích");
    const account = await running.db.prisma.platformAccount.findFirstOrThrow({ where: { platform: "SIMULATOR", externalId: "intruder" } });
    expect(account.phone).toBeNull();
    const start = await sim("intruder", { type: "button", data: "m:thi" });
    expect(start.body.messages.map((m: { text: string }) => m.text).join("\n")).not.toMatch(/Câu 1\/10/);
    expect(await running.db.prisma.attempt.count({ where: { participant: { phone: "+84912000111" } } })).toBe(0);
  });

  it("takes the phone away from simulated users when its verified owner arrives", async () => {
    const squatter = actor("SIMULATOR", "squatter", true);
    await register(running.runner, squatter, { phone: "0912000222", name: "Người Chiếm Chỗ" });
    const owner = actor("TELEGRAM", "tg-owner");
    await register(running.runner, owner, { phone: "0912000222" });
    const accounts = await running.db.prisma.platformAccount.findMany({ where: { phone: "+84912000222" } });
    expect(accounts.map((a) => a.platform)).toEqual(["TELEGRAM"]);
    const after = await running.runner.handle(squatter, { type: "command", name: "thi" });
    expect(after.messages.map((m) => m.text).join("\n")).toContain(M.notRegistered);
  });

  it("answers 403 to a request that came through a proxy, unless opened to the public", async () => {
    const proxied = await request(running.server).get("/simulator").set("X-Forwarded-For", "203.0.113.9");
    expect(proxied.status).toBe(403);
    const api = await sim("local", { type: "start" });
    expect(api.status).toBe(200);
    const open = await startServer({ SIMULATOR: "on", SIMULATOR_ACCESS: "public" });
    try {
      expect((await request(open.server).get("/simulator").set("X-Forwarded-For", "203.0.113.9")).status).toBe(200);
    } finally {
      await open.destroy();
    }
  });
});
