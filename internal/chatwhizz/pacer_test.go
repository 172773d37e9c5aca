package chatwhizz

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/chatwhizz/terraform-provider-chatwhizz/internal/emulator"
)

// fakeClock is a pacer's time, moved by the test.
type fakeClock struct{ t time.Time }

func (c *fakeClock) now() time.Time          { return c.t }
func (c *fakeClock) advance(d time.Duration) { c.t = c.t.Add(d) }

// stands reports whether a turn is not void, whether or not it has come.
func (p *pacer) stands(throttles uint64) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.throttles == throttles
}

// pace is the current pace in requests per second (open when there is no
// limit), for the tests.
func (p *pacer) pace() float64 {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.perSecond
}

// current is the count of throttles a request sent now is sent under.
func (p *pacer) current() uint64 {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.throttles
}

func TestPacerIsOpenUntilTheServerThrottles(t *testing.T) {
	clock := &fakeClock{t: time.Unix(1000, 0)}
	p := newPacer(0, clock.now)
	for range 100 {
		if d, _ := p.delay(); d != 0 {
			t.Fatalf("an open pacer delayed a request %v", d)
		}
	}
	if p.pace() != open {
		t.Fatalf("pace %v, want open", p.pace())
	}
}

func TestPacerVoidsTurnsTakenBeforeA429(t *testing.T) {
	clock := &fakeClock{t: time.Unix(1000, 0)}
	p := newPacer(5, clock.now)
	_, before := p.delay()
	_, queued := p.delay() // waiting its turn when the 429 arrives
	if ok, _ := p.take(before); !ok {
		t.Fatal("a turn is void with no 429")
	}
	p.throttled(p.current(), time.Second)
	if p.stands(queued) {
		t.Fatal("a turn taken before the 429 still stands: it may fall inside the pause")
	}
	// The void turns do not push the new ones back: the first new turn is
	// at the end of the pause, the next one the new pace's spacing later.
	d, after := p.delay()
	next, _ := p.delay()
	spacing := time.Duration(float64(time.Second) / p.pace())
	if !p.stands(after) || d != time.Second || next-d < spacing-time.Millisecond || next-d > spacing+time.Millisecond {
		t.Fatalf("new turns wait %v and %v (valid %t), want the 1s pause then %v more", d, next, p.stands(after), spacing)
	}
	// 429s of the same burst, within the pause, void nothing more.
	p.throttled(p.current(), time.Second)
	if !p.stands(after) {
		t.Fatal("a 429 within the pause voided a turn taken after it")
	}
}

func TestPacerStartsAtAndNeverExceedsTheConfiguredRate(t *testing.T) {
	clock := &fakeClock{t: time.Unix(1000, 0)}
	p := newPacer(4, clock.now)
	var delays []time.Duration
	for range 5 {
		d, _ := p.delay()
		delays = append(delays, d)
	}
	for i, d := range delays {
		if want := time.Duration(i) * 250 * time.Millisecond; d != want {
			t.Fatalf("request %d waits %v, want %v (4 per second): %v", i, d, want, delays)
		}
	}
	for range 100 {
		p.answered(p.current())
	}
	if p.pace() != 4 {
		t.Fatalf("pace rose to %v above the configured 4", p.pace())
	}
}

