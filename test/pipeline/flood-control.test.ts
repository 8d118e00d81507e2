// The three flood-control scenarios of a flaky Bot API: while Telegram answers 429 with a
// retry_after, the person's message is applied once (Telegram's redelivery of the same update
// is a no-op), the reply waits in the outbox and goes out after retry_after, and the person
// sees the next step. On the embedded defaults and on PostgreSQL + Redis.
import request from "supertest";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { M } from "../../src/messages/index.js";
import { BACKENDS } from "../helpers/db.js";
import { FakeTelegram } from "../helpers/fake-telegram.js";
import { backendEnv, startServer, type TestServer } from "../helpers/server.js";
import { callbackUpdate, textUpdate, upToUnit } from "../helpers/telegram-updates.js";

const SECRET = "flood_secret";
const flood = { error_code: 429, description: "Too Many Requests: retry after 1", parameters: { retry_after: 1 } };

describe.each(BACKENDS)("flood control on %s", (backend) => {
  const fake = new FakeTelegram();
  let running: TestServer;
  let drop: () => Promise<void>;
  const postOnly = (update: object) =>
    request(running.server).post("/webhooks/telegram").set("X-Telegram-Bot-Api-Secret-Token", SECRET).send(update);
  const post = async (update: object) => {
    expect((await postOnly(update)).status).toBe(200);
    await running.settled();
  };
  /** The update posted while Telegram floods, then redelivered as Telegram would: both acknowledged at once. */
  const duringFlood = async (update: object) => {
    const started = Date.now();
    expect((await postOnly(update)).status).toBe(200);
    expect((await postOnly(update)).status).toBe(200);
    expect(Date.now() - started).toBeLessThan(5_000);
    await running.settled();
    // Telegram refused a call, and nothing went out again before its retry_after had passed.
    const refused = fake.calls.find((c) => c.result === undefined);
    expect(refused).toBeDefined();
    const next = fake.calls.find((c) => c.result !== undefined && c.at > refused!.at && c.method !== "answerCallbackQuery");
    expect(next!.at - refused!.at).toBeGreaterThanOrEqual(900);
  };
  const deliveredTexts = () => [...fake.delivered(), ...fake.delivered("editMessageText")].map((c) => String(c.payload.text));

  beforeAll(async () => {
    await fake.start();
    const backendSettings = await backendEnv(backend);
    drop = backendSettings.drop;
    running = await startServer({
      ...backendSettings.env,
      TELEGRAM_BOT_TOKEN: "777:FLOOD",
      TELEGRAM_WEBHOOK_SECRET: SECRET,
      TELEGRAM_API_ROOT: fake.apiRoot,
    });
  });
  afterAll(async () => {
    await running?.destroy();
    await drop?.();
    await fake.stop();
  });
  beforeEach(() => fake.clear());

  async function inAttempt(id: number, phone: string): Promise<string> {
    for (const u of upToUnit(id, "Đỗ Văn Lũ", "02/02/1982", phone)) await post(u);
    for (const data of ["us:TDP01", "au:DAN", "cf:ok"]) await post(callbackUpdate(id, data));
    await post(textUpdate(id, "/thi"));
    const attempt = await running.db.prisma.attempt.findFirstOrThrow({ where: { participant: { phone: `+84${phone.slice(1)}` } } });
    fake.clear();
    return attempt.id;
  }
  const answered = (attemptId: string) => running.db.prisma.attemptQuestion.findMany({ where: { attemptId, chosen: { not: null } } });

  it("a typed «A» during flood control answers question 1 only, and question 2 is shown", async () => {
    const attemptId = await inAttempt(9101, "0916000101");
    fake.failNext("editMessageText", flood);
    fake.failNext("sendMessage", flood);
    await duringFlood(textUpdate(9101, "A"));
    const rows = await answered(attemptId);
    expect(rows.map((r) => r.position)).toEqual([0]);
    expect(fake.sent("editMessageText").length + fake.sent().length).toBeGreaterThan(1); // refused, then sent
    expect(deliveredTexts().filter((t) => t.startsWith("Câu 2/10"))).toHaveLength(1);
    expect(deliveredTexts().filter((t) => t.startsWith("Câu 3/10"))).toHaveLength(0);
  });

  it("a tapped answer during flood control is stored once and question 2 is shown, not a stale-button notice", async () => {
    const attemptId = await inAttempt(9102, "0916000102");
    fake.failNext("editMessageText", flood);
    fake.failNext("sendMessage", flood);
    await duringFlood(callbackUpdate(9102, `a:${attemptId}:0:1`));
    expect((await answered(attemptId)).map((r) => r.position)).toEqual([0]);
    expect(deliveredTexts().filter((t) => t.startsWith("Câu 2/10"))).toHaveLength(1);
    const notices = fake.delivered("answerCallbackQuery").map((c) => c.payload.text);
    expect(notices).not.toContain(M.staleButton);
  });

  it("a name sent during flood control is kept and the birth date is asked next", async () => {
    const id = 9103;
    for (const u of upToUnit(id, "x", "x", "x").slice(0, 2)) await post(u);
    fake.clear();
    fake.failNext("sendMessage", flood);
    await duringFlood(textUpdate(id, "Lý Thị Mưa"));
    expect(deliveredTexts()).toEqual([M.askBirth]);
    fake.clear();
    await post(textUpdate(id, "09/09/1990"));
    expect(deliveredTexts()).not.toContain(M.birthFormat);
    const asked = fake.delivered().at(-1)!.payload as { reply_markup?: { keyboard?: { request_contact?: boolean }[][] } };
    expect(asked.reply_markup?.keyboard?.[0]?.[0]?.request_contact).toBe(true);
  });
});
