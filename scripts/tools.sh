#!/usr/bin/env bash
# Finds or builds the CLIs and linters the tests need, cached outside the
# clone as version-named binaries, and prints the path of the one asked for:
#   scripts/tools.sh tofu|terraform|golangci-lint
# No download site is reachable from CI: everything comes from the Go module
# proxy and is built here.
set -euo pipefail

TOFU_VERSION=1.12.6
TERRAFORM_FALLBACK_VERSION=1.5.7 # the last MPL release, built where no CLI is installed
GOLANGCI_LINT_VERSION=2.15.0

cache="${XDG_CACHE_HOME:-$HOME/.cache}/terraform-provider-chatwhizz/bin"
mkdir -p "$cache"

say() { echo "tools: $*" >&2; }

tofu() {
	local bin="$cache/tofu-$TOFU_VERSION"
	if [ ! -x "$bin" ]; then
		say "building OpenTofu $TOFU_VERSION from the module proxy (a few minutes, once)"
		local dir work
		dir=$(go mod download -json "github.com/opentofu/opentofu@v$TOFU_VERSION" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
		[ -n "$dir" ] || { say "could not download OpenTofu $TOFU_VERSION"; exit 1; }
		work=$(mktemp -d)
		cp -r "$dir" "$work/src"
		chmod -R u+w "$work/src"
		(cd "$work/src" && go build -ldflags "-X github.com/opentofu/opentofu/version.dev=no" -o "$bin.tmp" ./cmd/tofu)
		mv "$bin.tmp" "$bin"
		rm -rf "$work"
	fi
	echo "$bin"
}

terraform() {
	if [ -x /usr/local/bin/terraform ]; then
		echo /usr/local/bin/terraform
		return
	fi
	local bin="$cache/terraform-$TERRAFORM_FALLBACK_VERSION"
	if [ ! -x "$bin" ]; then
		say "no Terraform CLI installed: building Terraform $TERRAFORM_FALLBACK_VERSION (about 2 minutes, once)"
		local gobin
		gobin=$(mktemp -d)
		GOBIN="$gobin" go install "github.com/hashicorp/terraform@v$TERRAFORM_FALLBACK_VERSION"
		mv "$gobin/terraform" "$bin"
		rm -rf "$gobin"
	fi
	echo "$bin"
}

golangci_lint() {
	local bin="$cache/golangci-lint-$GOLANGCI_LINT_VERSION"
	if [ ! -x "$bin" ]; then
		say "installing golangci-lint $GOLANGCI_LINT_VERSION (about a minute, once)"
		local gobin
		gobin=$(mktemp -d)
		GOBIN="$gobin" go install "github.com/golangci/golangci-lint/v2/cmd/golangci-lint@v$GOLANGCI_LINT_VERSION"
		mv "$gobin/golangci-lint" "$bin"
		rm -rf "$gobin"
	fi
	echo "$bin"
}

case "${1:-}" in
tofu) tofu ;;
terraform) terraform ;;
golangci-lint) golangci_lint ;;
all)
	tofu >/dev/null
	terraform >/dev/null
	golangci_lint >/dev/null
	;;
*)
	echo "usage: $0 tofu|terraform|golangci-lint|all" >&2
	exit 2
	;;
esac
