package emulator_test

import (
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/chatwhizz/terraform-provider-chatwhizz/internal/emulator"
)

func TestOperatorNameDerivation(t *testing.T) {
	v, tok := newEnvLoggedIn(t, live)
	tests := []struct {
		body map[string]any
		name string
	}{
		{map[string]any{"email": "ada@acme.example", "first_name": "Ada", "last_name": "Lovelace"}, "Ada Lovelace"},
		{map[string]any{"email": "first@acme.example", "first_name": "Only"}, "Only"},
		{map[string]any{"email": "last@acme.example", "last_name": "Last"}, "Last"},
		{map[string]any{"email": "blank@acme.example", "first_name": " ", "last_name": ""}, "blank"},
		{map[string]any{"email": "grace.hopper@acme.example"}, "grace.hopper"},
	}
	for _, tt := range tests {
		d := v.do(http.MethodPost, "admin/operator/create", tok, tt.body).ok(t)
		wantKeys(t, d, "id", "name", "email", "addon_unique_name")
		if d["name"] != tt.name || d["email"] != tt.body["email"] || d["addon_unique_name"] != live || !hex24.MatchString(str(t, d["id"])) {
			t.Errorf("create %v: got %v, want name %q", tt.body, d, tt.name)
		}
	}
}

func TestOperatorCreateIsIdempotentByEmailAndReactivates(t *testing.T) {
	v, tok := newEnvLoggedIn(t, live)
	stok, _ := v.login(orgA, seller)
	get := func(tok, id string) map[string]any {
		d := v.do(http.MethodGet, "admin/operator/"+id, tok, nil).ok(t)
		wantKeys(t, d, "_id", "name", "email", "status", "operator")
		return d
	}

	d := v.do(http.MethodPost, "admin/operator/create", tok, map[string]any{"email": "Mixed.Case@Example.com", "first_name": "A", "last_name": "B"}).ok(t)
	id := str(t, d["id"])
	d = v.do(http.MethodPost, "admin/operator/create", tok, map[string]any{"email": "mixed.case@example.COM", "first_name": "X"}).ok(t)
	if d["id"] != id || d["name"] != "A B" || d["email"] != "Mixed.Case@Example.com" {
		t.Fatalf("second create returned %v, want the first operator unchanged", d)
	}
	if n := len(v.e.Operators("acme")); n != 1 {
		t.Fatalf("%d operators, want 1", n)
	}

	g := get(tok, id)
	if g["_id"] != id || g["operator"] != true || g["status"] != 0.0 || g["name"] != "A B" {
		t.Fatalf("get %v", g)
	}
	// Active is per addon: the operator is not one for seller-buyer yet.
	if g := get(stok, id); g["operator"] != false {
		t.Fatalf("seller-buyer get %v", g)
	}

	r := v.do(http.MethodPut, "admin/operator/update/"+id, tok, map[string]any{"status": 0})
	r.okAny(t)
	if r.body["data"] != "Status Changes Successfully" {
		t.Fatalf("update data %v", r.body["data"])
	}
	if g := get(tok, id); g["operator"] != false {
		t.Fatalf("after deactivation %v", g)
	}
	v.createOperator(tok, "MIXED.case@example.com")
	if g := get(tok, id); g["operator"] != true {
		t.Fatalf("after re-create %v", g)
	}
	v.createOperator(stok, "mixed.case@example.com")
	if g := get(stok, id); g["operator"] != true {
		t.Fatalf("seller-buyer after create %v", g)
	}

	if !v.e.SetOperatorPresence("acme", id, 2) {
		t.Fatal("SetOperatorPresence failed")
	}
	if g := get(tok, id); g["status"] != 2.0 {
		t.Fatalf("presence %v", g)
	}
	v.do(http.MethodGet, "admin/operator/0123456789abcdef01234567", tok, nil).fails(t, 404, `operator "0123456789abcdef01234567" not found`)
	v.do(http.MethodPut, "admin/operator/update/0123456789abcdef01234567", tok, map[string]any{"status": 1}).fails(t, 404, "not found")
}

