package chatwhizz

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chatwhizz/terraform-provider-chatwhizz/internal/emulator"
)

var getDomainRoute = EndpointGetDomain.String()

func TestLogsInLazilyAndOnce(t *testing.T) {
	emu, _, c := startEmulator(t, emulator.Knobs{})
	if emu.Stats().Logins != 0 {
		t.Fatal("New must not call the API")
	}
	name := seedDomain(t, c)
	for range 3 {
		if _, err := c.GetDomain(context.Background(), name); err != nil {
			t.Fatal(err)
		}
	}
	if s := emu.Stats(); s.Logins != 1 || s.Regenerations != 0 {
		t.Fatalf("logins=%d regenerations=%d", s.Logins, s.Regenerations)
	}
}

func TestStartsFromAGivenPairThroughValidate(t *testing.T) {
	emu, base, name, sess := startWithPair(t)
	c := newTokenClient(t, base, sess)
	if _, err := c.GetDomain(context.Background(), name); err != nil {
		t.Fatal(err)
	}
	if s := emu.Stats(); s.Logins != 1 || s.Validations != 1 || s.Regenerations != 0 {
		t.Fatalf("%+v", s)
	}
}

func TestGivenPairWithExpiredAccessTokenIsRegenerated(t *testing.T) {
	emu, base, name, sess := startWithPair(t)
	emu.ExpireAccessTokens()
	c := newTokenClient(t, base, sess)
	if _, err := c.GetDomain(context.Background(), name); err != nil {
		t.Fatal(err)
	}
	if s := emu.Stats(); s.Regenerations != 1 {
		t.Fatalf("%+v", s)
	}
}

func TestRegeneratesShortlyBeforeExpiry(t *testing.T) {
	emu, _, c := startEmulator(t, emulator.Knobs{AccessTokenTTL: 2 * time.Second})
	name := seedDomain(t, c)
	time.Sleep(1700 * time.Millisecond) // inside the last fifth of the lifetime
	if _, err := c.GetDomain(context.Background(), name); err != nil {
		t.Fatal(err)
	}
	s := emu.Stats()
	if s.Regenerations != 1 || s.Requests[getDomainRoute] != 1 {
		t.Fatalf("want one regeneration ahead of the call and no refused call: %+v", s)
	}
}

func TestRegeneratesAfterA401AndRetriesOnce(t *testing.T) {
	emu, _, c := startEmulator(t, emulator.Knobs{})
	name := seedDomain(t, c)
	emu.ExpireAccessTokens() // the client still believes its token is good
	if _, err := c.GetDomain(context.Background(), name); err != nil {
		t.Fatal(err)
	}
	s := emu.Stats()
	if s.Regenerations != 1 || s.Logins != 1 || s.Requests[getDomainRoute] != 2 {
		t.Fatalf("%+v", s)
	}
}

func TestLogsInAgainWhenTheRefreshTokenIsDead(t *testing.T) {
	emu, _, c := startEmulator(t, emulator.Knobs{})
	name := seedDomain(t, c)
	emu.ExpireRefreshTokens()
	if _, err := c.GetDomain(context.Background(), name); err != nil {
		t.Fatal(err)
	}
	if s := emu.Stats(); s.Logins != 2 {
		t.Fatalf("%+v", s)
	}
}

func TestDeadRefreshTokenWithoutPasswordIsAClearError(t *testing.T) {
	emu, base, name, sess := startWithPair(t)
	c := newTokenClient(t, base, sess)
	if _, err := c.GetDomain(context.Background(), name); err != nil {
		t.Fatal(err)
	}
	emu.ExpireRefreshTokens()
	// The pair was validated by this process: not blamed on an earlier one.
	_, err := c.GetDomain(context.Background(), name)
	if !errors.Is(err, ErrUnauthorized) || !strings.Contains(err.Error(), "the configured refresh token has expired, or another process has regenerated this pair") {
		t.Fatalf("got %v", err)
	}
	// A dead session fails fast: no further renewal is attempted.
	before := emu.Stats().Requests[EndpointRegenerate.String()]
	if _, err := c.GetDomain(context.Background(), name); !errors.Is(err, ErrUnauthorized) {
		t.Fatalf("got %v", err)
	}
	if after := emu.Stats().Requests[EndpointRegenerate.String()]; after != before {
		t.Fatalf("regenerate tried again: %d -> %d", before, after)
	}
}

func TestWrongCredentialsAreReportedOnce(t *testing.T) {
	emu, base, _ := startEmulator(t, emulator.Knobs{})
	c, _ := New(Config{BaseURL: base, Email: emulator.DemoEmail, Password: "wrong", OrganisationDomain: emulator.DemoOrganisationDomain, AddonUniqueName: AddonLiveChat})
	var wg sync.WaitGroup
	errs := make([]error, 10)
	for i := range errs {
		wg.Go(func() { _, errs[i] = c.GetDomain(context.Background(), "a.example.com") })
	}
	wg.Wait()
	for _, err := range errs {
		var authErr *AuthError
		if !errors.As(err, &authErr) || !strings.Contains(err.Error(), "could not log in") || strings.Contains(err.Error(), "wrong") {
			t.Fatalf("got %v", err)
		}
	}
	if n := emu.Stats().Requests[EndpointLogin.String()]; n != 1 {
		t.Fatalf("%d login attempts", n)
	}
}

