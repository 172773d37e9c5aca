package emulator_test

import (
	"bytes"
	"context"
	"fmt"
	"log"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chatwhizz/terraform-provider-chatwhizz/internal/emulator"
)

func TestDemoOrganisation(t *testing.T) {
	e, base, stop := emulator.Start(emulator.Knobs{}, emulator.DemoOrganisation())
	defer stop()
	if !strings.HasPrefix(base, "http://127.0.0.1:") || !strings.HasSuffix(base, "/") {
		t.Fatalf("base URL %q", base)
	}
	v := &env{t: t, e: e, base: base}
	for _, addon := range []string{emulator.AddonLiveChat, emulator.AddonSellerBuyer} {
		v.login(emulator.Organisation{Domain: "demo", Email: "demo@example.com", Password: "demo-password"}, addon)
	}
}

func TestRoutes(t *testing.T) {
	v, tok := newEnvLoggedIn(t, live)
	tests := []struct {
		method, path string
		code         int
		allow        string
	}{
		{"GET", "admin/nope", 404, ""},
		{"GET", "/admin/access-token", 404, ""}, // a double slash after the base
		{"GET", "admin/domain/", 404, ""},
		{"POST", "admin/operator/create/", 404, ""},
		{"GET", "admin/operator/a/b", 404, ""},
		{"GET", "_emulator/nope", 404, ""},
		{"POST", "admin/access-token", 405, "GET"},
		{"GET", "admin/domain/create", 405, "POST"},
		{"GET", "admin/operator/assign", 405, "POST"},
		{"POST", "admin/operator/0123456789abcdef01234567", 405, "GET"},
		{"DELETE", "admin/domain/x.example", 405, "GET"},
		{"POST", "admin/operator/assign/0123456789abcdef01234567", 405, "PUT"},
		{"PUT", "_emulator/stats", 405, "GET"},
		{"GET", "_emulator/reset", 405, "POST"},
	}
	for _, tt := range tests {
		r := v.do(tt.method, tt.path, tok, nil)
		msg := map[int]string{404: "route not found", 405: "method not allowed"}[tt.code]
		if r.code != tt.code || r.body["message"] != msg || r.body["status"] != 0.0 || r.hdr.Get("Allow") != tt.allow {
			t.Errorf("%s %s: %d %v Allow=%q", tt.method, tt.path, r.code, r.body, r.hdr.Get("Allow"))
		}
		wantKeys(t, r.body, "status", "message")
	}
	if s := v.e.Stats(); len(s.Requests) != 1 {
		t.Fatalf("requests outside the routes were counted: %v", s.Requests)
	}
}

func TestFailureRateKnob(t *testing.T) {
	v, tok := newEnvLoggedIn(t, live)
	v.e.SetKnobs(emulator.Knobs{FailureRate: 1})
	v.do(http.MethodGet, loginPath(orgA, live), "", nil).fails(t, 503, "service unavailable")
	v.do(http.MethodPost, "admin/operator/create", tok, map[string]any{"email": "x@acme.example"}).fails(t, 503, "service unavailable")
	if ops := v.e.Operators("acme"); len(ops) != 0 {
		t.Fatalf("a failed request did something: %+v", ops)
	}
	// The control routes are never failed.
	if r := v.do(http.MethodGet, "_emulator/stats", "", nil); r.code != 200 {
		t.Fatalf("stats: %d", r.code)
	}
	s := v.e.Stats()
	if s.Injected503 != 2 || s.Logins != 1 || s.Requests["GET admin/access-token"] != 2 || s.Requests["POST admin/operator/create"] != 1 {
		t.Fatalf("stats %+v", s)
	}
	v.e.SetKnobs(emulator.Knobs{})
	v.createOperator(tok, "x@acme.example")
}

func TestRateLimitKnob(t *testing.T) {
	t.Parallel() // it waits out one Retry-After
	v := newEnv(t, emulator.Knobs{RateLimit: 2})
	v.login(orgA, live)
	v.login(orgA, live)
	r := v.do(http.MethodGet, loginPath(orgA, live), "", nil)
	r.fails(t, 429, "rate limit")
	if ra := r.hdr.Get("Retry-After"); ra != "1" {
		t.Fatalf("Retry-After %q", ra)
	}
	// The control routes are never throttled.
	for range 5 {
		if r := v.do(http.MethodGet, "_emulator/stats", "", nil); r.code != 200 {
			t.Fatalf("stats: %d", r.code)
		}
	}
	// A client honouring Retry-After makes progress.
	time.Sleep(time.Second)
	v.login(orgA, live)
	if s := v.e.Stats(); s.Throttled != 1 || s.Logins != 3 || s.Requests["GET admin/access-token"] != 4 {
		t.Fatalf("stats %+v", s)
	}
}

