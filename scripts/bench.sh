#!/usr/bin/env bash
# `npm run bench -- [options]`: builds dist/, starts throw-away PostgreSQL and Redis on loopback
# (as the tests do), then runs scripts/bench.ts (see its header for the options).
# `npm run bench -- results [--attempts N]` runs the organizer-side benchmark instead
# (scripts/bench/results-scale.ts: closing and exporting a round of a million attempts), and
# `npm run bench -- midway [--people N]` the memory one (scripts/bench/midway.ts), and
# `npm run bench -- statements` what a statement costs on the embedded database
# (scripts/bench/embedded-statements.ts).
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/test-services.sh
source scripts/test-services.sh
trap stop_services EXIT
start_services
node scripts/ensure-build.mjs
program=scripts/bench.ts
case "${1:-}" in
  results) program=scripts/bench/results-scale.ts; shift ;;
  midway) program=scripts/bench/midway.ts; shift ;;
  statements) program=scripts/bench/embedded-statements.ts; shift ;;
esac
BENCH_DATABASE_URL="$TEST_DATABASE_URL" BENCH_REDIS_URL="$TEST_REDIS_URL" npx tsx "$program" "$@"
