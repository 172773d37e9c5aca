package chatwhizz

import (
	"context"
	"errors"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/go-retryablehttp"
)

// Which attempts are tried again, after how long, and what a call that ended
// after unanswered attempts may have done.

const (
	retryWaitMin = 250 * time.Millisecond
	retryWaitMax = 15 * time.Second
	// maxRetryAfter bounds how long a Retry-After header can make us wait.
	maxRetryAfter = 2 * time.Minute
)

// retryBudget is one call's allowance of attempts, and what its attempts
// have met so far. It retries what the contract calls transient: 429, 502,
// 503, 504 and transport failures such as connection resets. A 429 is the
// server's pace, not a failure: it is waited out (the pace holds every
// caller) until the deadline. Failures are retried up to maxFailures times,
// within the deadline. Other statuses are answers, not accidents, and end
// the call at once.
type retryBudget struct {
	maxFailures int
	deadline    time.Time
	// attempts counts the attempts sent, for the call's log entry.
	attempts int
	// failures counts the attempts that failed (502, 503, 504, a reset).
	failures int
	// unanswered counts the attempts that got no answer from the API (502,
	// 503, 504, a transport failure): for a write, the server may have
	// applied any of them.
	unanswered int
	// rateLimited is true while the latest answer was a 429.
	rateLimited bool
}

func newRetryBudget(maxFailures int, timeout time.Duration) *retryBudget {
	return &retryBudget{maxFailures: maxFailures, deadline: time.Now().Add(timeout)}
}

// next records the answer to an attempt and says whether to try again, and
// after how long.
func (b *retryBudget) next(ctx context.Context, res outcome) (time.Duration, bool) {
	b.attempts++
	b.rateLimited = res.err == nil && res.status == http.StatusTooManyRequests
	if ctx.Err() != nil {
		return 0, false
	}
	if b.rateLimited {
		// The pace holds the retry, with every other call, for the
		// Retry-After and at the server's pace; a little jitter spreads the
		// callers it releases together.
		return rand.N(retryWaitMin), time.Now().Before(b.deadline)
	}
	if !unanswered(ctx, res) {
		return 0, false
	}
	b.unanswered++
	b.failures++
	return b.backoff(res), b.failures <= b.maxFailures && time.Now().Before(b.deadline)
}

// unanswered reports whether an attempt got no answer from the API: 502, 503
// or 504 (a gateway's, or the API's own unavailability), or a transport
// failure that go-retryablehttp would retry (not a refused redirect, a bad
// certificate or URL).
func unanswered(ctx context.Context, res outcome) bool {
	if res.err == nil {
		switch res.status {
		case http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
			return true
		}
		return false
	}
	if errors.Is(res.err, errRedirectRefused) {
		return false
	}
	retry, err := retryablehttp.DefaultRetryPolicy(ctx, nil, res.err)
	return retry && err == nil
}

// backoff waits as long as Retry-After asks (plus a little jitter so that
// parallel callers do not return together), else exponentially with full
// jitter between half and all of the step.
func (b *retryBudget) backoff(res outcome) time.Duration {
	if res.header != nil {
		if wait, ok := retryAfter(res.header.Get("Retry-After")); ok {
			return min(wait, maxRetryAfter) + rand.N(retryWaitMin)
		}
	}
	step := retryWaitMin << min(b.failures-1, 16)
	if step <= 0 || step > retryWaitMax {
		step = retryWaitMax
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
// unanswered (the last one included), or was abandoned in flight (cancelled,
// or out of time, other than while the API was refusing it with 429s). A
// read's lost answer changes nothing, and is not marked.
func (b *retryBudget) lostAnswer(req request, err error) error {
	if req.method == http.MethodGet {
		return err
	}
	abandoned := b.attempts > 0 && !b.rateLimited && (errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded))
	if b.unanswered > 0 || abandoned {
		return &answerLostError{err}
	}
	return err
}

// errRetryTimeout is the cause of a call's context that ran out of
// retry_timeout.
var errRetryTimeout = errors.New("retry_timeout ran out")
