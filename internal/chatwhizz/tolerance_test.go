package chatwhizz

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func TestToleratesStringsForNumbersAndBooleans(t *testing.T) {
	c := fakeServer(t, answer(`{"status":"1","data":{"_id":"abc","name":"Ann","email":"Ann@X.io","status":"2","operator":"false"}}`))
	op, err := c.GetOperator(context.Background(), "abc")
	if err != nil {
		t.Fatal(err)
	}
	if op.Presence != PresenceAway || op.Active || op.Email != "Ann@X.io" {
		t.Fatalf("got %+v", op)
	}
}

func TestToleratesEveryIDSpellingAndExtraFields(t *testing.T) {
	for _, body := range []string{
		`{"status":1,"data":{"id":"X1","name":"n","email":"e@x.io","addon_unique_name":"live_chat","createdAt":"2024","nested":{"a":[1]}}}`,
		`{"status":1,"data":{"_id":"X1","name":"n","email":"e@x.io"}}`,
		`{"status":1,"data":{"userId":"X1","name":"n","email":"e@x.io"},"extra":true}`,
		`{"status":1,"data":{"id":12,"name":"n","email":"e@x.io"}}`,
	} {
		want := "X1"
		if strings.Contains(body, `"id":12`) {
			want = "12"
		}
		c := fakeServer(t, answer(body))
		op, err := c.CreateOperator(context.Background(), CreateOperatorInput{Email: "e@x.io"})
		if err != nil {
			t.Fatalf("%s: %v", body, err)
		}
		if op.ID != want {
			t.Errorf("%s: id %q, want %q", body, op.ID, want)
		}
	}
}

func TestStatusZeroOnHTTP200IsAFailure(t *testing.T) {
	c := fakeServer(t, answer(`{"status":0,"type":"error","message":"Domain does not exist"}`))
	_, err := c.GetDomain(context.Background(), "shop.example.com")
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.Message != "Domain does not exist" || apiErr.StatusCode != 200 {
		t.Fatalf("got %v", err)
	}
	if !errors.Is(err, ErrNotFound) {
		t.Fatalf("a failure saying 'does not exist' must be a not-found: %v", err)
	}
}

func TestFailureStatusesAndMessages(t *testing.T) {
	cases := []struct {
		name     string
		status   int
		body     string
		notFound bool
		conflict bool
		message  string
	}{
		{"404", 404, `{"status":0,"message":"nope"}`, true, false, "nope"},
		{"not found text", 400, `{"status":0,"message":"Operator Not Found"}`, true, false, "Operator Not Found"},
		{"409", 409, `{"status":0,"message":"taken"}`, false, true, "taken"},
		{"error field", 400, `{"status":0,"error":"bad email"}`, false, false, "bad email"},
		{"error object", 400, `{"status":0,"error":{"message":"bad name"}}`, false, false, "bad name"},
		{"status string 0", 200, `{"status":"0","message":"refused"}`, false, false, "refused"},
		{"status false", 200, `{"status":false,"message":"refused"}`, false, false, "refused"},
		{"html", 500, `<html><body>Internal Server Error</body></html>`, false, false, "the answer is not JSON: <html><body>Internal Server Error</body></html>"},
		{"truncated json", 200, `{"status":1,"data":{"name":"sh`, false, false, "the answer is not JSON"},
		{"no status", 200, `{"data":{}}`, false, false, "the answer has no status"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := fakeServer(t, func(w http.ResponseWriter, _ *http.Request) {
				w.WriteHeader(tc.status)
				_, _ = io.WriteString(w, tc.body)
			})
			_, err := c.GetDomain(context.Background(), "shop.example.com")
			var apiErr *APIError
			if !errors.As(err, &apiErr) {
				t.Fatalf("want an *APIError, got %v", err)
			}
			if !strings.Contains(apiErr.Message, tc.message) || apiErr.StatusCode != tc.status {
				t.Errorf("got %d %q, want %d containing %q", apiErr.StatusCode, apiErr.Message, tc.status, tc.message)
			}
			if errors.Is(err, ErrNotFound) != tc.notFound || errors.Is(err, ErrConflict) != tc.conflict {
				t.Errorf("classification of %v: notFound=%t conflict=%t", err, errors.Is(err, ErrNotFound), errors.Is(err, ErrConflict))
			}
		})
	}
}

