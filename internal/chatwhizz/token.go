package chatwhizz

import (
	"context"
	"errors"
	"sync"
	"time"
)

// renewalTimeout bounds one renewal, which runs detached from the caller that
// started it so that its cancellation does not fail the callers waiting on it.
const renewalTimeout = 2 * time.Minute

// tokenSource hands out the current token and renews it: lazily logs in (or
// validates a given pair) on first use, regenerates shortly before expiry,
// and regenerates after a 401. Concurrent callers share one renewal; no lock
// is held across a network call.
type tokenSource struct {
	calls *tokenCalls
	given *Session // configured pair, not yet validated
	now   func() time.Time

	mu     sync.Mutex
	sess   *Session
	gen    uint64   // incremented by every renewal
	flight *renewal // the renewal in progress, if any
	dead   error    // a renewal failure no retry can repair
	// renewedFor401 is the latest generation that a renewal started by a
	// 401 produced; accepted the latest the API accepted (see renew).
	renewedFor401, accepted uint64
}

func newTokenSource(cfg Config, t *transport) *tokenSource {
	ts := &tokenSource{
		calls: &tokenCalls{
			transport: t,
			email:     cfg.Email,
			password:  cfg.Password,
			orgDom:    cfg.OrganisationDomain,
			addon:     cfg.AddonUniqueName,
			now:       time.Now,
		},
		now: time.Now,
	}
	if cfg.AccessToken != "" {
		ts.given = &Session{AccessToken: cfg.AccessToken, RefreshToken: cfg.RefreshToken}
	}
	return ts
}

type renewal struct {
	done chan struct{}
	sess Session
	gen  uint64
	err  error
}

// current returns a usable session and its generation, renewing first when
// there is none yet or it is about to expire.
func (ts *tokenSource) current(ctx context.Context) (Session, uint64, error) {
	ts.mu.Lock()
	if ts.dead != nil {
		ts.mu.Unlock()
		return Session{}, 0, ts.dead
	}
	s, gen := ts.sess, ts.gen
	if s != nil && (s.renewAt.IsZero() || ts.now().Before(s.renewAt)) {
		ts.mu.Unlock()
		return *s, gen, nil
	}
	f := ts.startLocked(ctx)
	ts.mu.Unlock()
	sess, newGen, err := f.wait(ctx)
	// A renewal ahead of expiry that failed for a passing reason (a 503, a
	// timeout) leaves the current token usable until it really expires.
	if err != nil && s != nil && ts.now().Before(s.ExpiresAt) && ctx.Err() == nil && !errors.Is(err, ErrUnauthorized) {
		return *s, gen, nil
	}
	return sess, newGen, err
}

// generation counts the renewals so far.
func (ts *tokenSource) generation() uint64 {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	return ts.gen
}

// renew replaces the session of generation stale, which the server refused
// with 401, unless another caller has renewed it since. The next call takes
// the session in force. It reports false, renewing nothing, when stale is
// itself a renewal that a 401 started and that no call has yet seen
// accepted: then the API refuses the organisation's access (revoked API
// access answers "Access token not found" to every token), not this token,
// and renewing again would only rotate the pair once per call.
func (ts *tokenSource) renew(ctx context.Context, stale uint64) (bool, error) {
	ts.mu.Lock()
	if ts.dead != nil {
		ts.mu.Unlock()
		return false, ts.dead
	}
	if ts.gen != stale && ts.sess != nil {
		ts.mu.Unlock()
		return true, nil
	}
	if stale != 0 && stale == ts.renewedFor401 && ts.accepted < stale {
		ts.mu.Unlock()
		return false, nil
	}
	f := ts.startLocked(ctx)
	ts.mu.Unlock()
	_, gen, err := f.wait(ctx)
	if err != nil {
		return false, err
	}
	ts.mu.Lock()
	ts.renewedFor401 = max(ts.renewedFor401, gen)
	ts.mu.Unlock()
	return true, nil
}

