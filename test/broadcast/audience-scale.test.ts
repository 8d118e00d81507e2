import { describe, expect, it } from "vitest";
import { createCampaign, previewCampaign } from "../../src/broadcast/campaigns.js";
import { useSampleHarness } from "../helpers/contest.js";
import { BACKENDS } from "../helpers/db.js";

// An audience larger than a page many times over (and than PostgreSQL's 65,535 parameters of
// one statement): read a page at a time by SQL, every statement small, memory one page.
const PEOPLE = 66_000;

describe.each(BACKENDS)("a province-wide audience on %s", (backend) => {
  const h = useSampleHarness(backend);

  it("previews and queues a broadcast to 66,000 people, one delivery each", async () => {
    const unit = h.contest.units.find((u) => u.code === "TDP01")!.id;
    await h.db.prisma.$executeRaw`
      INSERT INTO "Participant" (id, "contestId", phone, "fullName", "birthDate", "unitId", "consentAt", "updatedAt")
      SELECT gen_random_uuid(), ${h.contest.id}::uuid, '+8498' || lpad(i::text, 7, '0'), 'Người ' || i, date '1990-01-01',
        CASE WHEN i % 2 = 0 THEN ${unit}::uuid END, now(), now()
      FROM generate_series(1, ${PEOPLE}::int) i`;
    await h.db.prisma.$executeRaw`
      INSERT INTO "PlatformAccount" (id, platform, "externalId", "chatId", phone, "lastInteractionAt", "updatedAt")
      SELECT gen_random_uuid(), 'TELEGRAM', 'p' || i, 'p' || i, '+8498' || lpad(i::text, 7, '0'), now(), now()
      FROM generate_series(1, ${PEOPLE}::int) i`;
    const input = { name: "Nhắc thi", text: "Vòng thi đã mở", createdBy: "test" };
    const everyone = await previewCampaign(h.db.prisma, h.contest, { ...input, audience: { kind: "all" } }, h.clock.now());
    expect(everyone.recipients).toBe(PEOPLE);
    expect(everyone.byPlatform.TELEGRAM).toBe(PEOPLE);
    const group = await previewCampaign(h.db.prisma, h.contest, { ...input, audience: { kind: "unit", unitCode: "TDP01" } }, h.clock.now());
    expect(group.recipients).toBe(PEOPLE / 2);
    const campaign = await createCampaign(h.db.prisma, h.contest, { ...input, audience: { kind: "all" } }, h.clock.now());
    expect(await h.db.prisma.delivery.count({ where: { campaignId: campaign.id } })).toBe(PEOPLE);
  }, 180_000);
});
