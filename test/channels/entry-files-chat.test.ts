// Files sent for a written entry through the webhooks as the platforms send them: a Telegram
// document and photo (the largest size), a Zalo file and image; a file too big and a forbidden
// type refused in words. Fetching them once submitted: test/engine/entry-files.test.ts.
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { Api } from "grammy";
import JSZip from "jszip";
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { telegramFileFetcher } from "../../src/channels/telegram/files.js";
import { SAMPLE_CONTEST_FILE } from "../../src/config.js";
import { createAccount } from "../../src/console/auth/accounts.js";
import { ConsoleSessions } from "../../src/console/auth/sessions.js";
import { SESSION_COOKIE } from "../../src/console/http.js";
import { EntryFileKeeper } from "../../src/domain/entry-files.js";
import { DATA } from "../../src/engine/keyboards.js";
import type { Actor } from "../../src/engine/types.js";
import { CONSOLE } from "../../src/messages/console.js";
import { M } from "../../src/messages/index.js";
import { FolderFileStore } from "../../src/storage/files.js";
import { register } from "../helpers/contest.js";
import { FakeTelegram } from "../helpers/fake-telegram.js";
import { FakeZalo } from "../helpers/fake-zalo.js";
import { silentLogger } from "../helpers/logger.js";
import type { TestServer } from "../helpers/server.js";
import { callbackUpdate, tgChat, tgUser } from "../helpers/telegram-updates.js";
import { chat, zaloServer } from "../helpers/zalo-chat.js";

const SECRET = "entry_files-secret";
const PLAN_001 = path.join(path.dirname(SAMPLE_CONTEST_FILE), "..", "plan-001-phu-rieng", "contest.yaml");
let updateId = 5_000_000;
const telegramMessage = (id: number, fields: Record<string, unknown>) => ({
  update_id: updateId++,
  message: { message_id: updateId, date: 1_795_000_000, chat: tgChat(id), from: tgUser(id), ...fields },
});

