package provider

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

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

// operatorID reads the operator id Terraform recorded.
func operatorID(s *terraform.State, addr string) (string, error) {
	rs, ok := s.RootModule().Resources[addr]
	if !ok {
		return "", fmt.Errorf("%s is not in the state", addr)
	}
	return rs.Primary.ID, nil
}

// checkOperatorOnServer asserts what the emulator holds for
// chatwhizz_operator.test.
func (o *testOrg) checkOperatorOnServer(email string, active bool) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		id, err := operatorID(s, "chatwhizz_operator.test")
		if err != nil {
			return err
		}
		op, ok := o.emu.Operator(o.Domain, id)
		switch {
		case !ok:
			return fmt.Errorf("operator %s is not on the server", id)
		case !strings.EqualFold(op.Email, email) || op.ActiveAddons[chatwhizz.AddonLiveChat] != active:
			return fmt.Errorf("operator %s on the server: %+v, want %s active=%t", id, op, email, active)
		}
		return nil
	}
}

// checkOperatorsInactive is a CheckDestroy: every operator of the
// organisation is inactive for the addon (the API cannot delete them).
func (o *testOrg) checkOperatorsInactive(addon string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		for _, op := range o.emu.Operators(o.Domain) {
			if op.ActiveAddons[addon] {
				return fmt.Errorf("operator %s (%s) is still active after destroy", op.ID, op.Email)
			}
		}
		return nil
	}
}

func TestAccOperator_lifecycle(t *testing.T) {
	org := newTestOrg(t)
	const addr = "chatwhizz_operator.test"
	var firstID string
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             org.checkOperatorsInactive(chatwhizz.AddonLiveChat),
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_5_0)},
		Steps: []resource.TestStep{
			{
				Config: org.liveChat(operatorConfig("Ann.Lee@Example.com", "Ann", "Lee", true)),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("id"), knownvalue.StringRegexp(regexp.MustCompile(`^[0-9a-f]{24}$`))),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("name"), knownvalue.StringExact("Ann Lee")),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("email"), knownvalue.StringExact("Ann.Lee@Example.com")),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("active"), knownvalue.Bool(true)),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("addon_unique_name"), knownvalue.StringExact(chatwhizz.AddonLiveChat)),
				},
				Check: resource.ComposeTestCheckFunc(
					org.checkOperatorOnServer("ann.lee@example.com", true),
					func(s *terraform.State) (err error) { firstID, err = operatorID(s, addr); return err },
				),
			},
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
			{
				// A change of case only is not a new operator.
				Config: org.liveChat(operatorConfig("ann.lee@example.com", "Ann", "Lee", true)),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
				}},
				Check: func(s *terraform.State) error {
					if id, _ := operatorID(s, addr); id != firstID {
						return fmt.Errorf("id changed from %s to %s", firstID, id)
					}
					return nil
				},
			},
			{
				// The API cannot rename an operator: a new first_name is
				// recorded in place, with a warning, and the name stays.
				Config: org.liveChat(operatorConfig("ann.lee@example.com", "Annie", "Lee", true)),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("first_name"), knownvalue.StringExact("Annie")),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("name"), knownvalue.StringExact("Ann Lee")),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("id"), knownvalue.StringFunc(func(id string) error {
						if id != firstID {
							return fmt.Errorf("id changed from %s to %s", firstID, id)
						}
						return nil
					})),
				},
			},
			{
				Config: org.liveChat(operatorConfig("ann.lee@example.com", "Ann", "Lee", false)),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
				}},
				Check: org.checkOperatorOnServer("ann.lee@example.com", false),
			},
			{
				// Drift: activated outside Terraform.
				PreConfig: func() {
					if err := org.client(t).SetOperatorActive(ctx(), firstID, true); err != nil {
						t.Fatal(err)
					}
				},
				Config: org.liveChat(operatorConfig("ann.lee@example.com", "Ann", "Lee", false)),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
				}},
				Check: org.checkOperatorOnServer("ann.lee@example.com", false),
			},
			{
				// Gone from the server: planned again.
				PreConfig: func() { org.emu.DeleteOperator(org.Domain, firstID) },
				Config:    org.liveChat(operatorConfig("ann.lee@example.com", "Ann", "Lee", true)),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionCreate),
				}},
				Check: org.checkOperatorOnServer("ann.lee@example.com", true),
			},
			{
				// Another email is another operator.
				Config: org.liveChat(operatorConfig("bob@example.com", "Ann", "Lee", true)),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionDestroyBeforeCreate),
				}},
				Check: org.checkOperatorOnServer("bob@example.com", true),
			},
		},
	})
}

func TestAccOperator_destroyDeactivatesAndCreateReactivates(t *testing.T) {
	org := newTestOrg(t)
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             org.checkOperatorsInactive(chatwhizz.AddonLiveChat),
		Steps: []resource.TestStep{
			{Config: org.liveChat(operatorConfig("cy@example.com", "Cy", "Po", true))},
			{
				Config: org.liveChat(""),
				Check:  org.checkOperatorsInactive(chatwhizz.AddonLiveChat),
			},
			{
				Config: org.liveChat(operatorConfig("cy@example.com", "Cy", "Po", true)),
				Check: resource.ComposeTestCheckFunc(
					org.checkOperatorOnServer("cy@example.com", true),
					func(*terraform.State) error {
						if n := len(org.emu.Operators(org.Domain)); n != 1 {
							return fmt.Errorf("%d operators on the server, want the one adopted", n)
						}
						return nil
					},
				),
			},
		},
	})
}

func TestAccOperator_importedNamesAreRecordedNotReplaced(t *testing.T) {
	org := newTestOrg(t)
	op, err := org.client(t).CreateOperator(ctx(), chatwhizz.CreateOperatorInput{Email: "dee@example.com", FirstName: "Dee", LastName: "Ra"})
	if err != nil {
		t.Fatal(err)
	}
	const addr = "chatwhizz_operator.test"
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_5_0)},
		Steps: []resource.TestStep{{
			Config: org.liveChat(fmt.Sprintf(`
import {
  to = chatwhizz_operator.test
  id = %q
}
`, op.ID) + operatorConfig("dee@example.com", "Dee", "Ra", true)),
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
			}},
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(addr, tfjsonpath.New("id"), knownvalue.StringExact(op.ID)),
				statecheck.ExpectKnownValue(addr, tfjsonpath.New("first_name"), knownvalue.StringExact("Dee")),
			},
		}},
	})
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
  email = "ok@example.com"
}
`),
		ImportState:   true,
		ResourceName:  "chatwhizz_operator.test",
		ImportStateId: "not-an-id",
		ExpectError:   regexp.MustCompile(`(?s)Invalid import ID.*24 lower-case\s+hexadecimal`),
	})
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps:                    steps,
	})
}
