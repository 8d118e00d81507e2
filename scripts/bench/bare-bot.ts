// The baseline of the benchmark: a bare grammY bot behind express, no database, doing what
// the contest bot does per update at the least: a question with an inline keyboard, every
// tap answered (answerCallbackQuery) and the question edited in place, the prediction, the
// result. Run as its own process: PORT, TELEGRAM_API_ROOT, TELEGRAM_WEBHOOK_SECRET.
import express from "express";
import { Bot, InlineKeyboard, webhookCallback } from "grammy";
import { BOT_INFO } from "../../test/helpers/fake-telegram.js";

const questions = 10;
const bot = new Bot("1:bench", {
  client: { apiRoot: process.env.TELEGRAM_API_ROOT! },
  botInfo: BOT_INFO,
});
const keyboard = (position: number) =>
  InlineKeyboard.from([["A", "B", "C", "D"].map((l, k) => InlineKeyboard.text(l, `a:bare:${position}:${k}`))]);
const question = (position: number) => `Câu ${position + 1}/${questions}: câu hỏi mẫu?\nA. Một\nB. Hai\nC. Ba\nD. Bốn`;

bot.command("thi", (ctx) => ctx.reply(question(0), { reply_markup: keyboard(0) }));
bot.callbackQuery(/^a:bare:(\d+):\d$/, async (ctx) => {
  const position = Number(ctx.match[1]);
  await ctx.answerCallbackQuery("Đã ghi nhận câu trả lời.");
  if (position + 1 < questions) await ctx.editMessageText(question(position + 1), { reply_markup: keyboard(position + 1) });
  else await ctx.reply("Câu hỏi dự đoán: bao nhiêu người trả lời đúng hết?");
});
bot.callbackQuery("p:ok", async (ctx) => {
  await ctx.answerCallbackQuery();
  await ctx.reply("Bạn đã nộp bài: đúng 10/10 câu.");
});
bot.on("message:text", (ctx) => ctx.reply("Bấm «Nộp bài» để hoàn thành.", { reply_markup: new InlineKeyboard().text("Nộp bài", "p:ok") }));

const app = express();
app.use(express.json());
app.post("/webhooks/telegram", webhookCallback(bot, "express", { secretToken: process.env.TELEGRAM_WEBHOOK_SECRET }));
app.get("/healthz", (_req, res) => void res.json({ status: "ok" }));
app.listen(Number(process.env.PORT), "127.0.0.1");
