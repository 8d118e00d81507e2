// A contest loaded into a fresh database with an engine driven by a controllable clock.

import { afterAll, beforeAll } from "vitest";
import { SAMPLE_CONTEST_FILE } from "../../src/config.js";
import { type ContestContext, loadContestContext } from "../../src/contest/context.js";
import { loadContestFile } from "../../src/contest/loader.js";
import { ConversationEngine } from "../../src/engine/engine.js";
import type { Actor, InboundEvent, PlatformName, Reply } from "../../src/engine/types.js";
import { TurnRunner } from "../../src/pipeline/turn-runner.js";
import { type ContestServices, createServices } from "../../src/services.js";
import { MemorySessionStore } from "../../src/sessions/memory-store.js";
import type { SessionStore } from "../../src/sessions/store.js";
import { type Backend, freshDatabase, type TestDatabase } from "./db.js";
import { silentLogger } from "./logger.js";

export class TestClock {
  constructor(public current: Date) {}
  now = () => new Date(this.current);
  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
}

export interface Harness {
  db: TestDatabase;
  clock: TestClock;
  contest: ContestContext;
  sessions: SessionStore;
  /** Applies turns outside the inbox, each in its transaction, as the pipeline does. */
  engine: TurnRunner;
  /** The domain services of this "instance" (attempts, results, round closer…). */
  services: ContestServices;
  /** A new runner on the same database and session store (a restarted server, or another instance). */
  restart(): TurnRunner;
  /** Fresh services on the same database (another instance's). */
  restartServices(): ContestServices;
}

/** Loads the sample contest with its rounds starting at `loadAt` (the sample starts "today"). */
export function sampleHarness(db: TestDatabase, loadAt = new Date("2026-11-23T03:00:00Z")): Promise<Harness> {
  return contestHarness(db, SAMPLE_CONTEST_FILE, loadAt);
}

/** Loads a contest file with the test clock at `loadAt`. */
export async function contestHarness(db: TestDatabase, file: string, loadAt: Date): Promise<Harness> {
  const loaded = await loadContestFile(db.prisma, file, loadAt);
  const contest = await loadContestContext(db.prisma, loaded.definition.slug);
  const clock = new TestClock(loadAt);
  const sessions = new MemorySessionStore();
  const restartServices = () => createServices(db, contest, silentLogger);
  const services = restartServices();
  const make = () =>
    new TurnRunner({
      db,
      contest,
      engine: new ConversationEngine({ contest, logger: silentLogger }),
      sessions,
      clock: clock.now,
    });
  return { db, clock, contest, sessions, services, engine: make(), restart: make, restartServices };
}

export function actor(platform: PlatformName, id: string, canShareContact = platform === "TELEGRAM"): Actor {
  return { platform, externalId: id, chatId: id, displayName: `user ${id}`, canShareContact };
}

export const text = (t: string): InboundEvent => ({ type: "text", text: t });
export const button = (data: string): InboundEvent => ({ type: "button", data });

export function lastText(reply: Reply): string {
  return reply.messages.at(-1)?.text ?? "";
}

export function allText(reply: Reply): string {
  return reply.messages.map((m) => m.text).join("\n---\n");
}

export function buttonData(reply: Reply): string[] {
  return reply.messages.flatMap((m) => (m.buttons ?? []).flat().map((b) => b.data));
}

/** Registers through the whole conversation on a platform without contact sharing. */
export async function register(
  engine: Pick<TurnRunner, "handle">,
  who: Actor,
  data: { name?: string; birth?: string; phone: string; unit?: string; audience?: string },
): Promise<Reply> {
  await engine.handle(who, { type: "start", payload: data.unit });
  await engine.handle(who, button("c:y"));
  await engine.handle(who, text(data.name ?? "nguyễn văn an"));
  await engine.handle(who, text(data.birth ?? "05/03/1990"));
  let reply = who.canShareContact
    ? await engine.handle(who, { type: "contact", phone: data.phone, own: true })
    : await engine.handle(who, text(data.phone));
  if (!data.unit) reply = await engine.handle(who, button("us:TDP01"));
  if (buttonData(reply).some((d) => d.startsWith("au:"))) reply = await engine.handle(who, button(`au:${data.audience ?? "DAN"}`));
  return engine.handle(who, button("cf:ok"));
}

/** Shown index of the correct option for the question at `position`. */
export async function correctShown(db: TestDatabase, attemptId: string, position: number): Promise<number> {
  const aq = await db.prisma.attemptQuestion.findUniqueOrThrow({
    where: { attemptId_position: { attemptId, position } },
    include: { question: true },
  });
  return aq.optionOrder.indexOf(aq.question.correct);
}

/**
 * Registers beforeAll/afterAll hooks that give the suite a sample contest on a fresh database.
 * Returns a stand-in that forwards to the harness once beforeAll has built it.
 */
export function useSampleHarness(backend: Backend): Harness {
  return useContestHarness(backend, (db) => sampleHarness(db));
}

/** Like useSampleHarness, for any contest loaded by `open`. */
export function useContestHarness(backend: Backend, open: (db: TestDatabase) => Promise<Harness>): Harness {
  let db: TestDatabase | undefined;
  let harness: Harness | undefined;
  beforeAll(async () => {
    db = await freshDatabase(backend);
    harness = await open(db);
  });
  afterAll(async () => {
    await harness?.sessions.close();
    await db?.destroy();
  });
  return new Proxy({} as Harness, {
    get: (_target, key) => {
      if (!harness) throw new Error("the sample harness is used before its beforeAll hook ran");
      const value = harness[key as keyof Harness];
      return typeof value === "function" ? value.bind(harness) : value;
    },
  });
}

/** Takes a whole attempt: `right` correct answers (the first ones), the prediction if the contest asks one, then submits. */
export async function takeAttempt(h: Harness, who: Actor, phone: string, right: number, prediction: number, stepMs = 1_000): Promise<void> {
  await h.engine.handle(who, button("m:thi"));
  const attempt = await h.db.prisma.attempt.findFirstOrThrow({ where: { participant: { phone } }, orderBy: { startedAt: "desc" } });
  const questions = await h.db.prisma.attemptQuestion.count({ where: { attemptId: attempt.id } });
  for (let pos = 0; pos < questions; pos++) {
    const c = await correctShown(h.db, attempt.id, pos);
    h.clock.advance(stepMs);
    await h.engine.handle(who, button(`a:${attempt.id}:${pos}:${pos < right ? c : (c + 1) % 4}`));
  }
  if (h.contest.def.prediction.enabled) await h.engine.handle(who, text(String(prediction)));
  await h.engine.handle(who, button("p:ok"));
}

/**
 * The parts of a Harness that takeAttempt uses, on a whole running server (its own clock, so
 * nothing to advance): for end-to-end tests that seed attempts before driving the platforms.
 */
export const onServer = (running: { runner: TurnRunner; db: Pick<TestDatabase, "prisma"> }, prediction = true): Harness =>
  ({
    engine: running.runner,
    db: running.db,
    clock: { advance: () => undefined },
    contest: { def: { prediction: { enabled: prediction } } },
  }) as unknown as Harness;
