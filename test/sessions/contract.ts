// The contract every SessionStore implementation must pass (memory and Redis).
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SessionStore } from "../../src/sessions/store.js";

export function sessionStoreContract(name: string, create: () => Promise<SessionStore>): void {
  describe(`SessionStore contract: ${name}`, () => {
    let store: SessionStore;
    const key = (k: string) => `${randomUUID()}:${k}`;

    beforeAll(async () => {
      store = await create();
    });
    afterAll(async () => {
      await store.close();
    });

    it("round-trips JSON values and deletes them", async () => {
      const k = key("a");
      expect(await store.get(k)).toBeUndefined();
      await store.set(k, { step: "name", draft: { fullName: "Nguyễn Văn A" }, n: 3 }, 60);
      expect(await store.get(k)).toEqual({ step: "name", draft: { fullName: "Nguyễn Văn A" }, n: 3 });
      await store.delete(k);
      expect(await store.get(k)).toBeUndefined();
    });

    it("returns copies, not shared references", async () => {
      const k = key("copy");
      const value = { list: [1] };
      await store.set(k, value, 60);
      value.list.push(2);
      const read = await store.get<{ list: number[] }>(k);
      read!.list.push(3);
      expect(await store.get(k)).toEqual({ list: [1] });
    });

    it("expires values after their TTL", async () => {
      const k = key("ttl");
      await store.set(k, 1, 1);
      expect(await store.get(k)).toBe(1);
      await new Promise((r) => setTimeout(r, 1_200));
      expect(await store.get(k)).toBeUndefined();
    });

    it("compare-and-set: one of many writers at the same version wins, the version moves on", async () => {
      const k = key("cas");
      expect(await store.getVersioned(k)).toEqual({ value: undefined, version: 0 });
      const results = await Promise.all(Array.from({ length: 20 }, (_, i) => store.setIfVersion(k, 0, { writer: i }, 60)));
      expect(results.filter(Boolean)).toHaveLength(1);
      const first = await store.getVersioned<{ writer: number }>(k);
      expect(first).toEqual({ value: { writer: results.indexOf(true) }, version: 1 });
      expect(await store.setIfVersion(k, 0, { writer: -1 }, 60)).toBe(false);
      expect(await store.setIfVersion(k, 1, { writer: 99 }, 60)).toBe(true);
      expect(await store.getVersioned(k)).toEqual({ value: { writer: 99 }, version: 2 });
    });

    it("setIfAbsent lets exactly one of many concurrent callers win", async () => {
      const k = key("nx");
      const results = await Promise.all(Array.from({ length: 20 }, (_, i) => store.setIfAbsent(k, i, 60)));
      expect(results.filter(Boolean)).toHaveLength(1);
      const winner = results.indexOf(true);
      expect(await store.get(k)).toBe(winner);
    });

    it("answers ping", async () => {
      await expect(store.ping()).resolves.toBeUndefined();
    });
  });
}
