#!/usr/bin/env bash
# slo-gate: against a Prometheus holding 30 days of 1-minute data for 200 series, a gate of 3 SLOs decides
# in ≤ 1 s with at most one instant query per SLI and window. Prints the time and the query count.
# The TSDB is built once (promtool, a minute or two) and kept in ${TMPDIR:-/tmp}; BENCH_FRESH=1 rebuilds it.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f dist/slo-gate/index.js ] || node scripts/build.mjs slo-gate cli
exec bash scripts/run-ts.sh bench/slo-gate.bench.ts "$@"
