package provider

import (
	"fmt"
	"strings"
	"testing"

	"github.com/chatwhizz/terraform-provider-chatwhizz/internal/chatwhizz"
	"github.com/chatwhizz/terraform-provider-chatwhizz/internal/emulator"
)

// TestCLIFrugality holds the provider to the API's floor, counted on the
// emulator around single CLI commands: one login per provider process; a
// create costs one call, plus one for an assignment's online_status; a no-op
// plan reads each domain and operator once, however many assignments use them.
func TestCLIFrugality(t *testing.T) {
	org := newOwnEmulator(t, emulator.Knobs{}, "count the API calls")
	emu := org.emu
	const domains, operators = 3, 4
	assignments := domains * operators
	w := newCLIWorkspace(t, org, fleetConfig(org, domains, operators))

	before := emu.Stats()
	w.mustRun(t, "apply", "-auto-approve", "-parallelism=10")
	after := emu.Stats()
	want := map[string]int{
		chatwhizz.EndpointLogin.String():            1,
		chatwhizz.EndpointCreateDomain.String():     domains,
		chatwhizz.EndpointCreateOperator.String():   operators,
		chatwhizz.EndpointAssign.String():           assignments,
		chatwhizz.EndpointUpdateAssignment.String(): assignments,
	}
	assertCalls(t, "apply", callsSince(before, after), want)

	before = emu.Stats()
	out, code := w.run(t, nil, "plan", "-detailed-exitcode", "-parallelism=10")
	if code != 0 {
		t.Fatalf("the plan after apply is not empty (exit %d):\n%s", code, out)
	}
	assertCalls(t, "no-op plan", callsSince(before, emu.Stats()), map[string]int{
		chatwhizz.EndpointLogin.String():       1,
		chatwhizz.EndpointGetDomain.String():   domains,
		chatwhizz.EndpointGetOperator.String(): operators,
	})

	before = emu.Stats()
	w.mustRun(t, "destroy", "-auto-approve", "-parallelism=10")
	// Destroy is two provider processes (refresh, then apply): a login each.
	assertCalls(t, "destroy", callsSince(before, emu.Stats()), map[string]int{
		chatwhizz.EndpointLogin.String():            2,
		chatwhizz.EndpointGetDomain.String():        domains,
		chatwhizz.EndpointGetOperator.String():      operators,
		chatwhizz.EndpointUpdateDomain.String():     domains,
		chatwhizz.EndpointUpdateOperator.String():   operators,
		chatwhizz.EndpointUpdateAssignment.String(): assignments,
	})
}

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

func assertCalls(t *testing.T, what string, got, want map[string]int) {
	t.Helper()
	var diffs []string
	for route, n := range want {
		if got[route] != n {
			diffs = append(diffs, fmt.Sprintf("%s: %d calls, want %d", route, got[route], n))
		}
	}
	for route, n := range got {
		if _, ok := want[route]; !ok {
			diffs = append(diffs, fmt.Sprintf("%s: %d unexpected calls", route, n))
		}
	}
	if len(diffs) > 0 {
		t.Errorf("%s:\n  %s", what, strings.Join(diffs, "\n  "))
	}
}
