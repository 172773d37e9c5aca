package chatwhizz

import (
	"context"
	"math"
	"sync"
	"time"
)

// The pace's arithmetic. A 429 tells the pacer how much the server admitted:
// its estimate of the server's limit is what was answered over the window
// that ended in the 429, plus the Retry-After it asks (see estimateLocked),
// and the pace settles just under it. An estimate drawn from an open pace is
// only a floor of the limit (the server's window may have begun part spent),
// so the pace climbs past it quickly until a 429 met at the pace confirms the
// limit, as TCP's slow start does. Without an estimate (nothing answered yet)
// it falls back to additive increase, multiplicative decrease (AIMD), as TCP
// and the AWS SDK's adaptive retry mode do.
const (
	// paceSettle is the share of the estimated limit the pace settles at:
	// just under it, so that a steady pace meets no 429. Every point of
	// margin is a point of the limit left unused for the whole command.
	paceSettle = 0.985
	// Once settled, the pace probes upward rarely, in case the limit has
	// risen or was underestimated: by paceProbe every paceProbeInterval.
	// From the settle that overshoots an unmoved limit by under 2%, so the
	// probe drains a token bucket slowly and meets one 429 a minute or more
	// later, whose estimate then settles the pace again.
	paceProbe         = 1.03
	paceProbeInterval = 30 * time.Second
	// paceDecrease multiplies the pace when the server answers 429 and
	// there is no estimate. With one, a single 429 never cuts a settled pace
	// below paceMaxCut times the pace it met: an estimate drawn while the
	// client idled, or shared the server with another, is too low. (A 429
	// met while climbing past a floor of the limit keeps the floor instead.)
	paceDecrease = 0.75
	paceMaxCut   = 0.5
	// Below the estimate, or without one, the pace rises while the server
	// answers by paceIncrease requests per second per second, or
	// paceIncreaseShare of the pace per second when that is more: each
	// answered call adds the rise divided by the pace, so a slow server is
	// probed gently and a fast one regained in seconds.
	paceIncrease      = 0.25
	paceIncreaseShare = 0.05
	// paceClimbShare is how fast the pace climbs past a floor of the limit
	// (an estimate drawn from an open pace) until a 429 met at the pace
	// confirms the limit: that share of the pace per second, or
	// paceIncrease when that is more: quick, since the floor may be far
	// below the limit, and a 429 it meets costs one pause.
	paceClimbShare = 0.5
	// paceFloor is the slowest pace a 429 brings: one request every two
	// seconds, or the configured ceiling when that is slower.
	paceFloor = 0.5
	// paceWindow is how far back the requests sent count when a first 429
	// arrives with nothing answered to estimate from: their rate is where
	// the pace starts.
	paceWindow = 2 * time.Second
	// paceHorizon is how far back answers count towards the estimate: the
	// longest Retry-After honoured, so a per-window quota's whole window.
	paceHorizon = maxRetryAfter
	// paceEstimateMin is the fewest answers an estimate is drawn from: one
	// or two tell little when another client (or the provider's previous
	// process) spent most of the server's window.
	paceEstimateMin = 3
	// paceBurstGrace is how soon after a 429 an answer to a request sent
	// before it still counts towards its estimate: requests sent together
	// (Terraform's parallelism) cross the 429 in flight, admitted before it
	// but answered a moment after.
	paceBurstGrace = 250 * time.Millisecond
	// The range of rates bucketBounds searches.
	bucketRateMin = 0.01
	bucketRateMax = 1e6
)

// open is the pace of a pacer with no limit: no spacing between turns.
var open = math.Inf(1)

