package provider

import (
	"context"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/chatwhizz/terraform-provider-chatwhizz/internal/chatwhizz"
)

// The tuning arguments' validators apply the client's own rules
// (chatwhizz.Check*), which chatwhizz.Config.Problems applies too: one rule
// per setting, refused at plan time, with the same words.

// durationValidator accepts a Go duration string such as "30s" that the
// client takes as a timeout. timetypes.GoDuration would check the syntax
// only, through a custom type in the schema, and the client's own rule
// (CheckTimeout) would still need a validator: this one does both.
type durationValidator struct{}

func (durationValidator) Description(context.Context) string {
	return `must be a positive duration such as "30s" or "2m"`
}

func (v durationValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (durationValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	raw := req.ConfigValue.ValueString()
	d, err := time.ParseDuration(raw)
	if err == nil {
		err = chatwhizz.CheckTimeout(d)
	}
	if err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid duration",
			fmt.Sprintf(`%q is not a positive duration: use a number with a unit, such as "30s" or "2m".`, raw))
	}
}

// maxRetriesValidator applies chatwhizz.CheckMaxRetries.
type maxRetriesValidator struct{}

func (maxRetriesValidator) Description(context.Context) string {
	return fmt.Sprintf("must be between 0 and %d", chatwhizz.MaxRetriesLimit)
}

func (v maxRetriesValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (maxRetriesValidator) ValidateInt64(_ context.Context, req validator.Int64Request, resp *validator.Int64Response) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if err := chatwhizz.CheckMaxRetries(req.ConfigValue.ValueInt64()); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid max_retries", "max_retries "+err.Error()+".")
	}
}

// paceValidator applies chatwhizz.CheckRequestsPerSecond.
type paceValidator struct{}

func (paceValidator) Description(context.Context) string {
	return fmt.Sprintf("must be at least %g", chatwhizz.MinRequestsPerSecond)
}

func (v paceValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (paceValidator) ValidateFloat64(_ context.Context, req validator.Float64Request, resp *validator.Float64Response) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if err := chatwhizz.CheckRequestsPerSecond(req.ConfigValue.ValueFloat64()); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid requests_per_second", "requests_per_second "+err.Error()+".")
	}
}
