// End-to-end in headless Chromium (Debian's package, driven by playwright-core).
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createToken } from "../../src/admin/tokens.js";
import { bootstrap, type Running } from "../../src/bootstrap.js";
import { loadConfig } from "../../src/config.js";
import { ARTIFACTS, launchChromium } from "../helpers/browser.js";
import { silentLogger } from "../helpers/logger.js";

async function lastBotText(page: Page): Promise<string> {
  return (await page.locator(".msg.bot").last().textContent()) ?? "";
}

async function say(page: Page, text: string): Promise<void> {
  await page.fill("#text", text);
  await page.press("#text", "Enter");
}

async function tap(page: Page, label: string | RegExp): Promise<void> {
  await page.locator(".buttons button", { hasText: label }).last().click();
}

describe("web simulator in Chromium", () => {
  let running: Running;
  let browser: Browser;
  let dataDir: string;
  let base: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), "cb-sim-"));
    running = await bootstrap(loadConfig({ PORT: "0", HOST: "127.0.0.1", DATA_DIR: dataDir, SIMULATOR: "on" }), silentLogger);
    base = `http://127.0.0.1:${running.port}`;
    browser = await launchChromium(["--disable-quic", "--disable-component-update", "--disable-sync"]);
  });

  afterAll(async () => {
    await browser?.close();
    await running?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it("registers, shows a validation error, takes an attempt to the result; a second tab cannot attempt again", async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 800 } });
    page.on("dialog", (dialog) => void dialog.accept("0912 777 888"));
    await page.goto(`${base}/simulator?start=TDP02`);
    await expect.poll(() => page.locator(".msg.bot").count()).toBeGreaterThanOrEqual(3);
    expect(await page.locator(".msg.bot").first().textContent()).toContain("Tổ dân phố số 2");
    await tap(page, "Tôi đồng ý");
    await expect.poll(() => lastBotText(page)).toContain("họ và tên");
    await say(page, "lý thị hoa");
    await expect.poll(() => lastBotText(page)).toContain("ngày sinh");
    await say(page, "30/02/1990");
    await expect.poll(() => lastBotText(page)).toContain("không có thật");
    await say(page, "12/08/1992");
    await expect.poll(() => lastBotText(page)).toContain("Chia sẻ số điện thoại");
    await page.locator("button.contact").click();
    await expect.poll(() => lastBotText(page)).toContain("tư cách");
    await tap(page, "Người dân");
    await expect.poll(() => lastBotText(page)).toContain("Họ tên: Lý Thị Hoa");
    await tap(page, "Xác nhận");
    await expect.poll(() => page.locator(".msg.bot", { hasText: "Đăng ký thành công" }).count()).toBe(1);
    await tap(page, "Bắt đầu thi");
    for (let k = 1; k <= 10; k++) {
      await expect.poll(() => page.locator(".msg.bot", { hasText: `Câu ${k}/10` }).count()).toBe(1);
      await tap(page, /^A$/);
    }
    // The question bubble was replaced in place, not appended ten times.
    expect(await page.locator(".msg.bot", { hasText: /Câu \d+\/10/ }).count()).toBeLessThanOrEqual(1);
    await expect.poll(() => lastBotText(page)).toContain("dự đoán");
    await say(page, "42");
    await expect.poll(() => lastBotText(page)).toContain("Nộp bài");
    await tap(page, "Nộp bài");
    await expect.poll(async () => await page.locator(".msg.bot", { hasText: "Bạn đã nộp bài" }).count()).toBe(1);
    await page.screenshot({ path: path.join(ARTIFACTS, "simulator-result.png"), fullPage: true });

    // Another tab, another simulated account, same person (same phone): linked, no second attempt.
    const second = await browser.newPage();
    second.on("dialog", (dialog) => void dialog.accept("0912777888"));
    await second.goto(`${base}/simulator`);
    await expect.poll(() => second.locator(".buttons button").count()).toBeGreaterThan(0);
    await tap(second, "Tôi đồng ý");
    await say(second, "Lý Thị Hoa");
    await expect.poll(() => lastBotText(second)).toContain("ngày sinh");
    await say(second, "12/08/1992");
    await expect.poll(() => lastBotText(second)).toContain("Chia sẻ số điện thoại");
    await second.locator("button.contact").click();
    await expect.poll(() => second.locator(".msg.bot", { hasText: "đã được liên kết" }).count()).toBe(1);
    await tap(second, "Bắt đầu thi");
    await expect.poll(() => lastBotText(second)).toContain("Bạn đã hoàn thành lượt thi vòng 1");
    const attempts = await running.db.prisma.attempt.count({ where: { participant: { phone: "+84912777888" } } });
    expect(attempts).toBe(1);
  });

  it("rejects malformed simulator events with 400 and answers 404 when switched off", async () => {
    const bad = await request(running.server)
      .post("/simulator/api/event")
      .send({ user: "x y", event: { type: "text" } });
    expect(bad.status).toBe(400);
    expect(bad.body.issues.length).toBeGreaterThan(0);
    const offDir = await mkdtemp(path.join(os.tmpdir(), "cb-sim-off-"));
    const off = await bootstrap(loadConfig({ PORT: "0", HOST: "127.0.0.1", DATA_DIR: offDir, NODE_ENV: "production" }), silentLogger);
    try {
      expect((await request(off.server).get("/simulator")).status).toBe(404);
      expect((await request(off.server).post("/simulator/api/event").send({})).status).toBe(404);
    } finally {
      await off.stop();
      await rm(offDir, { recursive: true, force: true });
    }
  });
});

