// Written entries of a participant, read and written through the turn's transaction: the one
// draft (created when first needed, kept across days), its title, text, co-authors and files
// with the contest file's limits, then submit (a receipt code, the per-person limit, the
// deadline), withdraw, or reopen a submitted entry as the draft to edit and submit again.
import { randomBytes } from "node:crypto";
import type { ContestContext } from "../contest/context.js";
import type { Entry, EntryFile, Participant, Platform } from "../generated/prisma/client.js";
import { isUniqueViolation } from "../storage/errors.js";
import { type Db, recoverable } from "../storage/transaction.js";

export type Author = { name: string; unit: string };

export type EntryWithFiles = Entry & { files: EntryFile[] };

/** Why an action was refused, for the engine to say in words. */
export type EntryRefusal =
  | { refused: "closed" }
  | { refused: "tooLong"; max: number }
  | { refused: "tooManyFiles"; max: number }
  | { refused: "fileTooBig"; maxBytes: number }
  | { refused: "fileType"; types: string[] }
  | { refused: "noGroups" }
  | { refused: "incomplete" }
  | { refused: "essays"; missing: number }
  | { refused: "limit"; perPerson: number }
  | { refused: "unitLimit"; perUnit: number };

const CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
const newCode = () => `BT-${Array.from(randomBytes(6), (b) => CODE_ALPHABET[b % CODE_ALPHABET.length]).join("")}`;

/** The extension a file's name or type says it is (jpg for any JPEG photo). */
function extensionOf(name: string, mime: string): string {
  if (mime === "image/jpeg") return "jpg";
  const ext = /\.([A-Za-z0-9]{1,5})$/.exec(name)?.[1]?.toLowerCase() ?? "";
  return ext === "jpeg" ? "jpg" : ext;
}

export class EntryService {
  constructor(
    private readonly db: Db,
    private readonly contest: ContestContext,
  ) {}

  private get settings() {
    return this.contest.def.entries;
  }

  isOpen(now: Date): boolean {
    return now < this.contest.endsAt;
  }

  /** The participant's draft, else their latest entry; undefined when they have none. */
  async current(participantId: string): Promise<EntryWithFiles | undefined> {
    const entries = await this.db.entry.findMany({
      where: { contestId: this.contest.id, participantId },
      orderBy: [{ updatedAt: "desc" }],
      include: { files: { orderBy: { position: "asc" } } },
    });
    return entries.find((e) => e.status === "DRAFT") ?? entries[0];
  }

  async submittedCount(participantId: string): Promise<number> {
    return this.db.entry.count({ where: { contestId: this.contest.id, participantId, status: "SUBMITTED" } });
  }

  /** The draft, created when there is none (a second one racing is refused by the partial unique index). */
  async draft(participant: Participant, now: Date): Promise<EntryWithFiles | EntryRefusal> {
    if (!this.isOpen(now)) return { refused: "closed" };
    const existing = await this.db.entry.findFirst({
      where: { contestId: this.contest.id, participantId: participant.id, status: "DRAFT" },
      include: { files: { orderBy: { position: "asc" } } },
    });
    if (existing) return existing;
    for (;;) {
      try {
        return await recoverable(this.db, () =>
          this.db.entry.create({
            data: { contestId: this.contest.id, participantId: participant.id, code: newCode() },
            include: { files: true },
          }),
        );
      } catch (error) {
        if (!isUniqueViolation(error)) throw error; // a code taken already: draw another
      }
    }
  }

  async setTitle(entryId: string, title: string): Promise<void> {
    await this.db.entry.update({ where: { id: entryId }, data: { title: title.slice(0, 300) } });
  }

  async appendText(entry: Entry, text: string): Promise<EntryRefusal | undefined> {
    const body = entry.body ? `${entry.body}\n\n${text}` : text;
    if ([...body].length > this.settings.maxChars) return { refused: "tooLong", max: this.settings.maxChars };
    await this.db.entry.update({ where: { id: entry.id }, data: { body } });
    return undefined;
  }

  /** Answers essay question `index` (0-based); the answer replaces an earlier one. */
  async answerEssay(entry: Entry, index: number, text: string): Promise<EntryRefusal | undefined> {
    const question = this.settings.essays[index];
    if (!question) return undefined;
    if ([...text].length > question.maxChars) return { refused: "tooLong", max: question.maxChars };
    const essays = [...((entry.essays as string[] | null) ?? [])];
    while (essays.length < this.settings.essays.length) essays.push("");
    essays[index] = text;
    await this.db.entry.update({ where: { id: entry.id }, data: { essays } });
    return undefined;
  }

