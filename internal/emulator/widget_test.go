package emulator_test

import (
	"net/http"
	"reflect"
	"strings"
	"testing"

	"github.com/chatwhizz/terraform-provider-chatwhizz/internal/emulator"
)

const widgetPath = "admin/check-widget-visiblity"

// widget asks whether the widget is visible on domain and returns the
// answer's data, checking the envelope of the seller-buyer page.
func (v *env) widget(tok, domain string) map[string]any {
	v.t.Helper()
	r := v.do(http.MethodPost, widgetPath, tok, map[string]any{"domain_name": domain})
	if r.code != http.StatusOK || r.body["type"] != "success" {
		v.t.Fatalf("want success, got %d %v", r.code, r.body)
	}
	wantKeys(v.t, r.body, "type", "data")
	return obj(v.t, r.body["data"])
}

// failsTyped checks a failure in the envelope of the seller-buyer page.
func (r reply) failsTyped(t *testing.T, code int, msg string) {
	t.Helper()
	if r.code != code {
		t.Fatalf("want %d, got %d %v", code, r.code, r.body)
	}
	wantKeys(t, r.body, "type", "message")
	if r.body["type"] != "failure" {
		t.Fatalf("bad failure body %v", r.body)
	}
	if m := str(t, r.body["message"]); !strings.Contains(m, msg) {
		t.Fatalf("message %q does not contain %q", m, msg)
	}
}

func wantVisible(t *testing.T, data map[string]any) {
	t.Helper()
	wantKeys(t, data, "isWidgetVisible")
	if data["isWidgetVisible"] != true {
		t.Fatalf("want visible, got %v", data)
	}
}

func wantHidden(t *testing.T, data map[string]any, reason string) {
	t.Helper()
	wantKeys(t, data, "isWidgetVisible", "reason")
	if data["isWidgetVisible"] != false || data["reason"] != reason {
		t.Fatalf("want hidden because %q, got %v", reason, data)
	}
}

// TestWidgetVisibilityRule plays every condition of the emulator's rule, in
// the order its reason names them.
func TestWidgetVisibilityRule(t *testing.T) {
	v, stok := newEnvLoggedIn(t, seller)
	const dom = "shop.acme.example"
	v.createDomain(stok, dom)
	op := v.createOperator(stok, "op@acme.example")
	other := v.createOperator(stok, "other@acme.example")

	wantHidden(t, v.widget(stok, dom), "No operator is assigned to this domain")
	v.do(http.MethodPost, "admin/operator/assign", stok, map[string]any{"domain_name": dom, "operator_id": op}).ok(t)
	wantVisible(t, v.widget(stok, dom))

	// An operator inactive for the addon counts as not assigned.
	v.do(http.MethodPut, "admin/operator/update/"+op, stok, map[string]any{"status": 0}).okAny(t)
	wantHidden(t, v.widget(stok, dom), "No operator is assigned to this domain")
	v.do(http.MethodPut, "admin/operator/update/"+op, stok, map[string]any{"status": 1}).okAny(t)

	// Assigned, but receiving no messages; one receiving operator is enough.
	v.do(http.MethodPut, "admin/operator/assign/"+op, stok, map[string]any{"domain_name": dom, "status": false}).ok(t)
	wantHidden(t, v.widget(stok, dom), "No assigned operator receives messages")
	v.do(http.MethodPost, "admin/operator/assign", stok, map[string]any{"domain_name": dom, "operator_id": other}).ok(t)
	wantVisible(t, v.widget(stok, dom))

	// An inactive domain is the first condition, whatever its operators.
	v.do(http.MethodPut, "admin/domain/update/"+dom, stok, map[string]any{"status": false}).ok(t)
	wantHidden(t, v.widget(stok, dom), "Domain is inactive")
}

// TestWidgetVisibilityUnderLiveChat: the emulator answers the call under
// either addon, by the same rule (an assignment of live_chat always
// receives messages: its status is the seller-buyer addon's).
func TestWidgetVisibilityUnderLiveChat(t *testing.T) {
	v, tok := newEnvLoggedIn(t, live)
	v.createDomain(tok, "live.acme.example")
	wantHidden(t, v.widget(tok, "live.acme.example"), "No operator is assigned to this domain")
	op := v.createOperator(tok, "op@acme.example")
	v.do(http.MethodPost, "admin/operator/assign", tok, map[string]any{"domain_name": "live.acme.example", "operator_id": op}).ok(t)
	wantVisible(t, v.widget(tok, "live.acme.example"))
}

func TestWidgetVisibilityFailures(t *testing.T) {
	v := newEnv(t, emulator.Knobs{})
	atok, stok, btok := v.domainPerAddon()
	check := func(tok string, body any) reply { return v.do(http.MethodPost, widgetPath, tok, body) }

	check(stok, map[string]any{"domain_name": "nope.acme.example"}).failsTyped(t, 404, `domain "nope.acme.example" not found`)
	check(btok, map[string]any{"domain_name": "live.acme.example"}).failsTyped(t, 404, `domain "live.acme.example" not found`)
	check(stok, map[string]any{"domain_name": "live.acme.example"}).failsTyped(t, 404, "not found")
	check(atok, map[string]any{"domain_name": "seller.acme.example"}).failsTyped(t, 404, "not found")
	check(stok, map[string]any{"domain_name": "Shop.Acme.Example"}).failsTyped(t, 400, "invalid domain_name")
	check(stok, map[string]any{}).failsTyped(t, 400, "domain_name is required")
	check(stok, map[string]any{"domain_name": "seller.acme.example", "extra": 1}).failsTyped(t, 400, `unknown field "extra"`)
	check(stok, nil).failsTyped(t, 400, "Content-Type must be application/json")
	check("", map[string]any{"domain_name": "seller.acme.example"}).failsTyped(t, 401, "access token missing")
	if r := v.do(http.MethodGet, widgetPath, stok, nil); r.code != 405 || r.hdr.Get("Allow") != "POST" {
		t.Fatalf("GET: %d %v Allow=%q", r.code, r.body, r.hdr.Get("Allow"))
	}
}

// TestWidgetVisibilityChangesNothingAndIsCounted: the call reads; the stats
// count it like any other route.
func TestWidgetVisibilityChangesNothingAndIsCounted(t *testing.T) {
	v, stok := newEnvLoggedIn(t, seller)
	v.createDomain(stok, "seller.acme.example")
	op := v.createOperator(stok, "op@acme.example")
	v.do(http.MethodPost, "admin/operator/assign", stok, map[string]any{"domain_name": "seller.acme.example", "operator_id": op}).ok(t)
	before, _ := v.e.Domain("seller.acme.example")
	ops := v.e.Operators("acme")
	for range 3 {
		v.widget(stok, "seller.acme.example")
	}
	if after, _ := v.e.Domain("seller.acme.example"); !reflect.DeepEqual(before, after) || !reflect.DeepEqual(ops, v.e.Operators("acme")) {
		t.Fatalf("the call changed the state: %+v -> %+v", before, after)
	}
	if n := v.e.Stats().Requests["POST "+widgetPath]; n != 3 {
		t.Fatalf("counted %d calls, want 3", n)
	}
}
