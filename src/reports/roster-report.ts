// Mandatory participation (plans 000, 002): for each unit with its subtree, how many roster
// members there are, how many registered and took part (in a round, or in any round), who has
// not yet — and who registered under another unit than the roster's.
import type { ContestContext } from "../contest/context.js";
import { memberStatus, rosterCounts } from "../contest/roster-status.js";
import type { PrismaClient } from "../generated/prisma/client.js";
import { REPORTS } from "../messages/pages.js";
import { type Report, smallReport } from "./reports.js";

/** Per unit with its subtree: roster size, registered, took part, not yet, compliance (%). */
export async function rosterReport(prisma: PrismaClient, contest: ContestContext, roundNumber?: number): Promise<Report> {
  const counts = rosterCounts(contest, await memberStatus(prisma, contest, roundNumber));
  const rows = contest.units
    .map((unit) => {
      const n = counts.get(unit.id)!;
      return { code: unit.code, name: unit.name, ...n, notYet: n.roster - n.tookPart };
    })
    .filter((r) => r.roster > 0);
  const c = REPORTS.rosterColumns;
  return smallReport(
    REPORTS.rosterTitle(roundNumber),
    [
      { header: c.code, key: "code", width: 12 },
      { header: c.name, key: "name", width: 32 },
      { header: c.roster, key: "roster", width: 12 },
      { header: c.registered, key: "registered", width: 12 },
      { header: c.tookPart, key: "tookPart", width: 12 },
      { header: c.notYet, key: "notYet", width: 12 },
      { header: c.compliance, key: "compliance", width: 14 },
    ],
    rows,
  );
}

/** The roster members who have not taken part yet, by unit (only the given units' when set). */
export async function rosterMissingReport(
  prisma: PrismaClient,
  contest: ContestContext,
  roundNumber?: number,
  visibleUnitCodes?: Set<string>,
): Promise<Report> {
  const name = new Map(contest.units.map((u) => [u.id, u]));
  const rows = (await memberStatus(prisma, contest, roundNumber))
    .filter((m) => !m.tookPart)
    .map((m) => {
      const unit = m.unitId ? name.get(m.unitId) : undefined;
      const elsewhere = m.registered && m.registeredUnitId !== m.unitId ? name.get(m.registeredUnitId ?? "") : undefined;
      return {
        unitCode: unit?.code ?? "",
        unit: unit?.name ?? "",
        fullName: m.fullName,
        registered: m.registered ? REPORTS.yes : REPORTS.no,
        registeredElsewhere: elsewhere?.name ?? "",
      };
    })
    .filter((r) => !visibleUnitCodes || visibleUnitCodes.has(r.unitCode))
    .sort((a, b) => a.unitCode.localeCompare(b.unitCode) || a.fullName.localeCompare(b.fullName, "vi"));
  const c = REPORTS.rosterMissingColumns;
  return smallReport(
    REPORTS.rosterMissingTitle(roundNumber),
    [
      { header: c.unitCode, key: "unitCode", width: 12 },
      { header: c.unit, key: "unit", width: 28 },
      { header: c.fullName, key: "fullName", width: 28 },
      { header: c.registered, key: "registered", width: 12 },
      { header: c.registeredElsewhere, key: "registeredElsewhere", width: 28 },
    ],
    rows,
  );
}
