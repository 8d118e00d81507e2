// What a certificate says, independent of how it is drawn: the row fields a page prints and
// the one-line description used on the paper and in chat captions.
import { M } from "../messages/index.js";

export type CertificateKind = "PRIZE" | "AUDIENCE_PRIZE" | "UNIT_PRIZE" | "PARTICIPATION";

/** What a page prints of one certificate (a row of the Certificate table). */
export interface CertificatePaper {
  serial: string;
  code: string;
  kind: CertificateKind;
  holderName: string;
  unitName: string | null;
  prize: string | null;
  detail: string;
  roundNumber: number | null;
  issuedAt: Date;
}

/** «Đã đạt giải Nhất – Vòng 3», or participation. */
export const achievement = (paper: Pick<CertificatePaper, "prize" | "roundNumber">) =>
  paper.prize ? M.certPrizeLine(paper.prize, paper.roundNumber) : M.certParticipationLine(paper.roundNumber);

/** The file name a certificate is sent and downloaded as. */
export const certificateFileName = (serial: string) => `giay-chung-nhan-${serial}.pdf`;