func TestDomainLifecycle(t *testing.T) {
	v, tok := newEnvLoggedIn(t, live)
	stok, _ := v.login(orgA, seller)

	d := v.createDomain(tok, "shop.acme.example")
	wantKeys(t, d, "name", "email", "status", "addon_unique_name")
	if d["name"] != "shop.acme.example" || d["email"] != "owner@shop.acme.example" || d["status"] != true || d["addon_unique_name"] != live {
		t.Fatalf("create %v", d)
	}

	d = v.createDomain(stok, "market.acme.example")
	wantKeys(t, d, "name", "email", "status", "addon_unique_name", "link")
	link := str(t, d["link"])
	if !strings.Contains(link, `data-domain="market.acme.example"`) || !strings.HasPrefix(link, "<script") {
		t.Fatalf("link %q", link)
	}
	if rec, _ := v.e.Domain("market.acme.example"); rec.Link != link || rec.Addon != seller || rec.OrganisationDomain != "acme" {
		t.Fatalf("record %+v", rec)
	}

	for _, tk := range []string{tok, stok} {
		v.do(http.MethodPost, "admin/domain/create", tk, map[string]any{"domain_name": "shop.acme.example", "email": "a@b.example"}).
			fails(t, 409, `domain "shop.acme.example" already exists`)
	}

	d = v.do(http.MethodGet, "admin/domain/shop.acme.example", tok, nil).ok(t)
	wantKeys(t, d, "name", "email", "status")
	// A domain belongs to its addon too.
	v.do(http.MethodGet, "admin/domain/shop.acme.example", stok, nil).fails(t, 404, `domain "shop.acme.example" not found`)

	d = v.do(http.MethodPut, "admin/domain/update/shop.acme.example", tok, map[string]any{"status": false, "email": "new@acme.example"}).ok(t)
	wantKeys(t, d, "name", "status", "email")
	if d["status"] != false || d["email"] != "new@acme.example" || d["name"] != "shop.acme.example" {
		t.Fatalf("update %v", d)
	}
	if g := v.do(http.MethodGet, "admin/domain/shop.acme.example", tok, nil).ok(t); g["status"] != false || g["email"] != "new@acme.example" {
		t.Fatalf("get after update %v", g)
	}

	// Renaming carries the assignments along.
	op := v.createOperator(tok, "op@acme.example")
	v.do(http.MethodPost, "admin/operator/assign", tok, map[string]any{"domain_name": "shop.acme.example", "operator_id": op, "is_admin": true}).ok(t)
	d = v.do(http.MethodPut, "admin/domain/update/shop.acme.example", tok, map[string]any{"name": "store.acme.example"}).ok(t)
	if d["name"] != "store.acme.example" || d["status"] != false || d["email"] != "new@acme.example" {
		t.Fatalf("rename %v", d)
	}
	v.do(http.MethodGet, "admin/domain/shop.acme.example", tok, nil).fails(t, 404, "not found")
	v.do(http.MethodGet, "admin/domain/store.acme.example", tok, nil).ok(t)
	if rec, ok := v.e.Domain("store.acme.example"); !ok || !rec.Assignments[op].IsAdmin {
		t.Fatalf("assignments not carried: %+v", rec)
	}
	v.do(http.MethodPut, "admin/operator/assign/"+op, tok, map[string]any{"domain_name": "store.acme.example", "is_admin": false}).ok(t)

	v.do(http.MethodPut, "admin/domain/update/store.acme.example", tok, map[string]any{"name": "store.acme.example"}).ok(t)
	v.do(http.MethodPut, "admin/domain/update/store.acme.example", tok, map[string]any{"name": "market.acme.example"}).
		fails(t, 409, `domain "market.acme.example" already exists`)
	v.do(http.MethodPut, "admin/domain/update/nope.acme.example", tok, map[string]any{"status": true}).fails(t, 404, `domain "nope.acme.example" not found`)
}

