package provider

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/chatwhizz/terraform-provider-chatwhizz/internal/emulator"
)

// assignmentConfig is a domain, an operator and the assignment of one to the
// other, with extra attributes for the assignment.
func assignmentConfig(domain, email, extra string) string {
	return fmt.Sprintf(`
resource "chatwhizz_domain" "shop" {
  name  = %q
  email = "owner@example.com"
}

resource "chatwhizz_operator" "agent" {
  email = %q
}

resource "chatwhizz_operator_assignment" "test" {
  domain_name = chatwhizz_domain.shop.name
  operator_id = chatwhizz_operator.agent.id
%s
}
`, domain, email, extra)
}

func (o *testOrg) checkAssignmentOnServer(domain string, want emulator.AssignmentRecord) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		id, err := operatorID(s, "chatwhizz_operator.agent")
		if err != nil {
			return err
		}
		d, ok := o.emu.Domain(domain)
		if !ok {
			return fmt.Errorf("domain %s is not on the server", domain)
		}
		got, ok := d.Assignments[id]
		want.OperatorID = id
		if !ok || got != want {
			return fmt.Errorf("assignment on the server: %+v (present %t), want %+v", got, ok, want)
		}
		return nil
	}
}

// checkAssignmentsReleased is a CheckDestroy: every assignment on the
// organisation's domains is offline and not admin (and gets no messages).
func (o *testOrg) checkAssignmentsReleased(*terraform.State) error {
	for _, d := range o.emu.Domains(o.Domain) {
		for _, a := range d.Assignments {
			if a.OnlineStatus || a.IsAdmin || (d.Addon == emulator.AddonSellerBuyer && a.Status) {
				return fmt.Errorf("assignment of %s to %s not released: %+v", a.OperatorID, d.Name, a)
			}
		}
		if d.Active {
			return fmt.Errorf("domain %s still active", d.Name)
		}
	}
	return nil
}

func TestAccOperatorAssignment_lifecycle(t *testing.T) {
	org := newTestOrg(t)
	domain := org.domain("shop")
	const addr = "chatwhizz_operator_assignment.test"
	settable := []string{"is_admin", "online_status", "unique_id", "receive_messages"}
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             org.checkAssignmentsReleased,
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_5_0)},
		Steps: []resource.TestStep{
			{
				Config: org.liveChat(assignmentConfig(domain, "Agent@Example.com", "")),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("id"), knownvalue.StringRegexp(regexp.MustCompile(`^`+regexp.QuoteMeta(domain)+`/[0-9a-f]{24}$`))),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("is_admin"), knownvalue.Bool(false)),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("online_status"), knownvalue.Bool(true)),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("unique_id"), knownvalue.Null()),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("receive_messages"), knownvalue.Null()),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("name"), knownvalue.StringExact("Agent")),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("email"), knownvalue.StringExact("Agent@Example.com")),
				},
				Check: org.checkAssignmentOnServer(domain, emulator.AssignmentRecord{OnlineStatus: true, Status: true}),
			},
			{
				ResourceName:            addr,
				ImportState:             true,
				ImportStateVerify:       true,
				ImportStateVerifyIgnore: settable,
			},
			{
				// The API cannot read the settings back: after an import
				// block, the settings the configuration leaves out are not
				// managed, so importing plans no change.
				ResourceName:    addr,
				ImportState:     true,
				ImportStateKind: resource.ImportBlockWithID,
				ImportPlanChecks: resource.ImportPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionNoop),
				}},
			},
			{
				Config: org.liveChat(assignmentConfig(domain, "Agent@Example.com", "is_admin = true\nonline_status = false")),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
				}},
				Check: org.checkAssignmentOnServer(domain, emulator.AssignmentRecord{IsAdmin: true, Status: true}),
			},
			{
				// The operator gone: the assignment is planned again with it.
				PreConfig: func() {
					for _, op := range org.emu.Operators(org.Domain) {
						org.emu.DeleteOperator(org.Domain, op.ID)
					}
				},
				Config: org.liveChat(assignmentConfig(domain, "Agent@Example.com", "is_admin = true\nonline_status = false")),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionCreate),
				}},
				Check: org.checkAssignmentOnServer(domain, emulator.AssignmentRecord{IsAdmin: true, Status: true}),
			},
			{
				// The domain gone: the same.
				PreConfig: func() { org.emu.DeleteDomain(domain) },
				Config:    org.liveChat(assignmentConfig(domain, "Agent@Example.com", "is_admin = true\nonline_status = false")),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("chatwhizz_domain.shop", plancheck.ResourceActionCreate),
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionCreate),
				}},
				Check: org.checkAssignmentOnServer(domain, emulator.AssignmentRecord{IsAdmin: true, Status: true}),
			},
			{
				// Renaming the domain follows it in place; online_status, left
				// out, goes back to a new assignment's value.
				Config: org.liveChat(assignmentConfig(org.domain("store"), "Agent@Example.com", "is_admin = true")),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("chatwhizz_domain.shop", plancheck.ResourceActionUpdate),
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("id"), knownvalue.StringRegexp(regexp.MustCompile(`^`+regexp.QuoteMeta(org.domain("store"))+`/`))),
				},
				Check: org.checkAssignmentOnServer(org.domain("store"), emulator.AssignmentRecord{IsAdmin: true, OnlineStatus: true, Status: true}),
			},
		},
	})
}

