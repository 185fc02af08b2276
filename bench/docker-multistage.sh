#!/usr/bin/env bash
# docker-multistage: the sample service for linux/amd64+arm64, pushed to a local registry (docker-registry on
# 127.0.0.1), built three ways in one run: `assemble` (daemonless, from the cross-built binaries), buildah bud
# of the built-in hardened template (compiles inside), and buildah bud of a COPY-only Dockerfile of the same
# binaries. Prints the time ratios, image size against binary size, and whether two assemble runs give the
# same digest. Targets (issue 5): assemble ≥ 10× faster than the template, ≥ 2× faster than COPY-only;
# image ≤ binary + 512 KiB; same digest twice.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
node=$root/tools/node24/node_modules/node/bin/node
[ -x "$node" ] || node=$(command -v node)
[ -f dist/docker-multistage/index.js ] || node scripts/build.mjs docker-multistage
[ -f dist/cli/index.js ] || node scripts/build.mjs cli

work=$(mktemp -d "${TMPDIR:-/tmp}/gin-deploy-bench-dm-XXXXXX")
registry_pid=
cleanup() {
  local status=$?
  if [ -n "$registry_pid" ]; then kill "$registry_pid" 2>/dev/null; wait "$registry_pid" 2>/dev/null || true; fi
  rm -rf "$work"
  exit "$status"
}
trap cleanup EXIT

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
host=127.0.0.1:$port
cat >"$work/registry.yml" <<EOF
version: 0.1
log: { level: error, accesslog: { disabled: true } }
storage: { filesystem: { rootdirectory: $work/registry } }
http: { addr: $host }
EOF
docker-registry serve "$work/registry.yml" >"$work/registry.log" 2>&1 &
registry_pid=$!
for _ in $(seq 100); do curl -fsS "http://$host/v2/" >/dev/null 2>&1 && break; sleep 0.1; done
curl -fsS "http://$host/v2/" >/dev/null

# buildah keeps its images in this run's folder.
export CONTAINERS_STORAGE_CONF=$work/storage.conf
printf '[storage]\ndriver = "vfs"\ngraphroot = "%s/storage"\nrunroot = "%s/run"\n' "$work" "$work" >"$CONTAINERS_STORAGE_CONF"

now() { date +%s%N; }
ms() { echo $(( ($2 - $1) / 1000000 )); }
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

cp -r test/fixtures/gin-service "$work/src"
cat >"$work/copy/Dockerfile" <<'EOF'
FROM scratch
ARG TARGETARCH
COPY bin/api_${TARGETARCH} /usr/local/bin/api
USER 65532:65532
ENTRYPOINT ["/usr/local/bin/api"]
EOF

echo "assemble (twice), then buildah bud of the template, then buildah bud of the COPY-only Dockerfile"
t0=$(now)
first=$(action --image "$host/bench/assemble" --artifacts "$artifacts" --tags v1 --source-date-epoch 1700000000)
t1=$(now)
second=$(action --image "$host/bench/assemble" --artifacts "$artifacts" --tags v2 --source-date-epoch 1700000000)
t2=$(now)
action --image "$host/bench/template" --builder buildah --go-image "$host/tools/golang:1.26" --context src \
  --binary-name api --ldflags "-s -w -X main.Version=bench" --tags v1 >/dev/null
t3=$(now)
action --image "$host/bench/copy" --builder buildah --dockerfile copy/Dockerfile --context copy --tags v1 >/dev/null
t4=$(now)

assemble_ms=$(ms "$t0" "$t1")
template_ms=$(ms "$t2" "$t3")
copy_ms=$(ms "$t3" "$t4")
image_size=$(echo "$first" | field size | "$node" -e 'process.stdout.write(String(JSON.parse(require("fs").readFileSync(0,"utf8"))["linux/amd64"]))')
d1=$(echo "$first" | field digest)
d2=$(echo "$second" | field digest)

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", a / b }'; }
echo "assemble:                 ${assemble_ms} ms (second run $(ms "$t1" "$t2") ms)"
echo "buildah bud, template:    ${template_ms} ms  → assemble is $(ratio "$template_ms" "$assemble_ms")× faster (target ≥ 10×)"
echo "buildah bud, COPY-only:   ${copy_ms} ms  → assemble is $(ratio "$copy_ms" "$assemble_ms")× faster (target ≥ 2×)"
echo "image linux/amd64:        ${image_size} B compressed vs binary ${binary_size} B → $(ratio "$image_size" "$binary_size")× ($(( (image_size - binary_size) / 1024 )) KiB difference; target ≤ +512 KiB)"
if [ "$d1" = "$d2" ]; then echo "same digest twice:        yes ($d1)"; else echo "same digest twice:        NO ($d1 vs $d2)"; exit 1; fi
