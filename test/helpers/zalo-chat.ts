// A server with the Zalo channel against a fake OA, and a chat driver that sends signed events
// and waits for the bot's messages (shared by the Zalo suites).
import request from "supertest";
import { afterAll, beforeAll, expect } from "vitest";
import { FakeZalo, signedEvent } from "./fake-zalo.js";
import { startServer, type TestServer } from "./server.js";

export const APP_ID = "1234567890";
export const OA_KEY = "oa-secret-key";
let msgId = 1;
export const textEvent = (user: string, text: string) => ({
  event_name: "user_send_text",
  sender: { id: user },
  recipient: { id: "oa1" },
  message: { msg_id: `wild${msgId++}`, text },
});
export const isForm = (body: Record<string, unknown>) =>
  (body.message as { attachment?: { payload?: { template_type?: string } } }).attachment?.payload?.template_type === "request_user_info";

export async function zaloServer(fake: FakeZalo, env: Record<string, string> = {}): Promise<TestServer> {
  return startServer({
    ZALO_APP_ID: APP_ID,
    ZALO_APP_SECRET: fake.appSecret,
    ZALO_OA_SECRET_KEY: OA_KEY,
    ZALO_REFRESH_TOKEN: fake.currentRefreshToken,
    ZALO_API_BASE: fake.base,
    ZALO_OAUTH_BASE: fake.base,
    ...env,
  });
}

export function chat(fake: FakeZalo, server: () => TestServer) {
  const deliver = (event: Record<string, unknown>) => {
    const { raw, signature } = signedEvent(event, APP_ID, OA_KEY);
    return request(server().server)
      .post("/webhooks/zalo")
      .set("Content-Type", "application/json")
      .set("X-ZEvent-Signature", signature)
      .send(raw);
  };
  /** Sends an event and waits for at least `atLeast` new messages to the user. */
  const say = async (user: string, text: string | Record<string, unknown>, atLeast = 1) => {
    const before = fake.messagesTo(user).length;
    expect((await deliver(typeof text === "string" ? textEvent(user, text) : text)).status).toBe(200);
    await expect.poll(() => fake.messagesTo(user).length, { timeout: 5_000 }).toBeGreaterThanOrEqual(before + atLeast);
    return fake.messagesTo(user).slice(before);
  };
  return { deliver, say };
}

/**
 * A suite's Zalo server (started in beforeAll, stopped in afterAll) against its own fake OA.
 * `server()` is the running server once the suite has started.
 */
export function useZaloServer(tokens: [access: string, refresh: string], env: Record<string, string> = {}) {
  const fake = new FakeZalo();
  let running: TestServer | undefined;
  const server = () => {
    if (!running) throw new Error("the Zalo server is used before its beforeAll hook ran");
    return running;
  };
  beforeAll(async () => {
    await fake.start();
    fake.seed(...tokens);
    running = await zaloServer(fake, env);
  });
  afterAll(async () => {
    await running?.destroy();
    await fake.stop();
  });
  return { fake, server, ...chat(fake, server) };
}
