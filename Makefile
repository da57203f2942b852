GO ?= go

.PHONY: build test demo bench golden fuzz

build:
	$(GO) build -o bin/meshroute .

test:
	$(GO) vet ./...
	@test -z "$$(gofmt -l .)" || { echo "gofmt needed on:"; gofmt -l .; exit 1; }
	$(GO) test ./...

demo: build
	./bin/meshroute validate -f examples/global-app

bench:
	$(GO) test -run '^$$' -bench . -benchmem ./...

golden:
	$(GO) test ./... -update

fuzz:
	$(GO) test ./schema -run '^$$' -fuzz FuzzLoad -fuzztime 2m
