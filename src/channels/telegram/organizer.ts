// Organizer commands inside Telegram for people on TELEGRAM_ORGANIZER_IDS: /thongke (live
// figures) and /guitin (compose a broadcast, preview, confirm). Everyone else falls through
// to the contest conversation.
import { Composer, InlineKeyboard } from "grammy";
import { createCampaign, previewCampaign } from "../../broadcast/campaigns.js";
import { ResultsService } from "../../engine/results.js";
import { M } from "../../engine/messages.js";
import type { TelegramDeps } from "./bot.js";

const DRAFT_TTL_SECONDS = 30 * 60;

export function organizerCommands(deps: TelegramDeps): Composer<import("grammy").Context> {
  const composer = new Composer();
  const organizers = composer.chatType("private").filter((ctx) => deps.organizerIds.includes(String(ctx.from?.id)));
  const draftKey = (userId: number) => `tg:broadcast-draft:${userId}`;

  organizers.command("thongke", async (ctx) => {
    const now = new Date();
    const round = await deps.engine.attempts.openRound(now);
    const registered = await deps.prisma.participant.count({ where: { contestId: deps.contest.id } });
    const attempted = round ? await deps.prisma.attempt.count({ where: { roundId: round.id } }) : 0;
    const perfect = round
      ? await deps.prisma.attempt.count({ where: { roundId: round.id, score: deps.contest.def.questionsPerAttempt } })
      : 0;
    const units = round
      ? (await new ResultsService(deps.prisma, deps.contest, deps.engine.attempts).unitRanking(round.id))
          .filter((u) => u.participants > 0)
          .slice(0, 5)
          .map((u) => `${u.rank}. ${u.name}: ${u.participants} người${u.rate !== null ? ` (${Math.round(u.rate * 100)}%)` : ""}`)
      : [];
    await ctx.reply(M.organizerStats({ registered, round: round?.number ?? null, attempted, perfect, units }));
  });

  organizers.command("guitin", async (ctx) => {
    const text = ctx.match.trim();
    if (!text) return void (await ctx.reply(M.broadcastUsage));
    const input = { name: `Telegram /guitin`, text, audience: { kind: "all" as const }, createdBy: `telegram:${ctx.from!.id}` };
    const preview = await previewCampaign(deps.prisma, deps.contest, input, new Date());
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
    const campaign = await createCampaign(
      deps.prisma,
      deps.contest,
      { name: "Telegram /guitin", text, audience: { kind: "all" }, createdBy: `telegram:${ctx.from.id}` },
      new Date(),
    );
    await deps.prisma.auditLog.create({
      data: { actor: `telegram:${ctx.from.id}`, action: "campaign.create", details: { campaignId: campaign.id, via: "telegram" } },
    });
    const total = await deps.prisma.delivery.count({ where: { campaignId: campaign.id } });
    await ctx.editMessageText(M.broadcastQueued(total));
  });
  return composer;
}