func TestAssign(t *testing.T) {
	v := newEnv(t, emulator.Knobs{})
	tok, stok, btok := v.domainPerAddon()
	op := v.createOperator(tok, "op@acme.example")
	bop := v.createOperator(btok, "op@bravo.example")
	assign := func(tk string, body map[string]any) reply {
		return v.do(http.MethodPost, "admin/operator/assign", tk, body)
	}

	// A new live-chat assignment gets the defaults.
	ops := obj(t, assign(tok, map[string]any{"domain_name": "live.acme.example", "operator_id": op}).ok(t)["operators"])
	wantKeys(t, ops, "name", "email", "userId", "is_admin")
	if ops["userId"] != op || ops["email"] != "op@acme.example" || ops["name"] != "op" || ops["is_admin"] != false {
		t.Fatalf("assign %v", ops)
	}
	rec, _ := v.e.Domain("live.acme.example")
	if want := (emulator.AssignmentRecord{OperatorID: op, OnlineStatus: true, Status: true}); rec.Assignments[op] != want {
		t.Fatalf("record %+v, want %+v", rec.Assignments[op], want)
	}

	// Assigning again applies only the fields given.
	v.do(http.MethodPut, "admin/operator/assign/"+op, tok, map[string]any{"domain_name": "live.acme.example", "online_status": false}).ok(t)
	ops = obj(t, assign(tok, map[string]any{"domain_name": "live.acme.example", "operator_id": op, "is_admin": true}).ok(t)["operators"])
	if ops["is_admin"] != true {
		t.Fatalf("re-assign %v", ops)
	}
	ops = obj(t, assign(tok, map[string]any{"domain_name": "live.acme.example", "operator_id": op}).ok(t)["operators"])
	rec, _ = v.e.Domain("live.acme.example")
	if ops["is_admin"] != true || rec.Assignments[op].OnlineStatus {
		t.Fatalf("re-assign without fields changed them: %v %+v", ops, rec.Assignments[op])
	}

	assign(tok, map[string]any{"domain_name": "live.acme.example", "operator_id": op, "unique_id": "p1"}).
		fails(t, 400, `unique_id is only accepted for addon "seller_buyer_chat_System"`)

	// Seller-buyer carries unique_id.
	ops = obj(t, assign(stok, map[string]any{"domain_name": "seller.acme.example", "operator_id": op, "unique_id": "p-1"}).ok(t)["operators"])
	wantKeys(t, ops, "name", "email", "userId", "is_admin", "unique_id")
	if ops["unique_id"] != "p-1" {
		t.Fatalf("seller assign %v", ops)
	}
	ops = obj(t, assign(stok, map[string]any{"domain_name": "seller.acme.example", "operator_id": op, "is_admin": true}).ok(t)["operators"])
	if ops["unique_id"] != "p-1" || ops["is_admin"] != true {
		t.Fatalf("seller re-assign %v", ops)
	}

	assign(tok, map[string]any{"domain_name": "nope.acme.example", "operator_id": op}).fails(t, 404, `domain "nope.acme.example" not found`)
	assign(tok, map[string]any{"domain_name": "seller.acme.example", "operator_id": op}).fails(t, 404, "not found")
	assign(tok, map[string]any{"domain_name": "live.acme.example", "operator_id": bop}).fails(t, 404, `operator "`+bop+`" not found`)
}

