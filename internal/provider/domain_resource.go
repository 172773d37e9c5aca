package provider

import (
	"context"
	"encoding/json"
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
	_ resource.ResourceWithConfigure   = (*domainResource)(nil)
	_ resource.ResourceWithImportState = (*domainResource)(nil)
	_ resource.ResourceWithModifyPlan  = (*domainResource)(nil)
	_ resource.ResourceWithIdentity    = (*domainResource)(nil)
)

func newDomainResource() resource.Resource { return &domainResource{} }

type domainResource struct{ configuredResource }

type domainModel struct {
	ID   types.String `tfsdk:"id"`
	Name types.String `tfsdk:"name"`
	domainAPIFields
	Link types.String `tfsdk:"link"`
}

func (m *domainModel) attributes() []attribute {
	return []attribute{
		{"id", &m.ID}, {"name", &m.Name}, {"email", &m.Email}, {"active", &m.Active},
		{"addon_unique_name", &m.AddonUniqueName}, {"link", &m.Link},
	}
}

func (r *domainResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_domain"
	// A rename in place changes the name, and so the identity.
	resp.ResourceBehavior.MutableIdentity = true
}

func (r *domainResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = domainIdentitySchema()
}

func (r *domainResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "A website domain of the organisation, under the provider's addon. " +
			"The API cannot delete a domain: destroying this resource sets the domain inactive, and creating it again later adopts it.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				MarkdownDescription: "The domain name (the same as `name`).",
				Computed:            true,
			},
			"name": schema.StringAttribute{
				MarkdownDescription: "The domain's host name, such as `shop.example.com`: lower case, at least two labels of `a-z`, `0-9` and inner hyphens, " +
					"at most 253 characters. A scheme, path, port, trailing dot or upper-case letter is refused at plan time. " +
					"Changing it renames the domain in place.",
				Required:   true,
				Validators: []validator.String{hostNameValidator{}},
			},
			"email": schema.StringAttribute{
				MarkdownDescription: "The email address the domain is registered with; a value that is not an email address is refused at plan time. " +
					"Compared case-insensitively; updated in place. A change made outside Terraform is set back by the next apply.",
				Required:   true,
				Validators: []validator.String{emailValidator()},
			},
			"active": schema.BoolAttribute{
				MarkdownDescription: "Whether the domain is active. Defaults to `true`. A change made outside Terraform is set back by the next apply.",
				Optional:            true,
				Computed:            true,
				Default:             booldefault.StaticBool(true),
			},
			"addon_unique_name": schema.StringAttribute{
				MarkdownDescription: "The addon the domain belongs to: the provider's `addon_unique_name`.",
				Computed:            true,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"link": schema.StringAttribute{
				MarkdownDescription: "The embed snippet to place on the merchant website. Only the `" + chatwhizz.AddonSellerBuyer +
					"` addon returns one, and only when the domain is created: it is null for other addons and after import or adoption. " +
					"The snippet names the domain, so a rename sets it to null, and the apply warns, quoting the old snippet.",
				Computed:      true,
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
		},
	}
}

// ModifyPlan makes known at plan time what is: id (the name), the addon (the
// provider's) and, outside the seller-buyer addon, the absence of a link.
func (r *domainResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() || unchanged(req) {
		return
	}
	var plan domainModel
	if !readInto(ctx, req.Plan, &plan, &resp.Diagnostics) {
		return
	}
	plan.ID = plan.Name
	if !req.State.Raw.IsNull() {
		// A rename makes the link stale (it names the domain), and only a
		// create answers a new one: see warnLinkStale.
		var priorName, priorLink types.String
		resp.Diagnostics.Append(req.State.GetAttribute(ctx, path.Root("name"), &priorName)...)
		resp.Diagnostics.Append(req.State.GetAttribute(ctx, path.Root("link"), &priorLink)...)
		switch {
		case priorLink.IsNull():
		case plan.Name.IsUnknown():
			plan.Link = types.StringUnknown()
		case !plan.Name.Equal(priorName):
			plan.Link = types.StringNull()
		}
	}
	// Only the seller-buyer addon answers a link.
	if r.data != nil && req.State.Raw.IsNull() && !r.data.sellerBuyer() {
		plan.Link = types.StringNull()
	}
	resp.Diagnostics.Append(setPlan(ctx, &resp.Plan, &plan)...)
	if r.data != nil {
		resp.Diagnostics.Append(planAddon(ctx, &resp.Plan, r.data.addon)...)
	}
}

