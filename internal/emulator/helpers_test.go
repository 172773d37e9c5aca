package emulator_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/chatwhizz/terraform-provider-chatwhizz/internal/emulator"
)

const (
	live   = emulator.AddonLiveChat
	seller = emulator.AddonSellerBuyer
)

// Two tenants: acme has both addons, bravo only live chat.
var (
	orgA = emulator.Organisation{Domain: "acme", Email: "admin@acme.example", Password: "pa55-acme", Addons: []string{live, seller}}
	orgB = emulator.Organisation{Domain: "bravo", Email: "admin@bravo.example", Password: "pa55-bravo", Addons: []string{live}}
)

var hex24 = regexp.MustCompile(`^[0-9a-f]{24}$`)

// env is one emulator served over real HTTP.
type env struct {
	t    *testing.T
	e    *emulator.Emulator
	base string
	// canonicalHeader sends the token as Header.Set spells the header
	// (Access_token) rather than in the contract's lower case.
	canonicalHeader bool
}

func newEnv(t *testing.T, k emulator.Knobs) *env {
	t.Helper()
	e, base, stop := emulator.Start(k, orgA, orgB)
	t.Cleanup(stop)
	return &env{t: t, e: e, base: base}
}

// newEnvLoggedIn is a new env and an access token of orgA for addon: where
// most tests start.
func newEnvLoggedIn(t *testing.T, addon string) (*env, string) {
	t.Helper()
	v := newEnv(t, emulator.Knobs{})
	tok, _ := v.login(orgA, addon)
	return v, tok
}

// reply is a decoded answer.
type reply struct {
	code int
	hdr  http.Header
	body map[string]any
}

// rawBody is a request body sent verbatim with the given Content-Type ("" for
// none).
type rawBody struct{ contentType, text string }

// in returns the env reporting to t, for use inside a subtest.
func (v *env) in(t *testing.T) *env {
	c := *v
	c.t = t
	return &c
}

// canonical returns the env sending the token under the canonical Go
// spelling of its header.
func (v *env) canonical() *env {
	c := *v
	c.canonicalHeader = true
	return &c
}

// do sends a request and fails the test on a transport error.
func (v *env) do(method, path, token string, body any) reply {
	v.t.Helper()
	r, err := v.send(method, path, token, body)
	if err != nil {
		v.t.Fatal(err)
	}
	return r
}

// send sends a request; body is nil (none), a rawBody, a string (raw JSON) or
// a value to marshal. The token goes in the contract's lower-case header
// (see canonical for the other spelling). It does not touch the test, so
// goroutines may call it.
func (v *env) send(method, path, token string, body any) (reply, error) {
	var rd io.Reader
	ct := "application/json"
	switch b := body.(type) {
	case nil:
		ct = ""
	case rawBody:
		rd, ct = strings.NewReader(b.text), b.contentType
	case string:
		rd = strings.NewReader(b)
	default:
		j, err := json.Marshal(b)
		if err != nil {
			return reply{}, err
		}
		rd = bytes.NewReader(j)
	}
	req, err := http.NewRequest(method, v.base+path, rd)
	if err != nil {
		return reply{}, err
	}
	if ct != "" {
		req.Header.Set("Content-Type", ct)
	}
	switch {
	case token == "":
	case v.canonicalHeader:
		req.Header.Set("access_token", token)
	default:
		req.Header["access_token"] = []string{token}
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return reply{}, err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		return reply{}, err
	}
	if got := resp.Header.Get("Content-Type"); got != "application/json" {
		return reply{}, fmt.Errorf("%s %s: Content-Type %q", method, path, got)
	}
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		return reply{}, fmt.Errorf("%s %s: body is not a JSON object: %q", method, path, raw)
	}
	return reply{code: resp.StatusCode, hdr: resp.Header, body: m}, nil
}

func loginPath(o emulator.Organisation, addon string) string {
	return "admin/access-token?" + url.Values{
		"email":               {o.Email},
		"password":            {o.Password},
		"organisation_domain": {o.Domain},
		"addon_unique_name":   {addon},
	}.Encode()
}

// login returns a fresh access and refresh token.
func (v *env) login(o emulator.Organisation, addon string) (access, refresh string) {
	v.t.Helper()
	d := v.do(http.MethodGet, loginPath(o, addon), "", nil).ok(v.t)
	return str(v.t, d["access_token"]), str(v.t, d["refresh_token"])
}

func (v *env) createOperator(tok, email string) string {
	v.t.Helper()
	d := v.do(http.MethodPost, "admin/operator/create", tok, map[string]any{"email": email}).ok(v.t)
	return str(v.t, d["id"])
}

func (v *env) createDomain(tok, name string) map[string]any {
	v.t.Helper()
	return v.do(http.MethodPost, "admin/domain/create", tok, map[string]any{"domain_name": name, "email": "owner@" + name}).ok(v.t)
}

// domainPerAddon gives acme a domain under each addon, live.acme.example
// and seller.acme.example, and answers a token of acme under each addon and
// one of bravo under live chat, which sees neither domain.
func (v *env) domainPerAddon() (acmeLive, acmeSeller, bravoLive string) {
	v.t.Helper()
	acmeLive, _ = v.login(orgA, live)
	acmeSeller, _ = v.login(orgA, seller)
	bravoLive, _ = v.login(orgB, live)
	v.createDomain(acmeLive, "live.acme.example")
	v.createDomain(acmeSeller, "seller.acme.example")
	return acmeLive, acmeSeller, bravoLive
}

// ok checks a success answer and returns its data as an object.
func (r reply) ok(t *testing.T) map[string]any {
	t.Helper()
	r.okAny(t)
	return obj(t, r.body["data"])
}

// okAny checks a success answer, whatever its data.
func (r reply) okAny(t *testing.T) {
	t.Helper()
	if r.code != http.StatusOK || r.body["status"] != 1.0 {
		t.Fatalf("want success, got %d %v", r.code, r.body)
	}
	wantKeys(t, r.body, "status", "data")
}

// fails checks a failure answer of the contract's shape and code whose
// message contains msg.
func (r reply) fails(t *testing.T, code int, msg string) {
	t.Helper()
	if r.code != code {
		t.Fatalf("want %d, got %d %v", code, r.code, r.body)
	}
	wantKeys(t, r.body, "status", "type", "message")
	if r.body["status"] != 0.0 || r.body["type"] != "error" {
		t.Fatalf("bad failure body %v", r.body)
	}
	if m := str(t, r.body["message"]); !strings.Contains(m, msg) {
		t.Fatalf("message %q does not contain %q", m, msg)
	}
}

// wantKeys checks that an object has exactly the given keys.
func wantKeys(t *testing.T, m map[string]any, keys ...string) {
	t.Helper()
	var got []string
	for k := range m {
		got = append(got, k)
	}
	slices.Sort(got)
	slices.Sort(keys)
	if !slices.Equal(got, keys) {
		t.Fatalf("keys %v, want %v (in %v)", got, keys, m)
	}
}

func obj(t *testing.T, v any) map[string]any {
	t.Helper()
	m, ok := v.(map[string]any)
	if !ok {
		t.Fatalf("%v (%T) is not an object", v, v)
	}
	return m
}

func str(t *testing.T, v any) string {
	t.Helper()
	s, ok := v.(string)
	if !ok {
		t.Fatalf("%v (%T) is not a string", v, v)
	}
	return s
}
