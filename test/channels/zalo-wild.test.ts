// Zalo as it behaves in the wild, against the fake OA: no slash commands, the user-info form
// refused, button-less mode, long broadcasts, billing errors, token upkeep and a stop with an
// event in flight.
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createToken } from "../../src/admin/tokens.js";
import { ZaloTokens } from "../../src/channels/zalo/tokens.js";
import { M } from "../../src/messages/index.js";
import { actor, register } from "../helpers/contest.js";
import { BACKENDS, freshDatabase } from "../helpers/db.js";
import { FakeZalo, signedEvent } from "../helpers/fake-zalo.js";
import { capturingLogger, silentLogger } from "../helpers/logger.js";
import { startServer, type TestServer } from "../helpers/server.js";

const APP_ID = "1234567890";
const OA_KEY = "oa-secret-key";
let msgId = 1;
const textEvent = (user: string, text: string) => ({
  event_name: "user_send_text",
  sender: { id: user },
  recipient: { id: "oa1" },
  message: { msg_id: `wild${msgId++}`, text },
});
const isForm = (body: Record<string, unknown>) =>
  (body.message as { attachment?: { payload?: { template_type?: string } } }).attachment?.payload?.template_type === "request_user_info";

async function zaloServer(fake: FakeZalo, env: Record<string, string> = {}): Promise<TestServer> {
  return startServer({
    ZALO_APP_ID: APP_ID,
    ZALO_APP_SECRET: fake.appSecret,
    ZALO_OA_SECRET_KEY: OA_KEY,
    ZALO_REFRESH_TOKEN: fake.currentRefreshToken,
    ZALO_API_BASE: fake.base,
    ZALO_OAUTH_BASE: fake.base,
    ...env,
  });
}

function chat(fake: FakeZalo, server: () => TestServer) {
  const deliver = (event: Record<string, unknown>) => {
    const { raw, signature } = signedEvent(event, APP_ID, OA_KEY);
    return request(server().server)
      .post("/webhooks/zalo")
      .set("Content-Type", "application/json")
      .set("X-ZEvent-Signature", signature)
      .send(raw);
  };
  /** Sends an event and waits for at least `atLeast` new messages to the user. */
  const say = async (user: string, text: string | Record<string, unknown>, atLeast = 1) => {
    const before = fake.messagesTo(user).length;
    expect((await deliver(typeof text === "string" ? textEvent(user, text) : text)).status).toBe(200);
    await expect.poll(() => fake.messagesTo(user).length, { timeout: 5_000 }).toBeGreaterThanOrEqual(before + atLeast);
    return fake.messagesTo(user).slice(before);
  };
  return { deliver, say };
}

