// The web simulator as a channel of the real pipeline: an event from the page is recorded in
// the inbox, applied by an inbox worker like a Telegram or Zalo update, and its reply goes
// through the outbox; "delivering" a simulator reply only marks its outbox row sent, and the
// page's request returns what that row holds. What the simulator shows is what the pipeline did.
import { randomUUID } from "node:crypto";
import type { Actor, InboundEvent, Reply } from "../../engine/types.js";
import type { PrismaClient } from "../../generated/prisma/client.js";
import type { ClaimedEvent } from "../../inbox/inbox.js";
import type { OutboxPayload, ReplyChannel } from "../../pipeline/outbox.js";
import type { InboxHandler, Pipeline } from "../../pipeline/pipeline.js";
import type { TurnRunner } from "../../pipeline/turn-runner.js";

interface SimulatorEvent {
  user: string;
  name?: string;
  event: InboundEvent;
}

const POLL_MS = 15;

class SimulatorTimeoutError extends Error {}

export class SimulatorChannel implements ReplyChannel {
  constructor(
    private readonly deps: { runner: TurnRunner; pipeline: Pipeline; prisma: PrismaClient },
    private readonly timeoutMs = 15_000,
  ) {}

  /** Sends the page's event through the pipeline and resolves with the reply it produced. */
  async send(user: string, name: string | undefined, event: InboundEvent): Promise<Reply> {
    const payload: SimulatorEvent = { user, name, event };
    const id = (await this.deps.pipeline.receive("SIMULATOR", randomUUID(), `sim:${user}`, payload))!;
    const deadline = Date.now() + this.timeoutMs;
    while (Date.now() < deadline) {
      const row = await this.deps.prisma.inboundEvent.findUniqueOrThrow({
        where: { id },
        select: { status: true, lastError: true, replies: { select: { status: true, payload: true } } },
      });
      if (row.status === "DEAD") throw new Error(`the event failed: ${row.lastError}`);
      const reply = row.replies[0];
      if (row.status === "DONE" && (!reply || reply.status === "SENT")) {
        const { messages = [], notice } = (reply?.payload ?? {}) as Partial<OutboxPayload>;
        return { messages, notice };
      }
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
    throw new SimulatorTimeoutError("no reply in time");
  }

  readonly process: InboxHandler = async (claimed: ClaimedEvent) => {
    const { user, name, event } = claimed.payload as SimulatorEvent;
    const actor: Actor = { platform: "SIMULATOR", externalId: user, chatId: user, displayName: name, canShareContact: true };
    await this.deps.runner.apply({ actor, event, inboundId: claimed.id });
    return "applied";
  };

  /** The page reads the reply from the outbox row itself: nothing to send. */
  async deliver(_chatId: string, reply: OutboxPayload, from: number, stepDone: () => void): Promise<void> {
    for (let step = from; step < reply.messages.length; step++) stepDone();
  }
}
