package provider

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/chatwhizz/terraform-provider-chatwhizz/internal/chatwhizz"
)

var (
	_ resource.ResourceWithConfigure   = (*operatorAssignmentResource)(nil)
	_ resource.ResourceWithImportState = (*operatorAssignmentResource)(nil)
	_ resource.ResourceWithModifyPlan  = (*operatorAssignmentResource)(nil)
	_ resource.ResourceWithIdentity    = (*operatorAssignmentResource)(nil)
)

func newOperatorAssignmentResource() resource.Resource { return &operatorAssignmentResource{} }

type operatorAssignmentResource struct{ configuredResource }

type operatorAssignmentModel struct {
	ID              types.String `tfsdk:"id"`
	DomainName      types.String `tfsdk:"domain_name"`
	OperatorID      types.String `tfsdk:"operator_id"`
	IsAdmin         types.Bool   `tfsdk:"is_admin"`
	OnlineStatus    types.Bool   `tfsdk:"online_status"`
	UniqueID        types.String `tfsdk:"unique_id"`
	ReceiveMessages types.Bool   `tfsdk:"receive_messages"`
	operatorContact
}

func (m *operatorAssignmentModel) attributes() []attribute {
	return []attribute{
		{"id", &m.ID}, {"domain_name", &m.DomainName}, {"operator_id", &m.OperatorID},
		{"is_admin", &m.IsAdmin}, {"online_status", &m.OnlineStatus}, {"unique_id", &m.UniqueID},
		{"receive_messages", &m.ReceiveMessages}, {"name", &m.Name}, {"email", &m.Email},
	}
}

func assignmentID(domain, operatorID string) string { return domain + "/" + operatorID }

func (r *operatorAssignmentResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_operator_assignment"
	// domain_name changes in place, and so the identity.
	resp.ResourceBehavior.MutableIdentity = true
}

func (r *operatorAssignmentResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = assignmentIdentitySchema()
}

// identity is the assignment's identity: it follows domain_name.
func (m operatorAssignmentModel) identity() *assignmentIdentityModel {
	return &assignmentIdentityModel{DomainName: m.DomainName, OperatorID: m.OperatorID}
}

