// Pacing of sends to one platform. Local: sends at least `intervalMs` apart in this process.
// Shared (Redis, several instances): one budget per platform across every instance, sends
// spaced evenly by slots reserved in Redis, and a 429's retry-after holds back every instance.
// Both hold all sends back after a 429 until it has passed.
import type { Redis } from "ioredis";
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

// A send slot is reserved in Redis, on Redis's clock: the script moves the platform's "next
// free slot" on by one interval and says how long to wait for the slot it handed out; a pause
// moves it past the retry-after. Every instance draws from the same sequence of slots, so the
// sends of all instances are spaced evenly at the rate. (rate-limiter-flexible's execEvenly
// was used before: when senders are slower than the pace it delays by consumedPoints × the
// minimum delay, and two instances measured 9.8 msg/s against a limit of 30.)
const RESERVE_SLOT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
local free = tonumber(redis.call('GET', KEYS[1]) or '0')
local at = math.max(now, free)
local after = math.max(at, now + tonumber(ARGV[2])) + tonumber(ARGV[1])
redis.call('SET', KEYS[1], tostring(after), 'PX', math.ceil(after - now) + 60000)
return tostring(at - now)`;

/** One send budget per platform shared by every instance through Redis. */
export class SharedRateLimiter implements Pacer {
  private readonly pause = new PauseClock(Date.now);
  private readonly intervalMs: number;

  constructor(
    private readonly redis: Redis,
    private readonly key: string,
    perSecond: number,
  ) {
    this.intervalMs = 1000 / perSecond;
  }

  /** Reserves the next slot (plus a pause of `pauseMs` first); the wait until it in ms. */
  private async reserve(intervalMs: number, pauseMs: number): Promise<number> {
    return Number(await this.redis.eval(RESERVE_SLOT, 1, `cb:rate:${this.key}`, String(intervalMs), String(pauseMs)));
  }

  async take(): Promise<void> {
    const waitMs = await this.reserve(this.intervalMs, 0);
    if (waitMs > 0) await new Promise((r) => setTimeout(r, waitMs));
  }

  async pauseFor(ms: number): Promise<void> {
    this.pause.extend(ms);
    await this.reserve(0, ms);
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