func TestAssignUpdate(t *testing.T) {
	v, tok := newEnvLoggedIn(t, live)
	stok, _ := v.login(orgA, seller)
	v.createDomain(tok, "live.acme.example")
	v.createDomain(stok, "seller.acme.example")
	op := v.createOperator(tok, "op@acme.example")
	upd := func(tk string, body map[string]any) reply {
		return v.do(http.MethodPut, "admin/operator/assign/"+op, tk, body)
	}

	upd(tok, map[string]any{"domain_name": "live.acme.example", "is_admin": true}).
		fails(t, 404, `operator "`+op+`" is not assigned to domain "live.acme.example"`)
	v.do(http.MethodPost, "admin/operator/assign", tok, map[string]any{"domain_name": "live.acme.example", "operator_id": op}).ok(t)
	v.do(http.MethodPost, "admin/operator/assign", stok, map[string]any{"domain_name": "seller.acme.example", "operator_id": op}).ok(t)

	d := upd(tok, map[string]any{"domain_name": "live.acme.example", "is_admin": true, "online_status": false}).ok(t)
	wantKeys(t, d, "addon_unique_name", "domain_name", "operators")
	ops := obj(t, d["operators"])
	wantKeys(t, ops, "online_status", "is_admin")
	if d["addon_unique_name"] != live || d["domain_name"] != "live.acme.example" || ops["is_admin"] != true || ops["online_status"] != false {
		t.Fatalf("update %v", d)
	}
	upd(tok, map[string]any{"domain_name": "live.acme.example", "status": false}).fails(t, 400, "status is only accepted")
	upd(tok, map[string]any{"domain_name": "live.acme.example", "unique_id": "x"}).fails(t, 400, "unique_id is only accepted")
	upd(tok, map[string]any{"domain_name": "live.acme.example"}).fails(t, 400, "at least one of")
	upd(tok, map[string]any{"is_admin": true}).fails(t, 400, "domain_name is required")

	d = upd(stok, map[string]any{"domain_name": "seller.acme.example", "unique_id": "p-9", "status": false}).ok(t)
	ops = obj(t, d["operators"])
	wantKeys(t, ops, "online_status", "unique_id", "is_admin", "status")
	if d["addon_unique_name"] != seller || ops["unique_id"] != "p-9" || ops["status"] != false || ops["online_status"] != true || ops["is_admin"] != false {
		t.Fatalf("seller update %v", d)
	}
	rec, _ := v.e.Domain("seller.acme.example")
	if want := (emulator.AssignmentRecord{OperatorID: op, UniqueID: "p-9", OnlineStatus: true}); rec.Assignments[op] != want {
		t.Fatalf("record %+v, want %+v", rec.Assignments[op], want)
	}
}

func TestTenantIsolation(t *testing.T) {
	v, atok := newEnvLoggedIn(t, live)
	btok, _ := v.login(orgB, live)
	aop := v.createOperator(atok, "same@shared.example")
	v.createDomain(atok, "a.acme.example")
	v.createDomain(btok, "b.bravo.example")

	// The same email in another organisation is another operator.
	if bop := v.createOperator(btok, "same@shared.example"); bop == aop {
		t.Fatal("two organisations share an operator")
	}
	v.do(http.MethodGet, "admin/operator/"+aop, btok, nil).fails(t, 404, "not found")
	v.do(http.MethodPut, "admin/operator/update/"+aop, btok, map[string]any{"status": 0}).fails(t, 404, "not found")
	v.do(http.MethodGet, "admin/domain/a.acme.example", btok, nil).fails(t, 404, "not found")
	v.do(http.MethodPut, "admin/domain/update/a.acme.example", btok, map[string]any{"status": false}).fails(t, 404, "not found")
	v.do(http.MethodPost, "admin/domain/create", btok, map[string]any{"domain_name": "a.acme.example", "email": "x@bravo.example"}).fails(t, 409, "already exists")
	v.do(http.MethodPut, "admin/domain/update/b.bravo.example", btok, map[string]any{"name": "a.acme.example"}).fails(t, 409, "already exists")
	v.do(http.MethodPost, "admin/operator/assign", btok, map[string]any{"domain_name": "b.bravo.example", "operator_id": aop}).fails(t, 404, "not found")
	v.do(http.MethodPost, "admin/operator/assign", btok, map[string]any{"domain_name": "a.acme.example", "operator_id": aop}).fails(t, 404, "not found")

	if rec, _ := v.e.Domain("a.acme.example"); !rec.Active || len(rec.Assignments) != 0 {
		t.Fatalf("org A's domain changed: %+v", rec)
	}
	if op, _ := v.e.Operator("acme", aop); !op.ActiveAddons[live] {
		t.Fatalf("org A's operator changed: %+v", op)
	}
}

