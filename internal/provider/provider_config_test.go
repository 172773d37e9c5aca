package provider

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/chatwhizz/terraform-provider-chatwhizz/internal/chatwhizz"
)

func TestAccProvider_environmentFallback(t *testing.T) {
	clearProviderEnv(t)
	org := newTestOrg(t)
	name := org.domain("env")
	org.createDomain(t, name, "owner@example.com")
	t.Setenv("CHATWHIZZ_BASE_URL", org.baseURL)
	t.Setenv("CHATWHIZZ_EMAIL", org.Email)
	t.Setenv("CHATWHIZZ_PASSWORD", org.Password)
	t.Setenv("CHATWHIZZ_ORGANISATION_DOMAIN", org.Domain)
	t.Setenv("CHATWHIZZ_ADDON_UNIQUE_NAME", chatwhizz.AddonLiveChat)
	resource.Test(t, org.testCase(t, resource.TestCase{
		Steps: []resource.TestStep{{
			Config: `provider "chatwhizz" {}` + readDomain(name),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.chatwhizz_domain.test", tfjsonpath.New("email"), knownvalue.StringExact("owner@example.com")),
			},
		}},
	}))
}

func TestAccProvider_tokenPair(t *testing.T) {
	clearProviderEnv(t)
	org := newTestOrg(t)
	name := org.domain("tokens")
	org.createDomain(t, name, "owner@example.com")
	org.setTokenPairEnv(t)
	resource.Test(t, org.testCase(t, resource.TestCase{
		Steps: []resource.TestStep{{
			Config: fmt.Sprintf(`
provider "chatwhizz" {
  base_url          = %q
  addon_unique_name = "live_chat"
}
`, org.baseURL) + readDomain(name),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.chatwhizz_domain.test", tfjsonpath.New("active"), knownvalue.Bool(true)),
			},
		}},
	}))
}

func TestAccProvider_badConfigurationIsRefusedAtPlan(t *testing.T) {
	clearProviderEnv(t)
	org := newTestOrg(t)
	cases := []struct {
		name, block, want string
	}{
		{"nothing", `provider "chatwhizz" {}`,
			`(?s)Missing provider setting.*base_url is required.*Missing provider setting.*addon_unique_name is required.*email is required.*password is required.*organisation_domain is required`},
		{"half a token pair", fmt.Sprintf(`provider "chatwhizz" {
  base_url          = %q
  addon_unique_name = "live_chat"
  access_token      = "abc"
}`, org.baseURL), `(?s)refresh_token is required with access_token`},
		{"token pair with part of the login", fmt.Sprintf(`provider "chatwhizz" {
  base_url          = %q
  addon_unique_name = "live_chat"
  access_token      = "abc"
  refresh_token     = "def"
  email             = "a@example.com"
}`, org.baseURL), `(?s)password is required with the other login settings.*organisation_domain is required`},
		{"unknown addon", fmt.Sprintf(`provider "chatwhizz" {
  base_url            = %q
  email               = "a@example.com"
  password            = "x"
  organisation_domain = "o"
  addon_unique_name   = "video_chat"
}`, org.baseURL), `(?s)addon_unique_name.*value must be one of`},
		{"bad timeout", fmt.Sprintf(`provider "chatwhizz" {
  base_url            = %q
  email               = "a@example.com"
  password            = "x"
  organisation_domain = "o"
  addon_unique_name   = "live_chat"
  request_timeout     = "soon"
}`, org.baseURL), `(?s)Invalid duration.*request_timeout`},
		{"bad retry timeout", fmt.Sprintf(`provider "chatwhizz" {
  base_url            = %q
  email               = "a@example.com"
  password            = "x"
  organisation_domain = "o"
  addon_unique_name   = "live_chat"
  retry_timeout       = "-1m"
}`, org.baseURL), `(?s)Invalid duration.*retry_timeout`},
		{"no requests per second", fmt.Sprintf(`provider "chatwhizz" {
  base_url            = %q
  email               = "a@example.com"
  password            = "x"
  organisation_domain = "o"
  addon_unique_name   = "live_chat"
  requests_per_second = 0
}`, org.baseURL), `(?s)requests_per_second.*at least 0.1`},
		{"relative base url", `provider "chatwhizz" {
  base_url            = "api.example.com"
  email               = "a@example.com"
  password            = "x"
  organisation_domain = "o"
  addon_unique_name   = "live_chat"
}`, `(?s)base_url.*must be an absolute http or https URL`},
		{"wrong password", fmt.Sprintf(`provider "chatwhizz" {
  base_url            = %q
  email               = %q
  password            = "not-the-password"
  organisation_domain = %q
  addon_unique_name   = "live_chat"
}`, org.baseURL, org.Email, org.Domain), `(?s)could not log in` + theEmulatorSays(org, `.*invalid credentials`)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			resource.Test(t, org.testCase(t, resource.TestCase{
				Steps: []resource.TestStep{{
					Config:      tc.block + readDomain(org.domain("shop")),
					ExpectError: regexp.MustCompile(tc.want),
				}},
			}))
		})
	}
}
