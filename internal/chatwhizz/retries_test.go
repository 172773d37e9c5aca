package chatwhizz

// Retries and timeouts: what is tried again, how long it waits, and when it
// stops.

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
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
	if err == nil || time.Since(start) > 5*time.Second {
		t.Fatalf("got %v after %v", err, time.Since(start))
	}
}
