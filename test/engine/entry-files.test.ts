// Submitted entries' files fetched from the platforms (the fake Bot API's getFile and file URL,
// the fake OA's attachment URL) into the file store; a draft's files wait; an expired link is
// retried, then given up with its error. Both database backends.
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { Api } from "grammy";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { telegramFileFetcher } from "../../src/channels/telegram/files.js";
import { zaloFileFetcher } from "../../src/channels/zalo/files.js";
import { SAMPLE_CONTEST_FILE } from "../../src/config.js";
import { EntryFileKeeper, entryFileKey } from "../../src/domain/entry-files.js";
import { DATA } from "../../src/engine/keyboards.js";
import type { InboundEvent } from "../../src/engine/types.js";
import { FolderFileStore } from "../../src/storage/files.js";
import { actor, contestHarness, register, useContestHarness } from "../helpers/contest.js";
import { BACKENDS } from "../helpers/db.js";
import { FakeTelegram } from "../helpers/fake-telegram.js";
import { FakeZalo } from "../helpers/fake-zalo.js";
import { silentLogger } from "../helpers/logger.js";

const PLAN_001 = path.join(path.dirname(SAMPLE_CONTEST_FILE), "..", "plan-001-phu-rieng", "contest.yaml");
const E = DATA.entry;
const press = (data: string): InboundEvent => ({ type: "button", data });

describe.each(BACKENDS)("entries' files kept on %s", (backend) => {
  const h = useContestHarness(backend, (db) => contestHarness(db, PLAN_001, new Date("2020-08-20T02:00:00Z")));
  const telegram = new FakeTelegram();
  const zalo = new FakeZalo();
  let dir: string;
  beforeAll(async () => {
    await Promise.all([telegram.start(), zalo.start()]);
    dir = await mkdtemp(path.join(os.tmpdir(), "cb-entryfiles-"));
  });
  afterAll(async () => {
    await Promise.all([telegram.stop(), zalo.stop()]);
    await rm(dir, { recursive: true, force: true });
  });

  it("fetches submitted entries' files from Telegram and Zalo into the store, and gives up on an expired link", async () => {
    const pdf = randomBytes(50_000);
    const photo = randomBytes(20_000);
    telegram.files.set("doc-1", pdf);
    zalo.hosted.set("anh.jpg", photo);
    const tg = actor("TELEGRAM", "9201");
    const za = actor("ZALO", "z-9202", false);
    await register(h.engine, tg, { name: "Hoàng Thị Mai", phone: "0936200001", unit: "PNV" });
    await register(h.engine, za, { name: "Vũ Văn Long", phone: "0936200002", unit: "PTP" });
    for (const [who, file, title] of [
      [tg, { fileId: "doc-1", name: "Đề án cải cách.pdf", mime: "application/pdf", size: pdf.length }, "Sáng kiến một"],
      [za, { fileId: `${zalo.base}/files/anh.jpg`, name: "anh.jpg", mime: "image/jpeg" }, "Sáng kiến hai"],
    ] as const) {
      await h.engine.handle(who, press(E.start));
      await h.engine.handle(who, press(E.title));
      await h.engine.handle(who, { type: "text", text: title });
      await h.engine.handle(who, press(E.files));
      await h.engine.handle(who, { type: "file", ...file });
    }
    // An entry still a draft keeps only the reference.
    const store = new FolderFileStore(path.join(dir, "files"));
    const api = new Api("123:TEST", { apiRoot: telegram.apiRoot });
    const keeper = new EntryFileKeeper(
      h.db.prisma,
      store,
      { TELEGRAM: telegramFileFetcher(api, "123:TEST", telegram.apiRoot), ZALO: zaloFileFetcher },
      silentLogger,
      10 * 1024 * 1024,
    );
    expect(await keeper.run()).toBe(0);

    await h.engine.handle(tg, press(E.submit));
    await h.engine.handle(za, press(E.submit));
    expect(await keeper.run()).toBe(2);
    const files = await h.db.prisma.entryFile.findMany({ include: { entry: true }, orderBy: { filename: "asc" } });
    for (const f of files) expect(f.storeKey).toBe(entryFileKey(f.entry.contestId, f.entry.code, f.position, f.filename));
    expect(files[0]!.storeKey).toMatch(/\/1-anh\.jpg$/);
    expect(files[1]!.storeKey).toMatch(/\/1-de-an-cai-cach\.pdf$/);
    expect((await store.get(files[1]!.storeKey!))?.equals(pdf)).toBe(true);
    expect((await store.get(files[0]!.storeKey!))?.equals(photo)).toBe(true);
    expect(await keeper.run()).toBe(0); // nothing left to keep

    // A Zalo link that expired before it was fetched: retried a few times, then given up with the reason.
    const late = actor("ZALO", "z-9203", false);
    await register(h.engine, late, { name: "Đinh Văn Nam", phone: "0936200003", unit: "PTP" });
    await h.engine.handle(late, press(E.start));
    await h.engine.handle(late, press(E.title));
    await h.engine.handle(late, { type: "text", text: "Sáng kiến ba" });
    await h.engine.handle(late, { type: "file", fileId: `${zalo.base}/files/het-han.pdf`, name: "het-han.pdf", mime: "application/pdf" });
    await h.engine.handle(late, press(E.submit));
    for (let i = 0; i < 6; i++) await keeper.run();
    const lost = await h.db.prisma.entryFile.findFirstOrThrow({ where: { filename: "het-han.pdf" } });
    expect(lost).toMatchObject({ storeKey: null, tries: 5 });
    expect(lost.lastError).toContain("404");
  });
});