func TestPacerSlowsEveryCallerOn429AndRecovers(t *testing.T) {
	clock := &fakeClock{t: time.Unix(1000, 0)}
	p := newPacer(0, clock.now)
	// 20 requests within a second meet the limit, none answered and no
	// Retry-After: the pace starts from what was sent over the window (20
	// in 2 s), times the decrease.
	burst := p.current()
	for range 20 {
		_, _ = p.delay()
	}
	p.throttled(burst, 0)
	if got, want := p.pace(), 10*paceDecrease; got != want {
		t.Fatalf("pace after the first 429: %v, want %v", got, want)
	}
	// More 429s from the same burst pause it, and do not slow it again.
	p.throttled(burst, time.Second)
	p.throttled(burst, time.Second)
	if got := p.pace(); got != 10*paceDecrease {
		t.Fatalf("pace after 429s of the same burst: %v", got)
	}
	// Every caller waits out Retry-After, then goes at the pace.
	first, _ := p.delay()
	second, _ := p.delay()
	if first != time.Second {
		t.Fatalf("first request after the 429 waits %v, want the 1s Retry-After", first)
	}
	if gap, spacing := second-first, time.Second*4/30; gap < spacing-time.Millisecond { // 7.5 per second
		t.Fatalf("requests after the pause %v apart, want the pace's spacing", gap)
	}
	// A 429 after the pause slows it again; answers raise it additively.
	clock.advance(2 * time.Second)
	p.throttled(p.current(), 0)
	slowed := p.pace()
	if slowed != 10*paceDecrease*paceDecrease {
		t.Fatalf("pace after a second 429: %v", slowed)
	}
	// A second's worth of answers at the pace raises it by about paceIncrease.
	for range int(slowed) {
		p.answered(p.current())
	}
	if got, want := p.pace(), slowed+paceIncrease; math.Abs(got-want) > 0.05 {
		t.Fatalf("pace after a second of answers: %v, want about %v", got, want)
	}
}

// TestPacerRisesByAShareWhenFastAndKeepsTheFloor: without an estimate, a
// fast pace rises by a share of itself per second, and no number of 429s
// brings any pace below the floor.
func TestPacerRisesByAShareWhenFastAndKeepsTheFloor(t *testing.T) {
	clock := &fakeClock{t: time.Unix(1000, 0)}
	fast := newPacer(0, clock.now)
	for range 80 {
		_, _ = fast.delay()
	}
	fast.throttled(fast.current(), 0) // 80 sent within the window: 40 a second, times the decrease
	start := fast.pace()
	for range int(start) {
		fast.answered(fast.current())
	}
	if got, want := fast.pace(), start*(1+paceIncreaseShare); math.Abs(got-want) > 0.1 {
		t.Fatalf("fast pace after a second of answers: %v, want about %v", got, want)
	}
	for range 50 {
		clock.advance(time.Hour)
		fast.throttled(fast.current(), 0)
	}
	if fast.pace() != paceFloor {
		t.Fatalf("pace %v below the floor %v", fast.pace(), paceFloor)
	}
}

// TestPacerKeepsTheCeilingThrough429s: four callers of three requests each
// against a server that answers some of them 429 (with and without
// Retry-After): however the pace falls and rises again, and when a pause
// ends with every caller waiting, no two requests are ever sent closer than
// the configured ceiling allows, ceilings below the pace's floor included.
func TestPacerKeepsTheCeilingThrough429s(t *testing.T) {
	// The server's answer to the nth request it receives (from 1): a 429
	// asking to wait that long (0: no Retry-After), or else a success.
	throttleAt := map[int]time.Duration{1: time.Second, 3: 0, 4: time.Second, 8: 0}
	for _, ceiling := range []float64{0.2, 0.25, 4} {
		t.Run(fmt.Sprint(ceiling), func(t *testing.T) {
			clock := &fakeClock{t: time.Unix(1000, 0)}
			p := newPacer(ceiling, clock.now)
			sent := simulate(t, p, clock, 4, 3, 0, nthThrottled(throttleAt)).sent
			if len(sent) != 12+len(throttleAt) {
				t.Fatalf("%d requests sent, want %d", len(sent), 12+len(throttleAt))
			}
			spacing := time.Duration(float64(time.Second) / ceiling)
			for i := 1; i < len(sent); i++ {
				if gap := sent[i].Sub(sent[i-1]); gap < spacing {
					t.Errorf("requests %d and %d sent %v apart, closer than the ceiling's %v (pace now %v)", i, i+1, gap, spacing, p.pace())
				}
			}
		})
	}
}

// TestPacerRisingKeepsTheCeilingForTurnsHandedOut: the pace rises back to
// the ceiling while turns are handed out at a slower one; the next turn is
// still a full ceiling's spacing after the last.
func TestPacerRisingKeepsTheCeilingForTurnsHandedOut(t *testing.T) {
	clock := &fakeClock{t: time.Unix(1000, 0)}
	p := newPacer(4, clock.now)
	p.throttled(p.current(), 0) // down to 3 per second
	var last time.Duration
	for range 3 {
		last, _ = p.delay()
	}
	for range 20 {
		p.answered(p.current())
	}
	if p.pace() != 4 {
		t.Fatalf("pace %v, want back at the ceiling 4", p.pace())
	}
	if next, _ := p.delay(); next-last < 250*time.Millisecond {
		t.Fatalf("turns at %v and %v: closer than 4 per second", last, next)
	}
}

