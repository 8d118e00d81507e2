// Telegram groups tied to a unit: the daily digest at the contest file's hour while a round is
// open, and the unit's standing when the round closes; each post written once per group and key
// and sent once even with two instances ticking together; a group the bot left is given up.
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { GroupPosts } from "../../src/broadcast/group-posts.js";
import { type Messenger, RecipientUnreachableError } from "../../src/broadcast/messenger.js";
import { SAMPLE_CONTEST_FILE } from "../../src/config.js";
import { M } from "../../src/messages/index.js";
import { actor, contestHarness, register, takeAttempt, useContestHarness } from "../helpers/contest.js";
import { BACKENDS } from "../helpers/db.js";
import { silentLogger } from "../helpers/logger.js";

async function digestContest(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "cb-groups-"));
  const file = path.join(dir, "contest.yaml");
  const sample = await readFile(SAMPLE_CONTEST_FILE, "utf8");
  await writeFile(
    file,
    `${sample.replace("questionBank: questions.csv", `questionBank: ${path.join(path.dirname(SAMPLE_CONTEST_FILE), "questions.csv")}`)}\ngroupDigest: { hour: 20 }\n`,
  );
  return file;
}

class Recorder implements Messenger {
  readonly sent: { chatId: string; text: string }[] = [];
  async send(chatId: string, message: { text: string }): Promise<void> {
    if (chatId === "-1009") throw new RecipientUnreachableError("bot was kicked from the group chat", true);
    await new Promise((r) => setTimeout(r, 5)); // a real round trip, so two instances overlap
    this.sent.push({ chatId, text: message.text });
  }
}

describe.each(BACKENDS)("posts to unit groups on %s", (backend) => {
  const h = useContestHarness(backend, async (db) => contestHarness(db, await digestContest(), new Date("2026-11-23T03:00:00Z")));

  it("sends each group its digest at the set hour and its standing at the close, once, across two instances", async () => {
    const prisma = h.db.prisma;
    await prisma.telegramGroup.createMany({
      data: [
        { chatId: "-1001", unitCode: "TDP01", setBy: "t" },
        { chatId: "-1002", unitCode: "KP1", setBy: "t" },
        { chatId: "-1009", unitCode: "TDP05", setBy: "t" },
      ],
    });
    for (const [i, unit] of ["TDP01", "TDP01", "TDP02"].entries()) {
      const who = actor("SIMULATOR", `grp-${i}`);
      await register(h.engine, who, { phone: `093930000${i}`, unit, name: "Nguyễn Văn An" });
      await takeAttempt(h, who, `+8493930000${i}`, 6, 0);
    }
    const recorder = new Recorder();
    const instances = [0, 1].map(() => new GroupPosts(prisma, h.contest, h.restartServices().results, recorder, silentLogger));
    const tickBoth = () => Promise.all(instances.map((g) => g.tick(h.clock.now())));

    await tickBoth(); // 10:00 in Hà Nội: before the digest hour
    expect(await prisma.groupPost.count()).toBe(0);
    h.clock.current = new Date("2026-11-23T13:05:00Z"); // 20:05
    await tickBoth();
    await tickBoth();
    const digests = recorder.sent.filter((s) => s.text.startsWith("📊"));
    expect(digests.map((d) => d.chatId).sort()).toEqual(["-1001", "-1002"]);
    expect(digests.find((d) => d.chatId === "-1001")!.text).toBe(M.groupDailyDigest(1, "Tổ dân phố số 1", 2, 50, 4, 2));
    expect(digests.find((d) => d.chatId === "-1002")!.text).toBe(M.groupDailyDigest(1, "Khu phố 1", 3, null, null, 3));
    expect(await prisma.groupPost.findFirstOrThrow({ where: { chatId: "-1009" } })).toMatchObject({ status: "FAILED" });

    const round = await prisma.round.findFirstOrThrow({ where: { contestId: h.contest.id, number: 1 } });
    h.clock.current = new Date(round.closesAt.getTime() + 1);
    await h.services.closer.close(round.id, h.clock.now());
    await tickBoth();
    await tickBoth();
    const units = await h.services.results.unitRanking(round.id);
    const competing = units.filter((u) => u.rank !== null).length;
    const tdp01 = units.find((u) => u.code === "TDP01")!;
    const standings = recorder.sent.filter((s) => s.text.startsWith("📣"));
    expect(standings.map((s) => s.chatId).sort()).toEqual(["-1001", "-1002"]);
    expect(standings.find((s) => s.chatId === "-1001")!.text).toBe(
      M.groupRoundStanding(1, "Tổ dân phố số 1", 2, 0.04, tdp01.rank, competing),
    );
    expect(tdp01.rank).toBe(1);
    expect(standings.find((s) => s.chatId === "-1002")!.text).toBe(M.groupRoundStanding(1, "Khu phố 1", 3, null, null, competing));
    // Every post written once and sent once.
    expect(await prisma.groupPost.count()).toBe(6);
    expect(recorder.sent).toHaveLength(4);
  });
});
