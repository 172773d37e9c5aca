package chatwhizz

// The shared helpers of the client's tests: the emulator with the demo
// organisation, clients for it, and a fake server for the answers the
// emulator never gives.

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/chatwhizz/terraform-provider-chatwhizz/internal/emulator"
)

// startEmulator runs the strict emulator with the demo organisation and
// returns a password-configured client for it.
func startEmulator(t *testing.T, k emulator.Knobs) (*emulator.Emulator, string, *Client) {
	t.Helper()
	emu, base, stop := emulator.Start(k, emulator.DemoOrganisation())
	t.Cleanup(stop)
	return emu, base, newPasswordClient(t, base)
}

func newPasswordClient(t *testing.T, base string) *Client {
	t.Helper()
	c, err := New(Config{
		BaseURL: base, Email: emulator.DemoEmail, Password: emulator.DemoPassword,
		OrganisationDomain: emulator.DemoOrganisationDomain, AddonUniqueName: AddonLiveChat,
	})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func newTokenClient(t *testing.T, base string, s Session) *Client {
	t.Helper()
	c, err := New(Config{BaseURL: base, AccessToken: s.AccessToken, RefreshToken: s.RefreshToken, AddonUniqueName: AddonLiveChat})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func seedDomain(t *testing.T, c *Client) string {
	t.Helper()
	if _, err := c.CreateDomain(context.Background(), "token.example.com", "owner@example.com"); err != nil {
		t.Fatal(err)
	}
	return "token.example.com"
}

// startWithPair starts an emulator holding a domain, and hands out the token
// pair of a first client's login there, for a token client to start from.
func startWithPair(t *testing.T) (emu *emulator.Emulator, base, domain string, pair Session) {
	t.Helper()
	emu, base, first := startEmulator(t, emulator.Knobs{})
	domain = seedDomain(t, first)
	pair, err := first.AccessToken(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return emu, base, domain, pair
}

// fakeServer answers the three token calls and hands every other request to
// handle, so that each rule of DESIGN.md, "What the client tolerates", can be
// played by a server that is not our emulator.
func fakeServer(t *testing.T, handle http.HandlerFunc) *Client {
	t.Helper()
	return fakeServerWith(t, handle, func(*Config) {})
}

// fakeServerWith is fakeServer with a client configured by configure.
func fakeServerWith(t *testing.T, handle http.HandlerFunc, configure func(*Config)) *Client {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/admin/access-token", "/admin/access-token/validate", "/admin/access-token/regenerate":
			w.Header().Set("Content-Type", "application/json")
			_, _ = io.WriteString(w, `{"status":1,"data":{"access_token":"acc","refresh_token":"ref","expire_in":"3600","organisation_domain":"acme"}}`)
			return
		}
		if r.Header.Get("access_token") != "acc" {
			w.WriteHeader(401)
			_, _ = io.WriteString(w, `{"status":0,"message":"invalid access token"}`)
			return
		}
		handle(w, r)
	}))
	t.Cleanup(srv.Close)
	cfg := Config{
		BaseURL: srv.URL + "/", Email: "a@b.co", Password: "pw", OrganisationDomain: "acme",
		AddonUniqueName: AddonLiveChat, MaxRetries: new(3),
	}
	configure(&cfg)
	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func answer(body string) http.HandlerFunc {
	return func(w http.ResponseWriter, _ *http.Request) { _, _ = io.WriteString(w, body) }
}
