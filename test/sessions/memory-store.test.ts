import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { MemorySessionStore } from "../../src/sessions/memory-store.js";
import { sessionStoreContract } from "./contract.js";

sessionStoreContract("memory", async () => new MemorySessionStore());

describe("memory store persistence", () => {
  it("keeps live entries across a graceful restart and drops expired ones", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "cb-mem-"));
    const file = path.join(dir, "sessions.json");
    const first = new MemorySessionStore(Date.now, file);
    await first.set("keep", { step: "birthDate" }, 60);
    await first.set("gone", 1, 1);
    await first.close();
    await new Promise((r) => setTimeout(r, 1_100));
    const second = new MemorySessionStore(Date.now, file);
    expect(await second.get("keep")).toEqual({ step: "birthDate" });
    expect(await second.get("gone")).toBeUndefined();
    await second.close();
    await rm(dir, { recursive: true, force: true });
  });
});
