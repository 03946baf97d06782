#!/usr/bin/env bash
# Measures the store end to end on SQLite and on a PostgreSQL 15 started here for the run:
# ingest with real-time scoring (batches of 1,000) and the bulk re-score a publish runs.
# Usage: bench/run-store-benchmarks.sh [contacts] [events-per-contact] [random|interleaved|clustered]
# (random, the default: each batch of 1,000 events names 1,000 contacts drawn from anywhere)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
contacts="${1:-20000}"
per_contact="${2:-10}"
traffic="${3:-random}"
bin="${LEADSCORE_PG_BIN:-/usr/lib/postgresql/15/bin}"
work="$(mktemp -d /tmp/leadscore-bench-XXXXXX)"
port=$((20000 + RANDOM % 20000))
as_postgres() { if [ "$(id -u)" = "0" ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
cleanup() { as_postgres "$bin/pg_ctl" -D "$work/pg" stop -m immediate >/dev/null 2>&1 || true; rm -rf "$work"; }
trap cleanup EXIT

dotnet build bench/LeadScore.Benchmarks -c Release -v quiet --nologo >/dev/null
run() { dotnet bench/LeadScore.Benchmarks/bin/Release/net10.0/LeadScore.Benchmarks.dll "$@"; }

echo "== SQLite"
run store-ingest "$work/ingest.db" "$contacts" "$per_contact" "$traffic"
run store-bulk "$work/bulk.db" "$contacts" "$per_contact"

if [ -x "$bin/postgres" ]; then
  mkdir -p "$work/pg" && [ "$(id -u)" = "0" ] && chown postgres "$work" "$work/pg"
  as_postgres "$bin/initdb" -D "$work/pg" -A trust -U postgres --no-sync >/dev/null
  as_postgres "$bin/pg_ctl" -D "$work/pg" -l "$work/pg.log" -w \
    -o "-c listen_addresses=127.0.0.1 -p $port -k $work/pg -c fsync=on -c synchronous_commit=on" start >/dev/null
  echo "== PostgreSQL 15 (fsync on)"
  run store-ingest "Host=127.0.0.1;Port=$port;Username=postgres;Database=postgres" "$contacts" "$per_contact" "$traffic"
  run store-bulk "Host=127.0.0.1;Port=$port;Username=postgres;Database=postgres" "$contacts" "$per_contact"
else
  echo "PostgreSQL 15 is not installed (apt-get install -y postgresql-15); skipped its half." >&2
fi
