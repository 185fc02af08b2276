# Shared settings for up.sh, down.sh and smoke.sh (sourced, not executed).
# shellcheck shell=bash

# shellcheck disable=SC2034 # used by the scripts that source this file
CLUSTER_SCRIPTS_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
GIN_DEPLOY_CACHE="${GIN_DEPLOY_CACHE:-$HOME/.cache/gin-deploy}"
# kwokctl keeps each cluster in $KWOK_WORKDIR/clusters/<name>/ (pids, logs, pki, kubeconfig),
# so clusters with different names coexist.
export KWOK_WORKDIR="${KWOK_WORKDIR:-$GIN_DEPLOY_CACHE/kwok}"
DEFAULT_CLUSTER_NAME="gin-deploy-test"

log() { printf '[%s] %s\n' "${LOG_TAG:-cluster}" "$*" >&2; }
die() { log "error: $*"; exit 1; }

# cluster_name <arg>: the name from the first argument, $GIN_DEPLOY_CLUSTER_NAME or the default.
cluster_name() {
  local name="${1:-${GIN_DEPLOY_CLUSTER_NAME:-$DEFAULT_CLUSTER_NAME}}"
  [[ "$name" =~ ^[a-z0-9]([a-z0-9-]{0,40}[a-z0-9])?$ ]] ||
    die "invalid cluster name '$name' (lower-case letters, digits and '-', at most 42 characters)"
  printf '%s\n' "$name"
}

cluster_dir() { printf '%s/clusters/%s\n' "$KWOK_WORKDIR" "$1"; }

# cluster_pids <dir>: pids of live processes whose command line mentions the cluster directory
# (every component gets its config, data, pki or kubeconfig path from there; kwokctl's pid
# files name the same processes).
cluster_pids() {
  local dir="$1" f pid matches
  # grep matches its own command line too; it has exited by the time of the -d test.
  matches=$(grep -laF -- "$dir/" /proc/[0-9]*/cmdline 2>/dev/null || true)
  for f in $matches; do
    pid=${f#/proc/}
    pid=${pid%/cmdline}
    if [[ -d "/proc/$pid" && "$pid" != "$$" && "$pid" != "${BASHPID:-}" ]]; then
      echo "$pid"
    fi
  done
  return 0
}
