#!/usr/bin/env bash
# go-cross-build against a plain shell loop of `go build` over the same four targets of the sample Gin service,
# in one run, printed as ratios (the issue's aims: cold overhead <= 1.05x, parallel faster than the loop, a
# rebuild with the cache in place >= 5x faster than cold). Each cold run gets an empty GOCACHE; the module
# cache is shared (downloads are not what is measured). BENCH_TARGETS overrides the target list.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
targets="${BENCH_TARGETS:-linux/amd64,linux/arm64,darwin/arm64,windows/amd64}"
work="$(mktemp -d "${TMPDIR:-/tmp}/bench-go-cross-build.XXXXXX")"
trap 'rm -rf "$work"' EXIT

cp -r "$root/test/fixtures/gin-service" "$work/src"
cd "$work/src"
go mod download
export CGO_ENABLED=0

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

loop() {
  local out="$1" target os arch
  IFS=, read -ra list <<<"$targets"
  for target in "${list[@]}"; do
    os="${target%%/*}" arch="${target#*/}"
    GOOS="$os" GOARCH="$arch" go build -trimpath -ldflags="-s -w -buildid=" -o "$out/api-$os-$arch" .
  done
}

action() {
  local out="$1" parallel="$2"
  "$root/bin/gin-deploy" go-cross-build --working-directory "$work/src" --targets "$targets" \
    --output-dir "$out" --parallel "$parallel" --cache false >/dev/null
}

timed() {
  local start
  start="$(now)"
  "$@"
  elapsed "$start" "$(now)"
}

cpus="$(nproc)"
echo "go-cross-build bench: $targets, $(go version | cut -d' ' -f3), $cpus CPUs"

loop_cold="$(GOCACHE="$work/cache-loop" timed loop "$work/loop")"
seq_cold="$(GOCACHE="$work/cache-seq" timed action "$work/seq" 1)"
par_cold="$(GOCACHE="$work/cache-par" timed action "$work/par" "$cpus")"
par_warm="$(GOCACHE="$work/cache-par" timed action "$work/par-warm" "$cpus")"
loop_warm="$(GOCACHE="$work/cache-loop" timed loop "$work/loop-warm")"

echo "  plain go build loop, cold:        ${loop_cold} s"
echo "  action, parallel 1, cold:         ${seq_cold} s"
echo "  action, parallel $cpus, cold:         ${par_cold} s"
echo "  action, parallel $cpus, warm cache:   ${par_warm} s   (plain loop, warm: ${loop_warm} s)"
echo "ratio cold overhead (action parallel 1 / loop):     $(ratio "$seq_cold" "$loop_cold")x   (aim <= 1.05)"
echo "ratio parallel vs sequential (action parallel $cpus / loop): $(ratio "$par_cold" "$loop_cold")x   (aim < 1)"
echo "ratio warm-cache rebuild speed-up (cold / warm):    $(ratio "$par_cold" "$par_warm")x   (aim >= 5)"
