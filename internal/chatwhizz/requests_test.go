package chatwhizz

// The requests the client sends: shapes, URLs and headers, as the contract
// pins them.

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestRequestShapes(t *testing.T) {
	var seen []string
	c := fakeServer(t, func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		seen = append(seen, r.Method+" "+r.URL.EscapedPath()+" "+r.Header.Get("Content-Type")+" "+string(body))
		switch {
		case strings.Contains(r.URL.Path, "operator/assign"):
			_, _ = io.WriteString(w, `{"status":1,"data":{"operators":{"name":"n","email":"e@x.io","userId":"u1","is_admin":"true"}}}`)
		default:
			_, _ = io.WriteString(w, `{"status":1,"data":{"name":"new.example.com","email":"e@x.io","status":true}}`)
		}
	})
	ctx := context.Background()
	if _, err := c.UpdateDomain(ctx, "old.example.com", DomainUpdate{Name: new("new.example.com"), Active: new(false)}); err != nil {
		t.Fatal(err)
	}
	a, err := c.AssignOperator(ctx, AssignInput{DomainName: "new.example.com", OperatorID: "u1", IsAdmin: new(true)})
	if err != nil || !a.IsAdmin || a.OperatorID != "u1" {
		t.Fatalf("%+v %v", a, err)
	}
	if _, err := c.GetOperator(ctx, "a b/c"); err == nil {
		t.Log("escaped segment accepted")
	}
	want := []string{
		`PUT /admin/domain/update/old.example.com application/json {"name":"new.example.com","status":false}`,
		`POST /admin/operator/assign application/json {"domain_name":"new.example.com","is_admin":true,"operator_id":"u1"}`,
		`GET /admin/operator/a%20b%2Fc  `,
	}
	if strings.Join(seen, "\n") != strings.Join(want, "\n") {
		t.Fatalf("requests:\n%s\nwant:\n%s", strings.Join(seen, "\n"), strings.Join(want, "\n"))
	}
}

func TestBaseURLJoinsWithOrWithoutSlash(t *testing.T) {
	for _, base := range []string{"https://h", "https://h/", "https://h/api/", "https://h/api"} {
		c, err := New(Config{BaseURL: base, AccessToken: "a", RefreshToken: "r", AddonUniqueName: AddonLiveChat})
		if err != nil {
			t.Fatal(err)
		}
		got := (&request{Endpoint: EndpointGetDomain, param: "x.io"}).url(c.transport.base)
		want := strings.TrimSuffix(base, "/") + "/admin/domain/x.io"
		if got != want {
			t.Errorf("%s: %s, want %s", base, got, want)
		}
	}
}

func TestUserAgentAndHeaders(t *testing.T) {
	var ua, tok string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/admin/access-token") {
			_, _ = io.WriteString(w, `{"status":1,"data":{"access_token":"acc","refresh_token":"ref","expire_in":60}}`)
			return
		}
		ua, tok = r.Header.Get("User-Agent"), r.Header.Get("access_token")
		_, _ = io.WriteString(w, `{"status":1,"data":{"name":"a.io","email":"e@x.io","status":true}}`)
	}))
	defer srv.Close()
	c, _ := New(Config{BaseURL: srv.URL, AccessToken: "acc", RefreshToken: "ref", AddonUniqueName: AddonLiveChat, UserAgent: "terraform-provider-chatwhizz/1.2.3"})
	if _, err := c.GetDomain(context.Background(), "a.io"); err != nil {
		t.Fatal(err)
	}
	if ua != "terraform-provider-chatwhizz/1.2.3" || tok != "acc" {
		t.Fatalf("ua=%q token=%q", ua, tok)
	}
}
