package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
)

// requiresReplaceUnlessSameEmail replaces the object when its email changes,
// but not when only the email's case does: emails compare case-insensitively.
func requiresReplaceUnlessSameEmail(what string) planmodifier.String {
	description := "Changing the email replaces the " + what + ", unless only its case changes."
	return stringplanmodifier.RequiresReplaceIf(
		func(_ context.Context, req planmodifier.StringRequest, resp *stringplanmodifier.RequiresReplaceIfFuncResponse) {
			resp.RequiresReplace = !sameEmail(req.StateValue, req.PlanValue)
		},
		description, description,
	)
}
