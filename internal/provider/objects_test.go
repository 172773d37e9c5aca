package provider

import (
	"context"
	"fmt"
	"reflect"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// The resources' models are read and written through their attribute lists
// (objects.go) instead of tfsdk's reflection: they must give what tfsdk's
// Get and Set give, attribute for attribute, null and unknown included.

// modelCase is a resource's model, or its identity's, with the schema it
// is read from and written to.
type modelCase struct {
	name   string
	schema func() tfsdk.State // a state of the schema, Raw null
	model  func() model       // a new, empty model
}

func modelCases() []modelCase {
	ctx := context.Background()
	resourceState := func(r resource.Resource) func() tfsdk.State {
		return func() tfsdk.State {
			var resp resource.SchemaResponse
			r.Schema(ctx, resource.SchemaRequest{}, &resp)
			return tfsdk.State{Schema: resp.Schema, Raw: tftypes.NewValue(resp.Schema.Type().TerraformType(ctx), nil)}
		}
	}
	identityState := func(r resource.ResourceWithIdentity) func() tfsdk.State {
		return func() tfsdk.State {
			var resp resource.IdentitySchemaResponse
			r.IdentitySchema(ctx, resource.IdentitySchemaRequest{}, &resp)
			return tfsdk.State{Schema: resp.IdentitySchema, Raw: tftypes.NewValue(resp.IdentitySchema.Type().TerraformType(ctx), nil)}
		}
	}
	return []modelCase{
		{"domain", resourceState(&domainResource{}), func() model { return &domainModel{} }},
		{"operator", resourceState(&operatorResource{}), func() model { return &operatorModel{} }},
		{"assignment", resourceState(&operatorAssignmentResource{}), func() model { return &operatorAssignmentModel{} }},
		{"domain identity", identityState(&domainResource{}), func() model { return &domainIdentityModel{} }},
		{"operator identity", identityState(&operatorResource{}), func() model { return &operatorIdentityModel{} }},
		{"assignment identity", identityState(&operatorAssignmentResource{}), func() model { return &assignmentIdentityModel{} }},
	}
}

// sampleObjects are objects of type typ whose attributes are each known and
// distinct (so that two attributes swapped show), null, unknown, or a mix.
func sampleObjects(typ tftypes.Object) map[string]tftypes.Value {
	samples := map[string]tftypes.Value{}
	for _, kind := range []string{"known", "null", "unknown", "mixed"} {
		values := map[string]tftypes.Value{}
		i := 0
		for name, t := range typ.AttributeTypes {
			var known any = "value of " + name
			if t.Is(tftypes.Bool) {
				known = i%2 == 0
			}
			switch {
			case kind == "null" || kind == "mixed" && i%3 == 1:
				values[name] = tftypes.NewValue(t, nil)
			case kind == "unknown" || kind == "mixed" && i%3 == 2:
				values[name] = tftypes.NewValue(t, tftypes.UnknownValue)
			default:
				values[name] = tftypes.NewValue(t, known)
			}
			i++
		}
		samples[kind] = tftypes.NewValue(typ, values)
	}
	return samples
}

func TestModelsReadAndWriteAsTheFrameworkDoes(t *testing.T) {
	ctx := context.Background()
	for _, tc := range modelCases() {
		empty := tc.schema()
		for kind, raw := range sampleObjects(objectType(t, empty.Raw.Type())) {
			t.Run(fmt.Sprintf("%s, %s", tc.name, kind), func(t *testing.T) {
				state := tc.schema()
				state.Raw = raw
				byFramework, byList := tc.model(), tc.model()
				if diags := state.Get(ctx, byFramework); diags.HasError() {
					t.Fatalf("tfsdk's Get: %v", diags)
				}
				if diags := readModel(raw, byList); diags.HasError() {
					t.Fatalf("readModel: %v", diags)
				}
				if !reflect.DeepEqual(byList, byFramework) {
					t.Fatalf("readModel read %+v, tfsdk's Get %+v", byList, byFramework)
				}

				written := tc.schema()
				if diags := setState(ctx, &written, byList); diags.HasError() {
					t.Fatalf("setState: %v", diags)
				}
				if !written.Raw.Equal(raw) {
					t.Fatalf("setState wrote %s, want %s", written.Raw, raw)
				}
			})
		}
	}
}

func TestReadModelRefusesAnObjectOfAnotherShape(t *testing.T) {
	other := tftypes.Object{AttributeTypes: map[string]tftypes.Type{"id": tftypes.String, "name": tftypes.String}}
	raw := tftypes.NewValue(other, map[string]tftypes.Value{
		"id": tftypes.NewValue(tftypes.String, "a"), "name": tftypes.NewValue(tftypes.String, "b"),
	})
	if diags := readModel(raw, &operatorModel{}); !diags.HasError() {
		t.Error("an object lacking the model's attributes was read without an error")
	}
	if _, diags := modelValue(context.Background(), other, &operatorIdentityModel{}); !diags.HasError() {
		t.Error("a model lacking the type's attributes was written without an error")
	}
}

// BenchmarkModel sets readModel and setState beside tfsdk's Get and Set on
// the largest model, the assignment's: a read and a write of its state, as
// each Read of an assignment does.
func BenchmarkModel(b *testing.B) {
	ctx := context.Background()
	var tc modelCase
	for _, c := range modelCases() {
		if c.name == "assignment" {
			tc = c
		}
	}
	empty := tc.schema()
	raw := sampleObjects(objectType(b, empty.Raw.Type()))["known"]
	b.Run("framework", func(b *testing.B) {
		for b.Loop() {
			state := empty
			state.Raw = raw
			var m operatorAssignmentModel
			if diags := state.Get(ctx, &m); diags.HasError() {
				b.Fatal(diags)
			}
			if diags := state.Set(ctx, &m); diags.HasError() {
				b.Fatal(diags)
			}
		}
	})
	b.Run("attribute list", func(b *testing.B) {
		for b.Loop() {
			state := empty
			state.Raw = raw
			var m operatorAssignmentModel
			if diags := readModel(state.Raw, &m); diags.HasError() {
				b.Fatal(diags)
			}
			if diags := setState(ctx, &state, &m); diags.HasError() {
				b.Fatal(diags)
			}
		}
	})
}

// objectType is a schema's object type.
func objectType(tb testing.TB, typ tftypes.Type) tftypes.Object {
	tb.Helper()
	obj, ok := typ.(tftypes.Object)
	if !ok {
		tb.Fatalf("the schema's type is %T, not an object", typ)
	}
	return obj
}
