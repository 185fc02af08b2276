#!/usr/bin/env bash
# go-cross-build against GoReleaser v2.15.1 (`goreleaser build --snapshot`) and a plain sequential `go build`
# loop, over 1, 2, 4 and 8 targets of the sample Gin service, all three given the same flags (-trimpath,
# -ldflags "-s -w", CGO off), each writing into an output folder emptied before every run (as a fresh checkout).
# The action adds what it adds for every user: -gcflags=all=-dwarf=false (the linker drops DWARF anyway) and,
# with several targets at once, -p = CPUs / targets; from 2 targets it also runs with parallel: 1, to show what
# its parallelism gains or costs on its own.
# Three kinds of run:
# - warm: the same commit again, on the machine's GOCACHE (each side finds its own compiled packages there) after
#   one untimed run each, and the action on a runner that keeps its tool cache, where go-cross-build keeps the last
#   binary linked per target (reuse-links), so go build skips a link that is current;
# - changed: as warm, but every round links something new (`-X main.round=N`, as a new commit's version does),
#   so every side links every target: what is left is each side's own overhead;
# - cold: an empty GOCACHE and an empty tool cache every run (the module cache is shared: downloads are not what
#   is measured).
# Runs interleave
# (action, GoReleaser, loop; then GoReleaser, loop, action; …); medians with min–max, ratios with the spread of
# the per-round ratios.
# Targets (issue 19): warm ≤ 1.05× the loop and ≤ 1.0× GoReleaser; cold ≤ 0.95× GoReleaser.
# The action runs with its default parallelism (one target per core); every run of it, parallel: 1 included,
# must give the same checksums, or the bench fails. The load average is printed before and after each count: the machine may be
# shared, and interleaving only spreads the load over both sides, it does not remove it.
# BENCH_COUNTS, BENCH_REPS (warm, default 5) and BENCH_COLD_REPS (default 1; 0 skips cold) tune the run.
set -euo pipefail
BENCH_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$BENCH_ROOT/bench/lib.sh"
goreleaser=$(peer goreleaser)

counts=${BENCH_COUNTS:-1 2 4 8}
reps=${BENCH_REPS:-5}
cold_reps=${BENCH_COLD_REPS:-1} # 0 skips cold
ALL=(linux/amd64 linux/arm64 darwin/arm64 windows/amd64 darwin/amd64 windows/arm64 linux/386 linux/ppc64le)
# GoReleaser names a target with its default micro-architecture, the one the other two get by default too.
declare -A GORELEASER=([linux/amd64]=linux_amd64_v1 [linux/arm64]=linux_arm64_v8.0 [darwin/arm64]=darwin_arm64_v8.0
  [windows/amd64]=windows_amd64_v1 [darwin/amd64]=darwin_amd64_v1 [windows/arm64]=windows_arm64_v8.0
  [linux/386]=linux_386_sse2 [linux/ppc64le]=linux_ppc64le_power8)

work="$(mktemp -d "${TMPDIR:-/tmp}/bench-go-cross-build.XXXXXX")"
trap 'rm -rf "$work"; autogroup_restore' EXIT
autogroup_off
export BENCH_LOG=$work/last.log
cp -r "$BENCH_ROOT/test/fixtures/gin-service" "$work/src"
cd "$work/src"
git init -q && git add -A && git -c user.name=bench -c user.email=bench@example.com commit -qm bench
go mod download
export CGO_ENABLED=0 BENCH_RUNNER=$work/runner RUNNER_TOOL_CACHE=$work/tool-cache
load_step_defaults go-cross-build

targets_of() { local n=$1; local IFS=,; echo "${ALL[*]:0:$n}"; }

# Every side takes: cache targets [extra ldflags].
loop() {
  local target
  IFS=, read -ra list <<<"$2"
  for target in "${list[@]}"; do
    GOCACHE=$1 GOOS="${target%%/*}" GOARCH="${target#*/}" \
      go build -trimpath -ldflags="-s -w${3:+ $3}" -o "$work/loop/api-${target/\//-}" .
  done
}

