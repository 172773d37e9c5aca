package provider

import (
	"fmt"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/chatwhizz/terraform-provider-chatwhizz/internal/chatwhizz"
)

// envSetting is a string attribute of the provider block, the environment
// variable it falls back on, and the client setting it fills. A secret
// (chatwhizz.SecretFields) is taken exactly as given: a space can be part of
// a password. The names and the URL have no meaningful outer space, so a
// stray one (an environment variable read from a file with its newline) is
// dropped.
type envSetting struct {
	attr  string
	env   string
	value types.String
	into  *string
}

// resolve is the attribute's value, or the environment's when the attribute
// is not set.
func (s envSetting) resolve() string {
	v := os.Getenv(s.env)
	if !s.value.IsNull() {
		v = s.value.ValueString()
	}
	if slices.Contains(chatwhizz.SecretFields, s.attr) {
		return v
	}
	return strings.TrimSpace(v)
}

// resolveConfig turns the provider block and the environment into the
// client's configuration. Defaults are the client's (chatwhizz.Default*),
// and so are the rules of a valid configuration (chatwhizz.Config.Problems):
// here each problem is reported at its attribute, with the environment
// variable that can set it, at plan time and before any network call.
func resolveConfig(m providerModel, diags *diag.Diagnostics) chatwhizz.Config {
	var cfg chatwhizz.Config
	settings := []envSetting{
		{"base_url", "CHATWHIZZ_BASE_URL", m.BaseURL, &cfg.BaseURL},
		{"email", "CHATWHIZZ_EMAIL", m.Email, &cfg.Email},
		{"password", "CHATWHIZZ_PASSWORD", m.Password, &cfg.Password},
		{"organisation_domain", "CHATWHIZZ_ORGANISATION_DOMAIN", m.OrganisationDomain, &cfg.OrganisationDomain},
		{"addon_unique_name", "CHATWHIZZ_ADDON_UNIQUE_NAME", m.AddonUniqueName, &cfg.AddonUniqueName},
		{"access_token", "CHATWHIZZ_ACCESS_TOKEN", m.AccessToken, &cfg.AccessToken},
		{"refresh_token", "CHATWHIZZ_REFRESH_TOKEN", m.RefreshToken, &cfg.RefreshToken},
	}
	envOf := map[string]string{}
	for _, s := range settings {
		envOf[s.attr] = s.env
		if s.value.IsUnknown() {
			diags.AddAttributeError(path.Root(s.attr), "Unknown provider setting",
				fmt.Sprintf("%s depends on a value that is not known until apply. The provider needs it to plan: "+
					"set it from a known value or with the %s environment variable.", s.attr, s.env))
			continue
		}
		*s.into = s.resolve()
	}
	for _, tuning := range []struct {
		attr  string
		value attr.Value
	}{{"request_timeout", m.RequestTimeout}, {"max_retries", m.MaxRetries}, {"retry_timeout", m.RetryTimeout}, {"requests_per_second", m.RequestsPerSecond}} {
		if tuning.value.IsUnknown() {
			diags.AddAttributeError(path.Root(tuning.attr), "Unknown provider setting",
				fmt.Sprintf("%s depends on a value that is not known until apply. The provider needs it to plan: set it from a known value.", tuning.attr))
		}
	}
	if diags.HasError() {
		return cfg
	}

	// The durations are checked by their validators; unset, they are zero,
	// which the client reads as its default.
	cfg.RequestTimeout, _ = time.ParseDuration(m.RequestTimeout.ValueString())
	cfg.RetryTimeout, _ = time.ParseDuration(m.RetryTimeout.ValueString())
	if !m.MaxRetries.IsNull() {
		cfg.MaxRetries = new(int(m.MaxRetries.ValueInt64()))
	}
	cfg.RequestsPerSecond = m.RequestsPerSecond.ValueFloat64()

	for _, p := range cfg.Problems() {
		if p.Missing {
			diags.AddAttributeError(path.Root(p.Field), "Missing provider setting",
				fmt.Sprintf("%s %s. Set it in the provider block or with the %s environment variable.", p.Field, p.Detail, envOf[p.Field]))
		} else {
			diags.AddAttributeError(path.Root(p.Field), "Invalid provider setting", fmt.Sprintf("%s %s.", p.Field, p.Detail))
		}
	}
	if strings.HasPrefix(strings.ToLower(cfg.BaseURL), "http://") && !chatwhizz.IsLoopback(cfg.BaseURL) {
		diags.AddAttributeWarning(path.Root("base_url"), "Unencrypted connection",
			"base_url uses plain http to a host other than this machine: the password and tokens would cross the network unencrypted. Use https.")
	}
	return cfg
}
