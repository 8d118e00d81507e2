// Admin API tokens: random, shown once, stored as SHA-256 hashes.
import { createHash, randomBytes } from "node:crypto";
import type { AdminRole, ApiToken, PrismaClient } from "../generated/prisma/client.js";

export const hashToken = (token: string) => createHash("sha256").update(token).digest("hex");

export async function createToken(
  prisma: PrismaClient,
  input: { name: string; role: AdminRole; unitCode?: string },
): Promise<{ token: string; row: ApiToken }> {
  if (input.role === "UNIT_ADMIN" && !input.unitCode) throw new Error("a unit admin token needs a unit code");
  const token = `cbt_${randomBytes(24).toString("base64url")}`;
  const row = await prisma.apiToken.create({
    data: { name: input.name, role: input.role, unitCode: input.unitCode?.toUpperCase(), tokenHash: hashToken(token) },
  });
  return { token, row };
}

export async function findToken(prisma: PrismaClient, token: string): Promise<ApiToken | null> {
  const row = await prisma.apiToken.findUnique({ where: { tokenHash: hashToken(token) } });
  return row && !row.revokedAt ? row : null;
}