// pacer spaces one client's requests so that a server's rate limit slows
// every caller instead of failing some. It starts open, or at the rate the
// user configured; a 429 pauses every caller for its Retry-After and sets
// the pace just under the server's limit as estimated from what it admitted
// (at most once per pause, since one burst earns many 429s). From an open
// pace that estimate is a floor: the pace climbs past it until the next 429
// confirms the limit. Settled, the pace probes upward rarely; never above
// the configured ceiling. Answers and 429s to requests sent before the
// latest 429 change nothing but the pause: they tell of the old pace, not
// the new.
//
// Turns are handed out one at a time, each at least one spacing (1/pace)
// after the one before, so no two requests are ever closer than the
// configured ceiling allows: not when the pace rises (only later turns are
// spaced closer), nor at the end of a pause, nor after a 429 voids the turns
// handed out before it (the next turn is spaced from the last one sent).
type pacer struct {
	now func() time.Time

	mu        sync.Mutex
	perSecond float64 // the pace: requests per second, or open
	ceiling   float64 // the configured rate, or open
	// next is the earliest time the next turn may be handed out.
	next time.Time
	// lastSent is when the latest request was sent: its turn taken up, or
	// written to the connection, whichever came later.
	lastSent    time.Time
	pausedUntil time.Time
	sent        []time.Time // request times within paceWindow, while the pace is open
	// answeredAt is when each answer that was not a 429 arrived, within
	// paceHorizon: what the server admitted.
	answeredAt []time.Time
	// limit is the server's rate as last estimated from a 429 (0: none yet).
	limit float64
	// leastLimit is, while limit was drawn from an open pace, the least the
	// limit can be: what the server admitted over the estimate's window,
	// without the refused request's half. The server's window may have begun
	// part spent (by another client, or the provider's previous process), so
	// the limit may be much higher. 0 once a 429 met at the pace confirms it.
	leastLimit float64
	// settledAt is when the pace last settled or probed.
	settledAt time.Time
	// The 429 that last set the pace: when it came, the Retry-After it
	// asked, and the pace it met (open, or requests per second).
	throttledAt  time.Time
	throttleWait time.Duration
	paceMet      float64
	// throttles counts the 429s that paused or slowed the pace: a turn
	// taken before one is void, since it was spaced at the old pace and may
	// fall inside the pause.
	throttles uint64
}

// newPacer returns a pacer capped at ceiling requests per second (0 means
// no cap: open until the server throttles).
func newPacer(ceiling float64, now func() time.Time) *pacer {
	limit := open
	if ceiling > 0 {
		limit = ceiling
	}
	return &pacer{now: now, ceiling: limit, perSecond: limit}
}

// spacingLocked is the time between two turns at the current pace, rounded
// up so that rounding never brings two turns closer than the pace allows.
func (p *pacer) spacingLocked() time.Duration {
	if p.perSecond == open {
		return 0
	}
	return time.Duration(math.Ceil(float64(time.Second) / p.perSecond))
}

// delay takes a turn and says how long to wait before sending it, and
// under which count of throttles the turn was given.
func (p *pacer) delay() (time.Duration, uint64) {
	p.mu.Lock()
	defer p.mu.Unlock()
	now := p.now()
	if p.perSecond == open {
		p.sent = append(trimBefore(p.sent, now.Add(-paceWindow)), now)
	}
	// Turns are handed out from the end of the pause on, evenly spaced.
	turn := now
	if p.pausedUntil.After(turn) {
		turn = p.pausedUntil
	}
	if p.next.After(turn) {
		turn = p.next
	}
	p.next = turn.Add(p.spacingLocked())
	return turn.Sub(now), p.throttles
}

// take reports whether a turn given under the count throttles still
// stands (no 429 has paused or slowed the pace since) and, when it does and
// the last request sent is a spacing behind, records it as sent. A turn
// that stands but comes too soon after the last request sent (which may
// have reached the wire later than its turn) says how much longer to wait.
func (p *pacer) take(throttles uint64) (ok bool, tooSoon time.Duration) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.throttles != throttles {
		return false, 0
	}
	now := p.now()
	if early := p.lastSent.Add(p.spacingLocked()).Sub(now); early > 0 {
		return false, early
	}
	p.sentLocked(now)
	return true, 0
}

// wrote records that a request has been written to the connection, later
// than its turn when connecting took time: the next request is spaced from
// then, so that the server never sees two closer than the pace.
func (p *pacer) wrote() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.sentLocked(p.now())
}

// sentLocked records a request sent at now: later turns come at least a
// spacing after.
func (p *pacer) sentLocked(now time.Time) {
	if now.After(p.lastSent) {
		p.lastSent = now
	}
	if next := p.lastSent.Add(p.spacingLocked()); next.After(p.next) {
		p.next = next
	}
}

