#!/usr/bin/env bash
# docker-multistage: the sample service for linux/amd64+arm64, pushed to a local registry (docker-registry on
# 127.0.0.1), built three ways in one run: `assemble` (daemonless, from the cross-built binaries), buildah bud
# of the built-in hardened template (compiles inside), and buildah bud of a COPY-only Dockerfile of the same
# binaries. assemble and COPY-only run interleaved (A B A B), warm (assemble's layer cache and the registry's
# blobs kept, buildah's storage kept) and cold (a new layer cache, repository and buildah storage per run);
# medians with min–max, ratios with the per-round spread; the template build runs once (BENCH_TEMPLATE=0
# skips it). Also prints image size against binary size, and whether every assemble run gave one digest.
# Targets: assemble ≥ 10× faster than the template, vs COPY-only ≥ 3× warm and ≥ 2× cold (issue 19);
# image ≤ binary + 512 KiB; the same digest every run.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
BENCH_ROOT=$root
source bench/lib.sh
node=$(bench_node)
reps=${BENCH_REPS:-5}
cold_reps=${BENCH_COLD_REPS:-3}
[ -f dist/docker-multistage/index.js ] || node scripts/build.mjs docker-multistage
[ -f dist/cli/index.js ] || node scripts/build.mjs cli

work=$(mktemp -d "${TMPDIR:-/tmp}/gin-deploy-bench-dm-XXXXXX")
registry_pid=
cleanup() {
  local status=$?
  if [ -n "$registry_pid" ]; then kill "$registry_pid" 2>/dev/null; wait "$registry_pid" 2>/dev/null || true; fi
  rm -rf "$work"
  autogroup_restore
  exit "$status"
}
trap cleanup EXIT
autogroup_off

start_registry "$work/registry"
registry_pid=$REGISTRY_PID
host=$REGISTRY_HOST
export BENCH_LOG=$work/bench.log

# buildah keeps its images in this run's folder.
export CONTAINERS_STORAGE_CONF=$work/storage.conf
printf '[storage]\ndriver = "vfs"\ngraphroot = "%s/storage"\nrunroot = "%s/run"\n' "$work" "$work" >"$CONTAINERS_STORAGE_CONF"

action() { (cd "$work" && "$node" "$root/bin/gin-deploy" docker-multistage --json "$@" 2>"$work/last.log") || { cat "$work/last.log" >&2; exit 1; }; }
field() { "$node" -e 'const o=JSON.parse(require("fs").readFileSync(0,"utf8")); const v=o[process.argv[1]]; process.stdout.write(String(v))' "$1"; }

echo "building the sample service for linux/amd64 and linux/arm64 (outside the timings)"
mkdir -p "$work/copy/bin"
artifacts='['
for arch in amd64 arm64; do
  (cd test/fixtures/gin-service && CGO_ENABLED=0 GOOS=linux GOARCH=$arch \
    go build -trimpath -ldflags "-s -w -X main.Version=bench" -o "$work/copy/bin/api_$arch" .)
  size=$(stat -c %s "$work/copy/bin/api_$arch")
  # The real hash and size, as go-cross-build reports them: assemble verifies both while packing.
  sum=$(sha256sum "$work/copy/bin/api_$arch" | cut -d' ' -f1)
  artifacts+="{\"os\":\"linux\",\"arch\":\"$arch\",\"path\":\"copy/bin/api_$arch\",\"sha256\":\"$sum\",\"size\":$size},"
done
artifacts="${artifacts%,}]"
binary_size=$(stat -c %s "$work/copy/bin/api_amd64")

cp -r test/fixtures/gin-service "$work/src"
cat >"$work/copy/Dockerfile" <<'EOF'
FROM scratch
ARG TARGETARCH
COPY bin/api_${TARGETARCH} /usr/local/bin/api
USER 65532:65532
ENTRYPOINT ["/usr/local/bin/api"]
EOF

field_of() { "$node" -e 'const o=JSON.parse(require("fs").readFileSync(process.argv[1],"utf8")); process.stdout.write(String(o[process.argv[2]]))' "$1" "$2"; }
assemble() { # repo tool-cache tag
  RUNNER_TOOL_CACHE=$2 action --image "$host/$1" --binary-name api --artifacts "$artifacts" --tags "$3" \
    --source-date-epoch 1700000000 \
    >"$work/assemble.json"
  digests[$(field_of "$work/assemble.json" digest)]=1
}
copy_only() { # storage-folder
  printf '[storage]\ndriver = "vfs"\ngraphroot = "%s/storage"\nrunroot = "%s/run"\n' "$1" "$1" >"$work/storage.conf"
  CONTAINERS_STORAGE_CONF=$work/storage.conf action --image "$host/bench/copy" --builder buildah \
    --dockerfile copy/Dockerfile --context copy --tags v1 >/dev/null
}
declare -A digests=()

