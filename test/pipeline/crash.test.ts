// kill -9 between the commit of a turn and the sending of its reply: the reply waits in the
// outbox and goes out after the restart, once; the update is not applied a second time.
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { BACKENDS } from "../helpers/db.js";
import { FakeTelegram } from "../helpers/fake-telegram.js";
import { spawnServer } from "../helpers/process-server.js";
import { backendEnv } from "../helpers/server.js";
import { textUpdate } from "../helpers/telegram-updates.js";

const SECRET = "crash_secret";

describe.each(BACKENDS)("a worker killed between commit and send, on %s", (backend) => {
  it("sends the reply after the restart, once", async () => {
    const fake = new FakeTelegram();
    await fake.start();
    const dataDir = await mkdtemp(path.join(os.tmpdir(), "cb-crash-"));
    const settings = await backendEnv(backend);
    const env = {
      ...settings.env,
      DATA_DIR: dataDir,
      INBOX_LEASE_SECONDS: "1",
      TELEGRAM_BOT_TOKEN: "555:CRASH",
      TELEGRAM_WEBHOOK_SECRET: SECRET,
      TELEGRAM_API_ROOT: fake.apiRoot,
    };
    const post = (port: number, update: object) =>
      fetch(`http://127.0.0.1:${port}/webhooks/telegram`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-telegram-bot-api-secret-token": SECRET },
        body: JSON.stringify(update),
      });
    let server = await spawnServer(env);
    try {
      // The Bot API is down: the turn commits, its reply is refused and waits in the outbox.
      fake.outage = { error_code: 502, description: "Bad Gateway" };
      const update = textUpdate(6101, "/start");
      expect((await post(server.port, update)).status).toBe(200);
      await expect.poll(() => fake.sent().length, { timeout: 20_000 }).toBeGreaterThan(0);
      await server.kill();
      expect(fake.delivered()).toHaveLength(0);

      fake.outage = undefined;
      fake.clear();
      server = await spawnServer({ ...env, PORT: String(server.port) });
      // Telegram redelivers the update too: it was applied before the crash, so it is a no-op.
      expect((await post(server.port, update)).status).toBe(200);
      await expect.poll(() => fake.delivered().length, { timeout: 30_000 }).toBeGreaterThan(0);
      await new Promise((r) => setTimeout(r, 1_500)); // time for any second copy to show up
      const afterCrash = fake.delivered().map((c) => c.payload.text);

      // The same message from someone new, without any failure, for comparison.
      fake.clear();
      expect((await post(server.port, textUpdate(6102, "/start"))).status).toBe(200);
      await expect.poll(() => fake.delivered().length, { timeout: 20_000 }).toBe(afterCrash.length);
      expect(afterCrash).toEqual(fake.delivered().map((c) => c.payload.text));
    } finally {
      await server.stop();
      await settings.drop();
      await fake.stop();
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 120_000);
});