func (r *domainResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	operate(ctx, req.Plan, &resp.Diagnostics, func(ctx context.Context, plan domainModel) {
		client := r.data.client
		name := plan.Name.ValueString()
		claim := r.data.claims.lockOrReport(domainKey(name), fmt.Sprintf("created or adopted it as %q", name), "domain", fmt.Sprintf("The domain %q", name), &resp.Diagnostics)
		if claim == nil {
			return
		}
		defer claim.Unlock()

		current, found := r.createOrAdopt(ctx, &plan, &resp.Diagnostics)
		if current == nil {
			return
		}

		claim.take(holderFor(ctx, nil, resp.Private, &resp.Diagnostics))
		setIdentity(ctx, resp.Identity, &domainIdentityModel{Name: plan.Name}, &resp.Diagnostics)

		upd := domainChanges(plan, current)
		if upd != (chatwhizz.DomainUpdate{}) {
			upd.Before = current
			if found == nil {
				// A domain this create made is recorded as it is before the next
				// call can fail, tainted if it does: the next apply replaces it.
				asIs := plan
				r.setFromServer(&asIs, current)
				resp.Diagnostics.Append(setState(ctx, &resp.State, &asIs)...)
			}
			// An adopted domain is not: a tainted one would be deactivated by
			// the next apply before being adopted again, taking a live site's
			// chat down in between. Left out of the state, it is adopted again.
			var err error
			if current, err = client.UpdateDomain(ctx, name, upd); err != nil {
				detail := fmt.Sprintf("Domain %q exists but could not be updated: %s", name, err)
				if found != nil {
					detail += "\n\nThe domain was left as it was found and is not recorded in the state: the next apply adopts it again."
				}
				resp.Diagnostics.AddError("Error configuring domain", detail)
				return
			}
		}
		if found != nil {
			warnAdopted(found, &resp.Diagnostics)
		}
		r.setFromServer(&plan, current)
		resp.Diagnostics.Append(setState(ctx, &resp.State, &plan)...)
	})
}

// createOrAdopt creates the planned domain or, when its name is taken in this
// organisation and addon, adopts the one there: current is the domain as the
// server has it, found the adopted one (nil for a domain this create made).
// plan.Link takes the create's embed snippet. current is nil on an error.
func (r *domainResource) createOrAdopt(ctx context.Context, plan *domainModel, diags *diag.Diagnostics) (current, found *chatwhizz.Domain) {
	name := plan.Name.ValueString()
	created, err := r.data.client.CreateDomain(ctx, name, plan.Email.ValueString())
	switch {
	case err == nil:
		plan.Link = optionalString(created.Link)
		return created, nil
	case errors.Is(err, chatwhizz.ErrConflict):
		if current = r.adopt(ctx, name, err, diags); current == nil {
			return nil, nil
		}
		plan.Link = types.StringNull()
		if errors.Is(err, chatwhizz.ErrAnswerLost) && current.Active && sameEmail(plan.Email, types.StringValue(current.Email)) {
			// An attempt whose answer was lost made the domain, as this
			// create asked, and its retry met it: no adoption.
			r.warnLinkLost(name, diags)
			return current, nil
		}
		return current, current
	default:
		diags.AddError("Error creating domain", fmt.Sprintf("Could not create domain %q: %s", name, err))
		return nil, nil
	}
}

