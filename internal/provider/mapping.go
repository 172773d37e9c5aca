package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/chatwhizz/terraform-provider-chatwhizz/internal/chatwhizz"
)

// The attributes that come from the API's answers, each mapped once and
// embedded in every model that shows them: a resource and its data source
// cannot drift apart.

// providerAddon is addon_unique_name, of the objects that belong to an
// addon. It is always the provider's: the API answers it on create only,
// and a token (so a provider block) acts under one addon.
type providerAddon struct {
	AddonUniqueName types.String `tfsdk:"addon_unique_name"`
}

func (a *providerAddon) setAddon(addon string) { a.AddonUniqueName = types.StringValue(addon) }

// planAddon makes addon_unique_name known at plan time.
func planAddon(ctx context.Context, plan *tfsdk.Plan, addon string) diag.Diagnostics {
	return plan.SetAttribute(ctx, path.Root("addon_unique_name"), addon)
}

// domainAPIFields are what the API answers for a domain.
type domainAPIFields struct {
	Email  types.String `tfsdk:"email"`
	Active types.Bool   `tfsdk:"active"`
	providerAddon
}

// setFromAPI takes the answer, keeping the configured email's case, under
// the provider's addon.
func (f *domainAPIFields) setFromAPI(d *chatwhizz.Domain, addon string) {
	if d.Email != "" {
		f.Email = keepEmailCase(f.Email, d.Email)
	}
	f.Active = types.BoolValue(d.Active)
	f.setAddon(addon)
}

// operatorContact is how an operator is shown wherever it appears, an
// assignment included.
type operatorContact struct {
	Name  types.String `tfsdk:"name"`
	Email types.String `tfsdk:"email"`
}

func (c *operatorContact) setFromAPI(name, email string) {
	c.Name = types.StringValue(name)
	c.Email = keepEmailCase(c.Email, email)
}

// operatorAPIFields are what the API answers for an operator.
type operatorAPIFields struct {
	operatorContact
	Active types.Bool `tfsdk:"active"`
}

func (f *operatorAPIFields) setFromAPI(op *chatwhizz.Operator) {
	f.operatorContact.setFromAPI(op.Name, op.Email)
	f.Active = types.BoolValue(op.Active)
}

// removeVanished removes from the state an object the server no longer has,
// with a warning: the next plan creates it again. It is never used for a
// failed login, which is an error (chatwhizz.ErrNotFound is only an answer
// about the object itself).
func removeVanished(ctx context.Context, state *tfsdk.State, diags *diag.Diagnostics, summary, detail string) {
	diags.AddWarning(summary, detail+" It is removed from the state and will be planned for creation.")
	state.RemoveResource(ctx)
}
