#!/usr/bin/env bash
# `terraform test` (or `tofu test`) of examples/testing, as a user runs it:
# the provider built from this checkout through dev_overrides, the mock test
# with no server, and the emulator test against the emulator started here as
# a separate process, configured through the environment.
#
#   scripts/tftest.sh [tofu|terraform|both]
set -euo pipefail
cd "$(dirname "$0")/.."

case "${1:-both}" in
tofu) clis=(tofu) ;;
terraform) clis=(terraform-identity) ;;
both) clis=(tofu terraform-identity) ;;
*)
	echo "usage: $0 [tofu|terraform|both]" >&2
	exit 2
	;;
esac

# shellcheck source=scripts/lib/emulator.sh
. scripts/lib/emulator.sh
work=$(mktemp -d "${TMPDIR:-/tmp}/chatwhizz-tftest.XXXXXX")
trap 'stop_emulator; rm -rf "$work"' EXIT

mkdir -p "$work/bin"
go build -o "$work/bin/terraform-provider-chatwhizz" .
# shellcheck source=scripts/lib/dev-overrides.sh
. scripts/lib/dev-overrides.sh
write_dev_overrides "$work/dev.tfrc" "$work/bin"
export TF_CLI_CONFIG_FILE="$work/dev.tfrc" TF_IN_AUTOMATION=1 CHECKPOINT_DISABLE=1

# install_test_modules CLI DIR: the helper module of tests/widget.tftest.hcl,
# which every test file of DIR needs installed, as `init` would; `get`
# installs modules alone (`init` would look for the provider, which the
# dev_overrides already supply, on a registry).
install_test_modules() {
	(cd "$2" && "$1" get -no-color >/dev/null)
}

for tool in "${clis[@]}"; do
	cli=$(scripts/tools.sh "$tool")
	version=$("$cli" version | sed -n 1p)

	# The mock test needs no server and no credentials at all.
	copy="$work/mock-$tool"
	cp -r examples/testing "$copy"
	install_test_modules "$cli" "$copy"
	echo "==> $version: test -filter=tests/mock.tftest.hcl, no server"
	(cd "$copy" && env -u CHATWHIZZ_BASE_URL -u CHATWHIZZ_EMAIL -u CHATWHIZZ_PASSWORD -u CHATWHIZZ_ORGANISATION_DOMAIN \
		"$cli" test -no-color -filter=tests/mock.tftest.hcl)

	# Both tests against a fresh emulator.
	start_emulator "$work"
	copy="$work/emulator-$tool"
	cp -r examples/testing "$copy"
	install_test_modules "$cli" "$copy"
	echo "==> $version: test, against the emulator at $EMULATOR_URL"
	(cd "$copy" && CHATWHIZZ_BASE_URL="$EMULATOR_URL" CHATWHIZZ_EMAIL=demo@example.com CHATWHIZZ_PASSWORD=demo-password \
		CHATWHIZZ_ORGANISATION_DOMAIN=demo "$cli" test -no-color)
	stop_emulator
done
