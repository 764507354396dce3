# kestra-go: every tool this Makefile runs is either the Go toolchain or a
# module run with `go run module@version`, so a machine with only Go and make
# can run every target. Versions are pinned here (and oapi-codegen in go.mod).

GO          ?= go
STATICCHECK ?= honnef.co/go/tools/cmd/staticcheck@v0.8.2
GOVULNCHECK ?= golang.org/x/vuln/cmd/govulncheck@v1.9.0
OASDIFF     ?= github.com/oasdiff/oasdiff@v1.30.0

# The upstream (real server) spec that spec-check compares ours with: a path
# or a URL. A user's clone has no ../shared, so a missing file is a skip,
# unless SPEC_CHECK_REQUIRED=1 (set by .ci/run), where it is a failure.
UPSTREAM    ?= ../shared/upstream/kestra-openapi.yml
UPSTREAM_1X ?= ../shared/upstream/kestra-openapi-1.3.0.yml
SPEC        := openapi/kestra.yml

# A count, not a duration: a duration-based -fuzztime races Go's fuzz
# coordinator at the deadline and can fail with "context deadline exceeded"
# and no crasher (golang/go#75804, unfixed in go1.26). 40,000 inputs take
# 2-40 s per target here.
FUZZTIME    ?= 40000x
BENCHTIME   ?= 1s
RACE        ?= -race

.PHONY: all generate check-generated vet staticcheck vulncheck test unit fuzz spec-check spec-report-1x lint bench demo dev-server

all: test

## generate: regenerate api/ from openapi/ (oapi-codegen pinned in go.mod).
generate:
	$(GO) generate ./...

## check-generated: fail if api/ is not what `go generate` makes from the spec.
check-generated: generate
	@if ! git diff --quiet --exit-code -- api/ || [ -n "$$(git ls-files --others --exclude-standard -- api/)" ]; then \
		echo "api/ is stale: run 'make generate' and commit the result"; \
		git --no-pager diff --stat -- api/; git ls-files --others --exclude-standard -- api/; exit 1; \
	fi
	@echo "generated code is fresh"

vet:
	$(GO) vet ./...

staticcheck:
	$(GO) run $(STATICCHECK) ./...

## vulncheck needs the vulnerability database online, which CI here cannot
## reach, so it is part of `lint`, not of `test`.
vulncheck:
	$(GO) run $(GOVULNCHECK) ./...

## unit: the test suite, with the race detector.
unit:
	$(GO) test $(RACE) -count=1 -timeout 10m ./...

## fuzz: every Fuzz target in the module, FUZZTIME inputs each, on top of its testdata corpus.
fuzz:
	@set -e; for pkg in $$($(GO) list ./...); do \
		for f in $$($(GO) test -list '^Fuzz' $$pkg | grep '^Fuzz' || true); do \
			echo "fuzz $$pkg $$f ($(FUZZTIME))"; \
			$(GO) test -run '^$$' -fuzz "^$$f$$" -fuzztime $(FUZZTIME) -fuzzminimizetime 5s $$pkg; \
		done; \
	done

## spec-check: our spec against the real server's (see openapi/README.md).
spec-check:
	@UPSTREAM="$(UPSTREAM)" SPEC="$(SPEC)" OASDIFF="$(OASDIFF)" GO="$(GO)" \
		SPEC_CHECK_REQUIRED="$(SPEC_CHECK_REQUIRED)" ./openapi/spec-check.sh

## spec-report-1x: the same comparison against a 1.x server's spec, as a report only.
spec-report-1x:
	@UPSTREAM="$(UPSTREAM_1X)" SPEC="$(SPEC)" OASDIFF="$(OASDIFF)" GO="$(GO)" \
		REPORT_ONLY=1 ./openapi/spec-check.sh

## test: what CI runs (README's test command).
test: vet staticcheck check-generated spec-check spec-report-1x unit fuzz

## lint: staticcheck and govulncheck.
lint: staticcheck vulncheck

## bench: all benchmarks, with allocations; BENCH=regexp narrows them.
BENCH ?= .
bench:
	$(GO) run ./ion/internal/genbench -out ion/testdata/bench/rows.ion
	$(GO) test -run '^$$' -bench '$(BENCH)' -benchmem -benchtime $(BENCHTIME) ./...
	@# ion cold reads: fresh processes, one core and two, side by side with the library walk.
	$(GO) run ./ion/internal/coldread -rounds 3 -procs 1,2 ion/testdata/bench/rows.ion

## demo: deploy and run the example flow with kestra-go, against a test server
## started for it unless KESTRA_HOSTNAME is set; a real server's flow is changed
## only after a "y" on a terminal or with DEMO_DEPLOY=yes.
demo:
	GO="$(GO)" DEMO_DEPLOY="$(DEMO_DEPLOY)" bash ./examples/quickstart/demo.sh

dev-server:
	$(GO) run ./cmd/kestra-dev-server
