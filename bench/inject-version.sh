#!/usr/bin/env bash
# inject-version: start-up to the first input error against a bare `node -e 0`, and a full run on a repository
# with 5000 commits and 500 release tags against the git calls a shell script would make (`git describe`).
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f dist/inject-version/index.js ] || node scripts/build.mjs inject-version
exec bash scripts/run-ts.sh bench/inject-version.bench.ts "$@"