func TestHTMLBodyQuotesOnlyTheFirst200Bytes(t *testing.T) {
	page := "<html>" + strings.Repeat("x", 1000) + "</html>"
	c := fakeServer(t, func(w http.ResponseWriter, _ *http.Request) {
		w.WriteHeader(400) // not retried
		_, _ = io.WriteString(w, page)
	})
	_, err := c.GetDomain(context.Background(), "shop.example.com")
	if err == nil || !strings.Contains(err.Error(), "HTTP 400") || !strings.Contains(err.Error(), page[:200]) || strings.Contains(err.Error(), page[:201]) {
		t.Fatalf("got %v", err)
	}
}

func TestOversizedBodyIsRefusedNotRead(t *testing.T) {
	c := fakeServer(t, func(w http.ResponseWriter, _ *http.Request) {
		_, _ = io.WriteString(w, `{"status":1,"data":{"name":"`)
		chunk := strings.Repeat("a", 64<<10)
		for range 64 { // 4 MiB
			if _, err := io.WriteString(w, chunk); err != nil {
				return
			}
		}
		_, _ = io.WriteString(w, `"}}`)
	})
	_, err := c.GetDomain(context.Background(), "shop.example.com")
	if err == nil || !strings.Contains(err.Error(), "larger than") {
		t.Fatalf("got %v", err)
	}
}

func TestBooleanSpellings(t *testing.T) {
	for body, want := range map[string]bool{
		`{"status":1,"data":{"name":"a.io","email":"e@x.io","status":"true"}}`:  true,
		`{"status":1,"data":{"name":"a.io","email":"e@x.io","status":"false"}}`: false,
		`{"status":1,"data":{"name":"a.io","email":"e@x.io","status":1}}`:       true,
		`{"status":1,"data":{"name":"a.io","email":"e@x.io","status":"0"}}`:     false,
		`{"status":1,"data":{"name":"a.io","email":"e@x.io","status":true}}`:    true,
	} {
		c := fakeServer(t, answer(body))
		d, err := c.GetDomain(context.Background(), "a.io")
		if err != nil || d.Active != want {
			t.Errorf("%s: got %+v, %v", body, d, err)
		}
	}
}

func TestRequestShapes(t *testing.T) {
	var seen []string
	c := fakeServer(t, func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		seen = append(seen, r.Method+" "+r.URL.EscapedPath()+" "+r.Header.Get("Content-Type")+" "+string(body))
		switch {
		case strings.Contains(r.URL.Path, "operator/assign"):
			_, _ = io.WriteString(w, `{"status":1,"data":{"operators":{"name":"n","email":"e@x.io","userId":"u1","is_admin":"true"}}}`)
		default:
			_, _ = io.WriteString(w, `{"status":1,"data":{"name":"new.example.com","email":"e@x.io","status":true}}`)
		}
	})
	ctx := context.Background()
	if _, err := c.UpdateDomain(ctx, "old.example.com", DomainUpdate{Name: new("new.example.com"), Active: new(false)}); err != nil {
		t.Fatal(err)
	}
	a, err := c.AssignOperator(ctx, AssignInput{DomainName: "new.example.com", OperatorID: "u1", IsAdmin: new(true)})
	if err != nil || !a.IsAdmin || a.OperatorID != "u1" {
		t.Fatalf("%+v %v", a, err)
	}
	if _, err := c.GetOperator(ctx, "a b/c"); err == nil {
		t.Log("escaped segment accepted")
	}
	want := []string{
		`PUT /admin/domain/update/old.example.com application/json {"name":"new.example.com","status":false}`,
		`POST /admin/operator/assign application/json {"domain_name":"new.example.com","is_admin":true,"operator_id":"u1"}`,
		`GET /admin/operator/a%20b%2Fc  `,
	}
	if strings.Join(seen, "\n") != strings.Join(want, "\n") {
		t.Fatalf("requests:\n%s\nwant:\n%s", strings.Join(seen, "\n"), strings.Join(want, "\n"))
	}
}

func TestBaseURLJoinsWithOrWithoutSlash(t *testing.T) {
	for _, base := range []string{"https://h", "https://h/", "https://h/api/", "https://h/api"} {
		c, err := New(Config{BaseURL: base, AccessToken: "a", RefreshToken: "r", AddonUniqueName: AddonLiveChat})
		if err != nil {
			t.Fatal(err)
		}
		got := c.urlFor(request{path: []string{"admin", "domain", "x.io"}})
		want := strings.TrimSuffix(base, "/") + "/admin/domain/x.io"
		if got != want {
			t.Errorf("%s: %s, want %s", base, got, want)
		}
	}
}

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

