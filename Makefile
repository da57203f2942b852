# meshroute: `make demo` and `make test` are all a fresh clone needs (Go installed).
GO      ?= go
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -X github.com/meshroute/meshroute/cmd.version=$(VERSION)
EXAMPLE := examples/global-app
BOOKINFO := examples/bookinfo-multicluster
FUZZTIME ?= 2m

.PHONY: build test demo bench golden fuzz clean

## build: the meshroute binary in bin/
build:
	$(GO) build -ldflags '$(LDFLAGS)' -o bin/meshroute .

## test: vet, formatting, every test (golden files, CLI scripts, fuzz seed corpora), then Istio's
## own validation of every golden manifest (the nested conformance/ module)
test:
	$(GO) vet ./...
	@test -z "$$(gofmt -l .)" || { echo "gofmt needed on:"; gofmt -l .; exit 1; }
	$(GO) test ./...
	cd conformance && $(GO) vet ./... && $(GO) test ./...

## demo: check the example, compile it into out/ (one folder per cluster), show what was written;
## then check and test the three-cluster bookinfo example (docs/tutorial-bookinfo.md)
demo: build
	./bin/meshroute validate -f $(EXAMPLE)
	./bin/meshroute compile -f $(EXAMPLE) --out-dir out
	./bin/meshroute test -f $(EXAMPLE) $(EXAMPLE)/tests.yaml
	@echo
	@echo "One cluster's stream, as 'kubectl apply -f -' would read it:"
	./bin/meshroute compile -f $(EXAMPLE) --cluster cluster-1 | grep -E '^(kind|  name):' | paste - -
	@echo
	./bin/meshroute validate -f $(BOOKINFO)
	./bin/meshroute test -f $(BOOKINFO) $(BOOKINFO)/tests.yaml

## bench: benchmarks only
bench:
	$(GO) test -run '^$$' -bench . -benchmem ./...

## golden: rewrite golden files, the expected sections of the testdata/diag/*.txtar cases (their
## inputs stay as they are) and docs/diagnostics.md from the current output; review the diff
golden:
	$(GO) test ./... -update

## fuzz: fuzz the loader for real (FUZZTIME, default 2m); the seed corpus runs in `make test`
fuzz:
	$(GO) test ./schema -run '^$$' -fuzz FuzzLoad -fuzztime $(FUZZTIME)

clean:
	rm -rf bin out
