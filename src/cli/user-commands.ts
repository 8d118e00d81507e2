// `user:create`: a console account. The password is read from standard input when it is piped
// (`echo … | npm run cli -- user:create …`), otherwise one is generated and printed once.
import type { Command } from "commander";
import { createAccount } from "../console/auth/accounts.js";
import { readDefinition } from "../contest/definition.js";
import type { ConsoleRole } from "../generated/prisma/client.js";
import type { CliContext } from "./index.js";

const ROLES: Record<string, ConsoleRole> = { organizer: "ORGANIZER", unit: "UNIT_ADMIN", jury: "JURY" };

async function pipedPassword(): Promise<string | undefined> {
  if (process.stdin.isTTY) return undefined;
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8").trim() || undefined;
}

export function registerUserCommands(program: Command, cli: CliContext): void {
  program
    .command("user:create")
    .requiredOption("-l, --login <login>", "sign-in name (a-z 0-9 . _ -)")
    .requiredOption("-n, --name <name>", "full name")
    .option("-r, --role <role>", "organizer, unit or jury", "organizer")
    .option("-u, --unit <code>", "the unit subtree of a unit admin")
    .option("--level <n>", "a juror's judging level (1 = the first of judging.levels)")
    .option("--home <code>", "a juror's own unit (they never score its entries)")
    .option("-p, --phone <phone>", "a unit admin's phone: the bot gives them their unit's menu in chat")
    .description("create a web console account (/admin); password from stdin, or generated and printed once")
    .action(async (opts: { login: string; name: string; role: string; unit?: string; phone?: string; level?: string; home?: string }) => {
      const role = ROLES[opts.role];
      if (!role) throw new Error("--role: organizer, unit or jury");
      const { definition } = await readDefinition(cli.config.contestFile);
      const password = await pipedPassword();
      await cli.withDatabase(async (db) => {
        const created = await createAccount(
          db.prisma,
          {
            login: opts.login,
            name: opts.name,
            role,
            unitCode: opts.unit,
            phone: opts.phone,
            juryLevel: opts.level ? Number(opts.level) : undefined,
            homeUnitCode: opts.home,
            password,
          },
          definition.units.map((u) => u.code.toUpperCase()),
        );
        await db.prisma.auditLog.create({ data: { actor: "cli", action: "account.create", details: { login: created.user.login, role } } });
        console.log(
          password ? `created ${created.user.login}` : `created ${created.user.login}; password (shown once): ${created.password}`,
        );
      });
    });
}
