#!/usr/bin/env bash
# The registry documentation, generated offline with tfplugindocs (pinned in
# tools/go.mod, run with `go tool`) from the provider's schema, templates/ and
# examples/:
#
#   scripts/docs.sh generate                 rewrite docs/
#   scripts/docs.sh check                    fail when a schema description breaks the rule of
#                                            internal/docscheck (each argument says whether it is
#                                            needed and what leaving it out does); fail, with a
#                                            diff, when docs/ is not what generate would write;
#                                            then tfplugindocs validate
#   scripts/docs.sh validate-examples [CLI]  `fmt -check` and `validate` of every example
#                                            directory with a real CLI (default: DOCS_CLI,
#                                            else `scripts/tools.sh terraform`)
#
# tfplugindocs would download a Terraform CLI to read the schema; instead the
# schema is read here with Terraform 1.13 from scripts/tools.sh, which knows
# ephemeral resources and resource identity (or DOCS_CLI; OpenTofu when that
# has no ephemeral resources), from a provider built from this checkout, and
# handed over with --providers-schema.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

export CHECKPOINT_DISABLE=1 TF_IN_AUTOMATION=1
unset TF_DATA_DIR TF_PLUGIN_CACHE_DIR TF_WORKSPACE

say() { echo "docs: $*" >&2; }
die() {
	say "$*"
	exit 1
}

# run LOG CMD...: runs CMD with its output in LOG, shown only when it fails.
run() {
	local log=$1
	shift
	if ! "$@" >"$log" 2>&1; then
		cat "$log" >&2
		return 1
	fi
}

# shellcheck source=scripts/lib/dev-overrides.sh
. scripts/lib/dev-overrides.sh

tfplugindocs() { go tool -modfile="$root/tools/go.mod" tfplugindocs "$@"; }

# cli_kind CLI: prints "terraform X.Y.Z" or "tofu X.Y.Z".
cli_kind() {
	local line
	line=$(TF_CLI_CONFIG_FILE=/dev/null "$1" version 2>/dev/null | sed -n 1p)
	case "$line" in
	"OpenTofu v"*) echo "tofu ${line#OpenTofu v}" ;;
	"Terraform v"*) echo "terraform ${line#Terraform v}" ;;
	*) die "$1 is neither Terraform nor OpenTofu (it says: $line)" ;;
	esac
}

# knows_ephemeral CLI: Terraform 1.10+ or OpenTofu 1.11+.
knows_ephemeral() {
	local info kind version major minor
	info=$(cli_kind "$1") || exit 1
	read -r kind version <<<"$info"
	IFS=. read -r major minor _ <<<"${version%%-*}"
	if [ "$kind" = tofu ]; then
		[ "$major" -gt 1 ] || [ "$minor" -ge 11 ]
	else
		[ "$major" -gt 1 ] || [ "$minor" -ge 10 ]
	fi
}

build_provider() {
	[ -x "$work/bin/terraform-provider-chatwhizz" ] && return
	say "building the provider"
	go build -o "$work/bin/terraform-provider-chatwhizz" .
}

# schema: writes $work/schema.json, the provider's schema keyed
# registry.terraform.io/hashicorp/chatwhizz as tfplugindocs expects.
schema() {
	local cli platform plugins cfg
	cli=${DOCS_CLI:-$(scripts/tools.sh terraform-identity)}
	if ! knows_ephemeral "$cli"; then
		say "$cli ($(cli_kind "$cli")) leaves ephemeral resources out of the schema: using OpenTofu"
		cli=$(scripts/tools.sh tofu)
	fi
	build_provider
	platform="$(go env GOOS)_$(go env GOARCH)"
	plugins="$work/plugins"
	mkdir -p "$plugins/registry.terraform.io/hashicorp/chatwhizz/0.0.1/$platform"
	cp "$work/bin/terraform-provider-chatwhizz" \
		"$plugins/registry.terraform.io/hashicorp/chatwhizz/0.0.1/$platform/terraform-provider-chatwhizz_v0.0.1"
	cfg="$work/schema-config"
	mkdir -p "$cfg"
	cat >"$cfg/main.tf" <<-'HCL'
		terraform {
		  required_providers {
		    chatwhizz = {
		      source = "registry.terraform.io/hashicorp/chatwhizz"
		    }
		  }
		}
	HCL
	say "reading the schema with $(cli_kind "$cli")"
	(
		cd "$cfg"
		run "$work/init.log" env TF_CLI_CONFIG_FILE=/dev/null "$cli" init -input=false -no-color -backend=false -plugin-dir="$plugins"
		env TF_CLI_CONFIG_FILE=/dev/null "$cli" providers schema -json >"$work/schema.json"
	)
}

