// The Telegram channel: a grammY bot fed from the inbox. Private-chat updates become
// conversation turns (applied once, replies queued in the outbox with the button press to
// answer); group messages only point people to the private chat; the bot's membership
// records users who blocked it. With long polling the bot records what it polls in the inbox
// first, exactly as the webhook does, so both modes run the same pipeline.
import { Bot, type Context, InlineKeyboard } from "grammy";
import type { Update, UserFromGetMe } from "grammy/types";
import type { ContestContext } from "../../contest/context.js";
import type { Actor } from "../../engine/types.js";
import type { PrismaClient } from "../../generated/prisma/client.js";
import type { Logger } from "../../logger.js";
import { M } from "../../messages/index.js";
import type { OrganizerTools } from "../../organizer/tools.js";
import type { DocumentLoader } from "../../pipeline/outbox.js";
import type { InboxHandler, Pipeline } from "../../pipeline/pipeline.js";
import type { TurnRunner } from "../../pipeline/turn-runner.js";
import type { SessionStore } from "../../sessions/store.js";
import { parseCommand } from "../commands.js";
import { TelegramAdapter } from "./adapter.js";
import { toInboundEvent } from "./events.js";
import { organizerCommands } from "./organizer.js";
import { telegramActorKey } from "./update-shape.js";

export interface TelegramDeps {
  token: string;
  apiRoot: string;
  runner: TurnRunner;
  pipeline: Pipeline;
  organizer: OrganizerTools;
  contest: ContestContext;
  prisma: PrismaClient;
  sessions: SessionStore;
  logger: Logger;
  organizerIds: string[];
  /** Draws the files messages refer to (certificates). */
  documents?: DocumentLoader;
  /** Skips getMe (tests, autoscaled instances). */
  botInfo?: UserFromGetMe;
}

/** The bot, its rendering adapter (replies and broadcasts) and what the inbox worker calls. */
export function createTelegramBot(deps: TelegramDeps): { bot: Bot; adapter: TelegramAdapter; process: InboxHandler } {
  // No retry plugin: a 429 or an outage fails the call, and the outbox (or the inbox, for
  // group and organizer replies) retries after Telegram's retry_after, holding every send.
  const bot = new Bot(deps.token, { client: { apiRoot: deps.apiRoot }, botInfo: deps.botInfo });
  const adapter = new TelegramAdapter(bot.api, deps.sessions, deps.logger, deps.documents);
  // Updates handed over by the inbox worker, with their inbox ids; any other update is new.
  const inboxIds = new WeakMap<object, string>();
  const applied = new WeakSet<object>();

  bot.use(async (ctx, next) => {
    if (inboxIds.has(ctx.update)) return next();
    // Long polling: record the update like the webhook does; a worker hands it back here.
    await deps.pipeline.receive("TELEGRAM", String(ctx.update.update_id), telegramActorKey(ctx.update), ctx.update);
  });

  bot.on("my_chat_member", async (ctx) => {
    if (ctx.chat.type !== "private") return;
    const status = ctx.myChatMember.new_chat_member.status;
    await deps.prisma.platformAccount.updateMany({
      where: { platform: "TELEGRAM", externalId: String(ctx.from.id) },
      data:
        status === "kicked"
          ? { blockedAt: new Date(), unreachableReason: "blocked the bot" }
          : { blockedAt: null, unreachableReason: null },
    });
  });

  bot.chatType(["group", "supergroup"]).on("message:text", (ctx) => onGroupMessage(ctx, deps));
  bot.use(organizerCommands(deps));
  bot.chatType("private").on(["message", "callback_query:data"], async (ctx) => {
    if (await onPrivateUpdate(ctx, deps, inboxIds.get(ctx.update)!)) applied.add(ctx.update);
  });
  // Any other button press still gets an answer so the client stops spinning.
  bot.on("callback_query", (ctx) => ctx.answerCallbackQuery().catch(() => undefined));
  // Long polling only: recording in the inbox failed (the database is down); the update is lost
  // to this poll, as it would be answered 5xx to a webhook and redelivered.
  bot.catch((error) => deps.logger.error({ err: error.error, updateId: error.ctx.update.update_id }, "Telegram update not recorded"));
  const process: InboxHandler = async (event) => {
    const update = event.payload as Update;
    inboxIds.set(update, event.id);
    // handleUpdate, not the bot's error boundary: a failure goes back to the inbox to retry.
    await bot.handleUpdate(update);
    return applied.has(update) ? "applied" : "handled";
  };
  return { bot, adapter, process };
}

async function onGroupMessage(ctx: Context, deps: TelegramDeps): Promise<void> {
  const text = ctx.message?.text ?? "";
  const command = parseCommand(text);
  const me = ctx.me.username;
  const chatId = String(ctx.chat!.id);
  if (command?.name === "donvi") {
    if (!deps.organizerIds.includes(String(ctx.from?.id))) {
      await ctx.reply(M.groupUnitForbidden);
      return;
    }
    const unit = deps.contest.units.find((u) => u.code === command.payload?.toUpperCase());
    if (!unit) {
      await ctx.reply(M.groupUnitUnknown);
      return;
    }
    await deps.prisma.telegramGroup.upsert({
      where: { chatId },
      create: { chatId, unitCode: unit.code, setBy: String(ctx.from!.id) },
      update: { unitCode: unit.code, setBy: String(ctx.from!.id) },
    });
    await ctx.reply(M.groupUnitSet(unit.name));
    return;
  }
  const mentioned = text.includes(`@${me}`);
  if (command?.name !== "start" && command?.name !== "thi" && !mentioned) return;
  const linked = await deps.prisma.telegramGroup.findUnique({ where: { chatId } });
  const code = (command?.name === "start" && command.payload?.toUpperCase()) || linked?.unitCode;
  const unit = deps.contest.units.find((u) => u.code === code);
  const url = `https://t.me/${me}${unit ? `?start=${unit.code}` : ""}`;
  await ctx.reply(M.groupInvite(deps.contest.title, unit?.name), {
    reply_markup: new InlineKeyboard().url(M.groupOpenPrivate, url),
  });
}

/** Applies the update as a conversation turn; false when it is none (nothing to do). */
async function onPrivateUpdate(ctx: Context, deps: TelegramDeps, inboundId: string): Promise<boolean> {
  const event = toInboundEvent(ctx);
  if (!event || !ctx.from || !ctx.chat) return false;
  const actor: Actor = {
    platform: "TELEGRAM",
    externalId: String(ctx.from.id),
    chatId: String(ctx.chat.id),
    displayName: [ctx.from.first_name, ctx.from.last_name].filter(Boolean).join(" "),
    canShareContact: true,
  };
  await deps.runner.apply({
    actor,
    event,
    inboundId,
    context: { callbackQueryId: ctx.callbackQuery?.id, afterContact: event.type === "contact" },
  });
  return true;
}
