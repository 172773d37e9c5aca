package chatwhizz

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/go-cleanhttp"
	"github.com/hashicorp/go-retryablehttp"
)

// How the client sends: a pooled HTTP client behind the pacer, wrapped by
// go-retryablehttp with this package's retry policy and backoff.

const (
	retryWaitMin = 250 * time.Millisecond
	retryWaitMax = 15 * time.Second
	// maxRetryAfter bounds how long a Retry-After header can make us wait.
	maxRetryAfter = 2 * time.Minute
	// maxIdleConnsPerHost covers Terraform's parallelism with room to spare.
	maxIdleConnsPerHost = 32
)

// newHTTPClient is the HTTP client of one Client: Config.HTTPClient or a
// pooled one, with same-host redirects only, and every request going
// through the pacer, which applies the request timeout once the turn has
// come.
func newHTTPClient(cfg Config, pace *pacer) (*http.Client, *pacedTransport) {
	hc := cfg.HTTPClient
	if hc == nil {
		transport := cleanhttp.DefaultPooledTransport()
		// Terraform runs up to 10 operations at once by default (more with
		// -parallelism); keeping that many connections idle spares a TCP and
		// TLS handshake per call. The pooled default keeps only cores+1.
		transport.MaxIdleConnsPerHost = maxIdleConnsPerHost
		hc = &http.Client{Transport: transport}
	} else {
		copied := *hc
		hc = &copied
	}
	// http.Client's own timeout would also count the wait for a turn.
	hc.Timeout = 0
	hc.CheckRedirect = sameHostRedirectsOnly
	next := hc.Transport
	if next == nil {
		next = http.DefaultTransport
	}
	paced := &pacedTransport{next: next, pacer: pace, requestTimeout: cfg.RequestTimeout}
	hc.Transport = paced
	return hc, paced
}

func newRetryingClient(hc *http.Client) *retryablehttp.Client {
	return &retryablehttp.Client{
		HTTPClient:   hc,
		Logger:       nil, // its own logging would print URLs with their query (the login password)
		RetryWaitMin: retryWaitMin,
		RetryWaitMax: retryWaitMax,
		// Retries end by retryPolicy's rules (failures counted, 429s
		// bounded by time), not by a count of attempts.
		RetryMax:     unboundedAttempts,
		CheckRetry:   retryPolicy,
		Backoff:      backoff,
		ErrorHandler: retryablehttp.PassthroughErrorHandler,
	}
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

// exchange sends one request (with transient failures retried) and decodes
// the envelope.
func (c *Client) exchange(ctx context.Context, req request, cred *credential, out any) error {
	u := c.urlFor(req)
	var body any
	if req.body != nil {
		encoded, err := json.Marshal(req.body)
		if err != nil {
			return fmt.Errorf("chatwhizz: encoding %s %s: %w", req.method, req.displayPath(), err)
		}
		body = encoded
	}
	hreq, err := retryablehttp.NewRequestWithContext(ctx, req.method, u, body)
	if err != nil {
		return fmt.Errorf("chatwhizz: building %s %s: %w", req.method, req.displayPath(), redactURLError(err))
	}
	hreq.Header.Set("Accept", "application/json")
	hreq.Header.Set("User-Agent", c.userAgent)
	if req.body != nil {
		hreq.Header.Set("Content-Type", "application/json")
	}
	if cred != nil {
		hreq.Header.Set("access_token", cred.token)
	}

	state := &exchangeState{cred: cred, maxFailures: c.maxRetries, deadline: time.Now().Add(c.retryTimeout)}
	// retry_timeout bounds the call's whole life: its waits for a turn and
	// for Retry-After, its backoffs and its attempts.
	callCtx, cancel := context.WithDeadlineCause(hreq.Context(), state.deadline, errRetryTimeout)
	defer cancel()
	hreq = hreq.WithContext(context.WithValue(callCtx, exchangeStateKey{}, state))
	start := time.Now()
	resp, err := c.http.Do(hreq)
	elapsed := time.Since(start)
	if err != nil {
		err = redactURLError(err)
		c.log(ctx, req, 0, state.attempts, elapsed, err)
		if ctxErr := ctx.Err(); ctxErr != nil {
			err = ctxErr
		}
		if errors.Is(context.Cause(callCtx), errRetryTimeout) {
			return state.lostAnswer(req, c.retryTimeoutError(req, state, err))
		}
		return state.lostAnswer(req, fmt.Errorf("chatwhizz: %s %s: %w", req.method, req.displayPath(), err))
	}
	defer resp.Body.Close()
	raw, readErr := io.ReadAll(io.LimitReader(resp.Body, maxBodyBytes+1))
	if readErr != nil {
		c.log(ctx, req, resp.StatusCode, state.attempts, elapsed, readErr)
		return state.lostAnswer(req, fmt.Errorf("chatwhizz: %s %s: reading the answer: %w", req.method, req.displayPath(), readErr))
	}
	err = c.decode(req, resp.StatusCode, raw, out)
	c.log(ctx, req, resp.StatusCode, state.attempts, elapsed, err)
	if err != nil {
		return state.lostAnswer(req, err)
	}
	return nil
}

// ErrAnswerLost matches the failure of a write of which an attempt went
// unanswered (502, 503, 504, a connection cut, a timeout): the server may
// have applied that attempt, whatever the last one says. A retried create
// then meets "already exists", a retried rename "not found".
var ErrAnswerLost = errors.New("the server may have applied it")

// answerLostError marks a write's failure with ErrAnswerLost.
type answerLostError struct{ err error }

func (e *answerLostError) Error() string {
	return e.err.Error() + " (an attempt went unanswered: the server may have applied it)"
}
func (e *answerLostError) Unwrap() error        { return e.err }
func (e *answerLostError) Is(target error) bool { return target == ErrAnswerLost }

// lostAnswer marks err when the request writes and one of its attempts went
// unanswered, counted by retryPolicy (the last attempt included), or was
// abandoned in flight (cancelled, or out of time, other than while the API
// was refusing it with 429s). A read's lost answer
// changes nothing, and is not marked.
func (s *exchangeState) lostAnswer(req request, err error) error {
	if req.method == http.MethodGet {
		return err
	}
	abandoned := !s.rateLimited && (errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded))
	if s.unanswered > 0 || abandoned {
		return &answerLostError{err}
	}
	return err
}

