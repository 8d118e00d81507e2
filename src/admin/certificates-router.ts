// Organizers' certificates under /api/admin/certificates (behind the admin API's token and
// organizer checks): GET / lists them (JSON, a page at a time), GET /pdf gives every matching
// certificate as one PDF to print. Both filter by ?round=<n> and ?kind=<CertificateKind>.
import { type Request, Router } from "express";
import type { CertificateFilter, CertificateService } from "../certificates/certificates.js";
import type { CertificateKind } from "../certificates/paper.js";
import { RequestError } from "../server/request-error.js";

const KINDS: readonly CertificateKind[] = ["PRIZE", "AUDIENCE_PRIZE", "UNIT_PRIZE", "PARTICIPATION"];
const PAGE = 500;

function filterOf(req: Request): CertificateFilter {
  const { round, kind } = req.query;
  if (round !== undefined && !/^[1-9]\d{0,3}$/.test(String(round))) throw new RequestError(400, "round: expected a round number");
  if (kind !== undefined && !(KINDS as readonly string[]).includes(String(kind)))
    throw new RequestError(400, `kind: one of ${KINDS.join(", ")}`);
  return { round: round === undefined ? undefined : Number(round), kind: kind as CertificateKind | undefined };
}

export function certificatesAdminRouter(certificates: CertificateService, verifyBase: () => string): Router {
  const router = Router();
  router.get("/", async (req, res) => {
    const filter = filterOf(req);
    const offset = req.query.offset === undefined ? 0 : Number(req.query.offset);
    if (!Number.isInteger(offset) || offset < 0 || offset > 10_000_000) throw new RequestError(400, "offset: a whole number from 0");
    const [total, rows] = await Promise.all([certificates.count(filter), certificates.list(filter, PAGE, offset)]);
    res.json({
      total,
      offset,
      certificates: rows.map((c) => ({
        serial: c.serial,
        kind: c.kind,
        round: c.roundNumber,
        holder: c.holderName,
        unit: c.unitName,
        prize: c.prize,
        detail: c.detail,
        issuedAt: c.issuedAt,
        verifyUrl: new URL(`/chungnhan/${c.code}`, verifyBase()).toString(),
      })),
    });
  });
  router.get("/pdf", async (req, res) => {
    const filter = filterOf(req);
    res.type("application/pdf").attachment(`giay-chung-nhan${filter.round ? `-vong-${filter.round}` : ""}.pdf`);
    await certificates.writeAll(res, filter, verifyBase());
  });
  return router;
}
