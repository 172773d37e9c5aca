package provider

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/chatwhizz/terraform-provider-chatwhizz/internal/chatwhizz"
)

func operatorConfig(email, first, last string, active bool) string {
	return fmt.Sprintf(`
resource "chatwhizz_operator" "test" {
  email      = %q
  first_name = %q
  last_name  = %q
  active     = %t
}
`, email, first, last, active)
}

// checkOperatorInactive asserts through the API that the operator with id
// is inactive for the live_chat addon.
func (o *testOrg) checkOperatorInactive(id *string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		c, err := o.clients.get(chatwhizz.AddonLiveChat)
		if err != nil {
			return err
		}
		op, err := c.GetOperator(context.Background(), *id)
		if err != nil || op.Active {
			return fmt.Errorf("operator %s should be on the server and inactive: %+v, %v", *id, op, err)
		}
		return nil
	}
}

func TestAccOperator_lifecycle(t *testing.T) {
	org := newTestOrg(t)
	const addr = "chatwhizz_operator.test"
	// Lower case first: the contract does not say whether the server keeps
	// an email's case, and the import below reads it back.
	email := org.email("ann.lee")
	mixed := strings.Replace(strings.Replace(email, "ann.lee", "Ann.Lee", 1), "example.com", "Example.com", 1)
	// firstID is read by the drift step, which changes the operator behind
	// Terraform's back; sameOperator holds the steps to one operator.
	var firstID string
	sameOperator := statecheck.CompareValue(compare.ValuesSame())
	resource.ParallelTest(t, org.testCase(t, resource.TestCase{
		TerraformVersionChecks: []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_5_0)},
		Steps: slices.Concat(
			[]resource.TestStep{
				{
					Config: org.liveChat(operatorConfig(email, "Ann", "Lee", true)),
					ConfigStateChecks: []statecheck.StateCheck{
						statecheck.ExpectKnownValue(addr, tfjsonpath.New("id"), knownvalue.StringRegexp(regexp.MustCompile(`^[0-9a-f]{24}$`))),
						statecheck.ExpectKnownValue(addr, tfjsonpath.New("name"), knownvalue.StringExact("Ann Lee")),
						statecheck.ExpectKnownValue(addr, tfjsonpath.New("email"), knownvalue.StringExact(email)),
						statecheck.ExpectKnownValue(addr, tfjsonpath.New("active"), knownvalue.Bool(true)),
						statecheck.ExpectKnownValue(addr, tfjsonpath.New("addon_unique_name"), knownvalue.StringExact(chatwhizz.AddonLiveChat)),
						sameOperator.AddStateValue(addr, tfjsonpath.New("id")),
					},
					Check: resource.ComposeTestCheckFunc(
						org.checkOperatorOnServer(email, true),
						func(s *terraform.State) (err error) { firstID, err = operatorID(s, addr); return err },
					),
				},
			},
			operatorImportSteps(addr),
			[]resource.TestStep{
				{
					// A change of case only is not a new operator.
					Config:           org.liveChat(operatorConfig(mixed, "Ann", "Lee", true)),
					ConfigPlanChecks: plansAction(addr, plancheck.ResourceActionUpdate),
					ConfigStateChecks: []statecheck.StateCheck{
						statecheck.ExpectKnownValue(addr, tfjsonpath.New("email"), knownvalue.StringExact(mixed)),
						sameOperator.AddStateValue(addr, tfjsonpath.New("id")),
					},
				},
				{
					// The API cannot rename an operator: a new first_name is
					// recorded in place, with a warning, and the name stays.
					Config:           org.liveChat(operatorConfig(email, "Annie", "Lee", true)),
					ConfigPlanChecks: plansAction(addr, plancheck.ResourceActionUpdate),
					ConfigStateChecks: []statecheck.StateCheck{
						statecheck.ExpectKnownValue(addr, tfjsonpath.New("first_name"), knownvalue.StringExact("Annie")),
						statecheck.ExpectKnownValue(addr, tfjsonpath.New("name"), knownvalue.StringExact("Ann Lee")),
						sameOperator.AddStateValue(addr, tfjsonpath.New("id")),
					},
				},
			},
			operatorInactiveAndReplacedSteps(t, org, addr, email, &firstID),
		),
	}))
}

// operatorImportSteps import the operator at addr by its id, with a
// command and with an import block.
func operatorImportSteps(addr string) []resource.TestStep {
	return []resource.TestStep{
		{
			ResourceName:      addr,
			ImportState:       true,
			ImportStateVerify: true,
			// Names are only sent on create and cannot be read back.
			ImportStateVerifyIgnore: []string{"first_name", "last_name"},
		},
		{
			// The names cannot be read back: an import block plans to
			// record them from the configuration, in place.
			ResourceName:       addr,
			ImportState:        true,
			ImportStateKind:    resource.ImportBlockWithID,
			ExpectNonEmptyPlan: true,
			ImportPlanChecks: resource.ImportPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
				plancheck.ExpectKnownValue(addr, tfjsonpath.New("first_name"), knownvalue.StringExact("Ann")),
			}},
		},
	}
}