// TestPacerSpacesFromTheWire: a request written to the connection later
// than its turn (connecting took time) pushes back the next turn, handed out
// before or after, so that the server never sees two closer than the pace.
func TestPacerSpacesFromTheWire(t *testing.T) {
	clock := &fakeClock{t: time.Unix(1000, 0)}
	p := newPacer(0.2, clock.now)
	_, first := p.delay()
	queued, second := p.delay()
	if ok, _ := p.take(first); !ok {
		t.Fatal("the first turn did not come at once")
	}
	clock.advance(60 * time.Millisecond) // connecting
	p.wrote()
	clock.advance(queued - 60*time.Millisecond)
	if ok, tooSoon := p.take(second); ok || tooSoon != 60*time.Millisecond {
		t.Fatalf("a turn 5s after the first turn but 4.94s after its write: taken %t, too soon by %v", ok, tooSoon)
	}
	clock.advance(60 * time.Millisecond)
	if ok, _ := p.take(second); !ok {
		t.Fatal("the turn did not come 5s after the write")
	}
	p.wrote()
	if d, _ := p.delay(); d != 5*time.Second {
		t.Fatalf("the next turn handed out waits %v, want 5s after the last write", d)
	}
}

// TestRateLimitedServerIsPacedNotFailed: 10 callers at once (Terraform's
// parallelism) against a server that admits 5 requests a second: every call
// succeeds with the default retries, and the pacer settles the client near
// the server's rate.
func TestRateLimitedServerIsPacedNotFailed(t *testing.T) {
	emu, base, stop := emulator.Start(emulator.Knobs{RateLimit: 5}, emulator.DemoOrganisation())
	t.Cleanup(stop)
	c, err := New(Config{BaseURL: base, Email: emulator.DemoEmail, Password: emulator.DemoPassword, OrganisationDomain: emulator.DemoOrganisationDomain, AddonUniqueName: AddonLiveChat})
	if err != nil {
		t.Fatal(err)
	}
	const calls = 40
	start := time.Now()
	var wg sync.WaitGroup
	errs := make(chan error, calls)
	sem := make(chan struct{}, 10)
	for i := range calls {
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			_, err := c.CreateOperator(context.Background(), CreateOperatorInput{Email: "agent" + string(rune('a'+i%26)) + string(rune('a'+i/26)) + "@example.com"})
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatalf("a call failed at 5 requests a second: %v", err)
		}
	}
	elapsed := time.Since(start)
	stats := emu.Stats()
	t.Logf("%d calls in %v, %d answered 429, pace %.2f/s", calls+1, elapsed, stats.Throttled, c.transport.pacer.pace())
	if stats.Throttled > calls {
		t.Errorf("%d 429s for %d calls: the pacer did not slow down", stats.Throttled, calls)
	}
}

// server is a rate-limited server's verdict on a request it receives at
// now: admitted, or a 429 asking to wait retryAfter.
type server func(now time.Time) (throttled bool, retryAfter time.Duration)

// tokenBucket admits rate requests a second with a burst of rate, and
// answers 429 with Retry-After: 1 beyond, as the emulator's rate limit does.
func tokenBucket(rate float64) server {
	tokens, last := rate, time.Time{}
	return func(now time.Time) (bool, time.Duration) {
		if !last.IsZero() {
			tokens = min(rate, tokens+now.Sub(last).Seconds()*rate)
		}
		last = now
		if tokens < 1 {
			return true, time.Second
		}
		tokens--
		return false, 0
	}
}

