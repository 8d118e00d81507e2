// Reading PDFs back with Debian's poppler-utils (installed by scripts/test-services.sh): the
// text as a reader's software extracts it, the page count, and a page rendered to PNG.
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { PNG } from "pngjs";

const run = promisify(execFile);

async function withFile<T>(pdf: Buffer, fn: (file: string, dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(path.join(tmpdir(), "pdf-"));
  try {
    const file = path.join(dir, "in.pdf");
    await writeFile(file, pdf);
    return await fn(file, dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export const pdfText = (pdf: Buffer): Promise<string> =>
  withFile(pdf, async (file) => (await run("pdftotext", ["-layout", "-enc", "UTF-8", file, "-"])).stdout);

export const pdfPages = (pdf: Buffer): Promise<number> =>
  withFile(pdf, async (file) => Number(/^Pages:\s+(\d+)/m.exec((await run("pdfinfo", [file])).stdout)?.[1]));

/** Page `page` rendered at `dpi` as a decoded PNG (plus its encoded size in bytes). */
export const pdfPagePng = (pdf: Buffer, page: number, dpi: number): Promise<{ png: PNG; bytes: number }> =>
  withFile(pdf, async (file, dir) => {
    await run("pdftoppm", ["-png", "-r", String(dpi), "-f", String(page), "-l", String(page), "-singlefile", file, path.join(dir, "page")]);
    const encoded = await readFile(path.join(dir, "page.png"));
    return { png: PNG.sync.read(encoded), bytes: encoded.length };
  });
