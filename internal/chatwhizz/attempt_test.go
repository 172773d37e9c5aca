package chatwhizz

// One attempt's steps, in order: a turn at the pace, the token in force,
// the exchange on the wire.

import (
	"context"
	"net/http"
	"sync"
	"testing"
	"time"
)

// sendTimes is a transport that notes when each request left, by path.
type sendTimes struct {
	mu   sync.Mutex
	at   []time.Time
	path []string
}

func (s *sendTimes) RoundTrip(r *http.Request) (*http.Response, error) {
	s.mu.Lock()
	s.at, s.path = append(s.at, time.Now()), append(s.path, r.URL.Path)
	s.mu.Unlock()
	return http.DefaultTransport.RoundTrip(r)
}

// The first call's turn comes before its token: the login that taking the
// token starts has a turn of its own, after which the call waits for the
// next one, so that a configured requests_per_second spaces the login and
// the call too.
func TestAnAttemptWhoseTokenWasRenewedWaitsForANewTurn(t *testing.T) {
	sent := &sendTimes{}
	const perSecond = 4
	c := fakeServerWith(t, answer(`{"status":1,"data":{"name":"a.io","email":"e@x.io","status":true}}`), func(c *Config) {
		c.RequestsPerSecond = perSecond
		c.HTTPClient = &http.Client{Transport: sent}
	})
	if _, err := c.GetDomain(context.Background(), "a.io"); err != nil {
		t.Fatal(err)
	}
	if len(sent.at) != 2 || sent.path[0] != "/admin/access-token" {
		t.Fatalf("sent %v, want the login then the read", sent.path)
	}
	spacing := time.Second / perSecond
	if gap := sent.at[1].Sub(sent.at[0]); gap < spacing-5*time.Millisecond {
		t.Fatalf("the read left %v after the login, want at least %v at %d per second", gap, spacing, perSecond)
	}
}
