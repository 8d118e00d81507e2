// Certificates end to end on a whole server: a round closed through the admin API, then asked
// for in chat — Telegram receives the PDF as an uploaded document, Zalo as an uploaded file (or
// its link when Zalo refuses files) — the public verification page, and organizers' downloads.

import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createToken } from "../../src/admin/tokens.js";
import type { Actor } from "../../src/engine/types.js";
import { M } from "../../src/messages/index.js";
import { certificateContestFile } from "../helpers/certificate-contest.js";
import { onServer, register, takeAttempt } from "../helpers/contest.js";
import { BACKENDS } from "../helpers/db.js";
import { FakeTelegram } from "../helpers/fake-telegram.js";
import { FakeZalo } from "../helpers/fake-zalo.js";
import { pdfPages, pdfText } from "../helpers/poppler.js";
import { backendEnv, type TestServer } from "../helpers/server.js";
import { textUpdate } from "../helpers/telegram-updates.js";
import { chat, textEvent, zaloServer } from "../helpers/zalo-chat.js";

const SECRET = "cert_secret-1";
const PUBLIC_URL = "https://thi.example.vn";

describe.each(BACKENDS)("certificates delivered on %s", (backend) => {
  const telegram = new FakeTelegram();
  const zalo = new FakeZalo();
  let running: TestServer;
  let drop: () => Promise<void>;
  let organizer: string;
  const tgUser: Actor = { platform: "TELEGRAM", externalId: "7001", chatId: "7001", canShareContact: true };
  const zaloUser: Actor = { platform: "ZALO", externalId: "z-7002", chatId: "z-7002", canShareContact: false, canTypePhone: true };

  beforeAll(async () => {
    await Promise.all([telegram.start(), zalo.start()]);
    zalo.seed("at-0", "rt-0");
    const backendSettings = await backendEnv(backend);
    drop = backendSettings.drop;
    running = await zaloServer(zalo, {
      ...backendSettings.env,
      CONTEST_FILE: await certificateContestFile(),
      PUBLIC_URL,
      TELEGRAM_BOT_TOKEN: "123456:TEST",
      TELEGRAM_WEBHOOK_SECRET: SECRET,
      TELEGRAM_API_ROOT: telegram.apiRoot,
    });
    organizer = (await createToken(running.db.prisma, { name: "Thư ký", role: "ORGANIZER" })).token;
    // Two people play round 1 (the server's clock: the round opened today) and it is closed by hand.
    const player = onServer(running);
    await register(running.runner, tgUser, { name: "Nguyễn Thị Hồng Nhung", phone: "0939000001", unit: "TDP01", audience: "DAN" });
    await takeAttempt(player, tgUser, "+84939000001", 10, 0);
    await register(running.runner, zaloUser, { name: "Trần Văn Bình", phone: "0939000002", unit: "UBND", audience: "CBCC" });
    await takeAttempt(player, zaloUser, "+84939000002", 9, 0);
    const closed = await request(running.server).post("/api/admin/rounds/1/close").set("Authorization", `Bearer ${organizer}`);
    expect(closed.status).toBe(200);
    // The result notices go out in the background: let them finish before the chat is read.
    for (const deadline = Date.now() + 30_000; ; await new Promise((r) => setTimeout(r, 50))) {
      const notices = await running.db.prisma.campaign.findFirst({ where: { systemKey: "round-notices:1" } });
      if (notices?.status === "DONE") break;
      if (Date.now() > deadline) throw new Error(`result notices not sent: ${notices?.status}`);
    }
    await running.settled();
  });
  afterAll(async () => {
    await running?.destroy();
    await drop?.();
    await Promise.all([telegram.stop(), zalo.stop()]);
  });

  const zaloSay = async (text: string) => {
    expect((await chat(zalo, () => running).deliver(textEvent(zaloUser.externalId, text))).status).toBe(200);
    await running.settled();
  };

  it("sends a Telegram winner each certificate as a PDF document with its caption", async () => {
    telegram.clear();
    const res = await request(running.server)
      .post("/webhooks/telegram")
      .set("X-Telegram-Bot-Api-Secret-Token", SECRET)
      .send(textUpdate(7001, "/chungnhan"));
    expect(res.status).toBe(200);
    await running.settled();
    const documents = telegram
      .delivered("sendDocument")
      .map((c) => c.payload as { caption: string; document: { filename: string; bytes: Buffer } });
    expect(documents.map((d) => [d.caption, d.document.filename])).toEqual([
      ["🏅 Đã đạt Giải Nhất – Vòng 1\nSố: V01-G0001", "giay-chung-nhan-V01-G0001.pdf"],
      ["🏅 Đã tham gia Vòng 1 và đạt kết quả tốt\nSố: V01-C00001", "giay-chung-nhan-V01-C00001.pdf"],
    ]);
    const text = (await pdfText(documents[0]!.document.bytes)).normalize("NFC");
    expect(text).toContain("Nguyễn Thị Hồng Nhung");
    expect(text).toContain(`${PUBLIC_URL}/`);
    expect(telegram.delivered().at(-1)!.payload.text).toBe(M.menu);
  });

  it("sends a Zalo winner the text and the uploaded file, and the link when Zalo refuses files", async () => {
    const before = zalo.messagesTo(zaloUser.externalId).length;
    await zaloSay("Chứng nhận");
    const sent = zalo.messagesTo(zaloUser.externalId).slice(before);
    const files = sent.filter((m) => m.file).map((m) => zalo.uploads.get(m.file!)!);
    expect(files.map((f) => f.filename)).toEqual([
      "giay-chung-nhan-V01-G0002.pdf",
      "giay-chung-nhan-V01-D0001.pdf",
      "giay-chung-nhan-V01-C00002.pdf",
    ]);
    expect((await pdfText(files[1]!.bytes)).normalize("NFC")).toContain("Giải Nhất khối CBCC");
    expect(sent.find((m) => m.text?.includes("V01-G0002"))?.text).toBe("🏅 Đã đạt Giải Nhì – Vòng 1\nSố: V01-G0002");

    zalo.uploadError = { error: -210, message: "file messages are not allowed for this OA" };
    const again = zalo.messagesTo(zaloUser.externalId).length;
    await zaloSay("Chứng nhận");
    const fallback = zalo.messagesTo(zaloUser.externalId).slice(again);
    zalo.uploadError = undefined;
    expect(fallback.some((m) => m.file)).toBe(false);
    const links = fallback.filter((m) => m.text?.startsWith("Không gửi được tệp qua Zalo"));
    expect(links).toHaveLength(3);
    expect(links[0]!.text).toMatch(new RegExp(`${PUBLIC_URL}/chungnhan/[0-9a-f]{20}/pdf$`));
  });

  it("confirms a genuine certificate on its public page and serves its PDF; an unknown code is not found", async () => {
    const cert = await running.db.prisma.certificate.findFirstOrThrow({ where: { serial: "V01-G0001" } });
    const page = await request(running.server).get(`/chungnhan/${cert.code}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain(M.verifyGenuine);
    expect(page.text).toContain("Nguyễn Thị Hồng Nhung – Tổ dân phố số 1");
    const pdf = await request(running.server)
      .get(`/chungnhan/${cert.code}/pdf`)
      .buffer(true)
      .parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => done(null, Buffer.concat(chunks)));
      });
    expect(pdf.headers["content-type"]).toBe("application/pdf");
    expect((await pdfText(pdf.body as Buffer)).normalize("NFC")).toContain("Số: V01-G0001");
    for (const code of ["0123456789abcdef0123", "not-a-code", `${cert.code}0`]) {
      const missing = await request(running.server).get(`/chungnhan/${code}`);
      expect(missing.status).toBe(404);
      expect(missing.text).toContain(M.verifyUnknown);
    }
    expect((await request(running.server).get("/chungnhan/zzz/pdf")).status).toBe(404);
  });

  it("lists certificates and downloads a round's as one PDF for organizers only", async () => {
    const auth = { Authorization: `Bearer ${organizer}` };
    const list = await request(running.server).get("/api/admin/certificates?round=1").set(auth);
    expect(list.status).toBe(200);
    // 2 round prizes, 1 CBCC prize, 2 participation (10 and 9 correct), 2 unit prizes.
    expect(list.body.total).toBe(7);
    expect(list.body.certificates.map((c: { serial: string }) => c.serial)).toEqual([
      "V01-C00001",
      "V01-C00002",
      "V01-D0001",
      "V01-G0001",
      "V01-G0002",
      "V01-T001",
      "V01-T002",
    ]);
    expect(list.body.certificates[0].verifyUrl).toMatch(new RegExp(`^${PUBLIC_URL}/chungnhan/[0-9a-f]{20}$`));
    const pdf = await request(running.server)
      .get("/api/admin/certificates/pdf?round=1&kind=PRIZE")
      .set(auth)
      .buffer(true)
      .parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => done(null, Buffer.concat(chunks)));
      });
    expect(pdf.status).toBe(200);
    expect(await pdfPages(pdf.body as Buffer)).toBe(2);
    expect((await request(running.server).get("/api/admin/certificates?kind=GOLD").set(auth)).status).toBe(400);
    expect((await request(running.server).get("/api/admin/certificates?round=0").set(auth)).status).toBe(400);
    expect((await request(running.server).get("/api/admin/certificates")).status).toBe(401);
    const unitAdmin = (await createToken(running.db.prisma, { name: "Tổ trưởng", role: "UNIT_ADMIN", unitCode: "TDP01" })).token;
    expect((await request(running.server).get("/api/admin/certificates").set("Authorization", `Bearer ${unitAdmin}`)).status).toBe(403);
  });
});
