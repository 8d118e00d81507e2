#!/usr/bin/env bash
# `npm test`: the whole suite, against the embedded defaults and real PostgreSQL and Redis
# servers that this script installs (when missing) and starts on loopback for the run.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/test-services.sh
source scripts/test-services.sh
trap stop_services EXIT
start_services
npx vitest run "$@"
