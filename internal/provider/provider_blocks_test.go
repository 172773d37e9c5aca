package provider

import (
	"strings"
	"testing"

	"github.com/chatwhizz/terraform-provider-chatwhizz/internal/chatwhizz"
	"github.com/chatwhizz/terraform-provider-chatwhizz/internal/emulator"
)

// TestCLIEachProviderBlockLogsInOnItsOwn: two provider blocks on one
// organisation and addon make two logins in one apply, so a quota the API
// counts per organisation is shared between them, as the provider's page
// says. Terraform gives each block a provider instance of its own (even a
// client shared by the whole process would not join them), so this pins
// what the CLI does, which the page's advice rests on.
func TestCLIEachProviderBlockLogsInOnItsOwn(t *testing.T) {
	org := newOwnEmulator(t, emulator.Knobs{}, "count the API calls")
	second := strings.Replace(org.providerBlock(chatwhizz.AddonLiveChat), "provider \"chatwhizz\" {", "provider \"chatwhizz\" {\n  alias = \"second\"", 1)
	w := newCLIWorkspace(t, org, org.liveChat(second+`
resource "chatwhizz_domain" "first" {
  name  = "first.example.com"
  email = "owner@example.com"
}

resource "chatwhizz_domain" "second" {
  provider = chatwhizz.second
  name     = "second.example.com"
  email    = "owner@example.com"
}
`))
	w.useProviderBinary(t, severalProviderBlocks)
	before := org.emu.Stats()
	w.mustRun(t, "apply", "-auto-approve")
	assertCalls(t, "apply with two provider blocks", callsSince(before, org.emu.Stats()), map[string]int{
		chatwhizz.EndpointLogin.String():        2,
		chatwhizz.EndpointCreateDomain.String(): 2,
	})
}
