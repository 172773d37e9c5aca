package provider

import (
	"context"
	"errors"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"
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
	_ resource.ResourceWithIdentity    = (*operatorResource)(nil)
)

func newOperatorResource() resource.Resource { return &operatorResource{} }

type operatorResource struct{ configuredResource }

type operatorModel struct {
	ID types.String `tfsdk:"id"`
	operatorAPIFields
	FirstName types.String `tfsdk:"first_name"`
	LastName  types.String `tfsdk:"last_name"`
	providerAddon
}

func (m *operatorModel) attributes() []attribute {
	return []attribute{
		{"id", &m.ID}, {"email", &m.Email}, {"name", &m.Name}, {"active", &m.Active},
		{"first_name", &m.FirstName}, {"last_name", &m.LastName}, {"addon_unique_name", &m.AddonUniqueName},
	}
}

// setFromServer maps the API's answer for the operator, under the provider's
// addon.
func (m *operatorModel) setFromServer(op *chatwhizz.Operator, addon string) {
	m.setFromAPI(op)
	m.setAddon(addon)
}

func (r *operatorResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_operator"
}

func (r *operatorResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = operatorIdentitySchema()
}

func (r *operatorResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
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
				MarkdownDescription: "The operator's email address; a value that is not an email address is refused at plan time. " +
					"Compared case-insensitively: a change of case only is recorded in place; any other change replaces the operator.",
				Required:      true,
				Validators:    []validator.String{emailValidator()},
				PlanModifiers: []planmodifier.String{requiresReplaceUnlessSameEmail("operator")},
			},
			"first_name": schema.StringAttribute{
				MarkdownDescription: "The operator's first name, sent when the operator is created. The API uses it only when the email is new to the organisation, " +
					"and it cannot rename an operator: a later change alone is recorded in place, with no call, and the apply warns that `name` keeps what the API reports. " +
					"With a change of `email`, the operator is replaced, and the create sends the names with the new email. " +
					"Left out, none is sent. The API cannot read it back, so a change made outside Terraform is neither seen nor set back.",
				Optional: true,
			},
			"last_name": schema.StringAttribute{
				MarkdownDescription: "The operator's last name; see `first_name` for when the API uses it. Left out, none is sent.",
				Optional:            true,
			},
			"active": schema.BoolAttribute{
				MarkdownDescription: "Whether the operator is active for the provider's addon. Defaults to `true`. A change made outside Terraform is set back by the next apply.",
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

// ModifyPlan makes the addon known at plan time (it is the provider's).
func (r *operatorResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() || r.data == nil || unchanged(req) {
		return
	}
	resp.Diagnostics.Append(planAddon(ctx, &resp.Plan, r.data.addon)...)
}

func (r *operatorResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	operate(ctx, req.Plan, &resp.Diagnostics, func(ctx context.Context, plan operatorModel) {
		email := plan.Email.ValueString()
		claim := r.data.claims.lockOrReport(operatorKey(email), fmt.Sprintf("created or adopted it with email %q", email), "operator", fmt.Sprintf("The operator with email %q (emails are compared without regard to case)", email), &resp.Diagnostics)
		if claim == nil {
			return
		}
		defer claim.Unlock()
		op, err := r.data.client.CreateOperator(ctx, chatwhizz.CreateOperatorInput{
			Email:     plan.Email.ValueString(),
			FirstName: plan.FirstName.ValueString(),
			LastName:  plan.LastName.ValueString(),
		})
		if err != nil {
			resp.Diagnostics.AddError("Error creating operator", fmt.Sprintf("Could not create operator %q: %s", plan.Email.ValueString(), err))
			return
		}
		claim.take(holderFor(ctx, nil, resp.Private, &resp.Diagnostics))
		plan.ID = types.StringValue(op.ID)
		setIdentity(ctx, resp.Identity, &operatorIdentityModel{ID: plan.ID}, &resp.Diagnostics)
		wantActive := plan.Active
		// Creating always leaves the operator active: recorded so, until it is not.
		plan.setFromServer(op, r.data.addon)
		if !wantActive.ValueBool() {
			resp.Diagnostics.Append(setState(ctx, &resp.State, &plan)...)
			if err := r.data.client.SetOperatorActive(ctx, op.ID, false); err != nil {
				resp.Diagnostics.AddError("Error deactivating operator", fmt.Sprintf("Operator %q (%s) was created but could not be made inactive: %s", plan.Email.ValueString(), op.ID, err))
				return
			}
			plan.Active = wantActive
		}
		resp.Diagnostics.Append(setState(ctx, &resp.State, &plan)...)
	})
}

func (r *operatorResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	operate(ctx, req.State, &resp.Diagnostics, func(ctx context.Context, state operatorModel) {
		setIdentity(ctx, resp.Identity, &operatorIdentityModel{ID: state.ID}, &resp.Diagnostics)
		op, err := r.data.client.GetOperator(ctx, state.ID.ValueString())
		if errors.Is(err, chatwhizz.ErrNotFound) {
			removeVanished(ctx, &resp.State, &resp.Diagnostics, "Operator not found",
				fmt.Sprintf("The operator %s no longer exists in this organisation.", state.ID.ValueString()))
			return
		}
		if err != nil {
			resp.Diagnostics.AddError("Error reading operator", fmt.Sprintf("Could not read operator %s: %s", state.ID.ValueString(), err))
			return
		}
		state.setFromServer(op, r.data.addon)
		resp.Diagnostics.Append(setState(ctx, &resp.State, &state)...)
	})
}

func (r *operatorResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	operateOnChange(ctx, req.Plan, req.State, &resp.Diagnostics, func(ctx context.Context, plan, state operatorModel) {
		if plan.Active.ValueBool() != state.Active.ValueBool() {
			if err := r.data.client.SetOperatorActive(ctx, state.ID.ValueString(), plan.Active.ValueBool()); err != nil {
				resp.Diagnostics.AddAttributeError(path.Root("active"), "Error updating operator", fmt.Sprintf("Could not set operator %s active=%t: %s", state.ID.ValueString(), plan.Active.ValueBool(), err))
				return
			}
		}
		warnNameNotSent(plan, state, &resp.Diagnostics)
		resp.Diagnostics.Append(setState(ctx, &resp.State, &plan)...)
		setIdentity(ctx, resp.Identity, &operatorIdentityModel{ID: plan.ID}, &resp.Diagnostics)
	})
}

// warnNameNotSent says that a new first or last name is recorded in the
// state only. It runs in Update, which an in-place change reaches and a
// replacement never does, and once per apply: a warning of the plan would
// be repeated by the apply phase, which plans again.
func warnNameNotSent(plan, state operatorModel, diags *diag.Diagnostics) {
	for _, n := range []struct {
		attr         string
		planned, was types.String
	}{{"first_name", plan.FirstName, state.FirstName}, {"last_name", plan.LastName, state.LastName}} {
		if n.planned.Equal(n.was) {
			continue
		}
		diags.AddAttributeWarning(path.Root(n.attr), "Operator names cannot be changed",
			fmt.Sprintf("The API cannot rename an existing operator: the new %s of operator %s is recorded in the state only, "+
				"and its name stays %q.", n.attr, state.ID.ValueString(), state.Name.ValueString()))
	}
}

// Delete makes the operator inactive for the addon: the API has no delete.
func (r *operatorResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	operate(ctx, req.State, &resp.Diagnostics, func(ctx context.Context, state operatorModel) {
		claim := r.data.claims.lock(operatorKey(state.Email.ValueString()))
		defer claim.Unlock()
		if claim.keptFrom(holderOf(ctx, req.Private)) {
			resp.Diagnostics.AddWarning("Deposed operator left alone", fmt.Sprintf(
				"The operator %s (%s) was not made inactive: its replacement in this same apply landed on the same operator "+
					"(the API has no delete, so creating an operator with a known email answers the existing one), which keeps the configuration just applied.",
				state.ID.ValueString(), state.Email.ValueString()))
			return
		}
		err := r.data.client.SetOperatorActive(ctx, state.ID.ValueString(), false)
		if err != nil && !errors.Is(err, chatwhizz.ErrNotFound) {
			resp.Diagnostics.AddError("Error deactivating operator", fmt.Sprintf("Could not make operator %s inactive: %s", state.ID.ValueString(), err))
		}
	})
}

func (r *operatorResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	id, given := req.ID, "The import ID of chatwhizz_operator is the operator id"
	var identity operatorIdentityModel
	if importedIdentity(req.ID, req.Identity, &identity, &resp.Diagnostics) {
		id, given = identity.ID.ValueString(), "The identity's id is the operator id"
	}
	if resp.Diagnostics.HasError() {
		return
	}
	if !operatorIDPattern.MatchString(id) {
		resp.Diagnostics.AddError("Invalid import ID", fmt.Sprintf("%s, 24 lower-case hexadecimal characters; got %q.", given, id))
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), id)...)
	setIdentity(ctx, resp.Identity, &operatorIdentityModel{ID: types.StringValue(id)}, &resp.Diagnostics)
}
