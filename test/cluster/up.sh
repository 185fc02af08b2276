#!/usr/bin/env bash
# Starts a real Kubernetes control plane (etcd, kube-apiserver, kube-controller-manager,
# kube-scheduler) with kwok simulating two nodes and their pods, all on 127.0.0.1.
#
#   bash test/cluster/up.sh [name]          (name: $GIN_DEPLOY_CLUSTER_NAME or gin-deploy-test)
#
# Builds the binaries first when they are not cached (test/cluster/build.sh). A cluster that
# already exists under the same name is deleted and created afresh. Logs go to stderr; the last
# line of stdout is KUBECONFIG=<path>.
#
# Environment: GIN_DEPLOY_CACHE, KWOK_WORKDIR (see common.sh), UP_TIMEOUT (seconds, default 90:
# the bound on each wait after the binaries are built), GIN_DEPLOY_KEEP_FAILED=1 (leave a
# cluster that failed to come up running, for debugging).
set -euo pipefail
LOG_TAG=up
# shellcheck source-path=SCRIPTDIR source=common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

NAME=$(cluster_name "${1:-}")
DIR=$(cluster_dir "$NAME")
UP_TIMEOUT="${UP_TIMEOUT:-90}"

BIN=$(bash "$CLUSTER_SCRIPTS_DIR/build.sh" | tail -n1)
[[ -x "$BIN/kwokctl" ]] || die "build.sh did not produce $BIN/kwokctl"

KUBECTL="${KUBECTL:-$(command -v kubectl || true)}"
[[ -x "$KUBECTL" ]] || die "kubectl not found (set KUBECTL=/path/to/kubectl)"

if [[ -e "$DIR" ]]; then
  log "cluster $NAME exists; deleting it first"
  bash "$CLUSTER_SCRIPTS_DIR/down.sh" "$NAME" >&2
fi

t0=$(date +%s)
# kwokctl configuration: every component binds 127.0.0.1; the stages replace kwokctl's default
# ones (passing any Stage drops all defaults, so stages/node.yaml carries the node stages).
CONFIG_DIR="$KWOK_WORKDIR/gin-deploy"
mkdir -p "$CONFIG_DIR"
CONFIG="$CONFIG_DIR/$NAME.yaml"
{
  cat <<EOF
apiVersion: config.kwok.x-k8s.io/v1alpha1
kind: KwokctlConfiguration
options:
  runtime: binary
  bindAddress: 127.0.0.1
  kubectlBinary: $KUBECTL
EOF
  for f in "$CLUSTER_SCRIPTS_DIR"/stages/*.yaml; do
    echo "---"
    cat "$f"
  done
} >"$CONFIG"

# Never download anything: every binary kwokctl could want is a local path (kubectl is also
# found on PATH first). KWOK_KUBECTL_BINARY covers older code paths that read only the env.
export KWOK_KUBECTL_BINARY="$KUBECTL"
create=(
  "$BIN/kwokctl" --name "$NAME" --config "$CONFIG"
  create cluster
  --runtime binary
  --kubeconfig ""
  --kube-apiserver-binary "$BIN/kube-apiserver"
  --kube-controller-manager-binary "$BIN/kube-controller-manager"
  --kube-scheduler-binary "$BIN/kube-scheduler"
  --kwok-controller-binary "$BIN/kwok"
  --etcd-binary "$BIN/etcd"
  # Nodes report InternalIP 127.0.0.1 (so pods get hostIP 127.0.0.1), and pod IPs come from a
  # /16 rather than kwok's default /24, so that long test runs do not run out of addresses.
  --extra-args kwok-controller=node-ip=127.0.0.1
  --extra-args kwok-controller=cidr=10.0.0.1/16
  # Only the fake nodes (nodes.yaml): a node without the annotation, like the demo kubelet's, is left alone.
  --extra-args kwok-controller=manage-all-nodes=false
  --extra-args kwok-controller=manage-nodes-with-annotation-selector=kwok.x-k8s.io/node=fake
  --timeout "${UP_TIMEOUT}s"
)

fail() {
  log "error: $*"
  if [[ -d "$DIR/logs" ]]; then
    local f
    for f in "$DIR"/logs/*.log; do
      [[ -f "$f" ]] || continue
      log "---- last lines of $f"
      tail -n 20 "$f" >&2 || true
    done
  fi
  if [[ "${GIN_DEPLOY_KEEP_FAILED:-0}" != 1 ]]; then
    bash "$CLUSTER_SCRIPTS_DIR/down.sh" "$NAME" >&2 || true
  fi
  exit 1
}

# kwokctl picks each port as the first free one below 32768 that no other cluster's kwok.yaml
# claims, so two concurrent creations would pick the same ports: take turns. The components
# must not inherit the lock's descriptor (8>&-).
exec 8>"$KWOK_WORKDIR/create.lock"
flock -w "$UP_TIMEOUT" 8 || die "timed out after ${UP_TIMEOUT}s waiting for $KWOK_WORKDIR/create.lock"
log "creating cluster $NAME in $DIR"
# kwokctl's stdout is not ours: the last line of our stdout must be KUBECONFIG=.
if ! timeout --kill-after=10 "$((UP_TIMEOUT + 30))" "${create[@]}" >&2 8>&-; then
  flock -u 8
  fail "kwokctl create cluster failed"
fi
flock -u 8
exec 8>&-

KCFG="$DIR/kubeconfig.yaml"
[[ -f "$KCFG" ]] || fail "no kubeconfig at $KCFG"
k() { "$KUBECTL" --kubeconfig "$KCFG" --request-timeout=10s "$@"; }

# A component that exited (bad flag, port taken, ...) fails the start at once.
check_components() {
  local f pid
  for f in "$DIR"/pids/*.pid; do
    [[ -f "$f" ]] || continue
    pid=$(tr -dc '0-9' <"$f")
    [[ -n "$pid" && -d "/proc/$pid" ]] || fail "$(basename "$f" .pid) exited"
  done
}

# wait_for <description> <command...>: retries the command every 0.5 s until UP_TIMEOUT.
wait_for() {
  local what="$1"; shift
  local deadline=$(( $(date +%s) + UP_TIMEOUT ))
  until "$@" >/dev/null 2>&1; do
    check_components
    (( $(date +%s) < deadline )) || fail "timed out after ${UP_TIMEOUT}s waiting for $what"
    sleep 0.5
  done
}

wait_for "kube-apiserver /readyz" k get --raw /readyz
k apply -f "$CLUSTER_SCRIPTS_DIR/nodes.yaml" >&2 || fail "could not create the nodes"
wait_for "nodes Ready" k wait --for=condition=Ready node --all --timeout=5s
# Pods cannot be created before the service account controller made "default".
wait_for "serviceaccount default/default" k -n default get serviceaccount default

log "cluster $NAME up in $(( $(date +%s) - t0 ))s"
k get nodes -o wide >&2 || true
echo "KUBECONFIG=$KCFG"