// TestQuotaKnob: a quota of 2 requests a window answers the third 429 with
// Retry-After up to the window's end, whatever the route; a new window, or
// new knobs, admit again.
func TestQuotaKnob(t *testing.T) {
	t.Parallel() // it waits out one window
	v := newEnv(t, emulator.Knobs{Quota: 2, QuotaWindow: 30 * time.Second})
	tok, _ := v.login(orgA, live)
	v.createOperator(tok, "a@acme.example")
	r := v.do(http.MethodGet, loginPath(orgA, live), "", nil)
	r.fails(t, 429, "quota of 2 requests per 30s exceeded")
	if ra := r.hdr.Get("Retry-After"); ra != "30" && ra != "29" {
		t.Fatalf("Retry-After %q, want the 30s window's end", ra)
	}
	// The control routes are never counted.
	for range 3 {
		if r := v.do(http.MethodGet, "_emulator/stats", "", nil); r.code != 200 {
			t.Fatalf("stats: %d", r.code)
		}
	}
	// New knobs start a new window.
	v.e.SetKnobs(emulator.Knobs{Quota: 2, QuotaWindow: time.Second})
	v.login(orgA, live)
	v.login(orgA, live)
	r = v.do(http.MethodGet, loginPath(orgA, live), "", nil)
	r.fails(t, 429, "quota")
	if ra := r.hdr.Get("Retry-After"); ra != "1" {
		t.Fatalf("Retry-After %q, want 1", ra)
	}
	// A client that waits for the window's end makes progress.
	time.Sleep(time.Second)
	v.login(orgA, live)
	if s := v.e.Stats(); s.Throttled != 2 || s.Logins != 4 {
		t.Fatalf("stats %+v", s)
	}
}

func TestLatencyKnob(t *testing.T) {
	t.Parallel()
	const latency = 150 * time.Millisecond
	v := newEnv(t, emulator.Knobs{Latency: latency})
	start := time.Now()
	v.login(orgA, live)
	if d := time.Since(start); d < latency {
		t.Fatalf("login took %v, want at least %v", d, latency)
	}
	start = time.Now()
	v.do(http.MethodGet, "_emulator/knobs", "", nil)
	if d := time.Since(start); d >= latency {
		t.Fatalf("control route took %v, it must not be delayed", d)
	}

	// A request whose client has gone away stops waiting at once.
	v.e.SetKnobs(emulator.Knobs{Latency: time.Hour})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	req := httptest.NewRequestWithContext(ctx, http.MethodGet, "/"+loginPath(orgA, live), nil)
	done := make(chan struct{})
	go func() {
		v.e.ServeHTTP(httptest.NewRecorder(), req)
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("ServeHTTP ignored the canceled request context")
	}
}

