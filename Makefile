# Japan–DPRK Diplomacy Timeline. `make run` serves http://127.0.0.1:8080
# (`make run ADDR=127.0.0.1:9000 DB=other.db` to change either);
# `make test` runs every test. templ runs through go.mod's tool directive.
export CGO_ENABLED := 0
GO ?= go
DB ?= ./timeline.db
# ADDR, when set, is the address to serve on (otherwise TIMELINE_ADDR, then 127.0.0.1:8080).
ADDR ?=
BENCHTIME ?= 1s

.PHONY: run test generate check build bench bench-db bench-export load clean

run:
	$(GO) run ./cmd/timeline serve --db $(DB) $(if $(ADDR),--addr $(ADDR))

test:
	$(GO) test -count=1 -timeout 20m ./...

# generate regenerates the templ views and the Go API client that
# oapi-codegen (default configuration) makes from web/openapi.json.
generate:
	$(GO) tool templ generate
	$(GO) generate ./web/apiclient

# check fails when the committed generated files are stale, code is not
# gofmt-clean, or go vet finds a problem.
check: generate
	@git diff --exit-code -- '*_templ.go' || (echo "generated templ files were stale: run make generate and commit" && exit 1)
	@git diff --exit-code -- web/apiclient || (echo "the generated API client was stale (web/openapi.json changed): run make generate and commit" && exit 1)
	@test -z "$$(git ls-files --others --exclude-standard -- '*_templ.go')" || (echo "untracked generated templ files: commit them" && exit 1)
	@out=$$(gofmt -l $$(git ls-files '*.go' | grep -v '_templ.go$$')); test -z "$$out" || (echo "gofmt needed: $$out" && exit 1)
	$(GO) vet ./...

build:
	$(GO) build -trimpath -ldflags "-s -w -X main.version=$$(git describe --always --dirty 2>/dev/null || echo dev)" -o bin/timeline ./cmd/timeline

# bench runs the benchmarks over a database of 1,000,000 synthetic events,
# made once (about a minute) into $(BENCH_DB), never into the repository.
BENCH_DB ?= $(HOME)/.cache/japan-dprk-timeline/bench-1m-v2.db

bench-db:
	@mkdir -p $(dir $(BENCH_DB))
	@test -f $(BENCH_DB) || $(GO) run ./cmd/timeline synth --db $(BENCH_DB) --events 1000000

bench: bench-db
	TIMELINE_BENCH_DB=$(BENCH_DB) $(GO) test -run '^$$' -bench . -benchmem -benchtime $(BENCHTIME) -timeout 60m ./timeline/... ./web/
	@$(MAKE) --no-print-directory bench-export

# bench-export compares `timeline export` (throughput and peak memory) with
# the sqlite3 command-line tool writing the same rows as CSV.
bench-export: build bench-db
	@sh cmd/timeline/deploy/bench-export.sh bin/timeline $(BENCH_DB)

# load reports every performance target in one run (a few minutes): it
# times synth making 1,000,000 events into a scratch file, serves them and
# the shipped dataset, and drives both with wrk (Debian package) from a
# second process, each line beside a static file of the same bytes; then
# the exports. LOAD_DB=PATH serves that database instead of timing synth.
LOAD_DB ?=
load: build
	@sh cmd/timeline/deploy/load.sh bin/timeline $(LOAD_DB)

clean:
	rm -rf bin
