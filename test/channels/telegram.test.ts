// The Telegram channel end to end: real update JSON posted to the webhook endpoint, grammY
// pointed at a fake Bot API server on 127.0.0.1.
// Long on purpose: the scenarios share one server and fake Bot API (start-up is the costly part).
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import request from "supertest";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { M } from "../../src/messages/index.js";
import { FakeTelegram } from "../helpers/fake-telegram.js";
import { startServer, type TestServer } from "../helpers/server.js";
import { callbackUpdate, contactUpdate, textUpdate } from "../helpers/telegram-updates.js";

const SECRET = "test_secret-123";
const ORGANIZER = 9000;
describe("Telegram channel through the webhook", () => {
  const fake = new FakeTelegram();
  let running: TestServer;
  /** Posts an update and waits until the pipeline has applied it and sent its replies. */
  const post = async (update: object, secret: string | null = SECRET) => {
    const req = request(running.server).post("/webhooks/telegram");
    const res = await (secret ? req.set("X-Telegram-Bot-Api-Secret-Token", secret) : req).send(update);
    await running.settled();
    return res;
  };
  const lastSent = () => fake.sent().at(-1)!.payload as { text: string; reply_markup?: Record<string, unknown> };

  beforeAll(async () => {
    await fake.start();
    running = await startServer({
      TELEGRAM_BOT_TOKEN: "123456:TEST",
      TELEGRAM_WEBHOOK_SECRET: SECRET,
      TELEGRAM_API_ROOT: fake.apiRoot,
      TELEGRAM_ORGANIZER_IDS: String(ORGANIZER),
    });
  });
  afterAll(async () => {
    await running?.destroy();
    await fake.stop();
  });
  beforeEach(() => fake.clear());

  it("rejects a wrong or missing secret token with 401 and does nothing", async () => {
    expect((await post(textUpdate(1, "/start"), "wrong")).status).toBe(401);
    expect((await post(textUpdate(1, "/start"), null)).status).toBe(401);
    expect(fake.sent()).toHaveLength(0);
    expect(await running.db.prisma.platformAccount.count({ where: { platform: "TELEGRAM", externalId: "1" } })).toBe(0);
  });

  it("registers from a unit deep link with the own shared contact and takes a whole attempt", async () => {
    const u = 5001;
    expect((await post(textUpdate(u, "/start TDP05"))).status).toBe(200);
    expect(
      fake
        .sent()
        .map((c) => c.payload.text)
        .join("\n"),
    ).toContain("Tổ dân phố số 5");
    await post(callbackUpdate(u, "c:y"));
    expect(fake.sent("answerCallbackQuery")).toHaveLength(1);
    await post(textUpdate(u, "Nguyễn Thị Lan"));
    await post(textUpdate(u, "05/03/1990"));
    expect(lastSent().reply_markup).toMatchObject({ keyboard: [[{ request_contact: true }]] });
    await post(contactUpdate(u, "+84 912 555 666", 4242));
    expect(lastSent().text).toBe(M.contactNotOwn);
    expect(lastSent().reply_markup).toMatchObject({ keyboard: [[{ request_contact: true }]] });
    expect(fake.sent().some((c) => c.payload.text === M.contactReceived)).toBe(false);
    fake.clear();
    await post(contactUpdate(u, "84912555666", u));
    const afterContact = fake.sent().map((c) => c.payload);
    expect(afterContact[0]).toMatchObject({ text: M.contactReceived, reply_markup: { remove_keyboard: true } });
    expect(lastSent().text).toBe(M.askAudience);
    await post(callbackUpdate(u, "au:DAN"));
    await post(callbackUpdate(u, "cf:ok"));
    const participant = await running.db.prisma.participant.findFirstOrThrow({ where: { phone: "+84912555666" }, include: { unit: true } });
    expect(participant.unit?.code).toBe("TDP05");

    fake.clear();
    await post(textUpdate(u, "/thi"));
    const question = fake.sent().at(-1)!;
    expect(question.payload.text).toMatch(/^Câu 1\/10/);
    const questionMessageId = (question.result as { message_id: number }).message_id;

    const attempt = await running.db.prisma.attempt.findFirstOrThrow({ where: { participantId: participant.id } });
    for (let pos = 0; pos < 10; pos++) {
      fake.clear();
      await post(callbackUpdate(u, `a:${attempt.id}:${pos}:0`));
      expect(fake.sent("answerCallbackQuery")).toHaveLength(1);
      if (pos < 9) {
        const edit = fake.sent("editMessageText");
        expect(edit).toHaveLength(1);
        expect(edit[0]!.payload.text).toMatch(new RegExp(`^Câu ${pos + 2}/10`));
        // The question message the bot sent is the one edited in place.
        expect(edit[0]!.payload.message_id).toBe(questionMessageId);
      }
    }
    await post(textUpdate(u, "7"));
    await post(callbackUpdate(u, "p:ok"));
    expect(
      fake
        .sent()
        .map((c) => c.payload.text)
        .join("\n"),
    ).toContain("Bạn đã nộp bài");
    expect(await running.db.prisma.attempt.findUniqueOrThrow({ where: { id: attempt.id } })).toMatchObject({
      status: "SUBMITTED",
      prediction: 7,
    });
  });

  it("processes a redelivered update once", async () => {
    const update = textUpdate(5002, "/start");
    await post(update);
    const first = fake.sent().length;
    expect(first).toBeGreaterThan(0);
    expect((await post(update)).status).toBe(200);
    expect(fake.sent()).toHaveLength(first);
  });

  it("answers in groups with a button to the private chat carrying the group's unit", async () => {
    const group = { id: -100123, type: "supergroup", title: "Tổ 5" };
    await post(textUpdate(5003, "/start@cuocthi_test_bot", group));
    expect(lastSent().reply_markup).toMatchObject({ inline_keyboard: [[{ url: "https://t.me/cuocthi_test_bot" }]] });
    await post(textUpdate(5003, "/donvi TDP05", group));
    expect(lastSent().text).toBe(M.groupUnitForbidden);
    await post(textUpdate(ORGANIZER, "/donvi tdp05", group));
    expect(lastSent().text).toBe(M.groupUnitSet("Tổ dân phố số 5"));
    await post(textUpdate(5003, "ai thi không @cuocthi_test_bot", group));
    expect(lastSent().reply_markup).toMatchObject({ inline_keyboard: [[{ url: "https://t.me/cuocthi_test_bot?start=TDP05" }]] });
    await post(textUpdate(5003, "chuyện khác", group));
    expect(fake.sent()).toHaveLength(4);
    expect(await running.db.prisma.attempt.count({ where: { account: { externalId: "5003" } } })).toBe(0);
  });

  it("gives organizers live figures and a previewed, confirmed broadcast; others get neither", async () => {
    await post(textUpdate(ORGANIZER, "/thongke"));
    expect(lastSent().text).toMatch(/Đã đăng ký: \d+/);
    await post(textUpdate(5006, "/guitin Mai thi nhé"));
    expect(lastSent().text).not.toContain("Xem trước");
    await post(textUpdate(ORGANIZER, "/guitin Vòng 2 đã mở, mời mọi người tham gia!"));
    expect(lastSent().text).toContain("Xem trước tin sẽ gửi");
    expect(lastSent().text).toContain("Người nhận: 1 tài khoản");
    // Organizers' campaigns only: the background work may create a system campaign (a round
    // reminder) at any moment.
    const organizerCampaigns = { where: { systemKey: null } };
    const before = await running.db.prisma.campaign.count(organizerCampaigns);
    await post(callbackUpdate(ORGANIZER, "bc:ok"));
    expect(await running.db.prisma.campaign.count(organizerCampaigns)).toBe(before + 1);
    const campaign = await running.db.prisma.campaign.findFirstOrThrow({
      where: { systemKey: null },
      orderBy: { createdAt: "desc" },
      include: { deliveries: true },
    });
    expect(campaign).toMatchObject({ text: "Vòng 2 đã mở, mời mọi người tham gia!", createdBy: `telegram:${ORGANIZER}` });
    expect(campaign.deliveries).toHaveLength(1);
    expect(fake.sent("editMessageText").at(-1)!.payload.text).toContain("Đã đưa tin vào hàng gửi tới 1 tài khoản");
    expect(await running.db.prisma.auditLog.count({ where: { actor: `telegram:${ORGANIZER}` } })).toBe(1);
    // The server's background sender delivers it to the one registered participant.
    await expect
      .poll(() => fake.sent().find((c) => c.payload.text === "Vòng 2 đã mở, mời mọi người tham gia!")?.payload.chat_id, { timeout: 10_000 })
      .toBe("5001"); // chat ids travel as the stored string
    await expect.poll(async () => (await running.db.prisma.campaign.findUniqueOrThrow({ where: { id: campaign.id } })).status).toBe("DONE");
  });

  it("waits retry_after on 429 and sends again", async () => {
    fake.failNext("sendMessage", { error_code: 429, description: "Too Many Requests: retry after 1", parameters: { retry_after: 1 } });
    expect((await post(textUpdate(5004, "/start"))).status).toBe(200);
    const sends = fake.sent();
    expect(sends.length).toBeGreaterThanOrEqual(2);
    expect(sends[1]!.payload.text).toBe(sends[0]!.payload.text);
    expect(sends[1]!.at - sends[0]!.at).toBeGreaterThanOrEqual(900);
  });

  it("records a user who blocked the bot", async () => {
    fake.failNext("sendMessage", { error_code: 403, description: "Forbidden: bot was blocked by the user" });
    expect((await post(textUpdate(5005, "/start"))).status).toBe(200);
    const account = await running.db.prisma.platformAccount.findUniqueOrThrow({
      where: { platform_externalId: { platform: "TELEGRAM", externalId: "5005" } },
    });
    expect(account.blockedAt).not.toBeNull();
    expect(account.unreachableReason).toContain("blocked");
  });
});

