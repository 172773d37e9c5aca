#!/usr/bin/env bash
# The quick start: builds the provider and the emulator, starts the emulator
# on loopback, and with a real CLI and a dev_overrides CLI configuration
# applies examples/quickstart, shows that a second plan has no changes, then
# destroys and stops the emulator. Leaves no process behind.
set -euo pipefail
cd "$(dirname "$0")/.."

port="${CHATWHIZZ_DEMO_PORT:-8089}"
work=".demo"
cli="${DEMO_CLI:-$(scripts/tools.sh terraform)}"

step() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }

rm -rf "$work"
mkdir -p "$work/bin" "$work/quickstart"

step "Building the provider and the emulator"
go build -o "$work/bin/terraform-provider-chatwhizz" .
go build -o "$work/bin/chatwhizz-emulator" ./cmd/chatwhizz-emulator

step "Starting the emulator on 127.0.0.1:$port"
"$work/bin/chatwhizz-emulator" -addr "127.0.0.1:$port" -quiet >"$work/emulator.out" 2>&1 &
emulator_pid=$!
cleanup() {
	kill "$emulator_pid" 2>/dev/null || true
	wait "$emulator_pid" 2>/dev/null || true
}
trap cleanup EXIT
for _ in $(seq 50); do
	if curl -fsS "http://127.0.0.1:$port/_emulator/stats" >/dev/null 2>&1; then break; fi
	if ! kill -0 "$emulator_pid" 2>/dev/null; then
		cat "$work/emulator.out" >&2
		echo "the emulator did not start (is port $port taken? set CHATWHIZZ_DEMO_PORT)" >&2
		exit 1
	fi
	sleep 0.1
done
cat "$work/emulator.out"

# shellcheck source=scripts/lib/dev-overrides.sh
. scripts/lib/dev-overrides.sh
write_dev_overrides "$work/dev.tfrc" "$PWD/$work/bin"
cp examples/quickstart/*.tf "$work/quickstart/"

export TF_CLI_CONFIG_FILE="$PWD/$work/dev.tfrc" TF_IN_AUTOMATION=1 CHECKPOINT_DISABLE=1
export CHATWHIZZ_BASE_URL="http://127.0.0.1:$port/"
export CHATWHIZZ_EMAIL=demo@example.com CHATWHIZZ_PASSWORD=demo-password CHATWHIZZ_ORGANISATION_DOMAIN=demo
export CHATWHIZZ_ADDON_UNIQUE_NAME=live_chat
unset CHATWHIZZ_ACCESS_TOKEN CHATWHIZZ_REFRESH_TOKEN
tf() { (cd "$work/quickstart" && "$cli" "$@" -no-color -compact-warnings); }

step "$("$cli" version 2>/dev/null | sed -n 1p): apply examples/quickstart"
tf apply -auto-approve

step "A second plan: it must have no changes"
set +e
tf plan -detailed-exitcode
code=$?
set -e
if [ "$code" -ne 0 ]; then
	echo "the second plan was not empty (exit $code)" >&2
	exit 1
fi
echo "No changes: the second plan is empty."

step "API calls so far, counted by the emulator"
curl -fsS "http://127.0.0.1:$port/_emulator/stats"
echo

step "Destroy (the API has no delete: domains and operators are deactivated)"
tf destroy -auto-approve

step "Stopping the emulator"
cleanup
trap - EXIT
echo "Demo complete."
