// Platform-neutral shapes exchanged between channels and the conversation engine.

export type PlatformName = "TELEGRAM" | "ZALO" | "SIMULATOR";

/** Who is writing, as a channel identifies them. */
export interface Actor {
  platform: PlatformName;
  externalId: string;
  chatId: string;
  displayName?: string;
  /** The platform can share a verified phone number (Telegram contact, Zalo user info). */
  canShareContact: boolean;
  /**
   * A typed phone is accepted too (Zalo: the user-info form may be refused or switched off).
   * A typed phone is recorded as unverified and never links two accounts into one person.
   */
  canTypePhone?: boolean;
  /** People here know no commands: any message of someone unregistered starts the welcome. */
  startsOnAnyMessage?: boolean;
}

/** The commands people send (a slash command on Telegram, the words of COMMAND_WORDS on Zalo). */
export const COMMANDS = ["start", "thi", "ketqua", "hoso", "huongdan", "chungnhan", "baithi"] as const;
export type CommandName = (typeof COMMANDS)[number];

export type InboundEvent =
  | { type: "start"; payload?: string }
  | { type: "command"; name: CommandName }
  | { type: "text"; text: string }
  | { type: "button"; data: string }
  /** A shared contact; `own` is true when the platform says it is the sender's own number. */
  | { type: "contact"; phone: string; own: boolean }
  /** A document or photo: the platform's reference (fetched only when kept), name, type, size if known. */
  | { type: "file"; fileId: string; name: string; mime: string; size?: number }
  /** Stickers, voice and anything else without text or a file. */
  | { type: "unsupported" };

export interface Button {
  label: string;
  /** Compact ASCII payload (Telegram allows 64 bytes). */
  data: string;
}

export interface OutboundMessage {
  text: string;
  /** Rows of buttons. */
  buttons?: Button[][];
  /** Ask for the user's verified phone with a platform button carrying this label. */
  contactRequest?: string;
  /**
   * Messages in the same slot replace each other where the platform can edit (Telegram edits
   * the question in place); elsewhere each is a new message.
   */
  slot?: "question";
  /** A file sent with the text as its caption (drawn when sent: the outbox keeps only the reference). */
  document?: DocumentRef;
}

/** A file the bot sends, by reference: a certificate by its verification code. */
export interface DocumentRef {
  /** A certificate's PDF by its verification code, or a unit's QR code (PNG) by the unit's code. */
  kind: "certificate" | "unitQr";
  code: string;
  filename: string;
}

export interface Reply {
  messages: OutboundMessage[];
  /** Short notice for a button press (Telegram answerCallbackQuery text). */
  notice?: string;
}
