#!/usr/bin/env bash
# Builds (once per machine) the binaries of the test control plane and caches them under
#   ${GIN_DEPLOY_CACHE:-$HOME/.cache/gin-deploy}/k8s-<version>/bin/
# kube-apiserver, kube-controller-manager, kube-scheduler (from k8s.io/kubernetes, compiled
# from Go modules), kwok, kwokctl (sigs.k8s.io/kwok) and etcd (Debian etcd-server, or built
# from go.etcd.io/etcd/server/v3 when no usable /usr/bin/etcd exists).
#
# Idempotent: when the stamp file matches, prints "cached" and exits. Concurrent invocations
# serialise on a flock, so the build runs once.
#
# Environment:
#   GIN_DEPLOY_CACHE      cache root (default $HOME/.cache/gin-deploy)
#   GIN_DEPLOY_ETCD       "auto" (default: Debian etcd-server, installed with apt when missing
#                         and running as root; otherwise build) | "system" | "build"
#   BUILD_LOCK_TIMEOUT    seconds to wait for a concurrent build (default 3600)
# Prints the bin directory as the last line of stdout.
set -euo pipefail

# Pinned versions. kwok v0.8.0 needs Go >= 1.26; Kubernetes v1.33 builds with Go 1.26.
readonly K8S_VERSION="v1.33.13"
readonly KWOK_VERSION="v0.8.0"
readonly ETCD_BUILD_VERSION="v3.5.21" # the etcd client version Kubernetes v1.33 uses

readonly CACHE_ROOT="${GIN_DEPLOY_CACHE:-$HOME/.cache/gin-deploy}"
readonly ROOT="$CACHE_ROOT/k8s-$K8S_VERSION"
readonly BIN="$ROOT/bin"
readonly STAMP="$ROOT/stamp"
readonly LOCK="$ROOT/build.lock"
readonly STAMP_CONTENT="kubernetes=$K8S_VERSION kwok=$KWOK_VERSION"
readonly ETCD_MODE="${GIN_DEPLOY_ETCD:-auto}"