describe("Zalo in the wild (buttons auto)", () => {
  const fake = new FakeZalo();
  let running: TestServer;
  const { say } = chat(fake, () => running);

  beforeAll(async () => {
    await fake.start();
    fake.seed("at-w", "rt-w");
    running = await zaloServer(fake);
  });
  afterAll(async () => {
    await running?.destroy();
    await fake.stop();
  });

  it("welcomes a first «Xin chào», understands words for commands, and never mentions a slash command", async () => {
    const u = "w-words";
    const welcome = await say(u, "Xin chào", 3);
    expect(welcome.at(-1)!.buttons).toEqual(["#b:c:y", "#b:c:n"]);
    expect((await say(u, "toi dong y"))[0]!.text).toBe(M.askName); // a choice's words act as the tap
    await say(u, "Hồ Thị Hoa");
    await say(u, "09/09/1999");
    await say(u, {
      event_name: "user_submit_info",
      sender: { id: u },
      recipient: { id: "oa1" },
      info: { name: "Hoa", phone: "0905000111" },
    });
    await say(u, "#b:us:TDP01");
    await say(u, "#b:au:DAN");
    await say(u, "#b:cf:ok", 2);
    expect((await say(u, "ket qua", 2))[0]!.text).toBe(M.myResults([]));
    expect((await say(u, "Hướng dẫn", 2))[0]!.text).toContain("«Thi»");
    for (const m of fake.messagesTo(u)) expect(m.text ?? "").not.toMatch(/\/(start|thi|ketqua|hoso|huongdan)\b/);
  });

  it("takes a typed phone when the form is refused, marks it unverified, and never links it to a Telegram participant", async () => {
    await register(running.engine, actor("TELEGRAM", "tg-owner"), { phone: "0905000222", name: "Chủ Số Thật" });
    const u = "w-typed";
    await say(u, "Bắt đầu", 3);
    await say(u, "#b:c:y");
    await say(u, "Người Gõ Tay");
    fake.failNext(-201, "template is not supported", isForm);
    const asked = await say(u, "01/01/1980", 2);
    expect(asked.at(-1)!.text).toBe(M.askPhoneTyped); // no button to press that is not there
    expect((await say(u, "0905 000 222"))[0]!.text).toBe(M.phoneTakenUnverified);
    const owner = await running.db.prisma.participant.findFirstOrThrow({ where: { phone: "+84905000222" } });
    expect(owner.fullName).toBe("Chủ Số Thật");
    expect((await running.db.prisma.platformAccount.findFirstOrThrow({ where: { externalId: u } })).phone).toBeNull();
    await say(u, "0905 000 333");
    await say(u, "#b:us:TDP01");
    await say(u, "#b:au:DAN");
    await say(u, "#b:cf:ok", 2);
    const typed = await running.db.prisma.participant.findFirstOrThrow({ where: { phone: "+84905000333" } });
    expect(typed.phoneVerified).toBe(false);
    // The verified owner of that number arrives on Telegram: two people, never merged.
    const tg = actor("TELEGRAM", "tg-333");
    await register(running.engine, tg, { phone: "0905000333", name: "Chủ Thật Của Số" });
    const people = await running.db.prisma.participant.findMany({
      where: { phone: { startsWith: "+84905000333" } },
      orderBy: { registeredAt: "asc" },
    });
    expect(people.map((p) => [p.fullName, p.phoneVerified])).toEqual([
      ["Người Gõ Tay", false],
      ["Chủ Thật Của Số", true],
    ]);
    expect(people[1]!.phone).toBe("+84905000333");
    const zaloAccount = await running.db.prisma.platformAccount.findFirstOrThrow({ where: { externalId: u } });
    expect(zaloAccount.phone).toBe(people[0]!.phone); // still the typed registration's own person
    expect((await say(u, "hồ sơ"))[0]!.text).toContain("Người Gõ Tay");
  });

  it("splits a 5,000-character broadcast into ordered parts, and a billing error pauses the campaign", async () => {
    const u = "w-long";
    await say(u, "Bắt đầu", 3);
    await say(u, "#b:c:y");
    await say(u, "Đọc Thư Dài");
    await say(u, "03/03/1983");
    await say(u, { event_name: "user_submit_info", sender: { id: u }, recipient: { id: "oa1" }, info: { phone: "0905000444" } });
    await say(u, "#b:us:TDP01");
    await say(u, "#b:au:DAN");
    await say(u, "#b:cf:ok", 2);
    const { token } = await createToken(running.db.prisma, { name: "BTC", role: "ORGANIZER" });
    const paragraphs = Array.from(
      { length: 25 },
      (_, i) => `Đoạn ${String(i + 1).padStart(2, "0")}: ${"thông tin cuộc thi ".repeat(10).trim()}.`,
    );
    const text = paragraphs.join("\n\n");
    expect([...text].length).toBeGreaterThan(5_000);
    const before = fake.messagesTo(u).length;
    const created = await request(running.server)
      .post("/api/admin/campaigns")
      .set("authorization", `Bearer ${token}`)
      .send({ name: "Thư dài", text, audience: { kind: "unit", unitCode: "PHUONG", platform: "ZALO" } });
    expect(created.status).toBe(201);
    await expect
      .poll(
        () =>
          fake
            .messagesTo(u)
            .slice(before)
            .map((m) => m.text)
            .join("\n\n"),
        { timeout: 10_000 },
      )
      .toBe(text);
    const parts = fake.messagesTo(u).slice(before);
    expect(parts.length).toBe(3);
    for (const p of parts) expect([...(p.text ?? "")].length).toBeLessThanOrEqual(2_000);

    // The long broadcast also reached the other Zalo people: let it finish before Zalo runs dry.
    const first = () => request(running.server).get(`/api/admin/campaigns/${created.body.id}`).set("authorization", `Bearer ${token}`);
    await expect.poll(async () => (await first()).body.status, { timeout: 10_000 }).toBe("DONE");
    fake.failNext(-321, "Zalo Cloud Account is out of money");
    const billed = await request(running.server)
      .post("/api/admin/campaigns")
      .set("authorization", `Bearer ${token}`)
      .send({ name: "Nhắc", text: "Nhắc thi", audience: { kind: "unit", unitCode: "PHUONG", platform: "ZALO" } });
    const progress = () => request(running.server).get(`/api/admin/campaigns/${billed.body.id}`).set("authorization", `Bearer ${token}`);
    await expect.poll(async () => (await progress()).body.status, { timeout: 10_000 }).toBe("PAUSED");
    const paused = (await progress()).body;
    expect(paused.pausedReason).toContain("billing");
    expect(paused.pending).toBe(paused.total);
    const status = await request(running.server).get("/api/admin/zalo").set("authorization", `Bearer ${token}`);
    expect(status.body).toMatchObject({ buttons: "auto", token: { problem: null } });
  });
});

