// The console's doors over HTTP: the first organizer from this machine only, sign-in with the
// form token, failed sign-ins slowed down, sessions that end at sign-out, CSRF on every POST,
// and roles enforced on the server (403), on both database backends.
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAccount } from "../../src/console/auth/accounts.js";
import { BACKENDS } from "../helpers/db.js";
import { backendEnv, startServer, type TestServer } from "../helpers/server.js";

/** A browser-like agent: keeps cookies, reads the hidden form fields of the last page. */
function visitor(server: TestServer["server"]) {
  const agent = request.agent(server);
  let last = "";
  const field = (name: string) => new RegExp(`name="${name}" value="([^"]+)"`).exec(last)?.[1] ?? "";
  return {
    agent,
    async get(path: string) {
      const res = await agent.get(path);
      last = res.text;
      return res;
    },
    field,
    /** Posts a form of the last page, with its hidden tokens unless told otherwise. */
    async post(path: string, form: Record<string, string>, tokens = true) {
      const hidden = tokens ? { _form: field("_form"), _csrf: field("_csrf") } : {};
      const res = await agent
        .post(path)
        .type("form")
        .send({ ...hidden, ...form });
      last = res.text;
      return res;
    },
  };
}

describe.each(BACKENDS)("console sign-in, sessions and roles on %s", (backend) => {
  let running: TestServer;
  let drop: () => Promise<void>;
  beforeAll(async () => {
    const settings = await backendEnv(backend);
    drop = settings.drop;
    running = await startServer(settings.env);
  });
  afterAll(async () => {
    await running?.destroy();
    await drop?.();
  });

  it("creates the first organizer from this machine only once, then signs in and out", async () => {
    const v = visitor(running.server);
    expect((await v.get("/admin")).headers.location).toBe("/admin/login");
    expect((await v.get("/admin/login")).text).toContain("/admin/setup");
    expect((await v.get("/admin/setup")).status).toBe(200);
    expect((await v.post("/admin/setup", { name: "Thư ký", login: "thuky", password: "mat-khau-dai-1" }, false)).status).toBe(403);
    await v.get("/admin/setup");
    const created = await v.post("/admin/setup", { name: "Thư ký Cuộc thi", login: "thuky", password: "mat-khau-dai-1" });
    expect([created.status, created.headers.location]).toEqual([303, "/admin"]);
    const session = ([] as string[]).concat(created.headers["set-cookie"] ?? []).find((c) => c.startsWith("cb_console="))!;
    expect(session).toMatch(/HttpOnly/i);
    expect(session).toMatch(/SameSite=Lax/i);
    const dashboard = await v.get("/admin");
    expect(dashboard.status).toBe(200);
    expect(dashboard.text).toContain("Thư ký Cuộc thi");
    expect((await v.get("/admin/setup")).status).toBe(404); // an account exists now

    // Sign-out needs the CSRF token; afterwards the old cookie opens nothing.
    expect((await v.post("/admin/logout", {}, false)).status).toBe(403);
    await v.get("/admin");
    expect((await v.post("/admin/logout", {})).headers.location).toBe("/admin/login");
    const replay = await request(running.server).get("/admin").set("Cookie", session.split(";")[0]!);
    expect(replay.headers.location).toBe("/admin/login");
  });

  it("slows down a login after five wrong passwords, even for the right one", async () => {
    await createAccount(
      running.db.prisma,
      { login: "totruong", name: "Tổ trưởng", role: "UNIT_ADMIN", unitCode: "TDP01", password: "dung-mat-khau" },
      ["TDP01"],
    );
    const v = visitor(running.server);
    for (let i = 0; i < 5; i++) {
      await v.get("/admin/login");
      const wrong = await v.post("/admin/login", { login: "totruong", password: `sai-${i}` });
      expect(wrong.status).toBe(401);
      expect(wrong.text).toContain("không đúng");
    }
    await v.get("/admin/login");
    const slowed = await v.post("/admin/login", { login: "totruong", password: "dung-mat-khau" });
    expect(slowed.status).toBe(429);
    expect(Number(slowed.headers["retry-after"])).toBeGreaterThan(0);
    expect(slowed.text).toContain("thử lại sau");
    expect(await running.db.prisma.signInFailure.count({ where: { login: "totruong" } })).toBe(5);
    // A sign-in form posted from elsewhere (no matching form token) is refused.
    expect((await v.post("/admin/login", { login: "thuky", password: "mat-khau-dai-1" }, false)).status).toBe(403);
  });

  it("refuses a POST without the CSRF token and keeps unit admins out of organizers' pages and other units", async () => {
    await createAccount(
      running.db.prisma,
      { login: "kp2", name: "Trưởng khu phố 2", role: "UNIT_ADMIN", unitCode: "KP2", password: "khu-pho-hai-2" },
      ["KP2"],
    );
    const organizer = visitor(running.server);
    await organizer.get("/admin/login");
    expect((await organizer.post("/admin/login", { login: "thuky", password: "mat-khau-dai-1" })).headers.location).toBe("/admin");
    await organizer.get("/admin/rounds/1");
    expect((await organizer.post("/admin/rounds/1/close", { confirm: "yes" }, false)).status).toBe(403);
    await organizer.get("/admin/rounds/1");
    expect((await organizer.post("/admin/rounds/1/close", {})).status).toBe(400); // the confirmation box is required

    // Uploads: the CSRF token is required, a stray file field or a second file is a 400, a big file a 413.
    await organizer.get("/admin/questions");
    const csrf = organizer.field("_csrf");
    const upload = () => organizer.agent.post("/admin/questions/upload");
    expect((await upload().attach("file", Buffer.from("a,b"), "bank.csv")).status).toBe(403);
    expect((await upload().field("_csrf", csrf).attach("other", Buffer.from("a,b"), "bank.csv")).status).toBe(400);
    expect(
      (await upload().field("_csrf", csrf).attach("file", Buffer.from("a"), "a.csv").attach("file", Buffer.from("b"), "b.csv")).status,
    ).toBe(400);
    expect(
      (
        await upload()
          .field("_csrf", csrf)
          .attach("file", Buffer.alloc(11 * 1024 * 1024), "big.csv")
      ).status,
    ).toBe(413);
    expect((await upload().field("_csrf", csrf).attach("file", Buffer.from("MZ"), "virus.exe")).status).toBe(400);
    expect(await running.db.prisma.round.count({ where: { closedAt: { not: null } } })).toBe(0);

    const unit = visitor(running.server);
    await unit.get("/admin/login");
    expect((await unit.post("/admin/login", { login: "kp2", password: "khu-pho-hai-2" })).headers.location).toBe("/admin");
    expect((await unit.get("/admin/units/TDP04")).status).toBe(200); // in KP2
    expect((await unit.get("/admin/units/TDP01")).status).toBe(403); // in KP1
    expect((await unit.get("/admin/units/TDP01/poster.pdf")).status).toBe(403);
    expect((await unit.get("/admin/accounts")).status).toBe(403);
    expect((await unit.get("/admin/audit")).status).toBe(403);
    expect((await unit.get("/admin/rounds/1/ranking.xlsx")).status).toBe(403);
    expect((await unit.agent.post("/admin/questions/upload").attach("file", Buffer.from("a,b"), "bank.csv")).status).toBe(403);
    await unit.get("/admin/rounds/1");
    expect((await unit.post("/admin/rounds/1/close", { confirm: "yes" })).status).toBe(403);
    const units = await unit.get("/admin/units");
    expect(units.text).toContain("Tổ dân phố số 4");
    expect(units.text).not.toContain("Tổ dân phố số 1");
    expect(await running.db.prisma.round.count({ where: { closedAt: { not: null } } })).toBe(0);
  });
});
