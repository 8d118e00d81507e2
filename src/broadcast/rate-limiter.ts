// Pacing of sends to one platform. Local: sends at least `intervalMs` apart in this process.
// Shared (Redis, several instances): one budget per platform across every instance, spread
// evenly over each second by rate-limiter-flexible, and a 429's retry-after holds back every
// instance (the key is blocked). Both hold all sends back after a 429 until it has passed.
import type { Redis } from "ioredis";
import { RateLimiterRedis, RateLimiterRes } from "rate-limiter-flexible";
import type { Platform } from "../generated/prisma/client.js";

export interface Pacer {
  /** Resolves when the next send may go out. */
  take(): Promise<void>;
  /** The platform asked to slow down: nothing goes out for `ms`. */
  pauseFor(ms: number): Promise<void>;
}

export class RateLimiter implements Pacer {
  private nextAt = 0;

  constructor(
    private readonly intervalMs: number,
    private readonly now: () => number = Date.now,
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
  ) {}

  async take(): Promise<void> {
    const now = this.now();
    const at = Math.max(now, this.nextAt);
    this.nextAt = at + this.intervalMs;
    if (at > now) await this.sleep(at - now);
  }

  async pauseFor(ms: number): Promise<void> {
    this.nextAt = Math.max(this.nextAt, this.now() + ms);
  }
}

/** One send budget per platform shared by every instance through Redis. */
export class SharedRateLimiter implements Pacer {
  private readonly limiter: RateLimiterRedis;

  constructor(
    redis: Redis,
    private readonly key: string,
    perSecond: number,
  ) {
    this.limiter = new RateLimiterRedis({ storeClient: redis, keyPrefix: "cb:rate", points: perSecond, duration: 1, execEvenly: true });
  }

  async take(): Promise<void> {
    for (;;) {
      try {
        await this.limiter.consume(this.key);
        return;
      } catch (error) {
        if (!(error instanceof RateLimiterRes)) throw error;
        await new Promise((r) => setTimeout(r, Math.max(1, error.msBeforeNext)));
      }
    }
  }

  async pauseFor(ms: number): Promise<void> {
    await this.limiter.block(this.key, Math.max(1, Math.ceil(ms / 1000)));
  }
}

/** Documented bulk rates: Telegram ~30 msg/s across users; Zalo OA 4,000 requests/min per app. */
export const PLATFORM_INTERVAL_MS = { TELEGRAM: 34, ZALO: 20, SIMULATOR: 0 } as const;

/** Pacers for the platforms that have a rate: shared through Redis when given, else local. */
export function platformPacers(redis?: Redis): Partial<Record<Platform, Pacer>> {
  const make = (platform: "TELEGRAM" | "ZALO") =>
    redis
      ? new SharedRateLimiter(redis, platform, Math.floor(1000 / PLATFORM_INTERVAL_MS[platform]))
      : new RateLimiter(PLATFORM_INTERVAL_MS[platform]);
  return { TELEGRAM: make("TELEGRAM"), ZALO: make("ZALO") };
}