func TestControlRoutes(t *testing.T) {
	v, tok := newEnvLoggedIn(t, live)
	v.createOperator(tok, "op@acme.example")
	v.createDomain(tok, "shop.acme.example")

	st := v.do(http.MethodGet, "_emulator/stats", "", nil)
	wantKeys(t, st.body, "requests", "logins", "regenerations", "validations", "throttled", "injected_503")
	reqs := obj(t, st.body["requests"])
	if st.body["logins"] != 1.0 || reqs["POST admin/operator/create"] != 1.0 || reqs["POST admin/domain/create"] != 1.0 || len(reqs) != 3 {
		t.Fatalf("stats %v", st.body)
	}

	r := v.do(http.MethodPost, "_emulator/reset", "", nil)
	if r.code != 200 {
		t.Fatalf("reset: %d", r.code)
	}
	wantKeys(t, r.body, "status")
	if r.body["status"] != 1.0 {
		t.Fatalf("reset %v", r.body)
	}
	if len(v.e.Operators("acme")) != 0 || len(v.e.Domains("acme")) != 0 {
		t.Fatal("reset kept objects")
	}
	if s := v.e.Stats(); s.Logins != 0 || len(s.Requests) != 0 {
		t.Fatalf("reset kept stats %+v", s)
	}
	v.do(http.MethodGet, "admin/domain/shop.acme.example", tok, nil).fails(t, 401, "invalid access token")
	tok, _ = v.login(orgA, live) // organisations survive a reset
	v.createDomain(tok, "shop.acme.example")

	k := v.do(http.MethodGet, "_emulator/knobs", "", nil)
	wantKeys(t, k.body, "access_token_ttl_seconds", "refresh_token_ttl_seconds", "latency_ms", "failure_rate", "rate_limit", "quota", "quota_window_seconds", "login_user_not_found")
	if k.body["access_token_ttl_seconds"] != 3600.0 || k.body["refresh_token_ttl_seconds"] != 2592000.0 {
		t.Fatalf("knobs %v", k.body)
	}
	if k.body["quota"] != 0.0 || k.body["quota_window_seconds"] != 60.0 {
		t.Fatalf("knobs %v", k.body)
	}
	k = v.do(http.MethodPut, "_emulator/knobs", "", map[string]any{"access_token_ttl_seconds": 5, "latency_ms": 1.5, "failure_rate": 0.25, "rate_limit": 100, "quota": 1000, "quota_window_seconds": 30})
	if k.code != 200 || k.body["access_token_ttl_seconds"] != 5.0 || k.body["refresh_token_ttl_seconds"] != 2592000.0 || k.body["quota_window_seconds"] != 30.0 {
		t.Fatalf("put knobs %d %v", k.code, k.body)
	}
	want := emulator.Knobs{AccessTokenTTL: 5 * time.Second, RefreshTokenTTL: 30 * 24 * time.Hour, Latency: 1500 * time.Microsecond, FailureRate: 0.25, RateLimit: 100, Quota: 1000, QuotaWindow: 30 * time.Second}
	if got := v.e.Knobs(); got != want {
		t.Fatalf("knobs %+v, want %+v", got, want)
	}
	v.do(http.MethodPut, "_emulator/knobs", "", map[string]any{"failure_rate": 2}).fails(t, 400, "failure_rate must be between 0 and 1")
	v.do(http.MethodPut, "_emulator/knobs", "", map[string]any{"latency_ms": -1}).fails(t, 400, "latency_ms")
	v.do(http.MethodPut, "_emulator/knobs", "", map[string]any{"quota": -1}).fails(t, 400, "quota")
	v.do(http.MethodPut, "_emulator/knobs", "", map[string]any{"quota_window_seconds": -1}).fails(t, 400, "quota_window_seconds")
	v.do(http.MethodPut, "_emulator/knobs", "", map[string]any{"latency": 1}).fails(t, 400, `unknown field "latency"`)
	if got := v.e.Knobs(); got != want {
		t.Fatalf("a refused PUT changed the knobs: %+v", got)
	}
	// Since the reset: the refused GET, the login and the domain create.
	if s := v.e.Stats(); len(s.Requests) != 3 {
		t.Fatalf("control routes were counted: %v", s.Requests)
	}
}

// raceResult is what one goroutine of raceCreates was answered.
type raceResult struct {
	own, shared, domain, regen reply
	err                        error
}

// raceCreates runs n goroutines: each creates its own operator and one
// shared by all, and races the others to create one domain and to
// regenerate one token pair (racedTok, racedRefresh).
func raceCreates(v *env, n int, tok, racedTok, racedRefresh string) []raceResult {
	results := make([]raceResult, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			res := &results[i]
			steps := []struct {
				dst          *reply
				method, path string
				token        string
				body         any
			}{
				{&res.own, http.MethodPost, "admin/operator/create", tok, map[string]any{"email": fmt.Sprintf("op%02d@acme.example", i)}},
				{&res.shared, http.MethodPost, "admin/operator/create", tok, map[string]any{"email": "shared@acme.example"}},
				{&res.domain, http.MethodPost, "admin/domain/create", tok, map[string]any{"domain_name": "race.acme.example", "email": "a@acme.example"}},
				{&res.regen, http.MethodPost, "admin/access-token/regenerate", "", map[string]any{"access_token": racedTok, "refresh_token": racedRefresh}},
			}
			for _, s := range steps {
				if *s.dst, res.err = v.send(s.method, s.path, s.token, s.body); res.err != nil {
					return
				}
				_ = v.e.Stats()
			}
		})
	}
	wg.Wait()
	return results
}

