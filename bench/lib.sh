# Shared by the bench scripts (sourced): timing, medians and ratios that respect the timer's resolution.
# Times are seconds with 3 decimals; a figure below RESOLUTION is a bound (`< 0.01 s`), never divided.

RESOLUTION=${RESOLUTION:-0.01}

now() { date +%s.%N; }

# time_it VAR command...: runs the command (output kept in $BENCH_LOG) and appends its wall time to the array
# VAR; a failing command stops the bench with its output.
time_it() {
  local -n into=$1
  shift
  local start end
  start=$(now)
  "$@" >"${BENCH_LOG:-/tmp/bench-last.log}" 2>&1 || { cat "${BENCH_LOG:-/tmp/bench-last.log}" >&2; echo "failed: $*" >&2; exit 1; }
  end=$(now)
  into+=("$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.3f", b - a }')")
}

# stats v1 v2 ...: "median min max"
stats() {
  printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END {
    m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
    printf "%.3f %.3f %.3f", m, v[1], v[NR] }'
}

# seconds "median min max": "1.234 s (1.200–1.300)", or "< 0.01 s" below the resolution.
seconds() {
  awk -v m="$1" -v lo="$2" -v hi="$3" -v r="$RESOLUTION" 'BEGIN {
    if (m < r) { printf "< %s s", r; exit }
    printf "%.2f s (%.2f–%.2f)", m, lo, hi }'
}

# ratio A_values B_values: A/B of the medians with the min–max of the per-pair ratios (runs were interleaved,
# so pair i of A ran next to pair i of B). Prints "n/a (below resolution)" when either median is a bound.
ratio() {
  local -n a=$1 b=$2
  local pairs=() i
  for i in "${!a[@]}"; do pairs+=("$(awk -v x="${a[$i]}" -v y="${b[$i]}" 'BEGIN { printf "%.4f", (y > 0 ? x / y : 0) }')"); done
  read -r am _ _ <<<"$(stats "${a[@]}")"
  read -r bm _ _ <<<"$(stats "${b[@]}")"
  read -r _ lo hi <<<"$(stats "${pairs[@]}")"
  awk -v x="$am" -v y="$bm" -v lo="$lo" -v hi="$hi" -v r="$RESOLUTION" 'BEGIN {
    if (x < r || y < r) { printf "n/a (a time below %s s)", r; exit }
    printf "%.2f× (pairs %.2f–%.2f)", x / y, lo, hi }'
}

# show LABEL VAR: one aligned line with the median and spread of VAR.
show() {
  local -n values=$2
  printf '  %-46s %s\n' "$1" "$(seconds $(stats "${values[@]}"))"
}

# start_registry DIR: a docker-registry on a free 127.0.0.1 port storing into DIR; sets REGISTRY_HOST and
# REGISTRY_PID (stop it with: kill "$REGISTRY_PID").
start_registry() {
  local dir=$1 port
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  REGISTRY_HOST=127.0.0.1:$port
  mkdir -p "$dir"
  cat >"$dir/registry.yml" <<YAML
version: 0.1
log: { level: error, accesslog: { disabled: true } }
storage: { filesystem: { rootdirectory: $dir/storage } }
http: { addr: $REGISTRY_HOST }
YAML
  docker-registry serve "$dir/registry.yml" >"$dir/registry.log" 2>&1 &
  REGISTRY_PID=$!
  for _ in $(seq 100); do curl -fsS "http://$REGISTRY_HOST/v2/" >/dev/null 2>&1 && break; sleep 0.1; done
  curl -fsS "http://$REGISTRY_HOST/v2/" >/dev/null
}

# The Node.js 24 the actions run on (tools/node24), else the one on PATH.
bench_node() {
  local node=$BENCH_ROOT/tools/node24/node_modules/node/bin/node
  [ -x "$node" ] || node=$(command -v node)
  echo "$node"
}

# peer NAME: the path of a benchmark peer installed by `make bench` (scripts/install-go-tools.sh --bench).
peer() {
  local bin="${GIN_DEPLOY_CACHE:-$HOME/.cache/gin-deploy}/bin/$1"
  [ -x "$bin" ] || { echo "$1 is missing: run 'make bench' (scripts/install-go-tools.sh --bench)" >&2; exit 1; }
  echo "$bin"
}