// warnLinkLost says, on the seller-buyer addon, that the embed snippet went
// with the lost answer of the create that made the domain: only that answer
// carries it.
func (r *domainResource) warnLinkLost(name string, diags *diag.Diagnostics) {
	if !r.data.sellerBuyer() {
		return
	}
	diags.AddAttributeWarning(path.Root("link"), "Embed snippet lost",
		fmt.Sprintf("The domain %q was created, but the answer to its create was lost on the way (a retry then found the domain), "+
			"and only that answer carries the embed snippet: link is null. The API has no other call that tells it.", name))
}

// adopt takes over a domain whose create answered that its name is taken,
// when it is this organisation's and addon's; one of another organisation or
// addon reads as missing, and is an error on name. nil when it cannot.
func (r *domainResource) adopt(ctx context.Context, name string, conflict error, diags *diag.Diagnostics) *chatwhizz.Domain {
	existing, err := r.data.client.GetDomain(ctx, name)
	switch {
	case errors.Is(err, chatwhizz.ErrNotFound):
		diags.AddAttributeError(path.Root("name"), "Domain name taken",
			fmt.Sprintf("The domain %q already exists and belongs to another organisation or addon, so it cannot be managed here. Server said: %s", name, conflict))
		return nil
	case err != nil:
		diags.AddError("Error reading existing domain", fmt.Sprintf("Creating domain %q answered that it exists, and reading it failed: %s", name, err))
		return nil
	}
	return existing
}

// warnAdopted says that the create adopted the domain, and what it found.
func warnAdopted(found *chatwhizz.Domain, diags *diag.Diagnostics) {
	state := "inactive"
	if found.Active {
		state = "active"
	}
	diags.AddAttributeWarning(path.Root("name"), "Adopted an existing domain",
		fmt.Sprintf("The domain %q already existed in this organisation and addon, %s, so it was not created: "+
			"Terraform now manages it and has applied this configuration to it.", found.Name, state))
}

// domainChanges is the update that brings the server's domain to the wanted
// one, leaving out what already matches.
func domainChanges(want domainModel, have *chatwhizz.Domain) chatwhizz.DomainUpdate {
	var upd chatwhizz.DomainUpdate
	if !sameEmail(want.Email, types.StringValue(have.Email)) {
		upd.Email = want.Email.ValueStringPointer()
	}
	if want.Active.ValueBool() != have.Active {
		upd.Active = want.Active.ValueBoolPointer()
	}
	return upd
}

// setFromServer keeps the configured values (and so the user's email case)
// for id, name and email, and takes everything else from the answer.
func (r *domainResource) setFromServer(m *domainModel, d *chatwhizz.Domain) {
	m.ID = m.Name
	m.setFromAPI(d, r.data.addon)
}

func (r *domainResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	operate(ctx, req.State, &resp.Diagnostics, func(ctx context.Context, state domainModel) {
		setIdentity(ctx, resp.Identity, &domainIdentityModel{Name: state.Name}, &resp.Diagnostics)
		d, err := r.data.client.GetDomain(ctx, state.Name.ValueString())
		if errors.Is(err, chatwhizz.ErrNotFound) {
			if d, err = r.findPendingRename(ctx, req.Private, resp, &state); d == nil && err == nil {
				removeVanished(ctx, &resp.State, &resp.Diagnostics, "Domain not found",
					fmt.Sprintf("The domain %q no longer exists in this organisation and addon.", state.Name.ValueString()))
				return
			}
		}
		if err != nil {
			resp.Diagnostics.AddError("Error reading domain", fmt.Sprintf("Could not read domain %q: %s", state.Name.ValueString(), err))
			return
		}
		r.setFromServer(&state, d)
		resp.Diagnostics.Append(setState(ctx, &resp.State, &state)...)
	})
}

