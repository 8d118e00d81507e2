// `certificates:export`: every certificate of a round (or of the contest) as one PDF to print,
// the same file as the admin API's /api/admin/certificates/pdf.
import { createWriteStream } from "node:fs";
import type { Command } from "commander";
import { CertificateService } from "../certificates/certificates.js";
import type { CertificateKind } from "../certificates/paper.js";
import { loadContestContext } from "../contest/context.js";
import type { CliContext } from "./index.js";

export function registerCertificateCommands(program: Command, cli: CliContext): void {
  program
    .command("certificates:export")
    .requiredOption("-c, --contest <slug>", "contest slug")
    .option("-r, --round <n>", "one round (default: all)")
    .option("-k, --kind <kind>", "PRIZE, AUDIENCE_PRIZE, UNIT_PRIZE or PARTICIPATION (default: all)")
    .requiredOption("-o, --out <file>", "output .pdf")
    .description("write certificates as one PDF (verification links at PUBLIC_URL)")
    .action(async (opts: { contest: string; round?: string; kind?: string; out: string }) => {
      if (opts.round !== undefined && !/^[1-9]\d{0,3}$/.test(opts.round)) throw new Error("--round: a round number");
      const kinds = ["PRIZE", "AUDIENCE_PRIZE", "UNIT_PRIZE", "PARTICIPATION"];
      if (opts.kind !== undefined && !kinds.includes(opts.kind)) throw new Error(`--kind: one of ${kinds.join(", ")}`);
      if (!cli.config.publicUrl) console.warn("PUBLIC_URL is not set: the verification links point to localhost");
      const base = cli.config.publicUrl ?? `http://localhost:${cli.config.port}`;
      await cli.withDatabase(async (db) => {
        const certificates = new CertificateService(db, await loadContestContext(db.prisma, opts.contest));
        const filter = { round: opts.round ? Number(opts.round) : undefined, kind: opts.kind as CertificateKind | undefined };
        const count = await certificates.count(filter);
        await certificates.writeAll(createWriteStream(opts.out), filter, base);
        console.log(`written ${opts.out}: ${count} certificate(s)`);
      });
    });
}