describe("Telegram CLI commands against the fake Bot API", () => {
  const fake = new FakeTelegram();
  beforeAll(() => fake.start());
  afterAll(() => fake.stop());

  const cli = async (args: string[], env: Record<string, string>) => {
    const { execFile } = await import("node:child_process");
    return new Promise<string>((resolve, reject) =>
      execFile(
        "npx",
        ["tsx", "src/cli/index.ts", ...args],
        { env: { ...process.env, LOG_LEVEL: "silent", ...env } },
        (error, stdout, stderr) => (error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(stdout)),
      ),
    );
  };

  it("sets the webhook with the secret token and the Vietnamese command menu", async () => {
    const out = await cli(["telegram:webhook", "set"], {
      TELEGRAM_BOT_TOKEN: "123456:TEST",
      TELEGRAM_WEBHOOK_SECRET: SECRET,
      TELEGRAM_API_ROOT: fake.apiRoot,
      PUBLIC_URL: "https://thi.example.vn",
    });
    expect(out).toContain("webhook set to https://thi.example.vn/webhooks/telegram");
    expect(fake.sent("setWebhook")[0]!.payload).toMatchObject({
      url: "https://thi.example.vn/webhooks/telegram",
      secret_token: SECRET,
      allowed_updates: ["message", "callback_query", "my_chat_member"],
      max_connections: 100,
      drop_pending_updates: false,
    });
    const commands = fake.sent("setMyCommands")[0]!.payload.commands as { command: string; description: string }[];
    expect(commands.map((c) => c.command)).toEqual(["start", "thi", "ketqua", "hoso", "huongdan"]);
    expect(commands[1]!.description).toBe("Bắt đầu lượt thi của vòng đang mở");
  });

  it("prints unit deep links and writes a QR code PNG per unit", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "cb-qr-"));
    const out = await cli(["units:links", "-o", dir], { TELEGRAM_BOT_USERNAME: "cuocthi_bot", PUBLIC_URL: "https://thi.example.vn" });
    expect(out).toContain("TDP05\tTổ dân phố số 5\thttps://t.me/cuocthi_bot?start=TDP05\thttps://thi.example.vn/u/TDP05");
    const { readFile } = await import("node:fs/promises");
    const png = await readFile(path.join(dir, "TDP05.png"));
    expect(png.subarray(1, 4).toString()).toBe("PNG");
    await rm(dir, { recursive: true, force: true });
  });
});