func TestValidationErrors(t *testing.T) {
	v, tok := newEnvLoggedIn(t, live)
	v.createDomain(tok, "ok.acme.example")
	op := v.createOperator(tok, "op@acme.example")
	tests := slices.Concat(badBodies(), badDomainNames(), badCallsOn(op))
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := v.in(t)
			v.do(tt.method, tt.path, tok, tt.body).fails(t, http.StatusBadRequest, tt.msg)
		})
	}
	if n := len(v.e.Domains("acme")); n != 1 {
		t.Fatalf("%d domains after refused creates, want 1", n)
	}
}

// badRequest is a request the emulator refuses with 400 and msg.
type badRequest struct {
	name, method, path string
	body               any
	msg                string
}

// badBodies are operator creates whose bodies are not what the API takes.
func badBodies() []badRequest {
	const ct = "application/json"
	return []badRequest{
		{"email missing", "POST", "admin/operator/create", `{}`, "email is required"},
		{"email no at", "POST", "admin/operator/create", `{"email":"not-an-email"}`, `invalid email "not-an-email"`},
		{"email with space", "POST", "admin/operator/create", `{"email":"a b@acme.example"}`, "invalid email"},
		{"email without dot", "POST", "admin/operator/create", `{"email":"a@localhost"}`, "invalid email"},
		{"email display name", "POST", "admin/operator/create", `{"email":"A <a@acme.example>"}`, "invalid email"},
		{"unknown field", "POST", "admin/operator/create", `{"email":"a@acme.example","nick":"x"}`, `unknown field "nick"`},
		{"wrong type", "POST", "admin/operator/create", `{"email":5}`, `field "email" must be a string`},
		{"no content type", "POST", "admin/operator/create", rawBody{"", `{"email":"a@acme.example"}`}, "Content-Type must be application/json"},
		{"text content type", "POST", "admin/operator/create", rawBody{"text/plain", `{"email":"a@acme.example"}`}, "Content-Type must be application/json"},
		{"malformed JSON", "POST", "admin/operator/create", `{"email":`, "malformed JSON"},
		{"array body", "POST", "admin/operator/create", `[]`, "must be a JSON object"},
		{"two objects", "POST", "admin/operator/create", `{"email":"a@acme.example"}{}`, "single JSON object"},
		{"empty body", "POST", "admin/operator/create", rawBody{ct, ""}, "request body is empty"},
	}
}

