package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// Resources read and write their whole objects (state, plan, identity)
// through the attribute lists below rather than tfsdk's Get and Set. Those
// convert a model by reflection, and terraform-plugin-framework v1.19.0
// compiles a regular expression for every field of every call
// (internal/reflect.isValidFieldName): a twentieth of the provider's CPU
// over an apply, plan and destroy of 1000 resources, spent on every
// resource method. The data sources and the provider's configuration, read
// once per object or process, keep tfsdk's Get and Set.

// attribute is one attribute of a model: its name in the schema, and the
// field that holds it (a *types.String or a *types.Bool).
type attribute struct {
	name  string
	field any
}

// model is a resource's object or identity, listing every attribute of its
// schema.
type model interface{ attributes() []attribute }

// readModel reads an object (a state, plan, configuration or identity) into
// m. Like tfsdk's Get, it fails when the object and the model do not have
// the same attributes.
func readModel(raw tftypes.Value, m model) diag.Diagnostics {
	var values map[string]tftypes.Value
	if err := raw.As(&values); err != nil {
		return modelError("read", err)
	}
	attrs := m.attributes()
	if len(values) != len(attrs) {
		return modelError("read", fmt.Errorf("the object has %d attributes, the model %d", len(values), len(attrs)))
	}
	for _, a := range attrs {
		v, ok := values[a.name]
		if !ok {
			return modelError("read", fmt.Errorf("the object has no attribute %q", a.name))
		}
		if err := readField(v, a.field); err != nil {
			return modelError("read", fmt.Errorf("attribute %q: %w", a.name, err))
		}
	}
	return nil
}

// readField sets field from v, null and unknown included, as the framework's
// types do (basetypes' ValueFromTerraform).
func readField(v tftypes.Value, field any) error {
	switch f := field.(type) {
	case *types.String:
		return readPrimitive(v, f, types.StringUnknown(), types.StringNull(), types.StringValue)
	case *types.Bool:
		return readPrimitive(v, f, types.BoolUnknown(), types.BoolNull(), types.BoolValue)
	}
	return fmt.Errorf("the model's field is a %T", field)
}

// readPrimitive sets field to unknown, null, or known applied to v's Go value.
func readPrimitive[Go, Value any](v tftypes.Value, field *Value, unknown, null Value, known func(Go) Value) error {
	switch {
	case !v.IsKnown():
		*field = unknown
	case v.IsNull():
		*field = null
	default:
		var g Go
		if err := v.As(&g); err != nil {
			return err
		}
		*field = known(g)
	}
	return nil
}

// modelValue is m as an object of type typ (the type of the state, plan or
// identity it is written to). Like tfsdk's Set, it fails when the model
// does not match the type.
func modelValue(ctx context.Context, typ tftypes.Type, m model) (tftypes.Value, diag.Diagnostics) {
	attrs := m.attributes()
	values := make(map[string]tftypes.Value, len(attrs))
	for _, a := range attrs {
		v, ok := a.field.(attr.Value)
		if !ok {
			return tftypes.Value{}, modelError("write", fmt.Errorf("attribute %q: the model's field is a %T", a.name, a.field))
		}
		tv, err := v.ToTerraformValue(ctx)
		if err != nil {
			return tftypes.Value{}, modelError("write", fmt.Errorf("attribute %q: %w", a.name, err))
		}
		values[a.name] = tv
	}
	if err := tftypes.ValidateValue(typ, values); err != nil {
		return tftypes.Value{}, modelError("write", err)
	}
	return tftypes.NewValue(typ, values), nil
}

// setState writes m as the whole state.
func setState(ctx context.Context, state *tfsdk.State, m model) diag.Diagnostics {
	v, diags := modelValue(ctx, state.Raw.Type(), m)
	if !diags.HasError() {
		state.Raw = v
	}
	return diags
}

// setPlan writes m as the whole plan.
func setPlan(ctx context.Context, plan *tfsdk.Plan, m model) diag.Diagnostics {
	v, diags := modelValue(ctx, plan.Raw.Type(), m)
	if !diags.HasError() {
		plan.Raw = v
	}
	return diags
}

func modelError(what string, err error) diag.Diagnostics {
	return diag.Diagnostics{diag.NewErrorDiagnostic("Provider Model Error", fmt.Sprintf(
		"An unexpected error was encountered trying to %s a resource's object. This is always an error in the provider. "+
			"Please report the following to the provider developers:\n\n%s", what, err))}
}
