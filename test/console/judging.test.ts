// Juries in Chromium on plan 003's contest file (dates moved to today): jurors of two districts
// score anonymised entries with the rubric, a juror cannot open an entry from their own unit,
// the preliminaries send each district's best to the final, and the final ranking follows.
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import ExcelJS from "exceljs";
import JSZip from "jszip";
import { DateTime } from "luxon";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bootstrap, type Running } from "../../src/bootstrap.js";
import { loadConfig, SAMPLE_CONTEST_FILE } from "../../src/config.js";
import { createAccount } from "../../src/console/auth/accounts.js";
import { DATA } from "../../src/engine/keyboards.js";
import type { Actor } from "../../src/engine/types.js";
import { ARTIFACTS, launchChromium } from "../helpers/browser.js";
import { register } from "../helpers/contest.js";
import { silentLogger } from "../helpers/logger.js";
import { pdfPages, pdfText } from "../helpers/poppler.js";

const PLAN_003 = path.join(path.dirname(SAMPLE_CONTEST_FILE), "..", "plan-003-ha-noi", "contest.yaml");
const UNITS = ["BADINH", "KIMMA", "PTPBD", "CAUGIAY", "DICHVONG", "STP", "HANOI"];
const AUTHORS = [
  { id: "8301", name: "Nguyễn Văn Kim", phone: "0937300001", unit: "KIMMA", title: "Bài Kim Mã" },
  { id: "8302", name: "Trần Thị Pháp", phone: "0937300002", unit: "PTPBD", title: "Bài Phòng Tư pháp" },
  { id: "8303", name: "Lê Văn Dịch", phone: "0937300003", unit: "DICHVONG", title: "Bài Dịch Vọng" },
  { id: "8304", name: "Phạm Thị Cầu", phone: "0937300004", unit: "CAUGIAY", title: "Bài Cầu Giấy" },
];

