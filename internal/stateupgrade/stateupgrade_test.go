package stateupgrade

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"sort"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/chatwhizz/terraform-provider-chatwhizz/internal/protocol"
	"github.com/chatwhizz/terraform-provider-chatwhizz/internal/provider"
)

// servers are the provider's protocol server as the framework serves it,
// and wrapped by Server.
func servers(t testing.TB) (tfprotov6.ProviderServer, *Server) {
	t.Helper()
	framework, err := protocol.New(providerserver.NewProtocol6(provider.New("test")())())
	if err != nil {
		t.Fatal(err)
	}
	return framework, New(framework)
}

// stateCase is a saved state and whether Server answers it itself.
type stateCase struct {
	name    string
	version int64
	raw     tfprotov6.RawState
	own     bool
}

// stateCases are, for a schema of string and bool attributes, the states
// the CLI sends and the ones it could only send after a hand edit or a
// schema change.
func stateCases(object tftypes.Object) []stateCase {
	names := make([]string, 0, len(object.AttributeTypes))
	for name := range object.AttributeTypes {
		names = append(names, name)
	}
	sort.Strings(names)
	strings := []string{"shop.example.com", "", "é \"quoted\" \\ \n\t <b>&amp;</b> \u2028 \U0001F600", "x\u00e9\xff"}
	full, nulls, some := map[string]any{}, map[string]any{}, map[string]any{}
	for i, name := range names {
		nulls[name] = nil
		if object.AttributeTypes[name].Is(tftypes.Bool) {
			full[name] = i%2 == 0
		} else {
			full[name] = strings[i%len(strings)]
		}
		if i%2 == 1 {
			some[name] = full[name]
		}
	}
	extra := with(full, "retired_attribute", []any{1.5, "x"})
	asJSON := func(m map[string]any) []byte { b, _ := json.Marshal(m); return b }
	cases := []stateCase{
		{name: "every attribute", raw: tfprotov6.RawState{JSON: asJSON(full)}, own: true},
		{name: "every attribute null", raw: tfprotov6.RawState{JSON: asJSON(nulls)}, own: true},
		{name: "half the attributes missing", raw: tfprotov6.RawState{JSON: asJSON(some)}, own: true},
		{name: "an attribute the schema lacks", raw: tfprotov6.RawState{JSON: asJSON(extra)}, own: true},
		{name: "empty object", raw: tfprotov6.RawState{JSON: []byte(`{}`)}, own: true},
		{name: "another version", version: 1, raw: tfprotov6.RawState{JSON: asJSON(full)}},
		{name: "flatmap", raw: tfprotov6.RawState{Flatmap: map[string]string{"id": "x"}}},
		{name: "no state", raw: tfprotov6.RawState{}},
		{name: "null", raw: tfprotov6.RawState{JSON: []byte(`null`)}},
		{name: "not an object", raw: tfprotov6.RawState{JSON: []byte(`["x"]`)}},
		{name: "invalid JSON", raw: tfprotov6.RawState{JSON: []byte(`{"id":`)}},
		{name: "trailing data", raw: tfprotov6.RawState{JSON: append(asJSON(full), " {}"...)}},
	}
	for _, name := range names {
		for _, member := range []string{`12`, `1e400`, `"true"`, `"x"`, `true`, `{"a":"b"}`, `["a"]`} {
			raw := fmt.Sprintf(`{%q: %s}`, name, member)
			own := object.AttributeTypes[name].Is(tftypes.String) && member[0] == '"' ||
				object.AttributeTypes[name].Is(tftypes.Bool) && member == `true`
			cases = append(cases, stateCase{name: name + " as " + member, raw: tfprotov6.RawState{JSON: []byte(raw)}, own: own})
		}
	}
	return cases
}

func with(m map[string]any, name string, v any) map[string]any {
	out := map[string]any{name: v}
	for k, v := range m {
		out[k] = v
	}
	return out
}

