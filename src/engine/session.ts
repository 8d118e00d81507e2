// Conversation state kept in the session store between messages. Only registration needs it:
// the state of an attempt is read from the database, so it survives any restart.

export type RegistrationStep = "consent" | "fullName" | "birthDate" | "phone" | "unit" | "audience" | "extra" | "confirm";

export interface Draft {
  fullName?: string;
  birthDate?: string;
  phone?: string;
  /** False when the phone was typed rather than shared by the platform. */
  phoneVerified?: boolean;
  unitCode?: string;
  audienceCode?: string;
  /** The contest's further fields answered so far ("" when an optional one was skipped). */
  extra?: Record<string, string>;
}

export interface ConversationSession {
  /** Registration (or profile edit) in progress; undefined when idle. */
  step?: RegistrationStep;
  draft: Draft;
  /** Unit code from a deep link or referral, applied at the unit step. */
  referral?: string;
  /** Editing one field from the confirmation screen: go back there after it. */
  returnToConfirm?: boolean;
  /** Editing the profile of a registered participant (phone locked). */
  editingProfile?: boolean;
  /** The participant asked to change the prediction before submitting. */
  predictionAgain?: boolean;
  /** What the next messages add to the written entry's draft. */
  entryInput?: "title" | "text" | "author" | "files" | "essay";
  /** The essay question being answered (0-based). */
  essayIndex?: number;
}

export const emptySession = (): ConversationSession => ({ draft: {} });