// badDomainNames are domain calls with a domain name or email the API
// refuses.
func badDomainNames() []badRequest {
	return []badRequest{
		{"domain scheme", "POST", "admin/domain/create", map[string]any{"domain_name": "HTTP://x.com", "email": "a@acme.example"}, `invalid domain_name "HTTP://x.com": must not include a scheme`},
		{"domain port", "POST", "admin/domain/create", map[string]any{"domain_name": "x.com:80", "email": "a@acme.example"}, "must not include a port"},
		{"domain path", "POST", "admin/domain/create", map[string]any{"domain_name": "x.com/p", "email": "a@acme.example"}, "must not include a path"},
		{"domain upper case", "POST", "admin/domain/create", map[string]any{"domain_name": "X.com", "email": "a@acme.example"}, "must be lower case"},
		{"domain one label", "POST", "admin/domain/create", map[string]any{"domain_name": "localhost", "email": "a@acme.example"}, "at least two labels"},
		{"domain empty", "POST", "admin/domain/create", map[string]any{"domain_name": "", "email": "a@acme.example"}, "domain_name is required"},
		{"domain leading hyphen", "POST", "admin/domain/create", map[string]any{"domain_name": "-a.com", "email": "a@acme.example"}, "must not start or end with '-'"},
		{"domain trailing dot", "POST", "admin/domain/create", map[string]any{"domain_name": "a.com.", "email": "a@acme.example"}, "must not end with a dot"},
		{"domain empty label", "POST", "admin/domain/create", map[string]any{"domain_name": "a..com", "email": "a@acme.example"}, "empty label"},
		{"domain underscore", "POST", "admin/domain/create", map[string]any{"domain_name": "a_b.com", "email": "a@acme.example"}, "only a-z, 0-9 and '-'"},
		{"domain whitespace", "POST", "admin/domain/create", map[string]any{"domain_name": " a.com", "email": "a@acme.example"}, "whitespace"},
		{"domain long label", "POST", "admin/domain/create", map[string]any{"domain_name": strings.Repeat("a", 64) + ".com", "email": "a@acme.example"}, "longer than 63"},
		{"domain too long", "POST", "admin/domain/create", map[string]any{"domain_name": strings.Repeat("abcdefghi.", 26) + "com", "email": "a@acme.example"}, "at most 253"},
		{"domain email missing", "POST", "admin/domain/create", map[string]any{"domain_name": "a.com"}, "email is required"},
		{"domain bad email", "POST", "admin/domain/create", map[string]any{"domain_name": "a.com", "email": "nope"}, `invalid email "nope"`},
		{"domain path in URL", "GET", "admin/domain/X.com", nil, "must be lower case"},
		{"domain escaped slash in URL", "GET", "admin/domain/x.com%2Fp", nil, "must not include a path"},
		{"domain query parameter", "GET", "admin/domain/ok.acme.example?x=1", nil, `unknown query parameter "x"`},
	}
}

// badCallsOn are calls on the operator op and the domain ok.acme.example
// with an id or a setting the API refuses.
func badCallsOn(op string) []badRequest {
	return []badRequest{
		{"operator id short", "GET", "admin/operator/123", nil, `invalid operator id "123"`},
		{"operator id upper", "GET", "admin/operator/" + strings.ToUpper(op), nil, "24 lowercase hex"},
		{"status missing", "PUT", "admin/operator/update/" + op, `{}`, "status is required"},
		{"status 2", "PUT", "admin/operator/update/" + op, `{"status":2}`, "status must be 0 or 1"},
		{"status string", "PUT", "admin/operator/update/" + op, `{"status":"1"}`, `field "status" must be an integer`},
		{"status bool", "PUT", "admin/operator/update/" + op, `{"status":true}`, `field "status" must be an integer`},
		{"status fraction", "PUT", "admin/operator/update/" + op, `{"status":0.5}`, `field "status" must be an integer`},

		{"domain update empty", "PUT", "admin/domain/update/ok.acme.example", `{}`, "at least one of name, status, email"},
		{"domain update status string", "PUT", "admin/domain/update/ok.acme.example", `{"status":"true"}`, `field "status" must be a boolean`},
		{"domain update bad name", "PUT", "admin/domain/update/ok.acme.example", `{"name":"Bad.com"}`, `invalid name "Bad.com"`},
		{"domain update empty name", "PUT", "admin/domain/update/ok.acme.example", `{"name":""}`, "name must not be empty"},
		{"domain update bad email", "PUT", "admin/domain/update/ok.acme.example", `{"email":"x"}`, `invalid email "x"`},

		{"assign domain missing", "POST", "admin/operator/assign", map[string]any{"operator_id": op}, "domain_name is required"},
		{"assign operator missing", "POST", "admin/operator/assign", map[string]any{"domain_name": "ok.acme.example"}, "operator_id is required"},
		{"assign operator bad", "POST", "admin/operator/assign", map[string]any{"domain_name": "ok.acme.example", "operator_id": "xyz"}, "invalid operator id"},
		{"assign is_admin string", "POST", "admin/operator/assign", `{"domain_name":"ok.acme.example","operator_id":"` + op + `","is_admin":"yes"}`, `field "is_admin" must be a boolean`},
		{"assign update online_status number", "PUT", "admin/operator/assign/" + op, `{"domain_name":"ok.acme.example","online_status":1}`, `field "online_status" must be a boolean`},
	}
}
