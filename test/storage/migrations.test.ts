import { afterEach, describe, expect, it } from "vitest";
import { isUniqueViolation } from "../../src/storage/errors.js";
import { readMigrations } from "../../src/storage/migrate.js";
import { BACKENDS, freshDatabase, type TestDatabase } from "../helpers/db.js";

describe.each(BACKENDS)("storage on %s", (backend) => {
  let db: TestDatabase | undefined;
  afterEach(async () => {
    await db?.destroy();
    db = undefined;
  });

  it("applies every migration from zero and records it as Prisma does", async () => {
    db = await freshDatabase(backend);
    const files = await readMigrations();
    const rows = await db.prisma.$queryRaw<{ migration_name: string; checksum: string }[]>`
      SELECT migration_name, checksum FROM "_prisma_migrations" ORDER BY migration_name`;
    expect(rows).toEqual(files.map((f) => ({ migration_name: f.name, checksum: f.checksum })));
    const tables = await db.prisma.$queryRaw<{ table_name: string }[]>`
      SELECT table_name::text AS table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name`;
    expect(tables.map((t) => t.table_name)).toEqual(
      expect.arrayContaining([
        "Contest",
        "Round",
        "Unit",
        "Question",
        "Participant",
        "PlatformAccount",
        "Attempt",
        "AttemptQuestion",
        "Campaign",
        "Delivery",
      ]),
    );
  });

  it("applies nothing the second time", async () => {
    db = await freshDatabase(backend);
    expect(await db.migrate()).toEqual([]);
  });

  it("round-trips a row through Prisma and reports unique violations the same way", async () => {
    db = await freshDatabase(backend);
    const data = {
      slug: "cchc-2026",
      title: "Cuộc thi tìm hiểu cải cách hành chính",
      organizer: "UBND phường",
      rulesText: "Thể lệ",
      startsAt: new Date("2026-11-23T00:00:00.000Z"),
      endsAt: new Date("2026-12-20T16:59:59.999Z"),
      definition: { rounds: 4 },
    };
    const created = await db.prisma.contest.create({ data });
    const read = await db.prisma.contest.findUniqueOrThrow({ where: { id: created.id } });
    expect(read).toMatchObject({ ...data, timezone: "Asia/Ho_Chi_Minh" });
    const error = await db.prisma.contest.create({ data }).catch((e: unknown) => e);
    expect(isUniqueViolation(error)).toBe(true);
    expect(isUniqueViolation(new Error("other"))).toBe(false);
  });
});
