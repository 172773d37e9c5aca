package chatwhizz

// Retries and timeouts: what is tried again, how long it waits, and when it
// stops.

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func TestRetriesTransientFailuresHonouringRetryAfter(t *testing.T) {
	var calls atomic.Int32
	var gaps []time.Duration
	last := time.Now()
	c := fakeServer(t, func(w http.ResponseWriter, _ *http.Request) {
		n := calls.Add(1)
		gaps = append(gaps, time.Since(last))
		last = time.Now()
		switch n {
		case 1:
			w.Header().Set("Retry-After", "1")
			w.WriteHeader(429)
			_, _ = io.WriteString(w, `{"status":0,"message":"slow down"}`)
		case 2:
			w.WriteHeader(502)
			_, _ = io.WriteString(w, `<html>bad gateway</html>`)
		case 3:
			w.WriteHeader(503)
		case 4:
			w.WriteHeader(504)
		case 5:
			w.WriteHeader(502)
		default:
			_, _ = io.WriteString(w, `{"status":1,"data":{"name":"a.io","email":"e@x.io","status":true}}`)
		}
	})
	if _, err := c.GetDomain(context.Background(), "a.io"); err == nil {
		t.Fatal("MaxRetries 3 retries 3 failures; the answer after the 4th must not be reached")
	}
	// The 429 is waited out, not counted: 1 + 4 failures.
	if calls.Load() != 5 {
		t.Fatalf("%d attempts, want 5", calls.Load())
	}
	if gaps[1] < time.Second {
		t.Fatalf("Retry-After: 1 was not honoured: waited %v", gaps[1])
	}
}

func TestRetriesConnectionResets(t *testing.T) {
	var calls atomic.Int32
	c := fakeServer(t, func(w http.ResponseWriter, _ *http.Request) {
		if calls.Add(1) == 1 {
			if hj, ok := w.(http.Hijacker); ok {
				conn, _, _ := hj.Hijack()
				_ = conn.Close()
			}
			return
		}
		_, _ = io.WriteString(w, `{"status":1,"data":{"name":"a.io","email":"e@x.io","status":true}}`)
	})
	if _, err := c.GetDomain(context.Background(), "a.io"); err != nil {
		t.Fatal(err)
	}
	if calls.Load() != 2 {
		t.Fatalf("%d attempts", calls.Load())
	}
}

func TestDoesNotRetryAnswers(t *testing.T) {
	var calls atomic.Int32
	c := fakeServer(t, func(w http.ResponseWriter, _ *http.Request) {
		calls.Add(1)
		w.WriteHeader(500)
		_, _ = io.WriteString(w, `{"status":0,"message":"boom"}`)
	})
	_, err := c.CreateDomain(context.Background(), "a.io", "e@x.io")
	if err == nil || calls.Load() != 1 {
		t.Fatalf("a 500 on a create is not retried: %d calls, %v", calls.Load(), err)
	}
}

func TestRetriesStopWithTheContext(t *testing.T) {
	c := fakeServer(t, func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Retry-After", "30")
		w.WriteHeader(429)
	})
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := c.GetDomain(ctx, "a.io")
	if !errors.Is(err, context.DeadlineExceeded) || time.Since(start) > 5*time.Second {
		t.Fatalf("got %v after %v", err, time.Since(start))
	}
}

func TestRequestTimeout(t *testing.T) {
	// The handler answers only when the client gives up (the server notices
	// a closed connection once the body is read).
	srv := httptest.NewServer(http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		<-r.Context().Done()
	}))
	defer srv.Close()
	c, _ := New(Config{BaseURL: srv.URL, AccessToken: "a", RefreshToken: "r", AddonUniqueName: AddonLiveChat, RequestTimeout: 100 * time.Millisecond, MaxRetries: new(0)})
	start := time.Now()
	_, err := c.GetDomain(context.Background(), "a.io")
	if err == nil || !strings.Contains(err.Error(), "no answer within request_timeout (100ms)") || time.Since(start) > 5*time.Second {
		t.Fatalf("got %v after %v, want no answer within request_timeout", err, time.Since(start))
	}
}

