package emulator_test

import (
	"net/http"
	"testing"
)

// TestUniqueIDCannotBeCleared: the contract's unique_id is a non-empty
// string with no way to clear it. "" is refused on both calls, and an
// assignment keeps its unique_id through a release and a re-assignment that
// sends none; only a new value replaces it.
func TestUniqueIDCannotBeCleared(t *testing.T) {
	v, stok := newEnvLoggedIn(t, seller)
	v.createDomain(stok, "seller.acme.example")
	op := v.createOperator(stok, "op@acme.example")
	assign := func(body map[string]any) reply {
		body["domain_name"], body["operator_id"] = "seller.acme.example", op
		return v.do(http.MethodPost, "admin/operator/assign", stok, body)
	}
	update := func(body map[string]any) reply {
		body["domain_name"] = "seller.acme.example"
		return v.do(http.MethodPut, "admin/operator/assign/"+op, stok, body)
	}
	uniqueID := func() string {
		t.Helper()
		rec, _ := v.e.Domain("seller.acme.example")
		return rec.Assignments[op].UniqueID
	}

	assign(map[string]any{"unique_id": ""}).fails(t, 400, "unique_id must not be empty")
	if got := obj(t, assign(map[string]any{}).ok(t)["operators"])["unique_id"]; got != "" || uniqueID() != "" {
		t.Fatalf("a new assignment has no unique_id: answered %v, stored %q", got, uniqueID())
	}
	assign(map[string]any{"unique_id": "p-1"}).ok(t)
	update(map[string]any{"unique_id": ""}).fails(t, 400, "unique_id must not be empty")

	// Released the way the provider's destroy does, then assigned again.
	update(map[string]any{"online_status": false, "is_admin": false, "status": false}).ok(t)
	if got := obj(t, assign(map[string]any{}).ok(t)["operators"])["unique_id"]; got != "p-1" || uniqueID() != "p-1" {
		t.Fatalf("a released assignment assigned again keeps its unique_id: answered %v, stored %q", got, uniqueID())
	}
	assign(map[string]any{"unique_id": "p-2"}).ok(t)
	if uniqueID() != "p-2" {
		t.Fatalf("a new unique_id replaces the old one: stored %q", uniqueID())
	}
}
