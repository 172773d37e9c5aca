package chatwhizz

import (
	"context"
	"errors"
	"net/url"
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

// tokenCalls makes the API's three token calls (log in, validate a pair,
// regenerate one) and says what their failures mean.
type tokenCalls struct {
	transport                      *transport
	email, password, orgDom, addon string
	now                            func() time.Time
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

func (tc *tokenCalls) sessionFrom(d tokenData, issued time.Time, fallback Session) (Session, error) {
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
		s.OrganisationDomain = tc.orgDom
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

func (tc *tokenCalls) login(ctx context.Context) (Session, error) {
	issued := tc.now()
	var d tokenData
	_, err := tc.transport.exchange(ctx, request{
		Endpoint: EndpointLogin,
		query: url.Values{
			"email":               {tc.email},
			"password":            {tc.password},
			"organisation_domain": {tc.orgDom},
			"addon_unique_name":   {tc.addon},
		},
	}, nil, &d)
	if err == nil {
		var s Session
		if s, err = tc.sessionFrom(d, issued, Session{}); err == nil {
			return s, nil
		}
	}
	return Session{}, authFailure(actionLogin, "check email, password, organisation_domain and addon_unique_name", err)
}

func (tc *tokenCalls) validate(ctx context.Context, pair Session) (Session, error) {
	issued := tc.now()
	var d tokenData
	_, err := tc.transport.exchange(ctx, request{
		Endpoint: EndpointValidate,
		body:     map[string]string{"access_token": pair.AccessToken, "refresh_token": pair.RefreshToken, "addon_unique_name": tc.addon},
	}, nil, &d)
	if err != nil {
		return Session{}, authFailure(actionValidate, "", err)
	}
	s, err := tc.sessionFrom(d, issued, pair)
	if err != nil {
		return Session{}, authFailure(actionValidate, "", err)
	}
	return s, nil
}

// regenerate trades pair for a new one. refusedHint says what to do when the
// server refuses it and there is no password to log in with.
func (tc *tokenCalls) regenerate(ctx context.Context, pair Session, given bool, refusedHint string) (Session, error) {
	issued := tc.now()
	var d tokenData
	_, err := tc.transport.exchange(ctx, request{
		Endpoint: EndpointRegenerate,
		body:     map[string]string{"access_token": pair.AccessToken, "refresh_token": pair.RefreshToken},
	}, nil, &d)
	action := actionRegenerate
	if given {
		action = actionRegenerateGiven
	}
	// Without a password a refusal is final; a passing failure (a 503) says
	// nothing about the tokens.
	hint := ""
	if tc.password == "" && isRefused(err) {
		hint = refusedHint
	}
	if err != nil {
		return Session{}, authFailure(action, hint, err)
	}
	// A server that rotates only the access token keeps the refresh token.
	s, err := tc.sessionFrom(d, issued, Session{RefreshToken: pair.RefreshToken})
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
