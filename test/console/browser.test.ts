// The console in headless Chromium (Debian's package, driven by playwright-core) against a
// server with the sample contest: an organizer signs in, reads the dashboard (figures equal to
// the database), prints a unit's poster, closes the round and downloads the unit report; a unit
// admin is refused organizers' pages; five wrong passwords slow the next try down.
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import ExcelJS from "exceljs";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bootstrap, type Running } from "../../src/bootstrap.js";
import { loadConfig } from "../../src/config.js";
import { createAccount } from "../../src/console/auth/accounts.js";
import type { Actor } from "../../src/engine/types.js";
import { ARTIFACTS, launchChromium } from "../helpers/browser.js";
import { onServer, register, takeAttempt } from "../helpers/contest.js";
import { FakeTelegram } from "../helpers/fake-telegram.js";
import { silentLogger } from "../helpers/logger.js";
import { pdfPages, pdfText } from "../helpers/poppler.js";

const PEOPLE = [
  { name: "Nguyễn Văn An", unit: "TDP01" },
  { name: "Trần Thị Bình", unit: "TDP01" },
  { name: "Lê Văn Cường", unit: "TDP04" },
];

describe("web console in Chromium", () => {
  let running: Running;
  let browser: Browser;
  let dataDir: string;
  let base: string;
  const telegram = new FakeTelegram();

  const signIn = async (page: Page, login: string, password: string) => {
    await page.goto(`${base}/admin`);
    await page.fill('input[name="login"]', login);
    await page.fill('input[name="password"]', password);
    await page.click("form button");
  };

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), "cb-console-"));
    await telegram.start();
    running = await bootstrap(
      loadConfig({
        PORT: "0",
        HOST: "127.0.0.1",
        DATA_DIR: dataDir,
        SIMULATOR: "off",
        TELEGRAM_BOT_TOKEN: "123456:TEST",
        TELEGRAM_WEBHOOK_SECRET: "console-secret",
        TELEGRAM_API_ROOT: telegram.apiRoot,
        TELEGRAM_BOT_USERNAME: "cuocthi_bot",
        PUBLIC_URL: "https://thi.example.vn",
      }),
      silentLogger,
    );
    base = `http://127.0.0.1:${running.port}`;
    const units = ["TDP01", "TDP04", "KP1", "KP2"];
    await createAccount(
      running.db.prisma,
      { login: "thuky", name: "Thư ký Cuộc thi", role: "ORGANIZER", password: "mat-khau-dai-1" },
      units,
    );
    await createAccount(
      running.db.prisma,
      { login: "kp2", name: "Trưởng khu phố 2", role: "UNIT_ADMIN", unitCode: "KP2", password: "khu-pho-hai-2" },
      units,
    );
    // Three people register, two of them in TDP01; they take round 1 (one with every answer right).
    const player = onServer(running);
    for (const [i, { name, unit }] of PEOPLE.entries()) {
      const who: Actor = { platform: "TELEGRAM", externalId: `${7100 + i}`, chatId: `${7100 + i}`, canShareContact: true };
      await register(running.runner, who, { name, phone: `09390001${i}0`, unit, audience: "DAN" });
      if (i < 2) await takeAttempt(player, who, `+849390001${i}0`, i === 0 ? 10 : 6, 1);
    }
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await running?.stop();
    await telegram.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it("shows an organizer the open round's figures as the database holds them, on a desktop and a phone", async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await signIn(page, "thuky", "mat-khau-dai-1");
    await page.waitForURL(`${base}/admin`);
    const figure = async (key: string) => Number(((await page.textContent(`[data-figure="${key}"]`)) ?? "").replace(/\D/g, ""));
    const prisma = running.db.prisma;
    const round = await prisma.round.findFirstOrThrow({ where: { number: 1 } });
    expect(await figure("registered")).toBe(await prisma.participant.count());
    expect(await figure("attempted")).toBe(await prisma.attempt.count({ where: { roundId: round.id } }));
    expect(await figure("perfect")).toBe(await prisma.attempt.count({ where: { roundId: round.id, score: 10 } }));
    expect([await figure("registered"), await figure("attempted"), await figure("perfect")]).toEqual([3, 2, 1]);
    // TDP01's bar: 2 of its target of 50.
    expect(await page.locator(".bar", { hasText: "Tổ dân phố số 1" }).locator(".figure").textContent()).toBe("2/50 (4%)");
    await page.screenshot({ path: path.join(ARTIFACTS, "console-dashboard.png"), fullPage: true });
    await page.setViewportSize({ width: 360, height: 780 });
    await page.screenshot({ path: path.join(ARTIFACTS, "console-dashboard-phone.png"), fullPage: true });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);

    // A unit's links, QR codes and poster.
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(`${base}/admin/units/TDP01`);
    expect(await page.textContent("main")).toContain("https://t.me/cuocthi_bot?start=TDP01");
    expect(await page.locator("img[alt^='QR']").evaluateAll((imgs) => imgs.map((i) => (i as HTMLImageElement).naturalWidth))).toEqual([
      480, 480,
    ]);
    await page.screenshot({ path: path.join(ARTIFACTS, "console-unit-poster-page.png"), fullPage: true });
    const poster = await page.request.get(`${base}/admin/units/KP1/poster.pdf?subtree=1`);
    const pdf = Buffer.from(await poster.body());
    expect(await pdfPages(pdf)).toBe(4); // KP1 and its three residential groups
    expect((await pdfText(pdf)).normalize("NFC")).toContain("Tổ dân phố số 1");
    await page.close();
  });

  it("checks an uploaded bank row by row, writes nothing while a row is refused, then imports the valid ones", async () => {
    const page = await browser.newPage();
    await signIn(page, "thuky", "mat-khau-dai-1");
    await page.waitForURL(`${base}/admin`);
    await page.goto(`${base}/admin/questions`);
    const csv = [
      "code,topic,question,option_a,option_b,option_c,option_d,correct,explanation,source,status,audiences",
      "WEB01,Chuyển đổi số,Ứng dụng nào dùng để định danh điện tử?,VNeID,Zalo,Facebook,Email,A,VNeID của Bộ Công an.,Nghị định 69/2024,approved,",
      "WEB02,Chuyển đổi số,Câu thiếu đáp án đúng?,Một,Hai,,,,Không có.,Không,approved,",
    ].join("\n");
    await page.setInputFiles('input[type="file"]', { name: "ngan-hang.csv", mimeType: "text/csv", buffer: Buffer.from(csv) });
    await page.click("form[enctype] button");
    await page.waitForURL(`${base}/admin/questions/upload`);
    expect(await page.getAttribute("[data-accepted]", "data-rejected")).toBe("1");
    expect(await page.textContent("table.rejected")).toContain("WEB02");
    expect(await running.db.prisma.question.count({ where: { code: { in: ["WEB01", "WEB02"] } } })).toBe(0);
    await page.click(".actions button");
    await page.waitForURL(/imported=1\.0/);
    expect((await running.db.prisma.question.findMany({ where: { code: { startsWith: "WEB" } } })).map((q) => q.code)).toEqual(["WEB01"]);
    // The preview of the question as the bot sends it.
    await page.click('tr[data-code="WEB01"] a');
    expect(await page.textContent(".phone.telegram pre")).toContain("Ứng dụng nào dùng để định danh điện tử?");
    await page.close();
  });

  it("sends a broadcast to a live-sized audience and follows it to 100 %", async () => {
    const page = await browser.newPage();
    await signIn(page, "thuky", "mat-khau-dai-1");
    await page.waitForURL(`${base}/admin`);
    await page.goto(`${base}/admin/campaigns`);
    await page.fill('input[name="name"]', "Nhắc thi tuần 1");
    await page.fill('textarea[name="text"]', "Vòng 1 đang mở, mời bạn dự thi!");
    await page.check('input[name="startButton"]');
    await page.selectOption('select[name="audience"]', "all");
    await expect.poll(() => page.textContent("[data-size-out]")).toBe("3 người nhận");
    await page.click("form[data-size] button");
    expect(await page.getAttribute("[data-recipients]", "data-recipients")).toBe("3");
    await page.click("form[action='/admin/campaigns'] button");
    await page.waitForURL(/\/admin\/campaigns\/[0-9a-f-]{36}$/);
    await expect.poll(() => page.getAttribute("progress", "data-percent"), { timeout: 20_000 }).toBe("100");
    const sent = telegram.delivered().filter((c) => c.payload.text === "Vòng 1 đang mở, mời bạn dự thi!");
    expect(sent.map((c) => String(c.payload.chat_id)).sort()).toEqual(["7100", "7101", "7102"]);
    await page.close();
  });

  it("closes the round after the confirmation and downloads the unit report", async () => {
    const page = await browser.newPage();
    page.on("dialog", (dialog) => void dialog.accept());
    await signIn(page, "thuky", "mat-khau-dai-1");
    await page.waitForURL(`${base}/admin`);
    await page.goto(`${base}/admin/rounds/1`);
    await page.check('#close input[name="confirm"]');
    await page.click("#close button");
    await page.waitForURL(/done=closed/);
    expect(await page.textContent(".notice.ok")).toContain("Đã chốt vòng 1");
    expect((await running.db.prisma.round.findFirstOrThrow({ where: { number: 1 } })).closedAt).not.toBeNull();
    const download = await page.request.get(`${base}/admin/rounds/1/units.xlsx`);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(Buffer.from(await download.body()) as unknown as ArrayBuffer);
    const sheet = workbook.worksheets[0]!;
    const header = (sheet.getRow(1).values as unknown[]).map(String);
    const tdp01 = sheet.getRows(2, sheet.rowCount - 1)!.find((r) => r.getCell(1).value === "TDP01")!;
    expect(tdp01.getCell(header.indexOf("Đã dự thi")).value).toBe(2);
    await page.close();
  });

  it("keeps a unit admin to their subtree and slows down repeated wrong passwords", async () => {
    const page = await browser.newPage();
    await signIn(page, "kp2", "khu-pho-hai-2");
    await page.waitForURL(`${base}/admin`);
    expect(await page.locator("nav a", { hasText: "Tài khoản" }).count()).toBe(0);
    const accounts = await page.goto(`${base}/admin/accounts`);
    expect(accounts?.status()).toBe(403);
    const other = await page.goto(`${base}/admin/units/TDP01`);
    expect(other?.status()).toBe(403);
    // Their people export holds their subtree only.
    const people = new ExcelJS.Workbook();
    await people.xlsx.load(Buffer.from(await (await page.request.get(`${base}/admin/people.xlsx`)).body()) as unknown as ArrayBuffer);
    const sheet = people.worksheets[0]!;
    expect(sheet.getRows(2, sheet.rowCount - 1)!.map((r) => r.getCell(1).value)).toEqual(["Lê Văn Cường"]);
    await page.close();

    const intruder = await browser.newPage();
    for (let i = 0; i < 5; i++) {
      await signIn(intruder, "thuky", `doan-sai-${i}`);
      expect(await intruder.textContent(".notice.error")).toContain("không đúng");
    }
    await signIn(intruder, "thuky", "mat-khau-dai-1");
    expect(await intruder.textContent(".notice.error")).toMatch(/thử lại sau \d+ giây/);
    await intruder.close();
  });
});
