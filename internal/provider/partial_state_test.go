package provider

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/chatwhizz/terraform-provider-chatwhizz/internal/emulator"
)

// TestCLIPartialCreateIsKeptInState: when the second call of a create fails,
// the object that the first call made is recorded (tainted), not lost, and
// the next apply repairs it.
func TestCLIPartialCreateIsKeptInState(t *testing.T) {
	skipUnlessAcceptance(t)
	skipInLiveMode(t, "refuse one call of a create")
	emu := emulator.New(emulator.Knobs{})
	var refuse atomic.Bool
	refuse.Store(true)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if refuse.Load() && r.Method == http.MethodPut && strings.HasPrefix(r.URL.Path, "/admin/operator/assign/") {
			w.WriteHeader(http.StatusBadRequest)
			_, _ = io.WriteString(w, `{"status":0,"message":"online_status is locked by policy"}`)
			return
		}
		emu.ServeHTTP(w, r)
	}))
	defer srv.Close()
	org := newTestOrgOn(t, emu, srv.URL+"/")
	w := newCLIWorkspace(t, org, fleetConfig(org, 1, 1))

	out, code := w.run(t, nil, "apply", "-auto-approve")
	out = strings.Join(strings.Fields(out), " ") // the CLI wraps long messages
	if code == 0 || !strings.Contains(out, "online_status is locked by policy") || !strings.Contains(out, "is assigned to domain") {
		t.Fatalf("the apply must fail quoting the server (exit %d):\n%s", code, out)
	}
	state := w.mustRun(t, "state", "list")
	if !strings.Contains(state, "chatwhizz_operator_assignment.a0_0") {
		t.Fatalf("the assignment made on the server is missing from the state:\n%s", state)
	}
	show := w.mustRun(t, "state", "show", "chatwhizz_operator_assignment.a0_0")
	if !strings.Contains(show, "tainted") {
		t.Fatalf("the half-made assignment should be tainted:\n%s", show)
	}

	refuse.Store(false)
	w.mustRun(t, "apply", "-auto-approve")
	assertFleetOnServer(t, org, 1, 1, true)
	w.assertEmptyPlan(t)
}
