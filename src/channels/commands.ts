// Typed commands shared by the channels: "/start CODE", "/thi", "/thi@bot" → neutral events.
import { COMMANDS, type CommandName, type InboundEvent } from "../engine/types.js";

/** Parses "/cmd@bot payload" (the bot name suffix is how commands look in groups). */
export function parseCommand(text: string): { name: string; payload?: string } | undefined {
  const m = /^\/([a-z_]+)(?:@\w+)?(?:\s+(.+))?$/is.exec(text.trim());
  return m ? { name: m[1]!.toLowerCase(), payload: m[2]?.trim() } : undefined;
}

/** A text message as an event: a known command, or plain text. */
export function textEvent(text: string): InboundEvent {
  const command = parseCommand(text);
  if (command?.name === "start") return { type: "start", payload: command.payload };
  if (command && (COMMANDS as readonly string[]).includes(command.name)) return { type: "command", name: command.name as CommandName };
  return { type: "text", text };
}
