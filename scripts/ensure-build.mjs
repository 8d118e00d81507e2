// Runs before `npm start` and `npm run cli`: builds dist/ when it is missing or older than any
// file under src/ (or the tsconfig), so production runs compiled JavaScript and a developer
// never runs a stale build. A fresh build is left alone (no compiler needed to start).
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
const stamp = path.join(root, "dist", ".build-stamp");

function newest(dir) {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(full) : statSync(full).mtimeMs);
  }
  return latest;
}

const sources = Math.max(
  newest(path.join(root, "src")),
  statSync(path.join(root, "tsconfig.json")).mtimeMs,
  statSync(path.join(root, "tsconfig.build.json")).mtimeMs,
);
if (!existsSync(stamp) || statSync(stamp).mtimeMs < sources) {
  console.error("building dist/ (sources changed since the last build)…");
  execFileSync(process.execPath, [path.join(root, "scripts", "build.mjs")], { stdio: "inherit" });
}
