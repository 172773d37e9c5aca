package chatwhizz

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// reply is one canned answer: an HTTP status and a body.
type reply struct {
	status int
	body   string
}

func (rp reply) write(w http.ResponseWriter) {
	w.WriteHeader(rp.status)
	_, _ = io.WriteString(w, rp.body)
}

// Answers that arrive from somewhere other than the API's handling of an
// object: a login refusing a user, a wrong base_url, a proxy or a framework.
var foreignAnswers = map[string]reply{
	"user not found (404 JSON)":      {404, `{"status":0,"message":"User not found for this organisation"}`},
	"user not found on HTTP 200":     {200, `{"status":0,"message":"User not found"}`},
	"organisation does not exist":    {400, `{"status":0,"message":"Organisation does not exist"}`},
	"wrong credentials":              {401, `{"status":0,"message":"invalid credentials"}`},
	"route not found (404 JSON)":     {404, `{"status":0,"message":"route not found"}`},
	"proxy 404 page":                 {404, `<html><head><title>404 Not Found</title></head><body>Not Found</body></html>`},
	"website on HTTP 200":            {200, `<!doctype html><html><body>Welcome</body></html>`},
	"framework 404 without a status": {404, `{"statusCode":404,"message":"Cannot GET /admin/access-token","error":"Not Found"}`},
	"generic JSON 404":               {404, `{"message":"Not Found"}`},
	"empty 404":                      {404, ``},
	"proxy 502 saying not found":     {502, `<html><body>upstream not found</body></html>`},
}

// objectCalls are every call the provider reads "gone" or "taken" from.
var objectCalls = map[string]func(*Client) error{
	"GetDomain": func(c *Client) error { _, err := c.GetDomain(context.Background(), "shop.example.com"); return err },
	"UpdateDomain": func(c *Client) error {
		_, err := c.UpdateDomain(context.Background(), "shop.example.com", DomainUpdate{Active: new(false)})
		return err
	},
	"CreateDomain": func(c *Client) error {
		_, err := c.CreateDomain(context.Background(), "shop.example.com", "o@example.com")
		return err
	},
	"GetOperator": func(c *Client) error {
		_, err := c.GetOperator(context.Background(), "0123456789abcdef01234567")
		return err
	},
	"SetOperatorActive": func(c *Client) error {
		return c.SetOperatorActive(context.Background(), "0123456789abcdef01234567", false)
	},
	"CheckWidgetVisibility": func(c *Client) error {
		_, err := c.CheckWidgetVisibility(context.Background(), "shop.example.com")
		return err
	},
	"UpdateAssignment": func(c *Client) error {
		_, err := c.UpdateAssignment(context.Background(), "0123456789abcdef01234567", AssignmentUpdate{DomainName: "shop.example.com", OnlineStatus: new(false)})
		return err
	},
}

// TestTokenCallFailuresAreNeverNotFound: whatever the login, the validate
// call or the regeneration answers, a call about an object that needed it
// fails with an authentication error, never one that reads as "gone" or
// "taken"; a 404 or an answer that is not the API's names base_url.
func TestTokenCallFailuresAreNeverNotFound(t *testing.T) {
	for tokenCall, configure := range map[string]func(*Config){
		"login": func(*Config) {},
		"validate": func(cfg *Config) {
			cfg.Email, cfg.Password, cfg.OrganisationDomain, cfg.AccessToken, cfg.RefreshToken = "", "", "", "acc", "ref"
		},
	} {
		for name, rp := range foreignAnswers {
			t.Run(tokenCall+"/"+name, func(t *testing.T) {
				objectAnswered := 0
				srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					if strings.HasPrefix(r.URL.Path, "/admin/access-token") {
						rp.write(w)
						return
					}
					objectAnswered++
					reply{404, `{"status":0,"message":"not found"}`}.write(w)
				}))
				defer srv.Close()
				cfg := Config{BaseURL: srv.URL, Email: "a@b.co", Password: "pw", OrganisationDomain: "acme", AddonUniqueName: AddonLiveChat, MaxRetries: new(0)}
				configure(&cfg)
				c, err := New(cfg)
				if err != nil {
					t.Fatal(err)
				}
				for call, do := range objectCalls {
					err := do(c)
					var authErr *AuthError
					if !errors.As(err, &authErr) {
						t.Fatalf("%s: want an authentication error, got %v", call, err)
					}
					if errors.Is(err, ErrNotFound) || errors.Is(err, ErrConflict) {
						t.Fatalf("%s: a failed %s reads as not-found or conflict: %v", call, tokenCall, err)
					}
					pointsAtBaseURL := rp.status == 404 || !strings.HasPrefix(rp.body, `{"status"`)
					if rp.status >= 500 {
						pointsAtBaseURL = false // a passing failure: the next call tries again
					}
					if strings.Contains(err.Error(), "check base_url") != pointsAtBaseURL {
						t.Errorf("%s: mention of base_url should be %t: %v", call, pointsAtBaseURL, err)
					}
				}
				if objectAnswered != 0 {
					t.Errorf("%d object calls were sent without a token", objectAnswered)
				}
			})
		}
	}
}

