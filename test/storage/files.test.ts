// The file store behind written entries' attachments, the same tests against a local folder and
// an S3-compatible server (s3rver, run on loopback in a temporary folder).
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import S3rver from "s3rver";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FileStore, FolderFileStore, S3FileStore } from "../../src/storage/files.js";

const kinds = ["folder", "s3"] as const;

describe.each(kinds)("file store: %s", (kind) => {
  let dir: string;
  let store: FileStore;
  let server: S3rver | undefined;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "cb-files-"));
    if (kind === "folder") {
      store = new FolderFileStore(path.join(dir, "files"));
      return;
    }
    server = new S3rver({
      address: "127.0.0.1",
      port: 0,
      silent: true,
      directory: dir,
      configureBuckets: [{ name: "entries", configs: [] }],
    });
    const { port } = await server.run();
    store = new S3FileStore({
      endpoint: `http://127.0.0.1:${port}`,
      region: "us-east-1",
      bucket: "entries",
      accessKeyId: "S3RVER",
      secretAccessKey: "S3RVER",
      forcePathStyle: true,
    });
  });
  afterAll(async () => {
    if (store instanceof S3FileStore) await store.close();
    await server?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("keeps bytes exactly, overwrites, deletes, and says when a file is missing", async () => {
    const bytes = randomBytes(300_000);
    await store.put("contest-1/entry-9/1-ban-ve.pdf", bytes, "application/pdf");
    expect((await store.get("contest-1/entry-9/1-ban-ve.pdf"))?.equals(bytes)).toBe(true);
    await store.put("contest-1/entry-9/1-ban-ve.pdf", Buffer.from("phiên bản 2"), "application/pdf");
    expect((await store.get("contest-1/entry-9/1-ban-ve.pdf"))?.toString()).toBe("phiên bản 2");
    await store.delete("contest-1/entry-9/1-ban-ve.pdf");
    expect(await store.get("contest-1/entry-9/1-ban-ve.pdf")).toBeUndefined();
    expect(await store.get("contest-1/never-written.txt")).toBeUndefined();
  });

  it("refuses keys that could leave its folder or bucket", async () => {
    for (const key of ["../escape.txt", "/abs.txt", "a//b.txt", "a/../../b", "tên có dấu.pdf"]) {
      await expect(store.put(key, Buffer.from("x"), "text/plain")).rejects.toThrow(/not allowed/);
    }
  });
});