// quota admits quota requests a window, the window starting with the first
// request after the last one ended, and answers 429 beyond with Retry-After
// up to the window's end in whole seconds, as the emulator's quota does.
func quota(n int, window time.Duration) server {
	var start time.Time
	used := 0
	return func(now time.Time) (bool, time.Duration) {
		if start.IsZero() || !now.Before(start.Add(window)) {
			start, used = now, 0
		}
		if used >= n {
			return true, time.Duration(math.Ceil(start.Add(window).Sub(now).Seconds())) * time.Second
		}
		used++
		return false, 0
	}
}

// nthThrottled answers the nth request it receives (from 1) 429 when
// throttleAt holds a Retry-After for n (0: none), and admits the others.
func nthThrottled(throttleAt map[int]time.Duration) server {
	n := 0
	return func(time.Time) (bool, time.Duration) {
		n++
		retryAfter, throttled := throttleAt[n]
		return throttled, retryAfter
	}
}

// simulation is what simulate saw: when each request was sent, how many
// were answered 429, and when the last answer arrived.
type simulation struct {
	sent      []time.Time
	throttled int
	took      time.Duration
}

// simulate plays callers that each send requests through p (a request
// answered 429 is sent again, with a new turn) to srv on the fake clock,
// each answer arriving between latency and twice latency after its request
// (so that answers to requests sent together cross).
func simulate(t *testing.T, p *pacer, clock *fakeClock, callers, requests int, latency time.Duration, srv server) simulation {
	t.Helper()
	var run simulation
	start := clock.now()
	q := &simQueue{p: p, clock: clock}
	for range callers {
		q.newTurn(&simCaller{left: requests})
	}
	jitter := rand.New(rand.NewPCG(1, 2))
	for steps := 0; len(q.callers) > 0; steps++ {
		if steps > 100*callers*requests {
			t.Fatal("the callers never got through")
		}
		c := q.next()
		if c.inFlight {
			c.inFlight = false
			if c.throttled {
				run.throttled++
				p.throttled(c.turn, c.retry)
			} else {
				p.answered(c.turn)
				c.left--
			}
			if c.left > 0 {
				q.newTurn(c)
			}
			continue
		}
		switch ok, tooSoon := p.take(c.turn); {
		case tooSoon > 0:
			q.at(c, clock.now().Add(tooSoon))
		case ok:
			run.sent = append(run.sent, clock.now())
			c.inFlight = true
			c.throttled, c.retry = srv(clock.now())
			q.at(c, clock.now().Add(latency+time.Duration(jitter.Int64N(int64(latency)+1))))
		default: // void
			q.newTurn(c)
		}
	}
	run.took = clock.now().Sub(start)
	return run
}

// simCaller is a caller of simulate: the turn it waits for, or the answer
// to the request it sent under it.
type simCaller struct {
	due       time.Time
	seq       int // events due at the same time come in the order they were set
	turn      uint64
	inFlight  bool
	throttled bool
	retry     time.Duration
	left      int
}

// simQueue holds the callers of simulate by when their next event is due.
type simQueue struct {
	p       *pacer
	clock   *fakeClock
	callers []*simCaller
	seq     int
}

// at sets c's next event at t.
func (q *simQueue) at(c *simCaller, t time.Time) {
	q.seq++
	c.due, c.seq = t, q.seq
	q.callers = append(q.callers, c)
}

// newTurn has c take a new turn from the pacer.
func (q *simQueue) newTurn(c *simCaller) {
	d, turn := q.p.delay()
	c.turn = turn
	q.at(c, q.clock.now().Add(d))
}

// next takes out the caller whose event comes first and moves the clock to
// it.
func (q *simQueue) next() *simCaller {
	first := slices.MinFunc(q.callers, func(a, b *simCaller) int {
		if c := a.due.Compare(b.due); c != 0 {
			return c
		}
		return a.seq - b.seq
	})
	q.callers = slices.DeleteFunc(q.callers, func(c *simCaller) bool { return c == first })
	q.clock.t = first.due
	return first
}

