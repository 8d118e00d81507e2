// Two instances on one PostgreSQL and one Redis, one fake Bot API: a person's updates are
// applied one at a time in arrival order and exactly once whichever instance receives them,
// and a broadcast keeps Telegram's bulk rate as one budget across both instances.
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeCampaign } from "../../src/broadcast/campaigns.js";
import { createPostgresDatabase } from "../helpers/db.js";
import { requireEnv } from "../helpers/env.js";
import { FakeTelegram } from "../helpers/fake-telegram.js";
import { pipelineSettled, startServer, type TestServer } from "../helpers/server.js";
import { callbackUpdate, textUpdate, upToUnit } from "../helpers/telegram-updates.js";

const SECRET = "two_instances";

describe("two instances on one PostgreSQL and Redis", () => {
  const fake = new FakeTelegram();
  let instances: TestServer[] = [];
  let drop: () => Promise<void>;
  let env: Record<string, string> = {};
  const post = (instance: TestServer, update: object) =>
    request(instance.server).post("/webhooks/telegram").set("X-Telegram-Bot-Api-Secret-Token", SECRET).send(update);

  beforeAll(async () => {
    await fake.start();
    const db = await createPostgresDatabase();
    drop = db.drop;
    env = {
      DATABASE_URL: db.url,
      REDIS_URL: requireEnv("TEST_REDIS_URL"),
      TELEGRAM_BOT_TOKEN: "888:TWO",
      TELEGRAM_WEBHOOK_SECRET: SECRET,
      TELEGRAM_API_ROOT: fake.apiRoot,
      TELEGRAM_BROADCAST_RATE: "30",
    };
    for (let i = 0; i < 2; i++) instances.push(await startServer(env));
  });
  afterAll(async () => {
    for (const instance of instances) await instance.destroy();
    instances = [];
    await drop?.();
    await fake.stop();
  });

  it("applies 200 concurrent updates of one person in order, exactly once, each delivered twice to both instances", async () => {
    const [a, b] = instances as [TestServer, TestServer];
    const prisma = a.db.prisma;
    const id = 7201;
    for (const update of [
      ...upToUnit(id, "Hà Văn Hai", "12/12/1992", "0917000201"),
      ...["us:TDP01", "au:DAN", "cf:ok"].map((d) => callbackUpdate(id, d)),
    ]) {
      expect((await post(a, update)).status).toBe(200);
      await pipelineSettled(prisma);
    }
    fake.clear();
    const commands = ["/huongdan", "/hoso", "/ketqua"];
    const updates = Array.from({ length: 200 }, (_, i) => textUpdate(id, commands[i % 3]));
    const answers = await Promise.all(updates.flatMap((u, i) => [post(i % 2 ? a : b, u), post(i % 2 ? b : a, u)]));
    expect(answers.every((r) => r.status === 200)).toBe(true);
    await pipelineSettled(prisma, 120_000);

    const events = await prisma.inboundEvent.findMany({
      where: { actorKey: `tg:${id}`, externalKey: { in: updates.map((u) => String(u.update_id)) } },
      orderBy: { seq: "asc" },
      include: { replies: true },
    });
    expect(events).toHaveLength(200);
    expect(events.every((e) => e.status === "DONE" && e.replies.length === 1)).toBe(true);
    // Applied in arrival order, one at a time: each turn's reply was written after the previous one's.
    const replySeqs = events.map((e) => e.replies[0]!.seq);
    expect(replySeqs).toEqual([...replySeqs].sort((x, y) => (x < y ? -1 : 1)));
    // And delivered in that order, each message once.
    const expected = events.flatMap((e) => (e.replies[0]!.payload as { messages: { text: string }[] }).messages.map((m) => m.text));
    const delivered = fake
      .delivered()
      .filter((c) => String(c.payload.chat_id) === String(id))
      .map((c) => c.payload.text);
    expect(delivered).toEqual(expected);
  }, 180_000);

  it("lets a web-only instance (WORKERS=off) record and acknowledge, and a worker instance apply and send", async () => {
    const web = await startServer({ ...env, WORKERS: "off", BACKGROUND: "off" });
    try {
      fake.clear();
      const update = textUpdate(7201, "/huongdan");
      expect((await post(web, update)).status).toBe(200);
      await pipelineSettled(web.db.prisma);
      const event = await web.db.prisma.inboundEvent.findFirstOrThrow({
        where: { externalKey: String(update.update_id) },
        include: { replies: true },
      });
      expect(event.status).toBe("DONE");
      expect(event.lockedBy).not.toBe(web.pipeline.workerId);
      expect(event.replies[0]!.lockedBy).not.toBe(web.pipeline.workerId);
      expect(fake.delivered().length).toBeGreaterThan(0);
    } finally {
      await web.destroy();
    }
  });

  it("sends a broadcast of 2,000 at 30 messages a second across both instances, each once", async () => {
    const prisma = instances[0]!.db.prisma;
    const contest = await prisma.contest.findFirstOrThrow();
    const base = 500_000;
    const ids = Array.from({ length: 2_000 }, (_, i) => String(base + i));
    await prisma.platformAccount.createMany({
      data: ids.map((id) => ({ platform: "TELEGRAM" as const, externalId: id, chatId: id, lastInteractionAt: new Date() })),
    });
    const accounts = await prisma.platformAccount.findMany({ where: { externalId: { in: ids } }, select: { id: true } });
    expect(accounts).toHaveLength(ids.length);
    fake.clear();
    await writeCampaign(
      prisma,
      contest.id,
      { name: "nhắc thi", text: "Vòng thi mới đã mở!", audience: { all: true }, scheduledAt: new Date(), createdBy: "test" },
      (_db, write) => write(accounts.map((account) => ({ accountId: account.id }))),
    );
    const broadcast = () => fake.delivered().filter((c) => c.payload.text === "Vòng thi mới đã mở!");
    await expect.poll(() => broadcast().length, { timeout: 150_000, interval: 1_000 }).toBe(ids.length);
    const sends = broadcast();
    expect(new Set(sends.map((c) => String(c.payload.chat_id))).size).toBe(ids.length);
    const seconds = (sends.at(-1)!.at - sends[0]!.at) / 1000;
    const rate = (sends.length - 1) / seconds;
    console.info(`broadcast of 2,000 over two instances: ${seconds.toFixed(1)} s, ${rate.toFixed(2)} messages/s`);
    expect(rate).toBeGreaterThan(30 * 0.95);
    expect(rate).toBeLessThan(30 * 1.05);
  }, 200_000);
});
