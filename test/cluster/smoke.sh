#!/usr/bin/env bash
# Issue 7's "done when", as a script: starts a cluster, checks nodes, a healthy rollout, the
# three failure modes, Service endpoints and scale-down, deletes the cluster and checks that no
# process or port is left. Exits non-zero on the first failure; every wait is bounded.
#
#   bash test/cluster/smoke.sh [name]       (default name: gin-deploy-smoke)
set -euo pipefail
LOG_TAG=smoke
# shellcheck source-path=SCRIPTDIR source=common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

NAME=$(cluster_name "${1:-gin-deploy-smoke}")
DIR=$(cluster_dir "$NAME")
KUBECTL="${KUBECTL:-$(command -v kubectl)}"
NS=smoke

cleanup() {
  local rc=$?
  if [[ $rc != 0 ]]; then
    log "FAILED (exit $rc); cluster state:"
    if [[ -n "${KCFG:-}" ]]; then
      k get nodes,all,endpointslices -A -o wide >&2 || true
    fi
  fi
  bash "$CLUSTER_SCRIPTS_DIR/down.sh" "$NAME" >&2 || true
  exit $rc
}
trap cleanup EXIT

pass() { log "ok: $*"; }
fail() { log "FAIL: $*"; exit 1; }

# wait_until <seconds> <description> <command...>
wait_until() {
  local secs="$1" what="$2"; shift 2
  local deadline=$(( $(date +%s) + secs ))
  until "$@"; do
    (( $(date +%s) < deadline )) || fail "timed out after ${secs}s: $what"
    sleep 1
  done
}

