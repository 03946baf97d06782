#!/usr/bin/env bash
# LeadScore beside what a user would pick instead, on the same data, in one run, written as one Markdown
# table (docs/benchmarks.md describes each part). Every step runs in its own process under
# /usr/bin/time, so each has its own duration and peak memory.
#
#   bench/side-by-side/run.sh [--quick] [--contacts N] [--out FILE]
#
#   --quick        every part at a small size (about two minutes here): the CI smoke check
#   --contacts N   part 1's contacts (default 1,000,000, about 20 events each; --quick 20,000)
#   --out FILE     where the table goes (default: standard output)
#   SIDE_BY_SIDE_KEEP=DIR keeps the raw results (each step's output, time and figures) in DIR
#
# Exits non-zero when a step fails or when LeadScore and DuckDB disagree on any contact's points.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cd "$root"

quick=0
contacts=""
out=""
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) quick=1 ;;
    --contacts) contacts="$2"; shift ;;
    --out) out="$2"; shift ;;
    *) echo "run.sh: unknown option $1 (use --quick, --contacts N, --out FILE)" >&2; exit 1 ;;
  esac
  shift
done

as_of=2026-11-23T00:00:00Z
bank="$root/../shared/data/bank-marketing/bank-additional-full.csv"
if [ "$quick" = 1 ]; then
  contacts="${contacts:-20000}"; passes=3; funnel=2000; forecast_days=180; bank_runs=1; store_args=(500 4); http_args=(1 32 1000)
else
  contacts="${contacts:-1000000}"; passes=3; funnel=20000; forecast_days=270; bank_runs=3; store_args=(20000 10); http_args=(20 32 20000)
fi

# Part 2 compares with Debian's scikit-learn: install it when missing and this runs as root (as test.sh installs
# PostgreSQL and Chromium), before the clock starts. Without it part 2 says "not measured" and why.
if ! /usr/bin/python3 -c 'import sklearn, pandas' 2>/dev/null && [ "$(id -u)" = "0" ]; then
  echo "side-by-side: installing python3-sklearn and python3-pandas for part 2" >&2
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-sklearn python3-pandas; } >/dev/null 2>&1 \
    || echo "side-by-side: could not install python3-sklearn python3-pandas; part 2 will say so" >&2
fi

work="$(mktemp -d /tmp/leadscore-side-by-side-XXXXXX)"
res="$work/results"
mkdir -p "$res"
trap 'rm -rf "$work"' EXIT
started=$(date +%s)

log() { echo "side-by-side: $*" >&2; }
# step NAME COMMAND...: runs one step, keeping its output, wall seconds and peak memory (KB) in $res.
step() {
  local name="$1"; shift
  log "$name"
  if ! /usr/bin/time -f "%e %M" -o "$res/$name.time" "$@" > "$res/$name.out" 2> "$res/$name.err"; then
    echo "failed" >> "$res/$name.time"
    log "$name failed:"; tail -n 20 "$res/$name.err" >&2
    return 1
  fi
}

# The machine and the moment, before anything runs.
{
  echo "date=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "cpu=$(lscpu | sed -n 's/^Model name: *//p' | head -1)"
  echo "nproc=$(nproc)"
  echo "ram=$(free -g | awk '/^Mem:/ { print $2 }') GB"
  echo "os=$(. /etc/os-release && echo "$PRETTY_NAME") $(uname -m)"
  echo "dotnet=$(dotnet --version)"
  echo "load_start=$(cut -d' ' -f1-3 /proc/loadavg)"
  echo "quick=$quick"
  echo "commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
} > "$res/machine.txt"

log "building"
./leadscore --help > /dev/null
dotnet build "$here/LeadScore.SideBySide.csproj" -c Release --nologo -v quiet -o "$work/bin" > "$work/build.log" 2>&1 \
  || { cat "$work/build.log" >&2; exit 2; }
sbs=(dotnet "$work/bin/leadscore-side-by-side.dll")
cli=(dotnet "$root/artifacts/cli/leadscore.dll")
status=0

# 1. Bulk re-score: the engine against the same rules as one DuckDB query, on the same generated data.
days=31 # about 20 events per contact (the generator's rate is about 0.6 a day)
step generate-rescore "${cli[@]}" generate --contacts "$contacts" --days "$days" --seed 11 --as-of "$as_of" --out "$work/rescore" || status=1
step rescore-leadscore "${sbs[@]}" rescore-engine "$work/rescore" "$here/Models/side-by-side-30.json" "$as_of" "$passes" "$work/points-leadscore.csv" "$res/rescore-leadscore.json" || status=1
step rescore-duckdb "${sbs[@]}" rescore-duckdb "$work/rescore" "$here/Rescore/side-by-side-30.sql" "$as_of" "$passes" "$work/points-duckdb.csv" "$res/rescore-duckdb.json" || status=1
step rescore-compare "${sbs[@]}" compare-points "$work/points-leadscore.csv" "$work/points-duckdb.csv" "$res/rescore-compare.json" || status=1
rm -rf "$work/rescore"

