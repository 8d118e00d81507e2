// The conversation engine: given who writes, what they sent and the clock, it decides what to
// store and what to answer. It knows nothing about Telegram or Zalo (see types.ts). A turn is
// a small pipeline: lock the person, load account/participant/session, dispatch to a step,
// save the session. The steps live in registration/, attempt-flow.ts and menu.ts.
import type { ContestContext } from "../contest/context.js";
import type { AttemptService } from "../domain/attempts.js";
import type { People } from "../domain/people.js";
import type { Logger } from "../logger.js";
import { M } from "../messages/index.js";
import type { SessionStore } from "../sessions/store.js";
import { onAnswerButton, onAttemptInput, startAttempt } from "./attempt-flow.js";
import { type Callback, parseCallback } from "./callback-data.js";
import { showHelp, showMenu, showProfile, showResults, showReview } from "./menu.js";
import { draftOf, onStart, showConfirm, unitByCode } from "./registration/flow.js";
import { onRegistrationEvent } from "./registration/steps.js";
import { type ConversationSession, emptySession } from "./session.js";
import { type EngineContext, isRegistered, type RegisteredTurn, say, type Turn } from "./turn.js";
import type { Actor, InboundEvent, Reply } from "./types.js";

export interface EngineDeps {
  contest: ContestContext;
  people: People;
  attempts: AttemptService;
  sessions: SessionStore;
  clock: () => Date;
  logger: Logger;
  sessionTtlSeconds?: number;
}

const SESSION_TTL = 60 * 60 * 24 * 30;

export class ConversationEngine {
  private readonly locks = new Map<string, Promise<unknown>>();
  private readonly ctx: EngineContext;

  constructor(private readonly deps: EngineDeps) {
    this.ctx = { contest: deps.contest, people: deps.people, attempts: deps.attempts, logger: deps.logger };
  }

  /** Handles one inbound event. Events of one account are processed one at a time. */
  handle(actor: Actor, event: InboundEvent): Promise<Reply> {
    const key = `${actor.platform}:${actor.externalId}`;
    const previous = this.locks.get(key) ?? Promise.resolve();
    const run = previous.catch(() => undefined).then(() => this.process(actor, event));
    this.locks.set(key, run);
    void run
      .finally(() => {
        if (this.locks.get(key) === run) this.locks.delete(key);
      })
      .catch(() => undefined);
    return run;
  }

  private sessionKey(actor: Actor): string {
    return `conv:${this.deps.contest.slug}:${actor.platform}:${actor.externalId}`;
  }

  private async process(actor: Actor, event: InboundEvent): Promise<Reply> {
    const now = this.deps.clock();
    const account = await this.deps.people.touchAccount(actor, now);
    const participant = account.phone ? await this.deps.people.byPhone(account.phone) : null;
    const session = (await this.deps.sessions.get<ConversationSession>(this.sessionKey(actor))) ?? emptySession();
    const turn: Turn = { actor, account, participant, session, now, out: [] };
    await this.dispatch(turn, event);
    await this.deps.sessions.set(this.sessionKey(actor), turn.session, this.deps.sessionTtlSeconds ?? SESSION_TTL);
    return { messages: turn.out, notice: turn.notice };
  }

  private async dispatch(turn: Turn, event: InboundEvent): Promise<void> {
    const callback = event.type === "button" ? parseCallback(event.data) : undefined;
    if (event.type === "button" && !callback) {
      // Forged, or from an older version of the bot: nothing to do but say the button is stale.
      this.ctx.logger.warn({ platform: turn.actor.platform, length: event.data.length }, "unknown button payload ignored");
      turn.notice = M.staleButton;
      return;
    }
    if (event.type === "start" || (event.type === "command" && event.name === "start")) {
      return onStart(this.ctx, turn, event.type === "start" ? event.payload : undefined);
    }
    if (turn.session.step) return onRegistrationEvent(this.ctx, turn, event, callback);
    if (!isRegistered(turn)) {
      if (event.type === "text" && unitByCode(this.ctx, event.text)) return onStart(this.ctx, turn, event.text);
      if (turn.actor.startsOnAnyMessage) return onStart(this.ctx, turn, undefined);
      return say(turn, M.notRegistered);
    }
    return this.onRegistered(turn, event, callback);
  }

  private async onRegistered(turn: RegisteredTurn, event: InboundEvent, callback: Callback | undefined): Promise<void> {
    const command = event.type === "command" ? event.name : callback?.kind === "menu" ? callback.item : undefined;
    if (command === "hoso") return showProfile(this.ctx, turn);
    if (command === "huongdan") return showHelp(this.ctx, turn);
    if (command === "ketqua") return showResults(this.ctx, turn);
    if (callback?.kind === "review") return showReview(this.ctx, turn, callback.round);
    if (callback?.kind === "editProfile") {
      turn.session = { ...emptySession(), editingProfile: true, draft: draftOf(this.ctx, turn.participant) };
      return showConfirm(this.ctx, turn);
    }

    const round = await this.ctx.attempts.openRound(turn.now);
    const attempt = round ? await this.ctx.attempts.forRound(round.id, turn.participant.id) : null;
    if (command === "thi") return startAttempt(this.ctx, turn, round, attempt);
    if (callback?.kind === "answer") return onAnswerButton(this.ctx, turn, callback, attempt);
    if (attempt?.status === "IN_PROGRESS") return onAttemptInput(this.ctx, turn, event, callback, attempt);
    if (event.type === "unsupported") return say(turn, M.unsupported);
    if (event.type === "button") {
      // A button of a finished step (a repeated «Xác nhận» or «Nộp bài»): answered, nothing sent.
      turn.notice = M.staleButton;
      return;
    }
    say(turn, M.unknownText);
    showMenu(turn);
  }
}
