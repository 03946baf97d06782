#!/usr/bin/env bash
# Measures ingest with real-time scoring over HTTP on loopback: single-event requests/s with latency
# percentiles, and events/s in batches of 1,000, against a real 'leadscore serve' process on SQLite
# and on a PostgreSQL 15 started here for the run. Single events are sent by wrk (Debian's package,
# installed here when missing and running as root) with a Lua script that makes every event id new;
# batches by our own load generator (bench/, http-load), which also measures single events when wrk
# cannot be installed. Each single-event run is done twice and the second (warm) one counts.
# Usage: bench/run-http-benchmarks.sh [seconds=20] [connections=32] [contacts=1000]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
seconds="${1:-20}"
connections="${2:-32}"
contacts="${3:-1000}"
bin="${LEADSCORE_PG_BIN:-/usr/lib/postgresql/15/bin}"
work="$(mktemp -d /tmp/leadscore-http-XXXXXX)"
pg_port=$((20000 + RANDOM % 10000))
http_port=$((30000 + RANDOM % 10000))
server_pid=""
as_postgres() { if [ "$(id -u)" = "0" ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
stop_server() { if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; server_pid=""; fi; }
cleanup() { stop_server; as_postgres "$bin/pg_ctl" -D "$work/pg" stop -m immediate >/dev/null 2>&1 || true; rm -rf "$work"; }
trap cleanup EXIT

if ! command -v wrk >/dev/null 2>&1 && [ "$(id -u)" = "0" ]; then
  apt-get install -y wrk >/dev/null 2>&1 || { apt-get update >/dev/null 2>&1 && apt-get install -y wrk >/dev/null 2>&1; } || true
fi
./leadscore --help >/dev/null
dotnet build bench/LeadScore.Benchmarks -c Release -v quiet --nologo >/dev/null
cli() { dotnet artifacts/cli/leadscore.dll "$@"; }
load() { dotnet bench/LeadScore.Benchmarks/bin/Release/net10.0/LeadScore.Benchmarks.dll http-load "$@"; }

for ((i = 0; i < contacts; i++)); do
  printf '{"id":"c%d","email":"c%d@example.com","jobTitle":"Head of Marketing","employees":%d,"country":"DE"}\n' "$i" "$i" $((10 + i % 900))
done > "$work/contacts.jsonl"

measure() {
  local db="$1" label="$2"
  local key
  key="$(cli apikey create --db "$db" --scope write --name bench)"
  cli model publish examples/models/balanced.json --db "$db" >/dev/null
  cli import contacts "$work/contacts.jsonl" --db "$db" >/dev/null
  # Started directly (not through the cli function) so that $! is the server itself and kill stops it.
  dotnet artifacts/cli/leadscore.dll serve --db "$db" --urls "http://127.0.0.1:$http_port" --rate-limit 10000000 > "$work/server.log" 2>&1 &
  server_pid=$!
  for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$http_port/readyz" >/dev/null 2>&1 && break; sleep 0.2; done
  echo "== $label"
  if command -v wrk >/dev/null 2>&1; then
    cat > "$work/event.lua" <<LUA
counter = 0
run = tostring(math.random(1, 1000000000))
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer $key"
request = function()
  counter = counter + 1
  local body = string.format('{"id":"%s-%d","contact":"c%d","type":"page_view","occurredAt":"2026-11-20T10:00:00Z","properties":{"url":"/pricing"}}', run, counter, counter % $contacts)
  return wrk.format(nil, "/api/v1/events", nil, body)
end
LUA
    for pass in warm-up measured; do
      echo "wrk single event ($pass): $connections connections, $seconds s"
      wrk -t2 -c"$connections" -d"${seconds}s" --latency -s "$work/event.lua" "http://127.0.0.1:$http_port" \
        | grep -E "Requests/sec|^ +(50|90|99)%|Non-2xx|Socket errors" | sed 's/^/  /'
    done
  else
    load "http://127.0.0.1:$http_port" "$key" single "$seconds" "$connections" "$contacts" || true
  fi
  load "http://127.0.0.1:$http_port" "$key" batch "$seconds" 2 "$contacts" || true
  # /v1/batch beside /api/v1/events/batch (issue 28: at least as fast): the same 1,000 events per request,
  # as Segment Spec track calls, each mode on contacts of its own that no run touched before (from
  # c100000 and c200000). Every event adds to its contact's history, which each re-score reads, so on
  # shared contacts whichever mode ran second would look slower.
  load "http://127.0.0.1:$http_port" "$key" batch "$seconds" 2 "$contacts" 100000 || true
  load "http://127.0.0.1:$http_port" "$key" segment-batch "$seconds" 2 "$contacts" 200000 || true
  stop_server
}

measure "$work/http.db" "SQLite"

if [ -x "$bin/postgres" ]; then
  mkdir -p "$work/pg" && { [ "$(id -u)" != "0" ] || chown postgres "$work" "$work/pg"; }
  as_postgres "$bin/initdb" -D "$work/pg" -A trust -U postgres --no-sync >/dev/null
  as_postgres "$bin/pg_ctl" -D "$work/pg" -l "$work/pg.log" -w \
    -o "-c listen_addresses=127.0.0.1 -p $pg_port -k $work/pg -c fsync=on -c synchronous_commit=on -c max_connections=200" start >/dev/null
  measure "Host=127.0.0.1;Port=$pg_port;Username=postgres;Database=postgres" "PostgreSQL 15 (fsync on)"
else
  echo "PostgreSQL 15 is not installed (apt-get install -y postgresql-15); skipped its half." >&2
fi
