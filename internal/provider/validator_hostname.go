package provider

import (
	"context"
	"fmt"
	"regexp"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
)

// hostNameValidator accepts what the API accepts as a domain_name: a
// lower-case host name with at least two labels and no scheme, path, port or
// trailing dot. Each refusal says what to remove.
type hostNameValidator struct{}

var hostLabel = regexp.MustCompile(`^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$`)

func (hostNameValidator) Description(context.Context) string {
	return "must be a lower-case host name such as shop.example.com, without scheme, path or port"
}

func (v hostNameValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (hostNameValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if problem := hostNameProblem(req.ConfigValue.ValueString()); problem != "" {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid domain name",
			fmt.Sprintf("%q is not a valid domain name: %s. Use a lower-case host name such as shop.example.com.", req.ConfigValue.ValueString(), problem))
	}
}

func hostNameProblem(name string) string {
	switch {
	case name == "":
		return "it is empty"
	case strings.Contains(name, "://"):
		return "remove the scheme (" + name[:strings.Index(name, "://")+3] + ")"
	case strings.ContainsAny(name, " \t\n"):
		return "it contains white space"
	case strings.ContainsAny(name, "/?#"):
		return "remove the path"
	case strings.Contains(name, ":"):
		return "remove the port"
	case name != strings.ToLower(name):
		return "it must be lower case"
	case strings.HasSuffix(name, "."):
		return "remove the trailing dot"
	case len(name) > 253:
		return "it is longer than 253 characters"
	}
	labels := strings.Split(name, ".")
	if len(labels) < 2 {
		return "it needs at least two labels, such as example.com"
	}
	for _, l := range labels {
		if !hostLabel.MatchString(l) {
			return fmt.Sprintf("the label %q may only hold a-z, 0-9 and inner hyphens (1 to 63 characters)", l)
		}
	}
	return ""
}
