package main

import (
	"testing"
	"time"
)

// TestIdleCounterSumsTheStretchesWithoutACall: the start before the first
// call, a phase with none, and the end after the last count; calls a few
// readings apart do not.
func TestIdleCounterSumsTheStretchesWithoutACall(t *testing.T) {
	start := time.Unix(1000, 0)
	at := func(ms int) time.Time { return start.Add(time.Duration(ms) * time.Millisecond) }
	c := newIdleCounter(start, 7) // 7 calls before the command
	readings := []struct{ ms, count int }{
		{25, 7}, {50, 7}, {275, 7}, {300, 8}, // first call after at most 300 ms, seen idle for 275
		{325, 9}, {350, 12}, {375, 12}, {400, 13}, // calls a reading or two apart
		{425, 13}, {900, 13}, {925, 20}, // a phase of 500 ms with none: 400 to 900
		{950, 21}, {975, 21}, {1000, 21}, // 100 ms after the last call: not a stretch yet
	}
	for _, r := range readings {
		c.read(at(r.ms), r.count)
	}
	if got, want := c.end(at(1000)), 775*time.Millisecond; got != want {
		t.Errorf("idle %v, want %v (275 ms at the start, 500 ms in the middle)", got, want)
	}
	if got, want := c.end(at(1300)), 775*time.Millisecond+350*time.Millisecond; got != want {
		t.Errorf("idle %v with 350 ms after the last call, want %v", got, want)
	}
}