  /** Essay questions not answered yet (indexes). */
  unansweredEssays(entry: Entry): number[] {
    const answers = (entry.essays as string[] | null) ?? [];
    return this.settings.essays.map((_, i) => i).filter((i) => !answers[i]?.trim());
  }

  async clearText(entryId: string): Promise<void> {
    await this.db.entry.update({ where: { id: entryId }, data: { body: "" } });
  }

  async addAuthor(entry: Entry, author: Author): Promise<EntryRefusal | undefined> {
    if (!this.settings.groups) return { refused: "noGroups" };
    const authors = [...((entry.authors as Author[] | null) ?? []), author].slice(0, 20);
    await this.db.entry.update({ where: { id: entry.id }, data: { authors } });
    return undefined;
  }

  async addFile(
    entry: EntryWithFiles,
    file: { platform: Platform; fileId: string; name: string; mime: string; size?: number },
  ): Promise<EntryRefusal | undefined> {
    const limits = this.settings.attachments;
    if (entry.files.length >= limits.maxCount) return { refused: "tooManyFiles", max: limits.maxCount };
    if (file.size !== undefined && file.size > limits.maxBytes) return { refused: "fileTooBig", maxBytes: limits.maxBytes };
    if (!(limits.types as string[]).includes(extensionOf(file.name, file.mime))) return { refused: "fileType", types: limits.types };
    await this.db.entryFile.create({
      data: {
        entryId: entry.id,
        position: (entry.files.at(-1)?.position ?? -1) + 1,
        platform: file.platform,
        platformFileId: file.fileId,
        filename: file.name.slice(0, 200),
        mimeType: file.mime.slice(0, 100),
        size: file.size,
      },
    });
    return undefined;
  }

  async removeFiles(entryId: string): Promise<void> {
    await this.db.entryFile.deleteMany({ where: { entryId } });
  }

  async submit(entry: EntryWithFiles, participant: Participant, now: Date): Promise<Entry | EntryRefusal> {
    if (!this.isOpen(now)) return { refused: "closed" };
    const missing = this.unansweredEssays(entry).length;
    if (missing > 0) return { refused: "essays", missing };
    const essaysOnly = this.settings.essays.length > 0;
    if (!entry.title.trim() || (!essaysOnly && !entry.body.trim() && entry.files.length === 0)) return { refused: "incomplete" };
    // The participant's row locked: two submissions at once cannot both pass the limit.
    await this.db.$executeRaw`SELECT 1 FROM "Participant" WHERE id = ${participant.id}::uuid FOR UPDATE`;
    if ((await this.submittedCount(participant.id)) >= this.settings.perPerson)
      return { refused: "limit", perPerson: this.settings.perPerson };
    const perUnit = this.settings.perUnit;
    if (perUnit !== undefined && participant.unitId) {
      // The unit's row locked too: two people of one unit submitting at once cannot both pass.
      await this.db.$executeRaw`SELECT 1 FROM "Unit" WHERE id = ${participant.unitId}::uuid FOR UPDATE`;
      const ofUnit = await this.db.entry.count({ where: { contestId: this.contest.id, unitId: participant.unitId, status: "SUBMITTED" } });
      if (ofUnit >= perUnit) return { refused: "unitLimit", perUnit };
    }
    return this.db.entry.update({
      where: { id: entry.id },
      data: { status: "SUBMITTED", submittedAt: now, unitId: participant.unitId },
    });
  }

  async withdraw(entry: Entry, now: Date): Promise<Entry | EntryRefusal> {
    if (!this.isOpen(now)) return { refused: "closed" };
    return this.db.entry.update({ where: { id: entry.id }, data: { status: "WITHDRAWN" } });
  }

  /** A submitted or withdrawn entry back to a draft (to edit and submit again); refused after the deadline. */
  async reopen(entry: Entry, now: Date): Promise<Entry | EntryRefusal> {
    if (!this.isOpen(now)) return { refused: "closed" };
    return this.db.entry.update({ where: { id: entry.id }, data: { status: "DRAFT", submittedAt: null } });
  }
}
