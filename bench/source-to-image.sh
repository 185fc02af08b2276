#!/usr/bin/env bash
# Source → pushed 2-arch image of the sample Gin service: go-cross-build + docker-multistage (assemble)
# against ko (`ko build --bare --platform linux/amd64,linux/arm64`), both pushing to one local docker-registry,
# both with -trimpath and -ldflags "-s -w" (go-cross-build adds, as for every user, -gcflags=all=-dwarf=false,
# since the linker drops DWARF, and -p = CPUs / targets while both targets build at once), both attaching their
# SBOM. ko cannot pull its default base here, so its base is the scratch rootfs docker-multistage makes (CA
# certificates, passwd) pushed once; our image has the same rootfs layer. Our binaries go to an output folder
# emptied before every run.
# - warm: the same commit again, both sides on the machine's GOCACHE (each finds its own compiled packages
#   there), our tool cache (linked binaries, layer cache) and the registry's blobs kept;
# - changed: as warm, but every round links something new on both sides (`-X main.round=N`, as a new commit's
#   version does), so both link and push new layers;
# - cold: an empty GOCACHE, an empty tool cache and a new repository every run.
# Interleaved, each round starting with the other side (ours, ko; ko, ours; …); medians with min–max; ratios
# with the per-round spread; image sizes and digests of both sides.
# Targets (issue 19): warm ≤ 0.8× ko, cold ≤ 1.0× ko, the same digest on every run.
set -euo pipefail
BENCH_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$BENCH_ROOT/bench/lib.sh"
node=$(bench_node)
ko=$(peer ko)
reps=${BENCH_REPS:-5}
cold_reps=${BENCH_COLD_REPS:-1} # 0 skips cold
epoch=1700000000

work="$(mktemp -d "${TMPDIR:-/tmp}/bench-source-to-image.XXXXXX")"
export BENCH_LOG=$work/last.log
cleanup() {
  [ -n "${REGISTRY_PID:-}" ] && kill "$REGISTRY_PID" 2>/dev/null
  rm -rf "$work"
  autogroup_restore
}
trap cleanup EXIT
autogroup_off
start_registry "$work/registry"
host=$REGISTRY_HOST
cp -r "$BENCH_ROOT/test/fixtures/gin-service" "$work/src"
cd "$work/src"
git init -q && git add -A && git -c user.name=bench -c user.email=bench@example.com commit -qm bench
go mod download
export CGO_ENABLED=0 SOURCE_DATE_EPOCH=$epoch BENCH_RUNNER=$work/runner
load_step_defaults go-cross-build
load_step_defaults docker-multistage
# The CLI runs a step with the current folder as its workspace.
cli() { (cd "$work" && "$node" "$BENCH_ROOT/bin/gin-deploy" "$@"); }

# ko's base: the same scratch rootfs, from a one-byte file per platform.
printf x >"$work/base-file"
sum=$(sha256sum "$work/base-file" | cut -d' ' -f1)
base_artifacts="[{\"os\":\"linux\",\"arch\":\"amd64\",\"path\":\"$work/base-file\",\"sha256\":\"$sum\",\"size\":1},{\"os\":\"linux\",\"arch\":\"arm64\",\"path\":\"$work/base-file\",\"sha256\":\"$sum\",\"size\":1}]"
base=$(cli docker-multistage --json --image "$host/bench/base" --artifacts "$base_artifacts" \
  --sbom false --lint off | jq -r '."image-ref"')
cat >"$work/src/.ko.yaml" <<YAML
defaultBaseImage: $base
builds:
  - id: api
    main: .
    flags: [-trimpath]
    ldflags: ["-s -w{{ if .Env.ROUND }} -X main.round={{ .Env.ROUND }}{{ end }}"]
YAML

# The two steps as the runner runs them (one node process each), in the workspace $work.
# Each step's own wall time goes to $work/ours.split ("build image"), so the image step's share is shown apart.
ours() { # cache repo toolcache [round]
  local t0 t1 t2
  rm -rf "$work/out" "$work/src/out"
  (
    cd "$work"
    export RUNNER_TOOL_CACHE=$3
    t0=$(now)
    GOCACHE=$1 run_step go-cross-build "$work/build.out" working-directory=src targets=linux/amd64,linux/arm64 \
      output-dir=out cache=false ldflags="${4:+-X main.round=$4}"
    t1=$(now)
    run_step docker-multistage "$work/image.out" image="$host/$2" binary-name=api \
      artifacts="$(step_output "$work/build.out" artifacts)"
    t2=$(now)
    awk -v a="$t0" -v b="$t1" -v c="$t2" 'BEGIN { printf "%.3f %.3f\n", b - a, c - b }' >"$work/ours.split"
  )
  step_output "$work/image.out" digest >"$work/ours.digest"
}
# split_it BUILD IMAGE: appends the last ours run's two step times to the arrays BUILD and IMAGE.
split_it() {
  local -n build=$1 image=$2
  local b i
  read -r b i <"$work/ours.split"
  build+=("$b")
  image+=("$i")
}

