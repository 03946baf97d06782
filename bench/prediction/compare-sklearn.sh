#!/usr/bin/env bash
# Side by side on the bank marketing file: LeadScore's cross-validated AUC and training seconds beside
# scikit-learn's HistGradientBoostingClassifier and LogisticRegression (one-hot + scaling) on exactly the
# same stratified folds (written by the hidden `leadscore train --folds-out`), with and without `duration`.
# A benchmark, not a test: run it by hand and copy the figures into docs/prediction.md.
#
#   bench/prediction/compare-sklearn.sh [CSV] [RUNS]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
csv="${1:-$root/../shared/data/bank-marketing/bank-additional-full.csv}"
runs="${2:-3}"
# Debian's python3-sklearn installs for the system interpreter, not for a pyenv `python3` on PATH.
py=/usr/bin/python3

if ! "$py" -c 'import sklearn, pandas' 2>/dev/null; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "compare-sklearn: needs Debian's python3-sklearn and python3-pandas (apt-get install -y python3-sklearn python3-pandas, as root)" >&2
    exit 2
  fi
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-sklearn python3-pandas >/dev/null
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
for exclude in "" "duration"; do
  args=(--csv "$csv" --label y --positive yes --folds 5 --out "$work/model.zip" --format json --folds-out "$work/folds.csv")
  [ -n "$exclude" ] && args+=(--exclude "$exclude")
  for run in $(seq "$runs"); do
    "$root/leadscore" train "${args[@]}" > "$work/ours-$run.json"
  done
  "$py" "$root/bench/prediction/compare_sklearn.py" "$csv" "$work/folds.csv" "$exclude" "$runs" "$work"/ours-*.json
  rm -f "$work"/ours-*.json
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
