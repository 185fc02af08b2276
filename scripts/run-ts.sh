#!/usr/bin/env bash
# Runs a TypeScript program of the repository (a benchmark, a tool) under the runner's Node 24: bundled with
# ncc first, so that it imports the shared packages and test support exactly as the tests do.
#   scripts/run-ts.sh <file.ts> [args…]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
source_file="$1"
shift
out="$root/.cache/ts/$(basename "$source_file" .ts)"
node "$root/node_modules/@vercel/ncc/dist/ncc/cli.js" build "$source_file" -o "$out" -q --target es2022 >/dev/null
node24="$root/tools/node24/node_modules/node/bin/node"
[ -x "$node24" ] || node24=node
GIN_DEPLOY_ROOT="$root" exec "$node24" "$out/index.js" "$@"