kobuild() { # cache repo [round]
  (cd "$work/src" && GOCACHE=$1 ROUND=${3:-} KO_DOCKER_REPO=$host/$2 "$ko" build --bare --insecure-registry \
    --platform linux/amd64,linux/arm64 . >"$work/ko.ref")
}

# Compressed bytes of the linux/amd64 image (config and layers) of an index in the local registry.
image_size() { # repo digest
  local amd64
  amd64=$(curl -fsS -H 'Accept: application/vnd.oci.image.index.v1+json' "http://$host/v2/$1/manifests/$2" |
    jq -r '.manifests[] | select(.platform.architecture == "amd64") | .digest')
  curl -fsS -H 'Accept: application/vnd.oci.image.manifest.v1+json' "http://$host/v2/$1/manifests/$amd64" |
    jq '.config.size + ([.layers[].size] | add)'
}

echo "source → 2-arch image bench: $(go version | cut -d' ' -f3), ko $("$ko" version), $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg)"
declare -A digests_ours=() digests_ko=()
for mode in warm changed cold; do
  runs=$reps
  [ "$mode" = cold ] && runs=$cold_reps
  [ "$runs" -gt 0 ] || continue
  O=() K=() OB=() OI=()
  warm_cache=$(go env GOCACHE)
  if [ "$mode" != cold ]; then
    ours "$warm_cache" bench/ours "$work/tool-cache" >/dev/null 2>&1
    kobuild "$warm_cache" bench/ko >/dev/null 2>&1
  fi
  for round in $(seq "$runs"); do
    # Odd rounds start with ours, even rounds with ko: on this shared machine the load moves during a bench,
    # and the side that always ran first took it (cold pairs of 1.12–1.33× that a second look put at 0.75–1.11×).
    sides=(ours ko)
    [ $((round % 2)) -eq 0 ] && sides=(ko ours)
    for side in "${sides[@]}"; do
      case $side-$mode in
        ours-warm) time_it O ours "$warm_cache" bench/ours "$work/tool-cache" ;;
        ours-changed) time_it O ours "$warm_cache" bench/ours "$work/tool-cache" "changed-$round" ;;
        ours-cold)
          rm -rf "$work/cold" "$work/cold-tools"
          time_it O ours "$work/cold" "bench/ours-cold-$round" "$work/cold-tools"
          ;;
        ko-warm) time_it K kobuild "$warm_cache" bench/ko ;;
        ko-changed) time_it K kobuild "$warm_cache" bench/ko "changed-$round" ;;
        ko-cold)
          rm -rf "$work/cold"
          time_it K kobuild "$work/cold" "bench/ko-cold-$round"
          ;;
      esac
      [ "$side" = ours ] && split_it OB OI
      [ "$mode" = changed ] && continue
      if [ "$side" = ours ]; then
        repo_ours=bench/ours
        [ "$mode" = cold ] && repo_ours=bench/ours-cold-$round
        d_ours=$(cat "$work/ours.digest")
        digests_ours[$d_ours]=1
      else
        repo_ko=bench/ko
        [ "$mode" = cold ] && repo_ko=bench/ko-cold-$round
        d_ko=$(sed 's/.*@//' "$work/ko.ref")
        digests_ko[$d_ko]=1
      fi
    done
    # Cold rounds are few and long: each one's times and the load after it, to tell a pair on a busy machine.
    if [ "$mode" = cold ]; then
      echo "  cold round $round (${sides[*]}): ours ${O[-1]} s, ko ${K[-1]} s, load $(load_average)"
    fi
  done
  show "$mode: go-cross-build + docker-multistage" O
  show "$mode:   of which go-cross-build" OB
  show "$mode:   of which docker-multistage" OI
  show "$mode: ko build" K
  echo "  $mode ratio ours / ko: $(ratio O K)"
  echo "  $mode ratio docker-multistage alone / ko: $(ratio OI K)"
done
echo "  load average after the runs: $(cut -d' ' -f1-3 /proc/loadavg)"
# The digests of the last warm or cold run (a changed run's image differs by design).
echo "  ours: ${#digests_ours[@]} digest(s) over the warm and cold runs, $d_ours; linux/amd64 image $(image_size "$repo_ours" "$d_ours") B"
echo "  ko:   ${#digests_ko[@]} digest(s) over the warm and cold runs, $d_ko; linux/amd64 image $(image_size "$repo_ko" "$d_ko") B"
