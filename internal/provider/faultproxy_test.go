package provider

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/chatwhizz/terraform-provider-chatwhizz/internal/chatwhizz"
)

// faultProxy stands between the provider and the server under test (the
// emulator, or a live server) and plays what a network or a gateway does to
// some answers: lose them after the server applied the request, replace
// them, or shorten them. It works the same in front of any server, so the
// tests that use it run in live mode too.
type faultProxy struct {
	url    string // the base URL to give the provider
	target string // the server's base URL, with its trailing slash

	mu     sync.Mutex
	faults []*fault
	seen   []seenRequest
}

// fault changes the answers of the requests it matches: method, and a path
// that starts with pathPrefix (after the base URL's path).
type fault struct {
	method, pathPrefix string
	times              int  // how many matching requests it takes; < 0: every one
	forward            bool // the request reaches the server (and is applied) first
	// answer is what the provider gets, given the server's answer (zero
	// when not forwarded).
	answer func(status int, body []byte) (int, []byte)
}

// seenRequest is a request the proxy passed on or answered.
type seenRequest struct {
	Method, Path string
	Body         map[string]any
}

func newFaultProxy(t *testing.T, target string) *faultProxy {
	t.Helper()
	p := &faultProxy{target: strings.TrimRight(target, "/") + "/"}
	srv := httptest.NewServer(http.HandlerFunc(p.serve))
	t.Cleanup(srv.Close)
	p.url = srv.URL + "/"
	return p
}

func (p *faultProxy) add(f *fault) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.faults = append(p.faults, f)
}

func (p *faultProxy) clear() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.faults = nil
}

// requests returns the requests seen so far with this method and path prefix.
func (p *faultProxy) requests(method, pathPrefix string) []seenRequest {
	p.mu.Lock()
	defer p.mu.Unlock()
	var out []seenRequest
	for _, r := range p.seen {
		if r.Method == method && strings.HasPrefix(r.Path, pathPrefix) {
			out = append(out, r)
		}
	}
	return out
}

func (p *faultProxy) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	path := "/" + strings.TrimPrefix(r.URL.Path, "/")
	seen := seenRequest{Method: r.Method, Path: path}
	_ = json.Unmarshal(body, &seen.Body)

	p.mu.Lock()
	p.seen = append(p.seen, seen)
	var f *fault
	for _, c := range p.faults {
		if c.times != 0 && c.method == r.Method && strings.HasPrefix(path, c.pathPrefix) {
			f = c
			if c.times > 0 {
				c.times--
			}
			break
		}
	}
	p.mu.Unlock()

	status, answer, header := 0, []byte(nil), http.Header{}
	if f == nil || f.forward {
		var err error
		if status, answer, header, err = p.forward(r, body); err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
	}
	if f != nil {
		status, answer = f.answer(status, answer)
		header = http.Header{}
	}
	for k, v := range header {
		w.Header()[k] = v
	}
	w.Header().Del("Content-Length") // the fault may have changed the body
	w.WriteHeader(status)
	_, _ = w.Write(answer)
}

func (p *faultProxy) forward(r *http.Request, body []byte) (int, []byte, http.Header, error) {
	u := p.target + strings.TrimPrefix(r.URL.Path, "/")
	if r.URL.RawQuery != "" {
		u += "?" + r.URL.RawQuery
	}
	req, err := http.NewRequestWithContext(r.Context(), r.Method, u, bytes.NewReader(body))
	if err != nil {
		return 0, nil, nil, err
	}
	req.Header = r.Header.Clone()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, nil, nil, err
	}
	defer resp.Body.Close()
	answer, err := io.ReadAll(resp.Body)
	return resp.StatusCode, answer, resp.Header, err
}

// badGateway is a gateway's page in place of the server's answer.
func badGateway(int, []byte) (int, []byte) {
	return http.StatusBadGateway, []byte("<html><body><h1>502 Bad Gateway</h1></body></html>")
}

// answering replaces the server's answer with a fixed one.
func answering(status int, body string) func(int, []byte) (int, []byte) {
	return func(int, []byte) (int, []byte) { return status, []byte(body) }
}

// withoutDataField removes one field from the data of a successful answer,
// as a server that answers only what changed does.
func withoutDataField(field string) func(int, []byte) (int, []byte) {
	return func(status int, body []byte) (int, []byte) {
		var env map[string]any
		if json.Unmarshal(body, &env) != nil {
			return status, body
		}
		if data, ok := env["data"].(map[string]any); ok {
			delete(data, field)
		}
		short, _ := json.Marshal(env)
		return status, short
	}
}

// refuseObjectCalls answers every request but the three token calls, as a
// server does when API access is revoked while the login still works.
func (p *faultProxy) refuseObjectCalls(status int, body string) {
	for _, e := range chatwhizz.Endpoints {
		switch e {
		case chatwhizz.EndpointLogin, chatwhizz.EndpointValidate, chatwhizz.EndpointRegenerate:
			continue
		}
		method, route, _ := strings.Cut(e.String(), " ")
		prefix, _, _ := strings.Cut(route, "{")
		p.add(&fault{method: method, pathPrefix: "/" + prefix, times: -1, answer: answering(status, body)})
	}
}