// accept records that the API accepted the token of generation gen: it
// answered a call that carried it, with anything but a 401.
func (ts *tokenSource) accept(gen uint64) {
	ts.mu.Lock()
	ts.accepted = max(ts.accepted, gen)
	ts.mu.Unlock()
}

func (ts *tokenSource) startLocked(ctx context.Context) *renewal {
	if ts.flight != nil {
		return ts.flight
	}
	f := &renewal{done: make(chan struct{})}
	ts.flight = f
	from := ts.sess
	go ts.run(context.WithoutCancel(ctx), f, from)
	return f
}

func (f *renewal) wait(ctx context.Context) (Session, uint64, error) {
	select {
	case <-f.done:
		return f.sess, f.gen, f.err
	case <-ctx.Done():
		return Session{}, 0, ctx.Err()
	}
}

func (ts *tokenSource) run(ctx context.Context, f *renewal, from *Session) {
	ctx, cancel := context.WithTimeout(ctx, renewalTimeout)
	defer cancel()
	sess, retiredGiven, err := ts.obtain(ctx, from)

	ts.mu.Lock()
	defer ts.mu.Unlock()
	ts.flight = nil
	// With no password, the configured pair was this process's only way in,
	// and no later process can use it now: the caller that started this
	// renewal tells the user. With a password, later processes log in.
	if retiredGiven && ts.calls.password == "" {
		noticePairRetired(ctx)
	}
	if err != nil {
		f.err = err
		if errors.Is(err, ErrUnauthorized) {
			ts.dead = err
		}
		close(f.done)
		return
	}
	ts.sess = &sess
	ts.gen++
	f.sess, f.gen = sess, ts.gen
	close(f.done)
}

// obtain gets a working pair: from the previous one by regeneration, from the
// configured one by validation, or by logging in, falling back to a login
// whenever a password is known and the tokens cannot be renewed.
// retiredGiven reports a regeneration of the configured pair, which the API
// retires at once: it happens once per process at most, since the pair in
// force is a new one from then on.
func (ts *tokenSource) obtain(ctx context.Context, from *Session) (sess Session, retiredGiven bool, err error) {
	switch {
	case from != nil:
		hint := expiredRefreshHint
		if ts.isGiven(*from) {
			hint = lateRetiredPairHint
		}
		if sess, err = ts.calls.regenerate(ctx, *from, ts.isGiven(*from), hint); err == nil {
			return sess, ts.isGiven(*from), nil
		}
	case ts.given != nil:
		if sess, err = ts.calls.validate(ctx, *ts.given); err == nil {
			return sess, false, nil
		}
		// The configured access token may simply have expired: its refresh
		// token can still produce a new pair.
		if isRefused(err) {
			if sess, err = ts.calls.regenerate(ctx, *ts.given, true, retiredPairHint); err == nil {
				return sess, true, nil
			}
		}
	default:
		sess, err = ts.calls.login(ctx)
		return sess, false, err
	}
	if ts.calls.password == "" || !isRefused(err) {
		return Session{}, false, err
	}
	sess, err = ts.calls.login(ctx)
	return sess, false, err
}

// isGiven reports whether pair is the configured one (which validate
// answers unchanged), not one this process obtained since.
func (ts *tokenSource) isGiven(pair Session) bool {
	return ts.given != nil && pair.AccessToken == ts.given.AccessToken && pair.RefreshToken == ts.given.RefreshToken
}

// inForce is the token an attempt carries: the session's, renewed first
// when it is about to expire. renewed reports that a renewal ended while
// the token was taken: its calls may have spent the attempt's turn.
func (ts *tokenSource) inForce(ctx context.Context) (cred credential, renewed bool, err error) {
	before := ts.generation()
	sess, gen, err := ts.current(ctx)
	if err != nil {
		return credential{}, false, err
	}
	return credential{token: sess.AccessToken, gen: gen}, gen != before, nil
}