describe("entry files through the webhooks", () => {
  const telegram = new FakeTelegram();
  const zalo = new FakeZalo();
  let running: TestServer;
  const tg: Actor = { platform: "TELEGRAM", externalId: "8601", chatId: "8601", canShareContact: true };
  const za: Actor = { platform: "ZALO", externalId: "z-8602", chatId: "z-8602", canShareContact: false, canTypePhone: true };

  beforeAll(async () => {
    await Promise.all([telegram.start(), zalo.start()]);
    zalo.seed("at-0", "rt-0");
    // Plan 001 with its window around today.
    const dir = await mkdtemp(path.join(os.tmpdir(), "cb-entrychat-"));
    const file = path.join(dir, "contest.yaml");
    const year = new Date().getUTCFullYear();
    await writeFile(
      file,
      (await readFile(PLAN_001, "utf8"))
        .replace("start: 2020-08-15", "start: today")
        .replace("end: 2020-10-10", `end: ${year + 1}-01-31`)
        .replace(
          "- { opens: 2020-08-15T00:00, closes: 2020-10-10T23:59 }",
          `- { opens: ${year - 1}-01-01T00:00, closes: ${year + 1}-01-31T23:59 }`,
        ),
    );
    running = await zaloServer(zalo, {
      CONTEST_FILE: file,
      TELEGRAM_BOT_TOKEN: "123456:TEST",
      TELEGRAM_WEBHOOK_SECRET: SECRET,
      TELEGRAM_API_ROOT: telegram.apiRoot,
    });
    for (const [who, phone] of [
      [tg, "0938600001"],
      [za, "0938600002"],
    ] as const) {
      await register(running.runner, who, { name: "Nguyễn Văn An", phone, unit: "PNV" });
      for (const data of [DATA.entry.start, DATA.entry.title]) await running.runner.handle(who, { type: "button", data });
      await running.runner.handle(who, { type: "text", text: "Sáng kiến một cửa" });
      await running.runner.handle(who, { type: "button", data: DATA.entry.files });
    }
  });
  afterAll(async () => {
    await running?.destroy();
    await Promise.all([telegram.stop(), zalo.stop()]);
  });

  const postTelegram = async (update: object) => {
    telegram.clear();
    expect(
      (await request(running.server).post("/webhooks/telegram").set("X-Telegram-Bot-Api-Secret-Token", SECRET).send(update)).status,
    ).toBe(200);
    await running.settled();
    return telegram.delivered().map((c) => String(c.payload.text ?? ""));
  };

  it("attaches a Telegram document and photo, and refuses a file too big and a forbidden type", async () => {
    telegram.files.set("doc-a", Buffer.from("%PDF-1.4 de an"));
    telegram.files.set("photo-b", Buffer.from("jpeg bytes"));
    expect(
      await postTelegram(
        telegramMessage(8601, {
          document: { file_id: "doc-a", file_unique_id: "ua", file_name: "Đề án.pdf", mime_type: "application/pdf", file_size: 14 },
        }),
      ),
    ).toEqual([M.entryFileAdded("Đề án.pdf", 1)]);
    const [photo] = await postTelegram(
      telegramMessage(8601, {
        photo: [
          { file_id: "photo-small", file_unique_id: "s", width: 90, height: 90, file_size: 100 },
          { file_id: "photo-b", file_unique_id: "b", width: 1280, height: 960, file_size: 10 },
        ],
      }),
    );
    expect(photo).toBe(M.entryFileAdded("anh-b.jpg", 2));
    expect(
      await postTelegram(
        telegramMessage(8601, {
          document: { file_id: "big", file_unique_id: "g", file_name: "video.pdf", mime_type: "application/pdf", file_size: 30_000_000 },
        }),
      ),
    ).toEqual([M.entryRefused.fileTooBig(10 * 1024 * 1024)]);
    expect(
      await postTelegram(
        telegramMessage(8601, {
          document: { file_id: "exe", file_unique_id: "e", file_name: "setup.exe", mime_type: "application/x-msdownload", file_size: 100 },
        }),
      ),
    ).toEqual([M.entryRefused.fileType(["pdf", "docx", "doc", "jpg", "png"])]);
    const files = await running.db.prisma.entryFile.findMany({ orderBy: { position: "asc" }, where: { platform: "TELEGRAM" } });
    expect(files.map((f) => [f.filename, f.platformFileId])).toEqual([
      ["Đề án.pdf", "doc-a"],
      ["anh-b.jpg", "photo-b"],
    ]);
    await postTelegram(callbackUpdate(8601, DATA.entry.submit));
    expect((await running.db.prisma.entry.findFirstOrThrow({ where: { participant: { phone: "+84938600001" } } })).status).toBe(
      "SUBMITTED",
    );
  });

  it("attaches a Zalo file and image from their attachment URLs", async () => {
    zalo.hosted.set("ke-hoach.docx", Buffer.from("docx bytes"));
    const { deliver } = chat(zalo, () => running);
    const event = (name: string, payload: Record<string, unknown>) => ({
      event_name: name,
      sender: { id: za.externalId },
      recipient: { id: "oa" },
      message: { msg_id: `f-${name}`, attachments: [{ type: name === "user_send_image" ? "image" : "file", payload }] },
    });
    expect(
      (await deliver(event("user_send_file", { url: `${zalo.base}/files/ke-hoach.docx`, name: "Kế hoạch.docx", size: "10", type: "docx" })))
        .status,
    ).toBe(200);
    expect((await deliver(event("user_send_image", { url: `${zalo.base}/files/anh.jpg`, thumbnail: "t" }))).status).toBe(200);
    await running.settled();
    const files = await running.db.prisma.entryFile.findMany({ orderBy: { position: "asc" }, where: { platform: "ZALO" } });
    expect(files.map((f) => [f.filename, f.platformFileId, f.size])).toEqual([
      ["Kế hoạch.docx", `${zalo.base}/files/ke-hoach.docx`, 10],
      ["anh.jpg", `${zalo.base}/files/anh.jpg`, null],
    ]);
  });

  it("lists entries per unit and the offices and communes that have not sent one", async () => {
    const { user } = await createAccount(
      running.db.prisma,
      { login: "thuky", name: "Thư ký", role: "ORGANIZER", password: "mat-khau-dai-1" },
      [],
    );
    const { token } = await new ConsoleSessions(running.db.prisma).create(user.id, new Date());
    const page = await request(running.server).get("/admin/entries").set("Cookie", `${SESSION_COOKIE}=${token}`);
    expect(page.status).toBe(200);
    expect(page.text).toMatch(/<tr data-unit="PNV"><td>[^<]+<\/td><td>phòng ban<\/td><td>1<\/td><td>1<\/td><\/tr>/); // Telegram's submitted, Zalo's still a draft
    expect(page.text).toContain(CONSOLE.entriesMissing(["Phòng Tư pháp", "Văn phòng HĐND và UBND huyện", "Xã Bù Nho", "Xã Phú Riềng"]));
  });

  it("gives a unit's entries as a ZIP with their kept attachments", async () => {
    const keeper = new EntryFileKeeper(
      running.db.prisma,
      new FolderFileStore(path.join(running.dataDir, "files")),
      { TELEGRAM: telegramFileFetcher(new Api("123456:TEST", { apiRoot: telegram.apiRoot }), "123456:TEST", telegram.apiRoot) },
      silentLogger,
      10 * 1024 * 1024,
    );
    await keeper.run(); // the server's own upkeep may have kept them already: either way both are kept
    expect(await running.db.prisma.entryFile.count({ where: { platform: "TELEGRAM", storeKey: { not: null } } })).toBe(2);
    const { user } = await createAccount(
      running.db.prisma,
      { login: "thuky2", name: "Thư ký", role: "ORGANIZER", password: "mat-khau-dai-1" },
      [],
    );
    const { token } = await new ConsoleSessions(running.db.prisma).create(user.id, new Date());
    const res = await request(running.server)
      .get("/admin/units/PNV/entries.zip")
      .set("Cookie", `${SESSION_COOKIE}=${token}`)
      .buffer(true)
      .parse((r, done) => {
        const chunks: Buffer[] = [];
        r.on("data", (c: Buffer) => chunks.push(c));
        r.on("end", () => done(null, Buffer.concat(chunks)));
      });
    expect(res.status).toBe(200);
    const zip = await JSZip.loadAsync(res.body as Buffer);
    const entry = await running.db.prisma.entry.findFirstOrThrow({ where: { status: "SUBMITTED" } });
    expect(Object.keys(zip.files).sort()).toEqual([`${entry.code}/1-Đề án.pdf`, `${entry.code}/2-anh-b.jpg`, "bai-du-thi-PNV.pdf"].sort());
    expect(await zip.file(`${entry.code}/1-Đề án.pdf`)!.async("string")).toBe("%PDF-1.4 de an");
  });
});
