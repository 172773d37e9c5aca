package chatwhizz

// What the documentation promises about the network around the client: a
// proxy named by HTTPS_PROXY is used, and a private CA named by
// SSL_CERT_FILE is trusted.

import (
	"context"
	"encoding/pem"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// proxyChildEnv marks the child process of TestHonoursHTTPSProxyAndCustomCA.
const proxyChildEnv = "CHATWHIZZ_TEST_PROXY_CHILD"

// tunnelledBaseURL is a host only the test proxy can reach: it tunnels every
// CONNECT to the test's API server, whose certificate names *.example.com.
const tunnelledBaseURL = "https://api.example.com/"

// TestHonoursHTTPSProxyAndCustomCA logs in to an https base URL through the
// proxy named by HTTPS_PROXY, trusting the server's certificate only
// because SSL_CERT_FILE, or SSL_CERT_DIR, names it. Go reads these variables
// once per process, so the client runs in a child process of this test
// binary with them set.
func TestHonoursHTTPSProxyAndCustomCA(t *testing.T) {
	if os.Getenv(proxyChildEnv) == "1" {
		logInThroughTheEnvironment(t)
		return
	}
	api := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"status":1,"data":{"access_token":"acc","refresh_token":"ref","expire_in":3600,"organisation_domain":"acme"}}`)
	}))
	defer api.Close()

	caDir := t.TempDir()
	certFile := filepath.Join(caDir, "ca.pem")
	caPEM := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: api.Certificate().Raw})
	if err := os.WriteFile(certFile, caPEM, 0o600); err != nil {
		t.Fatal(err)
	}

	for _, trust := range []string{"SSL_CERT_FILE=" + certFile, "SSL_CERT_DIR=" + caDir} {
		t.Run(trust[:strings.Index(trust, "=")], func(t *testing.T) {
			proxy, tunnels := startTunnellingProxy(t, api.Listener.Addr().String())
			child := exec.Command(os.Args[0], "-test.run=^TestHonoursHTTPSProxyAndCustomCA$", "-test.count=1")
			child.Env = append(environWithoutProxies(), proxyChildEnv+"=1", "HTTPS_PROXY="+proxy.URL, trust)
			out, err := child.CombinedOutput()
			if err != nil {
				t.Fatalf("the login through HTTPS_PROXY with %s failed: %v\n%s", trust, err, out)
			}
			if got := tunnels(); len(got) != 1 || got[0] != "api.example.com:443" {
				t.Fatalf("the proxy was asked to tunnel to %q, want one tunnel to api.example.com:443", got)
			}
		})
	}
}

func logInThroughTheEnvironment(t *testing.T) {
	c, err := New(Config{
		BaseURL: tunnelledBaseURL, Email: "a@b.co", Password: "pw", OrganisationDomain: "acme",
		AddonUniqueName: AddonLiveChat, MaxRetries: new(0),
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.AccessToken(context.Background()); err != nil {
		t.Fatal(err)
	}
}

// startTunnellingProxy is an HTTP proxy that answers every CONNECT by
// tunnelling to target, whatever host was asked for; tunnels lists the
// hosts asked for.
func startTunnellingProxy(t *testing.T, target string) (*httptest.Server, func() []string) {
	t.Helper()
	var mu sync.Mutex
	var asked []string
	proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodConnect {
			http.Error(w, "only CONNECT", http.StatusMethodNotAllowed)
			return
		}
		mu.Lock()
		asked = append(asked, r.Host)
		mu.Unlock()
		upstream, err := net.Dial("tcp", target)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		defer upstream.Close()
		hijacker, ok := w.(http.Hijacker)
		if !ok {
			return
		}
		conn, buffered, err := hijacker.Hijack()
		if err != nil {
			return
		}
		defer conn.Close()
		_, _ = io.WriteString(conn, "HTTP/1.1 200 Connection Established\r\n\r\n")
		go func() { _, _ = io.Copy(upstream, buffered) }()
		_, _ = io.Copy(conn, upstream)
	}))
	t.Cleanup(proxy.Close)
	return proxy, func() []string {
		mu.Lock()
		defer mu.Unlock()
		return append([]string(nil), asked...)
	}
}

// environWithoutProxies is this process's environment without the proxy
// and CA variables, which the test sets itself.
func environWithoutProxies() []string {
	var env []string
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		switch strings.ToUpper(name) {
		case "HTTPS_PROXY", "HTTP_PROXY", "NO_PROXY", "SSL_CERT_FILE", "SSL_CERT_DIR":
			continue
		}
		env = append(env, kv)
	}
	return env
}
