#!/usr/bin/env bash
# The acceptance suite in live mode: against the Chatwhizz server and
# organisation named by the CHATWHIZZ_ACC_* variables, on one CLI or both.
#
#   scripts/testacc-live.sh [tofu|terraform|both]             # `make testacc-live [CLI=...]`
#   scripts/testacc-live.sh --emulator [tofu|terraform|both]  # against an emulator started here
#
# The variables (README.md, "Acceptance tests against a real account"):
#   CHATWHIZZ_ACC_BASE_URL, CHATWHIZZ_ACC_EMAIL, CHATWHIZZ_ACC_PASSWORD,
#   CHATWHIZZ_ACC_ORGANISATION_DOMAIN, CHATWHIZZ_ACC_ADDONS (comma-separated)
#
# --emulator starts the emulator binary (`make emulator`'s server) as a
# separate process on a free port and points the same variables at its demo
# organisation: what `make test` runs, so that live mode cannot rot.
#
# The output is verbose: each test's PASS, or SKIP with its reason, then the
# list of what the run left on the server (the API has no delete).
set -euo pipefail
cd "$(dirname "$0")/.."

with_emulator=false
if [ "${1:-}" = "--emulator" ]; then
	with_emulator=true
	shift
fi
which_cli="${1:-both}"
case "$which_cli" in
tofu) clis=(tofu) ;;
terraform) clis=(terraform) ;;
both) clis=(tofu terraform) ;;
*)
	echo "usage: $0 [--emulator] [tofu|terraform|both]" >&2
	exit 2
	;;
esac

# shellcheck source=scripts/lib/emulator.sh
. scripts/lib/emulator.sh
work=""
cleanup() {
	stop_emulator
	if [ -n "$work" ]; then rm -rf "$work"; fi
}
trap cleanup EXIT

if $with_emulator; then
	work=$(mktemp -d "${TMPDIR:-/tmp}/chatwhizz-live.XXXXXX")
	start_emulator "$work"
	echo "live mode against the emulator started at $EMULATOR_URL (pid $EMULATOR_PID), demo organisation"
	export CHATWHIZZ_ACC_BASE_URL="$EMULATOR_URL" CHATWHIZZ_ACC_EMAIL=demo@example.com \
		CHATWHIZZ_ACC_PASSWORD=demo-password CHATWHIZZ_ACC_ORGANISATION_DOMAIN=demo \
		CHATWHIZZ_ACC_ADDONS=live_chat,seller_buyer_chat_System
fi

missing=()
for v in CHATWHIZZ_ACC_BASE_URL CHATWHIZZ_ACC_EMAIL CHATWHIZZ_ACC_PASSWORD CHATWHIZZ_ACC_ORGANISATION_DOMAIN CHATWHIZZ_ACC_ADDONS; do
	if [ -z "${!v:-}" ]; then missing+=("$v"); fi
done
if [ ${#missing[@]} -gt 0 ]; then
	echo "live mode needs ${missing[*]} (see README.md, \"Acceptance tests against a real account\")," >&2
	echo "or --emulator (make testacc-live-emulator) to run against an emulator started here" >&2
	exit 2
fi

# summarize prints, after go test -v, every test that skipped with its
# reason, and how many passed.
summarize() {
	awk '
		/^=== (RUN|CONT|PAUSE) / { current = $3 }
		/^ +[a-z_]+_test\.go:[0-9]+: / && current != "" { sub(/^ +[a-z_]+_test\.go:[0-9]+: /, ""); reason[current] = $0 }
		/^ *--- PASS: / { passed++ }
		/^ *--- FAIL: / { failed[++nf] = $3 }
		/^ *--- SKIP: / { skipped[++ns] = $3 }
		END {
			printf "\n%d passed, %d skipped, %d failed\n", passed, ns, nf
			for (i = 1; i <= ns; i++) printf "  SKIP %-60s %s\n", skipped[i], reason[skipped[i]]
			for (i = 1; i <= nf; i++) printf "  FAIL %s\n", failed[i]
		}'
}

status=0
for cli in "${clis[@]}"; do
	path=$(scripts/tools.sh "$cli")
	host=()
	if [ "$cli" = tofu ]; then host=(TF_ACC_PROVIDER_HOST=registry.opentofu.org); fi
	echo "==> live mode on $("$path" version | sed -n 1p), against $CHATWHIZZ_ACC_BASE_URL"
	log=$(mktemp "${TMPDIR:-/tmp}/chatwhizz-live-$cli.XXXXXX")
	set +e
	env TF_ACC=1 TF_CLI_CONFIG_FILE=/dev/null CHECKPOINT_DISABLE=1 TF_ACC_TERRAFORM_PATH="$path" "${host[@]}" \
		go test -v -count=1 -timeout 60m -parallel "${ACC_PARALLEL:-4}" -run "${ACC_RUN:-.}" -skip "${ACC_SKIP:-}" ./internal/provider/ 2>&1 | tee "$log"
	code=${PIPESTATUS[0]}
	set -e
	summarize <"$log"
	rm -f "$log"
	if [ "$code" -ne 0 ]; then status=1; fi
done
exit "$status"
