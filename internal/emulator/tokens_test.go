package emulator_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chatwhizz/terraform-provider-chatwhizz/internal/emulator"
)

// loginPathWith is the path of orgA's login on the live chat addon with the query
// parameter k set to val, or left out when val is "".
func loginPathWith(k, val string) string {
	q := url.Values{
		"email":               {orgA.Email},
		"password":            {orgA.Password},
		"organisation_domain": {orgA.Domain},
		"addon_unique_name":   {live},
	}
	if val == "" {
		q.Del(k)
	} else {
		q.Set(k, val)
	}
	return "admin/access-token?" + q.Encode()
}

func TestLogin(t *testing.T) {
	v := newEnv(t, emulator.Knobs{})
	tests := []struct {
		name string
		path string
		code int
		msg  string
	}{
		{"ok", loginPathWith("email", orgA.Email), 200, ""},
		{"email case-insensitive", loginPathWith("email", strings.ToUpper(orgA.Email)), 200, ""},
		{"seller-buyer addon", loginPathWith("addon_unique_name", seller), 200, ""},
		{"wrong password", loginPathWith("password", "nope"), 401, "invalid credentials"},
		{"password of another org", loginPathWith("password", orgB.Password), 401, "invalid credentials"},
		{"wrong email", loginPathWith("email", "x@acme.example"), 401, "invalid credentials"},
		{"unknown organisation", loginPathWith("organisation_domain", "nope"), 401, "invalid credentials"},
		{"missing email", loginPathWith("email", ""), 400, "email is required"},
		{"missing password", loginPathWith("password", ""), 400, "password is required"},
		{"missing organisation_domain", loginPathWith("organisation_domain", ""), 400, "organisation_domain is required"},
		{"missing addon", loginPathWith("addon_unique_name", ""), 400, "addon_unique_name is required"},
		{"unknown addon", loginPathWith("addon_unique_name", "video"), 400, `addon "video" is not enabled`},
		{"unknown query parameter", loginPathWith("email", orgA.Email) + "&x=1", 400, `unknown query parameter "x"`},
		{"addon not enabled", "admin/access-token?" + url.Values{
			"email": {orgB.Email}, "password": {orgB.Password}, "organisation_domain": {orgB.Domain}, "addon_unique_name": {seller},
		}.Encode(), 400, `addon "seller_buyer_chat_System" is not enabled for organisation "bravo"`},
	}
	oks := 0
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := v.in(t)
			r := v.do(http.MethodGet, tt.path, "", nil)
			if tt.code != 200 {
				r.fails(t, tt.code, tt.msg)
				return
			}
			oks++
			d := r.ok(t)
			wantKeys(t, d, "access_token", "refresh_token", "expire_in", "organisation_domain")
			if d["expire_in"] != 3600.0 || d["organisation_domain"] != "acme" || len(str(t, d["access_token"])) != 64 {
				t.Fatalf("data %v", d)
			}
		})
	}
	if s := v.e.Stats(); s.Logins != oks || s.Requests["GET admin/access-token"] != len(tests) {
		t.Fatalf("stats %+v, want %d logins and %d requests", s, oks, len(tests))
	}
}

// TestLoginUserNotFoundKnob: the knob makes a login with good credentials
// answer as real services answer an unknown email, until it is turned off.
func TestLoginUserNotFoundKnob(t *testing.T) {
	v, tok := newEnvLoggedIn(t, live)
	r := v.do(http.MethodPut, "_emulator/knobs", "", map[string]any{"login_user_not_found": true})
	if r.code != 200 || r.body["login_user_not_found"] != true {
		t.Fatalf("put knobs %d %v", r.code, r.body)
	}
	v.do(http.MethodGet, loginPath(orgA, live), "", nil).fails(t, 404, "User not found for this organisation")
	// Tokens issued before keep working: only the login answers 404.
	v.do(http.MethodGet, "admin/domain/none.acme.example", tok, nil).fails(t, 404, "not found")
	v.e.SetKnobs(emulator.Knobs{})
	v.login(orgA, live)
}

func TestLoginIssuesANewPairEachTimeAndKeepsTheOld(t *testing.T) {
	v := newEnv(t, emulator.Knobs{})
	a1, r1 := v.login(orgA, live)
	a2, r2 := v.login(orgA, live)
	if a1 == a2 || r1 == r2 {
		t.Fatal("a second login returned the same tokens")
	}
	v.createOperator(a1, "one@acme.example")
	v.createOperator(a2, "two@acme.example")
}

