package provider

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chatwhizz/terraform-provider-chatwhizz/internal/chatwhizz"
	"github.com/chatwhizz/terraform-provider-chatwhizz/internal/emulator"
)

// TestCLIRateLimitedServerIsPaced: against a server that admits 2 or 5
// requests a second for everyone, at Terraform's default parallelism of 10,
// apply, an empty plan and destroy all succeed: the client slows every call
// to the server's pace instead of failing the ones that met a 429.
func TestCLIRateLimitedServerIsPaced(t *testing.T) {
	for _, perSecond := range []int{2, 5} {
		t.Run(fmt.Sprintf("%d per second", perSecond), func(t *testing.T) {
			t.Parallel()
			org := newOwnEmulator(t, emulator.Knobs{RateLimit: perSecond}, "limit the rate on demand")
			const domains, operators = 2, 3
			w := newCLIWorkspace(t, org, fleetConfig(org, domains, operators))
			w.mustRun(t, "apply", "-auto-approve")
			assertFleetOnServer(t, org, domains, operators, true)
			w.assertEmptyPlan(t)
			w.mustRun(t, "destroy", "-auto-approve")
			assertFleetOnServer(t, org, domains, operators, false)
			if org.emu.Stats().Throttled == 0 {
				t.Errorf("the server never throttled at %d requests a second: the test proves nothing", perSecond)
			}
		})
	}
}

// TestCLIConfiguredRateIsACeilingThrough429s: with requests_per_second = 0.2
// (below the pace's floor of one request every two seconds), a server that
// answers two calls 429 with Retry-After: 1 never sees two calls closer
// than five seconds, not even the retries at the end of the pauses.
func TestCLIConfiguredRateIsACeilingThrough429s(t *testing.T) {
	t.Parallel()
	org, front := newThrottlingFront(t, map[int]string{2: "1", 3: "1"})
	w := newCLIWorkspace(t, org, tunedProvider(org, "requests_per_second = 0.2")+fmt.Sprintf(`
resource "chatwhizz_domain" "d" {
  name  = %q
  email = "owner@example.com"
}
resource "chatwhizz_operator" "o" {
  email = %q
}
`, org.domain("paced"), org.email("paced")))
	w.mustRun(t, "apply", "-auto-approve")
	if len(org.emu.Domains(org.Domain)) != 1 || len(org.emu.Operators(org.Domain)) != 1 {
		t.Fatal("the apply did not create the domain and the operator")
	}
	calls := front.calls()
	if len(calls) < 5 {
		t.Fatalf("%d calls, want the login, two creates and the retries of two 429s: %v", len(calls), calls)
	}
	t.Logf("calls: %v", calls)
	// The provider spaces requests from when it wrote each one; their arrival
	// here adds the scheduler's jitter (14 ms seen under -race on a loaded
	// 2-core machine). Pacing that breaks the ceiling is off by seconds.
	const ceiling, tolerance = 5 * time.Second, 50 * time.Millisecond
	for i := 1; i < len(calls); i++ {
		if gap := calls[i].at.Sub(calls[i-1].at); gap < ceiling-tolerance {
			t.Errorf("calls %d and %d (%s, %s) %v apart: closer than requests_per_second = 0.2 allows", i, i+1, calls[i-1].what, calls[i].what, gap.Round(time.Millisecond))
		}
	}
}

// TestCLIRequestTimeoutDoesNotCountRetryAfter: request_timeout = "2s" and no
// retries of failures, against a server whose first answer is a 429 with
// Retry-After: 5: the apply succeeds by waiting, since request_timeout bounds
// only the exchange on the wire.
func TestCLIRequestTimeoutDoesNotCountRetryAfter(t *testing.T) {
	t.Parallel()
	org, front := newThrottlingFront(t, map[int]string{1: "5"})
	w := newCLIWorkspace(t, org, tunedProvider(org, "request_timeout = \"2s\"\n  max_retries = 0")+fmt.Sprintf(`
resource "chatwhizz_domain" "d" {
  name  = %q
  email = "owner@example.com"
}
`, org.domain("waits")))
	w.mustRun(t, "apply", "-auto-approve")
	if len(org.emu.Domains(org.Domain)) != 1 {
		t.Fatal("the apply did not create the domain")
	}
	calls := front.calls()
	if len(calls) < 2 || calls[1].at.Sub(calls[0].at) < 5*time.Second {
		t.Fatalf("the call after the 429 did not wait out its Retry-After: %v", calls)
	}
}

// tunedProvider is the organisation's live_chat provider block with the
// tuning arguments in settings.
func tunedProvider(org *testOrg, settings string) string {
	block := org.providerBlock(chatwhizz.AddonLiveChat)
	end := strings.LastIndex(block, "}")
	return block[:end] + "  " + settings + "\n" + block[end:]
}

// throttlingFront stands in front of an emulator: it notes when each API
// call arrives and answers the ones its test picks 429 itself, so that a
// test can send 429s to a client paced slower than the emulator's rate
// limit can, and measure the client's pace on the server's side.
type throttlingFront struct {
	mu      sync.Mutex
	arrived []arrival
}

type arrival struct {
	at   time.Time
	what string
}

func (a arrival) String() string { return a.at.Format("15:04:05.000") + " " + a.what }

// newThrottlingFront starts an emulator behind a throttlingFront that answers
// the nth call (from 1) 429 with the Retry-After retryAfter[n], and an
// organisation reached through the front.
func newThrottlingFront(t *testing.T, retryAfter map[int]string) (*testOrg, *throttlingFront) {
	t.Helper()
	skipUnlessAcceptance(t)
	skipInLiveMode(t, "stand behind a server that answers chosen calls 429")
	emu := emulator.New(emulator.Knobs{})
	f := &throttlingFront{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f.mu.Lock()
		f.arrived = append(f.arrived, arrival{at: time.Now(), what: r.Method + " " + r.URL.Path})
		n := len(f.arrived)
		f.mu.Unlock()
		if wait, ok := retryAfter[n]; ok {
			w.Header().Set("Retry-After", wait)
			w.WriteHeader(http.StatusTooManyRequests)
			_, _ = io.WriteString(w, `{"status":0,"message":"rate limit exceeded"}`)
			return
		}
		emu.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return newTestOrgOn(t, emu, srv.URL+"/"), f
}

// calls returns the calls that arrived, in order.
func (f *throttlingFront) calls() []arrival {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.arrived)
}
