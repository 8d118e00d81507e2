// One turn of the conversation: who wrote, what we know of them, what we answer. Steps read
// and change the turn; the pipeline (engine.ts) loads it before and saves it after.

import type { CertificateReader } from "../certificates/certificates.js";
import type { ContestContext } from "../contest/context.js";
import type { AttemptService } from "../domain/attempts.js";
import type { EntryService } from "../domain/entries.js";
import type { People } from "../domain/people.js";
import type { UnitAdminDirectory } from "../domain/unit-admins.js";
import type { UnitTools } from "../domain/unit-tools.js";
import type { Participant, PlatformAccount } from "../generated/prisma/client.js";
import type { Logger } from "../logger.js";
import type { ConversationSession } from "./session.js";
import type { Actor, OutboundMessage } from "./types.js";

export interface Turn {
  actor: Actor;
  account: PlatformAccount;
  participant: Participant | null;
  session: ConversationSession;
  now: Date;
  out: OutboundMessage[];
  /** Short notice for the button press (Telegram's answerCallbackQuery text). */
  notice?: string;
}

/** A turn of someone who is registered: steps for registered people take this type. */
export interface RegisteredTurn extends Turn {
  participant: Participant;
}

export const isRegistered = (turn: Turn): turn is RegisteredTurn => turn.participant !== null;

/** What every step may use: the contest and the domain services, never the database itself. */
export interface EngineContext {
  contest: ContestContext;
  people: People;
  attempts: AttemptService;
  certificates: CertificateReader;
  unitTools: UnitTools;
  entries: EntryService;
  /** Who administers which unit (absent: nobody has the unit tools). */
  unitAdmins?: UnitAdminDirectory;
  /** Where the units' links point (the Telegram bot, the public address). */
  links?: { telegramBot?: string; publicUrl?: string };
  logger: Logger;
}

export function say(turn: Turn, text: string, extra: Omit<OutboundMessage, "text"> = {}): void {
  turn.out.push({ text, ...extra });
}
