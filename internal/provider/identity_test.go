package provider

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"
)

// Resource identity needs a CLI that knows it: Terraform 1.12 or later, or
// OpenTofu 1.12 (which imports by identity too). On older CLIs the same
// resources must work as before: the tests of vanished objects, which Read
// removes from the state, prove it on each CLI (they failed on Terraform
// 1.11 with "Missing Resource Identity After Read" while Read set no
// identity before removing an object).

var needsIdentity = []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_12_0)}

// TestAccIdentity_importAndRename: each resource's identity is its server
// key; an import block naming only the identity imports it; a domain's
// rename in place carries its identity, and its assignment's, along.
func TestAccIdentity_importAndRename(t *testing.T) {
	org := newTestOrg(t)
	shop, store, email := org.domain("shop"), org.domain("store"), org.email("agent")
	const domain, operator, assignment = "chatwhizz_domain.shop", "chatwhizz_operator.agent", "chatwhizz_operator_assignment.test"
	operatorID := statecheck.CompareValue(compare.ValuesSame())
	hexID := knownvalue.StringRegexp(regexp.MustCompile(`^[0-9a-f]{24}$`))
	resource.ParallelTest(t, org.testCase(t, resource.TestCase{
		TerraformVersionChecks: needsIdentity,
		CheckDestroy:           org.checkAssignmentsReleased,
		Steps: []resource.TestStep{
			{
				Config: org.liveChat(assignmentConfig(shop, email, "")),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectIdentity(domain, map[string]knownvalue.Check{"name": knownvalue.StringExact(shop)}),
					statecheck.ExpectIdentity(operator, map[string]knownvalue.Check{"id": hexID}),
					statecheck.ExpectIdentity(assignment, map[string]knownvalue.Check{
						"domain_name": knownvalue.StringExact(shop), "operator_id": hexID,
					}),
					operatorID.AddStateValue(operator, tfjsonpath.New("id")),
				},
			},
			{ResourceName: domain, ImportState: true, ImportStateKind: resource.ImportBlockWithResourceIdentity},
			{ResourceName: operator, ImportState: true, ImportStateKind: resource.ImportBlockWithResourceIdentity},
			{
				// The settings cannot be read back: imported by identity, the
				// assignment plans no change, as by ID.
				ResourceName:     assignment,
				ImportState:      true,
				ImportStateKind:  resource.ImportBlockWithResourceIdentity,
				ImportPlanChecks: importPlansAction(assignment, plancheck.ResourceActionNoop),
			},
			{
				Config: org.liveChat(assignmentConfig(store, email, "")),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(domain, plancheck.ResourceActionUpdate),
					plancheck.ExpectResourceAction(assignment, plancheck.ResourceActionUpdate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectIdentity(domain, map[string]knownvalue.Check{"name": knownvalue.StringExact(store)}),
					statecheck.ExpectIdentityValue(assignment, tfjsonpath.New("domain_name"), knownvalue.StringExact(store)),
					operatorID.AddStateValue(operator, tfjsonpath.New("id")),
				},
				Check: org.checkDomainsAbsent(shop),
			},
			// The identity after the rename imports the same objects.
			{ResourceName: domain, ImportState: true, ImportStateKind: resource.ImportBlockWithResourceIdentity},
			{ResourceName: assignment, ImportState: true, ImportStateKind: resource.ImportBlockWithResourceIdentity},
		},
	}))
}

// TestAccIdentity_invalidIdentityIsRefused: an import block whose identity
// is not a valid key is refused before any call, naming what is wrong.
func TestAccIdentity_invalidIdentityIsRefused(t *testing.T) {
	org := newTestOrg(t)
	importBlock := func(to, identity string) string {
		return org.liveChat(fmt.Sprintf("import {\n  to       = %s\n  identity = %s\n}\n", to, identity) + domainBlock("shop", org.domain("shop"), "") + operatorBlock("agent", org.email("agent"), "") +
			assignmentBlock("test", fmt.Sprintf("%q", org.domain("shop")), `"0123456789abcdef01234567"`, ""))
	}
	resource.ParallelTest(t, org.testCase(t, resource.TestCase{
		TerraformVersionChecks: needsIdentity,
		Steps: []resource.TestStep{
			{
				Config:      importBlock("chatwhizz_domain.shop", `{ name = "https://shop.example.com" }`),
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`(?s)Invalid import ID.*identity's name is the domain name.*remove the scheme`),
			},
			{
				Config:      importBlock("chatwhizz_operator.agent", `{ id = "agent@example.com" }`),
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`(?s)Invalid import ID.*identity's id is the operator id`),
			},
			{
				Config:      importBlock("chatwhizz_operator_assignment.test", fmt.Sprintf(`{ domain_name = %q, operator_id = "nope" }`, org.domain("shop"))),
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`(?s)Invalid import ID.*"nope" is not an operator id`),
			},
		},
	}))
}