func TestRefusesRedirectToAnotherHost(t *testing.T) {
	var leaked atomic.Bool
	other := httptest.NewServer(http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) {
		if r.Header.Get("access_token") != "" {
			leaked.Store(true)
		}
	}))
	defer other.Close()
	c := fakeServer(t, func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, other.URL+"/steal", http.StatusFound)
	})
	_, err := c.GetDomain(context.Background(), "a.io")
	if err == nil || !strings.Contains(err.Error(), "refused a redirect") || leaked.Load() {
		t.Fatalf("err=%v leaked=%t", err, leaked.Load())
	}
}

func TestUserAgentAndHeaders(t *testing.T) {
	var ua, tok string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/admin/access-token") {
			_, _ = io.WriteString(w, `{"status":1,"data":{"access_token":"acc","refresh_token":"ref","expire_in":60}}`)
			return
		}
		ua, tok = r.Header.Get("User-Agent"), r.Header.Get("access_token")
		_, _ = io.WriteString(w, `{"status":1,"data":{"name":"a.io","email":"e@x.io","status":true}}`)
	}))
	defer srv.Close()
	c, _ := New(Config{BaseURL: srv.URL, AccessToken: "acc", RefreshToken: "ref", AddonUniqueName: AddonLiveChat, UserAgent: "terraform-provider-chatwhizz/1.2.3"})
	if _, err := c.GetDomain(context.Background(), "a.io"); err != nil {
		t.Fatal(err)
	}
	if ua != "terraform-provider-chatwhizz/1.2.3" || tok != "acc" {
		t.Fatalf("ua=%q token=%q", ua, tok)
	}
}

type recordingLogger struct{ entries []string }

func (l *recordingLogger) Debug(_ context.Context, msg string, fields map[string]any) {
	b, _ := json.Marshal(fields)
	l.entries = append(l.entries, msg+" "+string(b))
}

func TestLogsNeverHoldSecrets(t *testing.T) {
	log := &recordingLogger{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/admin/access-token" {
			_, _ = io.WriteString(w, `{"status":1,"data":{"access_token":"SECRET-ACCESS","refresh_token":"SECRET-REFRESH","expire_in":60}}`)
			return
		}
		w.WriteHeader(404)
		_, _ = io.WriteString(w, `{"status":0,"message":"not found"}`)
	}))
	defer srv.Close()
	c, _ := New(Config{BaseURL: srv.URL, Email: "a@b.co", Password: "SECRET-PASSWORD", OrganisationDomain: "o", AddonUniqueName: AddonLiveChat, Logger: log})
	_, err := c.GetDomain(context.Background(), "a.io")
	if !errors.Is(err, ErrNotFound) {
		t.Fatal(err)
	}
	all := strings.Join(log.entries, "\n") + err.Error()
	if len(log.entries) != 2 {
		t.Fatalf("want a login and a read logged, got:\n%s", all)
	}
	for _, secret := range []string{"SECRET-PASSWORD", "SECRET-ACCESS", "SECRET-REFRESH"} {
		if strings.Contains(all, secret) {
			t.Fatalf("%s leaked:\n%s", secret, all)
		}
	}
	if !strings.Contains(all, `password=%2A%2A%2A`) || !strings.Contains(all, `"status":404`) {
		t.Fatalf("log entries lack the masked query or the status:\n%s", all)
	}
}

func TestTransportErrorsNeverQuoteTheLoginURL(t *testing.T) {
	c, _ := New(Config{BaseURL: "http://127.0.0.1:1", Email: "a@b.co", Password: "SECRET-PASSWORD", OrganisationDomain: "o", AddonUniqueName: AddonLiveChat, MaxRetries: -1})
	_, err := c.GetDomain(context.Background(), "a.io")
	if err == nil || strings.Contains(err.Error(), "SECRET-PASSWORD") {
		t.Fatalf("got %v", err)
	}
}

