package chatwhizz

// Where credentials may go: redirects, logs, error messages, TLS and plain
// http, and configuration refused before any network call.

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/chatwhizz/terraform-provider-chatwhizz/internal/emulator"
)

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
	c, _ := New(Config{BaseURL: "http://127.0.0.1:1", Email: "a@b.co", Password: "SECRET-PASSWORD", OrganisationDomain: "o", AddonUniqueName: AddonLiveChat, MaxRetries: new(0)})
	_, err := c.GetDomain(context.Background(), "a.io")
	if err == nil || strings.Contains(err.Error(), "SECRET-PASSWORD") {
		t.Fatalf("got %v", err)
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

// TestSecretFieldsAreOneList: the client masks in its logs the same fields
// that the emulator masks in its own, and Secrets holds every secret setting.
func TestSecretFieldsAreOneList(t *testing.T) {
	if emu := slices.Sorted(slices.Values(emulator.SecretQueryFields)); !slices.Equal(SecretFields, emu) {
		t.Errorf("the client's secret fields %v, the emulator's %v", SecretFields, emu)
	}
	got := Config{Password: "p", AccessToken: "a", RefreshToken: "r", Email: "e@x.io", OrganisationDomain: "o"}.Secrets()
	if slices.Sort(got); !slices.Equal(got, []string{"a", "p", "r"}) {
		t.Errorf("Secrets() = %v, want the password and both tokens", got)
	}
}