// wait blocks until the request may be sent, or the context ends, and
// returns the count of throttles its turn was given under (for answered and
// throttled). A 429 that arrives while the request waits its turn voids the
// turn: the request takes a new one, after the pause and at the new pace,
// instead of meeting the limit that every waiter would meet at once.
func (p *pacer) wait(ctx context.Context) (uint64, error) {
	for {
		d, throttles := p.delay()
		for {
			if err := sleep(ctx, d); err != nil {
				return 0, err
			}
			ok, tooSoon := p.take(throttles)
			if ok {
				return throttles, nil
			}
			if tooSoon == 0 {
				break // void: take a new turn
			}
			d = tooSoon
		}
	}
}

// sleep waits d, or until the context ends.
func sleep(ctx context.Context, d time.Duration) error {
	if d > 0 {
		t := time.NewTimer(d)
		defer t.Stop()
		select {
		case <-ctx.Done():
		case <-t.C:
		}
	}
	return ctx.Err()
}

// throttled records a 429 that asked to wait retryAfter (0 when it did not
// say) to a request sent under the count turn: everyone pauses that long.
// The first 429 to a request sent at the current pace sets a new pace,
// estimated from what the server admitted; the rest of its burst, and 429s
// to requests sent before it, only pause.
func (p *pacer) throttled(turn uint64, retryAfter time.Duration) {
	p.mu.Lock()
	defer p.mu.Unlock()
	now := p.now()
	if turn == p.throttles && !p.pausedUntil.After(now) {
		p.throttles++
		p.throttledAt, p.throttleWait, p.paceMet = now, retryAfter, p.perSecond
		p.perSecond = p.slowedLocked(now, retryAfter)
		p.settledAt = now
		// The turns handed out before are void (see wait) and must not push
		// the new ones back; the next one is spaced from the last one sent.
		p.next = p.lastSent.Add(p.spacingLocked())
	}
	if until := now.Add(retryAfter); until.After(p.pausedUntil) {
		p.pausedUntil = until
	}
}

// slowedLocked is the pace after a 429 at now: just under the estimated
// limit, but no lower than paceMaxCut times the pace that met it, or, when
// that pace was climbing past a floor of the limit, than the floor; without
// an estimate, the pace times paceDecrease, except that an open pace stays
// open through a Retry-After (with none, it starts from the rate sent over
// paceWindow). Never above the ceiling, nor below the floor unless the
// ceiling is slower.
func (p *pacer) slowedLocked(now time.Time, retryAfter time.Duration) float64 {
	estimate := p.estimateLocked(now, retryAfter)
	var slowed float64
	switch {
	case estimate > 0 && p.perSecond == open:
		slowed = estimate * paceSettle
	case estimate > 0 && p.leastLimit > 0:
		// The pace climbed past a floor of the limit to meet this 429: the
		// limit is confirmed, no lower than the floor; half the pace the
		// climb reached is no bound, since the climb overshoots.
		estimate = max(estimate, p.leastLimit)
		slowed = min(estimate*paceSettle, p.perSecond)
	case estimate > 0:
		// A 429 never raises the pace, nor cuts it below paceMaxCut.
		slowed = max(min(estimate*paceSettle, p.perSecond), p.perSecond*paceMaxCut)
	case p.perSecond == open && retryAfter > 0:
		// Too few answers to tell the rate (another client, or the
		// provider's previous process, may have spent the server's
		// window), and a pause to keep to: the next burst will tell.
		slowed = open
	case p.perSecond == open:
		// The rate that met the limit: what was sent over the window.
		slowed = float64(len(trimBefore(p.sent, now.Add(-paceWindow)))) / paceWindow.Seconds() * paceDecrease
	default:
		slowed = p.perSecond * paceDecrease
	}
	if estimate > 0 {
		p.limit, p.leastLimit = estimate, 0
		if p.perSecond == open {
			p.leastLimit = p.admittedLocked(now, retryAfter)
		}
	}
	p.sent = nil
	if slowed == open {
		return p.ceiling
	}
	return max(min(slowed, p.ceiling), min(paceFloor, p.ceiling))
}

