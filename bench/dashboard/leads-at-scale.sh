#!/usr/bin/env bash
# The dashboard's lead list at scale: serves a demo database of N contacts (made once with
# `leadscore demo --contacts N --no-serve`) and times what the Leads page asks for (the page itself,
# its scripts, and GET /api/v1/leads with each filter and sort, deep pages included) with curl.
# Prints the median of 7 timings per request, in milliseconds.
# Usage: bench/dashboard/leads-at-scale.sh [CONTACTS] [DB]    (defaults: 100000, /tmp/leadscore-100k.db)
set -euo pipefail
cd "$(dirname "$0")/../.."
contacts=${1:-100000}
db=${2:-/tmp/leadscore-100k.db}
port=5097
if [ ! -f "$db" ]; then
  ./leadscore demo --db "$db" --contacts "$contacts" --no-serve >/dev/null
fi
key=$(./leadscore apikey create --db "$db" --scope read --name bench)
./leadscore serve --db "$db" --urls "http://127.0.0.1:$port" >/tmp/leads-at-scale.log 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.3; done
# A first serve trains the predictive model in the background: wait for it, so it neither loads the
# machine during the timings nor leaves the probability sort empty.
for _ in $(seq 1 240); do
  status=$(curl -s -H "Authorization: Bearer $key" "http://127.0.0.1:$port/api/v1/predictive/status")
  case "$status" in *'"state":"idle"'*'"lastRun":{'*) break ;; esac
  sleep 5
done

median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2 ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2)}'; }
time_ms() { # URL [auth]
  for _ in $(seq 1 7); do
    curl -s -o /dev/null -w '%{time_total}\n' ${2:+-H "Authorization: Bearer $key"} "$1"
  done | awk '{printf "%.1f\n", $1 * 1000}' | median
}
api="http://127.0.0.1:$port/api/v1"
cursor_of() { curl -s -H "Authorization: Bearer $key" "$1" | sed -n 's/.*"nextCursor":"\([^"]*\)".*/\1/p'; }

echo "contacts: $contacts, $(date -u +%Y-%m-%dT%H:%MZ), load $(cut -d' ' -f1 /proc/loadavg)"
echo "request | median ms"
echo "--- | ---:"
echo "GET / (the page) | $(time_ms "http://127.0.0.1:$port/")"
echo "GET /app.js | $(time_ms "http://127.0.0.1:$port/app.js")"
echo "leads, first page of 50 | $(time_ms "$api/leads?limit=50" auth)"
echo "leads, first page of 100 | $(time_ms "$api/leads?limit=100" auth)"
url="$api/leads?limit=100"
for _ in $(seq 1 20); do url="$api/leads?limit=100&cursor=$(cursor_of "$url")"; done
echo "leads, page 21 of 100 (by cursor) | $(time_ms "$url" auth)"
echo "leads, grade B | $(time_ms "$api/leads?limit=50&grade=B" auth)"
echo "leads, threshold sql | $(time_ms "$api/leads?limit=50&threshold=sql" auth)"
echo "leads, segment 3 | $(time_ms "$api/leads?limit=50&segment=3" auth)"
echo "leads, lowest scores first | $(time_ms "$api/leads?limit=50&sort=score" auth)"
echo "leads, by probability | $(time_ms "$api/leads?limit=50&sort=-probability" auth)"
echo "leads, tier very high | $(time_ms "$api/leads?limit=50&tier=very-high" auth)"
echo "leads, search 'lee' (common) | $(time_ms "$api/leads?limit=50&q=lee" auth)"
echo "leads, search 'c0099999' (one lead) | $(time_ms "$api/leads?limit=50&q=c0099999" auth)"
echo "leads, search 'zzzz' (no lead) | $(time_ms "$api/leads?limit=50&q=zzzz" auth)"
