// Registration steps and the callback codec without a database: the engine runs on an
// in-memory People service and the sample contest's definition.
import { describe, expect, it } from "vitest";
import type { CertificateReader } from "../../src/certificates/certificates.js";
import { SAMPLE_CONTEST_FILE } from "../../src/config.js";
import type { ContestContext } from "../../src/contest/context.js";
import { readDefinition } from "../../src/contest/definition.js";
import type { AttemptService } from "../../src/domain/attempts.js";
import type { EntryService } from "../../src/domain/entries.js";
import type { NewParticipant, People, RegisterOutcome } from "../../src/domain/people.js";
import type { UnitTools } from "../../src/domain/unit-tools.js";
import { parseCallback } from "../../src/engine/callback-data.js";
import { ConversationEngine } from "../../src/engine/engine.js";
import { DATA } from "../../src/engine/keyboards.js";
import type { ConversationSession } from "../../src/engine/session.js";
import type { Actor, InboundEvent } from "../../src/engine/types.js";
import type { Participant, PlatformAccount } from "../../src/generated/prisma/client.js";
import { M } from "../../src/messages/index.js";
import { silentLogger } from "../helpers/logger.js";

class MemoryPeople implements People {
  readonly accounts = new Map<string, PlatformAccount>();
  readonly participants: Participant[] = [];

  async arrive(actor: Actor, now: Date) {
    const account = this.touch(actor, now);
    return { account, participant: account.phone ? await this.byPhone(account.phone) : null };
  }
  private touch(actor: Actor, now: Date): PlatformAccount {
    const key = `${actor.platform}:${actor.externalId}`;
    const existing = this.accounts.get(key);
    const account: PlatformAccount = existing ?? {
      id: key,
      platform: actor.platform,
      externalId: actor.externalId,
      chatId: actor.chatId,
      displayName: actor.displayName ?? null,
      phone: null,
      blockedAt: null,
      unreachableReason: null,
      lastInteractionAt: now,
      createdAt: now,
      updatedAt: now,
    };
    this.accounts.set(key, { ...account, lastInteractionAt: now });
    return this.accounts.get(key)!;
  }
  async rosterEntry(phone: string) {
    return this.roster.get(phone) ?? null;
  }
  readonly roster = new Map<string, { unitId: string | null; audienceId: string | null }>();
  async byPhone(phone: string) {
    return this.participants.find((p) => p.phone === phone) ?? null;
  }
  async register(accountId: string, data: NewParticipant): Promise<RegisterOutcome> {
    const existing = await this.byPhone(data.phone);
    const account = this.accounts.get(accountId)!;
    if (existing) return account.phone === data.phone ? { kind: "duplicate", participant: existing, account } : { kind: "taken", existing };
    const participant: Participant = {
      id: `p${this.participants.length + 1}`,
      contestId: "c",
      ...data,
      birthDate: new Date(`${data.birthDate}T00:00:00Z`),
      registeredAt: data.consentAt,
      updatedAt: data.consentAt,
    };
    this.participants.push(participant);
    account.phone = data.phone;
    return { kind: "created", participant, account };
  }
  async link(account: PlatformAccount, participant: Participant) {
    account.phone = participant.phone;
    return account;
  }
  async releaseUnverified(participant: Participant) {
    participant.phone = `${participant.phone}#released`;
  }
  async updateProfile(
    participantId: string,
    data: { fullName: string; birthDate: string; unitId: string | null; audienceId: string | null },
  ) {
    const p = this.participants.find((x) => x.id === participantId)!;
    Object.assign(p, { ...data, birthDate: new Date(`${data.birthDate}T00:00:00Z`) });
    return p;
  }
}

async function sampleContext(): Promise<ContestContext> {
  const { definition } = await readDefinition(SAMPLE_CONTEST_FILE);
  const ids = new Map(definition.units.map((u) => [u.code, `unit-${u.code}`]));
  return {
    id: "c",
    slug: definition.slug,
    title: definition.title,
    organizer: definition.organizer,
    rules: definition.rules,
    timezone: definition.timezone,
    endsAt: new Date("2026-12-31T17:00:00Z"),
    def: { ...definition, minimumAge: 15 },
    units: definition.units.map((u) => ({
      id: ids.get(u.code)!,
      contestId: "c",
      code: u.code,
      name: u.name,
      kind: u.kind,
      parentId: u.parent ? ids.get(u.parent)! : null,
      headcount: u.headcount ?? null,
      target: u.target ?? null,
    })),
    audiences: definition.audiences.map((a) => ({ id: `aud-${a.code}`, contestId: "c", code: a.code, name: a.name })),
  };
}

