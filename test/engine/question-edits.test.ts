// The questions of an attempt come from a cache in the process (src/domain/question-cache.ts):
// an organizer's fix to a question — by any means, plain SQL included — shows and scores from
// the next turn on, in the middle of an attempt.
import { describe, expect, it } from "vitest";
import { actor, button, correctShown, lastText, register, useSampleHarness } from "../helpers/contest.js";
import { BACKENDS } from "../helpers/db.js";

describe.each(BACKENDS)("a question edited during an attempt, on %s", (backend) => {
  const h = useSampleHarness(backend);

  it("shows the new text and scores by the new answer key at the next turn", async () => {
    const who = actor("SIMULATOR", "edited");
    await register(h.engine, who, { phone: "0912000777" });
    expect(lastText(await h.engine.handle(who, button("m:thi")))).toMatch(/^Câu 1\/10/);
    const attempt = await h.db.prisma.attempt.findFirstOrThrow({ where: { participant: { phone: "+84912000777" } } });
    const questionAt = (position: number) =>
      h.db.prisma.attemptQuestion.findUniqueOrThrow({
        where: { attemptId_position: { attemptId: attempt.id, position } },
        include: { question: true },
      });
    const second = await questionAt(1);
    // Fixed in SQL, as an operator might: nothing else (updatedAt included) changes.
    await h.db.prisma
      .$executeRaw`UPDATE "Question" SET text = 'Câu hỏi đã sửa: thủ tục nào được làm trực tuyến?', correct = ${(second.question.correct + 1) % second.question.options.length} WHERE id = ${second.questionId}::uuid`;
    const reply = await h.engine.handle(who, button(`a:${attempt.id}:0:${await correctShown(h.db, attempt.id, 0)}`));
    expect(lastText(reply)).toContain("Câu hỏi đã sửa: thủ tục nào được làm trực tuyến?");
    const newKey = await correctShown(h.db, attempt.id, 1);
    expect(newKey).not.toBe(second.optionOrder.indexOf(second.question.correct));
    await h.engine.handle(who, button(`a:${attempt.id}:1:${newKey}`));
    expect((await questionAt(1)).correct).toBe(true);
  });
});
