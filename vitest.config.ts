import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: "forks",
    // Two cores: PGlite start-up is CPU-heavy, so keep parallel files low.
    maxWorkers: 2,
  },
});