func (r *operatorAssignmentResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	sellerBuyerOnly := " Only for the `" + chatwhizz.AddonSellerBuyer + "` addon: setting it under another addon is an error at plan time."
	notManagedAfterImport := " After an import, the API cannot tell the setting: left out of the configuration, it is not managed (never sent, never shown as a change)."
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
				MarkdownDescription: "The domain's name, a lower-case host name such as `shop.example.com` (as for `chatwhizz_domain`'s `name`; anything else is refused at plan time). A change is made in place: when the domain was renamed (by `chatwhizz_domain`, in the same apply), " +
					"the server has carried the assignment along and nothing is sent; when it names another domain, the operator is assigned there " +
					"with its settings and released from the old domain, if that still exists (under its new name, when `chatwhizz_domain` renamed it in the same apply).",
				Required:   true,
				Validators: []validator.String{hostNameValidator{}},
			},
			"operator_id": schema.StringAttribute{
				MarkdownDescription: "The operator's id (`chatwhizz_operator.<name>.id`): 24 lower-case hexadecimal characters; anything else is refused at plan time. " +
					"Changing it replaces the assignment.",
				Required:      true,
				Validators:    []validator.String{operatorIDValidator()},
				PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
			},
			"is_admin": schema.BoolAttribute{
				MarkdownDescription: "Whether the operator is an admin of the domain. Left out, a new assignment gets `false`." + notManagedAfterImport,
				Optional:            true,
				Computed:            true,
			},
			"online_status": schema.BoolAttribute{
				MarkdownDescription: "Whether the operator shows as online on the domain. Left out, a new assignment gets `true`." + notManagedAfterImport,
				Optional:            true,
				Computed:            true,
			},
			"unique_id": schema.StringAttribute{
				MarkdownDescription: "The unique id of the seller's product page: a non-empty string. The API cannot clear it, and an assignment keeps it " +
					"through destroy and re-assignment. Left out on create, the state records what the server reports: none for a new assignment, " +
					"the old value for one an earlier destroy released. Removed from the configuration later, it is not sent (the API refuses an empty one) " +
					"and the plan shows no change: the state keeps the value the server keeps. After an import the API cannot tell it: left out, " +
					"it stays null in the state, whatever the server holds, and is not managed." + sellerBuyerOnly,
				Optional:   true,
				Computed:   true,
				Validators: []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"receive_messages": schema.BoolAttribute{
				MarkdownDescription: "Whether the operator gets the domain's messages (the API's assignment `status`). " +
					"Left out, a new assignment gets `true` on the seller-buyer addon; null on others." + notManagedAfterImport + sellerBuyerOnly,
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

// ModifyPlan refuses the seller-buyer attributes under another addon, plans
// the settings the configuration leaves out (see plannedSetting), and makes
// id known. A plan reads every assignment, so it reads and writes whole
// objects through the model's attribute list (objects.go), not attribute by
// attribute: each of the framework's path lookups copies the schema.
func (r *operatorAssignmentResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() || r.data == nil {
		return
	}
	creating := req.State.Raw.IsNull()
	var config, state, plan operatorAssignmentModel
	resp.Diagnostics.Append(readModel(req.Config.Raw, &config)...)
	resp.Diagnostics.Append(readModel(resp.Plan.Raw, &plan)...)
	if !creating {
		resp.Diagnostics.Append(readModel(req.State.Raw, &state)...)
	}
	if resp.Diagnostics.HasError() {
		return
	}
	if !r.data.sellerBuyer() {
		for _, a := range []struct {
			name string
			set  bool
		}{{"unique_id", !config.UniqueID.IsNull()}, {"receive_messages", !config.ReceiveMessages.IsNull()}} {
			if a.set {
				resp.Diagnostics.AddAttributeError(path.Root(a.name), "Attribute not supported by this addon",
					fmt.Sprintf("%s is only available with addon_unique_name = %q; this provider block uses %q. Remove it, or use a provider block for the seller-buyer addon.",
						a.name, chatwhizz.AddonSellerBuyer, r.data.addon))
			}
		}
		if resp.Diagnostics.HasError() {
			return
		}
	}
	plan.IsAdmin = plannedSetting(config.IsAdmin, state.IsAdmin, creating, false)
	plan.OnlineStatus = plannedSetting(config.OnlineStatus, state.OnlineStatus, creating, true)
	plan.ReceiveMessages, plan.UniqueID = types.BoolNull(), types.StringNull()
	if r.data.sellerBuyer() {
		plan.ReceiveMessages = plannedSetting(config.ReceiveMessages, state.ReceiveMessages, creating, true)
		plan.UniqueID = plannedUniqueID(config.UniqueID, state.UniqueID, creating || !plan.DomainName.Equal(state.DomainName))
	}
	if !plan.DomainName.IsUnknown() && !plan.OperatorID.IsUnknown() {
		plan.ID = types.StringValue(assignmentID(plan.DomainName.ValueString(), plan.OperatorID.ValueString()))
	}
	resp.Diagnostics.Append(setPlan(ctx, &resp.Plan, &plan)...)
}

// plannedSetting is the planned value of a setting. The configuration's value
// wins. Left out, a new assignment gets the value a new assignment has on the
// server (sent explicitly: the create may land on an assignment that an
// earlier destroy released); an assignment whose setting is unknown since
// its import keeps it unmanaged (null); one that Terraform has set goes back
// to the new-assignment value, as a default would.
func plannedSetting(config, state types.Bool, creating, newAssignment bool) types.Bool {
	switch {
	case !config.IsNull():
		return config
	case !creating && state.IsNull():
		return types.BoolNull()
	default:
		return types.BoolValue(newAssignment)
	}
}

// plannedUniqueID is the planned unique_id, which the API can set but never
// clear. The configuration's value wins. Left out, it is what the server
// keeps: known from the state, or, when the operator is assigned to a domain
// (reassigning) and the state does not know it, what the assign call will
// report (none for a new assignment, the old value for a released one).
func plannedUniqueID(config, state types.String, reassigning bool) types.String {
	switch {
	case !config.IsNull():
		return config
	case reassigning && state.IsNull():
		return types.StringUnknown()
	default:
		return state
	}
}

func (r *operatorAssignmentResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	operate(ctx, req.Plan, &resp.Diagnostics, func(ctx context.Context, plan operatorAssignmentModel) {
		domain, opID := plan.DomainName.ValueString(), plan.OperatorID.ValueString()
		claim := r.data.claims.lockOrReport(assignmentKey(domain, opID), "created or adopted it", "assignment", assignmentObject(domain, opID), &resp.Diagnostics)
		if claim == nil {
			return
		}
		defer claim.Unlock()
		assigned, err := r.assign(ctx, plan)
		if err != nil {
			resp.Diagnostics.AddError("Error assigning operator", fmt.Sprintf("Could not assign operator %s to domain %q: %s", opID, domain, err))
			return
		}
		claim.take(holderFor(ctx, nil, resp.Private, &resp.Diagnostics))
		plan.UniqueID = uniqueIDAfterAssign(plan.UniqueID, assigned)
		plan.ID = types.StringValue(assignmentID(domain, opID))
		setIdentity(ctx, resp.Identity, plan.identity(), &resp.Diagnostics)
		plan.setFromAPI(assigned.Name, assigned.Email)
		// Record the assignment before the second call, so that a failure there
		// leaves it in state (tainted) rather than unknown to Terraform.
		resp.Diagnostics.Append(setState(ctx, &resp.State, &plan)...)
		if err := r.applyOtherSettings(ctx, plan); err != nil {
			resp.Diagnostics.AddError("Error configuring assignment", err.Error())
		}
	})
}

// assign is the assign call, with the settings it can carry (is_admin and
// unique_id, when planned). Assigning a pair that is already assigned
// applies them to the existing assignment.
func (r *operatorAssignmentResource) assign(ctx context.Context, plan operatorAssignmentModel) (*chatwhizz.Assignment, error) {
	in := chatwhizz.AssignInput{
		DomainName: plan.DomainName.ValueString(),
		OperatorID: plan.OperatorID.ValueString(),
		IsAdmin:    plan.IsAdmin.ValueBoolPointer(),
	}
	if !plan.UniqueID.IsUnknown() {
		in.UniqueID = plan.UniqueID.ValueStringPointer()
	}
	return r.data.client.AssignOperator(ctx, in)
}

// uniqueIDAfterAssign is unique_id as the server holds it after an assign
// call: the planned value, or, when the plan left it to the server, the
// value the call reported.
func uniqueIDAfterAssign(planned types.String, assigned *chatwhizz.Assignment) types.String {
	if planned.IsUnknown() {
		return optionalString(assigned.UniqueID)
	}
	return planned
}

// applyOtherSettings sends what the assign call cannot carry: online_status
// and, on the seller-buyer addon, receive_messages, when planned.
func (r *operatorAssignmentResource) applyOtherSettings(ctx context.Context, plan operatorAssignmentModel) error {
	domain, opID := plan.DomainName.ValueString(), plan.OperatorID.ValueString()
	upd := chatwhizz.AssignmentUpdate{DomainName: domain, OnlineStatus: plan.OnlineStatus.ValueBoolPointer()}
	if r.data.sellerBuyer() {
		upd.Status = plan.ReceiveMessages.ValueBoolPointer()
	}
	if upd.OnlineStatus == nil && upd.Status == nil {
		return nil
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
	operate(ctx, req.State, &resp.Diagnostics, func(ctx context.Context, state operatorAssignmentModel) {
		setIdentity(ctx, resp.Identity, state.identity(), &resp.Diagnostics)
		domain, opID := state.DomainName.ValueString(), state.OperatorID.ValueString()
		if now, ok := r.data.claims.foundRenamed(domain); ok {
			// The refresh found this assignment's domain under its new name
			// (an earlier apply's rename lost its answer): follow it.
			domain, state.DomainName = now, types.StringValue(now)
			setIdentity(ctx, resp.Identity, state.identity(), &resp.Diagnostics)
		}
		if _, err := r.data.client.GetDomain(ctx, domain); err != nil {
			r.readFailed(ctx, resp, err, "domain", fmt.Sprintf("domain %q", domain))
			return
		}
		op, err := r.data.client.GetOperator(ctx, opID)
		if err != nil {
			r.readFailed(ctx, resp, err, "operator", "operator "+opID)
			return
		}
		state.ID = types.StringValue(assignmentID(domain, opID))
		state.setFromAPI(op.Name, op.Email)
		resp.Diagnostics.Append(setState(ctx, &resp.State, &state)...)
	})
}

// readFailed reports a failed read of one end (end is "domain" or
// "operator"; what names it): gone, the assignment is planned again.
func (r *operatorAssignmentResource) readFailed(ctx context.Context, resp *resource.ReadResponse, err error, end, what string) {
	if errors.Is(err, chatwhizz.ErrNotFound) {
		removeVanished(ctx, &resp.State, &resp.Diagnostics, "Assignment's "+end+" not found",
			fmt.Sprintf("The %s no longer exists, and so neither does the assignment.", what))
		return
	}
	resp.Diagnostics.AddError("Error reading assignment", fmt.Sprintf("Could not read the %s of the assignment: %s", what, err))
}

func (r *operatorAssignmentResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	operateOnChange(ctx, req.Plan, req.State, &resp.Diagnostics, func(ctx context.Context, plan, state operatorAssignmentModel) {
		plan.operatorContact = state.operatorContact
		from, to := state.DomainName.ValueString(), plan.DomainName.ValueString()
		if from != to && !r.data.claims.wasRenamed(from, to) {
			r.move(ctx, plan, from, holderFor(ctx, req.Private, resp.Private, &resp.Diagnostics), resp)
			return
		}
		opID := plan.OperatorID.ValueString()
		if from != to {
			// The domain was renamed: the server carried the assignment, and its
			// unique_id, along, and it is this resource's under the new name.
			claim := r.data.claims.lockOrReport(assignmentKey(to, opID), fmt.Sprintf("followed the rename of domain %q onto it", from), "assignment", assignmentObject(to, opID), &resp.Diagnostics)
			if claim == nil {
				return
			}
			claim.take(holderFor(ctx, req.Private, resp.Private, &resp.Diagnostics))
			claim.Unlock()
		}
		if plan.UniqueID.IsUnknown() {
			plan.UniqueID = state.UniqueID
		}
		// Same domain, or one this apply renamed: only changed settings are sent.
		if upd := r.settingsUpdate(plan, state); upd != (chatwhizz.AssignmentUpdate{DomainName: to}) {
			_, err := r.data.client.UpdateAssignment(ctx, opID, upd)
			if errors.Is(err, chatwhizz.ErrNotFound) {
				// The assignment is gone although both ends exist: assign again
				// with every managed setting.
				if _, err = r.assign(ctx, plan); err == nil {
					err = r.applyOtherSettings(ctx, plan)
				}
			}
			if err != nil {
				resp.Diagnostics.AddError("Error updating assignment", fmt.Sprintf("Could not update the assignment of operator %s to domain %q: %s", opID, to, err))
				return
			}
		}
		resp.Diagnostics.Append(setState(ctx, &resp.State, &plan)...)
		setIdentity(ctx, resp.Identity, plan.identity(), &resp.Diagnostics)
	})
}

// changed reports whether a managed setting is planned to a new value; a
// setting planned null is not managed and never sent.
// settingsUpdate is the update that sends the settings the plan changes from
// the state, on the planned domain; the seller-buyer ones only on that addon.
func (r *operatorAssignmentResource) settingsUpdate(plan, state operatorAssignmentModel) chatwhizz.AssignmentUpdate {
	upd := chatwhizz.AssignmentUpdate{DomainName: plan.DomainName.ValueString()}
	if changed(plan.IsAdmin, state.IsAdmin) {
		upd.IsAdmin = plan.IsAdmin.ValueBoolPointer()
	}
	if changed(plan.OnlineStatus, state.OnlineStatus) {
		upd.OnlineStatus = plan.OnlineStatus.ValueBoolPointer()
	}
	if r.data.sellerBuyer() {
		if !plan.UniqueID.IsNull() && !plan.UniqueID.Equal(state.UniqueID) {
			upd.UniqueID = plan.UniqueID.ValueStringPointer()
		}
		if changed(plan.ReceiveMessages, state.ReceiveMessages) {
			upd.Status = plan.ReceiveMessages.ValueBoolPointer()
		}
	}
	return upd
}

func changed(planned, prior types.Bool) bool { return !planned.IsNull() && !planned.Equal(prior) }

// move assigns the operator to the domain the plan names, with its managed
// settings, then releases it from the old domain when that still exists.
// Until both are done the state keeps the old domain, so a failure is tried
// again by the next apply.
func (r *operatorAssignmentResource) move(ctx context.Context, plan operatorAssignmentModel, from, holder string, resp *resource.UpdateResponse) {
	to, opID := plan.DomainName.ValueString(), plan.OperatorID.ValueString()
	claim := r.data.claims.lockOrReport(assignmentKey(to, opID), fmt.Sprintf("moved from domain %q onto it", from), "assignment", assignmentObject(to, opID), &resp.Diagnostics)
	if claim == nil {
		return
	}
	assigned, err := r.assign(ctx, plan)
	if err == nil {
		claim.take(holder)
		plan.UniqueID = uniqueIDAfterAssign(plan.UniqueID, assigned)
		err = r.applyOtherSettings(ctx, plan)
	}
	claim.Unlock()
	if err != nil {
		resp.Diagnostics.AddAttributeError(path.Root("domain_name"), "Error moving assignment",
			fmt.Sprintf("Could not assign operator %s to domain %q (it stays assigned to %q): %s", opID, to, from, err))
		return
	}
	if left, released, err := r.release(ctx, from, opID, holder); err != nil && !errors.Is(err, chatwhizz.ErrNotFound) {
		resp.Diagnostics.AddAttributeError(path.Root("domain_name"), "Error moving assignment",
			fmt.Sprintf("Operator %s is now assigned to domain %q, but could not be released from domain %q: %s", opID, to, released, err))
		return
	} else if left {
		tflog.Info(ctx, "old assignment left alone: this apply has just assigned the operator there again", map[string]any{"domain_name": released, "operator_id": opID})
	}
	resp.Diagnostics.Append(setState(ctx, &resp.State, &plan)...)
	setIdentity(ctx, resp.Identity, plan.identity(), &resp.Diagnostics)
}

// Delete takes the operator offline for the domain and clears admin (and
// messages on the seller-buyer addon): the API cannot remove an assignment.
func (r *operatorAssignmentResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	operate(ctx, req.State, &resp.Diagnostics, func(ctx context.Context, state operatorAssignmentModel) {
		opID := state.OperatorID.ValueString()
		left, domain, err := r.release(ctx, state.DomainName.ValueString(), opID, holderOf(ctx, req.Private))
		switch {
		case left:
			resp.Diagnostics.AddWarning("Deposed assignment left alone", fmt.Sprintf(
				"The assignment of operator %s to domain %q was not released: its replacement in this same apply landed on the same assignment "+
					"(the API has no delete), which keeps the settings just applied.", opID, domain))
		case err != nil && !errors.Is(err, chatwhizz.ErrNotFound):
			resp.Diagnostics.AddError("Error releasing assignment", fmt.Sprintf("Could not take operator %s offline on domain %q: %s", opID, domain, err))
		}
	})
}

// release takes the operator offline on the domain and clears admin (and
// messages on the seller-buyer addon), unless this apply has just assigned
// it there (left is then true, and nothing is sent). The domain is named as
// the state knows it; when this apply has renamed it, the release acts on
// it under its new name, which it returns, and a rename waits until the
// release is done.
func (r *operatorAssignmentResource) release(ctx context.Context, stateDomain, opID, holder string) (left bool, domain string, err error) {
	domainClaim, domain := r.data.claims.lockDomainName(stateDomain)
	defer domainClaim.Unlock()
	claim := r.data.claims.lock(assignmentKey(domain, opID))
	defer claim.Unlock()
	if claim.keptFrom(holder) {
		return true, domain, nil
	}
	upd := chatwhizz.AssignmentUpdate{DomainName: domain, OnlineStatus: new(false), IsAdmin: new(false)}
	if r.data.sellerBuyer() {
		upd.Status = new(false)
	}
	_, err = r.data.client.UpdateAssignment(ctx, opID, upd)
	return false, domain, err
}

// assignmentObject names an assignment in an error.
func assignmentObject(domain, opID string) string {
	return fmt.Sprintf("The assignment of operator %s to domain %q", opID, domain)
}

func (r *operatorAssignmentResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	id := req.ID
	var identity assignmentIdentityModel
	if importedIdentity(req.ID, req.Identity, &identity, &resp.Diagnostics) {
		id = assignmentID(identity.DomainName.ValueString(), identity.OperatorID.ValueString())
	}
	if resp.Diagnostics.HasError() {
		return
	}
	domain, opID, err := parseAssignmentID(id)
	if err != nil {
		resp.Diagnostics.AddError("Invalid import ID", err.Error())
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), assignmentID(domain, opID))...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("domain_name"), domain)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("operator_id"), opID)...)
	setIdentity(ctx, resp.Identity, &assignmentIdentityModel{DomainName: types.StringValue(domain), OperatorID: types.StringValue(opID)}, &resp.Diagnostics)
	resp.Diagnostics.AddWarning("Assignment not confirmed", fmt.Sprintf(
		"The API cannot read an assignment, so this import could not confirm that operator %s is assigned to domain %q: "+
			"only that both exist, which the refresh after the import checks. To make sure it is, set one of its settings "+
			"in the configuration, such as online_status = true: the next apply sends it, and assigns the operator if it is not.", opID, domain))
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
