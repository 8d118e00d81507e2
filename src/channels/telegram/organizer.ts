// Organizer commands inside Telegram for people on TELEGRAM_ORGANIZER_IDS: /thongke (live
// figures) and /guitin (compose a broadcast, preview, confirm). Everyone else falls through
// to the contest conversation.
import { Composer, InlineKeyboard } from "grammy";
import { parseCallback } from "../../engine/callback-data.js";
import { DATA } from "../../engine/keyboards.js";
import { M } from "../../messages/index.js";
import type { TelegramDeps } from "./bot.js";

const DRAFT_TTL_SECONDS = 30 * 60;

export function organizerCommands(deps: TelegramDeps): Composer<import("grammy").Context> {
  const composer = new Composer();
  const tools = deps.organizer;
  const organizers = composer.chatType("private").filter((ctx) => deps.organizerIds.includes(String(ctx.from?.id)));
  const draftKey = (userId: number) => `tg:broadcast-draft:${userId}`;

  organizers.command("thongke", async (ctx) => {
    await ctx.reply(M.organizerStats(await tools.liveFigures()));
  });

  organizers.command("guitin", async (ctx) => {
    const text = ctx.match.trim();
    if (!text) return void (await ctx.reply(M.broadcastUsage));
    const preview = await tools.previewBroadcast(text, `telegram:${ctx.from!.id}`);
    await deps.sessions.set(draftKey(ctx.from!.id), text, DRAFT_TTL_SECONDS);
    await ctx.reply(M.broadcastPreview(text, preview.recipients, preview.blocked), {
      reply_markup: new InlineKeyboard().text(M.broadcastConfirm, DATA.broadcastConfirm).text(M.broadcastCancel, DATA.broadcastCancel),
    });
  });

  organizers.callbackQuery([DATA.broadcastConfirm, DATA.broadcastCancel], async (ctx) => {
    await ctx.answerCallbackQuery();
    const key = draftKey(ctx.from.id);
    const text = await deps.sessions.get<string>(key);
    await deps.sessions.delete(key);
    const callback = parseCallback(ctx.callbackQuery.data);
    if (callback?.kind !== "broadcast" || !callback.confirm) return void (await ctx.editMessageText(M.broadcastCancelled));
    if (!text) return void (await ctx.reply(M.broadcastExpired));
    await ctx.editMessageText(M.broadcastQueued(await tools.queueBroadcast(text, `telegram:${ctx.from.id}`)));
  });
  return composer;
}
