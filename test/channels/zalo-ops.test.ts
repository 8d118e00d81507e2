// Zalo operations against the fake OA: button-less mode end to end, a stop with an event in
// flight, failures in the log, and token upkeep on both database backends.
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import request from "supertest";
import { describe, expect, it } from "vitest";
import { ZaloTokens } from "../../src/channels/zalo/tokens.js";
import { BACKENDS, freshDatabase } from "../helpers/db.js";
import { FakeZalo, signedEvent } from "../helpers/fake-zalo.js";
import { capturingLogger, silentLogger } from "../helpers/logger.js";
import { spawnServer } from "../helpers/process-server.js";
import { startServer } from "../helpers/server.js";
import { APP_ID, OA_KEY, textEvent, useZaloServer, zaloServer } from "../helpers/zalo-chat.js";

describe("Zalo with ZALO_BUTTONS=off", () => {
  const { fake, say, server } = useZaloServer(["at-o", "rt-o"], { ZALO_BUTTONS: "off" });

  it("registers and takes a whole attempt with numbered lists, typed numbers, letters and option texts", async () => {
    const u = "o-1";
    const welcome = await say(u, "Bắt đầu", 3);
    expect(welcome.every((m) => m.buttons === undefined)).toBe(true);
    expect(welcome.at(-1)!.text).toMatch(/1\. ✅ Tôi đồng ý\n2\. Không đồng ý/);
    await say(u, "1");
    await say(u, "Phan Văn Số");
    await say(u, "04/04/1984");
    const unit = await say(u, {
      event_name: "user_submit_info",
      sender: { id: u },
      recipient: { id: "oa1" },
      info: { phone: "0905000555" },
    });
    expect(unit.at(-1)!.text).toMatch(/\n1\. Phường Mẫu\n/);
    const units = await say(u, "1"); // Phường Mẫu has units under it
    expect(units.at(-1)!.text).toContain("UBND phường Mẫu");
    await say(u, "ubnd phuong mau"); // the choice's words, without diacritics, act as the tap
    const confirm = await say(u, "người dân"); // the audience, by its name
    expect(confirm.at(-1)!.text).toContain("Xác nhận");
    await say(u, "1", 2);
    expect(await server().db.prisma.participant.count({ where: { phone: "+84905000555" } })).toBe(1);
    await say(u, "Thi", 2);
    const attempt = await server().db.prisma.attempt.findFirstOrThrow({ where: { participant: { phone: "+84905000555" } } });
    for (let pos = 0; pos < 10; pos++) {
      const aq = await server().db.prisma.attemptQuestion.findUniqueOrThrow({
        where: { attemptId_position: { attemptId: attempt.id, position: pos } },
        include: { question: true },
      });
      const optionText = aq.question.options[aq.optionOrder[1]!]!;
      const typed = pos % 3 === 0 ? "2" : pos % 3 === 1 ? "b" : optionText.toUpperCase();
      await say(u, typed);
      const after = await server().db.prisma.attemptQuestion.findUniqueOrThrow({ where: { id: aq.id } });
      expect(after.chosen).toBe(aq.optionOrder[1]);
    }
    for (const m of fake.messagesTo(u)) expect(m.buttons).toBeUndefined();
    await say(u, "7");
    const result = await say(u, "1", 2);
    expect(result[0]!.text).toContain("Bạn đã nộp bài");
  });
});

describe("Zalo stop with an event in flight", () => {
  it("finishes an acknowledged event before the server stops", async () => {
    const fake = new FakeZalo();
    await fake.start();
    fake.seed("at-s", "rt-s");
    const running = await zaloServer(fake);
    try {
      fake.delayMs = 400;
      const { signature, raw } = signedEvent(textEvent("s-1", "Xin chào"), APP_ID, OA_KEY);
      const res = await request(running.server)
        .post("/webhooks/zalo")
        .set("Content-Type", "application/json")
        .set("X-ZEvent-Signature", signature)
        .send(raw);
      expect(res.status).toBe(200);
      expect(fake.messagesTo("s-1")).toHaveLength(0);
    } finally {
      await running.destroy();
    }
    expect(fake.messagesTo("s-1").length).toBe(3);
    await fake.stop();
  });
});

