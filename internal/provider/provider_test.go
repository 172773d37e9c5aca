package provider

import (
	"context"
	"fmt"
	"os"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/hashicorp/go-version"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/echoprovider"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/chatwhizz/terraform-provider-chatwhizz/internal/chatwhizz"
	"github.com/chatwhizz/terraform-provider-chatwhizz/internal/emulator"
)

// testAccProtoV6ProviderFactories serves the provider in process to the real
// CLI named by TF_ACC_TERRAFORM_PATH; echo lets tests look at ephemeral values.
var testAccProtoV6ProviderFactories = map[string]func() (tfprotov6.ProviderServer, error){
	"chatwhizz": providerserver.NewProtocol6WithError(New("test")()),
	"echo":      echoprovider.NewProviderServer(),
}

// sharedEmulator serves every acceptance test; each test gets its own
// organisation, so tests run in parallel without seeing each other's objects.
var (
	sharedEmulator *emulator.Emulator
	sharedBaseURL  string
	orgCounter     atomic.Int64
)

func TestMain(m *testing.M) {
	var stop func()
	sharedEmulator, sharedBaseURL, stop = emulator.Start(emulator.Knobs{})
	code := m.Run()
	stop()
	removeProviderBinary()
	os.Exit(code)
}

func testAccPreCheck(t *testing.T) {
	t.Helper()
	if os.Getenv("TF_ACC_TERRAFORM_PATH") == "" {
		t.Fatal("TF_ACC_TERRAFORM_PATH must name the Terraform or OpenTofu CLI to test with (make testacc sets it)")
	}
}

// testOrg is an organisation of its own on an emulator, with both addons.
type testOrg struct {
	emu     *emulator.Emulator
	baseURL string
	emulator.Organisation
	// prefix makes the test's domain names unique: domains are global.
	prefix string
}

func newTestOrg(t *testing.T) *testOrg {
	t.Helper()
	return newTestOrgOn(t, sharedEmulator, sharedBaseURL)
}

func newTestOrgOn(t *testing.T, emu *emulator.Emulator, baseURL string) *testOrg {
	t.Helper()
	n := orgCounter.Add(1)
	o := emulator.Organisation{
		Domain:   fmt.Sprintf("org%d", n),
		Email:    fmt.Sprintf("admin%d@example.com", n),
		Password: fmt.Sprintf("secret-password-%d", n),
		Addons:   []string{emulator.AddonLiveChat, emulator.AddonSellerBuyer},
	}
	emu.AddOrganisation(o)
	return &testOrg{emu: emu, baseURL: baseURL, Organisation: o, prefix: fmt.Sprintf("t%d-%s", n, nonLabel.ReplaceAllString(strings.ToLower(t.Name()), "-"))}
}

// nonLabel matches what a host name label cannot hold.
var nonLabel = regexp.MustCompile(`[^a-z0-9-]+`)

// domain is a host name unique to this test.
func (o *testOrg) domain(label string) string {
	name := label + "." + o.prefix
	if len(name) > 200 {
		name = name[:200]
	}
	return strings.Trim(name, "-.") + ".example.com"
}

// providerBlock configures the provider for this organisation and addon.
func (o *testOrg) providerBlock(addon string) string {
	return fmt.Sprintf(`
provider "chatwhizz" {
  base_url            = %q
  email               = %q
  password            = %q
  organisation_domain = %q
  addon_unique_name   = %q
}
`, o.baseURL, o.Email, o.Password, o.Domain, addon)
}

// env holds the organisation's credentials as the provider's environment
// variables: the way to keep them out of configuration, plans and state.
func (o *testOrg) env(addon string) []string {
	return []string{
		"CHATWHIZZ_BASE_URL=" + o.baseURL, "CHATWHIZZ_EMAIL=" + o.Email, "CHATWHIZZ_PASSWORD=" + o.Password,
		"CHATWHIZZ_ORGANISATION_DOMAIN=" + o.Domain, "CHATWHIZZ_ADDON_UNIQUE_NAME=" + addon,
	}
}

func (o *testOrg) liveChat(body string) string {
	return o.providerBlock(chatwhizz.AddonLiveChat) + body
}

func (o *testOrg) sellerBuyer(body string) string {
	return o.providerBlock(chatwhizz.AddonSellerBuyer) + body
}

// client talks to the organisation's live_chat addon behind Terraform's
// back, for drift.
func (o *testOrg) client(t *testing.T) *chatwhizz.Client {
	t.Helper()
	c, err := chatwhizz.New(chatwhizz.Config{
		BaseURL: o.baseURL, Email: o.Email, Password: o.Password,
		OrganisationDomain: o.Domain, AddonUniqueName: chatwhizz.AddonLiveChat,
	})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// usingOpenTofu tells the CLIs apart: OpenTofu reports its own version.
func usingOpenTofu() bool {
	return os.Getenv("TF_ACC_PROVIDER_HOST") == "registry.opentofu.org"
}

// skipBelowEphemeral skips where the CLI has no ephemeral resources:
// Terraform before 1.10, OpenTofu before 1.11.
func skipBelowEphemeral() tfversion.TerraformVersionCheck {
	if usingOpenTofu() {
		return tfversion.SkipBelow(version.Must(version.NewVersion("1.11.0")))
	}
	return tfversion.SkipBelow(tfversion.Version1_10_0)
}

func ctx() context.Context { return context.Background() }
