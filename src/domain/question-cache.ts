// The questions an attempt shows, kept in the process: every turn of an attempt used to read
// its ten questions' full rows as JSON (the heaviest statement of an answer tap). The attempt's
// statement now returns, per question, a digest of what a turn shows and scores (QUESTION_VERSION)
// and the rows come from here; a question whose digest changed (an organizer fixed its text or
// answer key, by any means, SQL included) is read again in the same turn. Keyed by id, which is
// a UUID: one cache serves every contest and database in the process.
import { Prisma, type Question } from "../generated/prisma/client.js";
import type { Db } from "../storage/transaction.js";

/** SQL over `q` ("Question"): changes whenever anything a turn shows or scores from it does. */
export const QUESTION_VERSION = Prisma.sql`md5(row(q.text, q.options, q.correct, q.explanation)::text)`;

/** A few banks' worth: a district's bank is hundreds of questions. */
const MAX_QUESTIONS = 5_000;

interface Cached {
  version: string;
  question: Question;
}

export class QuestionCache {
  private readonly entries = new Map<string, Cached>();

  constructor(private readonly max = MAX_QUESTIONS) {}

  /** The questions by id, at the versions given: those missing or changed read in one statement. */
  async read(db: Db, wanted: { id: string; version: string }[]): Promise<Map<string, Question>> {
    const found = new Map<string, Question>();
    const missing: string[] = [];
    for (const { id, version } of wanted) {
      const cached = this.entries.get(id);
      if (cached?.version === version) found.set(id, cached.question);
      else missing.push(id);
    }
    if (missing.length === 0) return found;
    const rows = await db.$queryRaw<(Question & { version: string })[]>`
      SELECT q.*, ${QUESTION_VERSION} AS version FROM "Question" q WHERE q.id = ANY(${missing}::uuid[])`;
    for (const { version, ...row } of rows) {
      // Shared by every turn that shows it: frozen, so a change in place fails loudly instead.
      const question = Object.freeze({
        ...row,
        options: Object.freeze([...row.options]),
        audiences: Object.freeze([...row.audiences]),
      }) as Question;
      this.remember(question.id, { version, question });
      found.set(question.id, question);
    }
    const lost = missing.find((id) => !found.has(id));
    if (lost) throw new Error(`question ${lost} of an attempt is not in the database`);
    return found;
  }

  private remember(id: string, entry: Cached): void {
    this.entries.delete(id);
    this.entries.set(id, entry);
    if (this.entries.size > this.max) this.entries.delete(this.entries.keys().next().value!);
  }
}

export const questionCache = new QuestionCache();