// TestPacerFindsARateLimit: ten callers (Terraform's parallelism) against a
// server that admits R requests a second: the pace settles just under R
// instead of sawing below it, so the work takes within 3% of its floor
// (the requests ÷ R, less the server's burst) with a handful of 429s: the
// settle's margin and the probes' overshoot are the most of that.
func TestPacerFindsARateLimit(t *testing.T) {
	for _, rate := range []float64{2, 5, 20} {
		t.Run(fmt.Sprint(rate), func(t *testing.T) {
			run, p, requests := simulateRateLimit(t, rate, 0)
			floor := time.Duration(float64(requests-int(rate)) / rate * float64(time.Second))
			t.Logf("%d requests in %v (floor %v, %.3f×), %d answered 429, pace %.2f/s", requests, run.took, floor, run.took.Seconds()/floor.Seconds(), run.throttled, p.pace())
			if run.took > floor*103/100 {
				t.Errorf("%d requests at %v a second took %v, more than 1.03 × the floor %v", requests, rate, run.took, floor)
			}
			if run.throttled > 25 {
				t.Errorf("%d answers of 429", run.throttled)
			}
			if got := p.pace(); got < rate*0.95 || got > rate*1.1 {
				t.Errorf("pace %.2f, want just under the limit %v", got, rate)
			}
		})
	}
}

// TestPacerFindsARateLimitOnASpentBucket: the same, the server's bucket
// half or three quarters spent when the client starts (by the provider's
// previous process, or another client), so that the first 429 comes early
// and its estimate is low: the pace still finds the limit, and the work
// takes within 1.035 times the requests ÷ R.
func TestPacerFindsARateLimitOnASpentBucket(t *testing.T) {
	for _, rate := range []float64{2, 5, 20} {
		for _, spent := range []float64{0.5, 0.75} {
			t.Run(fmt.Sprint(rate, "/", spent), func(t *testing.T) {
				run, p, requests := simulateRateLimit(t, rate, spent)
				floor := time.Duration(float64(requests) / rate * float64(time.Second))
				t.Logf("%d requests in %v (floor %v, %.3f×), %d answered 429, pace %.2f/s", requests, run.took, floor, run.took.Seconds()/floor.Seconds(), run.throttled, p.pace())
				if run.took > floor*1035/1000 {
					t.Errorf("%d requests at %v a second took %v, more than 1.035 × the floor %v", requests, rate, run.took, floor)
				}
			})
		}
	}
}

// TestPacerSettlesNearASlowLimit: six callers (what a plan's refresh keeps
// in flight) against 2 requests a second, the bucket half spent: the 429
// that ends the climb comes after a few answers, whose count alone tells the
// limit within a tenth (it told 1.87, and the work took 1.088 times its
// floor); the answers' times tell it within a few hundredths.
func TestPacerSettlesNearASlowLimit(t *testing.T) {
	clock := &fakeClock{t: time.Unix(1000, 0)}
	srv := tokenBucket(2)
	srv(clock.now())
	p := newPacer(0, clock.now)
	const requests = 78
	run := simulate(t, p, clock, 6, requests/6, 2*time.Millisecond, srv)
	floor := time.Duration(requests / 2 * float64(time.Second))
	t.Logf("%d requests in %v (floor %v, %.3f×), %d answered 429, pace %.2f/s", requests, run.took, floor, run.took.Seconds()/floor.Seconds(), run.throttled, p.pace())
	if run.took > floor*103/100 {
		t.Errorf("took %v, more than 1.03 × the floor %v", run.took, floor)
	}
}

