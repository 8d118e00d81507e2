// Contest definition file (YAML or JSON): schema with the rules between fields (dates, rounds,
// unit tree), parsing with line numbers in errors. The schedule itself: schedule.ts. Long
// because the schema is one declaration read top to bottom (the blocks that grow live in
// their own files: certificate-settings.ts, entry-settings.ts).
import { readFile } from "node:fs/promises";
import path from "node:path";
import { DateTime } from "luxon";
import { isMap, isSeq, LineCounter, type Node, parseDocument } from "yaml";
import { z } from "zod";
import { certificateSettings } from "./certificate-settings.js";
import { CONTEST_KINDS, entrySettings, judgingSettings } from "./entry-settings.js";
import { listWindows, toInstant } from "./schedule.js";

const localDateTime = z
  .string()
  .regex(/^(today|\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2})?)?)$/, "expected YYYY-MM-DD, YYYY-MM-DDTHH:mm or today")
  .refine((v) => v === "today" || DateTime.fromISO(v, { zone: "UTC" }).isValid, {
    message: "no such date or time (check the day, month and hour)",
    abort: true,
  });

const prize = z.object({ name: z.string().min(1), count: z.number().int().positive() });

const unit = z.object({
  code: z.string().regex(/^[A-Za-z0-9_-]{1,32}$/, "1–32 characters from A-Z a-z 0-9 _ -"),
  name: z.string().min(1),
  kind: z.string().min(1).default("unit"),
  parent: z.string().optional(),
  headcount: z.number().int().nonnegative().optional(),
  target: z.number().int().nonnegative().optional(),
});

export const REGISTRATION_FIELDS = ["fullName", "birthDate", "phone", "unit"] as const;
/** Further fields a contest may ask for (plans 000, 003, 004), after the unit and audience. */
export const EXTRA_FIELDS = ["address", "gender", "occupation", "school", "className", "workplace", "email", "idCard"] as const;
export type ExtraField = (typeof EXTRA_FIELDS)[number];
export const RANKING_KEYS = ["score", "prediction", "duration", "submittedAt"] as const;
export type RankingKey = (typeof RANKING_KEYS)[number];

/** Unit ranking keys, in the plans' words: most participants, participation rate against the
 * target (else headcount), most perfect attempts, most correct answers, shortest average time. */
export const UNIT_RANKING_KEYS = ["participants", "rate", "perfect", "correct", "averageDuration"] as const;
export type UnitRankingKey = (typeof UNIT_RANKING_KEYS)[number];