func TestConfigIsCheckedWithoutNetwork(t *testing.T) {
	cases := map[string]Config{
		"no base url":      {AddonUniqueName: AddonLiveChat, AccessToken: "a", RefreshToken: "r"},
		"relative url":     {BaseURL: "api.example.com", AddonUniqueName: AddonLiveChat, AccessToken: "a", RefreshToken: "r"},
		"no addon":         {BaseURL: "https://h", AccessToken: "a", RefreshToken: "r"},
		"half a pair":      {BaseURL: "https://h", AddonUniqueName: AddonLiveChat, AccessToken: "a"},
		"no credentials":   {BaseURL: "https://h", AddonUniqueName: AddonLiveChat},
		"partial password": {BaseURL: "https://h", AddonUniqueName: AddonLiveChat, Email: "a@b.co", Password: "p"},
	}
	for name, cfg := range cases {
		if _, err := New(cfg); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

func TestIsLoopback(t *testing.T) {
	for url, want := range map[string]bool{
		"http://127.0.0.1:8089/": true, "http://localhost/": true, "http://[::1]:80": true,
		"http://api.example.com/": false, "https://10.0.0.1/": false,
	} {
		if got := IsLoopback(url); got != want {
			t.Errorf("%s: %t", url, got)
		}
	}
}

func TestTLSVerificationIsAlwaysOn(t *testing.T) {
	var reached atomic.Int32
	srv := httptest.NewTLSServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { reached.Add(1) }))
	defer srv.Close()
	c, err := New(Config{BaseURL: srv.URL, Email: "a@b.co", Password: "pw", OrganisationDomain: "o", AddonUniqueName: AddonLiveChat})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.GetDomain(context.Background(), "a.io")
	if err == nil || !strings.Contains(err.Error(), "certificate") {
		t.Fatalf("a self-signed certificate must be refused: %v", err)
	}
	if reached.Load() != 0 {
		t.Fatal("the request reached the server")
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
	c, _ := New(Config{BaseURL: srv.URL, AccessToken: "a", RefreshToken: "r", AddonUniqueName: AddonLiveChat, RequestTimeout: 100 * time.Millisecond, MaxRetries: -1})
	start := time.Now()
	_, err := c.GetDomain(context.Background(), "a.io")
	if err == nil || time.Since(start) > 5*time.Second {
		t.Fatalf("got %v after %v", err, time.Since(start))
	}
}

func TestAssignmentOperatorsAsAList(t *testing.T) {
	c := fakeServer(t, answer(`{"status":1,"data":{"operators":[{"name":"n","email":"e@x.io","userId":"u1","is_admin":"1"}]}}`))
	a, err := c.AssignOperator(context.Background(), AssignInput{DomainName: "a.io", OperatorID: "u1"})
	if err != nil || !a.IsAdmin || a.Email != "e@x.io" {
		t.Fatalf("%+v %v", a, err)
	}
}

func TestExpiredTokenReportedOnHTTP200IsRenewed(t *testing.T) {
	var calls atomic.Int32
	regenerated := false
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/admin/access-token":
			_, _ = io.WriteString(w, `{"status":1,"data":{"access_token":"old","refresh_token":"ref","expire_in":3600}}`)
		case "/admin/access-token/regenerate":
			regenerated = true
			// Only the access token rotates here; the refresh token stays.
			_, _ = io.WriteString(w, `{"status":1,"data":{"access_token":"new","expire_in":3600}}`)
		default:
			calls.Add(1)
			if r.Header.Get("access_token") != "new" {
				_, _ = io.WriteString(w, `{"status":0,"message":"Unauthorized: jwt expired"}`)
				return
			}
			_, _ = io.WriteString(w, `{"status":1,"data":{"name":"a.io","email":"e@x.io","status":true}}`)
		}
	}))
	defer srv.Close()
	c, _ := New(Config{BaseURL: srv.URL, Email: "a@b.co", Password: "pw", OrganisationDomain: "o", AddonUniqueName: AddonLiveChat})
	if _, err := c.GetDomain(context.Background(), "a.io"); err != nil || !regenerated || calls.Load() != 2 {
		t.Fatalf("err=%v regenerated=%t calls=%d", err, regenerated, calls.Load())
	}
	if s, _ := c.AccessToken(context.Background()); s.RefreshToken != "ref" {
		t.Fatalf("the refresh token was lost: %+v", s)
	}
}

func TestEarlyRenewalFailureKeepsTheLiveToken(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/admin/access-token":
			_, _ = io.WriteString(w, `{"status":1,"data":{"access_token":"acc","refresh_token":"ref","expire_in":2}}`)
		case "/admin/access-token/regenerate":
			w.WriteHeader(http.StatusServiceUnavailable)
		default:
			_, _ = io.WriteString(w, `{"status":1,"data":{"name":"a.io","email":"e@x.io","status":true}}`)
		}
	}))
	defer srv.Close()
	c, _ := New(Config{BaseURL: srv.URL, Email: "a@b.co", Password: "pw", OrganisationDomain: "o", AddonUniqueName: AddonLiveChat, MaxRetries: -1})
	if _, err := c.GetDomain(context.Background(), "a.io"); err != nil {
		t.Fatal(err)
	}
	time.Sleep(1700 * time.Millisecond) // past the early-renewal point, before expiry
	if _, err := c.GetDomain(context.Background(), "a.io"); err != nil {
		t.Fatalf("a failed early renewal must not fail a call while the token lives: %v", err)
	}
}