func (r *domainResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	operateOnChange(ctx, req.Plan, req.State, &resp.Diagnostics, func(ctx context.Context, plan, state domainModel) {
		before := &chatwhizz.Domain{Name: state.Name.ValueString(), Email: state.Email.ValueString(), Active: state.Active.ValueBool()}
		upd := domainChanges(plan, before)
		upd.Before = before
		if plan.Name.ValueString() != state.Name.ValueString() {
			upd.Name = plan.Name.ValueStringPointer()
		}
		if upd.Name == nil && upd.Email == nil && upd.Active == nil {
			// Only the case of the email changed: nothing to send.
			plan.Link = state.Link
			resp.Diagnostics.Append(setState(ctx, &resp.State, &plan)...)
			setIdentity(ctx, resp.Identity, &domainIdentityModel{Name: plan.Name}, &resp.Diagnostics)
			return
		}
		var rename *renaming
		if upd.Name != nil {
			var refused string
			if rename, refused = r.data.claims.lockRename(state.Name.ValueString(), *upd.Name); rename == nil {
				resp.Diagnostics.AddAttributeError(path.Root("name"), "Domain managed by another resource", refused)
				return
			}
			defer rename.unlock()
		}
		updated, err := r.data.client.UpdateDomain(ctx, state.Name.ValueString(), upd)
		if err != nil {
			reportUpdateError(ctx, state.Name.ValueString(), upd, err, resp)
			return
		}
		r.setFromServer(&plan, updated)
		plan.Link = state.Link
		if rename != nil {
			// The server carries the domain's assignments along: they, and any
			// release of the old name, follow the rename.
			rename.done(holderFor(ctx, req.Private, resp.Private, &resp.Diagnostics))
			plan.Link = types.StringNull()
			warnLinkStale(state, *upd.Name, &resp.Diagnostics)
		}
		resp.Diagnostics.Append(setState(ctx, &resp.State, &plan)...)
		setIdentity(ctx, resp.Identity, &domainIdentityModel{Name: plan.Name}, &resp.Diagnostics)
	})
}

// reportUpdateError says why updating the domain failed: a new
// name taken is an error on name; a rename whose answer was lost is recorded
// as pending, for the next refresh to look under both names.
func reportUpdateError(ctx context.Context, name string, upd chatwhizz.DomainUpdate, err error, resp *resource.UpdateResponse) {
	if upd.Name != nil && errors.Is(err, chatwhizz.ErrConflict) {
		resp.Diagnostics.AddAttributeError(path.Root("name"), "Domain name taken", fmt.Sprintf(
			"Could not rename domain %q to %q: the new name is taken by another domain (domain names are global across organisations and addons). Server said: %s",
			name, *upd.Name, err))
		return
	}
	detail := fmt.Sprintf("Could not update domain %q: %s", name, err)
	if upd.Name != nil && errors.Is(err, chatwhizz.ErrAnswerLost) {
		// The state keeps the old name; the next refresh finds the
		// domain under the new one if the rename took effect.
		resp.Diagnostics.Append(setPendingRename(ctx, resp.Private, *upd.Name)...)
		detail += fmt.Sprintf("\n\nThe rename to %q may have taken effect: the next plan looks for the domain under both names.", *upd.Name)
	}
	resp.Diagnostics.AddError("Error updating domain", detail)
}

// pendingRenameKey is the private state of a domain whose rename failed with
// its answer lost: the name it was being renamed to.
const pendingRenameKey = "pending_rename"

func setPendingRename(ctx context.Context, private privateSetter, to string) diag.Diagnostics {
	raw, _ := json.Marshal(to)
	return private.SetKey(ctx, pendingRenameKey, raw)
}

// pendingRename is the name a lost rename was taking the domain to, or "".
func pendingRename(ctx context.Context, private privateGetter) string {
	raw, _ := private.GetKey(ctx, pendingRenameKey)
	var to string
	if err := json.Unmarshal(raw, &to); err != nil {
		return ""
	}
	return to
}