/** A conversation with one person on the in-memory People service, the session carried from turn to turn as the turn runner does. */
function converse(contest: ContestContext) {
  const people = new MemoryPeople();
  const conversation = new ConversationEngine({ contest, logger: silentLogger });
  const attempts = { current: async () => ({ round: null, attempt: null }) } as unknown as AttemptService; // no round open: registration only
  const certificates = { forParticipant: async () => [] } as unknown as CertificateReader;
  const unitTools = {} as unknown as UnitTools; // nobody administers a unit here
  const entries = {} as unknown as EntryService; // a quiz: no written entries
  let session: ConversationSession | undefined;
  const engine = {
    handle: async (actor: Actor, event: InboundEvent) => {
      const result = await conversation.turn({
        actor,
        event,
        session,
        people,
        attempts,
        certificates,
        unitTools,
        entries,
        now: new Date("2026-11-24T03:00:00Z"),
      });
      session = result.session;
      return result.reply;
    },
  };
  const who: Actor = { platform: "ZALO", externalId: "z", chatId: "z", canShareContact: false };
  const say = async (event: InboundEvent) => (await engine.handle(who, event)).messages.map((m) => m.text);
  return { people, engine, who, say };
}
const text = (t: string): InboundEvent => ({ type: "text", text: t });
const tap = (data: string): InboundEvent => ({ type: "button", data });

describe("registration steps (no database)", () => {
  it("walks every step with its validation and registers through the People service", async () => {
    const { people, engine, who, say } = converse(await sampleContext());

    expect((await say({ type: "start" })).at(-1)).toBe(M.consent);
    expect(await say(text("có"))).toEqual([M.consent]);
    expect(await say(tap(DATA.consentYes))).toEqual([M.askName]);
    expect(await say(text("A"))).toEqual([M.nameTooShort]);
    expect(await say(text("nguyễn   thị lan"))).toEqual([M.askBirth]);
    expect(await say(text("31/02/1990"))).toEqual([M.birthImpossible]);
    expect(await say(text("01/01/2015"))).toEqual([M.birthTooYoung(15)]);
    expect(await say(text("5-3-1990"))).toEqual([M.askPhoneTyped]);
    expect(await say(text("12345"))).toEqual([M.phoneInvalid]);
    expect(await say(text("0912 345 678"))).toEqual([M.askUnit]);
    expect(await say(text("tổ dân phố số 5"))).toEqual([M.unitSearchResults("tổ dân phố số 5")]);
    expect(await say(tap(DATA.unitChoose("TDP05")))).toEqual([M.askAudience]);
    const confirm = await say(tap(DATA.audience("CBCC")));
    expect(confirm[0]).toContain("Nguyễn Thị Lan");
    expect(confirm[0]).toContain("05/03/1990");
    expect(await say(tap(DATA.edit("birthDate")))).toEqual([M.askBirth]);
    expect((await say(text("06/03/1990")))[0]).toContain("06/03/1990");
    expect(people.participants).toHaveLength(0);
    expect(await say(tap(DATA.confirm))).toEqual([M.registered("Nguyễn Thị Lan"), M.menu]);
    expect(people.participants[0]).toMatchObject({
      phone: "+84912345678",
      fullName: "Nguyễn Thị Lan",
      unitId: "unit-TDP05",
      audienceId: "aud-CBCC",
    });
    expect(people.participants[0]!.birthDate.toISOString().slice(0, 10)).toBe("1990-03-06");
    // The same confirmation again: answered with a notice, nothing sent, nobody new.
    const again = await engine.handle(who, tap(DATA.confirm));
    expect(again.messages).toEqual([]);
    expect(people.participants).toHaveLength(1);
  });

  it("applies each audience's minimum age: a 14-year-old is refused as a citizen and accepted as staff", async () => {
    const contest = await sampleContext(); // contest minimum 15
    contest.def.audiences = contest.def.audiences.map((a) => (a.code === "CBCC" ? { ...a, minimumAge: 0 } : a));
    const { people, say } = converse(contest);
    await say({ type: "start" });
    await say(tap(DATA.consentYes));
    await say(text("Trần Văn Nhỏ"));
    expect(await say(text("01/06/2012"))).toEqual([M.askPhoneTyped]); // 14: some audience takes them
    await say(text("0912 345 679"));
    expect(await say(tap(DATA.unitChoose("TDP05")))).toEqual([M.askAudience]);
    expect(await say(tap(DATA.audience("DAN")))).toEqual([M.audienceTooYoung("Người dân", 15), M.askAudience]);
    expect((await say(tap(DATA.audience("CBCC"))))[0]).toContain("Trần Văn Nhỏ");
    // Correcting the birth date now checks it against the audience chosen.
    await say(tap(DATA.edit("birthDate")));
    expect((await say(text("01/06/2020")))[0]).toContain("06/2020"); // staff: any age
    await say(tap(DATA.edit("audience")));
    expect(await say(tap(DATA.audience("DAN")))).toEqual([M.audienceTooYoung("Người dân", 15), M.askAudience]);
    expect(people.participants).toHaveLength(0);
  });
});