# run_step ACTION OUTPUT-FILE name=value…: runs dist/ACTION/index.js as the runner does — one node process, the
# action.yml defaults and the given inputs as INPUT_*, the current folder as the workspace — without the CLI's
# extra process. Outputs land in OUTPUT-FILE (the runner's GITHUB_OUTPUT format; read them with step_output).
run_step() {
  local action=$1 out=$2 pair name
  shift 2
  [ -n "${STEP_DEFAULTS[$action]:-}" ] || { echo "run_step: call load_step_defaults $action first" >&2; exit 1; }
  local -a inputs=()
  mapfile -t inputs <<<"${STEP_DEFAULTS[$action]}"
  for pair in "$@"; do
    name=${pair%%=*}
    inputs+=("INPUT_${name^^}=${pair#*=}")
  done
  : >"$out"
  mkdir -p "${BENCH_RUNNER:-/tmp/bench-runner}/temp"
  env "${inputs[@]}" GITHUB_ACTIONS=true GITHUB_WORKSPACE="$PWD" GITHUB_OUTPUT="$out" GITHUB_STEP_SUMMARY=/dev/null \
    RUNNER_TEMP="${BENCH_RUNNER:-/tmp/bench-runner}/temp" RUNNER_TOOL_CACHE="${RUNNER_TOOL_CACHE:-$HOME/.cache/gin-deploy/tool-cache}" \
    "$(bench_node)" "$BENCH_ROOT/dist/$action/index.js"
}

# load_step_defaults ACTION: reads action.yml's one-line defaults as INPUT_<NAME>=<default> lines for run_step,
# once and outside the timings.
declare -A STEP_DEFAULTS=()
load_step_defaults() {
  STEP_DEFAULTS[$1]=$("$(bench_node)" -e '
    const YAML = require(require("node:path").join(process.argv[2], "node_modules/yaml"));
    const { inputs } = YAML.parse(require("node:fs").readFileSync(process.argv[1], "utf8"));
    for (const [name, input] of Object.entries(inputs ?? {}))
      if (input.default !== undefined && !String(input.default).includes("\n"))
        console.log(`INPUT_${name.toUpperCase()}=${input.default}`);' "$BENCH_ROOT/$1/action.yml" "$BENCH_ROOT")
}

# step_output FILE NAME: one output from a GITHUB_OUTPUT file (name<<delimiter blocks, as @actions/core writes).
step_output() {
  awk -v name="$2" '
    index($0, name "<<") == 1 { delim = substr($0, length(name) + 3); grab = 1; next }
    grab && $0 == delim { exit }
    grab { printf "%s%s", sep, $0; sep = "\n" }' "$1"
}

# load_average: the 1, 5 and 15 minute load averages, to print beside figures measured on a shared machine.
load_average() {
  cut -d' ' -f1-3 /proc/loadavg
}

# same_checksums LABEL SUMS…: one line saying every run gave the same checksums (each SUMS is one run's list),
# or the differing lists and a failure: a build that is not reproducible is not benchmarked.
same_checksums() {
  local label=$1 first=$2 sum
  shift
  for sum in "$@"; do
    [ "$sum" = "$first" ] && continue
    printf '%s: checksums differ between runs:\n%s\n' "$label" "$(printf '  %s\n' "$@" | sort | uniq -c)" >&2
    exit 1
  done
  echo "  checksums: the same on all $# runs of the action"
}

# Kernel autogroup gives every session its own share of the CPU, and the actions start each child process in a
# session of its own (packages/action/src/exec.ts: detached, so that a cancelled step can stop its whole process
# group). On a busy machine our `go build`s would then get more CPU than a peer's, whose builds share its one
# session. The peer benches switch autogroup off while they run where they may (root), and restore it at exit
# (autogroup_restore, from the script's EXIT trap).
autogroup_off() {
  local knob=/proc/sys/kernel/sched_autogroup_enabled
  [ -r "$knob" ] && [ "$(cat "$knob")" = 1 ] || return 0
  if { echo 0 >"$knob"; } 2>/dev/null; then
    AUTOGROUP_RESTORE=1
    echo "(kernel autogroup off while this bench runs, so both sides share the CPU alike)"
  else
    echo "note: kernel autogroup is on and cannot be switched off here: on a busy machine each of our child processes gets a CPU share of its own"
  fi
}
autogroup_restore() {
  if [ -n "${AUTOGROUP_RESTORE:-}" ]; then echo 1 >/proc/sys/kernel/sched_autogroup_enabled; fi
}
