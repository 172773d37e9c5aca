package provider

import (
	"fmt"
	"net/http"
	"regexp"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"
)

// liveToken checks that a value handed out by the ephemeral resource is a
// working access token of the organisation.
type liveToken struct{ org *testOrg }

func (c liveToken) CheckValue(v any) error {
	token, ok := v.(string)
	if !ok || token == "" {
		return fmt.Errorf("want a non-empty string, got %#v", v)
	}
	// With a live token the API answers 404 for an absent domain; with a
	// dead one, 401.
	req, err := http.NewRequest(http.MethodGet, c.org.baseURL+"admin/domain/"+c.org.domain("absent"), nil)
	if err != nil {
		return err
	}
	req.Header.Set("access_token", token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	_ = resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound {
		return fmt.Errorf("the token does not work: HTTP %d", resp.StatusCode)
	}
	return nil
}

func (c liveToken) String() string { return "a live access token" }

func TestAccAccessTokenEphemeral(t *testing.T) {
	org := newTestOrg(t)
	// The emulator's access tokens live an hour; the contract leaves a live
	// server's lifetime open.
	expiry := expiresAfter{time.Now().UTC()}
	if org.emu != nil {
		expiry.min = expiry.min.Add(50 * time.Minute)
	}
	resource.ParallelTest(t, org.testCase(t, resource.TestCase{
		TerraformVersionChecks: []tfversion.TerraformVersionCheck{skipBelowEphemeral()},
		Steps: []resource.TestStep{{
			Config: org.liveChat(`
ephemeral "chatwhizz_access_token" "test" {}

provider "echo" {
  data = ephemeral.chatwhizz_access_token.test
}

resource "echo" "token" {}
`),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("echo.token", tfjsonpath.New("data").AtMapKey("organisation_domain"), knownvalue.StringExact(org.Domain)),
				statecheck.ExpectKnownValue("echo.token", tfjsonpath.New("data").AtMapKey("access_token"), liveToken{org: org}),
				statecheck.ExpectKnownValue("echo.token", tfjsonpath.New("data").AtMapKey("refresh_token"), knownvalue.StringRegexp(regexp.MustCompile(`\S`))),
				statecheck.ExpectKnownValue("echo.token", tfjsonpath.New("data").AtMapKey("expires_at"), expiry),
			},
		}},
	}))
}

type expiresAfter struct{ min time.Time }

func (c expiresAfter) CheckValue(v any) error {
	s, _ := v.(string)
	at, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return fmt.Errorf("expires_at %q is not RFC 3339: %w", s, err)
	}
	if at.Before(c.min) {
		return fmt.Errorf("expires_at %s is before %s", at, c.min)
	}
	return nil
}

func (c expiresAfter) String() string { return "an expiry after " + c.min.String() }

// TestAccAccessTokenEphemeral_tokenPair: a provider given only a token pair
// cannot log in: it hands out its own live session.
func TestAccAccessTokenEphemeral_tokenPair(t *testing.T) {
	clearProviderEnv(t)
	org := newTestOrg(t)
	org.setTokenPairEnv(t)
	resource.Test(t, org.testCase(t, resource.TestCase{
		TerraformVersionChecks: []tfversion.TerraformVersionCheck{skipBelowEphemeral()},
		Steps: []resource.TestStep{{
			Config: fmt.Sprintf(`
provider "chatwhizz" {
  base_url          = %q
  addon_unique_name = "live_chat"
}

ephemeral "chatwhizz_access_token" "test" {}

provider "echo" {
  data = ephemeral.chatwhizz_access_token.test
}

resource "echo" "token" {}
`, org.baseURL),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("echo.token", tfjsonpath.New("data").AtMapKey("access_token"), liveToken{org: org}),
			},
		}},
	}))
}
