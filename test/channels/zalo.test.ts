// The Zalo OA channel end to end: signed webhook events built as Zalo documents them, the
// OA API and OAuth played by a fake server on 127.0.0.1.
import request from "supertest";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ZaloClient } from "../../src/channels/zalo/client.js";
import { ZaloTokens } from "../../src/channels/zalo/tokens.js";
import { M } from "../../src/messages/index.js";
import { BACKENDS, freshDatabase } from "../helpers/db.js";
import { FakeZalo, signedEvent } from "../helpers/fake-zalo.js";
import { silentLogger } from "../helpers/logger.js";
import { startServer, type TestServer } from "../helpers/server.js";

const APP_ID = "1234567890";
const OA_KEY = "oa-secret-key";
let msgId = 1;

const textEvent = (user: string, text: string) => ({
  event_name: "user_send_text",
  sender: { id: user },
  recipient: { id: "oa1" },
  message: { msg_id: `msg${msgId++}`, text },
});

describe("Zalo OA channel through the webhook", () => {
  const fake = new FakeZalo();
  let running: TestServer;

  const deliver = (event: Record<string, unknown>, opts: { signature?: string | null; timestamp?: number } = {}) => {
    const { raw, signature } = signedEvent(event, APP_ID, OA_KEY, opts.timestamp);
    const req = request(running.server).post("/webhooks/zalo").set("Content-Type", "application/json");
    const sig = opts.signature === undefined ? signature : opts.signature;
    return (sig === null ? req : req.set("X-ZEvent-Signature", sig)).send(raw);
  };
  /** Sends an event and waits until the bot has answered with at least `atLeast` new messages. */
  const say = async (user: string, event: Record<string, unknown>, atLeast = 1) => {
    const before = fake.messagesTo(user).length;
    expect((await deliver(event)).status).toBe(200);
    await expect.poll(() => fake.messagesTo(user).length, { timeout: 5_000 }).toBeGreaterThanOrEqual(before + atLeast);
    return fake.messagesTo(user).slice(before);
  };

  beforeAll(async () => {
    await fake.start();
    fake.seed("at-initial", "rt-initial");
    running = await startServer({
      ZALO_APP_ID: APP_ID,
      ZALO_APP_SECRET: fake.appSecret,
      ZALO_OA_SECRET_KEY: OA_KEY,
      ZALO_REFRESH_TOKEN: "rt-initial",
      ZALO_API_BASE: fake.base,
      ZALO_OAUTH_BASE: fake.base,
      ZALO_OA_ID: "4321",
      TELEGRAM_BOT_USERNAME: "cuocthi_bot",
    });
  });
  afterAll(async () => {
    await running?.destroy();
    await fake.stop();
  });
  beforeEach(() => {
    fake.calls.length = 0;
  });

  it("rejects missing and wrong signatures with 401, acknowledges a stale signed event with 200, and processes none", async () => {
    expect((await deliver(textEvent("z0", "/start"), { signature: null })).status).toBe(401);
    expect((await deliver(textEvent("z0", "/start"), { signature: `mac=${"0".repeat(64)}` })).status).toBe(401);
    expect((await deliver(textEvent("z0", "/start"), { timestamp: Date.now() - 10 * 60_000 })).status).toBe(200);
    await new Promise((r) => setTimeout(r, 200));
    expect(fake.calls).toHaveLength(0);
    expect(await running.db.prisma.platformAccount.count({ where: { platform: "ZALO" } })).toBe(0);
  });

  it("registers with a unit code and the shared-info form, then takes an attempt with taps and typed letters", async () => {
    const u = "zu1";
    const welcome = await say(u, textEvent(u, "#tdp05"), 3);
    expect(welcome.map((m) => m.text).join("\n")).toContain("Tổ dân phố số 5");
    expect(welcome.at(-1)!.buttons).toEqual(["#b:c:y", "#b:c:n"]);
    expect((await say(u, textEvent(u, "#b:c:y")))[0]!.text).toBe(M.askName);
    await say(u, textEvent(u, "đặng văn nam"));
    const form = await say(u, textEvent(u, "12/12/1988"));
    expect(form[0]!.template).toBe("request_user_info");
    const next = await say(u, {
      event_name: "user_submit_info",
      sender: { id: u },
      recipient: { id: "oa1" },
      info: { name: "Nam", phone: "0903123456" },
    });
    expect(next.at(-1)!.buttons).toEqual(["#b:au:CBCC", "#b:au:DAN"]);
    await say(u, textEvent(u, "#b:au:DAN"));
    await say(u, textEvent(u, "#b:cf:ok"), 2);
    const participant = await running.db.prisma.participant.findFirstOrThrow({ where: { phone: "+84903123456" }, include: { unit: true } });
    expect(participant).toMatchObject({ fullName: "Đặng Văn Nam" });
    expect(participant.unit?.code).toBe("TDP05");

    const first = await say(u, textEvent(u, "/thi"), 2);
    expect(first.at(-1)!.text).toMatch(/^Câu 1\/10/);
    expect(first.at(-1)!.buttons?.[0]).toMatch(/^#b:a:[0-9a-f-]{36}:0:0$/);
    for (let pos = 0; pos < 10; pos++) {
      const reply = await say(u, pos % 2 === 0 ? textEvent(u, "b") : textEvent(u, fake.messagesTo(u).at(-1)!.buttons![2]!));
      if (pos < 9) expect(reply.at(-1)!.text).toMatch(new RegExp(`^Câu ${pos + 2}/10`));
    }
    await say(u, textEvent(u, "15"));
    const result = await say(u, textEvent(u, "#b:p:ok"), 2);
    expect(result[0]!.text).toContain("Bạn đã nộp bài");
    const attempt = await running.db.prisma.attempt.findFirstOrThrow({
      where: { participantId: participant.id },
      include: { questions: true },
    });
    expect(attempt.status).toBe("SUBMITTED");
    expect(attempt.questions.every((q) => q.chosen !== null)).toBe(true);
  });

  it("ignores a redelivered event", async () => {
    const event = textEvent("zu2", "/start");
    await say("zu2", event, 3);
    const count = fake.calls.length;
    expect((await deliver(event)).status).toBe(200);
    await new Promise((r) => setTimeout(r, 300));
    expect(fake.calls).toHaveLength(count);
  });

  it("refreshes an expired token once, retries the request and persists the rotated refresh token", async () => {
    fake.expireAccessToken();
    const refreshesBefore = fake.refreshes;
    await say("zu3", textEvent("zu3", "/start"), 3);
    expect(fake.refreshes).toBe(refreshesBefore + 1);
    const rejected = fake.calls.filter((c) => c.token !== fake.calls.at(-1)!.token);
    expect(rejected).toHaveLength(1); // the one request that met the expired token, then retried
    const state = await running.db.prisma.zaloState.findUniqueOrThrow({ where: { id: "oa" } });
    expect(state.refreshToken).toBe(fake.currentRefreshToken);
  });

  it("records a recipient outside the messaging window", async () => {
    fake.failNext(-230, "User has not interacted with the OA in the past 7 days");
    expect((await deliver(textEvent("zu4", "/start"))).status).toBe(200);
    await expect
      .poll(
        async () =>
          (await running.db.prisma.platformAccount.findFirst({ where: { platform: "ZALO", externalId: "zu4" } }))?.unreachableReason,
        { timeout: 5_000 },
      )
      .toContain("-230");
  });

  it("sends one refused message again as a numbered list, records it, and keeps buttons for the next", async () => {
    const before = (await running.db.prisma.zaloState.findUniqueOrThrow({ where: { id: "oa" } })).buttonFallbacks;
    fake.failNext(-201, "message is invalid", (body) => Boolean((body.message as { attachment?: unknown }).attachment));
    // welcome, rules, the refused consent with buttons, then the same consent as a numbered list
    const welcome = await say("zu5", textEvent("zu5", "Xin chào"), 4);
    expect(welcome[2]!.buttons).toHaveLength(2);
    expect(welcome[3]!.text).toMatch(/1\. .*Tôi đồng ý\n2\. Không đồng ý/);
    const state = await running.db.prisma.zaloState.findUniqueOrThrow({ where: { id: "oa" } });
    expect(state.buttonFallbacks).toBe(before + 1);
    expect(state.buttonFallbackAt).not.toBeNull();
    expect((await say("zu5", textEvent("zu5", "1")))[0]!.text).toBe(M.askName);
    await say("zu5", textEvent("zu5", "Lý Thị Mai"));
    await say("zu5", textEvent("zu5", "02/02/1992"));
    const unit = await say("zu5", textEvent("zu5", "0904000555"));
    expect(unit.at(-1)!.buttons?.length).toBeGreaterThan(0); // buttons again: the fallback was for one message
  });

  it("serves a unit landing page with the code to send and both links", async () => {
    const page = await request(running.server).get("/u/tdp05");
    expect(page.status).toBe(200);
    expect(page.text).toContain("Tổ dân phố số 5");
    expect(page.text).toContain("#TDP05");
    expect(page.text).toContain("https://zalo.me/4321");
    expect(page.text).toContain("https://t.me/cuocthi_bot?start=TDP05");
    expect((await request(running.server).get("/u/nope")).status).toBe(404);
  });
});

describe.each(BACKENDS)("Zalo token refresh on %s", (backend) => {
  it("refreshes once when several instances find the token expired at the same moment", async () => {
    const fake = new FakeZalo();
    await fake.start();
    fake.seed("at-old", "rt-seed");
    const db = await freshDatabase(backend);
    try {
      await db.prisma.zaloState.create({
        data: { id: "oa", accessToken: "at-old", refreshToken: "rt-seed", expiresAt: new Date(Date.now() - 1000) },
      });
      const config = { appId: APP_ID, appSecret: fake.appSecret, oauthBase: fake.base };
      const instances = Array.from({ length: 4 }, () => new ZaloTokens(db.prisma, config, silentLogger));
      const tokens = await Promise.all(instances.map((t) => t.accessToken()));
      expect(fake.refreshes).toBe(1);
      expect(new Set(tokens)).toEqual(new Set(["at-1"]));
      expect((await db.prisma.zaloState.findUniqueOrThrow({ where: { id: "oa" } })).refreshToken).toBe("rt-1");
      // The client reads a profile with the refreshed token (GET with the data= query form).
      const client = new ZaloClient(fake.base, instances[0]!, silentLogger);
      expect(await client.profile("zp-1")).toMatchObject({ user_id: "zp-1", display_name: "Người dùng Zalo" });
    } finally {
      await db.destroy();
      await fake.stop();
    }
  });
});
