// The conversation engine: given who writes, what they sent, their session and the clock, it
// decides what to store and what to answer. It knows nothing about Telegram or Zalo (see
// types.ts) nor about how turns are queued and committed (src/pipeline). A turn loads the
// account and participant, then dispatches to a step; the steps live in registration/,
// attempt-flow.ts and menu.ts.
import type { CertificateReader } from "../certificates/certificates.js";
import type { ContestContext } from "../contest/context.js";
import type { AttemptService } from "../domain/attempts.js";
import type { EntryService } from "../domain/entries.js";
import type { People } from "../domain/people.js";
import type { UnitAdminDirectory } from "../domain/unit-admins.js";
import type { UnitTools } from "../domain/unit-tools.js";
import type { Logger } from "../logger.js";
import { M } from "../messages/index.js";
import { onAnswerButton, onAttemptInput, startAttempt } from "./attempt-flow.js";
import { type Callback, parseCallback } from "./callback-data.js";
import { onEntryAction, onEntryInput } from "./entries.js";
import { showCertificates, showHelp, showMenu, showProfile, showResults, showReview } from "./menu.js";
import { draftOf, onStart, showConfirm, unitByCode } from "./registration/flow.js";
import { onRegistrationEvent } from "./registration/steps.js";
import { type ConversationSession, emptySession } from "./session.js";
import { type EngineContext, isRegistered, type RegisteredTurn, say, type Turn } from "./turn.js";
import type { Actor, InboundEvent, Reply } from "./types.js";
import { onUnitAdmin } from "./unit-admin.js";

export interface EngineDeps {
  contest: ContestContext;
  logger: Logger;
  unitAdmins?: UnitAdminDirectory;
  links?: EngineContext["links"];
}

/** Everything one turn works with: the services are bound to the turn's transaction. */
export interface TurnInput {
  actor: Actor;
  event: InboundEvent;
  session: ConversationSession | undefined;
  people: People;
  attempts: AttemptService;
  certificates: CertificateReader;
  unitTools: UnitTools;
  entries: EntryService;
  now: Date;
}

export interface TurnResult {
  reply: Reply;
  session: ConversationSession;
}

export class ConversationEngine {
  constructor(private readonly deps: EngineDeps) {}

  /**
   * Runs one turn. It reads and writes only through the services it is given and returns the
   * new session: storing the session, the effects and the replies together is the caller's
   * job (pipeline/turn-runner.ts), so a turn applies once or not at all.
   */
  async turn(input: TurnInput): Promise<TurnResult> {
    const { actor, now, people } = input;
    const ctx: EngineContext = {
      contest: this.deps.contest,
      people,
      attempts: input.attempts,
      certificates: input.certificates,
      unitTools: input.unitTools,
      entries: input.entries,
      unitAdmins: this.deps.unitAdmins,
      links: this.deps.links,
      logger: this.deps.logger,
    };
    const { account, participant } = await people.arrive(actor, now);
    const turn: Turn = { actor, account, participant, session: input.session ?? emptySession(), now, out: [] };
    await this.dispatch(ctx, turn, input.event);
    return { reply: { messages: turn.out, notice: turn.notice }, session: turn.session };
  }

  private async dispatch(ctx: EngineContext, turn: Turn, event: InboundEvent): Promise<void> {
    const callback = event.type === "button" ? parseCallback(event.data) : undefined;
    if (event.type === "button" && !callback) {
      // Forged, or from an older version of the bot: nothing to do but say the button is stale.
      ctx.logger.warn({ platform: turn.actor.platform, length: event.data.length }, "unknown button payload ignored");
      turn.notice = M.staleButton;
      return;
    }
    if (event.type === "start" || (event.type === "command" && event.name === "start")) {
      return onStart(ctx, turn, event.type === "start" ? event.payload : undefined);
    }
    if (turn.session.step) return onRegistrationEvent(ctx, turn, event, callback);
    if (!isRegistered(turn)) {
      if (event.type === "text" && unitByCode(ctx, event.text)) return onStart(ctx, turn, event.text);
      if (turn.actor.startsOnAnyMessage) return onStart(ctx, turn, undefined);
      return say(turn, M.notRegistered);
    }
    return this.onRegistered(ctx, turn, event, callback);
  }

  private async onRegistered(ctx: EngineContext, turn: RegisteredTurn, event: InboundEvent, callback: Callback | undefined): Promise<void> {
    const command = event.type === "command" ? event.name : callback?.kind === "menu" ? callback.item : undefined;
    if (command === "hoso") return showProfile(ctx, turn);
    if (command === "huongdan") return showHelp(ctx, turn);
    if (command === "ketqua") return showResults(ctx, turn);
    if (command === "chungnhan") return showCertificates(ctx, turn);
    if (callback?.kind === "unitAdmin") return onUnitAdmin(ctx, turn, callback.action);
    if (command === "baithi" || callback?.kind === "entry")
      return onEntryAction(ctx, turn, callback?.kind === "entry" ? callback.action : "menu");
    if (turn.session.entryInput && (event.type === "text" || event.type === "file")) return onEntryInput(ctx, turn, event);
    if (event.type === "file" && ctx.contest.def.kind !== "quiz") {
      const current = await ctx.entries.current(turn.participant.id);
      if (current?.status === "DRAFT") return onEntryInput(ctx, turn, event);
      return say(turn, M.entryFileNoDraft);
    }
    if (callback?.kind === "review") return showReview(ctx, turn, callback.round);
    if (callback?.kind === "editProfile") {
      turn.session = { ...emptySession(), editingProfile: true, draft: draftOf(ctx, turn.participant) };
      return showConfirm(ctx, turn);
    }

    if (ctx.contest.def.kind === "written" && command === "thi") return say(turn, M.writtenOnly);
    const { round, attempt } = await ctx.attempts.current(turn.now, turn.participant.id);
    if (command === "thi") return startAttempt(ctx, turn, round, attempt);
    if (callback?.kind === "answer") return onAnswerButton(ctx, turn, callback, attempt);
    if (attempt?.status === "IN_PROGRESS") return onAttemptInput(ctx, turn, event, callback, attempt);
    if (event.type === "unsupported") return say(turn, M.unsupported);
    if (event.type === "button") {
      // A button of a finished step (a repeated «Xác nhận» or «Nộp bài»): answered, nothing sent.
      turn.notice = M.staleButton;
      return;
    }
    say(turn, M.unknownText);
    showMenu(ctx, turn);
  }
}
