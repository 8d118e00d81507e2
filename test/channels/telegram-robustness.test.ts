// The Telegram webhook under bad input and a failing Bot API: odd update shapes and forged
// callback data never produce a 5xx, an outage never kills the process or leaves an unhandled
// rejection, a wrong secret is answered at once, and failures leave no personal data or bot
// token in the log.
// Long on purpose: the scenarios share one server and fake Bot API (start-up is the costly part).
import request from "supertest";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { FakeTelegram } from "../helpers/fake-telegram.js";
import { capturingLogger } from "../helpers/logger.js";
import { startServer, type TestServer } from "../helpers/server.js";
import { callbackUpdate, tgChat as chat, contactUpdate, textUpdate, upToUnit, tgUser as user } from "../helpers/telegram-updates.js";

/** Ids for the hand-made update kinds of the fuzz corpus (the helpers number their own). */
let updateId = 50_000;

const SECRET = "robust_secret-42";
const TOKEN = "424242:SECRET-bot-token-value";
/** mulberry32: a small seeded generator so the fuzz corpus is the same on every run. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe("Telegram webhook robustness", () => {
  const fake = new FakeTelegram();
  let running: TestServer;
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => void unhandled.push(reason);
  const postOnly = (update: unknown) =>
    request(running.server)
      .post("/webhooks/telegram")
      .set("X-Telegram-Bot-Api-Secret-Token", SECRET)
      .send(update as object);
  /** Posts an update and waits until the pipeline is idle again. */
  const post = async (update: unknown) => {
    const res = await postOnly(update);
    await running.settled();
    return res;
  };
  const captured = capturingLogger([TOKEN, SECRET]);

  beforeAll(async () => {
    process.on("unhandledRejection", onUnhandled);
    await fake.start();
    running = await startServer(
      { TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_WEBHOOK_SECRET: SECRET, TELEGRAM_API_ROOT: fake.apiRoot },
      captured.logger,
    );
  });
  afterAll(async () => {
    process.off("unhandledRejection", onUnhandled);
    await running?.destroy();
    await fake.stop();
  });
  beforeEach(() => {
    fake.clear();
    fake.outage = undefined;
    fake.delayMs = 0;
  });
  afterEach(() => expect(unhandled).toEqual([]));

  async function registerUser(id: number, phone: string): Promise<void> {
    for (const u of upToUnit(id, "Lê Văn Tám", "07/08/1985", phone)) {
      expect((await post(u)).status).toBe(200);
    }
    expect((await post(callbackUpdate(id, "us:TDP01"))).status).toBe(200);
    expect((await post(callbackUpdate(id, "au:DAN"))).status).toBe(200);
    expect((await post(callbackUpdate(id, "cf:ok"))).status).toBe(200);
    expect(await running.db.prisma.participant.count({ where: { phone: `+84${phone.slice(1)}` } })).toBe(1);
  }

  it("answers odd shapes with 200 (or 400 for a body that is not JSON) and forged buttons with a stale notice", async () => {
    await registerUser(7001, "0913777001");
    for (const text of [{ a: 1 }, 42, ["x"], null]) expect((await post(textUpdate(7001, text))).status).toBe(200);
    for (const data of ["rv:abc", "rv:99999999999", "rv:1 OR 1=1", "a:x:y:z", "cf:e:__proto__", "u:../../x", "", "x".repeat(300)]) {
      fake.clear();
      expect((await post(callbackUpdate(7001, data))).status).toBe(200);
      const answers = fake.sent("answerCallbackQuery");
      expect(answers).toHaveLength(1);
    }
    const raw = (type: string, body: string) =>
      request(running.server)
        .post("/webhooks/telegram")
        .set("X-Telegram-Bot-Api-Secret-Token", SECRET)
        .set("content-type", type)
        .send(body);
    expect((await raw("text/plain", "update_id=1")).status).toBe(400);
    expect((await raw("application/json", "{")).status).toBe(400);
  });

  it("keeps a 4,096-character answer at the unit step within Telegram's limit", async () => {
    const id = 7002;
    for (const u of upToUnit(id, "Lê Văn Tám", "07/08/1985", "0913777002")) await post(u);
    fake.clear();
    expect((await post(textUpdate(id, "ư".repeat(4096)))).status).toBe(200);
    const texts = fake.sent().map((c) => String(c.payload.text));
    expect(texts.length).toBeGreaterThan(0);
    for (const t of texts) expect([...t].length).toBeLessThanOrEqual(4096);
  });

  it("survives thousands of mutated and random updates without a 5xx", async () => {
    const next = random(20261123);
    const pick = <T>(xs: T[]): T => xs[Math.floor(next() * xs.length)]!;
    const junk = (): unknown =>
      pick<() => unknown>([
        () => null,
        () => Math.floor(next() * 2 ** 40) - 2 ** 39,
        () => next() > 0.5,
        () => "x".repeat(Math.floor(next() * 5000)),
        () => ({ nested: { deeper: [1, "2"] } }),
        () => [null, {}, "a"],
        () => `/start ${"Z".repeat(Math.floor(next() * 80))}`,
        () => pick(["c:y", "cf:ok", "m:thi", "rv:1", "a:00000000-0000-0000-0000-000000000000:0:0", "us:TDP01", "up:_:999"]),
      ])();
    const templates = [
      () =>
        textUpdate(
          8000 + Math.floor(next() * 20),
          pick(["/start", "/thi", "/ketqua", "/hoso", "/huongdan", "Xin chào", "A", "12", "01/01/2000", "Tổ 1"]),
        ),
      () =>
        callbackUpdate(
          8000 + Math.floor(next() * 20),
          pick(["c:y", "c:n", "cf:ok", "m:thi", "m:kq", "m:hs", "m:hd", "us:TDP01", "au:DAN", "p:ok", "rv:1", "up:_:1"]),
        ),
      () => contactUpdate(8000 + Math.floor(next() * 20), pick(["0913000000", "+84913000001", "abc", ""])),
      () => ({
        update_id: updateId++,
        my_chat_member: {
          chat: chat(8001),
          from: user(8001),
          date: 1,
          old_chat_member: {},
          new_chat_member: { status: pick(["kicked", "member"]) },
        },
      }),
      () => ({
        update_id: updateId++,
        message: {
          message_id: 1,
          date: 1,
          chat: { id: -100, type: "supergroup", title: "Nhóm" },
          from: user(8002),
          text: pick(["/start", "/donvi KP1", "@cuocthi_test_bot"]),
        },
      }),
    ];
    /** Replaces, removes or retypes one field somewhere in the update. */
    const mutate = (value: unknown, depth = 0): unknown => {
      if (typeof value !== "object" || value === null || depth > 3) return junk();
      const copy: Record<string, unknown> = Array.isArray(value) ? ([...value] as unknown as Record<string, unknown>) : { ...value };
      const keys = Object.keys(copy);
      const key = pick(keys.length ? keys : ["extra"]);
      const roll = next();
      if (roll < 0.2) delete copy[key];
      else if (roll < 0.6) copy[key] = mutate(copy[key], depth + 1);
      else copy[key] = junk();
      return copy;
    };
    const statuses = new Map<number, number>();
    for (let i = 0; i < 2_400; i++) {
      const base = pick(templates)();
      const update = i % 4 === 0 ? base : mutate(base);
      const res = await post(update);
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      if (res.status >= 500) throw new Error(`5xx for ${JSON.stringify(update).slice(0, 300)}`);
    }
    expect(statuses.get(200)).toBeGreaterThan(1_000);
    expect((await request(running.server).get("/healthz")).status).toBe(200);
  }, 240_000);

  it("acknowledges at once through a Bot API outage and sends the reply, once, when it is over", async () => {
    await registerUser(7003, "0913777003");
    fake.clear();
    fake.outage = { error_code: 500, description: "Internal Server Error" };
    const during = await postOnly(textUpdate(7003, "/huongdan"));
    expect(during.status).toBe(200);
    const started = Date.now();
    const wrong = await request(running.server)
      .post("/webhooks/telegram")
      .set("X-Telegram-Bot-Api-Secret-Token", "nope")
      .send(textUpdate(7003, "/thi"));
    expect(wrong.status).toBe(401);
    expect(Date.now() - started).toBeLessThan(2_000);
    expect((await request(running.server).get("/healthz")).status).toBe(200);
    await expect.poll(() => fake.calls.length, { timeout: 5_000 }).toBeGreaterThan(1); // tried and failed
    expect(fake.delivered()).toHaveLength(0);
    fake.outage = undefined;
    await running.settled();
    // Each message of the reply once, in order: the same as the reply without an outage.
    const afterOutage = fake.delivered().map((c) => c.payload.text);
    fake.clear();
    await post(textUpdate(7003, "/huongdan"));
    expect(afterOutage).toEqual(fake.delivered().map((c) => c.payload.text));
    expect(afterOutage.length).toBeGreaterThan(0);
  });

  it("writes no phone, birth date, name or bot token to the log on failure paths", async () => {
    const from = captured.lines.length;
    fake.outage = { error_code: 500, description: "Internal Server Error" };
    const id = 7004;
    for (const u of upToUnit(id, "Phạm Thị Riêng Tư", "29/02/1964", "0913777004")) {
      expect((await postOnly(u)).status).toBe(200);
    }
    await expect.poll(() => captured.lines.slice(from).join(""), { timeout: 5_000 }).toContain("reply will be retried");
    fake.outage = undefined;
    await running.settled();
    const log = captured.lines.slice(from).join("");
    for (const secret of [
      "0913777004",
      "913777004",
      "84913777004",
      "29/02/1964",
      "1964-02-29",
      "Riêng Tư",
      "Dùng 7004", // the Telegram profile name
      TOKEN,
      "SECRET-bot-token-value",
      SECRET,
    ]) {
      expect(log).not.toContain(secret);
    }
  });
});
