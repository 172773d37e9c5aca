package chatwhizz

// The widget visibility call (the seller-buyer page of the reference): its
// request, and what the client reads from the envelopes a server may answer it
// with (chatwhizz-api.md section 7).

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
)

func TestCheckWidgetVisibilityRequest(t *testing.T) {
	var seen string
	c := fakeServer(t, func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		seen = r.Method + " " + r.URL.EscapedPath() + " " + r.Header.Get("Content-Type") + " " + string(body)
		_, _ = io.WriteString(w, `{"type":"success","data":{"isWidgetVisible":true}}`)
	})
	if _, err := c.CheckWidgetVisibility(context.Background(), "shop.example.com"); err != nil {
		t.Fatal(err)
	}
	if want := `POST /admin/check-widget-visiblity application/json {"domain_name":"shop.example.com"}`; seen != want {
		t.Fatalf("request:\n%s\nwant:\n%s", seen, want)
	}
}

func TestCheckWidgetVisibilityAnswers(t *testing.T) {
	cases := []struct {
		name   string
		answer reply
		want   WidgetVisibility
	}{
		{"type success", reply{200, `{"type":"success","data":{"isWidgetVisible":true}}`}, WidgetVisibility{Visible: true}},
		{"type success, hidden", reply{200, `{"type":"success","data":{"isWidgetVisible":false,"reason":"No operator online"}}`}, WidgetVisibility{Reason: "No operator online"}},
		{"type in capitals", reply{200, `{"type":"SUCCESS","data":{"isWidgetVisible":false,"reason":"Domain is inactive"}}`}, WidgetVisibility{Reason: "Domain is inactive"}},
		{"status envelope", reply{200, `{"status":1,"data":{"isWidgetVisible":true}}`}, WidgetVisibility{Visible: true}},
		{"status and type", reply{200, `{"status":"1","type":"success","data":{"isWidgetVisible":"false","reason":"Hidden"}}`}, WidgetVisibility{Reason: "Hidden"}},
		{"string true", reply{200, `{"type":"success","data":{"isWidgetVisible":"true"}}`}, WidgetVisibility{Visible: true}},
		{"string false", reply{200, `{"type":"success","data":{"isWidgetVisible":"false","reason":"No plan"}}`}, WidgetVisibility{Reason: "No plan"}},
		{"hidden without a reason", reply{200, `{"type":"success","data":{"isWidgetVisible":false}}`}, WidgetVisibility{}},
		{"a reason beside a visible widget is not one", reply{200, `{"type":"success","data":{"isWidgetVisible":true,"reason":"Widget is visible"}}`}, WidgetVisibility{Visible: true}},
		{"extra fields", reply{200, `{"type":"success","message":"ok","data":{"isWidgetVisible":1,"reason":null,"checkedAt":"2024"}}`}, WidgetVisibility{Visible: true}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			v, err := askWidget(t, tc.answer)
			if err != nil {
				t.Fatal(err)
			}
			if *v != tc.want {
				t.Fatalf("got %+v, want %+v", v, tc.want)
			}
		})
	}
}