// TestRegenerationFailureIsNeverNotFound: a token that expires mid-run and
// whose regeneration fails (refresh token dead, no password) never makes an
// object read as gone.
func TestRegenerationFailureIsNeverNotFound(t *testing.T) {
	for name, rp := range foreignAnswers {
		t.Run(name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				switch r.URL.Path {
				case "/admin/access-token/validate":
					reply{200, `{"status":1,"data":{"access_token":"acc","refresh_token":"ref","expire_in":3600}}`}.write(w)
				case "/admin/access-token/regenerate":
					rp.write(w)
				default:
					reply{401, `{"status":0,"message":"access token expired"}`}.write(w)
				}
			}))
			defer srv.Close()
			c, err := New(Config{BaseURL: srv.URL, AccessToken: "acc", RefreshToken: "ref", AddonUniqueName: AddonLiveChat, MaxRetries: new(0)})
			if err != nil {
				t.Fatal(err)
			}
			for call, do := range objectCalls {
				if err := do(c); err == nil || errors.Is(err, ErrNotFound) || errors.Is(err, ErrConflict) {
					t.Fatalf("%s: %v", call, err)
				}
			}
		})
	}
}

// TestObjectAnswerClassification: with an accepted token, only the API's own
// failure envelope can say that an object is missing or taken.
func TestObjectAnswerClassification(t *testing.T) {
	cases := []struct {
		name               string
		answer             reply
		notFound, conflict bool
	}{
		{"404 envelope", reply{404, `{"status":0,"message":"domain \"shop.example.com\" not found"}`}, true, false},
		{"404 envelope saying nothing", reply{404, `{"status":0,"message":"nope"}`}, true, false},
		{"user not found on an operator", reply{404, `{"status":0,"message":"User not found"}`}, true, false},
		{"does not exist on HTTP 200", reply{200, `{"status":0,"type":"error","message":"Domain does not exist"}`}, true, false},
		{"not found as status string", reply{400, `{"status":"0","message":"Operator Not Found"}`}, true, false},
		{"409 envelope", reply{409, `{"status":0,"message":"taken"}`}, false, true},
		{"already exists on HTTP 200", reply{200, `{"status":0,"message":"Domain already exists"}`}, false, true},
		{"bad input", reply{400, `{"status":0,"message":"domain_name is invalid"}`}, false, false},
		{"proxy 404 page", foreignAnswers["proxy 404 page"], false, false},
		{"framework 404 without a status", foreignAnswers["framework 404 without a status"], false, false},
		{"generic JSON 404", foreignAnswers["generic JSON 404"], false, false},
		{"empty 404", foreignAnswers["empty 404"], false, false},
		{"proxy 409 page", reply{409, `<html>Conflict</html>`}, false, false},
		// Answers that are not the API's verdict on the object, whatever
		// their words: the token refused, the call refused,
		// the server failing.
		{"401 saying the access token is not found", reply{401, `{"status":0,"message":"Access token not found"}`}, false, false},
		{"401 saying the domain is not found", reply{401, `{"status":0,"message":"Domain not found"}`}, false, false},
		{"401 saying it already exists", reply{401, `{"status":0,"message":"already exists"}`}, false, false},
		{"HTTP 200 saying the access token is not found", reply{200, `{"status":0,"message":"Access token not found"}`}, false, false},
		{"403 saying not found", reply{403, `{"status":0,"message":"Addon not found for this organisation"}`}, false, false},
		{"500 saying not found", reply{500, `{"status":0,"message":"upstream not found"}`}, false, false},
		{"502 envelope saying does not exist", reply{502, `{"status":0,"message":"backend does not exist"}`}, false, false},
		{"503 saying already exists", reply{503, `{"status":0,"message":"already exists"}`}, false, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := fakeServer(t, func(w http.ResponseWriter, _ *http.Request) { tc.answer.write(w) })
			for call, do := range objectCalls {
				err := do(c)
				if err == nil {
					t.Fatalf("%s: no error", call)
				}
				if errors.Is(err, ErrNotFound) != tc.notFound || errors.Is(err, ErrConflict) != tc.conflict {
					t.Errorf("%s: %v: notFound=%t conflict=%t, want %t %t", call, err, errors.Is(err, ErrNotFound), errors.Is(err, ErrConflict), tc.notFound, tc.conflict)
				}
			}
		})
	}
}
