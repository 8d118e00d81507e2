// Repeated failed sign-ins are slowed down: after FREE failures for one login (or many more from
// one address, a password spray) within the window, each further try must wait twice as long as
// the previous one (30 s, 1 min, 2 min… up to 15 min). Failures are rows in the database, so
// every instance applies the same wait.
import type { PrismaClient } from "../../generated/prisma/client.js";

const WINDOW_MS = 15 * 60_000;
const FREE = 5;
const FREE_PER_ADDRESS = 20;
const FIRST_WAIT_MS = 30_000;
const MAX_WAIT_MS = 15 * 60_000;

export class SignInThrottle {
  constructor(private readonly prisma: PrismaClient) {}

  /** Seconds to wait before this login may be tried again from this address; 0 when it may now. */
  async waitSeconds(login: string, address: string, now: Date): Promise<number> {
    const since = new Date(now.getTime() - WINDOW_MS);
    const [byLogin, byAddress] = await Promise.all([
      this.prisma.signInFailure.findMany({ where: { login, at: { gt: since } }, orderBy: { at: "desc" }, select: { at: true } }),
      this.prisma.signInFailure.findMany({ where: { address, at: { gt: since } }, orderBy: { at: "desc" }, select: { at: true } }),
    ]);
    const wait = (failures: { at: Date }[], free: number) => {
      if (failures.length < free) return 0;
      const ms = Math.min(MAX_WAIT_MS, FIRST_WAIT_MS * 2 ** (failures.length - free));
      return Math.max(0, failures[0]!.at.getTime() + ms - now.getTime());
    };
    return Math.ceil(Math.max(wait(byLogin, FREE), wait(byAddress, FREE_PER_ADDRESS)) / 1000);
  }

  async recordFailure(login: string, address: string, now: Date): Promise<void> {
    await this.prisma.signInFailure.create({ data: { login, address, at: now } });
  }

  /** A successful sign-in forgives the login's failures; old rows of everyone go too. */
  async succeeded(login: string, now: Date): Promise<void> {
    await this.prisma.signInFailure.deleteMany({
      where: { OR: [{ login }, { at: { lt: new Date(now.getTime() - WINDOW_MS) } }] },
    });
  }
}
