// Keeping submitted entries' files: a file sent in chat is only the platform's reference until
// its entry is submitted; then the background fetches its bytes (Telegram: getFile and the file
// URL; Zalo: the attachment's URL, which expires) and writes them to the file store. Storing is
// idempotent (the key is fixed per entry and position), so two instances fetching the same file
// at once only write it twice; a fetch that keeps failing is given up after MAX_TRIES with its
// error on the row.
import type { Platform, PrismaClient } from "../generated/prisma/client.js";
import type { Logger } from "../logger.js";
import type { FileStore } from "../storage/files.js";
import { fold } from "../text/normalize.js";

/** Fetches a file's bytes from its platform by the reference the chat gave. */
export type FileFetcher = (fileId: string, maxBytes: number) => Promise<Buffer>;

const MAX_TRIES = 5;
const BATCH = 10;

/** The store's key of an entry's file: ASCII only, the name kept readable. */
export function entryFileKey(contestId: string, code: string, position: number, filename: string): string {
  const safe =
    fold(filename)
      .replace(/[^A-Za-z0-9._-]+/g, "-")
      .replace(/^[-.]+|-+$/g, "")
      .slice(0, 80) || "tep";
  return `entries/${contestId}/${code}/${position + 1}-${safe}`;
}

export class EntryFileKeeper {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly store: FileStore,
    private readonly fetchers: Partial<Record<Platform, FileFetcher>>,
    private readonly logger: Logger,
    private readonly maxBytes: number,
  ) {}

  /** Keeps the files of submitted entries not kept yet; returns how many were stored. */
  async run(): Promise<number> {
    const pending = await this.prisma.entryFile.findMany({
      where: { storeKey: null, tries: { lt: MAX_TRIES }, entry: { status: "SUBMITTED" } },
      include: { entry: { select: { contestId: true, code: true } } },
      orderBy: { entryId: "asc" },
      take: BATCH,
    });
    let stored = 0;
    for (const file of pending) {
      const fetch = this.fetchers[file.platform];
      try {
        if (!fetch) throw new Error(`no way to fetch files from ${file.platform}`);
        const bytes = await fetch(file.platformFileId, this.maxBytes);
        const key = entryFileKey(file.entry.contestId, file.entry.code, file.position, file.filename);
        await this.store.put(key, bytes, file.mimeType);
        await this.prisma.entryFile.update({
          where: { id: file.id },
          data: { storeKey: key, storedAt: new Date(), size: bytes.length, lastError: null },
        });
        stored++;
      } catch (error) {
        const message = (error as Error).message.slice(0, 500);
        this.logger.warn({ err: message, entry: file.entry.code, file: file.position }, "entry file not kept yet");
        await this.prisma.entryFile.update({ where: { id: file.id }, data: { tries: { increment: 1 }, lastError: message } });
      }
    }
    return stored;
  }
}
