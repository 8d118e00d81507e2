// The contest file's settings for written entries (plans 001 and 003): how many a person may
// submit, whether groups may, the text's length, attachments' count, size and types. Entries
// are accepted from the contest's start to its end.
import { z } from "zod";

export const CONTEST_KINDS = ["quiz", "written", "mixed"] as const;

export const entrySettings = z.object({
  /** Submitted entries per person (a withdrawn one does not count). */
  perPerson: z.number().int().min(1).max(20).default(1),
  /** Group entries: co-authors named with their unit (plan 001). */
  groups: z.boolean().default(true),
  maxChars: z.number().int().min(200).max(100_000).default(30_000),
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