action() {
  GOCACHE=$1 run_step go-cross-build "$work/outputs" targets="$2" output-dir=out cache=false ldflags="${3:-}"
}

# The action with the same flags, one target at a time: what its default parallelism (targets at once, each
# go build with -p = CPUs / targets) gains or costs against Go's own -p alone.
one_at_a_time() {
  GOCACHE=$1 run_step go-cross-build "$work/outputs" targets="$2" output-dir=out cache=false ldflags="${3:-}" \
    parallel=1
}

# Each run writes into an empty output folder, as in a fresh checkout.
fresh_outputs() { rm -rf "$work/src/out" "$work/loop" "$work/goreleaser-dist"; }

# The sha256 of each binary of the action's last run, outside the timings.
record_sums() {
  sums+=("$(step_output "$work/outputs" artifacts | grep -o '"sha256":"[0-9a-f]*"' | tr '\n' ' ')")
}

goreleaser_build() {
  local list=() target
  IFS=, read -ra given <<<"$2"
  for target in "${given[@]}"; do list+=("\"${GORELEASER[$target]}\""); done
  cat >"$work/goreleaser.yaml" <<YAML
version: 2
project_name: api
dist: $work/goreleaser-dist
builds:
  - id: api
    binary: api
    env: [CGO_ENABLED=0]
    flags: [-trimpath]
    ldflags: ["-s -w${3:+ $3}"]
    targets: [$(IFS=,; echo "${list[*]}")]
YAML
  GOCACHE=$1 "$goreleaser" build --snapshot --clean --config "$work/goreleaser.yaml"
}

echo "go-cross-build bench: $(go version | cut -d' ' -f3), $(nproc) CPUs, load $(load_average)"
for n in $counts; do
  targets=$(targets_of "$n")
  sums=()
  echo "=== $n target(s): $targets (load $(load_average))"
  for mode in warm changed cold; do
    runs=$reps
    [ "$mode" = cold ] && runs=$cold_reps
    [ "$runs" -gt 0 ] || continue
    A=() G=() L=() S=()
    sides=(action goreleaser_build loop)
    [ "$n" -gt 1 ] && sides+=(one_at_a_time)
    if [ "$mode" != cold ]; then
      for side in "${sides[@]}"; do
        fresh_outputs
        "$side" "$(go env GOCACHE)" "$targets" >"$BENCH_LOG" 2>&1
      done
    fi
    for round in $(seq "$runs"); do
      # Each round starts with the next side, so none always runs first (on a cold page cache, or as load moves).
      first=$(((round - 1) % ${#sides[@]}))
      for side in "${sides[@]:first}" "${sides[@]:0:first}"; do
        cache=$(go env GOCACHE) extra=
        [ "$mode" = cold ] && { rm -rf "$work/cold" "$RUNNER_TOOL_CACHE"; cache=$work/cold; }
        [ "$mode" = changed ] && extra="-X main.round=$n-$round"
        fresh_outputs
        case $side in
          action)
            time_it A "$side" "$cache" "$targets" "$extra"
            [ "$mode" = changed ] || record_sums
            ;;
          goreleaser_build) time_it G "$side" "$cache" "$targets" "$extra" ;;
          loop) time_it L "$side" "$cache" "$targets" "$extra" ;;
          one_at_a_time)
            # Its own round value when changed: the same one would find the action's binary of this round kept.
            time_it S "$side" "$cache" "$targets" "${extra:+$extra-1}"
            [ "$mode" = changed ] || record_sums
            ;;
        esac
      done
    done
    show "$mode: go-cross-build (default parallel)" A
    show "$mode: GoReleaser v2.15.1 build --snapshot" G
    show "$mode: plain go build loop" L
    echo "  $mode ratio action / GoReleaser: $(ratio A G)"
    echo "  $mode ratio action / loop:       $(ratio A L)"
    if [ "$n" -gt 1 ]; then
      show "$mode: go-cross-build, parallel: 1" S
      echo "  $mode ratio action / parallel 1: $(ratio A S)"
    fi
  done
  same_checksums "$n target(s)" "${sums[@]}"
  echo "  load after: $(load_average)"
done