echo "assemble vs buildah bud of the COPY-only Dockerfile, interleaved; load $(cut -d' ' -f1-3 /proc/loadavg)"
assemble bench/assemble "$work/tool-cache" warmup >/dev/null
copy_only "$work/buildah-warm"
A=() B=()
for round in $(seq "$reps"); do
  time_it A assemble bench/assemble "$work/tool-cache" "v$round"
  time_it B copy_only "$work/buildah-warm"
done
AC=() BC=()
for round in $(seq "$cold_reps"); do
  time_it AC assemble "bench/assemble-cold-$round" "$work/cold-tools-$round" v1
  time_it BC copy_only "$work/buildah-cold-$round"
done
show "warm: assemble" A
show "warm: buildah bud, COPY-only" B
show "cold: assemble" AC
show "cold: buildah bud, COPY-only" BC
echo "  warm: buildah COPY-only / assemble: $(ratio B A)   (target ≥ 3×)"
echo "  cold: buildah COPY-only / assemble: $(ratio BC AC)   (target ≥ 2×)"

if [ "${BENCH_TEMPLATE:-1}" != 0 ]; then
  echo "making the Go builder image from $(go env GOROOT) (no public image can be pulled here)"
  goroot=$(go env GOROOT)
  umoci init --layout "$work/go-layout" >/dev/null
  umoci new --image "$work/go-layout:go" >/dev/null
  umoci unpack --image "$work/go-layout:go" "$work/go-bundle" >/dev/null
  rootfs=$work/go-bundle/rootfs
  mkdir -p "$rootfs/bin" "$rootfs/usr/local" "$rootfs/etc/ssl/certs" "$rootfs/tmp" "$rootfs/root" "$rootfs/go"
  chmod 1777 "$rootfs/tmp"
  for tool in sh cp mkdir chmod; do
    cp -L "/bin/$tool" "$rootfs/bin/$tool"
    for lib in $(ldd "$(readlink -f "/bin/$tool")" | grep -o '/[^ ]*\.so[^ ]*'); do
      mkdir -p "$rootfs$(dirname "$lib")" && cp -L "$lib" "$rootfs$lib"
    done
  done
  cp /etc/ssl/certs/ca-certificates.crt "$rootfs/etc/ssl/certs/"
  echo 'root:x:0:0:root:/root:/bin/sh' >"$rootfs/etc/passwd"
  cp -a "$goroot" "$rootfs/usr/local/go"
  rm -rf "$rootfs/usr/local/go/test" "$rootfs/usr/local/go/doc" "$rootfs/usr/local/go/api"
  umoci repack --image "$work/go-layout:go" "$work/go-bundle" >/dev/null
  umoci config --image "$work/go-layout:go" --os linux --architecture amd64 \
    --config.env PATH=/usr/local/go/bin:/bin --config.env GOTOOLCHAIN=local --config.env GOPATH=/go \
    --config.env HOME=/root --config.env GOPROXY="$(go env GOPROXY)" >/dev/null
  skopeo copy -q --dest-tls-verify=false "oci:$work/go-layout:go" "docker://$host/tools/golang:1.26"

  T=()
  time_it T action --image "$host/bench/template" --builder buildah --go-image "$host/tools/golang:1.26" --context src \
    --binary-name api --ldflags "-s -w -X main.Version=bench" --tags v1
  show "buildah bud, built-in template (once)" T
  echo "  template / cold assemble: $(ratio T AC)   (target ≥ 10×)"
fi

image_size=$(field_of "$work/assemble.json" size | "$node" -e 'process.stdout.write(String(JSON.parse(require("fs").readFileSync(0,"utf8"))["linux/amd64"]))')
echo "  image linux/amd64: ${image_size} B compressed vs binary ${binary_size} B ($(( (image_size - binary_size) / 1024 )) KiB difference; target ≤ +512 KiB)"
if [ "${#digests[@]}" = 1 ]; then echo "  one digest over every assemble run: ${!digests[*]}"; else echo "  DIFFERENT digests: ${!digests[*]}"; exit 1; fi