# render DIR: runs tfplugindocs generate in DIR, which holds examples/ and templates/.
render() {
	run "$work/generate.log" tfplugindocs generate \
		--provider-dir "$1" \
		--provider-name chatwhizz \
		--rendered-provider-name Chatwhizz \
		--providers-schema "$work/schema.json" \
		--examples-dir examples \
		--website-source-dir templates \
		--rendered-website-dir docs
}

generate() {
	schema
	render "$root"
	say "docs/ regenerated"
}

check() {
	schema
	go run ./cmd/schema-docs-check "$work/schema.json" ||
		die "some schema descriptions break the rule of internal/docscheck"
	local site="$work/site"
	mkdir -p "$site"
	cp -r examples templates "$site/"
	if [ -d docs ]; then cp -r docs "$site/"; fi
	render "$site"
	if ! diff -ru docs "$site/docs" >"$work/docs.diff" 2>&1; then
		# Shown as the change that generate would make to docs/.
		sed "s|$site/docs|docs (generated)|g" "$work/docs.diff"
		die "docs/ is out of date with the schema, templates/ or examples/: run scripts/docs.sh generate"
	fi
	run "$work/validate.log" tfplugindocs validate \
		--provider-dir "$root" \
		--provider-name chatwhizz \
		--providers-schema "$work/schema.json" ||
		die "tfplugindocs validate found problems in docs/"
	say "docs/ is up to date and valid"
}

validate_examples() {
	local cli kind ephemeral=true failed=0 dir n=0 copy
	cli=${1:-${DOCS_CLI:-$(scripts/tools.sh terraform)}}
	kind=$(cli_kind "$cli")
	knows_ephemeral "$cli" || ephemeral=false
	build_provider
	write_dev_overrides "$work/dev.tfrc" "$work/bin"
	export TF_CLI_CONFIG_FILE="$work/dev.tfrc"

	say "$kind: fmt -check -recursive examples/"
	if ! "$cli" fmt -check -recursive -diff -no-color examples/; then
		say "not formatted: run $cli fmt -recursive examples/"
		failed=1
	fi

	while IFS= read -r dir; do
		if [ "$ephemeral" = false ] && grep -qs '^ephemeral ' "$dir"/*.tf; then
			say "$kind: skipping $dir (ephemeral resources need Terraform 1.10+ or OpenTofu 1.11+)"
			continue
		fi
		# A resource's import examples (by ID, by identity) each target the
		# same resource: each is validated with the rest, one at a time.
		local variants=("")
		if compgen -G "$dir/import-by-*.tf" >/dev/null; then variants=("$dir"/import-by-*.tf); fi
		local variant
		for variant in "${variants[@]}"; do
			n=$((n + 1))
			copy="$work/examples/$n"
			mkdir -p "$copy"
			find "$dir" -maxdepth 1 -name '*.tf' ! -name 'import-by-*.tf' -exec cp {} "$copy/" \;
			if [ -n "$variant" ]; then cp "$variant" "$copy/"; fi
			# Registry examples of resources and data sources leave out the
			# terraform block; the CLI must still find the provider at its address.
			if ! grep -qs 'required_providers' "$copy"/*.tf; then
				cat >"$copy/zz_required_providers.tf" <<-'HCL'
					terraform {
					  required_providers {
					    chatwhizz = {
					      source = "chatwhizz/chatwhizz"
					    }
					  }
					}
				HCL
			fi
			if (cd "$copy" && run "$work/validate-$n.log" "$cli" validate -no-color); then
				say "$kind: validate $dir${variant:+ with $(basename "$variant")}: ok"
			else
				say "$kind: validate $dir${variant:+ with $(basename "$variant")}: FAILED"
				failed=1
			fi
		done
	done < <(find examples -name '*.tf' -printf '%h\n' | sort -u)

	[ "$failed" -eq 0 ] || die "$kind: some examples are not valid"
	say "$kind: all $n example directories are valid"
}

case "${1:-}" in
generate) generate ;;
check) check ;;
validate-examples) validate_examples "${2:-}" ;;
*)
	echo "usage: $0 generate|check|validate-examples [CLI]" >&2
	exit 2
	;;
esac