// TestBucketBoundsFitTheBucketThatAnswered: the rates bucketBounds gives
// hold the rate of the bucket that admitted the answers and refused the
// last request, closer than the window's count tells it; answers no such
// bucket admits give none.
func TestBucketBoundsFitTheBucketThatAnswered(t *testing.T) {
	start := time.Unix(1000, 0)
	for _, rate := range []float64{2, 5, 20} {
		t.Run(fmt.Sprint(rate), func(t *testing.T) {
			// A client a little faster than the bucket, from a full one,
			// until its first 429.
			srv, at := tokenBucket(rate), start
			var admitted []time.Time
			for {
				if throttled, _ := srv(at); throttled {
					break
				}
				admitted = append(admitted, at)
				at = at.Add(time.Duration(float64(time.Second) / (rate * 1.3)))
			}
			lo, hi, ok := bucketBounds(admitted, at, time.Second)
			count := float64(len(admitted)) / (at.Sub(admitted[0]).Seconds() + 1)
			t.Logf("%d admitted: %.3f to %.3f; the count's range %.3f to %.3f", len(admitted), lo, hi, count, count+1/(at.Sub(admitted[0]).Seconds()+1))
			if !ok || lo > rate || hi < rate {
				t.Fatalf("bounds %.3f to %.3f (ok %v), want about %v", lo, hi, ok, rate)
			}
			if hi-lo >= 1/(at.Sub(admitted[0]).Seconds()+1) {
				t.Errorf("bounds %.3f to %.3f no closer than the count's", lo, hi)
			}
		})
	}
	// Ten requests admitted in a tenth of a second and a refusal: no
	// bucket of a burst of one second's worth does that and refuses a
	// second later.
	var burst []time.Time
	for i := range 10 {
		burst = append(burst, start.Add(time.Duration(i)*10*time.Millisecond))
	}
	if lo, hi, ok := bucketBounds(burst, start.Add(1100*time.Millisecond), time.Second); ok {
		t.Errorf("bounds %.3f to %.3f for answers no such bucket gives", lo, hi)
	}
}

// simulateRateLimit runs a minute's worth of requests at rate from ten
// callers through an open pacer against a token bucket of rate a second,
// spent that share when they start.
func simulateRateLimit(t *testing.T, rate, spent float64) (simulation, *pacer, int) {
	clock := &fakeClock{t: time.Unix(1000, 0)}
	srv := tokenBucket(rate)
	for range int(rate * spent) {
		srv(clock.now())
	}
	p := newPacer(0, clock.now)
	requests := int(60 * rate)
	return simulate(t, p, clock, 10, requests/10, 5*time.Millisecond, srv), p, requests
}

// TestPacerFindsAQuota: a server that admits 100 requests a 30-second window
// and asks to wait until the window's end beyond: the work takes no longer
// than the windows it needs.
func TestPacerFindsAQuota(t *testing.T) {
	clock := &fakeClock{t: time.Unix(1000, 0)}
	p := newPacer(0, clock.now)
	const requests, window = 330, 30 * time.Second
	run := simulate(t, p, clock, 10, requests/10, 5*time.Millisecond, quota(100, window))
	floor := 4 * window // ⌈330 ÷ 100⌉ windows
	t.Logf("%d requests in %v (floor %v), %d answered 429, pace %.2f/s", requests, run.took, floor, run.throttled, p.pace())
	if run.took > floor {
		t.Errorf("%d requests took %v, more than the %v of the windows they need", requests, run.took, floor)
	}
	if got, quota := p.pace(), 100/window.Seconds(); got < quota*0.9 || got > quota*1.1 {
		t.Errorf("pace %.2f, want about the quota's %.2f a second", got, quota)
	}
}

// TestPacerIgnoresAnswersSentBeforeA429: the answers to requests sent
// before a 429, arriving after it, tell of the old pace: they do not raise
// the new one, and their 429s do not lower it again.
func TestPacerIgnoresAnswersSentBeforeA429(t *testing.T) {
	clock := &fakeClock{t: time.Unix(1000, 0)}
	p := newPacer(8, clock.now)
	before := p.current()
	p.throttled(before, time.Second)
	slowed := p.pace()
	clock.advance(paceBurstGrace) // past the burst that crossed the 429
	for range 20 {
		clock.advance(50 * time.Millisecond)
		p.answered(before)
	}
	p.throttled(before, time.Second) // after the pause, to a request sent before it
	if p.pace() != slowed || p.current() != before+1 {
		t.Fatalf("answers and a 429 to requests sent before the 429 moved the pace from %v to %v (throttles %d)", slowed, p.pace(), p.current()-before)
	}
	p.answered(p.current())
	if p.pace() <= slowed {
		t.Fatal("an answer to a request sent after the 429 did not raise the pace")
	}
}

