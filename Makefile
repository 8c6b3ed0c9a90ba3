# Japan–DPRK Diplomacy Timeline. `make run` serves http://127.0.0.1:8080;
# `make test` runs every test. templ runs through go.mod's tool directive.
export CGO_ENABLED := 0
GO ?= go
DB ?= ./timeline.db
BENCHTIME ?= 1s

.PHONY: run test generate check build bench clean

run:
	$(GO) run ./cmd/timeline serve --db $(DB)

test:
	$(GO) test -count=1 ./...

generate:
	$(GO) tool templ generate

# check fails when the committed generated files are stale, code is not
# gofmt-clean, or go vet finds a problem.
check: generate
	@git diff --exit-code -- '*_templ.go' || (echo "generated templ files were stale: run make generate and commit" && exit 1)
	@test -z "$$(git ls-files --others --exclude-standard -- '*_templ.go')" || (echo "untracked generated templ files: commit them" && exit 1)
	@out=$$(gofmt -l $$(git ls-files '*.go' | grep -v '_templ.go$$')); test -z "$$out" || (echo "gofmt needed: $$out" && exit 1)
	$(GO) vet ./...

build:
	$(GO) build -trimpath -ldflags "-s -w -X main.version=$$(git describe --always --dirty 2>/dev/null || echo dev)" -o bin/timeline ./cmd/timeline

# bench runs the benchmarks over a generated database of 1,000,000 events
# (made once into $TIMELINE_BENCH_DB, default in the user cache folder).
bench:
	$(GO) test -run '^$$' -bench . -benchmem -benchtime $(BENCHTIME) -timeout 60m ./timeline/ ./web/

clean:
	rm -rf bin