// operatorInactiveAndReplacedSteps make the operator at addr inactive, set
// it back when it is activated outside Terraform (firstID is its id), and
// replace it by another email.
func operatorInactiveAndReplacedSteps(t *testing.T, org *testOrg, addr, email string, firstID *string) []resource.TestStep {
	return []resource.TestStep{
		{
			Config:           org.liveChat(operatorConfig(email, "Ann", "Lee", false)),
			ConfigPlanChecks: plansAction(addr, plancheck.ResourceActionUpdate),
			Check:            org.checkOperatorOnServer(email, false),
		},
		{
			// Drift: activated outside Terraform.
			PreConfig: func() {
				if err := org.client(t).SetOperatorActive(t.Context(), *firstID, true); err != nil {
					t.Fatal(err)
				}
			},
			Config:           org.liveChat(operatorConfig(email, "Ann", "Lee", false)),
			ConfigPlanChecks: plansAction(addr, plancheck.ResourceActionUpdate),
			Check:            org.checkOperatorOnServer(email, false),
		},
		{
			// Another email is another operator.
			Config:           org.liveChat(operatorConfig(org.email("bob"), "Ann", "Lee", true)),
			ConfigPlanChecks: plansAction(addr, plancheck.ResourceActionDestroyBeforeCreate),
			Check:            org.checkOperatorOnServer(org.email("bob"), true),
		},
	}
}

// TestAccOperator_vanishedIsPlannedAgain: an operator deleted outside
// Terraform (which the API itself cannot do) is planned again.
func TestAccOperator_vanishedIsPlannedAgain(t *testing.T) {
	org := newTestOrg(t)
	emu := org.backDoor(t, "delete an operator, which the API cannot")
	const addr = "chatwhizz_operator.test"
	email := org.email("vanish")
	var id string
	resource.ParallelTest(t, org.testCase(t, resource.TestCase{
		Steps: []resource.TestStep{
			{
				Config: org.liveChat(operatorConfig(email, "Van", "Ish", true)),
				Check:  func(s *terraform.State) (err error) { id, err = operatorID(s, addr); return err },
			},
			{
				PreConfig:        func() { emu.DeleteOperator(org.Domain, id) },
				Config:           org.liveChat(operatorConfig(email, "Van", "Ish", true)),
				ConfigPlanChecks: plansAction(addr, plancheck.ResourceActionCreate),
				Check:            org.checkOperatorOnServer(email, true),
			},
		},
	}))
}

func TestAccOperator_destroyDeactivatesAndCreateReactivates(t *testing.T) {
	org := newTestOrg(t)
	const addr = "chatwhizz_operator.test"
	email := org.email("cy")
	// id is read through the API while the resource is destroyed;
	// sameOperator holds the create again to the first operator.
	var id string
	sameOperator := statecheck.CompareValue(compare.ValuesSame())
	resource.ParallelTest(t, org.testCase(t, resource.TestCase{
		Steps: []resource.TestStep{
			{
				Config:            org.liveChat(operatorConfig(email, "Cy", "Po", true)),
				Check:             func(s *terraform.State) (err error) { id, err = operatorID(s, addr); return err },
				ConfigStateChecks: []statecheck.StateCheck{sameOperator.AddStateValue(addr, tfjsonpath.New("id"))},
			},
			{
				// Destroy leaves the operator on the server, inactive.
				Config: org.liveChat(""),
				Check:  org.checkOperatorInactive(&id),
			},
			{
				// Creating it again adopts the same operator.
				Config:            org.liveChat(operatorConfig(email, "Cy", "Po", true)),
				Check:             org.checkOperatorOnServer(email, true),
				ConfigStateChecks: []statecheck.StateCheck{sameOperator.AddStateValue(addr, tfjsonpath.New("id"))},
			},
		},
	}))
}

func TestAccOperator_importedNamesAreRecordedNotReplaced(t *testing.T) {
	org := newTestOrg(t)
	email := org.email("dee")
	op := org.createOperator(t, chatwhizz.CreateOperatorInput{Email: email, FirstName: "Dee", LastName: "Ra"})
	const addr = "chatwhizz_operator.test"
	resource.ParallelTest(t, org.testCase(t, resource.TestCase{
		TerraformVersionChecks: []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_5_0)},
		Steps: []resource.TestStep{{
			Config: org.liveChat(fmt.Sprintf(`
import {
  to = chatwhizz_operator.test
  id = %q
}
`, op.ID) + operatorConfig(email, "Dee", "Ra", true)),
			ConfigPlanChecks: plansAction(addr, plancheck.ResourceActionUpdate),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(addr, tfjsonpath.New("id"), knownvalue.StringExact(op.ID)),
				statecheck.ExpectKnownValue(addr, tfjsonpath.New("first_name"), knownvalue.StringExact("Dee")),
			},
		}},
	}))
}

func TestAccOperator_invalidInputIsRefusedAtPlan(t *testing.T) {
	org := newTestOrg(t)
	var steps []resource.TestStep
	for _, email := range []string{"", "ann", "ann@", "@example.com", "ann example@example.com"} {
		steps = append(steps, resource.TestStep{
			Config:      org.liveChat(operatorConfig(email, "A", "B", true)),
			PlanOnly:    true,
			ExpectError: regexp.MustCompile(`(?s)Invalid email address.*with chatwhizz_operator\.test.*email\s+=`),
		})
	}
	steps = append(steps, resource.TestStep{
		Config: org.liveChat(`
resource "chatwhizz_operator" "test" {
  email = "ok.example@example.com"
}
`),
		ImportState:   true,
		ResourceName:  "chatwhizz_operator.test",
		ImportStateId: "not-an-id",
		ExpectError:   regexp.MustCompile(`(?s)Invalid import ID.*24 lower-case\s+hexadecimal`),
	})
	resource.ParallelTest(t, org.testCase(t, resource.TestCase{Steps: steps}))
}
