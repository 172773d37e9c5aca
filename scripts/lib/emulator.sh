# Sourced by scripts that need the emulator as a separate process.
#
# start_emulator DIR: builds the emulator into DIR, starts it on a free
# loopback port and sets EMULATOR_URL and EMULATOR_PID; stop_emulator stops
# it. Demo organisation: demo@example.com / demo-password / demo, both addons.

EMULATOR_PID=""
EMULATOR_URL=""

start_emulator() {
	local dir=$1
	go build -o "$dir/chatwhizz-emulator" ./cmd/chatwhizz-emulator
	"$dir/chatwhizz-emulator" -addr 127.0.0.1:0 -quiet >"$dir/emulator.out" 2>&1 &
	EMULATOR_PID=$!
	for _ in $(seq 100); do
		EMULATOR_URL=$(sed -n 's/^Chatwhizz emulator listening on \(http[^ ]*\)$/\1/p' "$dir/emulator.out")
		if [ -n "$EMULATOR_URL" ]; then return 0; fi
		if ! kill -0 "$EMULATOR_PID" 2>/dev/null; then break; fi
		sleep 0.1
	done
	cat "$dir/emulator.out" >&2
	echo "the emulator did not start" >&2
	return 1
}

stop_emulator() {
	if [ -n "$EMULATOR_PID" ]; then
		kill "$EMULATOR_PID" 2>/dev/null || true
		wait "$EMULATOR_PID" 2>/dev/null || true
		EMULATOR_PID=""
	fi
}
