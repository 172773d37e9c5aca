package provider

import (
	"context"
	"errors"
	"fmt"
	"strings"

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
	_ resource.ResourceWithConfigure   = (*operatorAssignmentResource)(nil)
	_ resource.ResourceWithImportState = (*operatorAssignmentResource)(nil)
	_ resource.ResourceWithModifyPlan  = (*operatorAssignmentResource)(nil)
)

func newOperatorAssignmentResource() resource.Resource { return &operatorAssignmentResource{} }

type operatorAssignmentResource struct{ data *providerData }

type operatorAssignmentModel struct {
	ID              types.String `tfsdk:"id"`
	DomainName      types.String `tfsdk:"domain_name"`
	OperatorID      types.String `tfsdk:"operator_id"`
	IsAdmin         types.Bool   `tfsdk:"is_admin"`
	OnlineStatus    types.Bool   `tfsdk:"online_status"`
	UniqueID        types.String `tfsdk:"unique_id"`
	ReceiveMessages types.Bool   `tfsdk:"receive_messages"`
	Name            types.String `tfsdk:"name"`
	Email           types.String `tfsdk:"email"`
}

func assignmentID(domain, operatorID string) string { return domain + "/" + operatorID }

func (r *operatorAssignmentResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_operator_assignment"
}

func (r *operatorAssignmentResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	sellerBuyerOnly := " Only for the `" + chatwhizz.AddonSellerBuyer + "` addon: setting it under another addon is an error at plan time."
	resp.Schema = schema.Schema{
		MarkdownDescription: "An operator assigned to a domain. The API cannot read an assignment back: Read checks that the " +
			"domain and the operator still exist (and forgets the assignment when either is gone) and keeps the other attributes " +
			"as last applied, so changes made outside Terraform to `is_admin`, `online_status`, `unique_id` or `receive_messages` are not detected. " +
			"The API cannot remove an assignment either: destroying this resource takes the operator offline for the domain and clears admin " +
			"(and, on the seller-buyer addon, stops its messages).",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				MarkdownDescription: "`<domain_name>/<operator_id>`, which is also the import ID.",
				Computed:            true,
			},
			"domain_name": schema.StringAttribute{
				MarkdownDescription: "The domain's name. Changing it replaces the assignment.",
				Required:            true,
				Validators:          []validator.String{hostNameValidator{}},
				PlanModifiers:       []planmodifier.String{stringplanmodifier.RequiresReplace()},
			},
			"operator_id": schema.StringAttribute{
				MarkdownDescription: "The operator's id (`chatwhizz_operator.<name>.id`). Changing it replaces the assignment.",
				Required:            true,
				Validators:          []validator.String{operatorIDValidator{}},
				PlanModifiers:       []planmodifier.String{stringplanmodifier.RequiresReplace()},
			},
			"is_admin": schema.BoolAttribute{
				MarkdownDescription: "Whether the operator is an admin of the domain. Defaults to `false`.",
				Optional:            true,
				Computed:            true,
				Default:             booldefault.StaticBool(false),
			},
			"online_status": schema.BoolAttribute{
				MarkdownDescription: "Whether the operator shows as online on the domain. Defaults to `true`.",
				Optional:            true,
				Computed:            true,
				Default:             booldefault.StaticBool(true),
			},
			"unique_id": schema.StringAttribute{
				MarkdownDescription: "The unique id of the seller's product page." + sellerBuyerOnly,
				Optional:            true,
			},
			"receive_messages": schema.BoolAttribute{
				MarkdownDescription: "Whether the operator gets the domain's messages (the API's assignment `status`). " +
					"Defaults to `true` on the seller-buyer addon and is null on others." + sellerBuyerOnly,
				Optional: true,
				Computed: true,
			},
			"name": schema.StringAttribute{
				MarkdownDescription: "The operator's name.",
				Computed:            true,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"email": schema.StringAttribute{
				MarkdownDescription: "The operator's email.",
				Computed:            true,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
		},
	}
}