// findPendingRename looks, for a domain not found under the name in the
// state, under the name a rename whose answer was lost was taking it to.
// Found there, the state follows it (and this process's assignments with
// it), with a warning; nil, nil when there is no such rename or no domain.
func (r *domainResource) findPendingRename(ctx context.Context, private privateGetter, resp *resource.ReadResponse, state *domainModel) (*chatwhizz.Domain, error) {
	to := pendingRename(ctx, private)
	if to == "" {
		return nil, nil
	}
	d, err := r.data.client.GetDomain(ctx, to)
	if errors.Is(err, chatwhizz.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	from := state.Name.ValueString()
	resp.Diagnostics.AddAttributeWarning(path.Root("name"), "Domain found under its new name",
		fmt.Sprintf("The domain %q is now %q: an earlier apply renamed it, and the answer was lost on the way. The state follows the rename.", from, to))
	resp.Diagnostics.Append(resp.Private.SetKey(ctx, pendingRenameKey, nil)...)
	r.data.claims.renamedOutside(from, to)
	state.Name, state.Link = types.StringValue(to), types.StringNull()
	setIdentity(ctx, resp.Identity, &domainIdentityModel{Name: state.Name}, &resp.Diagnostics)
	return d, nil
}

// warnLinkStale says that a renamed domain's link, which names the domain
// as it was created, is no longer recorded: only a create answers a link.
func warnLinkStale(state domainModel, newName string, diags *diag.Diagnostics) {
	if state.Link.IsNull() {
		return
	}
	diags.AddAttributeWarning(path.Root("link"), "Embed snippet dropped after the rename", fmt.Sprintf(
		"The link of domain %q was answered when the domain was created, and names it as %q; after the rename to %q it is stale, "+
			"and the API answers a link only when it creates a domain, so link is now null. Check the snippet placed on the merchant website. "+
			"The old snippet was: %s", newName, state.Name.ValueString(), newName, state.Link.ValueString()))
}

// Delete deactivates the domain: the API has no delete.
func (r *domainResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	operate(ctx, req.State, &resp.Diagnostics, func(ctx context.Context, state domainModel) {
		name := state.Name.ValueString()
		claim := r.data.claims.lock(domainKey(name))
		defer claim.Unlock()
		if claim.keptFrom(holderOf(ctx, req.Private)) {
			resp.Diagnostics.AddWarning("Deposed domain left alone", fmt.Sprintf(
				"The domain %q was not deactivated: its replacement in this same apply landed on the same domain "+
					"(the API has no delete, so the create adopted it), which keeps the configuration just applied.", name))
			return
		}
		_, err := r.data.client.UpdateDomain(ctx, name, chatwhizz.DomainUpdate{Active: new(false)})
		if err != nil && !errors.Is(err, chatwhizz.ErrNotFound) {
			resp.Diagnostics.AddError("Error deactivating domain", fmt.Sprintf("Could not deactivate domain %q: %s", state.Name.ValueString(), err))
		}
	})
}

func (r *domainResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	name, given := req.ID, "The import ID of chatwhizz_domain is the domain name"
	var identity domainIdentityModel
	if importedIdentity(req.ID, req.Identity, &identity, &resp.Diagnostics) {
		name, given = identity.Name.ValueString(), "The identity's name is the domain name"
	}
	if resp.Diagnostics.HasError() {
		return
	}
	if problem := hostNameProblem(name); problem != "" {
		resp.Diagnostics.AddError("Invalid import ID", fmt.Sprintf("%s, such as shop.example.com; %q is not valid: %s.", given, name, problem))
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), name)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("name"), name)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("link"), types.StringNull())...)
	setIdentity(ctx, resp.Identity, &domainIdentityModel{Name: types.StringValue(name)}, &resp.Diagnostics)
}

// optionalString maps an absent answer to null.
func optionalString(s string) types.String {
	if s == "" {
		return types.StringNull()
	}
	return types.StringValue(s)
}
