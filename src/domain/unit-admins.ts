// Who administers which unit, by phone: declared in the contest file (`unitAdmins`) or as a
// console account of a unit admin with a phone. Looked up on every menu shown, so it is held in
// memory: the contest file's part is fixed, the accounts' part is reloaded by `refresh()`
// (start-up and the background upkeep, every 30 s).
import type { ContestContext } from "../contest/context.js";
import { normalizePhone } from "../engine/validation.js";
import type { PrismaClient } from "../generated/prisma/client.js";

export class UnitAdminDirectory {
  private readonly declared: Map<string, string>;
  private fromAccounts = new Map<string, string>();

  constructor(
    contest: ContestContext,
    private readonly prisma?: PrismaClient,
  ) {
    this.declared = new Map(contest.def.unitAdmins.map((a) => [normalizePhone(a.phone)!, a.unit.toUpperCase()]));
  }

  /** The code of the unit this phone administers, if any. */
  unitOf(phone: string): string | undefined {
    return this.declared.get(phone) ?? this.fromAccounts.get(phone);
  }

  async refresh(): Promise<void> {
    if (!this.prisma) return;
    const accounts = await this.prisma.consoleUser.findMany({
      where: { role: "UNIT_ADMIN", phone: { not: null }, unitCode: { not: null }, disabledAt: null },
      select: { phone: true, unitCode: true },
    });
    this.fromAccounts = new Map(accounts.map((a) => [a.phone!, a.unitCode!]));
  }
}