t0=$(date +%s)
up_out=$(bash "$CLUSTER_SCRIPTS_DIR/up.sh" "$NAME")
KCFG=$(tail -n1 <<<"$up_out")
[[ "$KCFG" == KUBECONFIG=* ]] || fail "up.sh's last line is not KUBECONFIG=...: $KCFG"
KCFG=${KCFG#KUBECONFIG=}
log "up in $(( $(date +%s) - t0 ))s, kubeconfig $KCFG"
k() { "$KUBECTL" --kubeconfig "$KCFG" --request-timeout=15s "$@"; }
API_PORT=$(k config view -o jsonpath='{.clusters[0].cluster.server}' | sed 's/.*://')
[[ "$(k config view -o jsonpath='{.clusters[0].cluster.server}')" == https://127.0.0.1:* ]] ||
  fail "apiserver is not on 127.0.0.1"

# --- nodes
ready_nodes=$(k get nodes -o jsonpath='{range .items[*]}{.metadata.name}={.status.conditions[?(@.type=="Ready")].status}{"\n"}{end}')
[[ "$(grep -c '=True$' <<<"$ready_nodes")" == 2 ]] || fail "want 2 Ready nodes, got: $ready_nodes"
pass "2 kwok nodes Ready"

# --- workloads
k create namespace "$NS" >/dev/null
deployment() { # name replicas image [fail-label]
  local labels="app: $1"
  [[ -n "${4:-}" ]] && labels+=$'\n'"        gin-deploy.test/fail: $4"
  cat <<EOF
apiVersion: apps/v1
kind: Deployment
metadata: { name: $1, namespace: $NS }
spec:
  replicas: $2
  progressDeadlineSeconds: 30
  selector: { matchLabels: { app: $1 } }
  template:
    metadata:
      labels:
        $labels
    spec:
      containers:
      - name: app
        image: $3
        ports: [{ containerPort: 8080 }]
EOF
}
{
  deployment ok 3 registry.local/gin-app:1.0.0
  echo "---"
  cat <<EOF
apiVersion: v1
kind: Service
metadata: { name: ok, namespace: $NS }
spec:
  selector: { app: ok }
  ports: [{ port: 80, targetPort: 8080 }]
EOF
  echo "---"; deployment never-ready 2 registry.local/gin-app:1.0.0 never-ready
  echo "---"; deployment crashloop 2 registry.local/gin-app:1.0.0 crashloop
  # image-pull is selected by the image name (no label), the form a bad release takes.
  echo "---"; deployment image-pull 2 registry.local/gin-app:fail-image-pull
} | k apply -f - >&2

t=$(date +%s)
k -n "$NS" rollout status deployment/ok --timeout=60s >&2 || fail "deployment ok did not roll out in 60s"
pass "deployment ok (3 replicas) rolled out in $(( $(date +%s) - t ))s"

endpoints_ready() {
  local n
  n=$(k -n "$NS" get endpointslices -l kubernetes.io/service-name=ok \
    -o jsonpath='{range .items[*].endpoints[?(@.conditions.ready==true)]}{.addresses[0]}{"\n"}{end}' | grep -c . || true)
  [[ "$n" == 3 ]]
}
wait_until 30 "3 ready endpoints in the EndpointSlices of service ok" endpoints_ready
[[ "$(k -n "$NS" get endpoints ok -o jsonpath='{.subsets[*].addresses[*].ip}' | wc -w)" == 3 ]] ||
  fail "Endpoints ok does not list 3 addresses"
pass "service ok has 3 ready endpoints"

# pod_field <app> <jsonpath>: the field of every pod of the deployment, one line each.
pod_field() {
  k -n "$NS" get pods -l "app=$1" -o jsonpath="{range .items[*]}$2{\"\\n\"}{end}"
}
all_lines_match() { # <regex> <text>: every line matches, and there are 2 lines
  local re="$1" text="$2"
  [[ "$(grep -c . <<<"$text" || true)" == 2 ]] && ! grep -qvE "$re" <<<"$text"
}
pods_show() { # app jsonpath regex
  all_lines_match "$3" "$(pod_field "$1" "$2")"
}

# never-ready: Running, container running, ready=false, Ready=False.
wait_until 30 "never-ready pods Running with a running, unready container" pods_show never-ready \
  '{.status.phase}/{.status.containerStatuses[0].state.running.startedAt}/{.status.containerStatuses[0].ready}/{.status.conditions[?(@.type=="Ready")].status}' \
  '^Running/[0-9TZ:.-]+/false/False$'
pass "never-ready: Running, containers running but not ready"

# crashloop: waiting CrashLoopBackOff, lastState terminated, restartCount climbing.
wait_until 40 "crashloop pods in CrashLoopBackOff with restartCount >= 2" pods_show crashloop \
  '{.status.containerStatuses[0].state.waiting.reason}/{.status.containerStatuses[0].lastState.terminated.exitCode}/{.status.containerStatuses[0].restartCount}' \
  '^CrashLoopBackOff/1/([2-9]|[1-9][0-9]+)$'
r1=$(pod_field crashloop '{.status.containerStatuses[0].restartCount}' | sort -n | tail -n1)
restarts_grew() {
  local r2
  r2=$(pod_field crashloop '{.status.containerStatuses[0].restartCount}' | sort -n | tail -n1)
  (( r2 > r1 ))
}
wait_until 20 "crashloop restartCount to grow past $r1" restarts_grew
pass "crashloop: CrashLoopBackOff, restartCount increasing"

# image-pull: Pending, waiting ErrImagePull, then ImagePullBackOff.
wait_until 30 "image-pull pods Pending with ImagePullBackOff" pods_show image-pull \
  '{.status.phase}/{.status.containerStatuses[0].state.waiting.reason}' '^Pending/ImagePullBackOff$'
pass "image-pull: Pending, ImagePullBackOff"

for d in never-ready crashloop image-pull; do
  avail=$(k -n "$NS" get deployment "$d" -o jsonpath='{.status.availableReplicas}')
  [[ -z "$avail" || "$avail" == 0 ]] || fail "deployment $d has $avail available replicas"
  if k -n "$NS" rollout status "deployment/$d" --timeout=5s >/dev/null 2>&1; then
    fail "rollout status of $d succeeded"
  fi
done
pass "failing deployments never become available"

# Failing pods are not ready endpoints.
k -n "$NS" expose deployment never-ready --port 80 --target-port 8080 >/dev/null
not_ready_endpoints() {
  [[ "$(k -n "$NS" get endpointslices -l kubernetes.io/service-name=never-ready \
    -o jsonpath='{range .items[*].endpoints[*]}{.conditions.ready}{"\n"}{end}' | grep -c '^false$' || true)" == 2 ]]
}
wait_until 30 "2 not-ready endpoints for service never-ready" not_ready_endpoints
pass "service never-ready lists its pods as not ready"

# Scale-down and deletion: kwok removes deleted pods.
k -n "$NS" scale deployment ok --replicas=1 >/dev/null
one_pod() { [[ "$(k -n "$NS" get pods -l app=ok -o name | grep -c . || true)" == 1 ]]; }
wait_until 30 "deployment ok scaled down to 1 pod" one_pod
k -n "$NS" delete deployment crashloop --wait=false >/dev/null
no_pods() { [[ -z "$(k -n "$NS" get pods -l app=crashloop -o name)" ]]; }
wait_until 30 "crashloop pods deleted" no_pods
pass "scale-down and deletion remove pods"

# --- down
trap - EXIT
bash "$CLUSTER_SCRIPTS_DIR/down.sh" "$NAME" >&2
left=$(cluster_pids "$DIR")
[[ -z "$left" ]] || fail "processes left after down.sh: $left"
if (exec 3<>"/dev/tcp/127.0.0.1/$API_PORT") 2>/dev/null; then
  fail "port $API_PORT still accepts connections after down.sh"
fi
bash "$CLUSTER_SCRIPTS_DIR/down.sh" "$NAME" >&2 || fail "down.sh is not idempotent"
pass "down left no process; port $API_PORT is free"
log "all checks passed in $(( $(date +%s) - t0 ))s"
