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
  /**
   * Resolves once no pause is in effect, without taking from the budget: replies to people
   * are not paced at the bulk rate (Telegram allows far more) but do honour a 429.
   */
  hold(): Promise<void>;
}

/** The part of a pause this process knows of. */
class PauseClock {
  private until = 0;
  constructor(private readonly now: () => number) {}
  extend(ms: number): void {
    this.until = Math.max(this.until, this.now() + ms);
  }
  async wait(): Promise<void> {
    const left = this.until - this.now();
    if (left > 0) await new Promise((r) => setTimeout(r, left));
  }
}

export class RateLimiter implements Pacer {
  private nextAt = 0;
  private readonly pause: PauseClock;

  constructor(
    private readonly intervalMs: number,
    private readonly now: () => number = Date.now,
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
  ) {
    this.pause = new PauseClock(now);
  }

  async take(): Promise<void> {
    const now = this.now();
    const at = Math.max(now, this.nextAt);
    this.nextAt = at + this.intervalMs;
    if (at > now) await this.sleep(at - now);
  }

  async pauseFor(ms: number): Promise<void> {
    this.nextAt = Math.max(this.nextAt, this.now() + ms);
    this.pause.extend(ms);
  }

  hold(): Promise<void> {
    return this.pause.wait();
  }
}

/** One send budget per platform shared by every instance through Redis. */
export class SharedRateLimiter implements Pacer {
  private readonly limiter: RateLimiterRedis;
  private readonly pause = new PauseClock(Date.now);

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
    this.pause.extend(ms);
    await this.limiter.block(this.key, Math.max(1, Math.ceil(ms / 1000)));
  }

  hold(): Promise<void> {
    return this.pause.wait();
  }
}

/** Documented bulk rates per second: Telegram ~30 msg/s across users; Zalo OA 4,000 requests/min per app (kept at 50/s). */
export const BULK_RATES = { TELEGRAM: 30, ZALO: 50 } as const;

/**
 * Pacers for the platforms that have a rate: shared through Redis when given (one budget for
 * every instance), else local to this process. `rates` overrides the documented ones.
 */
export function platformPacers(redis?: Redis, rates: Partial<Record<"TELEGRAM" | "ZALO", number>> = {}): Partial<Record<Platform, Pacer>> {
  const make = (platform: "TELEGRAM" | "ZALO") => {
    const perSecond = rates[platform] ?? BULK_RATES[platform];
    return redis ? new SharedRateLimiter(redis, platform, perSecond) : new RateLimiter(1000 / perSecond);
  };
  return { TELEGRAM: make("TELEGRAM"), ZALO: make("ZALO") };
}
