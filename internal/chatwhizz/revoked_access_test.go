package chatwhizz

// A 401 to every object call, with working token calls, is revoked API
// access, not an expired token: one renewal shows it, and no call renews
// again.

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
)

// tokenServer hands out a new access token at each login or regeneration
// ("acc1", "acc2", ...) and accepts on object calls only the tokens that
// accepts says it does.
type tokenServer struct {
	issued, regenerations atomic.Int32
	accepts               func(token string) bool
}

func (s *tokenServer) start(t *testing.T) *Client {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/admin/access-token/regenerate":
			s.regenerations.Add(1)
			fallthrough
		case "/admin/access-token":
			_, _ = fmt.Fprintf(w, `{"status":1,"data":{"access_token":"acc%d","refresh_token":"ref","expire_in":3600}}`, s.issued.Add(1))
			return
		}
		if !s.accepts(r.Header.Get("access_token")) {
			w.WriteHeader(http.StatusUnauthorized)
			_, _ = io.WriteString(w, `{"status":0,"message":"Access token not found"}`)
			return
		}
		_, _ = io.WriteString(w, `{"status":1,"data":{"name":"a.io","email":"e@x.io","status":true}}`)
	}))
	t.Cleanup(srv.Close)
	c, err := New(Config{BaseURL: srv.URL, Email: "a@b.co", Password: "pw", OrganisationDomain: "acme", AddonUniqueName: AddonLiveChat})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestRevokedAccessCostsOneRenewal(t *testing.T) {
	s := &tokenServer{accepts: func(string) bool { return false }}
	c := s.start(t)
	var wg sync.WaitGroup
	errs := make(chan error, 10)
	for range 5 {
		wg.Go(func() {
			_, err := c.GetDomain(context.Background(), "a.io")
			errs <- err
		})
	}
	wg.Wait()
	for range 5 {
		_, err := c.GetDomain(context.Background(), "a.io")
		errs <- err
	}
	close(errs)
	for err := range errs {
		if !errors.Is(err, ErrUnauthorized) {
			t.Fatalf("got %v, want the 401", err)
		}
	}
	if n := s.regenerations.Load(); n != 1 {
		t.Fatalf("%d regenerations for 10 calls refused 401, want 1", n)
	}
}

// A token renewed after a 401 that the API then accepted is renewed again
// when a later 401 refuses it: it expired.
func TestARenewedTokenThatWorkedIsRenewedAgain(t *testing.T) {
	var valid atomic.Value
	valid.Store("acc2") // the login's acc1 is refused at once
	s := &tokenServer{accepts: func(token string) bool { return token == valid.Load() }}
	c := s.start(t)
	if _, err := c.GetDomain(context.Background(), "a.io"); err != nil {
		t.Fatal(err)
	}
	valid.Store("acc3") // acc2 expires
	if _, err := c.GetDomain(context.Background(), "a.io"); err != nil {
		t.Fatal(err)
	}
	if n := s.regenerations.Load(); n != 2 {
		t.Fatalf("%d regenerations, want 2", n)
	}
}
