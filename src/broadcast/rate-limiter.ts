// Spaces sends to one platform at least `intervalMs` apart, and holds them all back after a
// 429 until its retry-after has passed. Clock and sleep are injectable for tests.
export class RateLimiter {
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

  pauseFor(ms: number): void {
    this.nextAt = Math.max(this.nextAt, this.now() + ms);
  }
}

/** Documented bulk rates: Telegram ~30 msg/s across users; Zalo OA 4,000 requests/min per app. */
export const PLATFORM_INTERVAL_MS = { TELEGRAM: 34, ZALO: 20, SIMULATOR: 0 } as const;
