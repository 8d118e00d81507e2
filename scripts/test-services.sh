# Throw-away PostgreSQL and Redis servers on loopback for the test suite. Sourced by
# scripts/test.sh. Installs Debian's packages when missing (as root), starts each server in a
# temporary folder on a free port, exports TEST_DATABASE_URL and TEST_REDIS_URL, and
# `stop_services` removes everything again. Already-set TEST_* URLs are used as they are.

SERVICES_TMP=""

free_port() {
  node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}

pg_bin_dir() {
  ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1
}

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    echo "test-services: need root to run: $*" >&2; return 1; fi
}

ensure_packages() {
  local missing=()
  command -v redis-server >/dev/null || missing+=(redis-server)
  [ -n "$(pg_bin_dir)" ] && [ -x "$(pg_bin_dir)/initdb" ] || missing+=(postgresql)
  command -v chromium >/dev/null || missing+=(chromium)  # browser tests of the simulator
  command -v pdftoppm >/dev/null || missing+=(poppler-utils)  # certificates rendered to PNG and text
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "test-services: installing ${missing[*]} from Debian's packages" >&2
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  # Debian starts the packaged servers on install; the tests use their own, so stop those.
  as_root service redis-server stop >/dev/null 2>&1 || true
  as_root service postgresql stop >/dev/null 2>&1 || true
}

# Runs a PostgreSQL command as an unprivileged user: initdb and postgres refuse to run as root.
as_pg_user() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

start_redis() {
  local port; port=$(free_port)
  mkdir -p "$SERVICES_TMP/redis"
  redis-server --port "$port" --bind 127.0.0.1 --dir "$SERVICES_TMP/redis" --save '' --appendonly yes --appendfsync everysec \
    --daemonize yes --pidfile "$SERVICES_TMP/redis/redis.pid" --logfile "$SERVICES_TMP/redis/redis.log"
  for _ in $(seq 50); do redis-cli -p "$port" ping >/dev/null 2>&1 && break; sleep 0.1; done
  redis-cli -p "$port" ping >/dev/null || { cat "$SERVICES_TMP/redis/redis.log" >&2; return 1; }
  export TEST_REDIS_URL="redis://127.0.0.1:$port"
}

start_postgres() {
  local port bin; port=$(free_port); bin=$(pg_bin_dir)
  mkdir -p "$SERVICES_TMP/pg"
  [ "$(id -u)" = 0 ] && chown postgres "$SERVICES_TMP/pg"
  as_pg_user "$bin/initdb" -D "$SERVICES_TMP/pg/data" -U postgres -A trust --no-sync -E UTF8 >/dev/null
  as_pg_user "$bin/pg_ctl" -D "$SERVICES_TMP/pg/data" -l "$SERVICES_TMP/pg/log" -w -t 60 \
    -o "-p $port -k $SERVICES_TMP/pg -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200 -c shared_preload_libraries=pg_stat_statements" \
    start >/dev/null || { cat "$SERVICES_TMP/pg/log" >&2; return 1; }
  export TEST_DATABASE_URL="postgresql://postgres@127.0.0.1:$port/postgres"
}

start_services() {
  if [ -n "${TEST_DATABASE_URL:-}" ] && [ -n "${TEST_REDIS_URL:-}" ]; then return 0; fi
  ensure_packages
  SERVICES_TMP=$(mktemp -d /tmp/contest-bot-test.XXXXXX)
  chmod 755 "$SERVICES_TMP"
  [ -n "${TEST_REDIS_URL:-}" ] || start_redis
  [ -n "${TEST_DATABASE_URL:-}" ] || start_postgres
  export TEST_REDIS_SERVER_BIN; TEST_REDIS_SERVER_BIN=$(command -v redis-server)
  echo "test-services: PostgreSQL at ${TEST_DATABASE_URL%%/postgres}, Redis at $TEST_REDIS_URL" >&2
}

stop_services() {
  [ -n "$SERVICES_TMP" ] || return 0
  if [ -f "$SERVICES_TMP/redis/redis.pid" ]; then kill "$(cat "$SERVICES_TMP/redis/redis.pid")" 2>/dev/null || true; fi
  if [ -d "$SERVICES_TMP/pg/data" ]; then
    as_pg_user "$(pg_bin_dir)/pg_ctl" -D "$SERVICES_TMP/pg/data" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$SERVICES_TMP"
  SERVICES_TMP=""
}
