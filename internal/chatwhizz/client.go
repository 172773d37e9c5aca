// Package chatwhizz is a client for the Chatwhizz admin External API. It
// manages the token lifecycle (lazy login, regeneration before expiry and
// after a 401), retries transient failures, and tolerates the variations of
// real servers. It has no dependency on Terraform.
//
// Where each concern lives: config.go (settings, their defaults and rules),
// transport.go (HTTP, pacing, retries and backoff), token.go (the token
// lifecycle and the authentication loop), request.go (requests and their
// URLs), decode.go (answers and their failures), errors.go (how failures are
// classified), logging.go (the per-call log entry), and one file per kind of
// object (domains.go, operators.go, assignments.go).
package chatwhizz

import (
	"context"
	"net/url"
	"time"

	"github.com/hashicorp/go-retryablehttp"
)

// Logger receives one entry per HTTP exchange. Fields never hold a password
// or a token. The provider passes a tflog-backed implementation.
type Logger interface {
	Debug(ctx context.Context, msg string, fields map[string]any)
}

// Client calls the API. It is safe for concurrent use.
type Client struct {
	base      *url.URL
	userAgent string
	logger    Logger
	http      *retryablehttp.Client
	pacer     *pacer
	// maxRetries and retryTimeout bound each exchange's retries.
	maxRetries   int
	retryTimeout time.Duration
	tokens       *tokenSource
	// domains and operators share reads; nil unless Config.ShareReads.
	domains   *readCache[Domain]
	operators *readCache[Operator]
}

// New checks the configuration (Config.Problems) and returns a client. It
// makes no network call: the first API call logs in.
func New(cfg Config) (*Client, error) {
	if problems := cfg.Problems(); len(problems) > 0 {
		return nil, problems[0]
	}
	cfg = cfg.withDefaults()
	base, _ := parseBaseURL(cfg.BaseURL) // checked by Problems
	pace := newPacer(cfg.RequestsPerSecond, time.Now)
	hc, paced := newHTTPClient(cfg, pace)
	c := &Client{
		base:         base,
		userAgent:    cfg.UserAgent,
		logger:       cfg.Logger,
		pacer:        pace,
		maxRetries:   *cfg.MaxRetries,
		retryTimeout: cfg.RetryTimeout,
		http:         newRetryingClient(hc),
	}
	if cfg.ShareReads {
		c.domains = newReadCache[Domain]()
		c.operators = newReadCache[Operator]()
	}
	paced.beforeSend = c.currentCredential
	c.tokens = &tokenSource{
		client:   c,
		email:    cfg.Email,
		password: cfg.Password,
		orgDom:   cfg.OrganisationDomain,
		addon:    cfg.AddonUniqueName,
		now:      time.Now,
	}
	if cfg.AccessToken != "" {
		c.tokens.given = &Session{AccessToken: cfg.AccessToken, RefreshToken: cfg.RefreshToken}
	}
	return c, nil
}