func TestCheckWidgetVisibilityFailures(t *testing.T) {
	cases := []struct {
		name     string
		answer   reply
		message  string
		notFound bool
	}{
		{"type failure", reply{200, `{"type":"failure","message":"Widget check is not available for this addon"}`}, "Widget check is not available for this addon", false},
		{"type error in capitals", reply{400, `{"type":"Error","message":"domain_name is required"}`}, "domain_name is required", false},
		{"status 0", reply{200, `{"status":0,"message":"refused"}`}, "refused", false},
		{"status 0 beside type success", reply{200, `{"status":0,"type":"success","message":"refused","data":{"isWidgetVisible":true}}`}, "refused", false},
		{"type failure beside status 1", reply{200, `{"status":1,"type":"failure","message":"refused","data":{"isWidgetVisible":true}}`}, "refused", false},
		{"error object", reply{200, `{"type":"failure","error":{"message":"bad domain"}}`}, "bad domain", false},
		{"not found, type failure on HTTP 200", reply{200, `{"type":"failure","message":"Domain not found"}`}, "Domain not found", true},
		{"not found, 404", reply{404, `{"type":"failure","message":"nope"}`}, "nope", true},
		{"does not exist, status 0", reply{400, `{"status":0,"message":"Domain does not exist"}`}, "Domain does not exist", true},
		{"no data", reply{200, `{"type":"success"}`}, "the answer has no data", false},
		{"null data", reply{200, `{"type":"success","data":null}`}, "the answer has no data", false},
		{"data without isWidgetVisible", reply{200, `{"type":"success","data":{"reason":"x"}}`}, "no isWidgetVisible", false},
		{"isWidgetVisible unreadable", reply{200, `{"type":"success","data":{"isWidgetVisible":"maybe"}}`}, "cannot read", false},
		{"unknown type, no status", reply{200, `{"type":"info","data":{"isWidgetVisible":true}}`}, "the answer has no status", false},
		{"proxy HTML", reply{502, `<html><body>Bad Gateway</body></html>`}, "the answer is not JSON: <html><body>Bad Gateway</body></html>", false},
		{"proxy 404 page", reply{404, `<html><title>404 Not Found</title></html>`}, "the answer is not JSON", false},
		{"empty body", reply{200, ``}, "(empty body)", false},
		{"framework 404", reply{404, `{"statusCode":404,"message":"Cannot POST /admin/check-widget-visiblity","error":"Not Found"}`}, "Cannot POST", false},
		{"401 saying not found", reply{401, `{"type":"failure","message":"Domain not found"}`}, "Domain not found", false},
		{"token not found on HTTP 200", reply{200, `{"type":"failure","message":"Access token not found"}`}, "Access token not found", false},
		{"403 not found", reply{403, `{"type":"failure","message":"Addon not found"}`}, "Addon not found", false},
		{"500 not found", reply{500, `{"type":"error","message":"upstream not found"}`}, "upstream not found", false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			v, err := askWidget(t, tc.answer)
			var apiErr *APIError
			if !errors.As(err, &apiErr) {
				t.Fatalf("want an *APIError, got %+v, %v", v, err)
			}
			if !strings.Contains(apiErr.Message, tc.message) {
				t.Errorf("message %q, want it to contain %q", apiErr.Message, tc.message)
			}
			if errors.Is(err, ErrNotFound) != tc.notFound {
				t.Errorf("%v: notFound=%t, want %t", err, errors.Is(err, ErrNotFound), tc.notFound)
			}
			if errors.Is(err, ErrConflict) {
				t.Errorf("%v reads as a conflict", err)
			}
		})
	}
}

// askWidget asks a server that gives answer whether the widget shows on a
// domain.
func askWidget(t *testing.T, answer reply) (*WidgetVisibility, error) {
	c := fakeServer(t, func(w http.ResponseWriter, _ *http.Request) { answer.write(w) })
	return c.CheckWidgetVisibility(context.Background(), "shop.example.com")
}

// TestTypeIsReadOnlyWhereTheCallAnswersWithIt: the other calls keep section
// 5's rule, where only status says success.
func TestTypeIsReadOnlyWhereTheCallAnswersWithIt(t *testing.T) {
	c := fakeServer(t, answer(`{"type":"success","data":{"name":"shop.example.com","email":"e@x.io","status":true}}`))
	if _, err := c.GetDomain(context.Background(), "shop.example.com"); err == nil || !strings.Contains(err.Error(), "the answer has no status") {
		t.Fatalf("got %v", err)
	}
	c = fakeServer(t, answer(`{"status":1,"type":"error","data":{"name":"shop.example.com","email":"e@x.io","status":true}}`))
	if _, err := c.GetDomain(context.Background(), "shop.example.com"); err != nil {
		t.Fatalf("a domain read decides on status alone: %v", err)
	}
}
