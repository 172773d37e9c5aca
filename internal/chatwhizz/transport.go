package chatwhizz

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"time"

	"github.com/hashicorp/go-cleanhttp"
)

// How the client sends one call: its attempts, one after the other, each
// taking these steps in this order, and nothing calling back up.
//
//  1. wait for a turn at the pace (pacer.go);
//  2. take the access token in force then (a credentials, token.go), since
//     the wait can outlast a short-lived token or another caller may have
//     renewed it meanwhile; when taking it renewed it, the renewal's calls
//     took the turn, and the attempt waits for another;
//  3. send it and read the answer within request_timeout (send);
//  4. tell the pacer how the server answered, and classify the answer;
//  5. let the call's retryBudget (retry.go) decide whether to try again and
//     after how long.
//
// go-retryablehttp used to run this loop, but its hooks run before the turn
// is taken (steps 1 and 2 could only meet inside the http.RoundTripper, with
// the call's state carried to its retry policy in a context value): the
// loop is written out here instead, and uses the library's judgement of
// transport errors (retry.go).

const (
	// maxIdleConnsPerHost covers Terraform's parallelism with room to spare.
	maxIdleConnsPerHost = 32
)

// transport sends calls to the API: the HTTP client, the pace and the
// retry settings shared by every call of one Client.
type transport struct {
	base      *url.URL
	userAgent string
	logger    Logger
	http      *http.Client
	pacer     *pacer
	// requestTimeout bounds one attempt on the wire; maxRetries and
	// retryTimeout bound a call's retries (retryBudget).
	requestTimeout time.Duration
	maxRetries     int
	retryTimeout   time.Duration
}

// credentials gives an attempt the access token in force when its turn has
// come (token.go's tokenSource).
type credentials interface {
	inForce(ctx context.Context) (cred credential, renewed bool, err error)
}

// credential is the token an attempt carries and its generation, which tells
// a 401 to a token that another caller has renewed since from a 401 to the
// token in force.
type credential struct {
	token string
	gen   uint64
}

func newTransport(cfg Config) *transport {
	base, _ := parseBaseURL(cfg.BaseURL) // checked by Config.Problems
	pace := newPacer(cfg.RequestsPerSecond, time.Now)
	return &transport{
		base:           base,
		userAgent:      cfg.UserAgent,
		logger:         cfg.Logger,
		http:           newHTTPClient(cfg.HTTPClient, pace),
		pacer:          pace,
		requestTimeout: cfg.RequestTimeout,
		maxRetries:     *cfg.MaxRetries,
		retryTimeout:   cfg.RetryTimeout,
	}
}

// newHTTPClient is the HTTP client of one Client: the one configured or a
// pooled one, with no timeout of its own (send applies request_timeout to
// each attempt, never to the wait for a turn) and same-host redirects only,
// each waiting for a turn of its own.
func newHTTPClient(configured *http.Client, pace *pacer) *http.Client {
	var hc http.Client
	if configured != nil {
		hc = *configured
	} else {
		pooled := cleanhttp.DefaultPooledTransport()
		// Terraform runs up to 10 operations at once by default (more with
		// -parallelism); keeping that many connections idle spares a TCP and
		// TLS handshake per call. The pooled default keeps only cores+1.
		pooled.MaxIdleConnsPerHost = maxIdleConnsPerHost
		hc.Transport = pooled
	}
	hc.Timeout = 0
	hc.CheckRedirect = func(req *http.Request, via []*http.Request) error {
		if err := sameHostRedirectsOnly(req, via); err != nil {
			return err
		}
		// A redirect is one more request to the server: it keeps the pace.
		_, err := pace.wait(req.Context())
		return err
	}
	return &hc
}

var errRedirectRefused = errors.New("refused a redirect")

func sameHostRedirectsOnly(req *http.Request, via []*http.Request) error {
	if len(via) >= 5 {
		return errors.New("stopped after 5 redirects")
	}
	if req.URL.Host != via[0].URL.Host || (via[0].URL.Scheme == "https" && req.URL.Scheme != "https") {
		return fmt.Errorf("%w to %s://%s: the token is only sent to the configured host", errRedirectRefused, req.URL.Scheme, req.URL.Host)
	}
	return nil
}

// exchange runs one call: its attempts (the steps above) until an answer
// that is not to be retried, and decodes that answer's envelope into out.
// creds is nil for the calls that carry no token. It returns the credential
// of the last attempt sent, for the caller to tell which token a 401
// refused.
func (t *transport) exchange(ctx context.Context, req request, creds credentials, out any) (credential, error) {
	var body []byte
	if req.body != nil {
		encoded, err := json.Marshal(req.body)
		if err != nil {
			return credential{}, fmt.Errorf("chatwhizz: encoding %s %s: %w", req.method, req.displayPath(), err)
		}
		body = encoded
	}
	budget := newRetryBudget(t.maxRetries, t.retryTimeout)
	// retry_timeout bounds the call's whole life: its waits for a turn and
	// for Retry-After, its backoffs and its attempts.
	callCtx, cancel := context.WithDeadlineCause(ctx, budget.deadline, errRetryTimeout)
	defer cancel()
	start := time.Now()
	var cred credential
	for retook := false; ; {
		turn, err := t.pacer.wait(callCtx)
		renewed := false
		if err == nil && creds != nil {
			cred, renewed, err = creds.inForce(callCtx)
		}
		if err != nil {
			return cred, t.gaveUp(ctx, callCtx, req, budget, start, err)
		}
		if renewed && !retook {
			// The renewal's own calls came after this turn: the attempt
			// waits for the next one, so that the server never sees it
			// closer to them than the pace allows. Once: a token that
			// outlives no wait must not hold the call forever.
			retook = true
			continue
		}
		retook = false
		res := t.send(callCtx, req, body, cred.token)
		if res.err == nil {
			t.tellPacer(turn, res)
		}
		wait, retry := budget.next(callCtx, res)
		if !retry {
			return cred, t.decoded(ctx, callCtx, req, budget, start, res, out)
		}
		if err := sleep(callCtx, wait); err != nil {
			return cred, t.gaveUp(ctx, callCtx, req, budget, start, err)
		}
	}
}