describe("juries in Chromium", () => {
  let running: Running;
  let browser: Browser;
  let dataDir: string;
  let base: string;
  const codes = new Map<string, string>();

  const signIn = async (login: string): Promise<Page> => {
    const page = await browser.newPage();
    page.on("dialog", (dialog) => void dialog.accept());
    await page.goto(`${base}/admin/login`);
    await page.fill('input[name="login"]', login);
    await page.fill('input[name="password"]', "mat-khau-giam-khao");
    await page.click("form button");
    await page.waitForURL(/\/admin(\/judging)?$/);
    return page;
  };
  const score = async (page: Page, title: string, points: [number, number, number]) => {
    await page.goto(`${base}/admin/judging/${codes.get(title)}`);
    for (const [i, p] of points.entries()) await page.fill(`input[name="score${i}"]`, String(p));
    await page.click("form[action^='/admin/judging/'] button");
    await page.waitForURL(/saved=1/);
  };

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), "cb-jury-"));
    // The plan's window moved to today, so entries are open.
    const today = DateTime.now().setZone("Asia/Ho_Chi_Minh");
    const file = path.join(dataDir, "contest.yaml");
    await writeFile(
      file,
      (await readFile(PLAN_003, "utf8"))
        .replace("start: 2019-08-01", "start: today")
        .replace("questionBank: ../sample/questions.csv", `questionBank: ${path.join(path.dirname(SAMPLE_CONTEST_FILE), "questions.csv")}`)
        .replace("end: 2019-09-06", `end: ${today.plus({ days: 30 }).toISODate()}`)
        .replace(
          "- { opens: 2019-08-01T00:00, closes: 2019-09-06T17:00 }",
          `- { opens: ${today.toISODate()}T00:00, closes: ${today.plus({ days: 30 }).toISODate()}T17:00 }`,
        ),
    );
    running = await bootstrap(
      loadConfig({ PORT: "0", HOST: "127.0.0.1", DATA_DIR: dataDir, SIMULATOR: "off", CONTEST_FILE: file }),
      silentLogger,
    );
    base = `http://127.0.0.1:${running.port}`;
    for (const a of AUTHORS) {
      const who: Actor = { platform: "TELEGRAM", externalId: a.id, chatId: a.id, canShareContact: true };
      await register(running.runner, who, { name: a.name, phone: a.phone, unit: a.unit });
      const E = DATA.entry;
      for (const event of [
        { type: "button", data: E.start },
        { type: "button", data: E.title },
        { type: "text", text: a.title },
        { type: "button", data: E.text },
        { type: "text", text: `Nội dung của ${a.title}: dịch vụ công trực tuyến mức độ 4.` },
        { type: "button", data: E.essay },
        { type: "text", text: `Lợi ích (${a.title}): không phải đi lại.` },
        { type: "text", text: "Giải pháp: hướng dẫn tại tổ dân phố." },
        { type: "button", data: E.submit },
      ] as const)
        await running.runner.handle(who, event);
    }
    for (const e of await running.db.prisma.entry.findMany()) codes.set(e.title, e.code);
    const prisma = running.db.prisma;
    const password = "mat-khau-giam-khao";
    await createAccount(prisma, { login: "thuky", name: "Thư ký", role: "ORGANIZER", password }, UNITS);
    await createAccount(
      prisma,
      { login: "bd1", name: "Giám khảo Ba Đình 1", role: "JURY", juryLevel: 1, unitCode: "BADINH", homeUnitCode: "PTPBD", password },
      UNITS,
    );
    await createAccount(
      prisma,
      { login: "bd2", name: "Giám khảo Ba Đình 2", role: "JURY", juryLevel: 1, unitCode: "BADINH", password },
      UNITS,
    );
    await createAccount(
      prisma,
      { login: "cg1", name: "Giám khảo Cầu Giấy", role: "JURY", juryLevel: 1, unitCode: "CAUGIAY", password },
      UNITS,
    );
    await createAccount(
      prisma,
      { login: "tp1", name: "Giám khảo Thành phố 1", role: "JURY", juryLevel: 2, homeUnitCode: "STP", password },
      UNITS,
    );
    await createAccount(prisma, { login: "tp2", name: "Giám khảo Thành phố 2", role: "JURY", juryLevel: 2, password }, UNITS);
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await running?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it("lets district jurors score their district's anonymised entries, never one from their own unit", async () => {
    const bd1 = await signIn("bd1");
    expect(await bd1.locator("tr[data-entry]").evaluateAll((rows) => rows.map((r) => r.getAttribute("data-entry")))).toEqual([
      codes.get("Bài Kim Mã"),
    ]);
    const own = await bd1.goto(`${base}/admin/judging/${codes.get("Bài Phòng Tư pháp")}`);
    expect(own?.status()).toBe(403);
    const other = await bd1.goto(`${base}/admin/judging/${codes.get("Bài Dịch Vọng")}`);
    expect(other?.status()).toBe(403); // another district's
    expect((await bd1.goto(`${base}/admin/people`))?.status()).toBe(403); // no names for jurors
    await bd1.goto(`${base}/admin/judging/${codes.get("Bài Kim Mã")}`);
    const page = (await bd1.textContent("main")) ?? "";
    expect(page).toContain("Nội dung của Bài Kim Mã");
    expect(page).toContain("Câu tự luận 2: Đề xuất giải pháp");
    expect(page).toContain("Giải pháp: hướng dẫn tại tổ dân phố.");
    expect(page).not.toContain("Nguyễn Văn Kim");
    expect(page).not.toContain("Kim Mã –");
    await bd1.screenshot({ path: path.join(ARTIFACTS, "console-judging-entry.png"), fullPage: true });
    await score(bd1, "Bài Kim Mã", [50, 20, 10]); // 80
    await bd1.close();

    const bd2 = await signIn("bd2");
    await score(bd2, "Bài Kim Mã", [40, 15, 11]); // 66
    await score(bd2, "Bài Phòng Tư pháp", [55, 20, 14]); // 89
    await bd2.goto(`${base}/admin/judging/${codes.get("Bài Kim Mã")}`);
    await bd2.fill('input[name="score0"]', "61"); // over the criterion's maximum: the browser's check stops it
    expect(await bd2.$eval('input[name="score0"]', (i) => (i as HTMLInputElement).checkValidity())).toBe(false);
    await bd2.close();

    const cg1 = await signIn("cg1");
    await score(cg1, "Bài Dịch Vọng", [45, 20, 12.5]); // 77.5
    await score(cg1, "Bài Cầu Giấy", [50, 20, 12]); // 82
    await cg1.close();
  });

  it("sends each district's best to the final and ranks the final", async () => {
    const organizer = await signIn("thuky");
    await organizer.goto(`${base}/admin/levels`);
    expect(await organizer.textContent('[data-level="1"]')).toContain("4 bài ở cấp này");
    await organizer.check('[data-level="1"] input[name="confirm"]');
    await organizer.click('[data-level="1"] form button');
    await organizer.waitForURL(/done=closed/);
    // Ba Đình: Kim Mã (80 + 66) / 2 = 73 < Phòng Tư pháp 89; Cầu Giấy: Cầu Giấy 82 > Dịch Vọng 77.5.
    const advanced = await running.db.prisma.levelResult.findMany({ where: { level: 1, advanced: true } });
    const titleOf = new Map((await running.db.prisma.entry.findMany()).map((e) => [e.id, e.title]));
    expect(advanced.map((r) => titleOf.get(r.entryId)).sort()).toEqual(["Bài Cầu Giấy", "Bài Phòng Tư pháp"]);
    expect(
      (await running.db.prisma.levelResult.findMany({ where: { level: 1 } })).find((r) => titleOf.get(r.entryId) === "Bài Kim Mã"),
    ).toMatchObject({ score: 73, rank: 2 });

    const tp1 = await signIn("tp1");
    expect(await tp1.locator("tr[data-entry]").count()).toBe(2);
    await score(tp1, "Bài Phòng Tư pháp", [50, 18, 12]); // 80
    await score(tp1, "Bài Cầu Giấy", [58, 22, 14]); // 94
    await tp1.close();
    const tp2 = await signIn("tp2");
    await score(tp2, "Bài Phòng Tư pháp", [52, 20, 12]); // 84
    await score(tp2, "Bài Cầu Giấy", [56, 21, 13]); // 90
    await tp2.close();

    await organizer.goto(`${base}/admin/levels`);
    await organizer.check('[data-level="2"] input[name="confirm"]');
    await organizer.click('[data-level="2"] form button');
    await organizer.waitForURL(/done=closed/);
    const final = await organizer
      .locator('[data-level="2"] tr[data-result]')
      .evaluateAll((rows) => rows.map((r) => [...r.querySelectorAll("td")].map((td) => td.textContent)));
    expect(final.map((r) => [r[1], r[3], r[4], r[5], r[7]])).toEqual([
      ["1", "Bài Cầu Giấy", "Phạm Thị Cầu", "92", "Giải Nhất"],
      ["2", "Bài Phòng Tư pháp", "Trần Thị Pháp", "82", "Giải Nhất"],
    ]);
    // The prize winners' certificates came with the final's results.
    const certificates = await running.db.prisma.certificate.findMany({ where: { scope: "entries" }, orderBy: { serial: "asc" } });
    expect(certificates.map((c) => [c.serial, c.holderName, c.prize])).toEqual([
      ["BT-G001", "Phạm Thị Cầu", "Giải Nhất"],
      ["BT-G002", "Trần Thị Pháp", "Giải Nhất"],
    ]);
    // Published to everyone, names masked; the results read back from the XLSX.
    await organizer.click('[data-level="2"] form[action$="/announce"] button');
    await organizer.waitForURL(/done=published/);
    const announced = await running.db.prisma.campaign.findFirstOrThrow({ where: { systemKey: "level-announce:2" } });
    expect(announced.text).toContain("1. " + codes.get("Bài Cầu Giấy") + " «Bài Cầu Giấy» – Phạm T. C. (Quận Cầu Giấy): Giải Nhất");
    const sheet = new ExcelJS.Workbook();
    await sheet.xlsx.load(
      Buffer.from(await (await organizer.request.get(`${base}/admin/levels/2/results.xlsx`)).body()) as unknown as ArrayBuffer,
    );
    expect(sheet.worksheets[0]!.getRow(2).getCell(4).value).toBe("Bài Cầu Giấy");
    await organizer.screenshot({ path: path.join(ARTIFACTS, "console-final-ranking.png"), fullPage: true });

    // Ba Đình's entries for the jury meeting: one PDF, and a ZIP holding it.
    const pdf = Buffer.from(await (await organizer.request.get(`${base}/admin/units/BADINH/entries.pdf`)).body());
    expect(await pdfPages(pdf)).toBe(2);
    const text = (await pdfText(pdf)).normalize("NFC");
    expect(text).toContain("Bài Kim Mã");
    expect(text).toContain("Tác giả: Trần Thị Pháp");
    expect(text).not.toContain("Bài Cầu Giấy");
    const zip = await JSZip.loadAsync(Buffer.from(await (await organizer.request.get(`${base}/admin/units/BADINH/entries.zip`)).body()));
    expect(Object.keys(zip.files)).toEqual(["bai-du-thi-BADINH.pdf"]);
    await organizer.close();
  });
});
