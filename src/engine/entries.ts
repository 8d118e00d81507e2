// Written entries in chat (contests of kind written or mixed): the entry's card with the
// actions its state allows; title, text in as many messages as needed, co-authors and files,
// each added while the matching input is open (session.entryInput); submit for a receipt,
// withdraw, reopen to edit. The draft is in the database: nothing is lost between sessions.
import type { EntryRefusal, EntryWithFiles } from "../domain/entries.js";
import { BUTTONS, M } from "../messages/index.js";
import { formatDateTime } from "./format.js";
import { DATA } from "./keyboards.js";
import { showMenu } from "./menu.js";
import { type EngineContext, type RegisteredTurn, say } from "./turn.js";
import type { Button, InboundEvent } from "./types.js";

export type EntryAction = keyof typeof DATA.entry;

const refusal = (r: EntryRefusal): string => {
  const t = M.entryRefused;
  switch (r.refused) {
    case "tooLong":
      return t.tooLong(r.max);
    case "tooManyFiles":
      return t.tooManyFiles(r.max);
    case "fileTooBig":
      return t.fileTooBig(r.maxBytes);
    case "fileType":
      return t.fileType(r.types);
    case "limit":
      return t.limit(r.perPerson);
    case "essays":
      return t.essays(r.missing);
    case "unitLimit":
      return t.unitLimit(r.perUnit);
    default:
      return t[r.refused];
  }
};
const isRefusal = (x: unknown): x is EntryRefusal => typeof x === "object" && x !== null && "refused" in x;

function actions(entry: EntryWithFiles | undefined, groups: boolean, essays: boolean): Button[][] {
  const b = (label: string, data: string) => ({ label, data });
  if (!entry) return [[b(BUTTONS.entryStart, DATA.entry.start)]];
  if (entry.status !== "DRAFT") {
    return [
      [b(BUTTONS.entryReopen, DATA.entry.reopen), ...(entry.status === "SUBMITTED" ? [b(BUTTONS.entryWithdraw, DATA.entry.withdraw)] : [])],
    ];
  }
  return [
    [b(BUTTONS.entryTitle, DATA.entry.title), b(BUTTONS.entryText, DATA.entry.text)],
    [b(BUTTONS.entryFiles, DATA.entry.files), ...(groups ? [b(BUTTONS.entryAuthor, DATA.entry.author)] : [])],
    ...(essays ? [[b(BUTTONS.entryEssays, DATA.entry.essay)]] : []),
    [b(BUTTONS.entryClearText, DATA.entry.clear), b(BUTTONS.entrySubmit, DATA.entry.submit)],
  ];
}

function showCard(ctx: EngineContext, turn: RegisteredTurn, entry: EntryWithFiles | undefined): void {
  const { groups, essays } = ctx.contest.def.entries;
  if (!entry) return say(turn, M.entryNone, { buttons: actions(undefined, groups, essays.length > 0) });
  say(
    turn,
    M.entryCard({
      code: entry.code,
      status: entry.status,
      title: entry.title,
      chars: [...entry.body].length,
      authors: ((entry.authors as { name: string; unit: string }[]) ?? []).map((a) => `${a.name} (${a.unit})`),
      files: entry.files.map((f) => f.filename),
      essays: essays.length ? { answered: essays.length - ctx.entries.unansweredEssays(entry).length, total: essays.length } : undefined,
      deadline: formatDateTime(ctx.contest.endsAt, ctx.contest.timezone),
    }),
    { buttons: actions(entry, groups, essays.length > 0) },
  );
}

const doneButton = (): Button[][] => [[{ label: BUTTONS.done, data: DATA.entry.done }]];

