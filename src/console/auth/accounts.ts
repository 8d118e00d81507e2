// Console accounts: created from the CLI (`user:create`), from the console by an organizer, or
// — the first organizer of a fresh install only — from the console on this machine. Passwords
// are bcrypt hashes (bcryptjs, cost 12: about a quarter of a second to check, which is the point).
import { randomBytes } from "node:crypto";
import bcrypt from "bcryptjs";
import { normalizePhone } from "../../engine/validation.js";
import type { ConsoleRole, ConsoleUser, PrismaClient } from "../../generated/prisma/client.js";
import { CONSOLE } from "../../messages/console.js";

const E = CONSOLE.accountErrors;

const COST = 12;
export const PASSWORD_MIN_LENGTH = 10;
const LOGIN = /^[a-z0-9._-]{3,40}$/;

export class AccountError extends Error {}

export interface NewAccount {
  login: string;
  name: string;
  role: ConsoleRole;
  unitCode?: string;
  /** A unit admin's phone: the bot gives them their unit's menu in chat. */
  phone?: string;
  /** A juror's level (1 = the first of the contest file's judging levels) and own unit. */
  juryLevel?: number;
  homeUnitCode?: string;
  /** Generated (and returned) when absent. */
  password?: string;
}

/** Creates an account; returns it with the password (the generated one when none was given). */
export async function createAccount(
  prisma: PrismaClient,
  input: NewAccount,
  unitCodes: readonly string[],
): Promise<{ user: ConsoleUser; password: string }> {
  const login = input.login.trim().toLowerCase();
  if (!LOGIN.test(login)) throw new AccountError(E.login);
  const name = input.name.trim();
  if (!name || name.length > 80) throw new AccountError(E.name);
  const unitCode = input.unitCode?.trim().toUpperCase() || undefined;
  if (input.role === "UNIT_ADMIN" && !unitCode) throw new AccountError(E.unitNeeded);
  if (input.juryLevel !== undefined && (!Number.isInteger(input.juryLevel) || input.juryLevel < 1 || input.juryLevel > 10)) {
    throw new AccountError(E.juryLevel);
  }
  if (unitCode && !unitCodes.includes(unitCode)) throw new AccountError(E.unknownUnit(unitCode));
  const phone = input.phone?.trim() ? normalizePhone(input.phone) : undefined;
  if (input.phone?.trim() && !phone) throw new AccountError(E.phone);
  const homeUnitCode = input.homeUnitCode?.trim().toUpperCase() || undefined;
  if (homeUnitCode && !unitCodes.includes(homeUnitCode)) throw new AccountError(E.unknownUnit(homeUnitCode));
  const password = input.password ?? randomBytes(12).toString("base64url");
  if (password.length < PASSWORD_MIN_LENGTH) throw new AccountError(E.password(PASSWORD_MIN_LENGTH));
  if (await prisma.consoleUser.findUnique({ where: { login } })) throw new AccountError(E.taken(login));
  const user = await prisma.consoleUser.create({
    data: {
      login,
      name,
      role: input.role,
      unitCode: input.role === "ORGANIZER" ? null : unitCode,
      phone: input.role === "UNIT_ADMIN" ? phone : null,
      juryLevel: input.role === "JURY" ? (input.juryLevel ?? 1) : null,
      homeUnitCode: input.role === "JURY" ? homeUnitCode : null,
      passwordHash: await bcrypt.hash(password, COST),
    },
  });
  return { user, password };
}

// A hash of a random password: checking an unknown login costs the same time as a known one.
const DECOY = bcrypt.hashSync(randomBytes(16).toString("hex"), COST);

/** The active account with this login and password, or null (in the same time either way). */
export async function checkPassword(prisma: PrismaClient, login: string, password: string): Promise<ConsoleUser | null> {
  const user = await prisma.consoleUser.findUnique({ where: { login: login.trim().toLowerCase() } });
  const ok = await bcrypt.compare(password, user?.passwordHash ?? DECOY);
  return ok && user && !user.disabledAt ? user : null;
}
