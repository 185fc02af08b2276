# The single entry point: CI, the README and developers call these targets.
SHELL := /bin/bash
.DEFAULT_GOAL := help

APT_PACKAGES := git file binutils docker-registry skopeo umoci buildah prometheus etcd-server apache2-utils unzip

.PHONY: help deps deps-apt deps-go deps-npm build lint test test-unit demo demo-down bench cluster-build cluster-up cluster-down all

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

deps: deps-apt deps-npm deps-go ## Install what the tests and the demo need (idempotent)

deps-apt:
	@bash scripts/install-apt.sh $(APT_PACKAGES)

deps-go:
	@bash scripts/install-go-tools.sh

deps-npm:
	@if [ ! -x node_modules/.bin/jest ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then npm ci --no-audit --no-fund; fi
	@if [ ! -x tools/node24/node_modules/node/bin/node ]; then npm ci --prefix tools/node24 --no-audit --no-fund; fi

build: deps-npm ## Bundle every action into dist/ with ncc
	npm run build

lint: deps-npm ## Type-check, ESLint and Prettier
	npm run lint

test: deps build ## Run every test (unit, bundled actions against the real components)
	npm test

test-unit: deps-npm ## Only the fast unit tests of packages/
	npm test -- packages

demo: deps build ## The whole chain on the sample Gin service against local components
	bash scripts/demo.sh

demo-down: deps-npm ## Stop what the demo started
	bash scripts/demo.sh down

bench: deps build ## Benchmarks against the peers (ko, GoReleaser: installed once), printed as ratios
	bash scripts/install-go-tools.sh --bench
	bash bench/run.sh

cluster-build: ## Build (once, cached) the Kubernetes control plane and KWOK
	bash test/cluster/build.sh

cluster-up: ## Start the local test cluster; prints KUBECONFIG=<path> last
	bash test/cluster/up.sh

cluster-down: ## Stop the local test cluster
	bash test/cluster/down.sh

all: build lint test ## Build, lint and test
