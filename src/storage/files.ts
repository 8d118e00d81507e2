// Where uploaded files live (written entries' attachments): a folder under DATA_DIR by
// default, any S3-compatible object store when FILES_S3_* is configured. Keys are chosen by the
// caller (safe characters only, checked here); bytes are written whole (entries' files are a few
// megabytes at most, capped by the contest file).
import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import type { S3Client } from "@aws-sdk/client-s3";

export interface FileStore {
  readonly kind: "folder" | "s3";
  put(key: string, bytes: Buffer, contentType: string): Promise<void>;
  /** The file's bytes, or undefined when there is none under the key. */
  get(key: string): Promise<Buffer | undefined>;
  delete(key: string): Promise<void>;
}

const KEY = /^[A-Za-z0-9][A-Za-z0-9._-]*(\/[A-Za-z0-9][A-Za-z0-9._-]*)*$/;

function checkedKey(key: string): string {
  if (!KEY.test(key) || key.length > 400) throw new Error(`file key not allowed: ${key.slice(0, 60)}`);
  return key;
}

export class FolderFileStore implements FileStore {
  readonly kind = "folder";
  constructor(private readonly root: string) {}

  private file(key: string): string {
    return path.join(this.root, ...checkedKey(key).split("/"));
  }

  async put(key: string, bytes: Buffer): Promise<void> {
    const file = this.file(key);
    await mkdir(path.dirname(file), { recursive: true });
    // Written beside, then renamed: a reader never sees half a file.
    const partial = `${file}.part`;
    await writeFile(partial, bytes);
    await rename(partial, file);
  }

  async get(key: string): Promise<Buffer | undefined> {
    try {
      return await readFile(this.file(key));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    await rm(this.file(key), { force: true });
  }
}

/** The store the configuration asks for: S3 when FILES_S3_* is set, else a folder under DATA_DIR. */
export function openFileStore(config: { dataDir: string; filesS3?: S3Settings }): FileStore {
  return config.filesS3 ? new S3FileStore(config.filesS3) : new FolderFileStore(path.join(config.dataDir, "files"));
}

export interface S3Settings {
  endpoint?: string;
  region: string;
  bucket: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** Path-style URLs (bucket in the path): what S3-compatible servers (MinIO, s3rver…) expect. */
  forcePathStyle: boolean;
}

export class S3FileStore implements FileStore {
  readonly kind = "s3";
  // The AWS SDK (~15 MiB resident) loads with the first file stored or read, not at start-up.
  private sdk: Promise<{ s3: typeof import("@aws-sdk/client-s3"); client: S3Client }> | undefined;

  constructor(private readonly settings: S3Settings) {}

  private connect() {
    this.sdk ??= import("@aws-sdk/client-s3").then((s3) => ({
      s3,
      client: new s3.S3Client({
        endpoint: this.settings.endpoint,
        region: this.settings.region,
        forcePathStyle: this.settings.forcePathStyle,
        credentials: { accessKeyId: this.settings.accessKeyId, secretAccessKey: this.settings.secretAccessKey },
      }),
    }));
    return this.sdk;
  }

  async put(key: string, bytes: Buffer, contentType: string): Promise<void> {
    const { s3, client } = await this.connect();
    await client.send(
      new s3.PutObjectCommand({ Bucket: this.settings.bucket, Key: checkedKey(key), Body: bytes, ContentType: contentType }),
    );
  }

  async get(key: string): Promise<Buffer | undefined> {
    const { s3, client } = await this.connect();
    try {
      const res = await client.send(new s3.GetObjectCommand({ Bucket: this.settings.bucket, Key: checkedKey(key) }));
      return res.Body ? Buffer.from(await res.Body.transformToByteArray()) : undefined;
    } catch (error) {
      if (error instanceof s3.NoSuchKey || (error as { name?: string }).name === "NoSuchKey") return undefined;
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    const { s3, client } = await this.connect();
    await client.send(new s3.DeleteObjectCommand({ Bucket: this.settings.bucket, Key: checkedKey(key) }));
  }

  async close(): Promise<void> {
    if (this.sdk) (await this.sdk).client.destroy();
  }
}
