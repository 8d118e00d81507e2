// Headless Chromium for the browser tests: Debian's package (CHROMIUM_PATH to use another)
// driven by playwright-core, and the folder their screenshots go to.
import { mkdir } from "node:fs/promises";
import path from "node:path";
import { type Browser, chromium } from "playwright-core";

export const ARTIFACTS = path.resolve("test-artifacts");

export async function launchChromium(extraArgs: string[] = []): Promise<Browser> {
  await mkdir(ARTIFACTS, { recursive: true });
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", ...extraArgs],
  });
}