// estimateLocked is the server's limit as the answers before a 429 at end
// tell it: the most, over the windows that end then, of the answers admitted
// within the window (plus half the request the 429 refused: a token bucket
// refuses it with between none and one token left) divided by its length
// plus the Retry-After (one second when the server gave none). A token
// bucket that admits R a second with a burst of R × Retry-After gives R when
// the client kept it busy, less when it idled; a quota of Q a window, whose
// Retry-After runs to the window's end, gives about Q ÷ the window. Answers
// up to paceBurstGrace after the 429 count as admitted at its time. 0 when
// fewer than paceEstimateMin were answered.
//
// Half a request is a guess worth ±0.5 ÷ (window + Retry-After): a tenth of
// the limit over the few answers a slow limit's window holds (2 a second
// was estimated at 1.87). Where the window's answers fit such a bucket,
// the middle of the rates they fit (bucketBounds) is the estimate instead.
func (p *pacer) estimateLocked(end time.Time, retryAfter time.Duration) float64 {
	estimate, window := p.windowLocked(end, retryAfter, 0.5)
	if lo, hi, ok := bucketBounds(window, end, retryAfterOrDefault(retryAfter)); ok {
		return (lo + hi) / 2
	}
	return estimate
}

// admittedLocked is the least the limit can be, as the answers before a 429
// at end tell it: estimateLocked's windows without the refused request's
// half.
func (p *pacer) admittedLocked(end time.Time, retryAfter time.Duration) float64 {
	least, _ := p.windowLocked(end, retryAfter, 0)
	return least
}

// windowLocked is the most, over the windows of answers that end at a 429 at
// end, of the answers within the window, plus refused requests, divided by
// its length plus the Retry-After; and the answers of the window it took.
func (p *pacer) windowLocked(end time.Time, retryAfter time.Duration, refused float64) (float64, []time.Time) {
	retryAfter = retryAfterOrDefault(retryAfter)
	p.answeredAt = trimBefore(p.answeredAt, end.Add(-paceHorizon))
	n := 0 // the answers up to the grace's end
	for n < len(p.answeredAt) && !p.answeredAt[n].After(end.Add(paceBurstGrace)) {
		n++
	}
	best, from := 0.0, n
	for i := 0; i+paceEstimateMin <= n; i++ {
		window := max(end.Sub(p.answeredAt[i]), 0) + retryAfter
		if rate := (float64(n-i) + refused) / window.Seconds(); rate > best {
			best, from = rate, i
		}
	}
	return best, p.answeredAt[from:n]
}

// retryAfterOrDefault is a 429's Retry-After, or one second when it gave
// none.
func retryAfterOrDefault(retryAfter time.Duration) time.Duration {
	if retryAfter <= 0 {
		return time.Second
	}
	return retryAfter
}

// bucketBounds is the range of rates r at which the token bucket the
// estimate assumes (a rate r and a burst of r × retryAfter, full when the
// window began) admits each request answered at admitted and refuses one at
// end. The window's count says only that the bucket held between none and
// one token at the refusal; each admitted request says it held one then (a
// least r, the last ones before the refusal telling most) and the refusal
// that it held none (a most r). ok is false when no rate fits (the server
// is not such a bucket, or the window did not begin full): the window's
// estimate then stands.
func bucketBounds(admitted []time.Time, end time.Time, retryAfter time.Duration) (lo, hi float64, ok bool) {
	if len(admitted) == 0 {
		return 0, 0, false
	}
	// Both tests are monotonic in r: a faster bucket holds more at any time.
	admitsAll := func(r float64) bool { ok, _ := bucketAfter(admitted, end, retryAfter, r); return ok }
	refuses := func(r float64) bool { _, left := bucketAfter(admitted, end, retryAfter, r); return left < 1 }
	lo, hi = bisect(admitsAll), bisect(refuses)
	return lo, hi, lo > 0 && hi > 0 && lo <= hi
}

