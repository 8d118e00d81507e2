/** Servers that scripts/test.sh starts; a missing one is a set-up error, not a skip. */
export function requireEnv(name: "TEST_DATABASE_URL" | "TEST_REDIS_URL" | "TEST_REDIS_SERVER_BIN"): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the suite with \`npm test\`, which starts the test servers`);
  return value;
}
