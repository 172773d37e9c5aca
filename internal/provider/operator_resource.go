package provider

import (
	"context"
	"errors"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/chatwhizz/terraform-provider-chatwhizz/internal/chatwhizz"
)

var (
	_ resource.ResourceWithConfigure   = (*operatorResource)(nil)
	_ resource.ResourceWithImportState = (*operatorResource)(nil)
	_ resource.ResourceWithModifyPlan  = (*operatorResource)(nil)
)

func newOperatorResource() resource.Resource { return &operatorResource{} }

type operatorResource struct{ data *providerData }

type operatorModel struct {
	ID              types.String `tfsdk:"id"`
	Email           types.String `tfsdk:"email"`
	FirstName       types.String `tfsdk:"first_name"`
	LastName        types.String `tfsdk:"last_name"`
	Active          types.Bool   `tfsdk:"active"`
	Name            types.String `tfsdk:"name"`
	AddonUniqueName types.String `tfsdk:"addon_unique_name"`
}

func (r *operatorResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_operator"
}

func (r *operatorResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	// first_name and last_name are only sent when the email is new to the
	// organisation, and cannot be read back: a change replaces, except when
	// the state holds no value yet (after import), where it is recorded.
	replaceIfKnownBefore := stringplanmodifier.RequiresReplaceIf(
		func(_ context.Context, req planmodifier.StringRequest, resp *stringplanmodifier.RequiresReplaceIfFuncResponse) {
			resp.RequiresReplace = !req.StateValue.IsNull()
		},
		"Changing this replaces the operator, unless no value was recorded before (after import).",
		"Changing this replaces the operator, unless no value was recorded before (after import).",
	)
	resp.Schema = schema.Schema{
		MarkdownDescription: "An operator (user) of the organisation, active for the provider's addon. " +
			"Creating an operator whose email already belongs to one takes over that operator and makes it active. " +
			"The API cannot delete an operator: destroying this resource makes it inactive for the addon.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				MarkdownDescription: "The operator id: 24 lower-case hexadecimal characters.",
				Computed:            true,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"email": schema.StringAttribute{
				MarkdownDescription: "The operator's email address. Compared case-insensitively: a change of case only is recorded in place; any other change replaces the operator.",
				Required:            true,
				Validators:          []validator.String{emailValidator{}},
				PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplaceIf(
					func(_ context.Context, req planmodifier.StringRequest, resp *stringplanmodifier.RequiresReplaceIfFuncResponse) {
						resp.RequiresReplace = !sameEmail(req.StateValue, req.PlanValue)
					},
					"Changing the email replaces the operator, unless only its case changes.",
					"Changing the email replaces the operator, unless only its case changes.",
				)},
			},
			"first_name": schema.StringAttribute{
				MarkdownDescription: "The operator's first name, sent when the operator is created. The API uses it only when the email is new to the organisation and cannot change an existing operator's name: " +
					"changing it replaces the resource, which keeps the same operator and its `name` (after import the value is only recorded).",
				Optional:      true,
				PlanModifiers: []planmodifier.String{replaceIfKnownBefore},
			},
			"last_name": schema.StringAttribute{
				MarkdownDescription: "The operator's last name; see `first_name` for when the API uses it.",
				Optional:            true,
				PlanModifiers:       []planmodifier.String{replaceIfKnownBefore},
			},
			"active": schema.BoolAttribute{
				MarkdownDescription: "Whether the operator is active for the provider's addon. Defaults to `true`.",
				Optional:            true,
				Computed:            true,
				Default:             booldefault.StaticBool(true),
			},
			"name": schema.StringAttribute{
				MarkdownDescription: "The operator's display name, as the API reports it: first and last name, or the part of the email before `@`.",
				Computed:            true,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"addon_unique_name": schema.StringAttribute{
				MarkdownDescription: "The addon the operator is active for: the provider's `addon_unique_name`.",
				Computed:            true,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
		},
	}
}

func (r *operatorResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

// ModifyPlan makes the addon known at plan time: it is the provider's.
func (r *operatorResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() || r.data == nil {
		return
	}
	resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("addon_unique_name"), r.data.addon)...)
}

func (r *operatorResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan operatorModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	op, err := r.data.client.CreateOperator(ctx, chatwhizz.CreateOperatorInput{
		Email:     plan.Email.ValueString(),
		FirstName: plan.FirstName.ValueString(),
		LastName:  plan.LastName.ValueString(),
	})
	if err != nil {
		resp.Diagnostics.AddError("Error creating operator", fmt.Sprintf("Could not create operator %q: %s", plan.Email.ValueString(), err))
		return
	}
	plan.ID = types.StringValue(op.ID)
	plan.Name = types.StringValue(op.Name)
	plan.AddonUniqueName = types.StringValue(r.data.addon)
	// Creating always leaves the operator active.
	if !plan.Active.ValueBool() {
		resp.Diagnostics.Append(resp.State.Set(ctx, withActive(plan, true))...)
		if err := r.data.client.SetOperatorActive(ctx, op.ID, false); err != nil {
			resp.Diagnostics.AddError("Error deactivating operator", fmt.Sprintf("Operator %q (%s) was created but could not be made inactive: %s", plan.Email.ValueString(), op.ID, err))
			return
		}
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

func withActive(m operatorModel, active bool) *operatorModel {
	m.Active = types.BoolValue(active)
	return &m
}

func (r *operatorResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state operatorModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	op, err := r.data.client.GetOperator(ctx, state.ID.ValueString())
	if errors.Is(err, chatwhizz.ErrNotFound) {
		resp.Diagnostics.AddWarning("Operator not found", fmt.Sprintf("The operator %s no longer exists in this organisation; it is removed from the state and will be planned for creation.", state.ID.ValueString()))
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		resp.Diagnostics.AddError("Error reading operator", fmt.Sprintf("Could not read operator %s: %s", state.ID.ValueString(), err))
		return
	}
	state.Email = keepEmailCase(state.Email, op.Email)
	state.Name = types.StringValue(op.Name)
	state.Active = types.BoolValue(op.Active)
	state.AddonUniqueName = types.StringValue(r.data.addon)
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

func (r *operatorResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state operatorModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if plan.Active.ValueBool() != state.Active.ValueBool() {
		if err := r.data.client.SetOperatorActive(ctx, state.ID.ValueString(), plan.Active.ValueBool()); err != nil {
			resp.Diagnostics.AddAttributeError(path.Root("active"), "Error updating operator", fmt.Sprintf("Could not set operator %s active=%t: %s", state.ID.ValueString(), plan.Active.ValueBool(), err))
			return
		}
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

// Delete makes the operator inactive for the addon: the API has no delete.
func (r *operatorResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state operatorModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	err := r.data.client.SetOperatorActive(ctx, state.ID.ValueString(), false)
	if err != nil && !errors.Is(err, chatwhizz.ErrNotFound) {
		resp.Diagnostics.AddError("Error deactivating operator", fmt.Sprintf("Could not make operator %s inactive: %s", state.ID.ValueString(), err))
	}
}

func (r *operatorResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	if !operatorIDPattern.MatchString(req.ID) {
		resp.Diagnostics.AddError("Invalid import ID", fmt.Sprintf("The import ID of chatwhizz_operator is the operator id, 24 lower-case hexadecimal characters; got %q.", req.ID))
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), req.ID)...)
}
