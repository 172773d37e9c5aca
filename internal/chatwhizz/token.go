package chatwhizz

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"sync"
	"time"
)

// Session is a live token pair of one organisation and addon.
type Session struct {
	AccessToken        string
	RefreshToken       string
	ExpiresAt          time.Time // zero when the server did not say
	OrganisationDomain string
	// renewAt is when the pair is renewed before use, a little before expiry.
	renewAt time.Time
}

// renewalTimeout bounds one renewal, which runs detached from the caller that
// started it so that its cancellation does not fail the callers waiting on it.
const renewalTimeout = 2 * time.Minute

// tokenSource hands out the current token and renews it: lazily logs in (or
// validates a given pair) on first use, regenerates shortly before expiry,
// and regenerates after a 401. Concurrent callers share one renewal; no lock
// is held across a network call.
type tokenSource struct {
	client                         *Client
	email, password, orgDom, addon string
	given                          *Session // configured pair, not yet validated
	now                            func() time.Time

	mu     sync.Mutex
	sess   *Session
	gen    uint64   // incremented by every renewal
	flight *renewal // the renewal in progress, if any
	dead   error    // a renewal failure no retry can repair
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

// renew replaces the session of generation stale, which the server refused,
// unless another caller has renewed it since. The next call takes the
// session in force.
func (ts *tokenSource) renew(ctx context.Context, stale uint64) error {
	ts.mu.Lock()
	if ts.dead != nil {
		ts.mu.Unlock()
		return ts.dead
	}
	if ts.gen != stale && ts.sess != nil {
		ts.mu.Unlock()
		return nil
	}
	f := ts.startLocked(ctx)
	ts.mu.Unlock()
	_, _, err := f.wait(ctx)
	return err
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
	if retiredGiven && ts.password == "" {
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
		if sess, err = ts.regenerate(ctx, *from, hint); err == nil {
			return sess, ts.isGiven(*from), nil
		}
	case ts.given != nil:
		if sess, err = ts.validate(ctx, *ts.given); err == nil {
			return sess, false, nil
		}
		// The configured access token may simply have expired: its refresh
		// token can still produce a new pair.
		if isRefused(err) {
			if sess, err = ts.regenerate(ctx, *ts.given, retiredPairHint); err == nil {
				return sess, true, nil
			}
		}
	default:
		sess, err = ts.login(ctx)
		return sess, false, err
	}
	if ts.password == "" || !isRefused(err) {
		return Session{}, false, err
	}
	sess, err = ts.login(ctx)
	return sess, false, err
}

// isGiven reports whether pair is the configured one (which validate
// answers unchanged), not one this process obtained since.
func (ts *tokenSource) isGiven(pair Session) bool {
	return ts.given != nil && pair.AccessToken == ts.given.AccessToken && pair.RefreshToken == ts.given.RefreshToken
}

// isRefused reports whether the server refused the credentials themselves,
// as opposed to failing for another reason (network, 5xx).
func isRefused(err error) bool {
	var apiErr *APIError
	if !errors.As(err, &apiErr) {
		return false
	}
	return apiErr.isAuthFailure() || apiErr.StatusCode == 400 || apiErr.StatusCode == 403
}

// errNoTokenPair is a successful token call that handed out no tokens.
var errNoTokenPair = errors.New("the answer holds no token pair")

// What each token call does, for AuthError.Action.
const (
	actionLogin      = "log in"
	actionValidate   = "validate the configured access_token and refresh_token"
	actionRegenerate = "regenerate the access token"
	// Regenerating the configured pair names it: a refusal there most often
	// means that another process has retired it.
	actionRegenerateGiven = "regenerate the configured access_token and refresh_token"
)

// The hints of a refused regeneration, with no password to fall back on.
const (
	expiredRefreshHint = "the refresh token may have expired; configure a new token pair, or email, password and organisation_domain"
	// lateRetiredPairHint: the configured pair was validated in this process,
	// so only its refresh token's own expiry or another process's
	// regeneration since can have killed it.
	lateRetiredPairHint = "the configured refresh token has expired, or another process has regenerated this pair since " +
		"this one validated it (tokens rotate, and the API retires the old pair at once); configure a new token pair, " +
		"or email, password and organisation_domain"
)

// retiredPairHint explains a configured pair that the server refuses both to
// validate and to regenerate. The client cannot tell a retired refresh token
// from an expired one, but refresh tokens live much longer than access
// tokens, and the first process that regenerates a pair retires it: most
// often this command's plan phase, whose new pair died with its process.
const retiredPairHint = "the configured token pair was retired or has expired: tokens rotate, so most likely another " +
	"process regenerated it (for example this command's plan phase, when the access token had expired) and the API " +
	"retired it at once; a pair serves later processes only while its access token is valid. Issue a new pair for " +
	"each run (for example from a fresh login just before it), or configure email, password and organisation_domain instead"

// tokenData is the data of the three token calls.
type tokenData struct {
	AccessToken        flexString `json:"access_token"`
	RefreshToken       flexString `json:"refresh_token"`
	ExpireIn           flexInt    `json:"expire_in"`
	OrganisationDomain flexString `json:"organisation_domain"`
}

func (ts *tokenSource) sessionFrom(d tokenData, issued time.Time, fallback Session) (Session, error) {
	s := Session{
		AccessToken:        string(d.AccessToken),
		RefreshToken:       string(d.RefreshToken),
		OrganisationDomain: string(d.OrganisationDomain),
	}
	if s.AccessToken == "" {
		s.AccessToken = fallback.AccessToken
	}
	if s.RefreshToken == "" {
		s.RefreshToken = fallback.RefreshToken
	}
	if s.OrganisationDomain == "" {
		s.OrganisationDomain = ts.orgDom
	}
	if s.AccessToken == "" || s.RefreshToken == "" {
		return Session{}, errNoTokenPair
	}
	if d.ExpireIn > 0 {
		life := time.Duration(d.ExpireIn) * time.Second
		s.ExpiresAt = issued.Add(life)
		// Renew a little early: a fifth of the lifetime, at most 30 seconds,
		// so a call never leaves with a token about to die in flight.
		s.renewAt = s.ExpiresAt.Add(-min(life/5, 30*time.Second))
	}
	return s, nil
}

func (ts *tokenSource) login(ctx context.Context) (Session, error) {
	issued := ts.now()
	var d tokenData
	err := ts.client.exchange(ctx, request{
		Endpoint: EndpointLogin,
		query: url.Values{
			"email":               {ts.email},
			"password":            {ts.password},
			"organisation_domain": {ts.orgDom},
			"addon_unique_name":   {ts.addon},
		},
	}, nil, &d)
	if err == nil {
		var s Session
		if s, err = ts.sessionFrom(d, issued, Session{}); err == nil {
			return s, nil
		}
	}
	return Session{}, authFailure(actionLogin, "check email, password, organisation_domain and addon_unique_name", err)
}

func (ts *tokenSource) validate(ctx context.Context, pair Session) (Session, error) {
	issued := ts.now()
	var d tokenData
	err := ts.client.exchange(ctx, request{
		Endpoint: EndpointValidate,
		body:     map[string]string{"access_token": pair.AccessToken, "refresh_token": pair.RefreshToken, "addon_unique_name": ts.addon},
	}, nil, &d)
	if err != nil {
		return Session{}, authFailure(actionValidate, "", err)
	}
	s, err := ts.sessionFrom(d, issued, pair)
	if err != nil {
		return Session{}, authFailure(actionValidate, "", err)
	}
	return s, nil
}

// regenerate trades pair for a new one. refusedHint says what to do when the
// server refuses it and there is no password to log in with.
func (ts *tokenSource) regenerate(ctx context.Context, pair Session, refusedHint string) (Session, error) {
	issued := ts.now()
	var d tokenData
	err := ts.client.exchange(ctx, request{
		Endpoint: EndpointRegenerate,
		body:     map[string]string{"access_token": pair.AccessToken, "refresh_token": pair.RefreshToken},
	}, nil, &d)
	action := actionRegenerate
	if ts.isGiven(pair) {
		action = actionRegenerateGiven
	}
	// Without a password a refusal is final; a passing failure (a 503) says
	// nothing about the tokens.
	hint := ""
	if ts.password == "" && isRefused(err) {
		hint = refusedHint
	}
	if err != nil {
		return Session{}, authFailure(action, hint, err)
	}
	// A server that rotates only the access token keeps the refresh token.
	s, err := ts.sessionFrom(d, issued, Session{RefreshToken: pair.RefreshToken})
	if err != nil {
		return Session{}, authFailure(action, hint, err)
	}
	return s, nil
}

// authFailure wraps a failed token call in an AuthError: whatever its code
// or message, it says nothing about any object. It is final unless it failed
// for a passing reason (network, 429, 5xx), which the next call tries again.
// A final 404, or an answer that is not the API's, points at base_url.
func authFailure(action, hint string, err error) error {
	final := !isPassing(err)
	var apiErr *APIError
	if final && (errors.Is(err, errNoTokenPair) || errors.As(err, &apiErr) && (apiErr.StatusCode == 404 || apiErr.notTheAPI)) {
		hint = "check base_url: it must be the root of the Chatwhizz API, and a token call " +
			"answered 404 or not as the API does, which most often means it is not"
		if action == actionLogin {
			hint += "; if it is, check email and organisation_domain"
		}
	}
	return &AuthError{Action: action, Hint: hint, Err: err, Final: final}
}

// isPassing reports whether a failed call may succeed when tried again: a
// network failure, a timeout, a 429 or a 5xx. An answer without a token pair
// will not change.
func isPassing(err error) bool {
	var apiErr *APIError
	if errors.As(err, &apiErr) {
		return !isRefused(err) && (apiErr.StatusCode >= 500 || apiErr.StatusCode == 429)
	}
	return !errors.Is(err, errNoTokenPair)
}

// AccessToken returns the live session, logging in first when needed. The
// pair stays valid until it expires or this client regenerates it.
func (c *Client) AccessToken(ctx context.Context) (Session, error) {
	sess, _, err := c.tokens.current(ctx)
	return sess, err
}

// ErrNoLogin is returned by NewSession when the client was given a token
// pair but no password: it cannot log in.
var ErrNoLogin = errors.New("no password configured: only the configured token pair's session exists")

// NewSession logs in afresh and returns a session of its own, for a consumer
// outside the client: the client never uses or regenerates it, so its
// tokens live until they expire, whatever the client does with its own.
func (c *Client) NewSession(ctx context.Context) (Session, error) {
	if c.tokens.password == "" {
		return Session{}, ErrNoLogin
	}
	return c.tokens.login(ctx)
}

// maxStaleTokenRetries bounds how often one call is repeated because the
// token it carried was rotated by another caller while it was in flight.
const maxStaleTokenRetries = 5

// credential is the token a request carries and its generation. Retries of
// transient failures refresh it, since a regeneration by another caller
// retires the old token at once.
type credential struct {
	token string
	gen   uint64
}

// call runs req with the current token and decodes the answer's data into
// out. A 401 for a token that another caller has renewed since repeats the
// call with the new one; a 401 for the current token renews it, once, and
// repeats the call.
func (c *Client) call(ctx context.Context, req request, out any) error {
	if !req.auth {
		return c.exchange(ctx, req, nil, out)
	}
	renewed := false
	for stale := 0; ; {
		sess, gen, err := c.tokens.current(ctx)
		if err != nil {
			return err
		}
		cred := &credential{token: sess.AccessToken, gen: gen}
		err = c.exchange(ctx, req, cred, out)
		var apiErr *APIError
		if !errors.As(err, &apiErr) || !apiErr.isAuthFailure() {
			return err
		}
		if c.tokens.generation() != cred.gen && stale < maxStaleTokenRetries {
			stale++
			continue
		}
		if renewed {
			return err
		}
		if err := c.tokens.renew(ctx, cred.gen); err != nil {
			return err
		}
		renewed = true
	}
}

// currentCredential runs right before each attempt is sent, after the
// pacer's wait: the attempt carries the token in force then, renewed first
// when it is about to expire (a wait for the pace can outlast a short-lived
// token), or the one another caller's renewal put in place meanwhile.
func (c *Client) currentCredential(req *http.Request) error {
	state, ok := req.Context().Value(exchangeStateKey{}).(*exchangeState)
	if !ok || state.cred == nil {
		return nil
	}
	sess, gen, err := c.tokens.current(req.Context())
	if err != nil {
		return err
	}
	if gen != state.cred.gen {
		state.cred.token, state.cred.gen = sess.AccessToken, gen
		req.Header.Set("access_token", sess.AccessToken)
	}
	return nil
}
