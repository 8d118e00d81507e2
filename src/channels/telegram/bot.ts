// The Telegram channel: grammY bot that turns private-chat updates into engine events and
// renders the engine's replies in Telegram's idiom (inline keyboards, the question edited in
// place, contact button), answers every button press, drops redelivered updates, and records
// users who blocked the bot. In groups it only points people to the private chat.
import { autoRetry } from "@grammyjs/auto-retry";
import { Bot, type Context, GrammyError, InlineKeyboard } from "grammy";
import type { UserFromGetMe } from "grammy/types";
import type { ContestContext } from "../../contest/context.js";
import type { ConversationEngine } from "../../engine/engine.js";
import type { Actor, OutboundMessage, Reply } from "../../engine/types.js";
import type { PrismaClient } from "../../generated/prisma/client.js";
import type { Logger } from "../../logger.js";
import { M } from "../../messages/index.js";
import type { OrganizerTools } from "../../organizer/tools.js";
import type { SessionStore } from "../../sessions/store.js";
import { parseCommand } from "../commands.js";
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
// A question message is edited in place only within one attempt's lifetime.
const QUESTION_MESSAGE_TTL_SECONDS = 60 * 60 * 6;

export function isBlockedError(error: unknown): error is GrammyError {
  return error instanceof GrammyError && error.error_code === 403;
}

function isNotModified(error: unknown): boolean {
  return error instanceof GrammyError && error.description.includes("message is not modified");
}

function keyboard(message: OutboundMessage): InlineKeyboard | undefined {
  if (!message.buttons?.length) return undefined;
  return InlineKeyboard.from(message.buttons.map((row) => row.map((b) => InlineKeyboard.text(b.label, b.data))));
}

export function createTelegramBot(deps: TelegramDeps): Bot {
  const bot = new Bot(deps.token, { client: { apiRoot: deps.apiRoot }, botInfo: deps.botInfo });
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
  bot.chatType("private").on(["message", "callback_query:data"], (ctx) => onPrivateUpdate(ctx, deps));
  // Any other button press still gets an answer so the client stops spinning.
  bot.on("callback_query", (ctx) => ctx.answerCallbackQuery().catch(() => undefined));
  // Used by long polling only (webhook errors go to express and Telegram redelivers).
  bot.catch((error) => deps.logger.error({ err: error.error, updateId: error.ctx.update.update_id }, "Telegram update failed"));
  return bot;
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

async function onPrivateUpdate(ctx: Context, deps: TelegramDeps): Promise<void> {
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
    await render(ctx, deps, reply, event.type === "contact");
  } catch (error) {
    await answer();
    if (isBlockedError(error)) {
      await markBlocked(deps, actor.externalId, (error as GrammyError).description);
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

async function render(ctx: Context, deps: TelegramDeps, reply: Reply, afterContact: boolean): Promise<void> {
  const chatId = ctx.chat!.id;
  const questionKey = `tg:question:${chatId}`;
  // Take the contact keyboard away once the number was accepted (not when asked again).
  if (afterContact && !reply.messages.some((m) => m.contactRequest)) {
    await ctx.reply(M.contactReceived, { reply_markup: { remove_keyboard: true } });
  }
  for (const message of reply.messages) {
    if (message.contactRequest) {
      await ctx.reply(message.text, {
        reply_markup: {
          keyboard: [[{ text: message.contactRequest, request_contact: true }]],
          resize_keyboard: true,
          one_time_keyboard: true,
        },
      });
      continue;
    }
    const markup = keyboard(message);
    if (message.slot === "question") {
      const previous = await deps.sessions.get<number>(questionKey);
      if (previous !== undefined) {
        try {
          await ctx.api.editMessageText(chatId, previous, message.text, { reply_markup: markup });
          continue;
        } catch (error) {
          if (isNotModified(error)) continue;
          // The old message is gone or too old to edit: send a new one instead.
          deps.logger.debug({ err: (error as Error).message }, "question edit failed; sending anew");
        }
      }
      const sent = await ctx.reply(message.text, { reply_markup: markup });
      await deps.sessions.set(questionKey, sent.message_id, QUESTION_MESSAGE_TTL_SECONDS);
      continue;
    }
    // Anything between questions ends the run of edits: the next question is a new message.
    await deps.sessions.delete(questionKey);
    await ctx.reply(message.text, { reply_markup: markup });
  }
}
