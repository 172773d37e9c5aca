// Package chatwhizz is a client for the Chatwhizz admin External API. It
// manages the token lifecycle (lazy login, regeneration before expiry and
// after a 401), retries transient failures, and tolerates the variations of
// real servers. It has no dependency on Terraform.
//
// Calls go down only, one file to the next: one file per kind of object
// (domains.go, operators.go, assignments.go, widget.go) calls through this
// file's Client.call, which renews the token after a 401 (token.go); every
// call, the token calls included, is sent by transport.go, one attempt after
// the other: a turn at the pace (pacer.go), the token in force, the
// exchange on the wire, the answer classified and the retry decided
// (retry.go). Below: request.go (requests and their URLs), decode.go
// (answers and their failures), errors.go (how failures are classified),
// logging.go (the per-call log entry) and config.go (settings, their
// defaults and rules).
package chatwhizz

import (
	"context"
	"errors"
)

// Client calls the API. It is safe for concurrent use.
type Client struct {
	transport *transport
	tokens    *tokenSource
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
	t := newTransport(cfg)
	c := &Client{
		transport: t,
		tokens:    newTokenSource(cfg, t),
	}
	if cfg.ShareReads {
		c.domains = newReadCache[Domain]()
		c.operators = newReadCache[Operator]()
	}
	return c, nil
}

// maxStaleTokenRetries bounds how often one call is repeated because the
// token it carried was rotated by another caller while it was in flight.
const maxStaleTokenRetries = 5

// call runs req (with the token in force, when it carries one) and decodes
// the answer's data into out. A 401 for a token that another caller has
// renewed since repeats the call with the new one; a 401 for the token in
// force renews it, once, and repeats the call, unless that token was itself
// renewed after a 401 and never accepted (tokenSource.renew).
func (c *Client) call(ctx context.Context, req request, out any) error {
	if !req.auth {
		_, err := c.transport.exchange(ctx, req, nil, out)
		return err
	}
	renewed := false
	for stale := 0; ; {
		sent, err := c.transport.exchange(ctx, req, c.tokens, out)
		var apiErr *APIError
		if !errors.As(err, &apiErr) || !apiErr.isAuthFailure() {
			if err == nil || apiErr != nil && apiErr.aboutAcceptedObject() {
				c.tokens.accept(sent.gen)
			}
			return err
		}
		if c.tokens.generation() != sent.gen && stale < maxStaleTokenRetries {
			stale++
			continue
		}
		if renewed {
			return err
		}
		retry, renewErr := c.tokens.renew(ctx, sent.gen)
		if renewErr != nil {
			return renewErr
		}
		if !retry {
			return err
		}
		renewed = true
	}
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
	if c.tokens.calls.password == "" {
		return Session{}, ErrNoLogin
	}
	return c.tokens.calls.login(ctx)
}
