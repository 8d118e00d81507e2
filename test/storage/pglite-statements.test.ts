// The embedded database's prepared statements (src/storage/pglite-statements.ts): values go and
// come back as through PGlite's `query`, a statement is prepared once and kept within a bound,
// a table changed under a cached plan costs one failed run, and its transactions commit or roll back.
import { PGlite } from "@electric-sql/pglite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PgliteStatements } from "../../src/storage/pglite-statements.js";
import { PRISMA_LIKE_PARSERS } from "../../src/storage/plain-sql.js";

describe("PGlite prepared statements", () => {
  const client = new PGlite("memory://");
  const prepared = () => client.query<{ count: number }>("SELECT count(*)::int AS count FROM pg_prepared_statements");
  beforeAll(() =>
    client.exec(`CREATE TABLE item (id serial PRIMARY KEY, name text NOT NULL, at timestamptz, big int8, tags text[], doc jsonb, ok boolean);
      CREATE TABLE wide (id int PRIMARY KEY)`),
  );
  afterAll(() => client.close());

  it("sends and reads values as PGlite's query does, with the caller's parsers", async () => {
    const statements = new PgliteStatements(client);
    const insert = `INSERT INTO item (name, at, big, tags, doc, ok) VALUES ($1, $2, $3, $4, $5, $6) RETURNING *`;
    const values = ["Phường Đông Hà", new Date("2026-11-24T01:02:03.456Z"), 9007199254740993n, ["a", 'b"c', null], { k: [1, "x"] }, true];
    const ours = await statements.query(insert, values, { parsers: PRISMA_LIKE_PARSERS });
    const theirs = await client.query(insert, values, { parsers: PRISMA_LIKE_PARSERS });
    expect(ours.affectedRows).toBe(1);
    const { id: _a, ...row } = ours.rows[0] as Record<string, unknown>;
    const { id: _b, ...expected } = theirs.rows[0] as Record<string, unknown>;
    expect(row).toEqual(expected);
    expect(row.big).toBe(9007199254740993n);
    expect(row.tags).toEqual(["a", 'b"c', null]);
    const nulls = await statements.query<{ name: string; at: Date | null }>(
      "SELECT name, at FROM item WHERE at IS NOT DISTINCT FROM $1 AND name = $2",
      [null, "none"],
    );
    expect(nulls.rows).toEqual([]);
  });

  it("prepares a statement once and runs it again on its plan", async () => {
    const statements = new PgliteStatements(client);
    const before = (await prepared()).rows[0]!.count;
    for (let i = 0; i < 5; i++) await statements.query("SELECT $1::int + 1 AS n", [i]);
    expect((await prepared()).rows[0]!.count).toBe(before + 1);
    expect((await statements.query<{ n: number }>("SELECT $1::int + 1 AS n", [41])).rows).toEqual([{ n: 42 }]);
  });

  it("keeps at most `max` statements, closing the least recently used", async () => {
    await client.exec("DEALLOCATE ALL");
    const statements = new PgliteStatements(client, 2);
    for (let i = 0; i < 6; i++) await statements.query(`SELECT ${i} + $1::int AS n`, [1]);
    await statements.query("SELECT 0 + $1::int AS n", [1]); // the evicted are closed with the next run
    expect((await prepared()).rows[0]!.count).toBeLessThanOrEqual(2);
    expect((await statements.query<{ n: number }>("SELECT 5 + $1::int AS n", [1])).rows).toEqual([{ n: 6 }]);
  });

  it("fails a statement that does not parse, and serves the next", async () => {
    const statements = new PgliteStatements(client);
    await expect(statements.query("SELEC $1", [1])).rejects.toThrow(/syntax error/);
    expect((await statements.query<{ one: number }>("SELECT $1::int AS one", [1])).rows).toEqual([{ one: 1 }]);
  });

  it("prepares anew when a table changed under a cached plan, or at once after reset", async () => {
    const statements = new PgliteStatements(client);
    const read = "SELECT * FROM wide WHERE id > $1";
    await statements.query(read, [0]);
    await client.exec("ALTER TABLE wide ADD COLUMN extra text");
    await expect(statements.query(read, [0])).rejects.toMatchObject({ code: "0A000" });
    expect((await statements.query(read, [0])).fields.map((f) => f.name)).toEqual(["id", "extra"]);
    await client.exec("ALTER TABLE wide ADD COLUMN more text");
    await statements.reset();
    expect((await statements.query(read, [0])).fields.map((f) => f.name)).toEqual(["id", "extra", "more"]);
  });

  it("commits a transaction that resolves, with the opening statement's row count", async () => {
    const statements = new PgliteStatements(client);
    await client.exec("INSERT INTO item (name) VALUES ('open me')");
    const result = await statements.transaction(async (opened) => {
      await statements.query("INSERT INTO item (name) VALUES ($1)", ["committed"], { inTransaction: true });
      return opened;
    }, "UPDATE item SET ok = false WHERE name = 'open me'");
    expect(result).toBe(1);
    expect((await client.query("SELECT 1 FROM item WHERE name = 'committed'")).rows).toHaveLength(1);
    expect(client.isInTransaction()).toBe(false);
  });

  it("rolls back a transaction that throws, also after a failed statement in it", async () => {
    const statements = new PgliteStatements(client);
    await expect(
      statements.transaction(async () => {
        await statements.query("INSERT INTO item (name) VALUES ($1)", ["rolled back"], { inTransaction: true });
        throw new Error("the turn failed");
      }),
    ).rejects.toThrow("the turn failed");
    await expect(
      statements.transaction(async () => {
        await statements.query("INSERT INTO item (name) VALUES ($1)", ["rolled back"], { inTransaction: true });
        await statements.query("INSERT INTO item (name) VALUES ($1)", [null], { inTransaction: true });
      }),
    ).rejects.toThrow(/null value/);
    expect(client.isInTransaction()).toBe(false);
    await expect(statements.transaction(async () => 1, "UPDATE item SET name = NULL")).rejects.toThrow(/null value/);
    expect(client.isInTransaction()).toBe(false);
    expect((await client.query("SELECT 1 FROM item WHERE name = 'rolled back'")).rows).toHaveLength(0);
  });

  it("fails with a clear error once the database is closed", async () => {
    const closing = new PGlite("memory://");
    const statements = new PgliteStatements(closing);
    await statements.query("SELECT $1::int AS n", [1]);
    await closing.close();
    await expect(statements.query("SELECT $1::int AS n", [1])).rejects.toThrow("the embedded database (PGlite) is closed");
    await expect(statements.transaction(async () => 1)).rejects.toThrow("closed");
  });
});
