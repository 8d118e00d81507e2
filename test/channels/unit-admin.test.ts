// Unit admins' tools in chat, through the fake Telegram and Zalo servers: the standing of
// their unit equal to the database, the links with a QR code that opens them, and the reminder
// that reaches exactly the subtree's registered people who have not attempted, once a day.
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import jsQR from "jsqr";
import { PNG } from "pngjs";
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ZALO } from "../../src/channels/zalo/protocol.js";
import { SAMPLE_CONTEST_FILE } from "../../src/config.js";
import type { Actor } from "../../src/engine/types.js";
import { M } from "../../src/messages/index.js";
import { onServer, register, takeAttempt } from "../helpers/contest.js";
import { FakeTelegram } from "../helpers/fake-telegram.js";
import { FakeZalo } from "../helpers/fake-zalo.js";
import type { TestServer } from "../helpers/server.js";
import { callbackUpdate } from "../helpers/telegram-updates.js";
import { chat, textEvent, zaloServer } from "../helpers/zalo-chat.js";

const SECRET = "unit_admin-secret";
const PUBLIC_URL = "https://thi.example.vn";

describe("unit admins in chat", () => {
  const telegram = new FakeTelegram();
  const zalo = new FakeZalo();
  let running: TestServer;
  const tg = (id: number): Actor => ({ platform: "TELEGRAM", externalId: String(id), chatId: String(id), canShareContact: true });
  const zaloAdmin: Actor = { platform: "ZALO", externalId: "z-kp2", chatId: "z-kp2", canShareContact: false, canTypePhone: true };

  beforeAll(async () => {
    await Promise.all([telegram.start(), zalo.start()]);
    zalo.seed("at-0", "rt-0");
    const dir = await mkdtemp(path.join(os.tmpdir(), "cb-unitadmin-"));
    const file = path.join(dir, "contest.yaml");
    const sample = await readFile(SAMPLE_CONTEST_FILE, "utf8");
    await writeFile(
      file,
      sample.replace("questionBank: questions.csv", `questionBank: ${path.join(path.dirname(SAMPLE_CONTEST_FILE), "questions.csv")}`) +
        '\nunitAdmins:\n  - { phone: "0939200001", unit: KP1 }\n  - { phone: "0939200009", unit: KP2 }\n',
    );
    running = await zaloServer(zalo, {
      CONTEST_FILE: file,
      PUBLIC_URL,
      TELEGRAM_BOT_TOKEN: "123456:TEST",
      TELEGRAM_BOT_USERNAME: "cuocthi_bot",
      TELEGRAM_WEBHOOK_SECRET: SECRET,
      TELEGRAM_API_ROOT: telegram.apiRoot,
    });
    // KP1: its admin (TDP01) and three residents, one of whom has taken round 1; KP2: its admin on Zalo and one resident.
    const player = onServer(running);
    const people = [
      { who: tg(8001), name: "Tổ Trưởng Một", phone: "0939200001", unit: "TDP01" },
      { who: tg(8002), name: "Nguyễn Văn Hai", phone: "0939200002", unit: "TDP01", plays: true },
      { who: tg(8003), name: "Trần Thị Ba", phone: "0939200003", unit: "TDP02" },
      { who: tg(8004), name: "Lê Văn Bốn", phone: "0939200004", unit: "TDP03" },
      { who: tg(8005), name: "Phạm Thị Năm", phone: "0939200005", unit: "TDP04" },
      { who: zaloAdmin, name: "Trưởng Khu Hai", phone: "0939200009", unit: "TDP05" },
    ];
    for (const p of people) {
      await register(running.runner, p.who, { name: p.name, phone: p.phone, unit: p.unit, audience: "DAN" });
      if (p.plays) await takeAttempt(player, p.who, `+84${p.phone.slice(1)}`, 7, 0);
    }
  });
  afterAll(async () => {
    await running?.destroy();
    await Promise.all([telegram.stop(), zalo.stop()]);
  });

  const press = async (id: number, data: string) => {
    telegram.clear();
    const res = await request(running.server)
      .post("/webhooks/telegram")
      .set("X-Telegram-Bot-Api-Secret-Token", SECRET)
      .send(callbackUpdate(id, data));
    expect(res.status).toBe(200);
    await running.settled();
    return telegram.delivered().map((c) => c.payload as { text?: string; caption?: string; photo?: { bytes: Buffer } });
  };

  it("shows the unit's standing as the database counts it, and refuses the tools to anyone else", async () => {
    const menu = await press(8001, "m:hd");
    expect(JSON.stringify(telegram.delivered().at(-1)!.payload.reply_markup)).toContain("ua:m");
    expect(menu.length).toBeGreaterThan(0);
    const tools = await press(8001, "ua:m");
    expect(tools.at(-1)!.text).toBe(M.unitAdminMenu("Khu phố 1"));
    const [standing] = await press(8001, "ua:s");
    // KP1's subtree: one person finished round 1; siblings under the ward: UBND, CAP, THCS, KP1, KP2 (not all with a base: by people).
    const round = await running.db.prisma.round.findFirstOrThrow({ where: { number: 1 } });
    const finished = await running.db.prisma.attempt.count({
      where: {
        roundId: round.id,
        status: { in: ["SUBMITTED", "EXPIRED"] },
        participant: { unit: { code: { in: ["TDP01", "TDP02", "TDP03"] } } },
      },
    });
    expect(finished).toBe(1);
    expect(standing!.text).toContain(`Đã dự thi: ${finished} người`);
    expect(standing!.text).toContain("Xếp thứ 1/5 trong các đơn vị cùng cấp thuộc Phường Mẫu");
    expect(standing!.text).toContain("So với 24 giờ trước: +1 người");
    // A resident pressing a forged tools button is refused.
    const [refused] = await press(8003, "ua:s");
    expect(refused!.text).toBe(M.notUnitAdmin);
  });

  it("sends the unit's links and a QR code that opens its landing page", async () => {
    await press(8001, "ua:l");
    const links = telegram.delivered().find((c) => c.method === "sendMessage")!.payload.text as string;
    expect(links).toContain(`${PUBLIC_URL}/u/KP1`);
    expect(links).toContain("https://t.me/cuocthi_bot?start=KP1");
    const photo = telegram.delivered("sendPhoto")[0]!.payload as { caption: string; photo: { bytes: Buffer } };
    expect(photo.caption).toBe(M.unitQrCaption("Khu phố 1"));
    const png = PNG.sync.read(photo.photo.bytes);
    expect(jsQR.default(new Uint8ClampedArray(png.data), png.width, png.height)?.data).toBe(`${PUBLIC_URL}/u/KP1`);
  });

  it("reminds exactly the subtree's people who have not attempted, once a day", async () => {
    const [preview] = await press(8001, "ua:r");
    // TDP01's admin, TDP02's and TDP03's residents; not the one who played, not KP2's people.
    expect(preview!.text).toBe(M.unitRemindPreview("Khu phố 1", 1, 3));
    const [queued] = await press(8001, "ua:ok");
    expect(queued!.text).toBe(M.unitRemindQueued(3));
    for (const deadline = Date.now() + 20_000; ; await new Promise((r) => setTimeout(r, 50))) {
      const c = await running.db.prisma.campaign.findFirst({ where: { systemKey: { startsWith: "unit-reminder:KP1:" } } });
      if (c?.status === "DONE") break;
      if (Date.now() > deadline) throw new Error(`reminder not sent: ${c?.status}`);
    }
    const reminded = telegram.delivered().filter((c) => c.payload.text === M.unitRemindText("Khu phố 1", 1));
    expect(reminded.map((c) => String(c.payload.chat_id)).sort()).toEqual(["8001", "8003", "8004"]);
    const [again] = await press(8001, "ua:ok");
    expect(again!.text).toBe(M.unitRemindAlready);
    expect(await running.db.prisma.campaign.count({ where: { systemKey: { startsWith: "unit-reminder:" } } })).toBe(1);
    expect(await running.db.prisma.auditLog.count({ where: { action: "unit.reminder" } })).toBe(1);
  });

  it("gives a Zalo unit admin the same tools, with the QR code as an uploaded image", async () => {
    const say = async (text: string) => {
      const before = zalo.messagesTo(zaloAdmin.externalId).length;
      const res = await chat(zalo, () => running).deliver(textEvent(zaloAdmin.externalId, text));
      expect(res.status).toBe(200);
      await running.settled();
      return zalo.messagesTo(zaloAdmin.externalId).slice(before);
    };
    const standing = await say(`${ZALO.buttonPrefix}ua:s`);
    expect(standing[0]!.text).toContain("📊 Khu phố 2 – vòng 1");
    expect(standing[0]!.text).toContain("Đã dự thi: 0 người");
    const links = await say(`${ZALO.buttonPrefix}ua:l`);
    expect(links[0]!.text).toContain(`${PUBLIC_URL}/u/KP2`);
    const image = links.find((m) => m.image)!;
    const png = PNG.sync.read(zalo.uploads.get(image.image!)!.bytes);
    expect(jsQR.default(new Uint8ClampedArray(png.data), png.width, png.height)?.data).toBe(`${PUBLIC_URL}/u/KP2`);
  });
});
