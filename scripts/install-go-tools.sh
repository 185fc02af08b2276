#!/usr/bin/env bash
# Installs the Go tools the tests use from the Go module proxy, pinned, into the gin-deploy cache; with --bench
# also the benchmark peers (ko, GoReleaser), which only `make bench` needs.
set -euo pipefail
bin="${GIN_DEPLOY_CACHE:-$HOME/.cache/gin-deploy}/bin"
mkdir -p "$bin"
install() { # name module@version
  if [ ! -x "$bin/$1" ] || [ "$(cat "$bin/.$1.version" 2>/dev/null)" != "$2" ]; then
    echo "installing $2"
    GOBIN="$bin" go install "$2"
    echo "$2" > "$bin/.$1.version"
  fi
}
install actionlint github.com/rhysd/actionlint/cmd/actionlint@v1.7.12
# The workflow runner of the example-workflow tests (test/examples/act.test.ts), jobs on the host.
install act github.com/nektos/act@v0.2.89
install sloth github.com/slok/sloth/cmd/sloth@v0.16.0
if [ "${1:-}" = --bench ]; then
  install ko github.com/google/ko@v0.18.1
  install goreleaser github.com/goreleaser/goreleaser/v2@v2.15.1
fi
