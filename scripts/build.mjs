// `npm run build`: compile src/ to dist/ with tsc (incremental), copy the non-TS assets the
// code reads at run time (the simulator page, the console's styles and script), and stamp the build.
import { execFileSync } from "node:child_process";
import { cpSync, readdirSync, writeFileSync } from "node:fs";
import path from "node:path";

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
execFileSync(
  process.execPath,
  [path.join(root, "node_modules", "typescript", "bin", "tsc"), "-p", path.join(root, "tsconfig.build.json")],
  { stdio: "inherit" },
);
const copyAssets = (dir) => {
  for (const entry of readdirSync(path.join(root, "src", dir), { withFileTypes: true })) {
    const rel = path.join(dir, entry.name);
    if (entry.isDirectory()) copyAssets(rel);
    else if (/\.(html|css|js)$/.test(entry.name)) cpSync(path.join(root, "src", rel), path.join(root, "dist", rel));
  }
};
copyAssets("");
writeFileSync(path.join(root, "dist", ".build-stamp"), new Date().toISOString());
