# Conveniences; every target is one plain go command you can run yourself.
.PHONY: build test check docs generate bench

build:
	CGO_ENABLED=0 go build -trimpath -o bin/reinvent ./cmd/reinvent

test:
	go test -race ./...

# What CI runs: gofmt, go vet, staticcheck, then the tests.
check:
	bash .ci/run

# Regenerate the CLI reference under docs/cli.
docs:
	go test ./pkg/cli -run TestDocsUpToDate -update

# Regenerate the embedded sample catalog.
generate:
	go generate ./...

bench:
	go test -run '^$$' -bench . -benchmem ./...