export const contestSchema = z
  .object({
    slug: z.string().regex(/^[a-z0-9-]{3,64}$/, "3–64 characters from a-z 0-9 -"),
    title: z.string().min(1),
    organizer: z.string().min(1),
    rules: z.string().min(1),
    timezone: z
      .string()
      .default("Asia/Ho_Chi_Minh")
      .refine((tz) => DateTime.local().setZone(tz).isValid, "unknown time zone"),
    start: localDateTime,
    end: localDateTime.optional(),
    // One of the two; an object rather than a union so errors inside name their own line.
    rounds: z
      .object({
        weekly: z.object({ count: z.number().int().positive().max(104).optional() }).optional(),
        list: z
          .array(z.object({ opens: localDateTime, closes: localDateTime }))
          .min(1)
          .optional(),
      })
      .refine((r) => (r.weekly === undefined) !== (r.list === undefined), "give either weekly or list"),
    questionsPerAttempt: z.number().int().min(1).max(100),
    timeLimitMinutes: z
      .number()
      .positive()
      .max(24 * 60),
    minimumAge: z.number().int().min(0).max(120).default(0),
    prediction: z
      .object({
        enabled: z.boolean().default(true),
        question: z.string().min(1),
        predicts: z.enum(["perfect_attempts", "participants", "perfect_percentage"]).default("perfect_attempts"),
      })
      .default({ enabled: false, question: "-", predicts: "perfect_attempts" }),
    ranking: z
      .object({
        keys: z
          .array(z.enum(RANKING_KEYS))
          .min(1)
          .default([...RANKING_KEYS]),
        perfectScoreRequiredForPrize: z.boolean().default(false),
      })
      .default({ keys: [...RANKING_KEYS], perfectScoreRequiredForPrize: false }),
    prizes: z.array(prize).default([]),
    /** Collective (unit) ranking and prizes, per round and over the whole contest. */
    unitRanking: z
      .object({
        keys: z.array(z.enum(UNIT_RANKING_KEYS)).min(1).default(["participants", "correct", "averageDuration"]),
        /** A unit counts the participants of its whole subtree (a ward its residential groups). */
        subtree: z.boolean().default(true),
        /** Which units compete for the prizes (others are listed without a place): by kind and/or code. */
        competing: z.object({ kinds: z.array(z.string()).optional(), codes: z.array(z.string()).optional() }).optional(),
        prizes: z.array(prize).default([]),
      })
      .default({ keys: ["participants", "correct", "averageDuration"], subtree: true, prizes: [] }),
    registration: z
      .object({
        fields: z.array(z.enum(REGISTRATION_FIELDS)).default([...REGISTRATION_FIELDS]),
        /** Asked in this order; a choice field when it has options (gender: Nam, Nữ, Khác by default). */
        extra: z
          .array(
            z.object({
              field: z.enum(EXTRA_FIELDS),
              required: z.boolean().default(false),
              options: z.array(z.string().min(1).max(60)).min(2).max(12).optional(),
              /** The ID-card number is kept masked except its last 4 digits unless this is true. */
              keepFullIdCard: z.boolean().default(false),
            }),
          )
          .default([]),
      })
      .default({ fields: [...REGISTRATION_FIELDS], extra: [] }),
    audiences: z
      .array(
        z.object({
          code: z.string().regex(/^[A-Za-z0-9_-]{1,32}$/),
          name: z.string().min(1),
          prizes: z.array(prize).optional(),
          /** Its own minimum age (plan 000: staff at any age, citizens from 15); the contest's otherwise. */
          minimumAge: z.number().int().min(0).max(120).optional(),
          /** false: its members play but are never ranked nor awarded. */
          ranked: z.boolean().default(true),
        }),
      )
      .default([]),
    units: z.array(unit).default([]),
    /** Phone numbers of the organizing board, jury and secretariat: never ranked. */
    excludedPhones: z.array(z.string()).default([]),
    /** Telegram groups tied to a unit get its standing daily at this hour while a round is open. */
    groupDigest: z.object({ hour: z.number().int().min(0).max(23) }).optional(),
    /** Unit admins (tổ trưởng, secretaries) by phone: in chat they get their unit's menu. */
    unitAdmins: z.array(z.object({ phone: z.string(), unit: z.string() })).default([]),
    /** A quiz (rounds of questions), written entries judged by juries, or both (plan 003). */
    kind: z.enum(CONTEST_KINDS).default("quiz"),
    judging: judgingSettings.optional(),
    entries: entrySettings.default(entrySettings.parse({})),
    /** Certificates for winners (and optionally participants) after each round: see certificate-settings.ts. */
    certificates: certificateSettings.optional(),
    /** Question bank spreadsheet (CSV or XLSX), relative to the definition file. */
    questionBank: z.string().optional(),
  })
  .superRefine((c, ctx) => {
    const codes = new Set<string>();
    c.units.forEach((u, i) => {
      if (codes.has(u.code.toUpperCase()))
        ctx.addIssue({ code: "custom", path: ["units", i, "code"], message: `duplicate unit code ${u.code}` });
      codes.add(u.code.toUpperCase());
    });
    c.units.forEach((u, i) => {
      if (u.parent && !codes.has(u.parent.toUpperCase()))
        ctx.addIssue({ code: "custom", path: ["units", i, "parent"], message: `unknown parent unit ${u.parent}` });
    });
    for (const [i, cycle] of unitCycles(c.units)) {
      ctx.addIssue({ code: "custom", path: ["units", i, "parent"], message: `units form a cycle: ${cycle.join(" → ")}` });
    }
    if (c.rounds.weekly && !c.end && !c.rounds.weekly.count)
      ctx.addIssue({ code: "custom", path: ["rounds", "weekly"], message: "weekly rounds need an end date or a count" });
    const now = new Date();
    if (c.end && toInstant(c.end, c.timezone, now, true) <= toInstant(c.start, c.timezone, now, false)) {
      ctx.addIssue({ code: "custom", path: ["end"], message: "the contest ends before it starts" });
    }
    if (c.rounds.list) {
      const windows = listWindows(c.rounds.list, c.timezone, now);
      for (const w of windows) {
        if (w.closesAt <= w.opensAt)
          ctx.addIssue({
            code: "custom",
            path: ["rounds", "list", w.number - 1, "closes"],
            message: `round ${w.number} closes before it opens`,
          });
      }
      const byOpening = [...windows].sort((a, b) => a.opensAt.getTime() - b.opensAt.getTime());
      for (let k = 1; k < byOpening.length; k++) {
        const [before, after] = [byOpening[k - 1]!, byOpening[k]!];
        if (after.opensAt < before.closesAt) {
          ctx.addIssue({
            code: "custom",
            path: ["rounds", "list", after.number - 1, "opens"],
            message: `round ${after.number} overlaps round ${before.number}`,
          });
        }
      }
    }
  });

