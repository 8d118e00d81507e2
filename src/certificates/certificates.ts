// Reading certificates and drawing them: a participant's own (chat), one by its verification
// code (the public page, the PDF sent in chat), and many at once for organizers (list, one PDF
// of a round or of everything, read through a cursor in batches).
import type { Writable } from "node:stream";
import { certificateSettings } from "../contest/certificate-settings.js";
import type { ContestContext } from "../contest/context.js";
import { Prisma } from "../generated/prisma/client.js";
import type { Database } from "../storage/database.js";
import type { Db } from "../storage/transaction.js";
import { type CertificateKind, type CertificatePaper, certificateFileName } from "./paper.js";
import { certificatePdf, type PaperStyle, writeCertificatesPdf } from "./pdf.js";

export interface CertificateFilter {
  round?: number;
  kind?: CertificateKind;
}

const PAPER_FIELDS = {
  serial: true,
  code: true,
  kind: true,
  holderName: true,
  unitName: true,
  prize: true,
  detail: true,
  roundNumber: true,
  issuedAt: true,
} as const;

/** Reads bound to a handle: the turn's transaction in a conversation, the client elsewhere. */
export class CertificateReader {
  constructor(
    private readonly db: Db,
    private readonly contestId: string,
  ) {}

  /** A participant's certificates, newest first, prizes before participation. */
  forParticipant(participantId: string): Promise<CertificatePaper[]> {
    return this.db.certificate.findMany({
      where: { contestId: this.contestId, participantId },
      orderBy: [{ issuedAt: "desc" }, { kind: "asc" }, { serial: "asc" }],
      select: PAPER_FIELDS,
    });
  }

  /** The certificate with this verification code, if this contest issued it. */
  async byCode(code: string): Promise<CertificatePaper | undefined> {
    if (!/^[0-9a-f]{20}$/.test(code)) return undefined;
    const row = await this.db.certificate.findUnique({ where: { code }, select: { ...PAPER_FIELDS, contestId: true } });
    if (!row || row.contestId !== this.contestId) return undefined;
    const { contestId: _contest, ...paper } = row;
    return paper;
  }
}

const BATCH = 200;

export class CertificateService {
  readonly reader: CertificateReader;

  constructor(
    private readonly db: Database,
    private readonly contest: ContestContext,
  ) {
    this.reader = new CertificateReader(db.prisma, contest.id);
  }

  /** The page style of this contest, with verification links under `verifyBase` (the server's public address). */
  style(verifyBase: string): PaperStyle {
    return {
      settings: this.contest.def.certificates ?? certificateSettings.parse({}),
      contestTitle: this.contest.title,
      organizer: this.contest.organizer,
      timezone: this.contest.timezone,
      verifyUrl: (code) => new URL(`/chungnhan/${code}`, verifyBase).toString(),
    };
  }

  /** One certificate's PDF by its verification code. */
  async pdf(code: string, verifyBase: string): Promise<{ bytes: Buffer; filename: string } | undefined> {
    const paper = await this.reader.byCode(code);
    if (!paper) return undefined;
    return { bytes: await certificatePdf(paper, this.style(verifyBase)), filename: certificateFileName(paper.serial) };
  }

  /** The certificates matching the filter, in serial order (a page of them). */
  list(filter: CertificateFilter, take = 500, skip = 0) {
    return this.db.prisma.certificate.findMany({
      where: this.where(filter),
      orderBy: [{ roundNumber: { sort: "asc", nulls: "last" } }, { serial: "asc" }],
      take,
      skip,
    });
  }

  count(filter: CertificateFilter): Promise<number> {
    return this.db.prisma.certificate.count({ where: this.where(filter) });
  }

  private where(filter: CertificateFilter): Prisma.CertificateWhereInput {
    return { contestId: this.contest.id, roundNumber: filter.round, kind: filter.kind };
  }

  /** Every matching certificate as pages of one PDF written to `out`. */
  writeAll(out: Writable, filter: CertificateFilter, verifyBase: string): Promise<void> {
    const round = filter.round === undefined ? Prisma.empty : Prisma.sql`AND "roundNumber" = ${filter.round}`;
    const kind = filter.kind === undefined ? Prisma.empty : Prisma.sql`AND kind = ${filter.kind}::"CertificateKind"`;
    const sql = Prisma.sql`SELECT serial, code, kind::text AS kind, "holderName", "unitName", prize, detail, "roundNumber", "issuedAt"
      FROM "Certificate" WHERE "contestId" = ${this.contest.id}::uuid ${round} ${kind}
      ORDER BY "roundNumber" NULLS LAST, serial`;
    return writeCertificatesPdf(out, this.style(verifyBase), (each) => this.db.batches<CertificatePaper>(sql, BATCH, each));
  }
}