func TestValidate(t *testing.T) {
	v := newEnv(t, emulator.Knobs{})
	a1, r1 := v.login(orgA, live)
	a2, r2 := v.login(orgA, live)
	as, rs := v.login(orgA, seller)
	body := func(a, r, addon string) map[string]any {
		return map[string]any{"access_token": a, "refresh_token": r, "addon_unique_name": addon}
	}
	tests := []struct {
		name string
		body any
		code int
		msg  string
	}{
		{"ok", body(a1, r1, live), 200, ""},
		{"ok seller-buyer", body(as, rs, seller), 200, ""},
		{"mismatched pair", body(a1, r2, live), 401, "does not belong"},
		{"mismatched pair across addons", body(a2, rs, live), 401, "does not belong"},
		{"wrong addon", body(a1, r1, seller), 401, `not issued for addon "seller_buyer_chat_System"`},
		{"unknown access token", body("00", r1, live), 401, "invalid access token"},
		{"missing access token", map[string]any{"refresh_token": r1, "addon_unique_name": live}, 400, "access_token is required"},
		{"missing refresh token", map[string]any{"access_token": a1, "addon_unique_name": live}, 400, "refresh_token is required"},
		{"missing addon", map[string]any{"access_token": a1, "refresh_token": r1}, 400, "addon_unique_name is required"},
		{"unknown field", `{"access_token":"a","refresh_token":"r","addon_unique_name":"live_chat","x":1}`, 400, `unknown field "x"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := v.in(t)
			r := v.do(http.MethodPost, "admin/access-token/validate", "", tt.body)
			if tt.code != 200 {
				r.fails(t, tt.code, tt.msg)
				return
			}
			d := r.ok(t)
			wantKeys(t, d, "access_token", "refresh_token", "expire_in", "organisation_domain")
			if e := d["expire_in"]; e != 3600.0 && e != 3599.0 {
				t.Fatalf("expire_in %v", e)
			}
		})
	}
	if got := v.e.Stats().Validations; got != 2 {
		t.Fatalf("validations %d, want 2", got)
	}

	v.e.ExpireAccessTokens()
	v.do(http.MethodPost, "admin/access-token/validate", "", body(a1, r1, live)).fails(t, 401, "access token expired")
}

func TestRegenerateRotates(t *testing.T) {
	v := newEnv(t, emulator.Knobs{})
	regen := func(a, r string) reply {
		return v.do(http.MethodPost, "admin/access-token/regenerate", "", map[string]any{"access_token": a, "refresh_token": r})
	}
	a1, r1 := v.login(orgA, live)
	a2, r2 := v.login(orgA, live)

	regen(a1, r2).fails(t, 401, "does not belong")
	regen(a1, "").fails(t, 400, "refresh_token is required")

	d := regen(a1, r1).ok(t)
	wantKeys(t, d, "access_token", "refresh_token", "expire_in", "organisation_domain")
	n1, nr1 := str(t, d["access_token"]), str(t, d["refresh_token"])
	if n1 == a1 || nr1 == r1 || d["organisation_domain"] != "acme" || d["expire_in"] != 3600.0 {
		t.Fatalf("regenerate returned %v", d)
	}
	// The old pair is dead at once, for calls and for another regeneration.
	v.do(http.MethodGet, "admin/domain/x.example", a1, nil).fails(t, 401, "invalid access token")
	regen(a1, r1).fails(t, 401, "invalid access token")
	v.createOperator(n1, "new@acme.example")
	v.createOperator(a2, "other-pair@acme.example") // other pairs are untouched

	// An expired access token can still be regenerated with its refresh token.
	v.e.ExpireAccessTokens()
	v.do(http.MethodPost, "admin/operator/create", n1, map[string]any{"email": "x@acme.example"}).fails(t, 401, "access token expired")
	d = regen(n1, nr1).ok(t)
	n2, nr2 := str(t, d["access_token"]), str(t, d["refresh_token"])
	v.createOperator(n2, "after-expiry@acme.example")

	// Once the refresh token is dead only a new login helps.
	v.e.ExpireRefreshTokens()
	regen(n2, nr2).fails(t, 401, "refresh token expired")
	v.do(http.MethodPost, "admin/operator/create", n2, map[string]any{"email": "x@acme.example"}).fails(t, 401, "access token expired")
	a3, _ := v.login(orgA, live)
	v.createOperator(a3, "relogin@acme.example")

	if s := v.e.Stats(); s.Regenerations != 2 || s.Requests["POST admin/access-token/regenerate"] != 6 {
		t.Fatalf("stats %+v", s)
	}
}

func TestAccessTokenHeaderAndExpiry(t *testing.T) {
	v := newEnv(t, emulator.Knobs{AccessTokenTTL: 2 * time.Second})
	d := v.do(http.MethodGet, loginPath(orgA, live), "", nil).ok(t)
	if d["expire_in"] != 2.0 {
		t.Fatalf("expire_in %v, want 2", d["expire_in"])
	}
	tok := str(t, d["access_token"])

	v.do(http.MethodGet, "admin/domain/x.example", "", nil).fails(t, 401, "access token missing")
	v.do(http.MethodGet, "admin/domain/x.example", "deadbeef", nil).fails(t, 401, "invalid access token")
	v.do(http.MethodGet, "admin/domain/x.example", tok, nil).fails(t, 404, `domain "x.example" not found`)

	// The canonical Go spelling of the header works too.
	if r := v.canonical().do(http.MethodGet, "admin/domain/x.example", tok, nil); r.code != http.StatusNotFound {
		t.Fatalf("canonical header: %d", r.code)
	}

	v.e.ExpireAccessTokens()
	v.do(http.MethodGet, "admin/domain/x.example", tok, nil).fails(t, 401, "access token expired")

	// SetKnobs changes the lifetime of tokens issued afterwards.
	v.e.SetKnobs(emulator.Knobs{AccessTokenTTL: 90 * time.Second})
	if d := v.do(http.MethodGet, loginPath(orgA, live), "", nil).ok(t); d["expire_in"] != 90.0 {
		t.Fatalf("expire_in %v, want 90", d["expire_in"])
	}
	if k := v.e.Knobs(); k.RefreshTokenTTL != 30*24*time.Hour {
		t.Fatalf("zero refresh TTL not defaulted: %+v", k)
	}
}

func TestIssuedTokensKeepsRotatedPairs(t *testing.T) {
	v := newEnv(t, emulator.Knobs{})
	access, refresh := v.login(orgA, live)
	v.do("POST", "admin/access-token/regenerate", "", map[string]any{"access_token": access, "refresh_token": refresh}).ok(t)
	got := v.e.IssuedTokens()
	if len(got) != 4 || got[0] != access || got[1] != refresh {
		t.Fatalf("%d tokens: %v", len(got), got)
	}
	v.e.Reset()
	if len(v.e.IssuedTokens()) != 0 {
		t.Fatal("Reset keeps tokens")
	}
}
