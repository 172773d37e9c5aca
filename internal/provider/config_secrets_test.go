package provider

import (
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/chatwhizz/terraform-provider-chatwhizz/internal/chatwhizz"
)

// TestResolveConfigKeepsSecretsAsGiven: a space can be part of a password or
// a token, so the secrets reach the client as given; the URL and the names,
// where an outer space is never meant, are trimmed.
func TestResolveConfigKeepsSecretsAsGiven(t *testing.T) {
	clearProviderEnv(t)
	t.Setenv("CHATWHIZZ_PASSWORD", " env password ")
	t.Setenv("CHATWHIZZ_EMAIL", " env@example.com\n")
	m := nullProviderModel()
	m.BaseURL = types.StringValue(" https://api.example.com/ ")
	m.OrganisationDomain = types.StringValue(" acme ")
	m.AddonUniqueName = types.StringValue("live_chat")
	var diags diag.Diagnostics
	cfg := resolveConfig(m, &diags)
	if diags.HasError() {
		t.Fatal(diags)
	}
	if cfg.Password != " env password " {
		t.Errorf("the password from the environment must be kept as given, got %q", cfg.Password)
	}
	if cfg.Email != "env@example.com" || cfg.BaseURL != "https://api.example.com/" || cfg.OrganisationDomain != "acme" {
		t.Errorf("the names and the URL are trimmed: %q %q %q", cfg.Email, cfg.BaseURL, cfg.OrganisationDomain)
	}

	m.Password = types.StringValue("  block password")
	m.AccessToken, m.RefreshToken = types.StringValue(" a "), types.StringValue("r ")
	cfg = resolveConfig(m, &diags)
	if cfg.Password != "  block password" || cfg.AccessToken != " a " || cfg.RefreshToken != "r " {
		t.Errorf("the block's secrets must be kept as given: %q %q %q", cfg.Password, cfg.AccessToken, cfg.RefreshToken)
	}
}

// TestResolveConfigUnknownTuningAtEachAttribute: each tuning argument not
// known at plan time is an error at its own attribute.
func TestResolveConfigUnknownTuningAtEachAttribute(t *testing.T) {
	clearProviderEnv(t)
	m := nullProviderModel()
	m.BaseURL, m.AddonUniqueName = types.StringValue("https://api.example.com/"), types.StringValue("live_chat")
	m.AccessToken, m.RefreshToken = types.StringValue("a"), types.StringValue("r")
	m.RequestTimeout, m.RetryTimeout = types.StringUnknown(), types.StringUnknown()
	m.MaxRetries, m.RequestsPerSecond = types.Int64Unknown(), types.Float64Unknown()
	var diags diag.Diagnostics
	resolveConfig(m, &diags)
	got := diagText(diags)
	for _, attr := range []string{"request_timeout", "retry_timeout", "max_retries", "requests_per_second"} {
		if !strings.Contains(got, attr+": Unknown provider setting: "+attr+" depends on a value that is not known until apply") {
			t.Errorf("no error at %s in:\n%s", attr, got)
		}
	}
	if n := strings.Count(got, "\n") + 1; n != 4 {
		t.Errorf("want exactly one error per unknown argument, got %d:\n%s", n, got)
	}
}

// TestSensitiveAttributesAreTheClientsSecrets: the provider block marks
// sensitive (and resolveConfig keeps as given) exactly the settings the
// client holds secret.
func TestSensitiveAttributesAreTheClientsSecrets(t *testing.T) {
	var resp provider.SchemaResponse
	New("test")().Schema(t.Context(), provider.SchemaRequest{}, &resp)
	var sensitive []string
	for name, a := range resp.Schema.Attributes {
		if a.IsSensitive() {
			sensitive = append(sensitive, name)
		}
	}
	if slices.Sort(sensitive); !slices.Equal(sensitive, chatwhizz.SecretFields) {
		t.Errorf("sensitive attributes %v, the client's secrets %v", sensitive, chatwhizz.SecretFields)
	}
}
