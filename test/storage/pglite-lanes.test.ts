// The embedded database's two lanes (src/storage/pglite-lanes.ts): an urgent statement (an inbox
// record, what a webhook's acknowledgement waits for) goes before the normal work waiting, and
// never into the middle of a transaction; the lock changes hands in a task of its own.
import { PGlite } from "@electric-sql/pglite";
import { afterAll, describe, expect, it } from "vitest";
import { pgliteLanes } from "../../src/storage/pglite-lanes.js";

describe("PGlite lanes", () => {
  const client = new PGlite("memory://");
  afterAll(() => client.close());

  it("runs an urgent statement before the normal ones waiting, after the transaction in progress", async () => {
    const { normal, urgent } = pgliteLanes(client);
    await normal.exec("CREATE TABLE seen (n serial PRIMARY KEY, who text NOT NULL)");
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const inTransaction = normal.transaction(async (tx) => {
      await tx.query("INSERT INTO seen (who) VALUES ('transaction start')");
      await gate;
      await tx.query("INSERT INTO seen (who) VALUES ('transaction end')");
    });
    await new Promise((resolve) => setTimeout(resolve, 20)); // the transaction holds the lock
    const queued = [1, 2].map((i) => normal.query(`INSERT INTO seen (who) VALUES ('normal ${i}')`));
    const urgentInsert = urgent(() => client.query("INSERT INTO seen (who) VALUES ('urgent')"));
    release();
    await Promise.all([inTransaction, ...queued, urgentInsert]);
    const { rows } = await normal.query<{ who: string }>("SELECT who FROM seen ORDER BY n");
    expect(rows.map((r) => r.who)).toEqual(["transaction start", "transaction end", "urgent", "normal 1", "normal 2"]);
  });

  it("lets the event loop run between two waiting statements (a webhook read and recorded between them)", async () => {
    const { normal } = pgliteLanes(client);
    const order: string[] = [];
    const statements = [1, 2, 3].map((i) => normal.query(`SELECT ${i}`).then(() => order.push(`statement ${i}`)));
    setImmediate(() => order.push("a task"));
    await Promise.all(statements);
    // Handed over within one microtask drain, all three ran before any task could.
    expect(order.indexOf("a task")).toBeGreaterThan(-1);
    expect(order.indexOf("a task")).toBeLessThan(order.indexOf("statement 3"));
  });

  it("keeps serving after a failed statement", async () => {
    const { normal, urgent } = pgliteLanes(client);
    await expect(normal.query("SELECT * FROM missing_table")).rejects.toThrow(/missing_table/);
    await expect(urgent(() => client.query("SELECT nope"))).rejects.toThrow();
    expect((await urgent(() => client.query<{ one: number }>("SELECT 1 AS one"))).rows).toEqual([{ one: 1 }]);
  });
});
