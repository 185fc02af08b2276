#!/usr/bin/env bash
# Deletes a cluster started by up.sh and makes sure none of its processes is left.
#
#   bash test/cluster/down.sh [name]        (name: $GIN_DEPLOY_CLUSTER_NAME or gin-deploy-test)
#
# Idempotent: deleting a cluster that does not exist succeeds.
set -euo pipefail
LOG_TAG=down
# shellcheck source-path=SCRIPTDIR source=common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

NAME=$(cluster_name "${1:-}")
DIR=$(cluster_dir "$NAME")
KWOKCTL="$GIN_DEPLOY_CACHE/k8s-$(sed -n 's/^readonly K8S_VERSION="\(.*\)"$/\1/p' "$CLUSTER_SCRIPTS_DIR/build.sh")/bin/kwokctl"

# Collect the processes before kwokctl removes the directory with the pid files.
pids=$(cluster_pids "$DIR")

if [[ -d "$DIR" && -x "$KWOKCTL" ]]; then
  log "kwokctl delete cluster --name $NAME"
  timeout --kill-after=5 60 "$KWOKCTL" --name "$NAME" delete cluster >&2 ||
    log "kwokctl delete cluster failed; removing the leftovers directly"
fi

# Whatever is still running: TERM, then KILL after 10 s.
pids="$(printf '%s\n%s\n' "$pids" "$(cluster_pids "$DIR")" | sort -un | grep -v '^$' || true)"
alive() {
  local p out=()
  for p in $pids; do
    if [[ -d /proc/$p ]] && [[ "$(cut -d' ' -f3 "/proc/$p/stat" 2>/dev/null)" != Z ]]; then
      out+=("$p")
    fi
  done
  echo "${out[*]:-}"
}
left=$(alive)
if [[ -n "$left" ]]; then
  log "stopping leftover processes: $left"
  # shellcheck disable=SC2086
  kill -TERM $left 2>/dev/null || true
  for _ in $(seq 1 20); do
    left=$(alive)
    [[ -z "$left" ]] && break
    sleep 0.5
  done
  if [[ -n "$left" ]]; then
    log "killing: $left"
    # shellcheck disable=SC2086
    kill -KILL $left 2>/dev/null || true
    sleep 0.5
  fi
fi
left=$(alive)
[[ -z "$left" ]] || die "processes still running: $left"

rm -rf "$DIR" "$KWOK_WORKDIR/gin-deploy/$NAME.yaml"
log "cluster $NAME deleted"
