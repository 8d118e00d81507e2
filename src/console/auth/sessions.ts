// Server-side console sessions in the database (every instance sees them): the cookie holds a
// random token, the row its SHA-256, so a leaked table cannot be replayed as cookies. Each
// session has its CSRF token. Sign-out revokes the row: the cookie stops working at once.
import { createHash, randomBytes } from "node:crypto";
import type { ConsoleUser, PrismaClient } from "../../generated/prisma/client.js";

export const SESSION_HOURS = 12;
const hash = (token: string) => createHash("sha256").update(token).digest("hex");

export interface SignedIn {
  sessionId: string;
  csrfToken: string;
  user: ConsoleUser;
}

export class ConsoleSessions {
  constructor(private readonly prisma: PrismaClient) {}

  /** A new session for the user: the cookie's token (shown once) and the session's CSRF token. */
  async create(userId: string, now: Date): Promise<{ token: string; csrfToken: string }> {
    const token = randomBytes(32).toString("base64url");
    const csrfToken = randomBytes(24).toString("base64url");
    await this.prisma.consoleSession.create({
      data: { tokenHash: hash(token), userId, csrfToken, expiresAt: new Date(now.getTime() + SESSION_HOURS * 3_600_000) },
    });
    return { token, csrfToken };
  }

  /** The live session of a cookie token: not revoked, not expired, its account not disabled. */
  async find(token: string | undefined, now: Date): Promise<SignedIn | undefined> {
    if (!token || token.length > 100) return undefined;
    const row = await this.prisma.consoleSession.findUnique({ where: { tokenHash: hash(token) }, include: { user: true } });
    if (!row || row.revokedAt || row.expiresAt <= now || row.user.disabledAt) return undefined;
    return { sessionId: row.id, csrfToken: row.csrfToken, user: row.user };
  }

  async revoke(sessionId: string, now: Date): Promise<void> {
    await this.prisma.consoleSession.updateMany({ where: { id: sessionId, revokedAt: null }, data: { revokedAt: now } });
  }

  /** Every session of an account (disabled, or its password changed). */
  async revokeAll(userId: string, now: Date): Promise<void> {
    await this.prisma.consoleSession.updateMany({ where: { userId, revokedAt: null }, data: { revokedAt: now } });
  }
}
