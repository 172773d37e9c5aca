package main

import (
	"context"
	"time"
)

// The API-idle time of a command: how long, run with no limit at latency 0,
// it made no call at all. That is the CLI's own work between its phases
// (starting, planning a destroy between its refresh and its apply, writing
// state at the end) and the provider's between calls: time a throttled run
// of the same command spends too, and that no pace can shorten. The
// throttled series reports its wall time also over the rate's floor plus
// this time.
const (
	// idlePoll is how often the watcher reads the emulator's counters.
	idlePoll = 25 * time.Millisecond
	// idleStretch is the shortest stretch without a call that counts: a
	// CLI working through its graph at latency 0 sends calls milliseconds
	// apart, so a quarter second without one is a phase with none to send.
	idleStretch = 250 * time.Millisecond
)

// idleWatch sums the stretches of at least idleStretch in which no admin/
// request reached the emulator, from the command's start to its end.
type idleWatch struct {
	stop chan struct{}
	idle chan time.Duration
}

// watchIdle starts watching emu, whose counters summed to count when the
// command started at start.
func watchIdle(ctx context.Context, emu *emulatorProc, start time.Time, count int) *idleWatch {
	w := &idleWatch{stop: make(chan struct{}), idle: make(chan time.Duration, 1)}
	go func() {
		tick := time.NewTicker(idlePoll)
		defer tick.Stop()
		c := newIdleCounter(start, count)
		read := func(now time.Time) {
			if s, err := emu.stats(ctx); err == nil {
				c.read(now, s.total())
			}
		}
		for {
			select {
			case <-w.stop:
				now := time.Now()
				read(now)
				w.idle <- c.end(now)
				return
			case now := <-tick.C:
				read(now)
			}
		}
	}()
	return w
}

// end stops the watch and returns the idle time.
func (w *idleWatch) end() time.Duration {
	close(w.stop)
	return <-w.idle
}

// idleCounter sums the idle stretches that readings of the emulator's
// request count show.
type idleCounter struct {
	// lastCall is when a call was last seen to have arrived (the command's
	// start before the first); lastRead the latest reading. A stretch runs
	// from lastCall to the last reading before a new call was seen, so it
	// is never counted longer than it was.
	lastCall, lastRead time.Time
	count              int
	idle               time.Duration
}

func newIdleCounter(start time.Time, count int) *idleCounter {
	return &idleCounter{lastCall: start, lastRead: start, count: count}
}

// read takes a reading at now: count calls received so far.
func (c *idleCounter) read(now time.Time, count int) {
	if count != c.count {
		c.idle += stretch(c.lastRead.Sub(c.lastCall))
		c.lastCall, c.count = now, count
	}
	c.lastRead = now
}

// end is the idle time of a command that ended at now, after a last
// reading.
func (c *idleCounter) end(now time.Time) time.Duration {
	return c.idle + stretch(now.Sub(c.lastCall))
}

// stretch is d if it is long enough to count as idle, else 0.
func stretch(d time.Duration) time.Duration {
	if d < idleStretch {
		return 0
	}
	return d
}
