import { describe, expect, it } from "vitest";
import { campaignProgress, createCampaign, eachAudiencePage, previewCampaign } from "../../src/broadcast/campaigns.js";
import { type Messenger, RateLimitedError, RecipientUnreachableError } from "../../src/broadcast/messenger.js";
import { RateLimiter, SharedRateLimiter } from "../../src/broadcast/rate-limiter.js";
import { DeliverySender } from "../../src/broadcast/sender.js";
import { RedisSessionStore } from "../../src/sessions/redis-store.js";
import { isUniqueViolation } from "../../src/storage/errors.js";
import { type Harness, useSampleHarness } from "../helpers/contest.js";
import { BACKENDS } from "../helpers/db.js";
import { requireEnv } from "../helpers/env.js";
import { silentLogger } from "../helpers/logger.js";

/** Registers `n` participants in `unitCode`, each with one account on `platform`. */
async function seed(h: Harness, prefix: string, n: number, unitCode: string, platform: "TELEGRAM" | "ZALO" = "TELEGRAM") {
  const unit = h.contest.units.find((u) => u.code === unitCode)!;
  for (let i = 0; i < n; i++) {
    const phone = `+8491${prefix}${String(i).padStart(7 - prefix.length, "0")}`;
    await h.db.prisma.participant.create({
      data: {
        contestId: h.contest.id,
        phone,
        fullName: `Người ${i}`,
        birthDate: new Date("1990-01-01"),
        consentAt: new Date(),
        unitId: unit.id,
      },
    });
    await h.db.prisma.platformAccount.create({
      data: { platform, externalId: `${prefix}-${i}`, chatId: `${prefix}-${i}`, phone, lastInteractionAt: h.clock.now() },
    });
  }
}

/** A campaign to one unit subtree, created at `at` (the harness clock by default). */
function unitCampaign(h: Harness, name: string, unitCode: string, at: Date = h.clock.now()) {
  return createCampaign(h.db.prisma, h.contest, { name, text: "x", audience: { kind: "unit", unitCode }, createdBy: "t" }, at);
}

class RecordingMessenger implements Messenger {
  readonly sent: string[] = [];
  constructor(private readonly behaviour: (chatId: string, n: number) => Promise<void> | void = () => undefined) {}
  async send(chatId: string): Promise<void> {
    await this.behaviour(chatId, this.sent.length);
    this.sent.push(chatId);
  }
}

const drain = async (sender: DeliverySender) => {
  while ((await sender.runOnce(7)).claimed > 0);
};