/** Each unit whose parent chain comes back to itself, with the chain (KP1 → TDP01 → KP1). */
function unitCycles(units: { code: string; parent?: string }[]): [number, string[]][] {
  const parentOf = new Map(units.map((u) => [u.code.toUpperCase(), u.parent?.toUpperCase()]));
  const found: [number, string[]][] = [];
  for (const [i, u] of units.entries()) {
    const start = u.code.toUpperCase();
    const chain = [start];
    for (let at = parentOf.get(start); at !== undefined && chain.length <= units.length; at = parentOf.get(at)) {
      chain.push(at);
      if (at === start) {
        found.push([i, chain]);
        break;
      }
      if (chain.indexOf(at) < chain.length - 1) break; // a cycle further up, reported at its own units
    }
  }
  return found;
}

export type ContestDefinition = z.infer<typeof contestSchema>;

export class DefinitionError extends Error {
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    super(`${file}:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "DefinitionError";
  }
}

/** Finds the YAML node at a zod issue path to report its line. */
function lineOf(doc: ReturnType<typeof parseDocument>, counter: LineCounter, issuePath: PropertyKey[]): number | undefined {
  let node: unknown = doc.contents;
  let lastRange: [number, number, number] | undefined = (node as Node | null)?.range ?? undefined;
  for (const key of issuePath) {
    if (isMap(node)) {
      const pair = node.items.find((p) => (p.key as { value?: unknown } | null)?.value === key);
      node = pair?.value;
    } else if (isSeq(node) && typeof key === "number") {
      node = node.items[key];
    } else break;
    const range = (node as Node | undefined)?.range;
    if (!range) break;
    lastRange = range;
  }
  return lastRange ? counter.linePos(lastRange[0]).line : undefined;
}

export function parseDefinition(text: string, file = "contest"): ContestDefinition {
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, prettyErrors: true });
  if (doc.errors.length > 0) {
    throw new DefinitionError(
      file,
      doc.errors.map((e) => `line ${e.linePos?.[0]?.line ?? "?"}: ${e.message.split("\n")[0]}`),
    );
  }
  const parsed = contestSchema.safeParse(doc.toJS());
  if (!parsed.success) {
    throw new DefinitionError(
      file,
      parsed.error.issues.map((issue) => {
        const line = lineOf(doc, counter, issue.path);
        return `${line ? `line ${line}: ` : ""}${issue.path.join(".") || "(root)"}: ${issue.message}`;
      }),
    );
  }
  return parsed.data;
}

export async function readDefinition(file: string): Promise<{ definition: ContestDefinition; dir: string }> {
  const definition = parseDefinition(await readFile(file, "utf8"), file);
  return { definition, dir: path.dirname(file) };
}
