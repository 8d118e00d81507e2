// CLI commands for the Telegram channel: webhook registration and unit links with QR codes.
import { mkdir } from "node:fs/promises";
import path from "node:path";
import type { Command } from "commander";
import { Bot } from "grammy";
import QRCode from "qrcode";
import { readDefinition } from "../contest/definition.js";
import { unitLinks } from "../contest/unit-links.js";
import { COMMAND_MENU } from "../messages/index.js";
import type { CliContext } from "./index.js";

const ALLOWED_UPDATES = ["message", "callback_query", "my_chat_member"] as const;

function botFrom(cli: CliContext): Bot {
  const telegram = cli.config.telegram;
  if (!telegram) throw new Error("TELEGRAM_BOT_TOKEN is not set");
  return new Bot(telegram.token, { client: { apiRoot: telegram.apiRoot } });
}

export function registerTelegramCommands(program: Command, cli: CliContext): void {
  program
    .command("telegram:webhook")
    .argument("<action>", "set, show or delete")
    .option("--drop-pending", "drop updates waiting at Telegram (set/delete)")
    .description("register the webhook at PUBLIC_URL/webhooks/telegram (and the command menu), show or delete it")
    .action(async (action: string, opts: { dropPending?: boolean }) => {
      const bot = botFrom(cli);
      if (action === "set") {
        if (!cli.config.publicUrl) throw new Error("PUBLIC_URL is not set");
        const url = new URL("/webhooks/telegram", cli.config.publicUrl).toString();
        await bot.api.setWebhook(url, {
          secret_token: cli.config.telegram!.webhookSecret,
          allowed_updates: [...ALLOWED_UPDATES],
          max_connections: cli.config.telegram!.maxConnections,
          drop_pending_updates: opts.dropPending ?? false,
        });
        // /chungnhan only in a contest that issues certificates, /baithi only where entries are written.
        const { definition } = await readDefinition(cli.config.contestFile);
        await bot.api.setMyCommands(
          COMMAND_MENU.filter(
            (c) => (c.command !== "chungnhan" || definition.certificates) && (c.command !== "baithi" || definition.kind !== "quiz"),
          ),
        );
        console.log(`webhook set to ${url}; command menu updated`);
      } else if (action === "show") {
        const info = await bot.api.getWebhookInfo();
        console.log(JSON.stringify(info, null, 2));
      } else if (action === "delete") {
        await bot.api.deleteWebhook({ drop_pending_updates: opts.dropPending ?? false });
        console.log("webhook deleted");
      } else {
        throw new Error(`unknown action ${action}: use set, show or delete`);
      }
    });

  program
    .command("units:links")
    .option("-o, --out <dir>", "folder for one QR code PNG per unit", "data/qr")
    .description(
      "print each unit's links and write a QR code PNG per unit for posters (to PUBLIC_URL/u/<code> when set: that page serves Zalo and Telegram alike)",
    )
    .action(async (opts: { out: string }) => {
      const { definition } = await readDefinition(cli.config.contestFile);
      const username = cli.config.telegram ? (await botFrom(cli).api.getMe()).username : cli.config.telegramBotUsername;
      if (!username) throw new Error("set TELEGRAM_BOT_TOKEN (or TELEGRAM_BOT_USERNAME) to build the links");
      await mkdir(opts.out, { recursive: true });
      for (const unit of definition.units) {
        const code = unit.code.toUpperCase();
        const { telegram: link, landing } = unitLinks(code, { telegramBot: username, publicUrl: cli.config.publicUrl });
        const file = path.join(opts.out, `${code}.png`);
        await QRCode.toFile(file, landing ?? link!, { width: 600, margin: 2 });
        console.log([code, unit.name, link, landing ?? "", file].join("\t"));
      }
    });
}
