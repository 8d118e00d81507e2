// Per-person random draw: N questions spread over the topics, questions the person has not
// seen in earlier rounds first, options shuffled. Everyone gets a different paper, which is
// the defence against answer keys passed around mid-round.
import { randomInt } from "node:crypto";

export type Random = (maxExclusive: number) => number;
export const cryptoRandom: Random = (max) => randomInt(max);

export function shuffle<T>(items: readonly T[], random: Random = cryptoRandom): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = random(i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

export interface DrawCandidate {
  id: string;
  topic: string;
  optionCount: number;
}

export interface DrawnQuestion {
  questionId: string;
  /** optionOrder[k] = index in Question.options of the option shown at position k. */
  optionOrder: number[];
}

export function drawQuestions(
  pool: readonly DrawCandidate[],
  count: number,
  seen: ReadonlySet<string>,
  random: Random = cryptoRandom,
): DrawnQuestion[] {
  const byTopic = new Map<string, DrawCandidate[]>();
  for (const q of shuffle(pool, random)) {
    const list = byTopic.get(q.topic) ?? [];
    list.push(q);
    byTopic.set(q.topic, list);
  }
  // Unseen questions first within each topic; the shuffle above randomises within each group.
  const queues = shuffle([...byTopic.values()], random).map((list) =>
    [...list].sort((a, b) => Number(seen.has(a.id)) - Number(seen.has(b.id))),
  );
  const picked: DrawCandidate[] = [];
  while (picked.length < count && queues.some((q) => q.length > 0)) {
    for (const queue of queues) {
      const next = queue.shift();
      if (next && picked.length < count) picked.push(next);
    }
  }
  return shuffle(picked, random).map((q) => ({
    questionId: q.id,
    optionOrder: shuffle(
      Array.from({ length: q.optionCount }, (_, i) => i),
      random,
    ),
  }));
}