# 2. Prediction on the bank marketing file: ours, scikit-learn and a naive Bayes on the same folds.
if [ -f "$bank" ]; then
  if [ "$quick" = 1 ]; then
    # Every 16th call (about 2,570 rows, still spread over the whole period) keeps the smoke check short.
    awk 'NR == 1 || NR % 16 == 0' "$bank" > "$work/bank.csv"
  else
    cp "$bank" "$work/bank.csv"
  fi
  has_sklearn=0
  /usr/bin/python3 -c 'import sklearn, pandas' 2>/dev/null && has_sklearn=1
  for exclude in "" duration; do
    tag="${exclude:-all}"
    args=(--csv "$work/bank.csv" --label y --positive yes --folds 5 --out "$work/model.zip" --format json --folds-out "$work/folds-$tag.csv")
    [ -n "$exclude" ] && args+=(--exclude "$exclude")
    for run in $(seq "$bank_runs"); do
      step "bank-leadscore-$tag-$run" ./leadscore train "${args[@]}" || status=1
    done
    if [ "$has_sklearn" = 1 ]; then
      step "bank-sklearn-$tag" /usr/bin/python3 bench/prediction/compare_sklearn.py "$work/bank.csv" "$work/folds-$tag.csv" "$exclude" "$bank_runs" "$res/bank-leadscore-$tag-1.out" || status=1
    fi
    step "bank-naive-bayes-$tag" "${sbs[@]}" naive-bayes "$work/bank.csv" "$work/folds-$tag.csv" "$exclude" "$res/bank-naive-bayes-$tag.json" || status=1
  done
  [ "$has_sklearn" = 1 ] || echo "scikit-learn is not installed (apt-get install -y python3-sklearn python3-pandas)" > "$res/bank-sklearn.missing"
else
  echo "$bank is missing" > "$res/bank.missing"
fi

# 3. Ranking quality on the synthetic funnel, against the generator's ground truth.
step generate-funnel "${cli[@]}" generate --contacts "$funnel" --seed 3 --as-of "$as_of" --out "$work/funnel" || status=1
f="$work/funnel"
step review "${cli[@]}" review --model examples/models/balanced.json --contacts "$f/contacts.jsonl" --events "$f/events.jsonl" \
  --deals "$f/deals.jsonl" --outcomes "$f/outcomes.jsonl" --as-of "$as_of" --since 90d --format json --out "$work/review.json" \
  --proposal-out "$work/proposal.json" || status=1
# A review that keeps the published model writes no proposal: its ranking is the published model's.
proposal() { # proposal FILE MARKER: the model the review leaves in use
  if [ -f "$1" ]; then echo "proposal=$1"; else echo "proposal=examples/models/balanced.json"; echo declined > "$res/$2.declined"; fi
}
step ranking "${sbs[@]}" ranking "$f" "balanced=examples/models/balanced.json" "$(proposal "$work/proposal.json" review)" "$as_of" "$res/ranking.json" || status=1

# 3b. A forecast: a funnel whose period ends 90 days after now is cut at now (T0) to what was known then.
# The predictive model is trained on the cut (its clock is now), the review proposes from the cut, and
# every ranking of the contacts open at T0 is judged by who converted in the 90 days after it.
t0="$(date -u +%Y-%m-%dT%H:%M:%SZ)"
t90="$(date -u -d "$t0 + 90 days" +%Y-%m-%dT%H:%M:%SZ)"
step generate-forecast "${cli[@]}" generate --contacts "$funnel" --seed 4 --days "$forecast_days" --as-of "$t90" --out "$work/ahead" || status=1
step forecast-cut "${sbs[@]}" forecast-cut "$work/ahead" "$work/cut" "$t0" || status=1
c="$work/cut"
for kind in companies contacts events outcomes; do
  "${cli[@]}" import "$kind" "$c/$kind.jsonl" --db "$work/cut.db" > /dev/null 2>> "$res/import.err" || status=1
done
step predictive "${cli[@]}" predictive train --db "$work/cut.db" || status=1
step export-predictions "${cli[@]}" export predictions --db "$work/cut.db" --out "$work/predictions.csv" || status=1
step review-cut "${cli[@]}" review --model examples/models/balanced.json --contacts "$c/contacts.jsonl" --events "$c/events.jsonl" \
  --outcomes "$c/outcomes.jsonl" --as-of "$t0" --since 90d --format json --out "$work/review-cut.json" \
  --proposal-out "$work/proposal-cut.json" || status=1
step forecast "${sbs[@]}" forecast "$c" "$work/ahead/truth.csv" "$work/predictions.csv" \
  "balanced=examples/models/balanced.json" "$(proposal "$work/proposal-cut.json" review-cut)" "$t0" "$res/forecast.json" || status=1

# 4. Ingest with real-time scoring, reusing the store and HTTP benchmarks (each starts its own PostgreSQL).
step store bench/run-store-benchmarks.sh "${store_args[@]}" || status=1
step http bench/run-http-benchmarks.sh "${http_args[@]}" || status=1

echo "load_end=$(cut -d' ' -f1-3 /proc/loadavg)" >> "$res/machine.txt"
echo "seconds=$(( $(date +%s) - started ))" >> "$res/machine.txt"
echo "contacts=$contacts" >> "$res/machine.txt"
echo "funnel=$funnel" >> "$res/machine.txt"
echo "forecast_days=$forecast_days" >> "$res/machine.txt"
echo "store_args=${store_args[*]}" >> "$res/machine.txt"
echo "http_args=${http_args[*]}" >> "$res/machine.txt"

if [ -n "$out" ]; then
  "${sbs[@]}" report "$res" "$out" || status=1
  log "wrote $out"
else
  "${sbs[@]}" report "$res" /dev/stdout || status=1
fi
[ -n "${SIDE_BY_SIDE_KEEP:-}" ] && cp -r "$res" "$SIDE_BY_SIDE_KEEP"
exit "$status"
