package chatwhizz

// What the client tolerates in the answers of a server that is not ours: the
// rules of DESIGN.md, "What the client tolerates", played by fake servers.

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
)

func TestToleratesStringsForNumbersAndBooleans(t *testing.T) {
	c := fakeServer(t, answer(`{"status":"1","data":{"_id":"abc","name":"Ann","email":"Ann@X.io","status":"2","operator":"false"}}`))
	op, err := c.GetOperator(context.Background(), "abc")
	if err != nil {
		t.Fatal(err)
	}
	if op.Presence != PresenceAway || op.Active || op.Email != "Ann@X.io" {
		t.Fatalf("got %+v", op)
	}
}

func TestToleratesEveryIDSpellingAndExtraFields(t *testing.T) {
	for _, body := range []string{
		`{"status":1,"data":{"id":"X1","name":"n","email":"e@x.io","addon_unique_name":"live_chat","createdAt":"2024","nested":{"a":[1]}}}`,
		`{"status":1,"data":{"_id":"X1","name":"n","email":"e@x.io"}}`,
		`{"status":1,"data":{"userId":"X1","name":"n","email":"e@x.io"},"extra":true}`,
		`{"status":1,"data":{"id":12,"name":"n","email":"e@x.io"}}`,
	} {
		want := "X1"
		if strings.Contains(body, `"id":12`) {
			want = "12"
		}
		c := fakeServer(t, answer(body))
		op, err := c.CreateOperator(context.Background(), CreateOperatorInput{Email: "e@x.io"})
		if err != nil {
			t.Fatalf("%s: %v", body, err)
		}
		if op.ID != want {
			t.Errorf("%s: id %q, want %q", body, op.ID, want)
		}
	}
}

func TestStatusZeroOnHTTP200IsAFailure(t *testing.T) {
	c := fakeServer(t, answer(`{"status":0,"type":"error","message":"Domain does not exist"}`))
	_, err := c.GetDomain(context.Background(), "shop.example.com")
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.Message != "Domain does not exist" || apiErr.StatusCode != 200 {
		t.Fatalf("got %v", err)
	}
	if !errors.Is(err, ErrNotFound) {
		t.Fatalf("a failure saying 'does not exist' must be a not-found: %v", err)
	}
}

func TestFailureStatusesAndMessages(t *testing.T) {
	cases := []struct {
		name     string
		status   int
		body     string
		notFound bool
		conflict bool
		message  string
	}{
		{"404", 404, `{"status":0,"message":"nope"}`, true, false, "nope"},
		{"not found text", 400, `{"status":0,"message":"Operator Not Found"}`, true, false, "Operator Not Found"},
		{"409", 409, `{"status":0,"message":"taken"}`, false, true, "taken"},
		{"error field", 400, `{"status":0,"error":"bad email"}`, false, false, "bad email"},
		{"error object", 400, `{"status":0,"error":{"message":"bad name"}}`, false, false, "bad name"},
		{"status string 0", 200, `{"status":"0","message":"refused"}`, false, false, "refused"},
		{"status false", 200, `{"status":false,"message":"refused"}`, false, false, "refused"},
		{"html", 500, `<html><body>Internal Server Error</body></html>`, false, false, "the answer is not JSON: <html><body>Internal Server Error</body></html>"},
		{"truncated json", 200, `{"status":1,"data":{"name":"sh`, false, false, "the answer is not JSON"},
		{"no status", 200, `{"data":{}}`, false, false, "the answer has no status"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := fakeServer(t, func(w http.ResponseWriter, _ *http.Request) {
				w.WriteHeader(tc.status)
				_, _ = io.WriteString(w, tc.body)
			})
			_, err := c.GetDomain(context.Background(), "shop.example.com")
			var apiErr *APIError
			if !errors.As(err, &apiErr) {
				t.Fatalf("want an *APIError, got %v", err)
			}
			if !strings.Contains(apiErr.Message, tc.message) || apiErr.StatusCode != tc.status {
				t.Errorf("got %d %q, want %d containing %q", apiErr.StatusCode, apiErr.Message, tc.status, tc.message)
			}
			if errors.Is(err, ErrNotFound) != tc.notFound || errors.Is(err, ErrConflict) != tc.conflict {
				t.Errorf("classification of %v: notFound=%t conflict=%t", err, errors.Is(err, ErrNotFound), errors.Is(err, ErrConflict))
			}
		})
	}
}

func TestHTMLBodyQuotesOnlyTheFirst200Bytes(t *testing.T) {
	page := "<html>" + strings.Repeat("x", 1000) + "</html>"
	c := fakeServer(t, func(w http.ResponseWriter, _ *http.Request) {
		w.WriteHeader(400) // not retried
		_, _ = io.WriteString(w, page)
	})
	_, err := c.GetDomain(context.Background(), "shop.example.com")
	if err == nil || !strings.Contains(err.Error(), "HTTP 400") || !strings.Contains(err.Error(), page[:200]) || strings.Contains(err.Error(), page[:201]) {
		t.Fatalf("got %v", err)
	}
}

func TestOversizedBodyIsRefusedNotRead(t *testing.T) {
	c := fakeServer(t, func(w http.ResponseWriter, _ *http.Request) {
		_, _ = io.WriteString(w, `{"status":1,"data":{"name":"`)
		chunk := strings.Repeat("a", 64<<10)
		for range 64 { // 4 MiB
			if _, err := io.WriteString(w, chunk); err != nil {
				return
			}
		}
		_, _ = io.WriteString(w, `"}}`)
	})
	_, err := c.GetDomain(context.Background(), "shop.example.com")
	if err == nil || !strings.Contains(err.Error(), "larger than") {
		t.Fatalf("got %v", err)
	}
}

func TestBooleanSpellings(t *testing.T) {
	for body, want := range map[string]bool{
		`{"status":1,"data":{"name":"a.io","email":"e@x.io","status":"true"}}`:  true,
		`{"status":1,"data":{"name":"a.io","email":"e@x.io","status":"false"}}`: false,
		`{"status":1,"data":{"name":"a.io","email":"e@x.io","status":1}}`:       true,
		`{"status":1,"data":{"name":"a.io","email":"e@x.io","status":"0"}}`:     false,
		`{"status":1,"data":{"name":"a.io","email":"e@x.io","status":true}}`:    true,
	} {
		c := fakeServer(t, answer(body))
		d, err := c.GetDomain(context.Background(), "a.io")
		if err != nil || d.Active != want {
			t.Errorf("%s: got %+v, %v", body, d, err)
		}
	}
}

func TestAssignmentOperatorsAsAList(t *testing.T) {
	c := fakeServer(t, answer(`{"status":1,"data":{"operators":[{"name":"n","email":"e@x.io","userId":"u1","is_admin":"1"}]}}`))
	a, err := c.AssignOperator(context.Background(), AssignInput{DomainName: "a.io", OperatorID: "u1"})
	if err != nil || !a.IsAdmin || a.Email != "e@x.io" {
		t.Fatalf("%+v %v", a, err)
	}
}