func TestServerAnswersEveryResourceOfTheProvider(t *testing.T) {
	framework, server := servers(t)
	resp, err := framework.GetProviderSchema(context.Background(), &tfprotov6.GetProviderSchemaRequest{})
	if err != nil || len(resp.ResourceSchemas) == 0 {
		t.Fatalf("schemas: %v, %v", resp, err)
	}
	server.once.Do(func() { server.schemas = flatSchemas(context.Background(), framework) })
	for name := range resp.ResourceSchemas {
		if _, ok := server.schemas[name]; !ok {
			t.Errorf("%s: its upgrades go to the framework (an attribute that is neither a string nor a bool, or a block?)", name)
		}
	}
}

func TestUpgradesAsTheFrameworkDoes(t *testing.T) {
	ctx := context.Background()
	framework, server := servers(t)
	server.once.Do(func() { server.schemas = flatSchemas(ctx, framework) })
	for typeName, schema := range server.schemas {
		for _, tc := range stateCases(schema.object) {
			t.Run(typeName+"/"+tc.name, func(t *testing.T) {
				req := &tfprotov6.UpgradeResourceStateRequest{TypeName: typeName, Version: tc.version, RawState: &tc.raw}
				if _, own := server.current(ctx, req); own != tc.own {
					t.Errorf("answered by Server: %v, want %v", own, tc.own)
				}
				want, wantErr := framework.UpgradeResourceState(ctx, req)
				got, gotErr := server.UpgradeResourceState(ctx, req)
				if !reflect.DeepEqual(gotErr, wantErr) || !sameResponse(got, want) {
					t.Errorf("got %s (%v), the framework %s (%v)", describe(got), gotErr, describe(want), wantErr)
				}
			})
		}
	}
}

// sameResponse is whether a and b say the same: the same state, byte for
// byte, and the same diagnostics.
func sameResponse(a, b *tfprotov6.UpgradeResourceStateResponse) bool {
	if a == nil || b == nil {
		return a == b
	}
	if (a.UpgradedState == nil) != (b.UpgradedState == nil) || len(a.Diagnostics) != len(b.Diagnostics) {
		return false
	}
	if a.UpgradedState != nil && (!bytes.Equal(a.UpgradedState.MsgPack, b.UpgradedState.MsgPack) || !bytes.Equal(a.UpgradedState.JSON, b.UpgradedState.JSON)) {
		return false
	}
	for i := range a.Diagnostics {
		if !reflect.DeepEqual(*a.Diagnostics[i], *b.Diagnostics[i]) {
			return false
		}
	}
	return true
}

func describe(resp *tfprotov6.UpgradeResourceStateResponse) string {
	if resp == nil {
		return "no response"
	}
	out := "no state"
	if resp.UpgradedState != nil {
		out = fmt.Sprintf("state %x", resp.UpgradedState.MsgPack)
	}
	for _, d := range resp.Diagnostics {
		out += fmt.Sprintf("; %v %q: %q", d.Severity, d.Summary, d.Detail)
	}
	return out
}

// BenchmarkUpgradeResourceState upgrades an operator assignment's saved
// state, at its schema's version, through the framework and through Server.
func BenchmarkUpgradeResourceState(b *testing.B) {
	framework, server := servers(b)
	raw := []byte(`{"id":"shop.example.com/5f0c1e2d3a4b5c6d7e8f9a0b","domain_name":"shop.example.com","operator_id":"5f0c1e2d3a4b5c6d7e8f9a0b",` +
		`"is_admin":false,"online_status":true,"unique_id":"a1b2c3","receive_messages":true,"name":"Ann Example","email":"ann@example.com"}`)
	req := &tfprotov6.UpgradeResourceStateRequest{TypeName: "chatwhizz_operator_assignment", RawState: &tfprotov6.RawState{JSON: raw}}
	for _, s := range []struct {
		name   string
		server tfprotov6.ProviderServer
	}{{"framework", framework}, {"Server", server}} {
		b.Run(s.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				resp, err := s.server.UpgradeResourceState(context.Background(), req)
				if err != nil || resp.UpgradedState == nil || len(resp.Diagnostics) > 0 {
					b.Fatalf("%s (%v)", describe(resp), err)
				}
			}
		})
	}
}
