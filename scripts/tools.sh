#!/usr/bin/env bash
# Finds or builds the CLIs and linters the tests need, cached outside the
# clone as version-named binaries, and prints the path of the one asked for:
#   scripts/tools.sh tofu|terraform|terraform-identity|golangci-lint|actionlint|goreleaser
# No download site is reachable from CI: everything comes from the Go module
# proxy and is built here.
set -euo pipefail

TOFU_VERSION=1.12.6
TERRAFORM_FALLBACK_VERSION=1.5.7 # the last MPL release, built where no CLI is installed
# A Terraform with resource identity (1.12+), for the identity tests.
TERRAFORM_IDENTITY_VERSION=1.13.3
GOLANGCI_LINT_VERSION=2.15.0
ACTIONLINT_VERSION=1.7.12
GORELEASER_VERSION=2.15.1

cache="${XDG_CACHE_HOME:-$HOME/.cache}/terraform-provider-chatwhizz/bin"
mkdir -p "$cache"

say() { echo "tools: $*" >&2; }

# module_source MODULE VERSION: a writable copy of a module's source from the
# proxy, in a new temporary directory; prints the copy's path. For CLIs whose
# go.mod has replace directives, which `go install` refuses.
module_source() {
	local dir work
	dir=$(go mod download -json "$1@v$2" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
	[ -n "$dir" ] || { say "could not download $1 $2"; exit 1; }
	work=$(mktemp -d)
	cp -r "$dir" "$work/src"
	chmod -R u+w "$work/src"
	echo "$work/src"
}

tofu() {
	local bin="$cache/tofu-$TOFU_VERSION"
	if [ ! -x "$bin" ]; then
		say "building OpenTofu $TOFU_VERSION from the module proxy (a few minutes, once)"
		local src
		src=$(module_source github.com/opentofu/opentofu "$TOFU_VERSION")
		(cd "$src" && go build -ldflags "-X github.com/opentofu/opentofu/version.dev=no" -o "$bin.tmp" ./cmd/tofu)
		mv "$bin.tmp" "$bin"
		rm -rf "$(dirname "$src")"
	fi
	echo "$bin"
}

terraform() {
	if [ -x /usr/local/bin/terraform ]; then
		echo /usr/local/bin/terraform
		return
	fi
	go_tool terraform "$TERRAFORM_FALLBACK_VERSION" github.com/hashicorp/terraform "no Terraform CLI installed; about 2 minutes"
}

# terraform_identity builds Terraform $TERRAFORM_IDENTITY_VERSION. Its go.mod
# replaces nested modules with directories that the module's zip does not
# carry (nine remote-state backends and internal/legacy): they are dropped
# from go.mod, and the backends from the registry in
# internal/backend/init/init.go (nothing else imports them; the local backend
# is all the tests need).
terraform_identity() {
	local bin="$cache/terraform-$TERRAFORM_IDENTITY_VERSION"
	if [ ! -x "$bin" ]; then
		say "building Terraform $TERRAFORM_IDENTITY_VERSION from the module proxy (about 5 minutes, once)"
		local src backends='azure|consul|cos|gcs|kubernetes|oci|oss|pg|s3'
		src=$(module_source github.com/hashicorp/terraform "$TERRAFORM_IDENTITY_VERSION")
		sed -i -E "\\#github.com/hashicorp/terraform/internal/(backend/remote-state/($backends)|legacy) #d" "$src/go.mod"
		sed -i -E '/backend(Azure|Consul|Cos|GCS|Kubernetes|OCI|OSS|Pg|S3)[ .]/d' "$src/internal/backend/init/init.go"
		(cd "$src" && go build -mod=mod -o "$bin.tmp" .)
		mv "$bin.tmp" "$bin"
		rm -rf "$(dirname "$src")"
	fi
	echo "$bin"
}

# go_tool NAME VERSION PACKAGE WHEN: a tool installed from the module proxy
# with go install, cached as NAME-VERSION.
go_tool() {
	local name=$1 version=$2 package=$3 when=$4
	local bin="$cache/$name-$version"
	if [ ! -x "$bin" ]; then
		say "installing $name $version ($when, once)"
		local gobin
		gobin=$(mktemp -d)
		GOBIN="$gobin" go install "$package@v$version"
		mv "$gobin/$name" "$bin"
		rm -rf "$gobin"
	fi
	echo "$bin"
}

golangci_lint() {
	go_tool golangci-lint "$GOLANGCI_LINT_VERSION" github.com/golangci/golangci-lint/v2/cmd/golangci-lint "about a minute"
}

case "${1:-}" in
tofu) tofu ;;
terraform) terraform ;;
terraform-identity) terraform_identity ;;
golangci-lint) golangci_lint ;;
actionlint) go_tool actionlint "$ACTIONLINT_VERSION" github.com/rhysd/actionlint/cmd/actionlint "seconds" ;;
goreleaser) go_tool goreleaser "$GORELEASER_VERSION" github.com/goreleaser/goreleaser/v2 "a few minutes" ;;
all)
	tofu >/dev/null
	terraform >/dev/null
	terraform_identity >/dev/null
	golangci_lint >/dev/null
	"$0" actionlint >/dev/null
	"$0" goreleaser >/dev/null
	;;
*)
	echo "usage: $0 tofu|terraform|terraform-identity|golangci-lint|actionlint|goreleaser|all" >&2
	exit 2
	;;
esac
