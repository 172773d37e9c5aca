package provider

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chatwhizz/terraform-provider-chatwhizz/internal/chatwhizz"
)

// TestCLITerraformTestDestroysWhatItApplied: `terraform test` applies and
// then destroys in one provider process when the test file has a provider
// block (Terraform 1.13 does). The destroy of what that process created is
// no replacement: the domain and the operator end inactive, not "left
// alone" as a deposed instance's would be.
func TestCLITerraformTestDestroysWhatItApplied(t *testing.T) {
	org := newTestOrg(t)
	domain, email := org.domain("teardown"), org.email("teardown")
	block := org.providerBlock(chatwhizz.AddonLiveChat)
	w := newCLIWorkspace(t, org, assignmentConfig(domain, email, "")+`
output "operator_id" {
  value = chatwhizz_operator.agent.id
}
`)
	if err := os.MkdirAll(filepath.Join(w.dir, "tests"), 0o700); err != nil {
		t.Fatal(err)
	}
	test := block + `
run "apply" {
  command = apply
}
`
	if err := os.WriteFile(filepath.Join(w.dir, "tests", "teardown.tftest.hcl"), []byte(test), 0o600); err != nil {
		t.Fatal(err)
	}
	out := w.mustRun(t, "test")
	if strings.Contains(out, "left alone") {
		t.Errorf("the test's destroy left what it applied alone:\n%s", out)
	}
	c := org.client(t)
	if d, err := c.GetDomain(t.Context(), domain); err != nil || d.Active {
		t.Errorf("after the test's destroy the domain is %+v, %v; want inactive", d, err)
	}
	if org.emu != nil {
		for _, op := range org.emu.Operators(org.Domain) {
			if strings.EqualFold(op.Email, email) && op.ActiveAddons[chatwhizz.AddonLiveChat] {
				t.Errorf("after the test's destroy the operator is still active: %+v", op)
			}
		}
	}
}
