// The domain services of one contest, built once per process (server, CLI command, preview
// world, test harness) and handed to whatever needs them.
import { CertificateReader, CertificateService } from "./certificates/certificates.js";
import type { ContestContext } from "./contest/context.js";
import { AttemptService } from "./domain/attempts.js";
import { EntryService } from "./domain/entries.js";
import { type People, PrismaPeople } from "./domain/people.js";
import { UnitTools } from "./domain/unit-tools.js";
import type { Logger } from "./logger.js";
import { ResultsService } from "./results/results.js";
import { RoundCloser } from "./results/round-closer.js";
import type { Database } from "./storage/database.js";
import type { Db } from "./storage/transaction.js";

export interface ContestServices {
  contest: ContestContext;
  attempts: AttemptService;
  people: People;
  results: ResultsService;
  closer: RoundCloser;
  certificates: CertificateService;
}

export function createServices(db: Database, contest: ContestContext, logger: Logger): ContestServices {
  const { prisma } = db;
  const attempts = new AttemptService(prisma, contest);
  const results = new ResultsService(db, contest, attempts);
  return {
    contest,
    attempts,
    people: new PrismaPeople(prisma, contest.id),
    results,
    closer: new RoundCloser(prisma, contest, results, logger),
    certificates: new CertificateService(db, contest),
  };
}

/** The services a conversation turn uses, bound to the turn's transaction. */
export function turnServices(db: Db, contest: ContestContext) {
  return {
    attempts: new AttemptService(db, contest),
    people: new PrismaPeople(db, contest.id) as People,
    certificates: new CertificateReader(db, contest.id),
    unitTools: new UnitTools(db, contest),
    entries: new EntryService(db, contest),
  };
}
