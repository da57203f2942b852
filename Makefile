# meshroute: `make demo` and `make test` are all a fresh clone needs (Go installed).
GO      ?= go
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
COMMIT  ?= $(shell git rev-parse HEAD 2>/dev/null)
# The commit's date in UTC, not the build's: the same commit builds the same binary.
DATE    ?= $(shell TZ=UTC0 git log -1 --date=format-local:%Y-%m-%dT%H:%M:%SZ --format=%cd 2>/dev/null)
# The one version stamp: make build, the Dockerfile (through make build) and .goreleaser.yaml
# (kept equal by cmd/release_test.go) all use it. Expanded only when used, so `make test`
# runs no git command (git describe --dirty may touch .git, which the cmd tests stat).
PKG     := github.com/meshroute/meshroute/cmd
LDFLAGS  = -s -w -X $(PKG).version=$(VERSION) -X $(PKG).commit=$(COMMIT) -X $(PKG).date=$(DATE)
IMAGE   ?= meshroute:$(VERSION)
EXAMPLE := examples/global-app
BOOKINFO := examples/bookinfo-multicluster
RESILIENCE := examples/resilience
GLOOLAB := examples/gloo-2.9-lab
FUZZTIME ?= 2m

.PHONY: build image test demo bench bench-fleet golden fuzz fuzz-compile clean

## build: the meshroute binary in bin/, built as releases are (static, paths trimmed, stamped)
build:
	CGO_ENABLED=0 $(GO) build -trimpath -ldflags '$(LDFLAGS)' -o bin/meshroute .

## image: the container image IMAGE (default meshroute:VERSION) with docker; not part of `test`
image:
	docker build --build-arg VERSION='$(VERSION)' --build-arg COMMIT='$(COMMIT)' --build-arg DATE='$(DATE)' -t '$(IMAGE)' .

## test: vet, formatting, every test (golden files, CLI scripts, fuzz seed corpora), then Istio's
## own validation and analyzers over meshroute's output (the nested conformance/ module)
test:
	$(GO) vet ./...
	@test -z "$$(gofmt -l .)" || { echo "gofmt needed on:"; gofmt -l .; exit 1; }
	$(GO) test ./...
	@echo "conformance/: building the nested module's dependencies (istio.io/istio): several minutes"
	@echo "conformance/: on a cold cache, one line per package compiled (none when the cache is warm)"
	cd conformance && $(GO) list -f '{{range .Imports}}{{.}} {{end}}{{range .TestImports}}{{.}} {{end}}' ./... | xargs $(GO) build -v
	cd conformance && $(GO) vet ./... && $(GO) test ./...

## demo: check the example, compile it into out/ (one folder per cluster), show what was written;
## then the same app with resilience policies (failover, retries; docs/getting-started.md), and
## check and test the three-cluster bookinfo example (docs/tutorial-bookinfo.md)
demo: build
	./bin/meshroute validate -f $(EXAMPLE)
	./bin/meshroute compile -f $(EXAMPLE) --out-dir out
	./bin/meshroute test -f $(EXAMPLE) $(EXAMPLE)/tests.yaml
	@echo
	@echo "One cluster's stream, as 'kubectl apply -f -' would read it:"
	./bin/meshroute compile -f $(EXAMPLE) --cluster cluster-1 | grep -E '^(kind|  name):' | paste - -
	@echo
	./bin/meshroute validate -f $(RESILIENCE)
	./bin/meshroute test -f $(RESILIENCE) $(RESILIENCE)/tests.yaml
	@echo
	./bin/meshroute validate -f $(BOOKINFO)
	./bin/meshroute test -f $(BOOKINFO) $(BOOKINFO)/tests.yaml
	@echo
	./bin/meshroute validate -f $(GLOOLAB)
	./bin/meshroute test -f $(GLOOLAB) $(GLOOLAB)/tests.yaml
	./bin/meshroute test -f $(GLOOLAB) $(GLOOLAB)/tests.yaml --target envoy

## bench: benchmarks only
bench:
	$(GO) test -run '^$$' -bench . -benchmem ./...

## bench-fleet: time validate and compile --out-dir as whole processes on a generated fleet, next
## to kubeconform and the goyaml.v3 decode+encode floor (docs/performance.md). SIZE=issue is the
## documented size (several minutes); the default is a tenth of it. RUNS runs per job.
SIZE ?= quick
RUNS ?= 3
bench-fleet:
	$(GO) run ./internal/benchfleet -size $(SIZE) -runs $(RUNS)

## golden: rewrite golden files, the expected sections of the testdata/diag/*.txtar cases (their
## inputs stay as they are), docs/diagnostics.md and diag/codes_gen.go from the current output
## and catalogue; review the diff
golden:
	$(GO) generate ./diag
	$(GO) test ./... -update

## fuzz: fuzz the loader for real (FUZZTIME, default 2m); the seed corpus runs in `make test`
fuzz:
	$(GO) test ./schema -run '^$$' -fuzz FuzzLoad -fuzztime $(FUZZTIME)

## fuzz-compile: fuzz the compiler for real (FUZZTIME): generated inputs compiled to both targets,
## every object checked by Istio's validation and compiler/envoy.Validate; seeds run in `make test`
fuzz-compile:
	cd conformance && $(GO) test ./fuzz -run '^$$' -fuzz FuzzCompile -fuzztime $(FUZZTIME)

clean:
	rm -rf bin out