func (r *operatorAssignmentResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

// ModifyPlan refuses the seller-buyer attributes under another addon, fills
// receive_messages' addon-dependent default, and makes id known.
func (r *operatorAssignmentResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() || r.data == nil {
		return
	}
	var plan, config operatorAssignmentModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if !r.data.sellerBuyer() {
		for attr, set := range map[string]bool{"unique_id": !config.UniqueID.IsNull(), "receive_messages": !config.ReceiveMessages.IsNull()} {
			if set {
				resp.Diagnostics.AddAttributeError(path.Root(attr), "Attribute not supported by this addon",
					fmt.Sprintf("%s is only available with addon_unique_name = %q; this provider block uses %q. Remove it, or use a provider block for the seller-buyer addon.",
						attr, chatwhizz.AddonSellerBuyer, r.data.addon))
			}
		}
		if resp.Diagnostics.HasError() {
			return
		}
	}
	if config.ReceiveMessages.IsNull() {
		if r.data.sellerBuyer() {
			plan.ReceiveMessages = types.BoolValue(true)
		} else {
			plan.ReceiveMessages = types.BoolNull()
		}
	}
	if !plan.DomainName.IsUnknown() && !plan.OperatorID.IsUnknown() {
		plan.ID = types.StringValue(assignmentID(plan.DomainName.ValueString(), plan.OperatorID.ValueString()))
	}
	resp.Diagnostics.Append(resp.Plan.Set(ctx, &plan)...)
}

func (r *operatorAssignmentResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan operatorAssignmentModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	domain, opID := plan.DomainName.ValueString(), plan.OperatorID.ValueString()
	onServer := false
	err := r.assign(ctx, plan, func(assigned *chatwhizz.Assignment) {
		onServer = true
		plan.ID = types.StringValue(assignmentID(domain, opID))
		plan.Name = types.StringValue(assigned.Name)
		plan.Email = types.StringValue(assigned.Email)
		// Record the assignment before the second call, so that a failure
		// there leaves it in state (tainted) rather than unknown to Terraform.
		resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
	})
	switch {
	case err != nil && onServer:
		resp.Diagnostics.AddError("Error configuring assignment", err.Error())
	case err != nil:
		resp.Diagnostics.AddError("Error assigning operator", fmt.Sprintf("Could not assign operator %s to domain %q: %s", opID, domain, err))
	}
}

// assign makes the assignment with every setting. The assign call cannot
// carry online_status (nor the seller-buyer status), and an assignment that
// already existed keeps its old values, so an update follows it; assigned
// runs in between, with the first call's answer.
func (r *operatorAssignmentResource) assign(ctx context.Context, plan operatorAssignmentModel, assigned func(*chatwhizz.Assignment)) error {
	domain, opID := plan.DomainName.ValueString(), plan.OperatorID.ValueString()
	a, err := r.data.client.AssignOperator(ctx, chatwhizz.AssignInput{
		DomainName: domain,
		OperatorID: opID,
		UniqueID:   plan.UniqueID.ValueStringPointer(),
		IsAdmin:    plan.IsAdmin.ValueBoolPointer(),
	})
	if err != nil {
		return err
	}
	assigned(a)
	upd := chatwhizz.AssignmentUpdate{DomainName: domain, OnlineStatus: plan.OnlineStatus.ValueBoolPointer()}
	if r.data.sellerBuyer() {
		upd.Status = plan.ReceiveMessages.ValueBoolPointer()
	}
	if _, err := r.data.client.UpdateAssignment(ctx, opID, upd); err != nil {
		return fmt.Errorf("operator %s is assigned to domain %q, but its settings could not be applied: %w", opID, domain, err)
	}
	return nil
}

// Read can only check that both ends still exist: the API has no read of an
// assignment. Those reads are shared with the domain and operator resources
// of the same run, so a plan costs no extra calls for assignments.
func (r *operatorAssignmentResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state operatorAssignmentModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	domain, opID := state.DomainName.ValueString(), state.OperatorID.ValueString()
	if _, err := r.data.client.GetDomain(ctx, domain); err != nil {
		r.readFailed(ctx, resp, err, fmt.Sprintf("domain %q", domain))
		return
	}
	op, err := r.data.client.GetOperator(ctx, opID)
	if err != nil {
		r.readFailed(ctx, resp, err, "operator "+opID)
		return
	}
	state.ID = types.StringValue(assignmentID(domain, opID))
	state.Name = types.StringValue(op.Name)
	state.Email = keepEmailCase(state.Email, op.Email)
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

func (r *operatorAssignmentResource) readFailed(ctx context.Context, resp *resource.ReadResponse, err error, what string) {
	if errors.Is(err, chatwhizz.ErrNotFound) {
		resp.Diagnostics.AddWarning("Assignment's "+strings.Fields(what)[0]+" not found",
			fmt.Sprintf("The %s no longer exists, so the assignment is removed from the state and will be planned again.", what))
		resp.State.RemoveResource(ctx)
		return
	}
	resp.Diagnostics.AddError("Error reading assignment", fmt.Sprintf("Could not read the %s of the assignment: %s", what, err))
}

func (r *operatorAssignmentResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state operatorAssignmentModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	domain, opID := plan.DomainName.ValueString(), plan.OperatorID.ValueString()
	upd := chatwhizz.AssignmentUpdate{DomainName: domain}
	if !plan.IsAdmin.Equal(state.IsAdmin) {
		upd.IsAdmin = plan.IsAdmin.ValueBoolPointer()
	}
	if !plan.OnlineStatus.Equal(state.OnlineStatus) {
		upd.OnlineStatus = plan.OnlineStatus.ValueBoolPointer()
	}
	if r.data.sellerBuyer() {
		if !plan.UniqueID.Equal(state.UniqueID) {
			upd.UniqueID = new(plan.UniqueID.ValueString())
		}
		if !plan.ReceiveMessages.Equal(state.ReceiveMessages) {
			upd.Status = plan.ReceiveMessages.ValueBoolPointer()
		}
	}
	if upd != (chatwhizz.AssignmentUpdate{DomainName: domain}) {
		_, err := r.data.client.UpdateAssignment(ctx, opID, upd)
		if errors.Is(err, chatwhizz.ErrNotFound) {
			// The assignment is gone although both ends exist: assign again
			// with every setting.
			err = r.assign(ctx, plan, func(*chatwhizz.Assignment) {})
		}
		if err != nil {
			resp.Diagnostics.AddError("Error updating assignment", fmt.Sprintf("Could not update the assignment of operator %s to domain %q: %s", opID, domain, err))
			return
		}
	}
	plan.Name, plan.Email = state.Name, state.Email
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

// Delete takes the operator offline for the domain and clears admin (and
// messages on the seller-buyer addon): the API cannot remove an assignment.
func (r *operatorAssignmentResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state operatorAssignmentModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	upd := chatwhizz.AssignmentUpdate{DomainName: state.DomainName.ValueString(), OnlineStatus: new(false), IsAdmin: new(false)}
	if r.data.sellerBuyer() {
		upd.Status = new(false)
	}
	_, err := r.data.client.UpdateAssignment(ctx, state.OperatorID.ValueString(), upd)
	if err != nil && !errors.Is(err, chatwhizz.ErrNotFound) {
		resp.Diagnostics.AddError("Error releasing assignment", fmt.Sprintf("Could not take operator %s offline on domain %q: %s", state.OperatorID.ValueString(), state.DomainName.ValueString(), err))
	}
}

func (r *operatorAssignmentResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	domain, opID, err := parseAssignmentID(req.ID)
	if err != nil {
		resp.Diagnostics.AddError("Invalid import ID", err.Error())
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), assignmentID(domain, opID))...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("domain_name"), domain)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("operator_id"), opID)...)
}

// parseAssignmentID splits "<domain_name>/<operator_id>".
func parseAssignmentID(id string) (domain, operatorID string, err error) {
	const format = "the import ID of chatwhizz_operator_assignment is <domain_name>/<operator_id>, such as shop.example.com/65f1c0ffee0123456789abcd"
	i := strings.LastIndex(id, "/")
	if i < 0 {
		return "", "", fmt.Errorf("%s; %q has no \"/\"", format, id)
	}
	domain, operatorID = id[:i], id[i+1:]
	if problem := hostNameProblem(domain); problem != "" {
		return "", "", fmt.Errorf("%s; the domain name %q is not valid: %s", format, domain, problem)
	}
	if !operatorIDPattern.MatchString(operatorID) {
		return "", "", fmt.Errorf("%s; %q is not an operator id (24 lower-case hexadecimal characters)", format, operatorID)
	}
	return domain, operatorID, nil
}
