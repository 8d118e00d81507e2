// The contest file's `certificates` block: whether certificates are issued and what the paper
// says. Absent: no certificates. Plans 000 and 004 give "Giấy chứng nhận / Giấy khen" to
// winners; a participation certificate for a number of correct answers is optional.
import { z } from "zod";

export const certificateSettings = z.object({
  /** The heading printed on the paper. */
  title: z.string().min(1).max(60).default("GIẤY CHỨNG NHẬN"),
  /** Who issues it (printed at the top left and above the signature); the contest's organizer by default. */
  issuer: z.string().min(1).max(120).optional(),
  /** The place in the date line: «<place>, ngày … tháng … năm …». */
  place: z.string().min(1).max(60).optional(),
  signer: z
    .object({
      /** E.g. «TRƯỞNG BAN TỔ CHỨC». */
      title: z.string().min(1).max(80),
      name: z.string().min(1).max(80).optional(),
    })
    .optional(),
  /** Individual prizes (round and audience rankings). */
  individual: z.boolean().default(true),
  /** Collective (unit) prizes, per round and over the whole contest. */
  units: z.boolean().default(true),
  /** A participation certificate for anyone with at least this many correct answers in a round. */
  participation: z.object({ minimumCorrect: z.number().int().min(1).max(100) }).optional(),
});

export type CertificateSettings = z.infer<typeof certificateSettings>;
