#!/usr/bin/env bash
# make demo / make demo-down: bundles the demo driver and the demo kubelet (test/demo/) and runs the driver.
set -euo pipefail
cd "$(dirname "$0")/.."
mode="${1:-up}"
out=.cache/demo/bin
mkdir -p "$out"
for entry in main kubelet; do
  source="test/demo/$entry.ts"
  [ "$entry" = kubelet ] && source=test/demo/kubelet-main.ts
  # Stopping needs only the driver as it was built for the run it stops.
  [ "$mode" = down ] && [ -f "$out/$entry/index.js" ] && continue
  node node_modules/@vercel/ncc/dist/ncc/cli.js build "$source" -o "$out/$entry" -q --target es2022 >/dev/null
done
GIN_DEPLOY_ROOT="$PWD" exec node "$out/main/index.js" "$mode"