func TestConcurrentUse(t *testing.T) {
	v, tok := newEnvLoggedIn(t, live)
	racedTok, racedRefresh := v.login(orgA, live)
	const n = 50
	results := raceCreates(v, n, tok, racedTok, racedRefresh)

	seen := map[string]bool{}
	var sharedID string
	domains, regens := 0, 0
	for _, res := range results {
		if res.err != nil {
			t.Fatal(res.err)
		}
		id := str(t, res.own.ok(t)["id"])
		if seen[id] || !hex24.MatchString(id) {
			t.Fatalf("operator id %q repeated or malformed", id)
		}
		seen[id] = true
		if s := str(t, res.shared.ok(t)["id"]); sharedID == "" {
			sharedID = s
		} else if s != sharedID {
			t.Fatalf("one email gave two operators: %s and %s", s, sharedID)
		}
		if res.domain.code == http.StatusOK {
			domains++
		} else {
			res.domain.fails(t, http.StatusConflict, "already exists")
		}
		if res.regen.code == http.StatusOK {
			regens++
		} else {
			res.regen.fails(t, http.StatusUnauthorized, "invalid access token")
		}
	}
	if domains != 1 || regens != 1 {
		t.Fatalf("%d domain creates and %d regenerations succeeded, want 1 each", domains, regens)
	}
	if got := len(v.e.Operators("acme")); got != n+1 {
		t.Fatalf("%d operators, want %d", got, n+1)
	}
	if got := v.e.Stats().Requests["POST admin/operator/create"]; got != 2*n {
		t.Fatalf("%d creates counted, want %d", got, 2*n)
	}
}

// syncBuffer is a bytes.Buffer safe to read while the server logs into it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func TestLoggerNeverPrintsSecrets(t *testing.T) {
	v := newEnv(t, emulator.Knobs{})
	var buf syncBuffer
	v.e.SetLogger(log.New(&buf, "", 0))

	a, r := v.login(orgA, live)
	v.do(http.MethodPost, "admin/access-token/validate", "", map[string]any{"access_token": a, "refresh_token": r, "addon_unique_name": live}).ok(t)
	d := v.do(http.MethodPost, "admin/access-token/regenerate", "", map[string]any{"access_token": a, "refresh_token": r}).ok(t)
	a2, r2 := str(t, d["access_token"]), str(t, d["refresh_token"])
	v.createOperator(a2, "op@acme.example")
	v.do(http.MethodGet, "admin/domain/x.example?access_token="+a2+"&Refresh_Token="+r2+"&PASSWORD="+orgA.Password, a2, nil).fails(t, 400, "unknown query parameter")
	v.do(http.MethodGet, "admin/access-token?password="+orgA.Password+"&x=%zz", "", nil).fails(t, 400, "malformed query")
	const requests = 6

	var out string
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if out = buf.String(); strings.Count(out, "\n") == requests {
			break
		}
	}
	if got := strings.Count(out, "\n"); got != requests {
		t.Fatalf("%d log lines, want %d:\n%s", got, requests, out)
	}
	for _, secret := range []string{orgA.Password, a, r, a2, r2} {
		if strings.Contains(out, secret) {
			t.Fatalf("log contains the secret %q:\n%s", secret, out)
		}
	}
	for _, want := range []string{
		"GET /admin/access-token?addon_unique_name=live_chat&email=admin%40acme.example&organisation_domain=acme&password=REDACTED 200 ",
		"POST /admin/access-token/validate 200 ",
		"POST /admin/operator/create 200 ",
		"GET /admin/domain/x.example?PASSWORD=REDACTED&Refresh_Token=REDACTED&access_token=REDACTED 400 ",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("log lacks %q:\n%s", want, out)
		}
	}

	v.e.SetLogger(nil)
	v.login(orgA, live)
	time.Sleep(50 * time.Millisecond)
	if got := strings.Count(buf.String(), "\n"); got != requests {
		t.Fatalf("a nil logger still logged: %d lines", got)
	}
}