// The request timeout covers reading the answer too: a body that stops
// halfway fails the attempt at request_timeout, saying so.
func TestRequestTimeoutCoversTheAnswersBody(t *testing.T) {
	c := fakeServerWith(t, func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.WriteString(w, `{"status":1,"data":{"name":`)
		if f, ok := w.(http.Flusher); ok {
			f.Flush()
		}
		<-r.Context().Done()
	}, func(c *Config) { c.RequestTimeout, c.MaxRetries = 300*time.Millisecond, new(0) })
	start := time.Now()
	_, err := c.GetDomain(context.Background(), "a.io")
	if err == nil || !strings.Contains(err.Error(), "no answer within request_timeout (300ms)") || time.Since(start) > 5*time.Second {
		t.Fatalf("got %v after %v, want no answer within request_timeout", err, time.Since(start))
	}
}

// The request timeout bounds one exchange on the wire, not the waits before
// it: a call waits out a Retry-After, or its turn at the configured pace,
// longer than request_timeout, and succeeds without a failed attempt.
func TestRequestTimeoutDoesNotCountTheWaits(t *testing.T) {
	t.Parallel() // each case waits about a second
	const domain = `{"status":1,"data":{"name":"a.io","email":"e@x.io","status":true}}`
	short := func(c *Config) { c.RequestTimeout, c.MaxRetries = 300*time.Millisecond, new(0) }
	t.Run("Retry-After", func(t *testing.T) {
		t.Parallel()
		var calls atomic.Int32
		c := fakeServerWith(t, func(w http.ResponseWriter, _ *http.Request) {
			if calls.Add(1) == 1 {
				w.Header().Set("Retry-After", "1")
				w.WriteHeader(http.StatusTooManyRequests)
				_, _ = io.WriteString(w, `{"status":0,"message":"slow down"}`)
				return
			}
			_, _ = io.WriteString(w, domain)
		}, short)
		if _, err := c.GetDomain(context.Background(), "a.io"); err != nil || calls.Load() != 2 {
			t.Fatalf("after %d calls: %v", calls.Load(), err)
		}
	})
	t.Run("turn", func(t *testing.T) {
		t.Parallel()
		c := fakeServerWith(t, answer(domain), func(c *Config) { short(c); c.RequestsPerSecond = 1 })
		// The login takes the first turn; the read waits a second for its own.
		if _, err := c.GetDomain(context.Background(), "a.io"); err != nil {
			t.Fatal(err)
		}
	})
}

// retry_timeout bounds a call's whole life, the wait for a Retry-After
// included: a server that always answers 429 with a long Retry-After fails
// the call at retry_timeout, saying it was rate limited.
func TestRetryTimeoutBoundsTheWholeCall(t *testing.T) {
	t.Parallel()
	c := fakeServerWith(t, func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Retry-After", "30")
		w.WriteHeader(http.StatusTooManyRequests)
		_, _ = io.WriteString(w, `{"status":0,"message":"slow down"}`)
	}, func(c *Config) { c.RetryTimeout, c.RequestTimeout = time.Second, 5*time.Second })
	start := time.Now()
	_, err := c.GetDomain(context.Background(), "a.io")
	elapsed := time.Since(start)
	if err == nil || !strings.Contains(err.Error(), "HTTP 429") || !strings.Contains(err.Error(), "limiting the rate") || !strings.Contains(err.Error(), "retry_timeout") {
		t.Fatalf("got %v, want an error saying the API was still limiting the rate at retry_timeout", err)
	}
	if elapsed < time.Second || elapsed > 2*time.Second {
		t.Fatalf("gave up after %v, want about the 1s retry_timeout", elapsed)
	}
}

// retry_timeout also ends an exchange on the wire that request_timeout
// would still allow, saying which limit ran out.
func TestRetryTimeoutEndsASlowExchange(t *testing.T) {
	c := fakeServerWith(t, func(_ http.ResponseWriter, r *http.Request) {
		<-r.Context().Done()
	}, func(c *Config) { c.RetryTimeout, c.RequestTimeout = 500*time.Millisecond, 5*time.Second })
	start := time.Now()
	_, err := c.GetDomain(context.Background(), "a.io")
	if err == nil || !strings.Contains(err.Error(), "retry_timeout ran out (500ms)") || time.Since(start) > 2*time.Second {
		t.Fatalf("got %v after %v, want retry_timeout ran out", err, time.Since(start))
	}
}
