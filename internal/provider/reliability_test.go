package provider

import (
	"fmt"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/chatwhizz/terraform-provider-chatwhizz/internal/chatwhizz"
	"github.com/chatwhizz/terraform-provider-chatwhizz/internal/emulator"
)

// These tests prove the provider converges against a service that fails,
// throttles, expires tokens and gets interrupted, through the real CLI.

// assertStateHoldsServer checks that nothing the server holds is missing
// from the state, and that the state holds the whole fleet.
func assertStateHoldsServer(t *testing.T, w *cliWorkspace, org *testOrg, domains, operators int) {
	t.Helper()
	resources := w.stateResources(t)
	ids := map[string]bool{}
	for _, r := range resources {
		ids[r.Type+":"+fmt.Sprint(r.Values["id"])] = true
	}
	if n := len(resources); n != fleetSize(domains, operators) {
		t.Errorf("the state holds %d resources, want %d", n, fleetSize(domains, operators))
	}
	for _, d := range org.emu.Domains(org.Domain) {
		if !ids["chatwhizz_domain:"+d.Name] {
			t.Errorf("domain %s is on the server but not in the state", d.Name)
		}
		for opID := range d.Assignments {
			if !ids["chatwhizz_operator_assignment:"+d.Name+"/"+opID] {
				t.Errorf("assignment %s/%s is on the server but not in the state", d.Name, opID)
			}
		}
	}
	for _, op := range org.emu.Operators(org.Domain) {
		if !ids["chatwhizz_operator:"+op.ID] {
			t.Errorf("operator %s is on the server but not in the state", op.ID)
		}
	}
}

// TestCLIFaults applies, plans and destroys a fleet of 47 resources while
// the service answers 10% of calls 503, throttles with 429, lets access
// tokens live 2 seconds and adds latency.
func TestCLIFaults(t *testing.T) {
	org := newOwnEmulator(t, emulator.Knobs{
		FailureRate:    0.10,
		RateLimit:      30,
		AccessTokenTTL: 2 * time.Second,
		Latency:        50 * time.Millisecond,
	}, "inject 503s, 429s and short token lifetimes")
	emu := org.emu
	const domains, operators = 5, 7
	if fleetSize(domains, operators) < 45 {
		t.Fatal("the fleet is too small")
	}
	w := newCLIWorkspace(t, org, fleetConfig(org, domains, operators))

	w.mustRun(t, "apply", "-auto-approve", "-parallelism=10")
	assertFleetOnServer(t, org, domains, operators, true)
	assertStateHoldsServer(t, w, org, domains, operators)
	w.assertEmptyPlan(t)
	w.mustRun(t, "destroy", "-auto-approve", "-parallelism=10")
	assertFleetOnServer(t, org, domains, operators, false)

	s := emu.Stats()
	t.Logf("through faults: %d resources; %d answers 503, %d answers 429, %d regenerations, %d logins",
		fleetSize(domains, operators), s.Injected503, s.Throttled, s.Regenerations, s.Logins)
	if s.Injected503 == 0 || s.Throttled == 0 || s.Regenerations == 0 {
		t.Fatalf("the faults did not happen, so they prove nothing: %+v", s)
	}
}

// TestCLIInterruptedApply interrupts an apply of many resources, gracefully
// (SIGINT to the CLI) and brutally (SIGKILL to the CLI and its providers),
// then applies again: it converges, duplicates nothing and loses nothing.
func TestCLIInterruptedApply(t *testing.T) {
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGKILL} {
		t.Run(sig.String(), func(t *testing.T) {
			org := newOwnEmulator(t, emulator.Knobs{Latency: 150 * time.Millisecond}, "slow the server down and count its calls, to interrupt an apply midway")
			emu := org.emu
			const domains, operators = 4, 6
			w := newCLIWorkspace(t, org, fleetConfig(org, domains, operators))
			w.useProviderBinary(t, "the CLI's process group must hold its provider processes, for SIGKILL to take them with it")

			var out strings.Builder
			cmd := w.command(nil, &out, "apply", "-auto-approve", "-parallelism=10")
			cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			// Interrupt once some assignments are under way: domains and
			// operators exist, the rest does not yet.
			deadline := time.Now().Add(60 * time.Second)
			for emu.Stats().Requests[chatwhizz.EndpointAssign.String()] < 3 {
				if time.Now().After(deadline) {
					_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
					t.Fatalf("the apply never got going:\n%s", out.String())
				}
				time.Sleep(10 * time.Millisecond)
			}
			if sig == syscall.SIGKILL {
				_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) // the CLI and its provider processes
			} else {
				_ = cmd.Process.Signal(sig)
			}
			err := cmd.Wait()
			if sig == syscall.SIGKILL {
				_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
			}
			if err == nil {
				t.Fatalf("the apply finished before the interrupt; the test proves nothing:\n%s", out.String())
			}
			t.Logf("interrupted with %s after %d assign calls", sig, emu.Stats().Requests[chatwhizz.EndpointAssign.String()])

			w.mustRun(t, "apply", "-auto-approve", "-parallelism=10")
			assertFleetOnServer(t, org, domains, operators, true)
			assertStateHoldsServer(t, w, org, domains, operators)
			w.assertEmptyPlan(t)
		})
	}
}
