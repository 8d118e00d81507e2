#!/usr/bin/env bash
# `npm run bench -- [options]`: builds dist/, starts throw-away PostgreSQL and Redis on loopback
# (as the tests do), then runs scripts/bench.ts (see its header for the options).
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/test-services.sh
source scripts/test-services.sh
trap stop_services EXIT
start_services
node scripts/ensure-build.mjs
BENCH_DATABASE_URL="$TEST_DATABASE_URL" BENCH_REDIS_URL="$TEST_REDIS_URL" npx tsx scripts/bench.ts "$@"