func TestAccOperatorAssignment_sellerBuyer(t *testing.T) {
	org := newTestOrg(t)
	domain := org.domain("market")
	const addr = "chatwhizz_operator_assignment.test"
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             org.checkAssignmentsReleased,
		Steps: []resource.TestStep{
			{
				Config: org.sellerBuyer(assignmentConfig(domain, "seller@example.com", `unique_id = "product-7"`)),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("unique_id"), knownvalue.StringExact("product-7")),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("receive_messages"), knownvalue.Bool(true)),
				},
				Check: org.checkAssignmentOnServer(domain, emulator.AssignmentRecord{UniqueID: "product-7", OnlineStatus: true, Status: true}),
			},
			{
				Config: org.sellerBuyer(assignmentConfig(domain, "seller@example.com", "unique_id = \"product-8\"\nreceive_messages = false\nis_admin = true")),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
				}},
				Check: org.checkAssignmentOnServer(domain, emulator.AssignmentRecord{UniqueID: "product-8", IsAdmin: true, OnlineStatus: true}),
			},
		},
	})
}

func TestAccOperatorAssignment_invalidInputIsRefusedAtPlan(t *testing.T) {
	org := newTestOrg(t)
	domain := org.domain("shop")
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:      org.liveChat(assignmentConfig(domain, "a@example.com", `unique_id = "p1"`)),
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`(?s)Attribute not supported by this addon.*unique_id`),
			},
			{
				Config:      org.liveChat(assignmentConfig(domain, "a@example.com", `receive_messages = false`)),
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`(?s)Attribute not supported by this addon.*receive_messages`),
			},
			{
				Config: org.liveChat(`
resource "chatwhizz_operator_assignment" "test" {
  domain_name = "https://shop.example.com"
  operator_id = "Not-An-Id"
}
`),
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`(?s)Invalid domain name.*domain_name.*|Invalid operator id.*operator_id`),
			},
			{
				Config: org.liveChat(`
resource "chatwhizz_operator_assignment" "test" {
  domain_name = "shop.example.com"
  operator_id = "0123456789abcdef01234567"
}
`),
				ImportState:   true,
				ResourceName:  "chatwhizz_operator_assignment.test",
				ImportStateId: "shop.example.com",
				ExpectError:   regexp.MustCompile(`(?s)Invalid import ID.*<domain_name>/<operator_id>`),
			},
		},
	})
	if n := len(org.emu.Domains(org.Domain)); n != 0 {
		t.Fatalf("%d domains were created from refused plans", n)
	}
}