describe("Zalo with ZALO_BUTTONS=off", () => {
  const fake = new FakeZalo();
  let running: TestServer;
  const { say } = chat(fake, () => running);

  beforeAll(async () => {
    await fake.start();
    fake.seed("at-o", "rt-o");
    running = await zaloServer(fake, { ZALO_BUTTONS: "off" });
  });
  afterAll(async () => {
    await running?.destroy();
    await fake.stop();
  });

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
    expect(await running.db.prisma.participant.count({ where: { phone: "+84905000555" } })).toBe(1);
    await say(u, "Thi", 2);
    const attempt = await running.db.prisma.attempt.findFirstOrThrow({ where: { participant: { phone: "+84905000555" } } });
    for (let pos = 0; pos < 10; pos++) {
      const aq = await running.db.prisma.attemptQuestion.findUniqueOrThrow({
        where: { attemptId_position: { attemptId: attempt.id, position: pos } },
        include: { question: true },
      });
      const optionText = aq.question.options[aq.optionOrder[1]!]!;
      const typed = pos % 3 === 0 ? "2" : pos % 3 === 1 ? "b" : optionText.toUpperCase();
      await say(u, typed);
      const after = await running.db.prisma.attemptQuestion.findUniqueOrThrow({ where: { id: aq.id } });
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
      await expect.poll(() => captured.lines.join("").includes("Zalo event failed"), { timeout: 5_000 }).toBe(true);
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
      const tokens = new ZaloTokens(
        db.prisma,
        { appId: APP_ID, appSecret: fake.appSecret, oauthBase: fake.base, refreshToken: "rt-u" },
        silentLogger,
        () => now,
      );
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
      const again = new ZaloTokens(
        db.prisma,
        { appId: APP_ID, appSecret: fake.appSecret, oauthBase: fake.base, refreshToken: "rt-somebody-else" },
        silentLogger,
        () => now,
      );
      await again.adoptSeed();
      expect(await again.keepFresh()).toBe(true);
      expect(await again.problem()).toBeNull();
    } finally {
      await db.destroy();
      await fake.stop();
    }
  });
});
