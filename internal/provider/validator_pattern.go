package provider

import (
	"context"
	"fmt"
	"regexp"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
)

// patternValidator refuses a value that does not match its pattern. It is
// stringvalidator.RegexMatches with the diagnostic a user can act on: a
// summary naming what is wrong ("Invalid email address") and a detail
// saying what is expected, where RegexMatches says "Invalid Attribute Value
// Match" and quotes the expression.
type patternValidator struct {
	pattern     *regexp.Regexp
	description string
	summary     string
	detail      string // a format with one %q for the value
}

func (v patternValidator) Description(context.Context) string { return v.description }

func (v patternValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (v patternValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if !v.pattern.MatchString(req.ConfigValue.ValueString()) {
		resp.Diagnostics.AddAttributeError(req.Path, v.summary, fmt.Sprintf(v.detail, req.ConfigValue.ValueString()))
	}
}

// emailPattern catches typos at plan time; the server has the last word.
var emailPattern = regexp.MustCompile(`^[^@\s]+@[^@\s]+\.[^@\s.]+$`)

func emailValidator() patternValidator {
	return patternValidator{
		pattern:     emailPattern,
		description: "must be an email address",
		summary:     "Invalid email address",
		detail:      "%q is not an email address.",
	}
}

// operatorIDPattern is the API's operator id: 24 lower-case hex characters.
var operatorIDPattern = regexp.MustCompile(`^[0-9a-f]{24}$`)

func operatorIDValidator() patternValidator {
	return patternValidator{
		pattern:     operatorIDPattern,
		description: "must be an operator id: 24 lower-case hexadecimal characters",
		summary:     "Invalid operator id",
		detail:      "%q is not an operator id: ids are 24 lower-case hexadecimal characters, as in the id attribute of chatwhizz_operator.",
	}
}