// bucketAfter plays a bucket of rate r and burst r × retryAfter, full at
// the first of admitted, through the admitted requests: whether it admits
// them all, and the tokens it holds at end, had it admitted them all anyway
// (in debt where it had none: a faster bucket holds more, always). Answers
// that crossed the 429 count as admitted at its time.
func bucketAfter(admitted []time.Time, end time.Time, retryAfter time.Duration, r float64) (bool, float64) {
	burst := r * retryAfter.Seconds()
	tokens, last, all := burst, admitted[0], true
	for _, at := range admitted {
		if at.After(end) {
			at = end
		}
		tokens = min(burst, tokens+r*at.Sub(last).Seconds())
		last = at
		all = all && tokens >= 1
		tokens--
	}
	return all, min(burst, tokens+r*end.Sub(last).Seconds())
}

// bisect finds where test, monotonic in the rate, turns between
// bucketRateMin and bucketRateMax requests a second: the least rate at which
// it holds, for a test that holds above a rate, or the most, for one that
// holds below; 0 when it does not turn in that range.
func bisect(test func(r float64) bool) float64 {
	lo, hi := bucketRateMin, bucketRateMax
	below := test(lo)
	if test(hi) == below {
		return 0
	}
	for range 50 {
		if mid := math.Sqrt(lo * hi); test(mid) == below {
			lo = mid
		} else {
			hi = mid
		}
	}
	if below {
		return lo
	}
	return hi
}

// refineLocked counts an answer to a request of the burst the last 429
// ended, arriving within paceBurstGrace of it, towards that 429's estimate:
// the pace rises to the estimate so completed (or, left open, takes it),
// never above the pace the 429 met nor the ceiling.
func (p *pacer) refineLocked() {
	estimate := p.estimateLocked(p.throttledAt, p.throttleWait)
	if estimate <= p.limit {
		return
	}
	p.limit, p.leastLimit = estimate, 0
	if p.paceMet == open {
		p.leastLimit = p.admittedLocked(p.throttledAt, p.throttleWait)
	}
	// An open pace (the 429 found too few answers) takes the estimate.
	if refined := min(estimate*paceSettle, p.paceMet, p.ceiling); p.perSecond == open || refined > p.perSecond {
		p.perSecond = refined
	}
}

// answered records an answer that was not a 429 to a request sent under
// the count turn. It counts towards the next estimate (and towards the last
// one, when it crossed that 429 in flight); when the request was sent at
// the current pace, the pace rises: past a floor of the limit by
// paceClimbShare a second until a 429 confirms it; else towards just under
// the estimated limit (or, without one, as AIMD does), and once there, by
// paceProbe every paceProbeInterval. Turns already handed out keep their
// spacing; only later ones come closer.
func (p *pacer) answered(turn uint64) {
	p.mu.Lock()
	defer p.mu.Unlock()
	now := p.now()
	p.answeredAt = append(trimBefore(p.answeredAt, now.Add(-paceHorizon)), now)
	if turn+1 == p.throttles && !now.After(p.throttledAt.Add(paceBurstGrace)) {
		p.refineLocked()
		return
	}
	if p.perSecond == open || turn != p.throttles {
		return
	}
	if p.leastLimit > 0 { // climbing, until a 429 met at the pace
		rise := max(paceIncrease, paceClimbShare*p.perSecond)
		p.perSecond = min(p.perSecond+rise/p.perSecond, p.ceiling)
		return
	}
	settled := min(p.limit*paceSettle, p.ceiling)
	if p.limit == 0 || p.perSecond < settled {
		rise := max(paceIncrease, paceIncreaseShare*p.perSecond)
		p.perSecond = min(p.perSecond+rise/p.perSecond, p.ceiling)
		if p.limit > 0 && p.perSecond >= settled {
			p.perSecond, p.settledAt = settled, now
		}
		return
	}
	if now.Sub(p.settledAt) >= paceProbeInterval {
		p.perSecond = min(p.perSecond*paceProbe, p.ceiling)
		p.settledAt = now
	}
}

func trimBefore(times []time.Time, cutoff time.Time) []time.Time {
	i := 0
	for i < len(times) && times[i].Before(cutoff) {
		i++
	}
	return times[i:]
}
