#!/usr/bin/env bash
# Times `leadscore train` on the bank marketing file, with and without `duration`: the training's own
# seconds (the JSON `seconds`, reading the file excluded), the whole process's wall and CPU seconds,
# and the load average around each run, since this machine is shared. Prints the medians of RUNS runs.
#
#   bench/prediction/train-bank.sh [CSV] [RUNS]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
csv="${1:-$root/../shared/data/bank-marketing/bank-additional-full.csv}"
runs="${2:-3}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
"$root/leadscore" --help >/dev/null # builds once, outside the timings

median() { sort -g | awk '{ a[NR] = $1 } END { print (NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2) }'; }

for exclude in "" "duration"; do
  args=(--csv "$csv" --label y --positive yes --out "$work/model.zip" --format json)
  [ -n "$exclude" ] && args+=(--exclude "$exclude")
  : > "$work/runs"
  for run in $(seq "$runs"); do
    load="$(cut -d' ' -f1 /proc/loadavg)"
    /usr/bin/time -f "%e %U %S" -o "$work/time" "$root/leadscore" train "${args[@]}" > "$work/out.json"
    read -r wall user sys < "$work/time"
    seconds="$(grep -o '"seconds": [0-9.]*' "$work/out.json" | head -1 | cut -d' ' -f2)"
    auc="$(grep -o '"auc": [0-9.]*' "$work/out.json" | head -1 | cut -d' ' -f2)"
    echo "$seconds $wall $(echo "$user + $sys" | bc) $load $auc" >> "$work/runs"
  done
  label="${exclude:+without $exclude}"
  echo "${label:-with duration}: AUC $(head -1 "$work/runs" | cut -d' ' -f5)"
  echo "  training seconds  median $(cut -d' ' -f1 "$work/runs" | median)  [$(cut -d' ' -f1 "$work/runs" | paste -sd' ')]"
  echo "  process wall      median $(cut -d' ' -f2 "$work/runs" | median)  [$(cut -d' ' -f2 "$work/runs" | paste -sd' ')]"
  echo "  process CPU       median $(cut -d' ' -f3 "$work/runs" | median)  [$(cut -d' ' -f3 "$work/runs" | paste -sd' ')]"
  echo "  load at start     [$(cut -d' ' -f4 "$work/runs" | paste -sd' ')] on $(nproc) cores"
done
