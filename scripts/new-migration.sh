#!/usr/bin/env bash
# Creates prisma/migrations/<timestamp>_<name>/migration.sql from the difference between the
# schema at a git revision (default HEAD: the schema the existing migrations produce) and the
# working prisma/schema.prisma. Pure schema-to-schema diff: no database, works offline.
set -euo pipefail
cd "$(dirname "$0")/.."
name=${1:?usage: npm run db:new-migration -- <name> [base-revision]}
base=${2:-HEAD}
[[ $name =~ ^[a-z0-9_]+$ ]] || { echo "name: lower-case letters, digits and _ only" >&2; exit 2; }
old=$(mktemp --suffix=.prisma)
git show "$base:prisma/schema.prisma" > "$old"
out=$(mktemp)
trap 'rm -f "$old" "$out" "$out.err"' EXIT
# The CLI prints the script and then does not always exit (seen with Prisma 6.19's JS schema
# engine): supervise it and stop it once its output has been stable for 3 seconds.
node_modules/.bin/prisma migrate diff --from-schema-datamodel "$old" --to-schema-datamodel prisma/schema.prisma --script >"$out" 2>"$out.err" &
pid=$!
last=-1; stable=0
for _ in $(seq 240); do
  kill -0 "$pid" 2>/dev/null || break
  size=$(stat -c %s "$out")
  if [ "$size" -gt 0 ] && [ "$size" = "$last" ]; then stable=$((stable + 1)); else stable=0; fi
  last=$size
  [ "$stable" -ge 6 ] && { kill "$pid" 2>/dev/null; break; }
  sleep 0.5
done
wait "$pid" 2>/dev/null || true
sql=$(cat "$out")
[ -n "$sql" ] || { cat "$out.err" >&2; echo "prisma migrate diff printed nothing" >&2; exit 1; }
if grep -q "This is an empty migration" <<<"$sql"; then echo "schema unchanged since $base: nothing to do"; exit 0; fi
dir="prisma/migrations/$(date -u +%Y%m%d%H%M%S)_$name"
mkdir -p "$dir"
printf '%s\n' "$sql" > "$dir/migration.sql"
echo "wrote $dir/migration.sql: review it, then run the tests (they apply it on PGlite and PostgreSQL)"
