// Long texts are cut at the largest boundary that fits, in order, never mid-word unless a
// single word is longer than the limit; the Telegram adapter sends them as ordered parts.
import { Api } from "grammy";
import { describe, expect, it } from "vitest";
import { TelegramAdapter } from "../../src/channels/telegram/adapter.js";
import { MemorySessionStore } from "../../src/sessions/memory-store.js";
import { splitText } from "../../src/text/split.js";
import { FakeTelegram } from "../helpers/fake-telegram.js";
import { silentLogger } from "../helpers/logger.js";

describe("splitting long texts", () => {
  it("prefers paragraphs, then lines, then sentences, then words, and loses nothing", () => {
    const paragraph = (n: number) => `Đoạn ${n}. ${"Câu văn tiếng Việt có dấu. ".repeat(8).trim()}`;
    const text = Array.from({ length: 12 }, (_, i) => paragraph(i + 1)).join("\n\n");
    const parts = splitText(text, 500);
    expect(parts.join("\n\n")).toBe(text);
    for (const p of parts) {
      expect([...p].length).toBeLessThanOrEqual(500);
      expect(p.startsWith("Đoạn")).toBe(true);
    }
    const sentences = splitText("Một câu ngắn. ".repeat(60).trim(), 100);
    for (const p of sentences) expect(p.endsWith(".")).toBe(true);
    expect(splitText("x".repeat(250), 100).map((p) => p.length)).toEqual([100, 100, 50]);
    expect(splitText("ngắn", 100)).toEqual(["ngắn"]);
  });

  it("sends a 9,000-character Telegram message as ordered parts, buttons on the last", async () => {
    const fake = new FakeTelegram();
    await fake.start();
    try {
      const adapter = new TelegramAdapter(new Api("1:x", { apiRoot: fake.apiRoot }), new MemorySessionStore(), silentLogger);
      const text = Array.from({ length: 95 }, (_, i) => `Dòng ${i}: ${"giải thích đáp án ".repeat(5).trim()}`).join("\n");
      expect(text.length).toBeGreaterThan(9_000);
      await adapter.send("42", { text, buttons: [[{ label: "Bắt đầu thi", data: "m:thi" }]] });
      const sent = fake.sent();
      expect(sent.length).toBe(3);
      expect(sent.map((c) => String(c.payload.text)).join("\n")).toBe(text);
      for (const c of sent) expect([...String(c.payload.text)].length).toBeLessThanOrEqual(4_096);
      expect(sent.slice(0, -1).every((c) => c.payload.reply_markup === undefined)).toBe(true);
      expect(JSON.stringify(sent.at(-1)!.payload.reply_markup)).toContain("m:thi");
    } finally {
      await fake.stop();
    }
  });
});
