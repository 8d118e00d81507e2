// CLI commands for contests and the question bank.
import type { Command } from "commander";
import { readBankFile } from "../contest/bank-file.js";
import { loadContestContext } from "../contest/context.js";
import { loadContestFile } from "../contest/loader.js";
import { formatImportReport, importQuestionBank } from "../contest/question-bank.js";
import type { QuestionStatus } from "../generated/prisma/client.js";
import { createLogger } from "../logger.js";
import { explainPlace } from "../results/ranking.js";
import { createServices } from "../services.js";
import type { CliContext } from "./index.js";
import { progressBar } from "./progress.js";

export function registerContestCommands(program: Command, cli: CliContext): void {
  program
    .command("contest:load")
    .argument("[file]", "contest definition (YAML or JSON)", cli.config.contestFile)
    .description("load or update a contest from its definition file (and the question bank it names)")
    .action(async (file: string) => {
      const result = await cli.withDatabase((db) => loadContestFile(db.prisma, file));
      console.log(`contest ${result.definition.slug}: ${result.rounds} rounds, ${result.units} units`);
      if (result.questions) console.log(formatImportReport(result.questions));
    });

  program
    .command("questions:import")
    .argument("<file>", "question bank (.csv, .xlsx, or a .docx/.txt document «Câu 1: … A. … B. …»)")
    .requiredOption("-c, --contest <slug>", "contest slug")
    .option("--force", "write the valid rows even when some rows are rejected")
    .option("--prefix <code>", "documents: question codes are <prefix>-<number> (default: the file name)")
    .option("--topic <topic>", "documents: the topic of every question (default: Chung)")
    .option("--source <source>", "documents: the legal source of every question (default: the file name)")
    .description("import questions; changes nothing when a row is invalid unless --force")
    .action(async (file: string, opts: { contest: string; force?: boolean; prefix?: string; topic?: string; source?: string }) => {
      const report = await cli.withDatabase(async (db) => {
        const contest = await loadContestContext(db.prisma, opts.contest);
        const bank = await readBankFile(file, {
          knownAudiences: contest.audiences.map((a) => a.code),
          prefix: opts.prefix,
          topic: opts.topic,
          source: opts.source,
        });
        return importQuestionBank(db.prisma, contest.id, bank, { force: opts.force, onProgress: progressBar("writing questions") });
      });
      console.log(formatImportReport(report));
      if (!report.written) process.exitCode = 1;
    });

  program
    .command("questions:list")
    .requiredOption("-c, --contest <slug>", "contest slug")
    .option("-s, --status <status>", "draft, approved or retired")
    .action(async (opts: { contest: string; status?: string }) => {
      const rows = await cli.withDatabase(async (db) => {
        const contest = await loadContestContext(db.prisma, opts.contest);
        return db.prisma.question.findMany({
          where: { contestId: contest.id, ...(opts.status ? { status: opts.status.toUpperCase() as QuestionStatus } : {}) },
          orderBy: { code: "asc" },
        });
      });
      for (const q of rows) console.log(`${q.code}\t${q.status}\t${q.topic}\t${q.text}`);
      console.log(`${rows.length} questions`);
    });

  for (const [name, status] of [
    ["approve", "APPROVED"],
    ["retire", "RETIRED"],
    ["draft", "DRAFT"],
  ] as const) {
    program
      .command(`questions:${name}`)
      .argument("<codes...>", "question codes")
      .requiredOption("-c, --contest <slug>", "contest slug")
      .description(`mark questions as ${status.toLowerCase()}`)
      .action(async (codes: string[], opts: { contest: string }) => {
        const count = await cli.withDatabase(async (db) => {
          const contest = await loadContestContext(db.prisma, opts.contest);
          return (await db.prisma.question.updateMany({ where: { contestId: contest.id, code: { in: codes } }, data: { status } })).count;
        });
        console.log(`${count} of ${codes.length} questions marked ${status.toLowerCase()}`);
        if (count !== codes.length) process.exitCode = 1;
      });
  }

  program
    .command("results")
    .argument("<round>", "round number")
    .requiredOption("-c, --contest <slug>", "contest slug")
    .option("-a, --audience <code>", "rank one audience with its own prizes")
    .option("--close", "close the round first (as round:close: freeze results, queue result notices)")
    .description("print a round's ranking, prizes and unit ranking")
    .action(async (roundNumber: string, opts: { contest: string; audience?: string; close?: boolean }) => {
      await cli.withDatabase(async (db) => {
        const contest = await loadContestContext(db.prisma, opts.contest);
        const round = await db.prisma.round.findUniqueOrThrow({
          where: { contestId_number: { contestId: contest.id, number: Number(roundNumber) } },
        });
        const { results, closer } = createServices(db, contest, createLogger("warn"));
        // Through the round closer, so a hand-closed round still gets its result notices.
        if (opts.close) await closer.close(round.id, new Date());
        const { actual } = await results.top(round.id, 0, opts.audience);
        console.log(`round ${round.number}: prediction actual = ${actual ?? "—"}`);
        await results.eachRankingBatch(round.id, opts.audience, async (ranking) => {
          for (const r of ranking) console.log(`${r.rank}\t${r.fullName}\t${r.prize ?? ""}\t${explainPlace(r, contest.def.ranking.keys)}`);
        });
        console.log("\nunits:");
        for (const u of await results.unitRanking(round.id)) {
          console.log(`${u.rank ?? "–"}\t${u.code}\t${u.name}\t${u.prize ?? ""}\t${u.explanation}`);
        }
      });
    });
}
