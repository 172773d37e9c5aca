package provider

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
)

// hostileServer logs in normally and answers every other call with answer.
func hostileServer(t *testing.T, answer http.HandlerFunc) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/admin/access-token" {
			_, _ = io.WriteString(w, `{"status":1,"data":{"access_token":"a","refresh_token":"r","expire_in":3600}}`)
			return
		}
		answer(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv.URL + "/"
}

// TestAccProvider_brokenServerAnswersAreClearErrors: each broken answer a
// real deployment might give becomes a diagnostic naming the object and
// quoting the server, never a panic or a silent success.
func TestAccProvider_brokenServerAnswersAreClearErrors(t *testing.T) {
	big := strings.Repeat("x", 2<<20)
	cases := []struct {
		name   string
		status int
		body   string
		want   string
	}{
		{"html error page", 502, "<html><body><h1>502 Bad Gateway</h1></body></html>", `HTTP 502: the answer is not JSON: <html><body><h1>502 Bad Gateway`},
		{"truncated json", 200, `{"status":1,"data":{"name":"shop.exa`, `HTTP 200: the answer is not JSON`},
		{"status 0 on HTTP 200", 200, `{"status":0,"type":"error","message":"Quota exceeded for organisation"}`, `HTTP 200: Quota exceeded for organisation`},
		{"status as a string", 200, `{"status":"error","message":"Internal failure"}`, `Internal failure`},
		{"no status at all", 200, `{"data":{"name":"shop.example.com"}}`, `the answer has no status`},
		{"oversized body", 200, `{"status":1,"data":{"name":"` + big + `"}}`, `the answer is larger than`},
		{"plain text 400", 400, "Bad Request", `HTTP 400: the answer is not JSON: Bad Request`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			base := hostileServer(t, func(w http.ResponseWriter, _ *http.Request) {
				w.WriteHeader(tc.status)
				_, _ = io.WriteString(w, tc.body)
			})
			resource.ParallelTest(t, resource.TestCase{
				PreCheck:                 func() { testAccPreCheck(t) },
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				Steps: []resource.TestStep{{
					Config: fmt.Sprintf(`
provider "chatwhizz" {
  base_url            = %q
  email               = "a@example.com"
  password            = "p"
  organisation_domain = "o"
  addon_unique_name   = "live_chat"
  max_retries         = 0
}
`, base) + readDomain("shop.example.com"),
					// The CLI wraps long lines: any space may be a line break.
					ExpectError: regexp.MustCompile(`(?s)Could not read domain "shop\.example\.com".*` + strings.ReplaceAll(tc.want, " ", `\s+`)),
				}},
			})
		})
	}
}

// TestCLIPlainHTTPToAnotherHostWarns: credentials must not cross a network
// unencrypted without the user being told.
func TestCLIPlainHTTPToAnotherHostWarns(t *testing.T) {
	w := newCLIWorkspace(t, nil, `
provider "chatwhizz" {
  base_url            = "http://chatwhizz.invalid/"
  email               = "a@example.com"
  password            = "p"
  organisation_domain = "o"
  addon_unique_name   = "live_chat"
}

resource "chatwhizz_domain" "shop" {
  name  = "shop.example.com"
  email = "owner@example.com"
}
`)
	out := w.mustRun(t, "plan")
	if !regexp.MustCompile(`(?s)Warning: Unencrypted connection.*base_url`).MatchString(out) {
		t.Fatalf("no warning about plain http:\n%s", out)
	}
}
