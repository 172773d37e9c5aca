package provider

import (
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// nullProviderModel is a provider block that sets nothing.
func nullProviderModel() providerModel {
	return providerModel{
		BaseURL: types.StringNull(), Email: types.StringNull(), Password: types.StringNull(),
		OrganisationDomain: types.StringNull(), AddonUniqueName: types.StringNull(),
		AccessToken: types.StringNull(), RefreshToken: types.StringNull(),
		RequestTimeout: types.StringNull(), MaxRetries: types.Int64Null(), RetryTimeout: types.StringNull(),
		RequestsPerSecond: types.Float64Null(),
	}
}

func TestResolveConfigFromTheEnvironmentAndTheBlock(t *testing.T) {
	clearProviderEnv(t)
	t.Setenv("CHATWHIZZ_BASE_URL", "https://api.example.com/")
	t.Setenv("CHATWHIZZ_EMAIL", " env@example.com ")
	t.Setenv("CHATWHIZZ_PASSWORD", "env-password")
	t.Setenv("CHATWHIZZ_ORGANISATION_DOMAIN", "acme")
	t.Setenv("CHATWHIZZ_ADDON_UNIQUE_NAME", "live_chat")
	m := nullProviderModel()
	m.Email = types.StringValue("block@example.com")
	m.MaxRetries = types.Int64Value(0)
	m.RetryTimeout = types.StringValue("90s")
	var diags diag.Diagnostics
	cfg := resolveConfig(m, &diags)
	if diags.HasError() {
		t.Fatal(diags)
	}
	if cfg.Email != "block@example.com" || cfg.Password != "env-password" || cfg.BaseURL != "https://api.example.com/" {
		t.Errorf("the block must win over the environment, and the environment fill the rest: %+v", cfg)
	}
	if cfg.MaxRetries == nil || *cfg.MaxRetries != 0 {
		t.Errorf("max_retries = 0 must reach the client as no retries, got %v", cfg.MaxRetries)
	}
	if cfg.RetryTimeout != 90*time.Second || cfg.RequestTimeout != 0 {
		t.Errorf("durations: retry %v, request %v (unset must be zero: the client's default)", cfg.RetryTimeout, cfg.RequestTimeout)
	}
}

func TestResolveConfigReportsEachProblemAtItsAttribute(t *testing.T) {
	clearProviderEnv(t)
	m := nullProviderModel()
	m.AccessToken = types.StringValue("abc")
	m.AddonUniqueName = types.StringUnknown()
	var diags diag.Diagnostics
	resolveConfig(m, &diags)
	if got := diagText(diags); !strings.Contains(got, "addon_unique_name: Unknown provider setting") {
		t.Fatalf("an unknown value is refused first, at its attribute:\n%s", got)
	}

	m.AddonUniqueName = types.StringValue("live_chat")
	diags = nil
	resolveConfig(m, &diags)
	for _, want := range []string{
		"base_url: Missing provider setting: base_url is required to reach the Chatwhizz API. Set it in the provider block or with the CHATWHIZZ_BASE_URL environment variable.",
		"refresh_token: Missing provider setting: refresh_token is required with access_token. Set it in the provider block or with the CHATWHIZZ_REFRESH_TOKEN environment variable.",
	} {
		if got := diagText(diags); !strings.Contains(got, want) {
			t.Errorf("missing %q in:\n%s", want, got)
		}
	}

	m = nullProviderModel()
	m.BaseURL = types.StringValue("http://api.example.com/")
	m.AddonUniqueName = types.StringValue("live_chat")
	m.AccessToken, m.RefreshToken = types.StringValue("a"), types.StringValue("r")
	diags = nil
	resolveConfig(m, &diags)
	if got := diagText(diags); diags.HasError() || !strings.Contains(got, "base_url: Unencrypted connection") {
		t.Errorf("plain http to another host: want only a warning at base_url, got:\n%s", got)
	}
}

// diagText is one line per diagnostic: "attribute: summary: detail".
func diagText(diags diag.Diagnostics) string {
	var lines []string
	for _, d := range diags {
		attr := ""
		if wp, ok := d.(diag.DiagnosticWithPath); ok {
			attr = wp.Path().String()
		}
		lines = append(lines, attr+": "+d.Summary()+": "+d.Detail())
	}
	return strings.Join(lines, "\n")
}
