// Organizer commands inside Telegram for people on TELEGRAM_ORGANIZER_IDS: /thongke (live
// figures) and /guitin (compose a broadcast, preview, confirm). Everyone else falls through
// to the contest conversation.
import { Composer, InlineKeyboard } from "grammy";
import { createCampaign, previewCampaign, type CampaignInput } from "../../broadcast/campaigns.js";
import { liveStats } from "../../reports/reports.js";
import { ResultsService } from "../../results/results.js";
import { M } from "../../engine/messages.js";
import type { TelegramDeps } from "./bot.js";

const DRAFT_TTL_SECONDS = 30 * 60;

/** The broadcast an organizer composes with /guitin: to everyone registered. */
const broadcastInput = (text: string, userId: number): CampaignInput => ({
  name: "Telegram /guitin",
  text,
  audience: { kind: "all" },
  createdBy: `telegram:${userId}`,
});

export function organizerCommands(deps: TelegramDeps): Composer<import("grammy").Context> {
  const composer = new Composer();
  const organizers = composer.chatType("private").filter((ctx) => deps.organizerIds.includes(String(ctx.from?.id)));
  const draftKey = (userId: number) => `tg:broadcast-draft:${userId}`;

  organizers.command("thongke", async (ctx) => {
    const stats = await liveStats(deps.prisma, deps.contest, deps.engine.attempts, new Date());
    const units = stats.roundId
      ? (await new ResultsService(deps.prisma, deps.contest, deps.engine.attempts).unitRanking(stats.roundId))
          .filter((u) => u.participants > 0)
          .slice(0, 5)
          .map((u) => `${u.rank}. ${u.name}: ${u.participants} người${u.rate !== null ? ` (${Math.round(u.rate * 100)}%)` : ""}`)
      : [];
    await ctx.reply(M.organizerStats({ ...stats, units }));
  });

  organizers.command("guitin", async (ctx) => {
    const text = ctx.match.trim();
    if (!text) return void (await ctx.reply(M.broadcastUsage));
    const preview = await previewCampaign(deps.prisma, deps.contest, broadcastInput(text, ctx.from!.id), new Date());
    await deps.sessions.set(draftKey(ctx.from!.id), text, DRAFT_TTL_SECONDS);
    await ctx.reply(M.broadcastPreview(text, preview.recipients, preview.blocked), {
      reply_markup: new InlineKeyboard().text(M.broadcastConfirm, "bc:ok").text(M.broadcastCancel, "bc:no"),
    });
  });

  organizers.callbackQuery(["bc:ok", "bc:no"], async (ctx) => {
    await ctx.answerCallbackQuery();
    const key = draftKey(ctx.from.id);
    const text = await deps.sessions.get<string>(key);
    await deps.sessions.delete(key);
    if (ctx.callbackQuery.data === "bc:no") return void (await ctx.editMessageText(M.broadcastCancelled));
    if (!text) return void (await ctx.reply(M.broadcastExpired));
    const campaign = await createCampaign(deps.prisma, deps.contest, broadcastInput(text, ctx.from.id), new Date());
    await deps.prisma.auditLog.create({
      data: { actor: `telegram:${ctx.from.id}`, action: "campaign.create", details: { campaignId: campaign.id, via: "telegram" } },
    });
    const total = await deps.prisma.delivery.count({ where: { campaignId: campaign.id } });
    await ctx.editMessageText(M.broadcastQueued(total));
  });
  return composer;
}