// checkRecordsAreCopies: the records the back doors return are copies of
// the stored ones.
func checkRecordsAreCopies(t *testing.T, v *env, opA string) {
	t.Helper()
	rec, _ := v.e.Domain("z.acme.example")
	delete(rec.Assignments, opA)
	op, _ := v.e.Operator("acme", opA)
	op.ActiveAddons[live] = false
	if rec, _ := v.e.Domain("z.acme.example"); len(rec.Assignments) != 2 {
		t.Fatal("Domain returned the stored map")
	}
	if op, _ := v.e.Operator("acme", opA); !op.ActiveAddons[live] || op.OrganisationDomain != "acme" || op.Name != "a" {
		t.Fatalf("Operator returned the stored map: %+v", op)
	}
}

// checkDeletes: DeleteOperator and DeleteDomain remove the object once, in
// its own organisation only, and the API no longer finds it.
func checkDeletes(t *testing.T, v *env, tok, opA, opB string) {
	t.Helper()
	if !v.e.DeleteOperator("acme", opA) || v.e.DeleteOperator("acme", opA) || v.e.DeleteOperator("bravo", opB) {
		t.Fatal("DeleteOperator results")
	}
	v.do(http.MethodGet, "admin/operator/"+opA, tok, nil).fails(t, 404, "not found")
	if rec, _ := v.e.Domain("z.acme.example"); len(rec.Assignments) != 1 || rec.Assignments[opB].OperatorID != opB {
		t.Fatalf("assignments after DeleteOperator: %+v", rec.Assignments)
	}
	if id := v.createOperator(tok, "a@acme.example"); id == opA {
		t.Fatal("a deleted operator came back with its id")
	}

	if !v.e.DeleteDomain("z.acme.example") || v.e.DeleteDomain("z.acme.example") {
		t.Fatal("DeleteDomain results")
	}
	v.do(http.MethodGet, "admin/domain/z.acme.example", tok, nil).fails(t, 404, "not found")
	v.createDomain(tok, "z.acme.example")
}

func TestBackDoors(t *testing.T) {
	v, tok := newEnvLoggedIn(t, live)
	btok, _ := v.login(orgB, live)
	opB := v.createOperator(tok, "b@acme.example")
	opA := v.createOperator(tok, "a@acme.example")
	v.createOperator(btok, "c@bravo.example")
	v.createDomain(tok, "z.acme.example")
	v.createDomain(tok, "y.acme.example")
	v.createDomain(btok, "x.bravo.example")
	for _, op := range []string{opA, opB} {
		v.do(http.MethodPost, "admin/operator/assign", tok, map[string]any{"domain_name": "z.acme.example", "operator_id": op}).ok(t)
	}

	ops := v.e.Operators("acme")
	if len(ops) != 2 || ops[0].Email != "a@acme.example" || ops[1].Email != "b@acme.example" {
		t.Fatalf("operators %+v", ops)
	}
	doms := v.e.Domains("acme")
	if len(doms) != 2 || doms[0].Name != "y.acme.example" || doms[1].Name != "z.acme.example" {
		t.Fatalf("domains %+v", doms)
	}

	checkRecordsAreCopies(t, v, opA)
	checkDeletes(t, v, tok, opA, opB)

	if _, ok := v.e.Domain("nope.example"); ok {
		t.Fatal("Domain found an absent domain")
	}
	if _, ok := v.e.Operator("nope", opB); ok {
		t.Fatal("Operator found an operator in an absent organisation")
	}
	if v.e.SetOperatorPresence("bravo", opB, 1) || v.e.SetOperatorPresence("nope", opB, 1) {
		t.Fatal("SetOperatorPresence reached an operator of another organisation")
	}

	// AddOrganisation replaces credentials and keeps operators.
	v.e.AddOrganisation(emulator.Organisation{Domain: "acme", Email: orgA.Email, Password: "rotated", Addons: []string{live}})
	v.do(http.MethodGet, loginPath(orgA, live), "", nil).fails(t, 401, "invalid credentials")
	v.login(emulator.Organisation{Domain: "acme", Email: orgA.Email, Password: "rotated"}, live)
	if len(v.e.Operators("acme")) != 2 {
		t.Fatal("AddOrganisation dropped operators")
	}
}