// answer is what one attempt brought back: a status, its headers and body,
// or the error that left it unanswered.
type outcome struct {
	status int
	header http.Header
	body   []byte
	err    error
}

// send makes one attempt: the request on the wire and its answer read,
// within request_timeout, which starts once the turn has come.
func (t *transport) send(ctx context.Context, req request, body []byte, token string) outcome {
	ctx, cancel := context.WithTimeoutCause(ctx, t.requestTimeout, errRequestTimeout)
	defer cancel()
	// The next turn is spaced from when this request reached the wire, later
	// than its turn when connecting took time.
	ctx = httptrace.WithClientTrace(ctx, &httptrace.ClientTrace{
		WroteRequest: func(httptrace.WroteRequestInfo) { t.pacer.wrote() },
	})
	var reader io.Reader
	if body != nil {
		reader = bytes.NewReader(body)
	}
	hreq, err := http.NewRequestWithContext(ctx, req.method, req.url(t.base), reader)
	if err != nil {
		return outcome{err: fmt.Errorf("building the request: %w", redactURLError(err))}
	}
	hreq.Header.Set("Accept", "application/json")
	hreq.Header.Set("User-Agent", t.userAgent)
	if body != nil {
		hreq.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		hreq.Header.Set("access_token", token)
	}
	resp, err := t.http.Do(hreq)
	if err != nil {
		return outcome{err: t.timedOut(ctx, redactURLError(err))}
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, maxBodyBytes+1))
	if err != nil {
		return outcome{err: fmt.Errorf("reading the answer: %w", t.timedOut(ctx, err))}
	}
	return outcome{status: resp.StatusCode, header: resp.Header, body: raw}
}

// errRequestTimeout is the cause of an attempt's context that ran out of
// request_timeout.
var errRequestTimeout = errors.New("request_timeout ran out")

// timedOut names the request timeout in err when it is what ended the
// attempt.
func (t *transport) timedOut(ctx context.Context, err error) error {
	if errors.Is(context.Cause(ctx), errRequestTimeout) {
		return fmt.Errorf("no answer within request_timeout (%s): %w", t.requestTimeout, err)
	}
	return err
}

// tellPacer tells the pacer how the server answered the attempt sent under turn.
func (t *transport) tellPacer(turn uint64, res outcome) {
	if res.status == http.StatusTooManyRequests {
		wait, _ := retryAfter(res.header.Get("Retry-After"))
		t.pacer.throttled(turn, min(wait, maxRetryAfter))
		return
	}
	t.pacer.answered(turn)
}

// decoded decodes the last attempt's answer, logs the call and returns its
// failure, if any.
func (t *transport) decoded(ctx, callCtx context.Context, req request, budget *retryBudget, start time.Time, res outcome, out any) error {
	if res.err != nil {
		return t.gaveUp(ctx, callCtx, req, budget, start, res.err)
	}
	err := decode(req, res.status, res.body, out)
	logCall(ctx, t.logger, req, res.status, budget.attempts, time.Since(start), err)
	if err != nil {
		return budget.lostAnswer(req, err)
	}
	return nil
}

// gaveUp logs and returns a call that ended with no answer to decode: the
// caller's context or retry_timeout ran out, the token could not be taken,
// or the last attempt went unanswered.
func (t *transport) gaveUp(ctx, callCtx context.Context, req request, budget *retryBudget, start time.Time, err error) error {
	logCall(ctx, t.logger, req, 0, budget.attempts, time.Since(start), err)
	var authErr *AuthError
	switch {
	case errors.As(err, &authErr):
		return budget.lostAnswer(req, err)
	case ctx.Err() != nil:
		err = ctx.Err()
	case errors.Is(context.Cause(callCtx), errRetryTimeout):
		return budget.lostAnswer(req, t.retryTimeoutError(req, budget, err))
	}
	return budget.lostAnswer(req, fmt.Errorf("chatwhizz: %s %s: %w", req.method, req.displayPath(), err))
}

// retryTimeoutError says why a call ended at its retry_timeout: still rate
// limited (the last answer was a 429, the call was waiting out its pause or
// pace), or still failing.
func (t *transport) retryTimeoutError(req request, budget *retryBudget, err error) error {
	if budget.rateLimited {
		return fmt.Errorf("chatwhizz: %s %s: HTTP 429: the API was still limiting the rate when %w (%s)", req.method, req.displayPath(), errRetryTimeout, t.retryTimeout)
	}
	return fmt.Errorf("chatwhizz: %s %s: %w (%s): %w", req.method, req.displayPath(), errRetryTimeout, t.retryTimeout, err)
}
