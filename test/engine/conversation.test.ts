// Long on purpose: one suite over one sample contest per backend, its scenarios sharing the harness.
import { describe, expect, it } from "vitest";
import { INTERACTION_PRECISION_MS } from "../../src/domain/people.js";
import { M } from "../../src/messages/index.js";
import { actor, allText, button, buttonData, correctShown, lastText, register, text, useSampleHarness } from "../helpers/contest.js";
import { BACKENDS } from "../helpers/db.js";

describe.each(BACKENDS)("conversation engine on %s", (backend) => {
  const h = useSampleHarness(backend);

  it("registers with a unit link, takes an attempt to the end and scores it", async () => {
    const who = actor("SIMULATOR", "happy");
    const welcome = await h.engine.handle(who, { type: "start", payload: "tdp05" });
    expect(allText(welcome)).toContain("Tổ dân phố số 5");
    expect(buttonData(welcome)).toEqual(["c:y", "c:n"]);
    expect(lastText(await h.engine.handle(who, button("c:y")))).toBe(M.askName);
    expect(lastText(await h.engine.handle(who, text("  trần   thị  BÌNH ")))).toBe(M.askBirth);
    expect(lastText(await h.engine.handle(who, text("5-3-1990")))).toBe(M.askPhoneTyped);
    const unitReply = await h.engine.handle(who, text("0912 345 678"));
    expect(allText(unitReply)).toContain(M.unitFromReferral("Tổ dân phố số 5"));
    expect(lastText(unitReply)).toBe(M.askAudience);
    const confirm = await h.engine.handle(who, button("au:DAN"));
    expect(lastText(confirm)).toContain("Họ tên: Trần Thị Bình");
    expect(lastText(confirm)).toContain("Ngày sinh: 05/03/1990");
    expect(lastText(confirm)).toContain("0912 345 678");
    const done = await h.engine.handle(who, button("cf:ok"));
    expect(allText(done)).toContain(M.registered("Trần Thị Bình"));

    const participant = await h.db.prisma.participant.findUniqueOrThrow({
      where: { contestId_phone: { contestId: h.contest.id, phone: "+84912345678" } },
      include: { unit: true, audience: true },
    });
    expect(participant).toMatchObject({ fullName: "Trần Thị Bình", excluded: false });
    expect(participant.birthDate.toISOString().slice(0, 10)).toBe("1990-03-05");
    expect(participant.unit?.code).toBe("TDP05");
    expect(participant.audience?.code).toBe("DAN");

    let reply = await h.engine.handle(who, button("m:thi"));
    expect(allText(reply)).toContain("Vòng 1: 10 câu hỏi");
    expect(lastText(reply)).toMatch(/^Câu 1\/10 · ⏱ còn 15:00/);
    const attempt = await h.db.prisma.attempt.findFirstOrThrow({ where: { participantId: participant.id } });
    // Answer 7 right and 3 wrong; the last by typing the letter.
    for (let pos = 0; pos < 10; pos++) {
      const right = await correctShown(h.db, attempt.id, pos);
      const shown = pos < 7 ? right : (right + 1) % 4;
      h.clock.advance(20_000);
      reply =
        pos === 9
          ? await h.engine.handle(who, text("ABCD"[shown]!.toLowerCase()))
          : await h.engine.handle(who, button(`a:${attempt.id}:${pos}:${shown}`));
      if (pos < 9) expect(lastText(reply)).toMatch(new RegExp(`^Câu ${pos + 2}/10`));
    }
    expect(lastText(reply)).toContain("Câu hỏi dự đoán");
    expect(lastText(await h.engine.handle(who, text("mười")))).toBe(M.predictionInvalid);
    reply = await h.engine.handle(who, text("12"));
    expect(lastText(reply)).toContain("Dự đoán của bạn: 12");
    reply = await h.engine.handle(who, button("p:e"));
    reply = await h.engine.handle(who, text("1.250"));
    expect(lastText(reply)).toContain("Dự đoán của bạn: 1250");
    h.clock.advance(5_000);
    reply = await h.engine.handle(who, button("p:ok"));
    expect(allText(reply)).toContain("đúng 7/10 câu, thời gian 3 phút 25 giây");
    const final = await h.db.prisma.attempt.findUniqueOrThrow({ where: { id: attempt.id } });
    expect(final).toMatchObject({ status: "SUBMITTED", score: 7, prediction: 1250, durationMs: 205_000, ranked: true });

    // The round's attempt is used: a second start says so and names the next round.
    expect(allText(await h.engine.handle(who, { type: "command", name: "thi" }))).toContain("Bạn đã hoàn thành lượt thi vòng 1");
    expect(allText(await h.engine.handle(who, { type: "command", name: "ketqua" }))).toContain("Vòng 1: 7/10 câu");
  });

  it("answers every validation failure with its reason and stays on the step", async () => {
    const who = actor("SIMULATOR", "validate");
    await h.engine.handle(who, { type: "start" });
    expect(lastText(await h.engine.handle(who, text("hello")))).toBe(M.consent);
    await h.engine.handle(who, button("c:y"));
    expect(lastText(await h.engine.handle(who, text("A")))).toBe(M.nameTooShort);
    expect(lastText(await h.engine.handle(who, text("Nguyen 123")))).toBe(M.nameInvalid);
    expect(lastText(await h.engine.handle(who, text("x".repeat(101))))).toBe(M.nameTooLong);
    expect(lastText(await h.engine.handle(who, { type: "unsupported" }))).toBe(M.unsupported);
    expect(lastText(await h.engine.handle(who, { type: "command", name: "thi" }))).toBe(M.commandDuringRegistration);
    expect(lastText(await h.engine.handle(who, text("Lê Văn Cường")))).toBe(M.askBirth);
    expect(lastText(await h.engine.handle(who, text("31/02/2000")))).toBe(M.birthImpossible);
    expect(lastText(await h.engine.handle(who, text("hôm qua")))).toBe(M.birthFormat);
    expect(lastText(await h.engine.handle(who, text("01/01/2030")))).toBe(M.birthFuture);
    expect(lastText(await h.engine.handle(who, text("2015-06-01")))).toBe(M.birthTooYoung(15));
    expect(lastText(await h.engine.handle(who, text("1985-12-24")))).toBe(M.askPhoneTyped);
    expect(lastText(await h.engine.handle(who, text("12345")))).toBe(M.phoneInvalid);
    expect(lastText(await h.engine.handle(who, text("0123 456 789")))).toBe(M.phoneInvalid);
    expect(lastText(await h.engine.handle(who, text("+84 98 765 4321")))).toBe(M.askUnit);
    const search = await h.engine.handle(who, text("to dan pho so 3"));
    expect(buttonData(search)).toEqual(["us:TDP03"]);
    expect(lastText(await h.engine.handle(who, text("không có đơn vị này")))).toContain("Không tìm thấy");
    const tree = await h.engine.handle(who, button("u:PHUONG"));
    expect(buttonData(tree)).toEqual(expect.arrayContaining(["u:KP1", "us:PHUONG", "up:_:0"]));
    const kp1 = await h.engine.handle(who, button("u:KP1"));
    expect(buttonData(kp1)).toEqual(expect.arrayContaining(["u:TDP01", "u:TDP02", "u:TDP03", "us:KP1"]));
    expect(lastText(await h.engine.handle(who, button("u:TDP02")))).toBe(M.askAudience);
    expect(lastText(await h.engine.handle(who, button("au:CBCC")))).toContain("Đơn vị: Tổ dân phố số 2");
    expect(await h.db.prisma.participant.count({ where: { phone: "+84987654321" } })).toBe(0);
  });

  it("corrects a field from the confirmation screen and returns to it", async () => {
    const who = actor("SIMULATOR", "correct");
    await h.engine.handle(who, { type: "start", payload: "UBND" });
    await h.engine.handle(who, button("c:y"));
    await h.engine.handle(who, text("Phạm Minh Đức"));
    await h.engine.handle(who, text("1/1/1980"));
    await h.engine.handle(who, text("0388000111"));
    expect(lastText(await h.engine.handle(who, button("au:CBCC")))).toContain("Phạm Minh Đức");
    expect(lastText(await h.engine.handle(who, button("cf:e:fullName")))).toBe(M.askName);
    expect(lastText(await h.engine.handle(who, text("Phạm Minh Đạt")))).toContain("Họ tên: Phạm Minh Đạt");
    await h.engine.handle(who, button("cf:e:unit"));
    expect(lastText(await h.engine.handle(who, button("us:CAP")))).toContain("Đơn vị: Công an phường");
    expect(lastText(await h.engine.handle(who, text("gõ chữ")))).toBe(M.useButtons);
    await h.engine.handle(who, button("cf:ok"));
    const p = await h.db.prisma.participant.findFirstOrThrow({ where: { phone: "+84388000111" }, include: { unit: true } });
    expect(p.fullName).toBe("Phạm Minh Đạt");
    expect(p.unit?.code).toBe("CAP");

    // Later profile edit keeps the phone locked.
    const profile = await h.engine.handle(who, { type: "command", name: "hoso" });
    expect(lastText(profile)).toContain("Phạm Minh Đạt");
    const edit = await h.engine.handle(who, button("hs:e"));
    expect(buttonData(edit)).not.toContain("cf:e:phone");
    expect(lastText(await h.engine.handle(who, button("cf:e:phone")))).toBe(M.phoneLocked);
    await h.engine.handle(who, button("cf:e:birthDate"));
    await h.engine.handle(who, text("02/01/1980"));
    expect(allText(await h.engine.handle(who, button("cf:ok")))).toContain(M.profileUpdated);
    const edited = await h.db.prisma.participant.findUniqueOrThrow({ where: { id: p.id } });
    expect(edited.birthDate.toISOString().slice(0, 10)).toBe("1980-01-02");
  });

  it("stores nothing when consent is refused", async () => {
    const who = actor("SIMULATOR", "refuse");
    await h.engine.handle(who, { type: "start" });
    expect(lastText(await h.engine.handle(who, button("c:n")))).toBe(M.consentRefused);
    expect(lastText(await h.engine.handle(who, text("Nguyễn Văn A")))).toBe(M.notRegistered);
    const account = await h.db.prisma.platformAccount.findUniqueOrThrow({
      where: { platform_externalId: { platform: "SIMULATOR", externalId: "refuse" } },
    });
    expect(account.phone).toBeNull();
  });

  it("takes the phone only from the sender's own shared contact on Telegram", async () => {
    const who = actor("TELEGRAM", "tg-contact");
    await h.engine.handle(who, { type: "start" });
    await h.engine.handle(who, button("c:y"));
    await h.engine.handle(who, text("Hoàng Thu Hà"));
    const ask = await h.engine.handle(who, text("12/12/1995"));
    expect(ask.messages.at(-1)?.contactRequest).toBeDefined();
    expect(lastText(await h.engine.handle(who, text("0912000111")))).toBe(M.phoneUseButton);
    expect(lastText(await h.engine.handle(who, { type: "contact", phone: "84912000111", own: false }))).toBe(M.contactNotOwn);
    expect(lastText(await h.engine.handle(who, { type: "contact", phone: "84912000111", own: true }))).toBe(M.askUnit);
  });

  it("resumes registration and an attempt after a restart", async () => {
    const who = actor("SIMULATOR", "restart");
    await h.engine.handle(who, { type: "start", payload: "TDP04" });
    await h.engine.handle(who, button("c:y"));
    await h.engine.handle(who, text("Vũ Thị Mai"));
    const restarted = h.restart();
    expect(lastText(await restarted.handle(who, text("20/10/1970")))).toBe(M.askPhoneTyped);
    await restarted.handle(who, text("0977111222"));
    await restarted.handle(who, button("au:DAN"));
    await restarted.handle(who, button("cf:ok"));
    await restarted.handle(who, button("m:thi"));
    const attempt = await h.db.prisma.attempt.findFirstOrThrow({ where: { participant: { phone: "+84977111222" } } });
    await restarted.handle(who, button(`a:${attempt.id}:0:0`));
    const again = h.restart();
    const resumed = await again.handle(who, button("m:thi"));
    expect(allText(resumed)).toContain(M.resumeAttempt);
    expect(lastText(resumed)).toMatch(/^Câu 2\/10/);
  });

  it("refuses late answers, finalises with what was answered, and sweeps silent attempts", async () => {
    const who = actor("SIMULATOR", "late");
    await register(h.engine, who, { phone: "0966000001" });
    await h.engine.handle(who, button("m:thi"));
    const attempt = await h.db.prisma.attempt.findFirstOrThrow({ where: { participant: { phone: "+84966000001" } } });
    await h.engine.handle(who, button(`a:${attempt.id}:0:${await correctShown(h.db, attempt.id, 0)}`));
    await h.engine.handle(who, button(`a:${attempt.id}:1:${((await correctShown(h.db, attempt.id, 1)) + 1) % 4}`));
    h.clock.advance(16 * 60_000);
    const late = await h.engine.handle(who, button(`a:${attempt.id}:2:0`));
    expect(allText(late)).toContain(M.timeUp);
    expect(allText(late)).toContain("đúng 1/10 câu");
    const final = await h.db.prisma.attempt.findUniqueOrThrow({ where: { id: attempt.id } });
    expect(final).toMatchObject({ status: "EXPIRED", score: 1, durationMs: 15 * 60_000 });
    const q2 = await h.db.prisma.attemptQuestion.findUniqueOrThrow({
      where: { attemptId_position: { attemptId: attempt.id, position: 2 } },
    });
    expect(q2.chosen).toBeNull();

    const silent = actor("SIMULATOR", "silent");
    await register(h.engine, silent, { phone: "0966000002" });
    await h.engine.handle(silent, button("m:thi"));
    const open = await h.db.prisma.attempt.findFirstOrThrow({ where: { participant: { phone: "+84966000002" } } });
    await h.engine.handle(silent, button(`a:${open.id}:0:${await correctShown(h.db, open.id, 0)}`));
    await h.services.attempts.finalizeExpired(h.clock.now());
    expect((await h.db.prisma.attempt.findUniqueOrThrow({ where: { id: open.id } })).status).toBe("IN_PROGRESS");
    h.clock.advance(15 * 60_000);
    expect(await h.services.attempts.finalizeExpired(h.clock.now())).toBeGreaterThanOrEqual(1);
    expect(await h.db.prisma.attempt.findUniqueOrThrow({ where: { id: open.id } })).toMatchObject({ status: "EXPIRED", score: 1 });
  });

  it("answers stale, repeated and foreign button presses politely without changing answers", async () => {
    const who = actor("SIMULATOR", "stale");
    const other = actor("SIMULATOR", "stale-other");
    await register(h.engine, who, { phone: "0966000003" });
    await register(h.engine, other, { phone: "0966000004" });
    await h.engine.handle(who, button("m:thi"));
    await h.engine.handle(other, button("m:thi"));
    const mine = await h.db.prisma.attempt.findFirstOrThrow({ where: { participant: { phone: "+84966000003" } } });
    const theirs = await h.db.prisma.attempt.findFirstOrThrow({ where: { participant: { phone: "+84966000004" } } });
    const first = await h.engine.handle(who, button(`a:${mine.id}:0:1`));
    expect(first.notice).toBe(M.answerRecorded);
    const repeat = await h.engine.handle(who, button(`a:${mine.id}:0:2`));
    expect(repeat.notice).toBe(M.staleButton);
    const foreign = await h.engine.handle(who, button(`a:${theirs.id}:0:3`));
    expect(foreign.notice).toBe(M.staleButton);
    const future = await h.engine.handle(who, button(`a:${mine.id}:5:0`));
    expect(future.notice).toBe(M.staleButton);
    const q0 = await h.db.prisma.attemptQuestion.findUniqueOrThrow({ where: { attemptId_position: { attemptId: mine.id, position: 0 } } });
    expect(q0.chosen).toBe(q0.optionOrder[1]);
    const theirQ0 = await h.db.prisma.attemptQuestion.findUniqueOrThrow({
      where: { attemptId_position: { attemptId: theirs.id, position: 0 } },
    });
    expect(theirQ0.chosen).toBeNull();
    expect(lastText(await h.engine.handle(who, { type: "unsupported" }))).toMatch(/^Câu 2\/10/);
  });

  it("links a second platform by phone and allows one attempt across both, even when started at once", async () => {
    const zalo = actor("ZALO", "z-1", true); // phone from Zalo's user-info form: verified
    const telegram = actor("TELEGRAM", "t-1");
    await register(h.engine, zalo, { phone: "0905111222", name: "Đỗ Quang Huy" });
    await h.engine.handle(telegram, { type: "start" });
    await h.engine.handle(telegram, button("c:y"));
    await h.engine.handle(telegram, text("Đỗ Quang Huy"));
    await h.engine.handle(telegram, text("01/01/1990"));
    const linked = await h.engine.handle(telegram, { type: "contact", phone: "+84905111222", own: true });
    expect(allText(linked)).toContain(M.linkedExisting("Đỗ Quang Huy"));
    expect(await h.db.prisma.participant.count({ where: { phone: "+84905111222" } })).toBe(1);

    const replies = await Promise.all([
      h.engine.handle(zalo, button("m:thi")),
      h.engine.handle(telegram, button("m:thi")),
      h.restart().handle(zalo, button("m:thi")),
    ]);
    expect(await h.db.prisma.attempt.count({ where: { participant: { phone: "+84905111222" } } })).toBe(1);
    for (const r of replies) expect(lastText(r)).toMatch(/^Câu 1\/10/);
  });

  it("enforces one attempt per person per round in the database under a direct race", async () => {
    const who = actor("SIMULATOR", "race");
    await register(h.engine, who, { phone: "0966000005" });
    const participant = await h.db.prisma.participant.findFirstOrThrow({ where: { phone: "+84966000005" } });
    const account = await h.db.prisma.platformAccount.findFirstOrThrow({ where: { externalId: "race" } });
    const round = (await h.services.attempts.openRound(h.clock.now()))!;
    const results = await Promise.all(
      Array.from({ length: 5 }, () => h.restartServices().attempts.start(round, participant, account.id, h.clock.now())),
    );
    expect(new Set(results.map((r) => r.attempt.id)).size).toBe(1);
    expect(results.filter((r) => r.created)).toHaveLength(1);
    const rows = await h.db.prisma.attemptQuestion.count({ where: { attempt: { participantId: participant.id } } });
    expect(rows).toBe(10);
  });

  it("gives one effect and one reply to 30 simultaneous «Xác nhận» and «Nộp bài» taps across instances", async () => {
    const who = actor("SIMULATOR", "taps");
    await h.engine.handle(who, { type: "start" });
    await h.engine.handle(who, button("c:y"));
    await h.engine.handle(who, text("Vũ Thị Chạm"));
    await h.engine.handle(who, text("03/04/1991"));
    await h.engine.handle(who, text("0966000777"));
    await h.engine.handle(who, button("us:TDP01"));
    await h.engine.handle(who, button("au:DAN"));
    const instances = [h.engine, h.restart(), h.restart()];
    const confirms = await Promise.all(Array.from({ length: 30 }, (_, i) => instances[i % 3]!.handle(who, button("cf:ok"))));
    expect(await h.db.prisma.participant.count({ where: { phone: "+84966000777" } })).toBe(1);
    const said = confirms.flatMap((r) => r.messages.map((m) => m.text));
    expect(said.filter((t) => t === M.registered("Vũ Thị Chạm"))).toHaveLength(1);
    expect(said.filter((t) => t.includes("đã đăng ký dự thi với tên"))).toHaveLength(0);
    expect(said).toHaveLength(2); // the welcome and the menu, once

    await h.engine.handle(who, button("m:thi"));
    const attempt = await h.db.prisma.attempt.findFirstOrThrow({ where: { participant: { phone: "+84966000777" } } });
    for (let pos = 0; pos < 10; pos++) await h.engine.handle(who, button(`a:${attempt.id}:${pos}:0`));
    await h.engine.handle(who, text("5"));
    const submits = await Promise.all(Array.from({ length: 30 }, (_, i) => instances[i % 3]!.handle(who, button("p:ok"))));
    const results = submits.flatMap((r) => r.messages.map((m) => m.text)).filter((t) => t.startsWith("✅ Bạn đã nộp bài"));
    expect(results).toHaveLength(1);
    expect(submits.filter((r) => r.messages.length > 0)).toHaveLength(1);
    expect((await h.db.prisma.attempt.findUniqueOrThrow({ where: { id: attempt.id } })).status).toBe("SUBMITTED");
  });

  it("records the last interaction at most every few minutes, but a change of chat or a block at once", async () => {
    const who = actor("TELEGRAM", "arrive-1");
    const account = () =>
      h.db.prisma.platformAccount.findUniqueOrThrow({ where: { platform_externalId: { platform: "TELEGRAM", externalId: "arrive-1" } } });
    const first = h.clock.now();
    await h.engine.handle(who, { type: "command", name: "start" });
    expect((await account()).lastInteractionAt).toEqual(first);
    const row = await account();
    h.clock.advance(INTERACTION_PRECISION_MS - 1_000);
    await h.engine.handle(who, text("xin chào"));
    expect(await account()).toEqual(row); // within the precision: not written at all
    await h.db.prisma.platformAccount.update({ where: { id: row.id }, data: { blockedAt: h.clock.now() } });
    await h.engine.handle(who, text("xin chào"));
    expect((await account()).blockedAt).toBeNull(); // back: unblocked at once
    expect((await account()).lastInteractionAt).toEqual(h.clock.now());
    h.clock.advance(INTERACTION_PRECISION_MS + 1_000);
    await h.engine.handle(who, text("xin chào"));
    expect((await account()).lastInteractionAt).toEqual(h.clock.now());
  });

  it("plays an audience that is not ranked without ranking its attempts", async () => {
    const cbcc = h.contest.def.audiences.find((a) => a.code === "CBCC")!;
    cbcc.ranked = false;
    try {
      const staff = actor("SIMULATOR", "unranked-staff");
      const citizen = actor("SIMULATOR", "ranked-citizen");
      await register(h.engine, staff, { phone: "0935000001", audience: "CBCC" });
      await register(h.engine, citizen, { phone: "0935000002", audience: "DAN" });
      for (const who of [staff, citizen]) expect(buttonData(await h.engine.handle(who, button("m:thi")))[0]).toMatch(/^a:/);
      const ranked = async (phone: string) =>
        (await h.db.prisma.attempt.findFirstOrThrow({ where: { participant: { phone } }, orderBy: { startedAt: "desc" } })).ranked;
      expect(await ranked("+84935000001")).toBe(false);
      expect(await ranked("+84935000002")).toBe(true);
    } finally {
      cbcc.ranked = true;
    }
  });
});