describe.each(BACKENDS)("broadcasts on %s", (backend) => {
  const h = useSampleHarness(backend);

  it("fans out to a unit subtree, one delivery per account, previewed first", async () => {
    await seed(h, "11", 3, "TDP01");
    await seed(h, "12", 2, "TDP03");
    await seed(h, "13", 4, "UBND");
    const input = { name: "Nhắc KP1", text: "Mời thi vòng 1", audience: { kind: "unit" as const, unitCode: "KP1" }, createdBy: "test" };
    const preview = await previewCampaign(h.db.prisma, h.contest, input, h.clock.now());
    expect(preview).toMatchObject({ recipients: 5, blocked: 0, byPlatform: { TELEGRAM: 5, ZALO: 0 } });
    const campaign = await createCampaign(h.db.prisma, h.contest, input, h.clock.now());
    expect(await h.db.prisma.delivery.count({ where: { campaignId: campaign.id } })).toBe(5);
    const some = await h.db.prisma.delivery.findFirstOrThrow({ where: { campaignId: campaign.id } });
    const dup = await h.db.prisma.delivery
      .create({ data: { campaignId: campaign.id, accountId: some.accountId } })
      .catch((e: unknown) => e);
    expect(isUniqueViolation(dup)).toBe(true);
    const messenger = new RecordingMessenger();
    await drain(
      new DeliverySender({
        prisma: h.db.prisma,
        messengers: { TELEGRAM: messenger },
        logger: silentLogger,
        clock: h.clock.now,
        limiters: {},
      }),
    );
    expect(messenger.sent.sort()).toEqual(["11-0", "11-1", "11-2", "12-0", "12-1"]);
    expect(await campaignProgress(h.db.prisma, campaign.id, h.clock.now())).toMatchObject({
      status: "DONE",
      total: 5,
      sent: 5,
      pending: 0,
      ratePerSecond: 0.08,
      secondsLeft: 0,
    });
  });

  it("delivers each message once when two senders race", async () => {
    await seed(h, "21", 30, "TDP02");
    const campaign = await unitCampaign(h, "race", "TDP02");
    const shared = new RecordingMessenger(() => new Promise((r) => setTimeout(r, 2)));
    const senders = [1, 2].map(
      () =>
        new DeliverySender({
          prisma: h.db.prisma,
          messengers: { TELEGRAM: shared },
          logger: silentLogger,
          clock: h.clock.now,
          limiters: {},
        }),
    );
    await Promise.all(senders.map(drain));
    expect(shared.sent).toHaveLength(30);
    expect(new Set(shared.sent).size).toBe(30);
    expect((await campaignProgress(h.db.prisma, campaign.id)).sent).toBe(30);
  });

  it("never lets a live but slow sender's batch be taken over (lease heartbeat)", async () => {
    await seed(h, "35", 40, "TDP02");
    const campaign = await unitCampaign(h, "slow", "TDP02");
    const shared: string[] = [];
    // Each send takes 40 ms: a batch of 20 lasts ~800 ms, well past the 300 ms lease.
    const slow = () => ({
      async send(chatId: string) {
        await new Promise((r) => setTimeout(r, 40));
        shared.push(chatId);
      },
    });
    const senders = [1, 2].map(
      () => new DeliverySender({ prisma: h.db.prisma, messengers: { TELEGRAM: slow() }, logger: silentLogger, limiters: {}, leaseMs: 300 }),
    );
    const drainSlowly = async (sender: DeliverySender) => {
      while ((await sender.runOnce(20)).claimed > 0);
    };
    await Promise.all(senders.map(drainSlowly));
    // Only this campaign's recipients (earlier tests may leave deliveries due by the real clock).
    const recipients = await h.db.prisma.delivery.findMany({ where: { campaignId: campaign.id }, include: { account: true } });
    const theirs = new Set(recipients.map((d) => d.account.chatId));
    const mine = shared.filter((chatId) => theirs.has(chatId));
    expect(recipients.length).toBeGreaterThanOrEqual(40);
    expect(mine).toHaveLength(recipients.length);
    expect(new Set(mine).size).toBe(recipients.length);
    expect((await campaignProgress(h.db.prisma, campaign.id)).sent).toBe(recipients.length);
  });

  it("keeps one send rate across two instances sharing Redis, without duplicates", async () => {
    await seed(h, "36", 100, "CAP");
    const campaign = await unitCampaign(h, "shared rate", "CAP");
    const theirs = new Set(
      (await h.db.prisma.delivery.findMany({ where: { campaignId: campaign.id }, include: { account: true } })).map(
        (d) => d.account.chatId,
      ),
    );
    const stores = [1, 2].map(() => RedisSessionStore.connect(requireEnv("TEST_REDIS_URL"), `rate-${backend}:`));
    const key = `TELEGRAM-${backend}-${Date.now()}`;
    const PER_SECOND = 20;
    const sentAt: number[] = [];
    const sent: string[] = [];
    // Every send counts against the budget (earlier tests may leave deliveries due as well).
    const messenger = {
      async send(chatId: string) {
        sent.push(chatId);
        sentAt.push(Date.now());
      },
    };
    try {
      // Two instances, each with its own limiter object on the same Redis key: 20 sends/s in all.
      const senders = stores.map(
        (store) =>
          new DeliverySender({
            prisma: h.db.prisma,
            messengers: { TELEGRAM: messenger },
            logger: silentLogger,
            limiters: { TELEGRAM: new SharedRateLimiter(store.client, key, PER_SECOND) },
          }),
      );
      await Promise.all(senders.map(drain));
    } finally {
      await Promise.all(stores.map((s) => s.close()));
    }
    const mine = sent.filter((chatId) => theirs.has(chatId));
    expect(mine).toHaveLength(theirs.size);
    expect(new Set(mine).size).toBe(theirs.size);
    const seconds = (sentAt.at(-1)! - sentAt[0]!) / 1000;
    // The budget is counted per one-second window, so n sends span at least n / PER_SECOND − 1
    // seconds; two instances each with its own budget would need only half that.
    expect(sent.length).toBeLessThanOrEqual(PER_SECOND * (Math.ceil(seconds) + 1));
    // …and the shared budget is used, not starved (slack for a loaded machine's database).
    expect(sent.length / seconds).toBeGreaterThan(PER_SECOND * 0.5);
  }, 30_000);

  it("resumes after a crash mid-campaign, resending at most what was in flight", async () => {
    await seed(h, "31", 12, "TDP04");
    const campaign = await unitCampaign(h, "crash", "TDP04");
    const attempted: string[] = [];
    // The first worker "dies" on its 4th send: that call never returns.
    const dying = new RecordingMessenger((chatId, n) => {
      attempted.push(chatId);
      return n === 3 ? new Promise<void>(() => undefined) : undefined;
    });
    void new DeliverySender({
      prisma: h.db.prisma,
      messengers: { TELEGRAM: dying },
      logger: silentLogger,
      clock: h.clock.now,
      limiters: {},
    }).runOnce(7);
    await expect.poll(() => attempted.length).toBe(4);
    const later = () => new Date(h.clock.now().getTime() + 61_000); // after the dead worker's lease
    const healthy = new RecordingMessenger();
    await drain(
      new DeliverySender({ prisma: h.db.prisma, messengers: { TELEGRAM: healthy }, logger: silentLogger, clock: later, limiters: {} }),
    );
    const delivered = [...dying.sent, ...healthy.sent];
    expect(new Set(delivered).size).toBe(12);
    expect(delivered.length - 12).toBeLessThanOrEqual(1); // only the in-flight one may repeat
    expect(healthy.sent).not.toContain(dying.sent[0]);
    expect((await campaignProgress(h.db.prisma, campaign.id)).sent).toBe(12);
  });

  it("records blocked recipients and skips them next time; Zalo accounts outside the window are skipped", async () => {
    await seed(h, "41", 3, "TDP05");
    await seed(h, "42", 1, "TDP05", "ZALO");
    await h.db.prisma.platformAccount.update({
      where: { platform_externalId: { platform: "ZALO", externalId: "42-0" } },
      data: { lastInteractionAt: new Date(h.clock.now().getTime() - 8 * 86_400_000) },
    });
    const audience = { kind: "unit" as const, unitCode: "TDP05" };
    const first = await createCampaign(h.db.prisma, h.contest, { name: "b1", text: "x", audience, createdBy: "t" }, h.clock.now());
    const messenger = new RecordingMessenger((chatId) => {
      if (chatId === "41-1") throw new RecipientUnreachableError("Forbidden: bot was blocked by the user", true);
    });
    const sender = new DeliverySender({
      prisma: h.db.prisma,
      messengers: { TELEGRAM: messenger, ZALO: new RecordingMessenger() },
      logger: silentLogger,
      clock: h.clock.now,
      limiters: {},
    });
    await drain(sender);
    expect(await campaignProgress(h.db.prisma, first.id)).toMatchObject({ sent: 2, failed: 1, skipped: 1 });
    const blocked = await h.db.prisma.platformAccount.findFirstOrThrow({ where: { externalId: "41-1" } });
    expect(blocked.blockedAt).not.toBeNull();
    const second = await createCampaign(h.db.prisma, h.contest, { name: "b2", text: "x", audience, createdBy: "t" }, h.clock.now());
    messenger.sent.length = 0;
    await drain(sender);
    expect(messenger.sent.sort()).toEqual(["41-0", "41-2"]);
    expect(await campaignProgress(h.db.prisma, second.id)).toMatchObject({ sent: 2, skipped: 2 });
  });

  it("spaces sends by the platform rate and honours retry-after on a fake clock", async () => {
    await seed(h, "51", 10, "THCS");
    let fakeNow = h.clock.now().getTime();
    const clock = () => new Date(fakeNow);
    const limiter = new RateLimiter(
      34,
      () => fakeNow,
      async (ms) => {
        fakeNow += ms;
      },
    );
    const times: number[] = [];
    let throttledAt: number | undefined;
    const messenger = new RecordingMessenger(() => {
      if (times.length === 5 && throttledAt === undefined) {
        throttledAt = fakeNow;
        throw new RateLimitedError(3_000);
      }
      times.push(fakeNow);
    });
    const campaign = await unitCampaign(h, "rate", "THCS", clock());
    const sender = new DeliverySender({
      prisma: h.db.prisma,
      messengers: { TELEGRAM: messenger },
      logger: silentLogger,
      clock,
      limiters: { TELEGRAM: limiter },
    });
    await sender.runOnce(50);
    const retried = await h.db.prisma.delivery.findFirstOrThrow({ where: { campaignId: campaign.id, status: "PENDING" } });
    expect(retried.notBefore!.getTime() - throttledAt!).toBeGreaterThanOrEqual(3_000);
    fakeNow += 3_000;
    await sender.runOnce(50);
    expect(times).toHaveLength(10);
    for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBeGreaterThanOrEqual(34);
    expect(times[5]! - times[4]!).toBeGreaterThanOrEqual(3_000); // held back after the 429
    let notAttempted = 0;
    await eachAudiencePage(h.db.prisma, h.contest, { kind: "notAttempted" }, clock(), async (page) => {
      notAttempted += page.length;
    });
    expect(notAttempted).toBeGreaterThan(0);
  });
});
