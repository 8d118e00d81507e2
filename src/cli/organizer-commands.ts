// CLI commands for organizers: broadcasts, round closing and reports.
import type { Command } from "commander";
import { createToken } from "../admin/tokens.js";
import { type AudienceFilter, campaignProgress, createCampaign, previewCampaign, setCampaignStatus } from "../broadcast/campaigns.js";
import { loadContestContext } from "../contest/context.js";
import { formatRosterReport, importRoster, readRoster } from "../contest/roster.js";
import { DATA } from "../engine/keyboards.js";
import type { Platform } from "../generated/prisma/client.js";
import { createLogger } from "../logger.js";
import { BUTTONS, M } from "../messages/index.js";
import { writeReport } from "../reports/render.js";
import { rankingReport, unitReport } from "../reports/reports.js";
import { rosterMissingReport, rosterReport } from "../reports/roster-report.js";
import { createServices } from "../services.js";
import type { CliContext } from "./index.js";
import { bar } from "./progress.js";

function parseAudience(value: string, platform?: string): AudienceFilter {
  const p = platform?.toUpperCase() as Platform | undefined;
  if (value === "all") return { kind: "all", platform: p };
  if (value === "not-attempted") return { kind: "notAttempted", platform: p };
  if (value === "roster-not-attempted") return { kind: "rosterNotAttempted", platform: p };
  if (value.startsWith("unit:")) return { kind: "unit", unitCode: value.slice(5), platform: p };
  throw new Error("audience: all, not-attempted, roster-not-attempted or unit:<CODE>");
}

export function registerOrganizerCommands(program: Command, cli: CliContext): void {
  const contestOf = async (db: Parameters<Parameters<CliContext["withDatabase"]>[0]>[0], slug: string) =>
    loadContestContext(db.prisma, slug);

  program
    .command("campaign:create")
    .requiredOption("-c, --contest <slug>", "contest slug")
    .requiredOption("-n, --name <name>", "campaign name")
    .requiredOption("-t, --text <text>", "message text")
    .option("-a, --audience <audience>", "all, not-attempted, roster-not-attempted or unit:<CODE>", "all")
    .option("-p, --platform <platform>", "only TELEGRAM, ZALO or SIMULATOR accounts")
    .option("--start-button", "add a «Bắt đầu thi» button")
    .option("--at <iso>", "send at this time (default now)")
    .option("--confirm", "create it; without this only the preview is shown")
    .description("preview, then (with --confirm) create a broadcast; the server's sender delivers it")
    .action(
      async (opts: {
        contest: string;
        name: string;
        text: string;
        audience: string;
        platform?: string;
        startButton?: boolean;
        at?: string;
        confirm?: boolean;
      }) => {
        await cli.withDatabase(async (db) => {
          const contest = await contestOf(db, opts.contest);
          const input = {
            name: opts.name,
            text: opts.text,
            buttons: opts.startButton ? [[{ label: BUTTONS.start, data: DATA.menuStart }]] : undefined,
            audience: parseAudience(opts.audience, opts.platform),
            scheduledAt: opts.at ? new Date(opts.at) : undefined,
            createdBy: process.env.USER ?? "cli",
          };
          const preview = await previewCampaign(db.prisma, contest, input, new Date());
          console.log(
            `message:\n${preview.text}\n\nrecipients: ${preview.recipients} (${JSON.stringify(preview.byPlatform)}), of which blocked: ${preview.blocked}`,
          );
          if (!opts.confirm) return console.log("preview only: add --confirm to create the campaign");
          const campaign = await createCampaign(db.prisma, contest, input, new Date());
          console.log(`campaign ${campaign.id} created`);
        });
      },
    );

  program
    .command("campaign:status")
    .argument("<id>", "campaign id")
    .option("-w, --watch", "refresh every 2 s until done")
    .action(async (id: string, opts: { watch?: boolean }) => {
      await cli.withDatabase(async (db) => {
        for (;;) {
          const p = await campaignProgress(db.prisma, id);
          const done = p.sent + p.failed + p.skipped;
          const eta = p.secondsLeft === null ? "—" : `${Math.floor(p.secondsLeft / 60)}m${String(p.secondsLeft % 60).padStart(2, "0")}s`;
          console.log(
            `${p.status.padEnd(9)} ${bar(done, p.total)}  sent ${p.sent} · failed ${p.failed} · skipped ${p.skipped} · pending ${p.pending} · ${p.ratePerSecond}/s · left ${eta}`,
          );
          if (!opts.watch || p.pending === 0 || p.status === "CANCELLED" || p.status === "PAUSED") return;
          await new Promise((r) => setTimeout(r, 2_000));
        }
      });
    });

  for (const [name, status] of [
    ["pause", "PAUSED"],
    ["resume", "SCHEDULED"],
    ["cancel", "CANCELLED"],
  ] as const) {
    program
      .command(`campaign:${name}`)
      .argument("<id>", "campaign id")
      .action(async (id: string) => {
        await cli.withDatabase((db) => setCampaignStatus(db.prisma, id, status));
        console.log(`campaign ${id}: ${status.toLowerCase()}`);
      });
  }

  program
    .command("round:close")
    .argument("<round>", "round number")
    .requiredOption("-c, --contest <slug>", "contest slug")
    .option("--announce", "also queue the top-list announcement to everyone")
    .description("close a round by hand: finalise attempts, freeze results, queue result notices")
    .action(async (roundNumber: string, opts: { contest: string; announce?: boolean }) => {
      await cli.withDatabase(async (db) => {
        const contest = await contestOf(db, opts.contest);
        const round = await db.prisma.round.findUniqueOrThrow({
          where: { contestId_number: { contestId: contest.id, number: Number(roundNumber) } },
        });
        const { closer } = createServices(db, contest, createLogger("warn"));
        const notices = await closer.close(round.id, new Date());
        console.log(notices ? `result notices: campaign ${notices}` : "result notices: being queued by another process");
        const text = await closer.announcement(round.id);
        console.log(`\n${text}`);
        if (opts.announce) {
          const c = await createCampaign(
            db.prisma,
            contest,
            { name: M.announcementCampaignName(round.number), text, audience: { kind: "all" }, createdBy: "cli" },
            new Date(),
          );
          console.log(`announcement: campaign ${c.id}`);
        }
      });
    });

  program
    .command("roster:import")
    .argument("<file>", "roster (.csv or .xlsx): full name, phone, unit, audience")
    .requiredOption("-c, --contest <slug>", "contest slug")
    .option("--force", "write the valid rows even when some rows are rejected")
    .description("import the mandatory roster; changes nothing when a row is invalid unless --force")
    .action(async (file: string, opts: { contest: string; force?: boolean }) => {
      const { roster, written } = await cli.withDatabase(async (db) => {
        const contest = await contestOf(db, opts.contest);
        const roster = await readRoster(file, contest);
        return { roster, ...(await importRoster(db.prisma, contest.id, roster, { force: opts.force })) };
      });
      console.log(formatRosterReport(roster, written, Boolean(opts.force)));
      if (roster.rejected.length > 0 && !opts.force) process.exitCode = 1;
    });

  program
    .command("report:roster")
    .requiredOption("-c, --contest <slug>", "contest slug")
    .option("-r, --round <n>", "one round (default: any round)")
    .option("--missing", "the names of those who have not taken part, instead of the figures per unit")
    .requiredOption("-o, --out <file>", "output .xlsx or .csv")
    .action(async (opts: { contest: string; round?: string; missing?: boolean; out: string }) => {
      await cli.withDatabase(async (db) => {
        const contest = await contestOf(db, opts.contest);
        const round = opts.round ? Number(opts.round) : undefined;
        const report = opts.missing ? await rosterMissingReport(db.prisma, contest, round) : await rosterReport(db.prisma, contest, round);
        await writeReport(report, opts.out, contest.timezone);
      });
      console.log(`written ${opts.out}`);
    });

  program
    .command("report:units")
    .requiredOption("-c, --contest <slug>", "contest slug")
    .option("-r, --round <n>", "one round (default: whole contest)")
    .requiredOption("-o, --out <file>", "output .xlsx or .csv")
    .action(async (opts: { contest: string; round?: string; out: string }) => {
      await cli.withDatabase(async (db) => {
        const contest = await contestOf(db, opts.contest);
        const { results } = createServices(db, contest, createLogger("warn"));
        await writeReport(
          await unitReport(db.prisma, contest, results, opts.round ? Number(opts.round) : undefined),
          opts.out,
          contest.timezone,
        );
      });
      console.log(`written ${opts.out}`);
    });

  program
    .command("report:ranking")
    .argument("<round>", "round number")
    .requiredOption("-c, --contest <slug>", "contest slug")
    .option("-a, --audience <code>", "one audience with its own prizes")
    .requiredOption("-o, --out <file>", "output .xlsx or .csv")
    .action(async (roundNumber: string, opts: { contest: string; audience?: string; out: string }) => {
      await cli.withDatabase(async (db) => {
        const contest = await contestOf(db, opts.contest);
        const report = await rankingReport(
          db.prisma,
          contest,
          createServices(db, contest, createLogger("warn")).results,
          Number(roundNumber),
          opts.audience,
        );
        await writeReport(report, opts.out, contest.timezone);
      });
      console.log(`written ${opts.out}`);
    });
}

