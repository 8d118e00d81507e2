// The contest file's settings for written entries (plans 001 and 003): how many a person may
// submit, whether groups may, the text's length, attachments' count, size and types. Entries
// are accepted from the contest's start to its end.
import { z } from "zod";

export const CONTEST_KINDS = ["quiz", "written", "mixed"] as const;

/** How entries are judged: a rubric, and levels from the preliminaries by unit to the final. */
export const judgingSettings = z.object({
  rubric: z.array(z.object({ criterion: z.string().min(1).max(200), max: z.number().int().min(1).max(100) })).min(1),
  levels: z
    .array(
      z
        .object({
          name: z.string().min(1).max(60),
          /** A preliminary level: each entry is judged in the unit of this kind above its author's unit (a district…). */
          byUnitKind: z.string().min(1).optional(),
          /** How many entries go on from each unit (or from the whole level) to the next. */
          advance: z.number().int().min(1).max(10_000).optional(),
          /** …and/or the combined score an entry needs to go on. */
          minScore: z.number().min(0).optional(),
          /** Entries tied at the edge: all go on, or the earlier submitted first. */
          ties: z.enum(["all", "earliest"]).default("all"),
        })
        .refine((l) => l.advance !== undefined || l.minScore !== undefined, "give advance, minScore or both"),
    )
    .min(1),
});

export const entrySettings = z.object({
  /** Submitted entries per person (a withdrawn one does not count). */
  perPerson: z.number().int().min(1).max(20).default(1),
  /** Submitted entries per unit (its own people, not its subtree); none: no limit. */
  perUnit: z.number().int().min(1).max(10_000).optional(),
  /** Units of these kinds must send at least one entry (plan 001: every office and commune). */
  requiredFrom: z.array(z.string().min(1)).default([]),
  /** Group entries: co-authors named with their unit (plan 001). */
  groups: z.boolean().default(true),
  maxChars: z.number().int().min(200).max(100_000).default(30_000),
  /** Essay questions answered one by one in the entry (mixed contests, plan 003); all are required to submit. */
  essays: z
    .array(z.object({ question: z.string().min(1).max(1000), maxChars: z.number().int().min(50).max(20_000).default(3000) }))
    .default([]),
  attachments: z
    .object({
      maxCount: z.number().int().min(0).max(10).default(5),
      /** Telegram lets a bot download files up to 20 MB. */
      maxBytes: z
        .number()
        .int()
        .min(1)
        .max(20 * 1024 * 1024)
        .default(10 * 1024 * 1024),
      types: z.array(z.enum(["pdf", "docx", "doc", "jpg", "png"])).default(["pdf", "docx", "jpg", "png"]),
    })
    .default({ maxCount: 5, maxBytes: 10 * 1024 * 1024, types: ["pdf", "docx", "jpg", "png"] }),
});