describe("Zalo failures in the log", () => {
  it("logs a failed Zalo call without the access token, the app secret, the OA key or the phone", async () => {
    const fake = new FakeZalo("app-secret-value-123");
    await fake.start();
    fake.seed("at-secret-access-token", "rt-secret-refresh-token");
    const captured = capturingLogger(["app-secret-value-123", OA_KEY, "rt-secret-refresh-token"]);
    const running = await startServer(
      {
        ZALO_APP_ID: APP_ID,
        ZALO_APP_SECRET: fake.appSecret,
        ZALO_OA_SECRET_KEY: OA_KEY,
        ZALO_REFRESH_TOKEN: "rt-secret-refresh-token",
        ZALO_API_BASE: fake.base,
        ZALO_OAUTH_BASE: fake.base,
      },
      captured.logger,
    );
    try {
      fake.httpStatus = 500;
      const { signature, raw } = signedEvent(
        { event_name: "user_submit_info", sender: { id: "l-1" }, recipient: { id: "oa1" }, info: { phone: "0905000999" } },
        APP_ID,
        OA_KEY,
      );
      await request(running.server)
        .post("/webhooks/zalo")
        .set("Content-Type", "application/json")
        .set("X-ZEvent-Signature", signature)
        .send(raw);
      await expect.poll(() => captured.lines.join("").includes("reply will be retried"), { timeout: 5_000 }).toBe(true);
      const log = captured.lines.join("");
      for (const secret of [
        "at-1",
        "at-secret-access-token",
        "app-secret-value-123",
        OA_KEY,
        "rt-secret-refresh-token",
        "rt-1",
        "0905000999",
        "905000999",
      ]) {
        expect(log).not.toContain(secret);
      }
    } finally {
      await running.destroy();
      await fake.stop();
    }
  });
});

describe.each(BACKENDS)("Zalo token upkeep on %s", (backend) => {
  it("refreshes in the background before the access token ends, not when it is fresh, and records a dead refresh token", async () => {
    const fake = new FakeZalo();
    await fake.start();
    fake.seed("at-u", "rt-u");
    const db = await freshDatabase(backend);
    try {
      let now = new Date("2026-11-24T00:00:00Z");
      const tokensSeededWith = (refreshToken: string) =>
        new ZaloTokens(
          db.prisma,
          { appId: APP_ID, appSecret: fake.appSecret, oauthBase: fake.base, refreshToken },
          silentLogger,
          () => now,
        );
      const tokens = tokensSeededWith("rt-u");
      await tokens.adoptSeed();
      expect(await tokens.keepFresh()).toBe(true); // no access token yet
      expect(fake.refreshes).toBe(1);
      now = new Date(now.getTime() + 60 * 60_000); // 24 h left
      expect(await tokens.keepFresh()).toBe(false);
      now = new Date(now.getTime() + 22 * 60 * 60_000); // 2 h left: inside the 3 h margin
      expect(await tokens.keepFresh()).toBe(true);
      expect(fake.refreshes).toBe(2);
      expect(await tokens.problem()).toBeNull();
      fake.seed("at-x", "rt-somebody-else"); // the stored refresh token is no longer valid
      now = new Date(now.getTime() + 24 * 60 * 60_000);
      await expect(tokens.keepFresh()).rejects.toThrow(/refresh failed/);
      expect(await tokens.problem()).toMatch(/-14020/);
      // The admin re-authorises: a new ZALO_REFRESH_TOKEN at the next start is adopted.
      const again = tokensSeededWith("rt-somebody-else");
      await again.adoptSeed();
      expect(await again.keepFresh()).toBe(true);
      expect(await again.problem()).toBeNull();
    } finally {
      await db.destroy();
      await fake.stop();
    }
  });
});

describe("Zalo event acknowledged, then the process killed", () => {
  it("is processed after a restart (the durable inbox)", async () => {
    const fake = new FakeZalo();
    await fake.start();
    fake.seed("at-k", "rt-k");
    const dataDir = await mkdtemp(path.join(os.tmpdir(), "cb-kill-"));
    const env = {
      DATA_DIR: dataDir,
      INBOX_LEASE_SECONDS: "1",
      ZALO_APP_ID: APP_ID,
      ZALO_APP_SECRET: fake.appSecret,
      ZALO_OA_SECRET_KEY: OA_KEY,
      ZALO_REFRESH_TOKEN: "rt-k",
      ZALO_API_BASE: fake.base,
      ZALO_OAUTH_BASE: fake.base,
    };
    let server = await spawnServer(env);
    try {
      fake.delayMs = 8_000; // Zalo hangs: the event is recorded and acknowledged, its replies are not out
      const { signature, raw } = signedEvent(textEvent("k-1", "Xin chào"), APP_ID, OA_KEY);
      const res = await fetch(`http://127.0.0.1:${server.port}/webhooks/zalo`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-zevent-signature": signature },
        body: raw,
      });
      expect(res.status).toBe(200);
      await new Promise((r) => setTimeout(r, 300));
      await server.kill();
      expect(fake.messagesTo("k-1")).toHaveLength(0);
      fake.delayMs = 0;
      server = await spawnServer({ ...env, PORT: String(server.port) });
      await expect.poll(() => fake.messagesTo("k-1").length, { timeout: 30_000 }).toBeGreaterThanOrEqual(3);
      expect(fake.messagesTo("k-1")[0]!.text).toContain("Xin chào!");
    } finally {
      await server.stop();
      await fake.stop();
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 150_000);
});