describe("further registration fields (no database)", () => {
  it("asks the contest's fields in order, as buttons or typed, validated, the ID card masked, an optional one skipped", async () => {
    const contest = await sampleContext();
    contest.def.registration.extra = [
      { field: "gender", required: true, keepFullIdCard: false },
      { field: "email", required: false, keepFullIdCard: false },
      { field: "idCard", required: true, keepFullIdCard: false },
      { field: "address", required: false, keepFullIdCard: false },
    ];
    const { people, say } = converse(contest);
    const consent = await say({ type: "start" });
    expect(consent.at(-1)).toBe(M.consentFor(["giới tính", "email", "số cccd/cmnd", "địa chỉ (thôn/tổ dân phố, xã/phường)"]));
    await say(tap(DATA.consentYes));
    await say(text("Phan Thị Lan"));
    await say(text("01/01/1990"));
    await say(text("0912 345 671"));
    await say(tap(DATA.unitChoose("TDP05")));
    expect(await say(tap(DATA.audience("DAN")))).toEqual([M.askExtra("Giới tính", true, true)]);
    expect(await say(text("Nữ"))).toEqual([M.useButtons, M.askExtra("Giới tính", true, true)]); // a choice: buttons only
    expect(await say(tap(DATA.extraSkip))).toEqual([M.useButtons, M.askExtra("Giới tính", true, true)]); // required: no skipping
    expect(await say(tap(DATA.extraChoice(1)))).toEqual([M.askExtra("Email", false, false)]);
    expect(await say(text("lan@"))).toEqual([M.extraEmailInvalid, M.askExtra("Email", false, false)]);
    await say(text("Lan.Phan@Gmail.com"));
    expect(await say(text("0123 456"))).toEqual([M.extraIdCardInvalid, M.askExtra("Số CCCD/CMND", false, true)]);
    await say(text("0123 4567 8901"));
    const confirm = await say(tap(DATA.extraSkip));
    expect(confirm[0]).toContain("• Giới tính: Nữ\n• Email: lan.phan@gmail.com\n• Số CCCD/CMND: ********8901");
    expect(confirm[0]).not.toContain("Địa chỉ");
    await say(tap(DATA.confirm));
    expect(people.participants[0]!.details).toEqual({ gender: "Nữ", email: "lan.phan@gmail.com", idCard: "********8901", address: "" });
  });
});

describe("registration of a roster member (no database)", () => {
  it("proposes the roster's unit and audience, goes straight to the confirmation and keeps them editable", async () => {
    const { people, say } = converse(await sampleContext());
    people.roster.set("+84912345670", { unitId: "unit-UBND", audienceId: "aud-CBCC" });
    await say({ type: "start" });
    await say(tap(DATA.consentYes));
    await say(text("Lê Thị Hoa"));
    await say(text("02/02/1985"));
    const confirm = await say(text("0912345670"));
    expect(confirm[0]).toBe(M.rosterFound("UBND phường Mẫu", "Cán bộ, công chức, viên chức"));
    expect(confirm[1]).toContain("UBND phường Mẫu");
    expect(await say(tap(DATA.edit("unit")))).toEqual([M.askUnit]); // still the person's to correct
  });
});

describe("callback codec", () => {
  it("parses every shape the keyboards write and nothing else", () => {
    const id = "0b7a3c52-9d1e-4f6a-8b2c-1d2e3f4a5b6c";
    expect(parseCallback(DATA.answer(id, 3, 2))).toEqual({ kind: "answer", attemptId: id, position: 3, shown: 2 });
    expect(parseCallback(DATA.review(12))).toEqual({ kind: "review", round: 12 });
    expect(parseCallback(DATA.unitPage("_", 2))).toEqual({ kind: "unitPage", parent: "_", page: 2 });
    expect(parseCallback(DATA.edit("unit"))).toEqual({ kind: "edit", field: "unit" });
    expect(parseCallback(DATA.menuHelp)).toEqual({ kind: "menu", item: "huongdan" });
    expect(parseCallback(DATA.consentNo)).toEqual({ kind: "consent", yes: false });
    expect(parseCallback(DATA.broadcastConfirm)).toEqual({ kind: "broadcast", confirm: true });
    for (const forged of [
      "rv:abc",
      "x:12",
      "x:-1",
      "x:s1",
      "rv:0",
      "rv:99999999999",
      "rv:1 OR 1=1",
      `a:${id}:1:9`,
      "a:x:1:1",
      "cf:e:constructor",
      "u:",
      "up:_:x",
      "m:xx",
      "",
      "x".repeat(65),
    ]) {
      expect(parseCallback(forged), forged).toBeUndefined();
    }
    // Every payload the keyboards write fits Telegram's 64 bytes.
    for (const data of [DATA.answer(id, 99, 5), DATA.unitPage("A".repeat(32), 9999), DATA.unitChoose("B".repeat(32))]) {
      expect(Buffer.byteLength(data)).toBeLessThanOrEqual(64);
      expect(parseCallback(data)).toBeDefined();
    }
  });
});