// TestPacerStaysOpenUntilItCanEstimate: a 429 to an open pace with too few
// answers to estimate from (the provider's previous process, or another
// client, may have spent the server's window) pauses for its Retry-After
// and leaves the pace open: the next burst tells the limit.
func TestPacerStaysOpenUntilItCanEstimate(t *testing.T) {
	clock := &fakeClock{t: time.Unix(1000, 0)}
	p := newPacer(0, clock.now)
	burst := p.current()
	for range 12 {
		p.delay()
	}
	p.answered(burst)
	p.answered(burst)
	p.throttled(burst, time.Second)
	if d, _ := p.delay(); p.pace() != open || d != time.Second {
		t.Fatalf("pace %v, next turn in %v: want open after the 1s pause", p.pace(), d)
	}
	clock.advance(time.Second)
	burst = p.current()
	for range 20 {
		clock.advance(10 * time.Millisecond)
		p.answered(burst)
	}
	p.throttled(burst, time.Second)
	if got := p.pace(); got == open || got < 10 {
		t.Fatalf("pace %v after a burst of 20 answers in 0.2 s and a 1s Retry-After, want about 18", got)
	}
}

// TestPacerCountsTheBurstThatCrossedA429: requests sent together from an
// open pace, some admitted and some answered 429, whose answers come back
// in any order: the admitted ones that arrive just after the first 429
// still count towards its estimate.
func TestPacerCountsTheBurstThatCrossedA429(t *testing.T) {
	clock := &fakeClock{t: time.Unix(1000, 0)}
	p := newPacer(0, clock.now)
	burst := p.current()
	for range 10 {
		p.delay()
	}
	p.answered(burst) // the login, say
	clock.advance(5 * time.Millisecond)
	p.answered(burst)
	p.throttled(burst, time.Second) // 5 admitted of 10: a limit of 5 a second
	for range 3 {
		clock.advance(time.Millisecond)
		p.answered(burst)
	}
	want := (5 + 0.5) / 1.005 * paceSettle // and half the refused one, over 5 ms and the Retry-After
	if got := p.pace(); math.Abs(got-want) > 0.01 {
		t.Fatalf("pace %.2f after the burst's answers, want %.2f: the three admitted after the 429 count", got, want)
	}
	// Later answers to the burst's requests no longer do.
	clock.advance(paceBurstGrace)
	for range 5 {
		p.answered(burst)
	}
	if got := p.pace(); math.Abs(got-want) > 0.01 {
		t.Fatalf("pace %.2f, want it left at %.2f", got, want)
	}
}

// TestPacerKeepsWaitersSpacedWhenAnswersArriveDuringAPause: answers that
// arrive during a pause (requests in flight when the 429 came) neither
// bring the turns handed out back to the present nor let the waiters leave
// together when the pause ends.
func TestPacerKeepsWaitersSpacedWhenAnswersArriveDuringAPause(t *testing.T) {
	clock := &fakeClock{t: time.Unix(1000, 0)}
	p := newPacer(4, clock.now)
	inFlight := p.current()
	p.throttled(inFlight, 2*time.Second)
	var turns []time.Duration
	for range 5 {
		clock.advance(100 * time.Millisecond)
		p.answered(inFlight)
		p.answered(p.current())
		d, _ := p.delay()
		turns = append(turns, d+time.Duration(len(turns)+1)*100*time.Millisecond)
	}
	spacing := time.Duration(float64(time.Second) / p.pace())
	if turns[0] < 2*time.Second-time.Millisecond {
		t.Fatalf("the first turn comes %v after the 429, within its 2s pause", turns[0])
	}
	for i := 1; i < len(turns); i++ {
		if gap := turns[i] - turns[i-1]; gap < spacing-time.Millisecond {
			t.Fatalf("turns %v: %d and %d only %v apart, want the pace's %v", turns, i, i+1, gap, spacing)
		}
	}
}

