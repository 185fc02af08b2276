#!/usr/bin/env bash
# k8s-rollout against the local test cluster (test/cluster), measured in one run:
#  1. a crash-looping release: first failing pod state → verdict, and → healthy rolled-back Deployment,
#     compared with `kubectl rollout status`, which only fails at the progress deadline (600 s by default;
#     measured here with progressDeadlineSeconds=$DEADLINE so the bench stays short);
#  2. a good release: when the action reports success vs when the controller marked the Deployment complete;
#  3. a good release while kube-apiserver is killed and started again 7 s later: API server ready again →
#     the action's verdict (bench/apiserver-restart.ts does the restart).
# Prints seconds and ratios. Needs the bundle (node scripts/build.mjs k8s-rollout) and the cluster binaries.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
NAME=bench-k8s-rollout-$$
DEADLINE=${DEADLINE:-30}
WORK=$(mktemp -d)
cleanup() { bash "$ROOT/test/cluster/down.sh" "$NAME" >/dev/null 2>&1 || true; rm -rf "$WORK"; }
trap cleanup EXIT

now() { date +%s.%N; }
stamp() { while IFS= read -r line; do printf '%s %s\n' "$(now)" "$line"; done; }
first_time() { grep -m1 -E "$2" "$1" | cut -d' ' -f1; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }

export KUBECONFIG
KUBECONFIG=$(bash "$ROOT/test/cluster/up.sh" "$NAME" 2>/dev/null | tail -n1 | sed 's/^KUBECONFIG=//')
kubectl create namespace bench >/dev/null

manifest() { # name image deadline
  cat <<EOF
apiVersion: apps/v1
kind: Deployment
metadata: { name: $1 }
spec:
  replicas: 3
  progressDeadlineSeconds: $3
  selector: { matchLabels: { app: $1 } }
  strategy: { rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } }
  template:
    metadata: { labels: { app: $1 } }
    spec:
      securityContext: { runAsNonRoot: true, runAsUser: 65532 }
      containers:
        - name: api
          image: $2
          readinessProbe: { httpGet: { path: /ready, port: 8080 } }
          livenessProbe: { httpGet: { path: /health, port: 8080 } }
          resources: { requests: { cpu: 50m, memory: 64Mi }, limits: { cpu: 500m, memory: 256Mi } }
EOF
}
good() { echo "registry.local/bench@sha256:$(printf "$1%.0s" {1..64})"; }
BAD="registry.local/fail-crashloop/bench@sha256:$(printf 'f%.0s' {1..64})"

rollout() { # manifest-file image
  "$ROOT/bin/gin-deploy" k8s-rollout --manifests "$1" --image "$2" --namespace bench --kubeconfig "$KUBECONFIG" \
    --ready-timeout 60s --timeout 5m 2>&1 | stamp || true
}

# --- 1. a failing release --------------------------------------------------------------------------------
manifest app "$(good a)" 600 >"$WORK/app.yaml"
rollout "$WORK/app.yaml" "$(good a)" >/dev/null
kubectl -n bench get pods -l app=app -w -o jsonpath='{.metadata.name} {.status.containerStatuses[*].state.waiting.reason}{"\n"}' \
  2>/dev/null | stamp >"$WORK/pods.log" &
WATCH=$!
sleep 1
rollout "$WORK/app.yaml" "$BAD" >"$WORK/ours.log"
kill "$WATCH" 2>/dev/null || true
t_state=$(first_time "$WORK/pods.log" 'CrashLoopBackOff')
t_verdict=$(first_time "$WORK/ours.log" '\] failed: ')
t_healthy=$(first_time "$WORK/ours.log" 'healthy again')
t_start=$(head -n1 "$WORK/ours.log" | cut -d' ' -f1)

# kubectl: the same bad release applied by hand, then `kubectl rollout status` until it gives up.
manifest ref "$(good a)" "$DEADLINE" | kubectl -n bench apply -f - >/dev/null
kubectl -n bench rollout status deployment/ref --timeout=2m >/dev/null
kubectl -n bench get pods -l app=ref -w -o jsonpath='{.metadata.name} {.status.containerStatuses[*].state.waiting.reason}{"\n"}' \
  2>/dev/null | stamp >"$WORK/ref-pods.log" &
WATCH=$!
manifest ref "$BAD" "$DEADLINE" | kubectl -n bench apply -f - >/dev/null
kubectl -n bench rollout status deployment/ref --timeout=10m >/dev/null 2>&1 || true
t_kubectl=$(now)
kill "$WATCH" 2>/dev/null || true
t_ref_state=$(first_time "$WORK/ref-pods.log" 'CrashLoopBackOff')

# --- 2. a good release ----------------------------------------------------------------------------------
rollout "$WORK/app.yaml" "$(good b)" >"$WORK/good.log"
t_done=$(first_time "$WORK/good.log" 'successfully rolled out')
t_available=$(kubectl -n bench get deployment app -o jsonpath='{.status.conditions[?(@.type=="Progressing")].lastUpdateTime}')
t_available=$(date -d "$t_available" +%s)

# --- 3. a good release through an API server restart ------------------------------------------------------
bash "$ROOT/scripts/run-ts.sh" "$ROOT/bench/apiserver-restart.ts" "$KUBECONFIG" bench app 7000 2>&1 | stamp >"$WORK/restart.log" &
RESTART=$!
until grep -q ' waiting' "$WORK/restart.log"; do kill -0 "$RESTART" 2>/dev/null || break; sleep 0.5; done
rollout "$WORK/app.yaml" "$(good c)" >"$WORK/outage.log"
t_back=$(first_time "$WORK/restart.log" ' ready$')
t_outage_verdict=$(first_time "$WORK/outage.log" 'successfully rolled out|\] failed: ')
outage_status=$(grep -m1 -oE '^[0-9.]+ status=[a-z-]+' "$WORK/outage.log" | cut -d= -f2)
wait "$RESTART" || true

verdict=$(secs "$t_state" "$t_verdict")
healthy=$(secs "$t_state" "$t_healthy")
kubectl_fail=$(secs "$t_ref_state" "$t_kubectl")
lag=$(secs "$t_available" "$t_done")
echo "k8s-rollout bench (test cluster $NAME; kubectl progress deadline ${DEADLINE}s, default 600s)"
echo "  failing release: first CrashLoopBackOff → verdict            ${verdict} s   (target ≤ 10 s)"
echo "  failing release: first CrashLoopBackOff → healthy rolled back ${healthy} s   (target ≤ 30 s)"
echo "  failing release: action start → verdict (includes the stages' simulated crash) $(secs "$t_start" "$t_verdict") s"
echo "  kubectl rollout status: first CrashLoopBackOff → failure      ${kubectl_fail} s"
awk -v k="$kubectl_fail" -v v="$verdict" -v d="$DEADLINE" 'BEGIN {
  if (v < 0.01) { print "  ratio kubectl/k8s-rollout to a verdict: n/a (verdict < 0.01 s, below the resolution)"; exit }
  printf "  ratio kubectl/k8s-rollout to a verdict: %.0fx here, ~%.0fx at the default 600 s deadline\n", k / v, (k - d + 600) / v }'
echo "  good release: action's success − controller's complete (1 s resolution)  ${lag} s   (target ≤ 2 s)"
echo "  API server restart mid-rollout: API server ready again → verdict ($outage_status)  $(secs "$t_back" "$t_outage_verdict") s"
