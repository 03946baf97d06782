#!/usr/bin/env bash
# Measures the store before and after a change in one sitting: builds LeadScore.Benchmarks at two
# commits (in temporary git worktrees) and runs store-ingest and store-bulk with each in turn, before
# then after, ROUNDS times, on SQLite and on a PostgreSQL 15 started for each run (fsync on). Alternating
# spreads the machine's noise over both builds; report both rounds of each (docs/performance.md).
# Usage: bench/run-store-ab.sh BEFORE AFTER [rounds] [sqlite-contacts] [postgres-contacts]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
before="${1:?the commit before the change}"
after="${2:?the commit after the change}"
rounds="${3:-2}"
sqlite_contacts="${4:-50000}"
pg_contacts="${5:-20000}"
bin="${LEADSCORE_PG_BIN:-/usr/lib/postgresql/15/bin}"
work="$(mktemp -d /tmp/leadscore-ab-XXXXXX)"
chmod 755 "$work" # the postgres user runs the server in a folder below it
as_postgres() { if [ "$(id -u)" = "0" ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
cleanup() {
  for pg in "$work"/run-*/pg; do
    if [ -d "$pg" ]; then as_postgres "$bin/pg_ctl" -D "$pg" stop -m immediate >/dev/null 2>&1 || true; fi
  done
  git worktree remove --force "$work/before" >/dev/null 2>&1 || true
  git worktree remove --force "$work/after" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

for side in before after; do
  git worktree add --detach "$work/$side" "${!side}" >/dev/null
  dotnet build "$work/$side/bench/LeadScore.Benchmarks" -c Release -v quiet --nologo >/dev/null
done

run=0
for round in $(seq "$rounds"); do
  for side in before after; do
    run=$((run + 1))
    dir="$work/run-$run"
    mkdir -p "$dir"
    bench() { dotnet "$work/$side/bench/LeadScore.Benchmarks/bin/Release/net10.0/LeadScore.Benchmarks.dll" "$@"; }
    echo "== round $round, $side ($(git rev-parse --short "${!side}")), load $(cut -d' ' -f1 /proc/loadavg)"
    bench store-ingest "$dir/ingest.db" "$sqlite_contacts" 10 random | grep -E "median|bulk"
    bench store-bulk "$dir/bulk.db" "$sqlite_contacts" 20 | grep -E "median|bulk re-score"
    if [ -x "$bin/postgres" ]; then
      port=$((20000 + RANDOM % 20000))
      mkdir -p "$dir/pg" && [ "$(id -u)" = "0" ] && chown postgres "$dir" "$dir/pg"
      as_postgres "$bin/initdb" -D "$dir/pg" -A trust -U postgres --no-sync >/dev/null
      as_postgres "$bin/pg_ctl" -D "$dir/pg" -l "$dir/pg.log" -w -o "-c listen_addresses=127.0.0.1 -p $port -k $dir/pg" start >/dev/null
      connection="Host=127.0.0.1;Port=$port;Username=postgres;Database=postgres"
      bench store-ingest "$connection" "$pg_contacts" 10 random | grep -E "median" | sed 's/^/postgres: /'
      bench store-bulk "$connection" "$pg_contacts" 20 | grep -E "bulk re-score" | sed 's/^/postgres: /'
      as_postgres "$bin/pg_ctl" -D "$dir/pg" stop -m immediate >/dev/null
    fi
  done
done
