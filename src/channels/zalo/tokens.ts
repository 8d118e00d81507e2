// OA access tokens: refreshed before expiry and on an expiry error. Each refresh token is
// single-use, so the refresh runs under a PostgreSQL advisory lock (one instance at a time),
// re-reads the row after locking, and stores the new pair in the same transaction. A refresh
// token dies after about 3 months unused, so the background keeps the pair fresh even when
// nothing is sent; when no valid token is left the reason is stored for the organizer
// (log at error level, /readyz notes, GET /api/admin/zalo) until the OA is re-authorised.
import axios from "axios";
import type { PrismaClient } from "../../generated/prisma/client.js";
import type { Logger } from "../../logger.js";
import { ZALO } from "./protocol.js";

const LOCK_KEY = 72707370;

export interface ZaloAuthConfig {
  appId: string;
  appSecret: string;
  oauthBase: string;
  refreshToken?: string;
}

export class ZaloTokenError extends Error {}

export class ZaloTokens {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly config: ZaloAuthConfig,
    private readonly logger: Logger,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /**
   * At start-up: a ZALO_REFRESH_TOKEN never seen before (the OA admin re-authorised the app)
   * replaces the stored pair; the same value as last time changes nothing (rotated tokens win).
   */
  async adoptSeed(): Promise<void> {
    const seed = this.config.refreshToken;
    if (!seed) return;
    const state = await this.prisma.zaloState.findUnique({ where: { id: "oa" } });
    if (state?.seedRefreshToken === seed) return;
    const fresh = { refreshToken: seed, seedRefreshToken: seed, accessToken: null, expiresAt: null, authError: null };
    await this.prisma.zaloState.upsert({ where: { id: "oa" }, create: { id: "oa", ...fresh }, update: fresh });
    if (state) this.logger.info("new ZALO_REFRESH_TOKEN adopted");
  }

  /**
   * Background upkeep: refreshes when the access token ends within `withinMs` or the refresh
   * token is older than `maxAgeMs`, so the pair never lapses. Records a failure for the organizer.
   */
  async keepFresh(withinMs = 3 * 3_600_000, maxAgeMs = 7 * 86_400_000): Promise<boolean> {
    const state = await this.prisma.zaloState.findUnique({ where: { id: "oa" } });
    if (!state && !this.config.refreshToken) return false;
    const now = this.clock().getTime();
    const endsSoon = !state?.expiresAt || state.expiresAt.getTime() - withinMs <= now;
    const old = !state?.refreshedAt || now - state.refreshedAt.getTime() >= maxAgeMs;
    if (!endsSoon && !old) return false;
    // Passing the token read above: if another instance refreshed meanwhile, nothing more happens.
    await this.refresh(state?.accessToken ?? undefined);
    return true;
  }

  /** Why no valid token is left, or null while the tokens work. */
  async problem(): Promise<string | null> {
    return (await this.prisma.zaloState.findUnique({ where: { id: "oa" }, select: { authError: true } }))?.authError ?? null;
  }

  /** A valid access token, refreshing first when it is missing or about to expire. */
  async accessToken(): Promise<string> {
    const state = await this.prisma.zaloState.findUnique({ where: { id: "oa" } });
    if (state?.accessToken && state.expiresAt && state.expiresAt.getTime() - ZALO.refreshMarginMs > this.clock().getTime()) {
      return state.accessToken;
    }
    return this.refresh(state?.accessToken ?? undefined);
  }

  /**
   * Refreshes unless another caller already did since `staleToken` was read. Pass the token that
   * Zalo just rejected to force a refresh past it.
   */
  async refresh(staleToken?: string): Promise<string> {
    try {
      return await this.refreshLocked(staleToken);
    } catch (error) {
      if (error instanceof ZaloTokenError) {
        await this.prisma.zaloState.updateMany({ where: { id: "oa" }, data: { authError: error.message } });
        this.logger.error(
          { err: error },
          "Zalo: no valid token is left; the OA must be re-authorised (README «Zalo: re-authorising the OA»)",
        );
      }
      throw error;
    }
  }

  private refreshLocked(staleToken: string | undefined): Promise<string> {
    return this.prisma.$transaction(
      async (tx) => {
        await tx.$executeRaw`SELECT pg_advisory_xact_lock(${LOCK_KEY})`;
        const state = await tx.zaloState.findUnique({ where: { id: "oa" } });
        const fresh =
          state?.accessToken &&
          state.accessToken !== staleToken &&
          state.expiresAt &&
          state.expiresAt.getTime() - ZALO.refreshMarginMs > this.clock().getTime();
        if (fresh) return state.accessToken!;
        const refreshToken = state?.refreshToken ?? this.config.refreshToken;
        if (!refreshToken) throw new ZaloTokenError("no Zalo refresh token: set ZALO_REFRESH_TOKEN");
        const { data } = await axios.post(
          new URL(ZALO.tokenPath, this.config.oauthBase).toString(),
          new URLSearchParams({ refresh_token: refreshToken, app_id: this.config.appId, grant_type: "refresh_token" }),
          { headers: { secret_key: this.config.appSecret }, timeout: 10_000 },
        );
        if (!data?.access_token || !data?.refresh_token) {
          throw new ZaloTokenError(
            `Zalo token refresh failed: ${data?.error ?? "?"} ${data?.error_name ?? ""} ${data?.error_description ?? ""}`.trim(),
          );
        }
        const expiresAt = new Date(this.clock().getTime() + Number(data.expires_in ?? 90_000) * 1000);
        const saved = {
          accessToken: data.access_token as string,
          refreshToken: data.refresh_token as string,
          expiresAt,
          refreshedAt: this.clock(),
          authError: null,
        };
        await tx.zaloState.upsert({ where: { id: "oa" }, create: { id: "oa", ...saved }, update: saved });
        this.logger.info({ expiresAt }, "Zalo access token refreshed");
        return saved.accessToken;
      },
      { timeout: 20_000 },
    );
  }
}
