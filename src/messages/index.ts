// The message catalogue: every Vietnamese text the bot sends, split by who reads it. `M`
// merges them for code that renders any of them (the engine, channels, tests).
import { BROADCAST } from "./broadcast.js";
import { CERTIFICATE } from "./certificate.js";
import { ENTRIES } from "./entries.js";
import { GROUP } from "./group.js";
import { ORGANIZER } from "./organizer.js";
import { PARTICIPANT } from "./participant.js";
import { UNIT_ADMIN } from "./unit-admin.js";

export { BUTTONS, COMMAND_MENU, COMMAND_WORDS } from "./buttons.js";
export { BROADCAST, CERTIFICATE, GROUP, ORGANIZER, PARTICIPANT };

export const M = { ...PARTICIPANT, ...BROADCAST, ...CERTIFICATE, ...GROUP, ...ORGANIZER, ...UNIT_ADMIN, ...ENTRIES } as const;