// TestPacerClimbsPastAFloorUntilA429ConfirmsIt: an estimate drawn from an
// open pace is a floor of the limit (the server's window may have begun part
// spent), so answers at the pace raise it past the estimate quickly; the 429
// that the climb meets confirms the limit, which is then no lower than the
// floor, whatever the climb reached or the client sent.
func TestPacerClimbsPastAFloorUntilA429ConfirmsIt(t *testing.T) {
	clock := &fakeClock{t: time.Unix(1000, 0)}
	p := throttledFromOpen(clock)
	floor := 10.0 / 2 // 10 answered over a second and the Retry-After
	clock.advance(time.Second)
	for range 20 {
		clock.advance(200 * time.Millisecond)
		p.answered(p.current())
	}
	if climbed := p.pace(); climbed < 2*floor {
		t.Fatalf("pace %.2f after 20 answers at the pace over 4 s, want it past twice the floor %.2f", climbed, floor)
	}
	clock.advance(100 * time.Millisecond)
	p.throttled(p.current(), time.Second) // 20 answered over 4 s: an estimate under the floor
	if got, want := p.pace(), floor*paceSettle; math.Abs(got-want) > 0.01 {
		t.Fatalf("pace %.2f after the 429 the climb met, want just under the floor, %.2f", got, want)
	}
	for range 20 {
		clock.advance(200 * time.Millisecond)
		p.answered(p.current())
	}
	if got, want := p.pace(), floor*paceSettle; math.Abs(got-want) > 0.01 {
		t.Fatalf("pace %.2f after answers, want it settled at %.2f once the limit is confirmed", got, want)
	}
}

// throttledFromOpen is an open pacer that met a 429 (Retry-After: 1) after 10
// answers over a second: its limit estimated at 10.5 ÷ 2 a second.
func throttledFromOpen(clock *fakeClock) *pacer {
	p := newPacer(0, clock.now)
	for range 10 {
		clock.advance(100 * time.Millisecond)
		p.answered(p.current())
	}
	clock.advance(100 * time.Millisecond)
	p.throttled(p.current(), time.Second)
	return p
}

// TestPacerProbesRarelyAndNeverAboveTheCeiling: settled under a confirmed
// limit, the pace rises by paceProbe once every paceProbeInterval, not with
// every answer, and never above the configured ceiling.
func TestPacerProbesRarelyAndNeverAboveTheCeiling(t *testing.T) {
	clock := &fakeClock{t: time.Unix(1000, 0)}
	p := throttledFromOpen(clock)
	clock.advance(time.Second)
	p.throttled(p.current(), time.Second) // met at the pace: confirms the limit, no less than the 10 answered over 2 s
	settled := p.pace()
	if want := 10.0 / 2 * paceSettle; math.Abs(settled-want) > 0.01 {
		t.Fatalf("pace %v after the 429, want %v", settled, want)
	}
	for range int(paceProbeInterval/time.Second) - 1 {
		clock.advance(time.Second)
		p.answered(p.current())
	}
	if p.pace() != settled {
		t.Fatalf("the pace rose to %v before a probe was due", p.pace())
	}
	clock.advance(time.Second)
	p.answered(p.current())
	if want := settled * paceProbe; math.Abs(p.pace()-want) > 0.01 {
		t.Fatalf("pace %v after %v, want one probe to %v", p.pace(), paceProbeInterval, want)
	}
	capped := newPacer(3, clock.now)
	for range 10 {
		clock.advance(10 * time.Millisecond)
		capped.answered(capped.current())
	}
	capped.throttled(capped.current(), time.Second)
	for range 100 {
		clock.advance(time.Minute)
		capped.answered(capped.current())
	}
	if capped.pace() > 3 {
		t.Fatalf("pace %v above the configured 3", capped.pace())
	}
}

// TestPacerDoesNotTakeAShareForTheLimit: a client that starts when another
// has spent most of a quota's window meets a 429 after one answer; it must
// not take that one answer over the rest of the window for the server's
// limit (one a second, which would take 11 s), nor slow down on no evidence
// (from what it sent, as AIMD does, it would take 6 s).
func TestPacerDoesNotTakeAShareForTheLimit(t *testing.T) {
	clock := &fakeClock{t: time.Unix(1000, 0)}
	srv := quota(10, time.Second)
	for range 9 { // the provider's previous process, or another client
		srv(clock.now())
	}
	clock.advance(500 * time.Millisecond)
	p := newPacer(0, clock.now)
	run := simulate(t, p, clock, 4, 3, 5*time.Millisecond, srv)
	t.Logf("12 requests in %v, %d answered 429, pace %.2f/s", run.took, run.throttled, p.pace())
	if run.took > 3*time.Second {
		t.Errorf("12 requests under a quota of 10 a second, one of them left, took %v", run.took)
	}
}
