#!/usr/bin/env bash
# Runs every benchmark (bench/<action>.sh); each prints its figures as ratios measured in one run, so a
# noisy shared machine moves both sides alike. BENCH=<name> runs only that one.
set -uo pipefail
cd "$(dirname "$0")/.."
status=0
for bench in bench/*.sh; do
  name=$(basename "$bench" .sh)
  [ "$name" = run ] && continue
  [ -n "${BENCH:-}" ] && [ "$BENCH" != "$name" ] && continue
  echo "=== $name"
  bash "$bench" || { echo "bench $name failed" >&2; status=1; }
done
exit $status
