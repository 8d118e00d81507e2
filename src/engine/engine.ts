// The conversation engine: given who writes, what they sent and the clock, it decides what
// to store and what to answer. It knows nothing about Telegram or Zalo (see types.ts).
import { DateTime } from "luxon";
import type { Participant, PlatformAccount, PrismaClient, Round } from "../generated/prisma/client.js";
import type { Logger } from "../logger.js";
import type { SessionStore } from "../sessions/store.js";
import { isUniqueViolation } from "../storage/errors.js";
import { fold, nfc } from "../text/normalize.js";
import { AttemptService, nextPosition, type AttemptWithQuestions } from "../domain/attempts.js";
import type { ContestContext } from "../contest/context.js";
import { formatClock, formatDate, formatDateTime, formatDuration, formatPhone } from "./format.js";
import { parseCallback } from "./callback-data.js";
import { answerButtons, DATA, menuButtons, ROOT, unitButtons } from "./keyboards.js";
import { BUTTONS, M, type ValidationMessageKey } from "./messages.js";
import { emptySession, type ConversationSession, type Draft, type RegistrationStep } from "./session.js";
import type { Actor, Button, InboundEvent, OutboundMessage, Reply } from "./types.js";
import { normalizePhone, validateBirthDate, validateFullName, validatePhone, validatePrediction } from "./validation.js";

export interface EngineDeps {
  prisma: PrismaClient;
  sessions: SessionStore;
  contest: ContestContext;
  clock: () => Date;
  logger: Logger;
  sessionTtlSeconds?: number;
  attempts?: AttemptService;
}

/** State of one turn of the conversation. */
interface Turn {
  actor: Actor;
  account: PlatformAccount;
  participant: Participant | null;
  session: ConversationSession;
  now: Date;
  out: OutboundMessage[];
  notice?: string;
}

const SESSION_TTL = 60 * 60 * 24 * 30;
const LETTER_ANSWER = /^[a-fA-F1-6]$/;

export class ConversationEngine {
  readonly attempts: AttemptService;
  private readonly locks = new Map<string, Promise<unknown>>();

  constructor(private readonly deps: EngineDeps) {
    this.attempts = deps.attempts ?? new AttemptService(deps.prisma, deps.contest);
  }

  private get contest(): ContestContext {
    return this.deps.contest;
  }

  /** Handles one inbound event. Events of one account are processed one at a time. */
  handle(actor: Actor, event: InboundEvent): Promise<Reply> {
    const key = `${actor.platform}:${actor.externalId}`;
    const previous = this.locks.get(key) ?? Promise.resolve();
    const run = previous.catch(() => undefined).then(() => this.process(actor, event));
    this.locks.set(key, run);
    void run.finally(() => {
      if (this.locks.get(key) === run) this.locks.delete(key);
    }).catch(() => undefined);
    return run;
  }

  private sessionKey(actor: Actor): string {
    return `conv:${this.contest.slug}:${actor.platform}:${actor.externalId}`;
  }

  private async process(actor: Actor, event: InboundEvent): Promise<Reply> {
    const now = this.deps.clock();
    const account = await this.deps.prisma.platformAccount.upsert({
      where: { platform_externalId: { platform: actor.platform, externalId: actor.externalId } },
      create: {
        platform: actor.platform,
        externalId: actor.externalId,
        chatId: actor.chatId,
        displayName: actor.displayName,
        lastInteractionAt: now,
      },
      update: { chatId: actor.chatId, displayName: actor.displayName, lastInteractionAt: now, blockedAt: null },
    });
    const participant = account.phone
      ? await this.deps.prisma.participant.findUnique({
          where: { contestId_phone: { contestId: this.contest.id, phone: account.phone } },
        })
      : null;
    const session = (await this.deps.sessions.get<ConversationSession>(this.sessionKey(actor))) ?? emptySession();
    const turn: Turn = { actor, account, participant, session, now, out: [] };
    await this.dispatch(turn, event);
    await this.deps.sessions.set(this.sessionKey(actor), turn.session, this.deps.sessionTtlSeconds ?? SESSION_TTL);
    return { messages: turn.out, notice: turn.notice };
  }

  private say(turn: Turn, text: string, extra: Omit<OutboundMessage, "text"> = {}): void {
    turn.out.push({ text, ...extra });
  }

