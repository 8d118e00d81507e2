import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig, SAMPLE_CONTEST_FILE } from "../src/config.js";

describe("configuration", () => {
  it("has embedded defaults when nothing is set", () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      port: 3000,
      databaseUrl: undefined,
      redisUrl: undefined,
      contestFile: SAMPLE_CONTEST_FILE,
      simulator: true,
      telegram: undefined,
      zalo: undefined,
    });
    expect(config.dataDir).toMatch(/data$/);
  });

  it("turns the simulator off in production unless forced", () => {
    expect(loadConfig({ NODE_ENV: "production" }).simulator).toBe(false);
    expect(loadConfig({ NODE_ENV: "production", SIMULATOR: "on" }).simulator).toBe(true);
    expect(loadConfig({ SIMULATOR: "off" }).simulator).toBe(false);
  });

  it("names every wrong or missing variable in one error", () => {
    let error: unknown;
    try {
      loadConfig({
        PORT: "abc",
        DATABASE_URL: "mysql://x",
        REDIS_URL: "localhost:6379",
        SIMULATOR: "maybe",
        TELEGRAM_BOT_TOKEN: "123:abc",
        ZALO_APP_ID: "42",
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as ConfigError).message;
    for (const name of [
      "PORT",
      "DATABASE_URL",
      "REDIS_URL",
      "SIMULATOR",
      "TELEGRAM_WEBHOOK_SECRET",
      "ZALO_OA_SECRET_KEY",
      "ZALO_APP_SECRET",
    ]) {
      expect(message).toContain(name);
    }
    expect((error as ConfigError).problems).toHaveLength(7);
  });

  it("accepts a complete Telegram and Zalo set-up", () => {
    const config = loadConfig({
      TELEGRAM_BOT_TOKEN: "123:abc",
      TELEGRAM_WEBHOOK_SECRET: "s3cret_token-1",
      ZALO_APP_ID: "1",
      ZALO_APP_SECRET: "x",
      ZALO_OA_SECRET_KEY: "y",
      DATABASE_URL: "postgresql://u@127.0.0.1/db",
      REDIS_URL: "redis://127.0.0.1:6379",
    });
    expect(config.telegram?.mode).toBe("webhook");
    expect(config.zalo?.apiBase).toBe("https://openapi.zalo.me");
  });
});
