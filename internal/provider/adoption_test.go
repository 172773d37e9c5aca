package provider

import (
	"fmt"
	"testing"

	"github.com/chatwhizz/terraform-provider-chatwhizz/internal/emulator"
)

// TestCLIDeclaredAssignmentResetsSettingsLeftOut: an admin, offline
// assignment made outside Terraform, declared (not imported) with no
// settings and applied, takes a new assignment's values: not admin, online.
// The adoption guide says so, and recommends import instead.
func TestCLIDeclaredAssignmentResetsSettingsLeftOut(t *testing.T) {
	org := newTestOrg(t)
	if org.emu == nil {
		t.Skip("the API cannot read an assignment's settings: only the emulator can show them")
	}
	domain, op := org.adminOfflineAssignment(t, "declared", "declared")

	w := newCLIWorkspace(t, org, org.liveChat(fmt.Sprintf(`
resource "chatwhizz_operator_assignment" "declared" {
  domain_name = %q
  operator_id = %q
}
`, domain, op.ID)))
	w.mustRun(t, "apply", "-auto-approve")
	want := emulator.AssignmentRecord{OperatorID: op.ID, IsAdmin: false, OnlineStatus: true, Status: true}
	d, _ := org.emu.Domain(domain)
	if got := d.Assignments[op.ID]; got != want {
		t.Fatalf("after declaring and applying the assignment it is %+v, want a new assignment's settings %+v", got, want)
	}
	w.assertEmptyPlan(t)
}