export function registerTokenCommands(program: Command, cli: CliContext): void {
  program
    .command("token:create")
    .requiredOption("-n, --name <name>", "who the token is for")
    .option("-r, --role <role>", "organizer or unit", "organizer")
    .option("-u, --unit <code>", "unit subtree a unit admin may read")
    .description("create an admin API token (printed once; only its hash is stored)")
    .action(async (opts: { name: string; role: string; unit?: string }) => {
      const role = opts.role === "unit" ? "UNIT_ADMIN" : opts.role === "organizer" ? "ORGANIZER" : undefined;
      if (!role) throw new Error("role: organizer or unit");
      const { token, row } = await cli.withDatabase((db) => createToken(db.prisma, { name: opts.name, role, unitCode: opts.unit }));
      console.log(`token ${row.id} (${row.role}${row.unitCode ? ` ${row.unitCode}` : ""}) for ${row.name}:\n${token}`);
    });

  program.command("token:list").action(async () => {
    const rows = await cli.withDatabase((db) => db.prisma.apiToken.findMany({ orderBy: { createdAt: "asc" } }));
    for (const r of rows) console.log(`${r.id}\t${r.role}\t${r.unitCode ?? ""}\t${r.name}\t${r.revokedAt ? "revoked" : "active"}`);
  });

  program
    .command("token:revoke")
    .argument("<id>", "token id")
    .action(async (id: string) => {
      await cli.withDatabase((db) => db.prisma.apiToken.update({ where: { id }, data: { revokedAt: new Date() } }));
      console.log(`token ${id} revoked`);
    });
}
