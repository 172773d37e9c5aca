package provider

import (
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// providerDataFrom takes the configured client from the framework's
// ProviderData; nil before the provider is configured (validation runs).
func providerDataFrom(raw any, diags *diag.Diagnostics) *providerData {
	if raw == nil {
		return nil
	}
	data, ok := raw.(*providerData)
	if !ok {
		diags.AddError("Unexpected provider data", fmt.Sprintf("expected *providerData, got %T; please report this issue to the provider developers", raw))
		return nil
	}
	return data
}

// keepEmailCase returns the prior value when the server's email differs from
// it only in case: emails compare case-insensitively, and echoing the
// server's case would make a perpetual diff.
func keepEmailCase(prior types.String, fromServer string) types.String {
	if !prior.IsNull() && !prior.IsUnknown() && strings.EqualFold(prior.ValueString(), fromServer) {
		return prior
	}
	return types.StringValue(fromServer)
}

func sameEmail(a, b types.String) bool { return strings.EqualFold(a.ValueString(), b.ValueString()) }

// unchanged reports whether the plan of an existing object is its state:
// nothing to make known or to warn about. Most resources of a plan are, and
// reading a whole model costs the framework's reflection.
func unchanged(req resource.ModifyPlanRequest) bool {
	return !req.State.Raw.IsNull() && req.Plan.Raw.Equal(req.State.Raw)
}
