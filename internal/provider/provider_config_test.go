package provider

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/chatwhizz/terraform-provider-chatwhizz/internal/chatwhizz"
	"github.com/chatwhizz/terraform-provider-chatwhizz/internal/emulator"
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

// loginBlock is a provider block with a whole login at baseURL, under addon,
// and the extra setting.
func loginBlock(baseURL, addon, extra string) string {
	return fmt.Sprintf(`provider "chatwhizz" {
  base_url            = %q
  email               = "a@example.com"
  password            = "x"
  organisation_domain = "o"
  addon_unique_name   = %q
  %s
}`, baseURL, addon, extra)
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
		{"unknown addon", loginBlock(org.baseURL, "video_chat", ``), `(?s)addon_unique_name.*value must be one of`},
		{"bad timeout", loginBlock(org.baseURL, "live_chat", `request_timeout = "soon"`), `(?s)Invalid duration.*request_timeout`},
		{"bad retry timeout", loginBlock(org.baseURL, "live_chat", `retry_timeout = "-1m"`), `(?s)Invalid duration.*retry_timeout`},
		{"no requests per second", loginBlock(org.baseURL, "live_chat", `requests_per_second = 0`), `(?s)requests_per_second.*at least 0.1`},
		{"too many retries", loginBlock(org.baseURL, "live_chat", `max_retries = 21`), `(?s)max_retries.*between 0 and 20`},
		{"relative base url", loginBlock("api.example.com", "live_chat", ``), `(?s)base_url.*must be an absolute http or https URL`},
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

// The sentences the two token-pair processes say; provider.go and token.go
// word them.
const (
	saysPairRetired    = "The configured token pair is now retired"
	saysPairWasRetired = "the configured token pair was retired or has expired"
)

// tokenPairWorkspace holds one domain in its state, made with the
// organisation's login, which stays in the workspace's environment for the
// runs that give no token pair (the cleanup of live mode included).
func tokenPairWorkspace(t *testing.T, org *testOrg, name string) *cliWorkspace {
	t.Helper()
	w := newCLIWorkspace(t, org, `provider "chatwhizz" {}`+domainConfig(name, "before@example.com", true))
	w.env = append(w.env, org.env(chatwhizz.AddonLiveChat)...)
	w.mustRun(t, "apply", "-auto-approve")
	w.write(t, `provider "chatwhizz" {}`+domainConfig(name, "after@example.com", true))
	return w
}

// An apply over existing state runs its plan and its apply phase in two
// provider processes, and no token is written to disk to bridge them: when
// the configured access token has expired, the plan phase regenerates the
// pair, which retires it for the apply phase.
func TestAccProvider_tokenPairRetiredByThePlanPhase(t *testing.T) {
	org := newOwnEmulator(t, emulator.Knobs{}, "expire an access token on demand")
	name := org.domain("rotated")
	w := tokenPairWorkspace(t, org, name)
	pair := org.newTokenPair(t)
	org.emu.ExpireAccessTokens()

	out, code := w.run(t, org.tokenPairEnv(pair), "apply", "-auto-approve")
	if code == 0 {
		t.Fatalf("the apply phase succeeded with a pair its plan phase retired; the test proves nothing:\n%s", out)
	}
	// The CLI wraps long lines.
	flat := strings.Join(strings.Fields(out), " ")
	warned, failed := strings.Index(flat, saysPairRetired), strings.Index(flat, saysPairWasRetired)
	switch {
	case warned < 0:
		t.Errorf("the plan phase regenerated the configured pair without saying that it is now retired:\n%s", out)
	case strings.Count(flat, saysPairRetired) != 1:
		t.Errorf("the warning is not given once:\n%s", out)
	case !strings.Contains(flat, saysPairRetired+" with chatwhizz_domain.test"):
		t.Errorf("the warning is not attached to the resource whose read regenerated the pair:\n%s", out)
	case failed < warned:
		t.Errorf("the warning does not come before the apply phase's error:\n%s", out)
	}
	if !strings.Contains(flat, "could not regenerate the configured access_token and refresh_token") || failed < 0 {
		t.Errorf("the apply phase's error does not name the retired pair:\n%s", out)
	}
	if strings.Contains(flat, "may have expired") {
		t.Errorf("the apply phase's error blames expiry, not the plan phase's rotation:\n%s", out)
	}
	if d, ok := org.emu.Domain(name); !ok || d.Email != "before@example.com" {
		t.Errorf("the domain on the server is %+v, want it unchanged with before@example.com", d)
	}
}

// A pair whose access token is valid serves a plan and its apply phase, each
// validating it, with no regeneration and so no warning.
func TestAccProvider_freshTokenPairAppliesEndToEnd(t *testing.T) {
	org := newIsolatedTestOrg(t)
	name := org.domain("fresh-pair")
	w := tokenPairWorkspace(t, org, name)
	pair := org.newTokenPair(t)

	var before emulator.Stats
	if org.emu != nil {
		before = org.emu.Stats()
	}
	out, code := w.run(t, org.tokenPairEnv(pair), "apply", "-auto-approve")
	if code != 0 {
		t.Fatalf("apply with a fresh token pair exited %d:\n%s", code, out)
	}
	if strings.Contains(out, saysPairRetired) {
		t.Errorf("warned of a retired pair although nothing regenerated it:\n%s", out)
	}
	if org.emu != nil {
		// Each of the two processes validates the configured pair.
		if s := org.emu.Stats(); s.Validations-before.Validations != 2 || s.Regenerations != before.Regenerations || s.Logins != before.Logins {
			t.Errorf("want two validations and no regeneration or login; before %+v, after %+v", before, s)
		}
	}
	d, err := org.client(t).GetDomain(t.Context(), name)
	if err != nil {
		t.Fatal(err)
	}
	if d.Email != "after@example.com" {
		t.Errorf("the domain's email on the server is %q, want after@example.com", d.Email)
	}
}