export async function onEntryAction(ctx: EngineContext, turn: RegisteredTurn, action: EntryAction): Promise<void> {
  if (ctx.contest.def.kind === "quiz") {
    say(turn, M.entryNotWritten);
    return showMenu(ctx, turn);
  }
  const entries = ctx.entries;
  turn.session = { ...turn.session, entryInput: undefined };
  if (action === "menu" || action === "done") return showCard(ctx, turn, await entries.current(turn.participant.id));
  const current = await entries.current(turn.participant.id);
  if (action === "withdraw" || action === "reopen") {
    if (!current || current.status === "DRAFT") return showCard(ctx, turn, current);
    const result = action === "withdraw" ? await entries.withdraw(current, turn.now) : await entries.reopen(current, turn.now);
    if (isRefusal(result)) say(turn, refusal(result));
    else say(turn, action === "withdraw" ? M.entryWithdrawn(current.code) : M.entryReopened(current.code));
    return showCard(ctx, turn, await entries.current(turn.participant.id));
  }
  const draft = await entries.draft(turn.participant, turn.now);
  if (isRefusal(draft)) return say(turn, refusal(draft));
  if (action === "start") return showCard(ctx, turn, draft);
  if (action === "clear") {
    await entries.clearText(draft.id);
    return showCard(ctx, turn, await entries.current(turn.participant.id));
  }
  if (action === "submit") {
    const result = await entries.submit(draft, turn.participant, turn.now);
    if (isRefusal(result)) {
      say(turn, refusal(result));
      return showCard(ctx, turn, draft);
    }
    say(turn, M.entryReceipt(result.code, result.title, formatDateTime(turn.now, ctx.contest.timezone)));
    return showMenu(ctx, turn);
  }
  if (action === "essay") return askEssay(ctx, turn, draft, ctx.entries.unansweredEssays(draft)[0] ?? 0);
  const input = ({ title: "title", text: "text", author: "author", files: "files" } as const)[action];
  turn.session = { ...turn.session, entryInput: input };
  const limits = ctx.contest.def.entries.attachments;
  const ask = {
    title: M.askEntryTitle,
    text: M.askEntryText,
    author: M.askEntryAuthor,
    files: M.askEntryFiles(limits.types, limits.maxCount, limits.maxBytes),
  }[input];
  say(turn, ask, input === "title" ? {} : { buttons: doneButton() });
}

/** A message while an entry input is open (or a file sent any time): added to the draft. */
export async function onEntryInput(ctx: EngineContext, turn: RegisteredTurn, event: InboundEvent): Promise<void> {
  const input = turn.session.entryInput;
  const draft = await ctx.entries.draft(turn.participant, turn.now);
  if (isRefusal(draft)) {
    turn.session = { ...turn.session, entryInput: undefined };
    return say(turn, refusal(draft));
  }
  if (event.type === "file") {
    const refused = await ctx.entries.addFile(draft, { platform: turn.actor.platform, ...event });
    if (refused) return say(turn, refusal(refused), { buttons: doneButton() });
    return say(turn, M.entryFileAdded(event.name, draft.files.length + 1), { buttons: doneButton() });
  }
  if (event.type !== "text") return say(turn, M.unsupported, { buttons: doneButton() });
  const text = event.text.normalize("NFC").trim();
  if (input === "title") {
    await ctx.entries.setTitle(draft.id, text);
    turn.session = { ...turn.session, entryInput: undefined };
    return showCard(ctx, turn, await ctx.entries.current(turn.participant.id));
  }
  if (input === "author") {
    const [name, unit] = text.split(/\s+[–-]\s+/, 2);
    if (!name || !unit) return say(turn, M.entryAuthorFormat, { buttons: doneButton() });
    const refused = await ctx.entries.addAuthor(draft, { name, unit });
    turn.session = { ...turn.session, entryInput: undefined };
    if (refused) say(turn, refusal(refused));
    return showCard(ctx, turn, await ctx.entries.current(turn.participant.id));
  }
  if (input === "essay") {
    const index = turn.session.essayIndex ?? 0;
    const refused = await ctx.entries.answerEssay(draft, index, text);
    if (refused) return say(turn, refusal(refused), { buttons: doneButton() });
    const fresh = (await ctx.entries.current(turn.participant.id))!;
    const open = ctx.entries.unansweredEssays(fresh);
    const next = open.find((i) => i > index) ?? open[0];
    if (next !== undefined) return askEssay(ctx, turn, fresh, next);
    turn.session = { ...turn.session, entryInput: undefined, essayIndex: undefined };
    say(turn, M.essaysDone);
    return showCard(ctx, turn, fresh);
  }
  if (input === "files")
    return say(
      turn,
      M.askEntryFiles(
        ctx.contest.def.entries.attachments.types,
        ctx.contest.def.entries.attachments.maxCount,
        ctx.contest.def.entries.attachments.maxBytes,
      ),
      { buttons: doneButton() },
    );
  const refused = await ctx.entries.appendText(draft, text);
  if (refused) return say(turn, refusal(refused), { buttons: doneButton() });
  say(turn, M.entryTextAdded([...(draft.body ? `${draft.body}\n\n${text}` : text)].length), { buttons: doneButton() });
}

/** Asks essay question `index`, showing the current answer when there is one. */
function askEssay(ctx: EngineContext, turn: RegisteredTurn, entry: EntryWithFiles, index: number): void {
  const essays = ctx.contest.def.entries.essays;
  const question = essays[index];
  if (!question) return showCard(ctx, turn, entry);
  turn.session = { ...turn.session, entryInput: "essay", essayIndex: index };
  say(turn, M.askEssay(index + 1, essays.length, question.question, (entry.essays as string[] | null)?.[index] || undefined), {
    buttons: doneButton(),
  });
}
