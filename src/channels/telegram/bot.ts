// The Telegram channel: grammY bot that turns private-chat updates into engine events and
// renders the engine's replies in Telegram's idiom (inline keyboards, the question edited in
// place, contact button), answers every button press, drops redelivered updates, and records
// users who blocked the bot. In groups it only points people to the private chat.
import { autoRetry } from "@grammyjs/auto-retry";
import { Bot, type Context, InlineKeyboard } from "grammy";
import type { UserFromGetMe } from "grammy/types";
import { RecipientUnreachableError } from "../../broadcast/messenger.js";
import type { ContestContext } from "../../contest/context.js";
import type { ConversationEngine } from "../../engine/engine.js";
import type { Actor } from "../../engine/types.js";
import type { PrismaClient } from "../../generated/prisma/client.js";
import type { Logger } from "../../logger.js";
import { M } from "../../messages/index.js";
import type { OrganizerTools } from "../../organizer/tools.js";
import type { SessionStore } from "../../sessions/store.js";
import { parseCommand } from "../commands.js";
import { TelegramAdapter } from "./adapter.js";
import { toInboundEvent } from "./events.js";
import { organizerCommands } from "./organizer.js";

export interface TelegramDeps {
  token: string;
  apiRoot: string;
  engine: ConversationEngine;
  organizer: OrganizerTools;
  contest: ContestContext;
  prisma: PrismaClient;
  sessions: SessionStore;
  logger: Logger;
  organizerIds: string[];
  /** Skips getMe (tests, autoscaled instances). */
  botInfo?: UserFromGetMe;
}

// Telegram keeps undelivered updates for 24 h; remember ids a little longer.
const DEDUPE_TTL_SECONDS = 60 * 60 * 26;
/** The bot and its rendering adapter (also the broadcast messenger for Telegram). */
export function createTelegramBot(deps: TelegramDeps): { bot: Bot; adapter: TelegramAdapter } {
  const bot = new Bot(deps.token, { client: { apiRoot: deps.apiRoot }, botInfo: deps.botInfo });
  const adapter = new TelegramAdapter(bot.api, deps.sessions, deps.logger);
  // 429: wait retry_after and retry, capped so a webhook request does not outlive Telegram's
  // wait. Network errors and 5xx are not retried here (the plugin would retry a network error
  // without limit inside the request): the update fails and Telegram redelivers it.
  bot.api.config.use(autoRetry({ maxRetryAttempts: 3, maxDelaySeconds: 10, rethrowHttpErrors: true, rethrowInternalServerErrors: true }));

  bot.use(async (ctx, next) => {
    const key = `tg:update:${ctx.update.update_id}`;
    if (!(await deps.sessions.setIfAbsent(key, 1, DEDUPE_TTL_SECONDS))) {
      deps.logger.info({ updateId: ctx.update.update_id }, "duplicate Telegram update ignored");
      return;
    }
    try {
      await next();
    } catch (error) {
      // Failed: forget the id so Telegram's redelivery is processed instead of dropped.
      await deps.sessions.delete(key);
      throw error;
    }
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
  bot.chatType("private").on(["message", "callback_query:data"], (ctx) => onPrivateUpdate(ctx, deps, adapter));
  // Any other button press still gets an answer so the client stops spinning.
  bot.on("callback_query", (ctx) => ctx.answerCallbackQuery().catch(() => undefined));
  // Used by long polling only (webhook errors go to express and Telegram redelivers).
  bot.catch((error) => deps.logger.error({ err: error.error, updateId: error.ctx.update.update_id }, "Telegram update failed"));
  return { bot, adapter };
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

async function onPrivateUpdate(ctx: Context, deps: TelegramDeps, adapter: TelegramAdapter): Promise<void> {
  const event = toInboundEvent(ctx);
  if (!event || !ctx.from || !ctx.chat) return;
  const actor: Actor = {
    platform: "TELEGRAM",
    externalId: String(ctx.from.id),
    chatId: String(ctx.chat.id),
    displayName: [ctx.from.first_name, ctx.from.last_name].filter(Boolean).join(" "),
    canShareContact: true,
  };
  let answered = false;
  const answer = async (text?: string) => {
    if (answered || !ctx.callbackQuery) return;
    answered = true;
    // A late or repeated answer fails with "query is too old": nothing to do about it.
    await ctx
      .answerCallbackQuery(text ? { text: text.slice(0, 200) } : undefined)
      .catch((error: unknown) => deps.logger.debug({ err: (error as Error).message }, "answerCallbackQuery failed"));
  };
  try {
    const reply = await deps.engine.handle(actor, event);
    await answer(reply.notice);
    await adapter.reply(actor.chatId, reply.messages, { afterContact: event.type === "contact" });
  } catch (error) {
    await answer();
    if (error instanceof RecipientUnreachableError) {
      await markBlocked(deps, actor.externalId, error.message);
      return;
    }
    throw error;
  }
}

async function markBlocked(deps: TelegramDeps, externalId: string, reason: string): Promise<void> {
  await deps.prisma.platformAccount.updateMany({
    where: { platform: "TELEGRAM", externalId },
    data: { blockedAt: new Date(), unreachableReason: reason },
  });
}
