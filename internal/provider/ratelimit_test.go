package provider

import (
	"fmt"
	"testing"

	"github.com/chatwhizz/terraform-provider-chatwhizz/internal/emulator"
)

// TestCLIRateLimitedServerIsPaced: against a server that admits 2 or 5
// requests a second for everyone, at Terraform's default parallelism of 10,
// apply, an empty plan and destroy all succeed: the client slows every call
// to the server's pace instead of failing the ones that met a 429.
func TestCLIRateLimitedServerIsPaced(t *testing.T) {
	for _, perSecond := range []int{2, 5} {
		t.Run(fmt.Sprintf("%d per second", perSecond), func(t *testing.T) {
			t.Parallel()
			org := newOwnEmulator(t, emulator.Knobs{RateLimit: perSecond}, "limit the rate on demand")
			const domains, operators = 2, 3
			w := newCLIWorkspace(t, org, fleetConfig(org, domains, operators))
			w.mustRun(t, "apply", "-auto-approve")
			assertFleetOnServer(t, org, domains, operators, true)
			w.assertEmptyPlan(t)
			w.mustRun(t, "destroy", "-auto-approve")
			assertFleetOnServer(t, org, domains, operators, false)
			if org.emu.Stats().Throttled == 0 {
				t.Errorf("the server never throttled at %d requests a second: the test proves nothing", perSecond)
			}
		})
	}
}