// errRetryTimeout is the cause of a call's context that ran out of
// retry_timeout.
var errRetryTimeout = errors.New("retry_timeout ran out")

// retryTimeoutError says why a call ended at its retry_timeout: still rate
// limited (the last answer was a 429, the call was waiting out its pause or
// pace), or still failing.
func (c *Client) retryTimeoutError(req request, state *exchangeState, err error) error {
	if state.rateLimited {
		return fmt.Errorf("chatwhizz: %s %s: HTTP 429: the API was still limiting the rate when %w (%s)", req.method, req.displayPath(), errRetryTimeout, c.retryTimeout)
	}
	return fmt.Errorf("chatwhizz: %s %s: %w (%s): %w", req.method, req.displayPath(), errRetryTimeout, c.retryTimeout, err)
}

// exchangeState is what the retry hooks know of one exchange: the attempts
// made (for its log entry) and the credential it carries.
type exchangeState struct {
	attempts int
	cred     *credential
	// failures counts the attempts that failed (502, 503, 504, a reset);
	// 429s are waited out, not counted, until deadline.
	failures    int
	maxFailures int
	deadline    time.Time
	// unanswered counts the attempts that got no answer from the API (502,
	// 503, 504, a transport failure): for a write, the server may have
	// applied any of them.
	unanswered int
	// rateLimited is true while the latest answer was a 429.
	rateLimited bool
}

// unboundedAttempts leaves retryablehttp's own attempt limit out of reach.
const unboundedAttempts = 1 << 20

type exchangeStateKey struct{}

// retryPolicy retries what the contract calls transient: 429, 502, 503, 504
// and transport failures such as connection resets. A 429 is the server's
// pace, not a failure: it is waited out (the pacer holds every caller) until
// the exchange's deadline. Failures are retried up to maxFailures times.
// Other statuses are answers, not accidents, and are returned at once.
func retryPolicy(ctx context.Context, resp *http.Response, err error) (bool, error) {
	state, _ := ctx.Value(exchangeStateKey{}).(*exchangeState)
	if state == nil {
		state = &exchangeState{deadline: time.Now()}
	}
	state.attempts++
	if ctx.Err() != nil {
		return false, ctx.Err()
	}
	if errors.Is(err, errRedirectRefused) {
		return false, err
	}
	if err == nil && resp.StatusCode == http.StatusTooManyRequests {
		return time.Now().Before(state.deadline), nil
	}
	retry := false
	if err != nil {
		if retry, err = retryablehttp.DefaultRetryPolicy(ctx, resp, err); err != nil || !retry {
			return retry, err
		}
	} else {
		switch resp.StatusCode {
		case http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
			retry = true
		}
	}
	if !retry {
		return false, nil
	}
	state.unanswered++
	state.failures++
	return state.failures <= state.maxFailures && time.Now().Before(state.deadline), nil
}

// backoff waits as long as Retry-After asks (plus a little jitter so that
// parallel callers do not return together), else exponentially with full
// jitter between half and all of the step.
func backoff(minWait, maxWait time.Duration, attempt int, resp *http.Response) time.Duration {
	if resp != nil && resp.StatusCode == http.StatusTooManyRequests {
		// The pacer holds the retry, with every other call, for the
		// Retry-After and at the server's pace; a little jitter spreads
		// the callers it releases together.
		return rand.N(minWait)
	}
	if resp != nil {
		if wait, ok := retryAfter(resp.Header.Get("Retry-After")); ok {
			return min(wait, maxRetryAfter) + rand.N(minWait)
		}
	}
	step := minWait << min(attempt, 16)
	if step <= 0 || step > maxWait {
		step = maxWait
	}
	return step/2 + rand.N(step/2+1)
}

func retryAfter(header string) (time.Duration, bool) {
	header = strings.TrimSpace(header)
	if header == "" {
		return 0, false
	}
	if secs, err := strconv.ParseInt(header, 10, 64); err == nil && secs >= 0 {
		return time.Duration(secs) * time.Second, true
	}
	if when, err := http.ParseTime(header); err == nil {
		return max(time.Until(when), 0), true
	}
	return 0, false
}
