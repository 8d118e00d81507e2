// Wakes the inbox workers of every instance when one instance records an event: a Redis
// publish per recorded event, heard on a subscriber connection of its own (a subscribed
// connection can do nothing else). Losing a message only costs the idle tick (250 ms).
import type { Redis } from "ioredis";
import type { Logger } from "../logger.js";
import type { WakeSignal } from "./pipeline.js";

const CHANNEL = "cb:inbox";

export function redisSignal(client: Redis, logger: Logger): WakeSignal & { close(): Promise<void> } {
  let subscriber: Redis | undefined;
  return {
    notify: () => {
      client.publish(CHANNEL, "1").catch((error: unknown) => logger.debug({ err: error }, "inbox wake-up not published"));
    },
    onWake: (listener) => {
      subscriber = client.duplicate();
      subscriber.on("error", (error: Error) => logger.warn({ err: error.message }, "Redis subscriber error"));
      subscriber.on("message", () => listener());
      subscriber.subscribe(CHANNEL).catch((error: unknown) => logger.warn({ err: error }, "inbox wake-ups not subscribed"));
    },
    close: async () => {
      await subscriber?.quit().catch(() => subscriber?.disconnect());
    },
  };
}