describe("organizer preview through the simulator API", () => {
  let running: Running;
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), "cb-preview-"));
    running = await bootstrap(loadConfig({ PORT: "0", HOST: "127.0.0.1", DATA_DIR: dataDir, SIMULATOR: "on" }), silentLogger);
  });
  afterAll(async () => {
    await running?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it("is for organizers only: no token, a wrong one or a unit admin's gets 401", async () => {
    const { token: unitToken } = await createToken(running.db.prisma, { name: "tổ 1", role: "UNIT_ADMIN", unitCode: "TDP01" });
    for (const auth of [undefined, "Bearer wrong", `Bearer ${unitToken}`]) {
      const rounds = request(running.server).get("/simulator/api/preview/rounds");
      expect((await (auth ? rounds.set("authorization", auth) : rounds)).status).toBe(401);
      const event = request(running.server)
        .post("/simulator/api/event")
        .send({ user: "probe", event: { type: "start" }, preview: { offsetMs: 0 } });
      const res = await (auth ? event.set("authorization", auth) : event);
      expect(res.status).toBe(401);
      expect(res.body.messages).toBeUndefined();
    }
  });

  it("plays round 3 on its third day without writing anything real", async () => {
    const { token } = await createToken(running.db.prisma, { name: "BTC", role: "ORGANIZER" });
    const participantsBefore = await running.db.prisma.participant.count();
    const rounds = await request(running.server).get("/simulator/api/preview/rounds").set("authorization", `Bearer ${token}`);
    expect(rounds.status).toBe(200);
    expect(rounds.body.rounds).toHaveLength(4);
    const offsetMs = new Date(rounds.body.rounds[2].opensAt).getTime() + 2 * 86_400_000 - Date.now();
    const post = (event: object) =>
      request(running.server)
        .post("/simulator/api/event")
        .set("authorization", `Bearer ${token}`)
        .send({ user: "pv-test", event, preview: { offsetMs } });
    await post({ type: "start" });
    await post({ type: "button", data: "c:y" });
    await post({ type: "text", text: "Người Xem Trước" });
    await post({ type: "text", text: "01/01/1980" });
    await post({ type: "contact", phone: "0912000999" });
    await post({ type: "button", data: "us:UBND" });
    await post({ type: "button", data: "au:CBCC" });
    await post({ type: "button", data: "cf:ok" });
    const attempt = await post({ type: "button", data: "m:thi" });
    expect(attempt.status).toBe(200);
    expect(attempt.body.messages.map((m: { text: string }) => m.text).join("\n")).toContain("Vòng 3: 10 câu hỏi");
    expect(await running.db.prisma.participant.count()).toBe(participantsBefore);
    expect(await running.db.prisma.attempt.count()).toBe(0);
    // The real world at the real time is still in round 1 and knows nobody.
    const real = await request(running.server)
      .post("/simulator/api/event")
      .send({ user: "pv-test", event: { type: "command", name: "thi" } });
    expect(real.body.messages[0].text).toContain("chưa đăng ký");
  });
});