log() { printf '[build] %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

stamp_ok() {
  [[ -f "$STAMP" ]] && [[ "$(head -n1 "$STAMP")" == "$STAMP_CONTENT" ]] || return 1
  local b
  for b in kube-apiserver kube-controller-manager kube-scheduler kwok kwokctl etcd; do
    [[ -x "$BIN/$b" ]] || return 1
  done
}

if stamp_ok; then
  log "cached ($STAMP_CONTENT) in $BIN"
  echo "cached"
  echo "$BIN"
  exit 0
fi

command -v go >/dev/null || die "go is not on PATH"
command -v flock >/dev/null || die "flock (util-linux) is not on PATH"
mkdir -p "$BIN"

exec 9>"$LOCK"
if ! flock -n 9; then
  log "another build holds $LOCK; waiting up to ${BUILD_LOCK_TIMEOUT:-3600}s"
  flock -w "${BUILD_LOCK_TIMEOUT:-3600}" 9 || die "timed out waiting for $LOCK"
fi
# Re-check: the holder of the lock may have finished the build meanwhile.
if stamp_ok; then
  log "cached (built by a concurrent invocation) in $BIN"
  echo "cached"
  echo "$BIN"
  exit 0
fi

start=$(date +%s)
export GOFLAGS="-buildvcs=false"
export CGO_ENABLED=0

# ---------- Kubernetes control plane ----------
build_kubernetes() {
  local want=(kube-apiserver kube-controller-manager kube-scheduler) b missing=0
  for b in "${want[@]}"; do [[ -x "$BIN/$b" ]] || missing=1; done
  if [[ $missing == 0 ]] && "$BIN/kube-apiserver" --version 2>/dev/null | grep -qx "Kubernetes $K8S_VERSION"; then
    log "kubernetes $K8S_VERSION binaries already present"
    return
  fi
  local mod="$ROOT/src/kubernetes"
  rm -rf "$mod" && mkdir -p "$mod"
  log "resolving k8s.io/kubernetes@$K8S_VERSION"
  local gomod
  gomod=$(cd "$mod" && GOFLAGS=-mod=mod go mod download -json "k8s.io/kubernetes@$K8S_VERSION" |
    sed -n 's/^[[:space:]]*"GoMod": "\(.*\)",$/\1/p')
  [[ -f "$gomod" ]] || die "could not download k8s.io/kubernetes@$K8S_VERSION"
  # Every staging module (replace k8s.io/x => ./staging/src/k8s.io/x) is published as v0.Y.Z.
  local staging_version="v0.${K8S_VERSION#v1.}"
  local goline
  goline=$(grep -m1 '^go ' "$gomod")
  {
    echo "module gin-deploy.test/kubernetes-build"
    echo
    echo "$goline"
    echo
    echo "require k8s.io/kubernetes $K8S_VERSION"
    echo
    echo "replace ("
    grep -E '^[[:space:]]*k8s\.io/[a-z0-9-]+ => \./staging/src/' "$gomod" |
      awk -v v="$staging_version" '{ printf "\t%s => %s %s\n", $1, $1, v }'
    echo ")"
  } >"$mod/go.mod"
  cat >"$mod/tools.go" <<'EOF'
//go:build tools

package tools

import (
	_ "k8s.io/kubernetes/cmd/kube-apiserver"
	_ "k8s.io/kubernetes/cmd/kube-controller-manager"
	_ "k8s.io/kubernetes/cmd/kube-scheduler"
)
EOF
  log "go mod tidy ($(grep -c ' => ' "$mod/go.mod") staging replaces at $staging_version)"
  (cd "$mod" && go mod tidy)

  local major minor rest
  major=${K8S_VERSION#v}; major=${major%%.*}
  rest=${K8S_VERSION#v*.}; minor=${rest%%.*}
  local ldflags="-s -w"
  local pkg
  for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    ldflags+=" -X $pkg.gitVersion=$K8S_VERSION -X $pkg.gitMajor=$major -X $pkg.gitMinor=$minor"
    ldflags+=" -X $pkg.gitTreeState=clean -X $pkg.buildDate=1970-01-01T00:00:00Z"
  done
  log "go build kube-apiserver kube-controller-manager kube-scheduler ($K8S_VERSION)"
  local t0
  t0=$(date +%s)
  (cd "$mod" && go build -p 2 -trimpath -ldflags "$ldflags" -o "$BIN/" \
    k8s.io/kubernetes/cmd/kube-apiserver \
    k8s.io/kubernetes/cmd/kube-controller-manager \
    k8s.io/kubernetes/cmd/kube-scheduler)
  log "kubernetes built in $(( $(date +%s) - t0 ))s"
}

# ---------- kwok / kwokctl ----------
build_kwok() {
  if [[ -x "$BIN/kwokctl" && -x "$BIN/kwok" ]] && "$BIN/kwokctl" --version 2>/dev/null | grep -q "${KWOK_VERSION#v}"; then
    log "kwok $KWOK_VERSION already present"
    return
  fi
  log "go install kwok kwokctl ($KWOK_VERSION)"
  local t0
  t0=$(date +%s)
  GOBIN="$BIN" go install -p 2 -trimpath -ldflags "-s -w" \
    "sigs.k8s.io/kwok/cmd/kwok@$KWOK_VERSION" "sigs.k8s.io/kwok/cmd/kwokctl@$KWOK_VERSION"
  log "kwok built in $(( $(date +%s) - t0 ))s"
}

# ---------- etcd ----------
# Kubernetes v1.33 talks to etcd with the v3.5 client; etcd 3.4 servers (Debian bookworm has
# 3.4.23) serve that API too. Require >= 3.4.
etcd_version_ok() {
  local v
  v=$("$1" --version 2>/dev/null | sed -n 's/^etcd Version: \([0-9.]*\).*/\1/p')
  [[ -n "$v" ]] || return 1
  local maj=${v%%.*} rest=${v#*.}
  local min=${rest%%.*}
  (( maj > 3 || (maj == 3 && min >= 4) ))
}

build_etcd_from_source() {
  local mod="$ROOT/src/etcd"
  rm -rf "$mod" && mkdir -p "$mod"
  log "building etcd $ETCD_BUILD_VERSION from go.etcd.io/etcd/server/v3"
  cat >"$mod/go.mod" <<EOF
module gin-deploy.test/etcd-build

go 1.24

require go.etcd.io/etcd/server/v3 $ETCD_BUILD_VERSION
EOF
  cat >"$mod/main.go" <<'EOF'
// Command etcd starts an etcd server (the same entry point as etcd's own server/main.go).
package main

import (
	"os"

	"go.etcd.io/etcd/server/v3/etcdmain"
)

func main() { etcdmain.Main(os.Args) }
EOF
  (cd "$mod" && go mod tidy && go build -p 2 -trimpath -ldflags "-s -w" -o "$BIN/etcd.new" .)
  mv -f "$BIN/etcd.new" "$BIN/etcd"
}

provide_etcd() {
  if [[ -x "$BIN/etcd" && ! -L "$BIN/etcd" ]] && etcd_version_ok "$BIN/etcd"; then
    log "etcd already built: $("$BIN/etcd" --version | head -n1)"
    return
  fi
  if [[ "$ETCD_MODE" != build ]]; then
    if [[ ! -x /usr/bin/etcd && "$ETCD_MODE" == auto && $(id -u) == 0 ]] && command -v apt-get >/dev/null; then
      log "apt-get install -y etcd-server"
      DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends etcd-server >&2 ||
        log "apt-get install etcd-server failed; will build etcd"
    fi
    if [[ -x /usr/bin/etcd ]] && etcd_version_ok /usr/bin/etcd; then
      ln -sfn /usr/bin/etcd "$BIN/etcd"
      log "using $(/usr/bin/etcd --version | head -n1) from /usr/bin/etcd"
      return
    fi
    [[ "$ETCD_MODE" == system ]] && die "GIN_DEPLOY_ETCD=system but no usable /usr/bin/etcd"
  fi
  rm -f "$BIN/etcd"
  build_etcd_from_source
}

provide_etcd
build_kwok
build_kubernetes

"$BIN/kube-apiserver" --version >&2
"$BIN/kwokctl" --version >&2
"$BIN/etcd" --version | head -n1 >&2
echo "$STAMP_CONTENT" >"$STAMP"
echo "built_in_seconds=$(( $(date +%s) - start ))" >>"$STAMP"
log "done in $(( $(date +%s) - start ))s"
echo "$BIN"
