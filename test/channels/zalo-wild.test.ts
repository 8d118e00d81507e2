// Zalo as it behaves in the wild, against the fake OA (ZALO_BUTTONS=auto): no slash commands,
// the user-info form refused, long broadcasts and billing errors.
import request from "supertest";
import { describe, expect, it } from "vitest";
import { createToken } from "../../src/admin/tokens.js";
import { M } from "../../src/messages/index.js";
import { actor, register } from "../helpers/contest.js";
import { isForm, useZaloServer } from "../helpers/zalo-chat.js";

describe("Zalo in the wild (buttons auto)", () => {
  const { fake, say, server } = useZaloServer(["at-w", "rt-w"]);

  it("welcomes a first «Xin chào», understands words for commands, and never mentions a slash command", async () => {
    const u = "w-words";
    const welcome = await say(u, "Xin chào", 3);
    expect(welcome.at(-1)!.buttons).toEqual(["#b:c:y", "#b:c:n"]);
    expect((await say(u, "toi dong y"))[0]!.text).toBe(M.askName); // a choice's words act as the tap
    await say(u, "Hồ Thị Hoa");
    await say(u, "09/09/1999");
    await say(u, {
      event_name: "user_submit_info",
      sender: { id: u },
      recipient: { id: "oa1" },
      info: { name: "Hoa", phone: "0905000111" },
    });
    await say(u, "#b:us:TDP01");
    await say(u, "#b:au:DAN");
    await say(u, "#b:cf:ok", 2);
    expect((await say(u, "ket qua", 2))[0]!.text).toBe(M.myResults([]));
    expect((await say(u, "Hướng dẫn", 2))[0]!.text).toContain("«Thi»");
    for (const m of fake.messagesTo(u)) expect(m.text ?? "").not.toMatch(/\/(start|thi|ketqua|hoso|huongdan)\b/);
  });

  it("takes a typed phone when the form is refused, marks it unverified, and never links it to a Telegram participant", async () => {
    await register(server().runner, actor("TELEGRAM", "tg-owner"), { phone: "0905000222", name: "Chủ Số Thật" });
    const u = "w-typed";
    await say(u, "Bắt đầu", 3);
    await say(u, "#b:c:y");
    await say(u, "Người Gõ Tay");
    fake.failNext(-201, "template is not supported", isForm);
    const asked = await say(u, "01/01/1980", 2);
    expect(asked.at(-1)!.text).toBe(M.askPhoneTyped); // no button to press that is not there
    expect((await say(u, "0905 000 222"))[0]!.text).toBe(M.phoneTakenUnverified);
    const owner = await server().db.prisma.participant.findFirstOrThrow({ where: { phone: "+84905000222" } });
    expect(owner.fullName).toBe("Chủ Số Thật");
    expect((await server().db.prisma.platformAccount.findFirstOrThrow({ where: { externalId: u } })).phone).toBeNull();
    await say(u, "0905 000 333");
    await say(u, "#b:us:TDP01");
    await say(u, "#b:au:DAN");
    await say(u, "#b:cf:ok", 2);
    const typed = await server().db.prisma.participant.findFirstOrThrow({ where: { phone: "+84905000333" } });
    expect(typed.phoneVerified).toBe(false);
    // The verified owner of that number arrives on Telegram: two people, never merged.
    const tg = actor("TELEGRAM", "tg-333");
    await register(server().runner, tg, { phone: "0905000333", name: "Chủ Thật Của Số" });
    const people = await server().db.prisma.participant.findMany({
      where: { phone: { startsWith: "+84905000333" } },
      orderBy: { registeredAt: "asc" },
    });
    expect(people.map((p) => [p.fullName, p.phoneVerified])).toEqual([
      ["Người Gõ Tay", false],
      ["Chủ Thật Của Số", true],
    ]);
    expect(people[1]!.phone).toBe("+84905000333");
    const zaloAccount = await server().db.prisma.platformAccount.findFirstOrThrow({ where: { externalId: u } });
    expect(zaloAccount.phone).toBe(people[0]!.phone); // still the typed registration's own person
    expect((await say(u, "hồ sơ"))[0]!.text).toContain("Người Gõ Tay");
  });

  it("splits a 5,000-character broadcast into ordered parts, and a billing error pauses the campaign", async () => {
    const u = "w-long";
    await say(u, "Bắt đầu", 3);
    await say(u, "#b:c:y");
    await say(u, "Đọc Thư Dài");
    await say(u, "03/03/1983");
    await say(u, { event_name: "user_submit_info", sender: { id: u }, recipient: { id: "oa1" }, info: { phone: "0905000444" } });
    await say(u, "#b:us:TDP01");
    await say(u, "#b:au:DAN");
    await say(u, "#b:cf:ok", 2);
    const { token } = await createToken(server().db.prisma, { name: "BTC", role: "ORGANIZER" });
    const paragraphs = Array.from(
      { length: 25 },
      (_, i) => `Đoạn ${String(i + 1).padStart(2, "0")}: ${"thông tin cuộc thi ".repeat(10).trim()}.`,
    );
    const text = paragraphs.join("\n\n");
    expect([...text].length).toBeGreaterThan(5_000);
    const before = fake.messagesTo(u).length;
    const created = await request(server().server)
      .post("/api/admin/campaigns")
      .set("authorization", `Bearer ${token}`)
      .send({ name: "Thư dài", text, audience: { kind: "unit", unitCode: "PHUONG", platform: "ZALO" } });
    expect(created.status).toBe(201);
    await expect
      .poll(
        () =>
          fake
            .messagesTo(u)
            .slice(before)
            .map((m) => m.text)
            .join("\n\n"),
        { timeout: 10_000 },
      )
      .toBe(text);
    const parts = fake.messagesTo(u).slice(before);
    expect(parts.length).toBe(3);
    for (const p of parts) expect([...(p.text ?? "")].length).toBeLessThanOrEqual(2_000);

    // The long broadcast also reached the other Zalo people: let it finish before Zalo runs dry.
    const first = () => request(server().server).get(`/api/admin/campaigns/${created.body.id}`).set("authorization", `Bearer ${token}`);
    await expect.poll(async () => (await first()).body.status, { timeout: 10_000 }).toBe("DONE");
    fake.failNext(-321, "Zalo Cloud Account is out of money");
    const billed = await request(server().server)
      .post("/api/admin/campaigns")
      .set("authorization", `Bearer ${token}`)
      .send({ name: "Nhắc", text: "Nhắc thi", audience: { kind: "unit", unitCode: "PHUONG", platform: "ZALO" } });
    const progress = () => request(server().server).get(`/api/admin/campaigns/${billed.body.id}`).set("authorization", `Bearer ${token}`);
    await expect.poll(async () => (await progress()).body.status, { timeout: 10_000 }).toBe("PAUSED");
    const paused = (await progress()).body;
    expect(paused.pausedReason).toContain("billing");
    expect(paused.pending).toBe(paused.total);
    const status = await request(server().server).get("/api/admin/zalo").set("authorization", `Bearer ${token}`);
    expect(status.body).toMatchObject({ buttons: "auto", token: { problem: null } });
  });
});