// TestConcurrentCallersShareOneRenewal is the token source's race test: 50
// callers meet a dead token at once; exactly one regeneration serves them all.
func TestConcurrentCallersShareOneRenewal(t *testing.T) {
	emu, _, c := startEmulator(t, emulator.Knobs{Latency: 5 * time.Millisecond})
	name := seedDomain(t, c)
	emu.ExpireAccessTokens()
	var wg sync.WaitGroup
	errs := make(chan error, 50)
	for range 50 {
		wg.Go(func() {
			_, err := c.GetDomain(context.Background(), name)
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if s := emu.Stats(); s.Regenerations != 1 || s.Logins != 1 {
		t.Fatalf("want 1 login and 1 regeneration for 50 callers: %+v", s)
	}
}

func TestConcurrentFirstCallsShareOneLogin(t *testing.T) {
	emu, _, c := startEmulator(t, emulator.Knobs{Latency: 5 * time.Millisecond})
	var wg sync.WaitGroup
	for range 50 {
		wg.Go(func() { _, _ = c.GetDomain(context.Background(), "absent.example.com") })
	}
	wg.Wait()
	if s := emu.Stats(); s.Logins != 1 {
		t.Fatalf("%+v", s)
	}
}

func TestShortLivedTokensNeverSurfaceUnderLoad(t *testing.T) {
	emu, _, c := startEmulator(t, emulator.Knobs{AccessTokenTTL: time.Second, Latency: 20 * time.Millisecond})
	name := seedDomain(t, c)
	hammer(t, 8, 2500*time.Millisecond, func() error {
		_, err := c.GetDomain(context.Background(), name)
		return err
	})
	if s := emu.Stats(); s.Regenerations < 2 || s.Logins != 1 {
		t.Fatalf("%+v", s)
	}
}

// hammer calls call from n goroutines, over and over, until d has passed; a
// call that fails fails the test.
func hammer(t *testing.T, n int, d time.Duration, call func() error) {
	deadline := time.Now().Add(d)
	var wg sync.WaitGroup
	for range n {
		wg.Go(func() {
			for time.Now().Before(deadline) {
				if err := call(); err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
}

func TestCanceledWaiterDoesNotFailOthers(t *testing.T) {
	emu, _, c := startEmulator(t, emulator.Knobs{Latency: 100 * time.Millisecond})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { _, err := c.AccessToken(ctx); done <- err }()
	time.Sleep(20 * time.Millisecond)
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("got %v", err)
	}
	if _, err := c.AccessToken(context.Background()); err != nil {
		t.Fatal(err)
	}
	if s := emu.Stats(); s.Logins != 1 {
		t.Fatalf("the canceled caller's login should have completed and been shared: %+v", s)
	}
}

// TestRotationDuringThrottledRetriesNeverSurfaces: a call waiting out a 429
// while another caller regenerates the token must not fail with the token
// it started with, which rotation has retired.
func TestRotationDuringThrottledRetriesNeverSurfaces(t *testing.T) {
	emu, _, c := startEmulator(t, emulator.Knobs{AccessTokenTTL: time.Second, RateLimit: 15, Latency: 10 * time.Millisecond})
	name := seedDomain(t, c)
	hammer(t, 10, 4*time.Second, func() error {
		_, err := c.UpdateDomain(context.Background(), name, DomainUpdate{Active: new(true)})
		return err
	})
	if s := emu.Stats(); s.Throttled == 0 || s.Regenerations < 2 {
		t.Fatalf("the test needs throttling and rotations to prove anything: %+v", s)
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
	c, _ := New(Config{BaseURL: srv.URL, Email: "a@b.co", Password: "pw", OrganisationDomain: "o", AddonUniqueName: AddonLiveChat, MaxRetries: new(0)})
	if _, err := c.GetDomain(context.Background(), "a.io"); err != nil {
		t.Fatal(err)
	}
	time.Sleep(1700 * time.Millisecond) // past the early-renewal point, before expiry
	if _, err := c.GetDomain(context.Background(), "a.io"); err != nil {
		t.Fatalf("a failed early renewal must not fail a call while the token lives: %v", err)
	}
}

// TestNewSessionOutlivesTheClientsRegenerations: a session handed out for a
// consumer is not the client's: when the client regenerates its own pair,
// which retires that pair at once, the handed-out token still works.
func TestNewSessionOutlivesTheClientsRegenerations(t *testing.T) {
	_, base, c := startEmulator(t, emulator.Knobs{})
	ctx := context.Background()
	name := seedDomain(t, c)
	own, err := c.AccessToken(ctx)
	if err != nil {
		t.Fatal(err)
	}
	handedOut, err := c.NewSession(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if handedOut.AccessToken == own.AccessToken || handedOut.RefreshToken == own.RefreshToken {
		t.Fatal("the session handed out is the client's own")
	}
	if _, err := c.tokens.renew(ctx, c.tokens.generation()); err != nil {
		t.Fatal(err)
	}
	status := func(token string) int {
		req, err := http.NewRequest(http.MethodGet, base+"admin/domain/"+name, nil)
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("access_token", token)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		_ = resp.Body.Close()
		return resp.StatusCode
	}
	if got := status(own.AccessToken); got != http.StatusUnauthorized {
		t.Fatalf("the client's old token answers %d: the regeneration did not retire it, so the test proves nothing", got)
	}
	if got := status(handedOut.AccessToken); got != http.StatusOK {
		t.Fatalf("the handed-out token answers %d after the client's regeneration, want 200", got)
	}
}

func TestNewSessionNeedsAPassword(t *testing.T) {
	_, base, c := startEmulator(t, emulator.Knobs{})
	s, err := c.AccessToken(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := newTokenClient(t, base, s).NewSession(context.Background()); !errors.Is(err, ErrNoLogin) {
		t.Fatalf("got %v, want ErrNoLogin", err)
	}
}

// countRetiredNotices makes calls concurrent calls, each with a context of its
// own, and counts the calls told that the configured pair was retired.
func countRetiredNotices(t *testing.T, c *Client, name string, calls int) int {
	t.Helper()
	var told atomic.Int32
	var wg sync.WaitGroup
	for range calls {
		wg.Go(func() {
			ctx, notices := WithNotices(context.Background())
			if _, err := c.GetDomain(ctx, name); err != nil {
				t.Error(err)
			}
			if notices.PairRetired() {
				told.Add(1)
			}
		})
	}
	wg.Wait()
	return int(told.Load())
}

func TestRegeneratingTheConfiguredPairIsNoticedOnce(t *testing.T) {
	emu, base, name, sess := startWithPair(t)
	emu.ExpireAccessTokens()
	c := newTokenClient(t, base, sess)
	if n := countRetiredNotices(t, c, name, 8); n != 1 {
		t.Fatalf("%d of 8 concurrent calls were told the configured pair was retired, want exactly the one whose call regenerated it", n)
	}
	emu.ExpireAccessTokens() // the new pair's regeneration retires nothing configured
	if n := countRetiredNotices(t, c, name, 4); n != 0 {
		t.Fatalf("%d calls told again after the process's own pair was regenerated", n)
	}
	if s := emu.Stats(); s.Regenerations != 2 {
		t.Fatalf("want two regenerations, so that the second proves nothing is told again: %+v", s)
	}
}

func TestAConfiguredPairRegeneratedLaterInTheProcessIsNoticed(t *testing.T) {
	emu, base, name, sess := startWithPair(t)
	c := newTokenClient(t, base, sess)
	if n := countRetiredNotices(t, c, name, 1); n != 0 {
		t.Fatal("a validated pair is not retired")
	}
	emu.ExpireAccessTokens() // the next call's 401 regenerates the configured pair
	if n := countRetiredNotices(t, c, name, 1); n != 1 {
		t.Fatal("the call that regenerated the configured pair was not told")
	}
}

func TestAPasswordMakesARetiredPairHarmless(t *testing.T) {
	emu, base, name, sess := startWithPair(t)
	emu.ExpireAccessTokens()
	c, err := New(Config{
		BaseURL: base, Email: emulator.DemoEmail, Password: emulator.DemoPassword, OrganisationDomain: emulator.DemoOrganisationDomain,
		AccessToken: sess.AccessToken, RefreshToken: sess.RefreshToken, AddonUniqueName: AddonLiveChat,
	})
	if err != nil {
		t.Fatal(err)
	}
	if n := countRetiredNotices(t, c, name, 1); n != 0 {
		t.Fatal("told of a retired pair although later processes log in with the password")
	}
	if s := emu.Stats(); s.Regenerations != 1 {
		t.Fatalf("the configured pair was not regenerated, so the test proves nothing: %+v", s)
	}
}

func TestALaterProcessIsToldThePairWasRetired(t *testing.T) {
	emu, base, name, sess := startWithPair(t)
	emu.ExpireAccessTokens()
	// The plan phase: its own process regenerates the configured pair.
	if _, err := newTokenClient(t, base, sess).GetDomain(context.Background(), name); err != nil {
		t.Fatal(err)
	}
	// The apply phase starts again from the configured pair.
	_, err := newTokenClient(t, base, sess).GetDomain(context.Background(), name)
	if !errors.Is(err, ErrUnauthorized) {
		t.Fatalf("got %v, want a final authentication failure", err)
	}
	msg := err.Error()
	for _, want := range []string{
		"could not regenerate the configured access_token and refresh_token",
		"the configured token pair was retired or has expired",
		"most likely another process regenerated it",
		"Issue a new pair for each run",
	} {
		if !strings.Contains(msg, want) {
			t.Errorf("the error lacks %q:\n%s", want, msg)
		}
	}
	if strings.Contains(msg, "may have expired") {
		t.Errorf("the error leads with expiry, not with the rotation that retired the pair:\n%s", msg)
	}
}
