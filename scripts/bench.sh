#!/usr/bin/env bash
# `make bench`: builds the provider and the emulator, then runs the benchmark
# harness (bench/, its own Go module) with a real CLI: apply, a no-op plan and
# destroy of N resources against the emulator, at each latency, with the API
# calls, logins, wall time and provider memory compared with their floors.
# Results go to bench/results/ (results.json, report.md, plot.png).
#
#   scripts/bench.sh                          # full: N=50,200,1000; latency 0,50ms
#   scripts/bench.sh -n 12 -latency 0,50ms    # smoke
#   scripts/bench.sh -n 12 -out /tmp/bench    # elsewhere than bench/results
#   BENCH_CLI=$(scripts/tools.sh tofu) scripts/bench.sh
#
# Flags are passed to the harness (after the defaults, so they win); see
# `scripts/bench.sh -h`.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

cli="${BENCH_CLI:-$(scripts/tools.sh terraform)}"
dir=$(mktemp -d "${TMPDIR:-/tmp}/chatwhizz-bench-bin.XXXXXX")
pid=""
cleanup() {
	if [ -n "$pid" ]; then kill -TERM "$pid" 2>/dev/null || true; fi
	rm -rf "$dir"
}
trap cleanup EXIT

# The floor must stand on the provider's own framework: bench/go.mod pins
# the same terraform-plugin-framework as go.mod.
framework=github.com/hashicorp/terraform-plugin-framework
if [ "$(go list -m -f '{{.Version}}' $framework)" != "$(go list -C bench -m -f '{{.Version}}' $framework)" ]; then
	echo "bench: bench/go.mod's $framework differs from go.mod's; run: go get -C bench $framework@$(go list -m -f '{{.Version}}' $framework)" >&2
	exit 1
fi
echo "bench: building the provider, the emulator and the harness in $dir" >&2
go build -o "$dir/terraform-provider-chatwhizz" .
go build -C bench -o "$dir/terraform-provider-benchfloor" ./benchfloor
go build -o "$dir/chatwhizz-emulator" ./cmd/chatwhizz-emulator
go build -C bench -o "$dir/bench" .

version=$(git describe --always --dirty 2>/dev/null || echo unknown)

# The harness runs in the background so that a SIGTERM or SIGINT to this
# script reaches it: it then stops the CLI's and the emulator's process
# groups before exiting.
"$dir/bench" -provider-dir "$dir" -emulator "$dir/chatwhizz-emulator" -cli "$cli" \
	-out "$root/bench/results" -provider-version "$version" "$@" &
pid=$!
trap 'kill -TERM "$pid" 2>/dev/null || true' INT TERM
set +e
while :; do
	wait "$pid"
	status=$?
	kill -0 "$pid" 2>/dev/null || break
done
pid=""
exit "$status"