  private async dispatch(turn: Turn, event: InboundEvent): Promise<void> {
    if (event.type === "button" && !parseCallback(event.data)) {
      // Forged or from an older version of the bot: nothing to do but say the button is stale.
      this.deps.logger.warn({ platform: turn.actor.platform, length: event.data.length }, "unknown button payload ignored");
      turn.notice = M.staleButton;
      return;
    }
    if (event.type === "start" || (event.type === "command" && event.name === "start")) {
      return this.onStart(turn, event.type === "start" ? event.payload : undefined);
    }
    if (turn.session.step) return this.onRegistration(turn, event);
    if (!turn.participant) {
      if (event.type === "text" && this.unitByCode(event.text)) return this.onStart(turn, event.text);
      return this.say(turn, M.notRegistered);
    }
    return this.onRegistered(turn, event);
  }

  // ── Start and registration ─────────────────────────────────────────────

  private unitByCode(text: string | undefined) {
    const code = nfc(text ?? "").replace(/^#/, "").toUpperCase();
    return code ? this.contest.units.find((u) => u.code === code) : undefined;
  }

  private async onStart(turn: Turn, payload: string | undefined): Promise<void> {
    const unit = this.unitByCode(payload);
    if (turn.participant) {
      turn.session = emptySession();
      this.say(turn, M.welcomeBack(turn.participant.fullName));
      return this.showMenu(turn);
    }
    turn.session = { ...emptySession(), step: "consent", referral: unit?.code };
    this.say(turn, M.welcome(this.contest.title, this.contest.organizer, unit?.name));
    if (payload && !unit) this.say(turn, M.unknownReferral);
    this.say(turn, M.rulesSummary(this.contest.rules));
    this.ask(turn, "consent");
  }

  private ask(turn: Turn, step: RegistrationStep): void {
    turn.session.step = step;
    switch (step) {
      case "consent":
        return this.say(turn, M.consent, {
          buttons: [[{ label: BUTTONS.consentYes, data: DATA.consentYes }], [{ label: BUTTONS.consentNo, data: DATA.consentNo }]],
        });
      case "fullName":
        return this.say(turn, M.askName);
      case "birthDate":
        return this.say(turn, M.askBirth);
      case "phone":
        return turn.actor.canShareContact
          ? this.say(turn, M.askPhoneContact, { contactRequest: BUTTONS.shareContact })
          : this.say(turn, M.askPhoneTyped);
      case "unit":
        return this.say(turn, M.askUnit, { buttons: unitButtons(this.contest.units, undefined, 0) });
      case "audience":
        return this.say(turn, M.askAudience, {
          buttons: this.contest.audiences.map((a) => [{ label: a.name, data: DATA.audience(a.code) }]),
        });
      case "confirm":
        return this.showConfirm(turn);
    }
  }

  private needs(field: "unit"): boolean {
    return this.contest.def.registration.fields.includes(field);
  }

  /** Moves to the step after `step`, or back to the confirmation screen when correcting. */
  private advance(turn: Turn, step: RegistrationStep): void {
    const d = turn.session.draft;
    if (turn.session.returnToConfirm) return this.ask(turn, "confirm");
    const order: RegistrationStep[] = ["fullName", "birthDate", "phone", "unit", "audience", "confirm"];
    for (const next of order.slice(order.indexOf(step) + 1)) {
      if (next === "unit") {
        if (!this.needs("unit")) continue;
        const referral = this.contest.units.find((u) => u.code === turn.session.referral);
        if (referral && !d.unitCode) {
          d.unitCode = referral.code;
          this.say(turn, M.unitFromReferral(referral.name));
        }
        if (d.unitCode) continue;
      }
      if (next === "audience") {
        if (this.contest.audiences.length === 1) d.audienceCode = this.contest.audiences[0]!.code;
        if (this.contest.audiences.length <= 1 || d.audienceCode) continue;
      }
      return this.ask(turn, next);
    }
  }

  private invalid(turn: Turn, key: ValidationMessageKey | "birthTooYoung"): void {
    this.say(turn, key === "birthTooYoung" ? M.birthTooYoung(this.contest.def.minimumAge) : M[key]);
  }

  private async onRegistration(turn: Turn, event: InboundEvent): Promise<void> {
    const s = turn.session;
    const d = s.draft;
    const text = event.type === "text" ? event.text : undefined;
    if (event.type === "unsupported") return this.say(turn, M.unsupported);
    if (event.type === "command") return this.say(turn, M.commandDuringRegistration);

    switch (s.step) {
      case "consent":
        if (event.type === "button" && event.data === DATA.consentNo) {
          turn.session = emptySession();
          return this.say(turn, M.consentRefused);
        }
        if (event.type === "button" && event.data === DATA.consentYes) {
          turn.notice = BUTTONS.consentYes;
          return this.ask(turn, "fullName");
        }
        return this.ask(turn, "consent");

      case "fullName": {
        if (text === undefined) return this.say(turn, M.askName);
        const r = validateFullName(text);
        if (!r.ok) return this.invalid(turn, r.error as ValidationMessageKey);
        d.fullName = r.value;
        return this.advance(turn, "fullName");
      }

      case "birthDate": {
        if (text === undefined) return this.say(turn, M.askBirth);
        const today = DateTime.fromJSDate(turn.now, { zone: this.contest.timezone });
        const r = validateBirthDate(text, today, this.contest.def.minimumAge);
        if (!r.ok) return this.invalid(turn, r.error as ValidationMessageKey);
        d.birthDate = r.value;
        return this.advance(turn, "birthDate");
      }

      case "phone": {
        let phone: string | undefined;
        if (event.type === "contact") {
          if (!event.own) return this.say(turn, M.contactNotOwn, { contactRequest: BUTTONS.shareContact });
          phone = normalizePhone(event.phone);
          if (!phone) return this.say(turn, M.phoneInvalid, turn.actor.canShareContact ? { contactRequest: BUTTONS.shareContact } : {});
        } else if (text !== undefined) {
          if (turn.actor.canShareContact) return this.say(turn, M.phoneUseButton, { contactRequest: BUTTONS.shareContact });
          const r = validatePhone(text);
          if (!r.ok) return this.invalid(turn, "phoneInvalid");
          phone = r.value;
        } else {
          return this.ask(turn, "phone");
        }
        const existing = await this.deps.prisma.participant.findUnique({
          where: { contestId_phone: { contestId: this.contest.id, phone } },
        });
        if (existing) return this.linkAccount(turn, existing);
        d.phone = phone;
        return this.advance(turn, "phone");
      }

      case "unit":
        return this.onUnitStep(turn, event);

      case "audience": {
        const code = event.type === "button" && event.data.startsWith("au:") ? event.data.slice(3) : undefined;
        if (!code || !this.contest.audiences.some((a) => a.code === code)) return this.ask(turn, "audience");
        d.audienceCode = code;
        return this.advance(turn, "audience");
      }

      case "confirm":
        return this.onConfirmStep(turn, event);
    }
  }

  private async onUnitStep(turn: Turn, event: InboundEvent): Promise<void> {
    const units = this.contest.units;
    if (event.type === "button") {
      const [kind, code, page] = event.data.split(":");
      const unit = units.find((u) => u.code === code);
      if (kind === "u" && unit) {
        const hasChildren = units.some((u) => u.parentId === unit.id);
        if (!hasChildren) return this.chooseUnit(turn, unit.code);
        return this.say(turn, M.askUnitIn(unit.name), { buttons: unitButtons(units, unit, 0) });
      }
      if (kind === "us" && unit) return this.chooseUnit(turn, unit.code);
      if (kind === "up") {
        const parent = code === ROOT ? undefined : unit;
        return this.say(turn, parent ? M.askUnitIn(parent.name) : M.askUnit, {
          buttons: unitButtons(units, parent, Number(page) || 0),
        });
      }
      return this.ask(turn, "unit");
    }
    if (event.type !== "text") return this.ask(turn, "unit");
    const byCode = this.unitByCode(event.text);
    if (byCode) return this.chooseUnit(turn, byCode.code);
    const query = fold(event.text);
    const matches = query.length >= 2 ? units.filter((u) => fold(u.name).includes(query)).slice(0, 8) : [];
    if (matches.length === 0) {
      return this.say(turn, M.unitNotFound(nfc(event.text)), { buttons: unitButtons(units, undefined, 0) });
    }
    return this.say(turn, M.unitSearchResults(nfc(event.text)), {
      buttons: matches.map((u) => [{ label: u.name, data: DATA.unitChoose(u.code) }]),
    });
  }

  private chooseUnit(turn: Turn, code: string): void {
    turn.session.draft.unitCode = code;
    this.advance(turn, "unit");
  }

  private showConfirm(turn: Turn): void {
    const d = turn.session.draft;
    turn.session.step = "confirm";
    turn.session.returnToConfirm = true;
    const edit: Button[][] = [
      [{ label: BUTTONS.editName, data: DATA.edit("fullName") }],
      [{ label: BUTTONS.editBirth, data: DATA.edit("birthDate") }],
    ];
    if (!turn.session.editingProfile) edit.push([{ label: BUTTONS.editPhone, data: DATA.edit("phone") }]);
    if (this.needs("unit")) edit.push([{ label: BUTTONS.editUnit, data: DATA.edit("unit") }]);
    if (this.contest.audiences.length > 1) edit.push([{ label: BUTTONS.editAudience, data: DATA.edit("audience") }]);
    this.say(turn, M.confirmProfile(this.describe(d)), {
      buttons: [[{ label: BUTTONS.confirm, data: DATA.confirm }], ...edit],
    });
  }

  private describe(d: { fullName?: string; birthDate?: string; phone?: string; unitCode?: string; audienceCode?: string }) {
    return {
      fullName: d.fullName ?? "",
      birth: d.birthDate ? formatDate(d.birthDate) : "",
      phone: d.phone ? formatPhone(d.phone) : "",
      unit: this.contest.units.find((u) => u.code === d.unitCode)?.name ?? "—",
      audience: this.contest.audiences.find((a) => a.code === d.audienceCode)?.name,
    };
  }

  private async onConfirmStep(turn: Turn, event: InboundEvent): Promise<void> {
    if (event.type !== "button") return this.say(turn, M.useButtons, {});
    if (event.data.startsWith("cf:e:")) {
      const field = event.data.slice(5) as RegistrationStep;
      if (field === "phone" && turn.session.editingProfile) return this.say(turn, M.phoneLocked);
      if (["fullName", "birthDate", "phone", "unit", "audience"].includes(field)) return this.ask(turn, field);
      return this.showConfirm(turn);
    }
    if (event.data !== DATA.confirm) return this.showConfirm(turn);
    return turn.session.editingProfile ? this.saveProfile(turn) : this.register(turn);
  }

  /** A registered participant's data in the shape of a registration draft. */
  private draftOf(p: Participant): Draft {
    return {
      fullName: p.fullName,
      birthDate: p.birthDate.toISOString().slice(0, 10),
      phone: p.phone,
      unitCode: this.contest.units.find((u) => u.id === p.unitId)?.code,
      audienceCode: this.contest.audiences.find((a) => a.id === p.audienceId)?.code,
    };
  }

  private ids(d: ConversationSession["draft"]) {
    return {
      unitId: this.contest.units.find((u) => u.code === d.unitCode)?.id ?? null,
      audienceId: this.contest.audiences.find((a) => a.code === d.audienceCode)?.id ?? null,
    };
  }

  private async register(turn: Turn): Promise<void> {
    const d = turn.session.draft;
    if (!d.fullName || !d.birthDate || !d.phone) return this.ask(turn, !d.fullName ? "fullName" : !d.birthDate ? "birthDate" : "phone");
    const excluded = this.contest.def.excludedPhones.some((p) => normalizePhone(p) === d.phone);
    try {
      // Participant and account link in one transaction: a racing duplicate tap (another
      // instance) sees either nothing or both.
      const [participant, account] = await this.deps.prisma.$transaction([
        this.deps.prisma.participant.create({
          data: {
            contestId: this.contest.id,
            phone: d.phone,
            fullName: d.fullName,
            birthDate: new Date(`${d.birthDate}T00:00:00Z`),
            excluded,
            consentAt: turn.now,
            ...this.ids(d),
          },
        }),
        this.deps.prisma.platformAccount.update({ where: { id: turn.account.id }, data: { phone: d.phone } }),
      ]);
      turn.account = account;
      turn.participant = participant;
      turn.session = emptySession();
      this.say(turn, M.registered(participant.fullName));
      return this.showMenu(turn);
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      const existing = await this.deps.prisma.participant.findUniqueOrThrow({
        where: { contestId_phone: { contestId: this.contest.id, phone: d.phone } },
      });
      const mine = await this.deps.prisma.platformAccount.findUniqueOrThrow({ where: { id: turn.account.id } });
      if (mine.phone === d.phone) {
        // This very account registered a moment ago (the same «Xác nhận» handled twice).
        turn.account = mine;
        turn.participant = existing;
        turn.session = emptySession();
        turn.notice = M.alreadyRegistered;
        return;
      }
      // Registered at the same moment from another platform: link to that participant.
      return this.linkAccount(turn, existing);
    }
  }

  private async setAccountPhone(turn: Turn, phone: string): Promise<void> {
    turn.account = await this.deps.prisma.platformAccount.update({ where: { id: turn.account.id }, data: { phone } });
  }

  private async linkAccount(turn: Turn, participant: Participant): Promise<void> {
    const { prisma } = this.deps;
    if (turn.actor.platform === "SIMULATOR") {
      // A simulated phone is never verified: it must not take over a real person's entry.
      const real = await prisma.platformAccount.count({ where: { phone: participant.phone, platform: { not: "SIMULATOR" } } });
      if (real > 0) {
        this.say(turn, M.simulatorPhoneTaken);
        return this.ask(turn, "phone");
      }
    } else {
      // The verified owner arrives: simulated accounts that typed this phone lose it.
      await prisma.platformAccount.updateMany({ where: { phone: participant.phone, platform: "SIMULATOR" }, data: { phone: null } });
    }
    await this.setAccountPhone(turn, participant.phone);
    turn.participant = participant;
    turn.session = emptySession();
    this.say(turn, M.linkedExisting(participant.fullName));
    this.deps.logger.info({ participantId: participant.id, platform: turn.actor.platform }, "account linked to participant");
    return this.showMenu(turn);
  }

  private async saveProfile(turn: Turn): Promise<void> {
    const d = turn.session.draft;
    turn.participant = await this.deps.prisma.participant.update({
      where: { id: turn.participant!.id },
      data: { fullName: d.fullName, birthDate: new Date(`${d.birthDate}T00:00:00Z`), ...this.ids(d) },
    });
    turn.session = emptySession();
    this.say(turn, M.profileUpdated);
    return this.showMenu(turn);
  }

  // ── Registered participants ───────────────────────────────────────────

  private showMenu(turn: Turn): void {
    this.say(turn, M.menu, { buttons: menuButtons() });
  }

  private async onRegistered(turn: Turn, event: InboundEvent): Promise<void> {
    const p = turn.participant!;
    const command =
      event.type === "command"
        ? event.name
        : event.type === "button"
          ? ({ [DATA.menuStart]: "thi", [DATA.menuResults]: "ketqua", [DATA.menuProfile]: "hoso", [DATA.menuHelp]: "huongdan" } as Record<string, string>)[event.data]
          : undefined;
    if (command === "hoso") return this.showProfile(turn);
    if (command === "huongdan") {
      const def = this.contest.def;
      this.say(turn, M.help(def.timeLimitMinutes, def.questionsPerAttempt, def.prediction.enabled));
      return this.showMenu(turn);
    }
    if (command === "ketqua") return this.showResults(turn);
    const callback = event.type === "button" ? parseCallback(event.data) : undefined;
    if (callback?.kind === "review") return this.showReview(turn, callback.round);
    if (event.type === "button" && event.data === DATA.editProfile) {
      turn.session = { ...emptySession(), editingProfile: true, draft: this.draftOf(p) };
      return this.showConfirm(turn);
    }

    const round = await this.attempts.openRound(turn.now);
    const attempt = round ? await this.attempts.forRound(round.id, p.id) : null;
    if (command === "thi") return this.startAttempt(turn, round, attempt);
    if (callback?.kind === "answer") return this.onAnswerButton(turn, callback, attempt);
    if (attempt?.status === "IN_PROGRESS") return this.onAttemptInput(turn, event, attempt);
    if (event.type === "unsupported") return this.say(turn, M.unsupported);
    if (event.type === "button") {
      // A button of a finished step (a repeated «Xác nhận» or «Nộp bài»): answered, nothing sent.
      turn.notice = M.staleButton;
      return;
    }
    this.say(turn, M.unknownText);
    return this.showMenu(turn);
  }

  private showProfile(turn: Turn): void {
    this.say(turn, M.profile(this.describe(this.draftOf(turn.participant!))), {
      buttons: [[{ label: BUTTONS.editProfile, data: DATA.editProfile }], ...menuButtons().slice(0, 1)],
    });
  }

  private async showResults(turn: Turn): Promise<void> {
    const attempts = await this.deps.prisma.attempt.findMany({
      where: { participantId: turn.participant!.id },
      include: { round: true, _count: { select: { questions: true } } },
      orderBy: { round: { number: "asc" } },
    });
    const lines = attempts.map((a) =>
      a.status === "IN_PROGRESS"
        ? M.inProgressLine(a.round.number)
        : M.resultLine(a.round.number, a.score ?? 0, a._count.questions, formatDuration(a.durationMs ?? 0), a.status === "EXPIRED" ? "hết giờ" : ""),
    );
    const closed = attempts.filter((a) => a.round.closedAt && a.status !== "IN_PROGRESS");
    this.say(turn, M.myResults(lines), {
      buttons: closed.length ? [closed.map((a) => ({ label: M.reviewButton(a.round.number), data: DATA.review(a.round.number) }))] : undefined,
    });
    return this.showMenu(turn);
  }

  /** The participant's own paper with correct answers and explanations, once the round is closed. */
  private async showReview(turn: Turn, roundNumber: number): Promise<void> {
    const round = await this.deps.prisma.round.findUnique({
      where: { contestId_number: { contestId: this.contest.id, number: roundNumber } },
    });
    if (!round) return this.showMenu(turn);
    if (!round.closedAt) return this.say(turn, M.reviewNotYet(formatDateTime(round.closesAt, this.contest.timezone)));
    const attempt = await this.attempts.forRound(round.id, turn.participant!.id);
    if (!attempt) return this.showMenu(turn);
    const letter = (aq: AttemptWithQuestions["questions"][number], option: number | null) =>
      option === null ? undefined : `${"ABCDEF"[aq.optionOrder.indexOf(option)]}. ${aq.question.options[option]}`;
    for (const aq of attempt.questions) {
      this.say(turn, M.reviewItem(aq.position + 1, aq.question.text, letter(aq, aq.chosen), letter(aq, aq.question.correct)!, aq.question.explanation));
    }
    return this.showMenu(turn);
  }

  private nextOpening(turn: Turn): Promise<string | undefined> {
    return this.attempts.nextRound(turn.now).then((r) => (r ? formatDateTime(r.opensAt, this.contest.timezone) : undefined));
  }

  private async startAttempt(turn: Turn, round: Round | null, existing: AttemptWithQuestions | null): Promise<void> {
    const p = turn.participant!;
    if (!round) return this.say(turn, M.noOpenRound(await this.nextOpening(turn)), { buttons: menuButtons().slice(1) });
    let attempt = existing;
    if (attempt && attempt.status === "IN_PROGRESS" && turn.now >= attempt.deadlineAt) {
      await this.attempts.finalize(attempt.id, turn.now);
      attempt = await this.attempts.load(attempt.id);
    }
    if (attempt && attempt.status !== "IN_PROGRESS") {
      return this.say(turn, M.alreadyAttempted(round.number, await this.nextOpening(turn)), { buttons: menuButtons().slice(1) });
    }
    if (attempt) {
      this.say(turn, M.resumeAttempt);
      return this.continueAttempt(turn, attempt);
    }
    const started = await this.attempts.start(round, p, turn.account.id, turn.now);
    if (!started.created && started.attempt.status !== "IN_PROGRESS") {
      return this.say(turn, M.alreadyAttempted(round.number, await this.nextOpening(turn)));
    }
    const def = this.contest.def;
    if (started.created) {
      if (p.excluded) this.say(turn, M.practiceNote);
      this.say(
        turn,
        M.attemptIntro(round.number, started.attempt.questions.length, def.timeLimitMinutes, formatDateTime(started.attempt.deadlineAt, this.contest.timezone)),
      );
    } else {
      this.say(turn, M.resumeAttempt);
    }
    return this.continueAttempt(turn, started.attempt);
  }

  /** Shows whatever the attempt needs next: a question, the prediction, or the submit screen. */
  private continueAttempt(turn: Turn, attempt: AttemptWithQuestions): void {
    const position = nextPosition(attempt);
    if (position !== undefined) return this.showQuestion(turn, attempt, position);
    const def = this.contest.def;
    if (def.prediction.enabled && (attempt.prediction === null || turn.session.predictionAgain)) {
      return this.say(turn, M.askPrediction(def.prediction.question));
    }
    const answered = attempt.questions.filter((q) => q.chosen !== null).length;
    this.say(turn, M.confirmSubmit(answered, attempt.questions.length, attempt.prediction ?? undefined), {
      buttons: [
        [{ label: BUTTONS.submit, data: DATA.submit }],
        ...(def.prediction.enabled ? [[{ label: BUTTONS.editPrediction, data: DATA.editPrediction }]] : []),
      ],
    });
  }

  private showQuestion(turn: Turn, attempt: AttemptWithQuestions, position: number): void {
    const aq = attempt.questions[position]!;
    const options = aq.optionOrder.map((i) => aq.question.options[i]!);
    this.say(
      turn,
      M.question(position + 1, attempt.questions.length, formatClock(attempt.deadlineAt.getTime() - turn.now.getTime()), aq.question.text, options),
      { buttons: answerButtons(attempt.id, position, options.length), slot: "question" },
    );
  }

  private async onAnswerButton(
    turn: Turn,
    { attemptId, position, shown }: { attemptId: string; position: number; shown: number },
    attempt: AttemptWithQuestions | null,
  ): Promise<void> {
    if (!attempt || attempt.id !== attemptId || attempt.status !== "IN_PROGRESS") {
      turn.notice = M.staleButton;
      if (attempt?.status === "IN_PROGRESS") return this.continueAttempt(turn, attempt);
      return;
    }
    if (position !== nextPosition(attempt) || shown >= attempt.questions[position]!.optionOrder.length) {
      turn.notice = M.staleButton;
      return;
    }
    return this.recordAnswer(turn, attempt, position, shown);
  }

  private async recordAnswer(turn: Turn, attempt: AttemptWithQuestions, position: number, shown: number): Promise<void> {
    const outcome = await this.attempts.answer(attempt, position, shown, turn.now);
    if (outcome === "late" || outcome === "closed") return this.showFinal(turn, attempt, true);
    if (outcome === "duplicate") turn.notice = M.staleButton;
    else turn.notice = M.answerRecorded;
    const fresh = (await this.attempts.load(attempt.id))!;
    return this.continueAttempt(turn, fresh);
  }

  private async onAttemptInput(turn: Turn, event: InboundEvent, attempt: AttemptWithQuestions): Promise<void> {
    if (turn.now >= attempt.deadlineAt) return this.showFinal(turn, attempt, true);
    const position = nextPosition(attempt);
    const text = event.type === "text" ? nfc(event.text) : undefined;
    if (position !== undefined) {
      if (text && LETTER_ANSWER.test(text)) {
        const shown = /\d/.test(text) ? Number(text) - 1 : text.toUpperCase().charCodeAt(0) - 65;
        if (shown < attempt.questions[position]!.optionOrder.length) return this.recordAnswer(turn, attempt, position, shown);
      }
      this.say(turn, event.type === "unsupported" ? M.unsupported : M.answerHint);
      return this.showQuestion(turn, attempt, position);
    }
    const def = this.contest.def;
    const awaitingPrediction = def.prediction.enabled && (attempt.prediction === null || turn.session.predictionAgain);
    if (event.type === "button" && event.data === DATA.editPrediction && def.prediction.enabled) {
      turn.session.predictionAgain = true;
      return this.say(turn, M.askPrediction(def.prediction.question));
    }
    if (event.type === "button" && event.data === DATA.submit && !awaitingPrediction) {
      return this.showFinal(turn, attempt, false);
    }
    if (awaitingPrediction && text !== undefined) {
      const r = validatePrediction(text);
      if (!r.ok) return this.say(turn, M.predictionInvalid);
      await this.attempts.setPrediction(attempt.id, r.value);
      turn.session.predictionAgain = false;
      return this.continueAttempt(turn, (await this.attempts.load(attempt.id))!);
    }
    if (event.type === "unsupported") this.say(turn, M.unsupported);
    return this.continueAttempt(turn, attempt);
  }

  private async showFinal(turn: Turn, attempt: AttemptWithQuestions, late: boolean): Promise<void> {
    const { attempt: final, finishedNow } = await this.attempts.finish(attempt.id, turn.now);
    if (!late && !finishedNow) {
      // The same «Nộp bài» tapped again (or handled by another instance a moment ago): one result.
      turn.notice = M.alreadySubmitted;
      return;
    }
    const total = attempt.questions.length;
    turn.session.predictionAgain = false;
    if (late || final.status === "EXPIRED") {
      this.say(turn, M.timeUp);
      this.say(turn, M.expiredResult(final.score ?? 0, total));
    } else {
      const closes = formatDateTime(attempt.round.closesAt, this.contest.timezone);
      this.say(turn, M.result(final.score ?? 0, total, formatDuration(final.durationMs ?? 0), closes));
    }
    return this.showMenu(turn);
  }
}
