package provider

import (
	"context"
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
	"github.com/chatwhizz/terraform-provider-chatwhizz/internal/emulator"
)

// checkAssignment checks an assignment of chatwhizz_operator.agent on the
// server. The API cannot read an assignment back: through it, only that both
// ends exist and are active; on the emulator, also the settings.
func (o *testOrg) checkAssignment(domain string, want emulator.AssignmentRecord) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		id, err := operatorID(s, "chatwhizz_operator.agent")
		if err != nil {
			return err
		}
		if o.emu == nil {
			c, err := o.clients.get(o.addonOf(s))
			if err != nil {
				return err
			}
			if d, err := c.GetDomain(context.Background(), domain); err != nil || !d.Active {
				return fmt.Errorf("domain %s should be on the server and active: %+v, %v", domain, d, err)
			}
			if op, err := c.GetOperator(context.Background(), id); err != nil || !op.Active {
				return fmt.Errorf("operator %s should be on the server and active: %+v, %v", id, op, err)
			}
			return nil
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

// addonOf is the addon of the state's domain.
func (o *testOrg) addonOf(s *terraform.State) string {
	if rs, ok := s.RootModule().Resources["chatwhizz_domain.shop"]; ok && rs.Primary != nil {
		return rs.Primary.Attributes["addon_unique_name"]
	}
	return chatwhizz.AddonLiveChat
}

// checkAssignmentsReleased checks on the emulator, after destroy, that every
// assignment on the organisation's domains is offline and not admin (and
// gets no messages). The API cannot read an assignment: through it, the
// test case checks the domains and operators deactivated.
func (o *testOrg) checkAssignmentsReleased(*terraform.State) error {
	if o.emu == nil {
		return nil
	}
	for _, d := range o.emu.Domains(o.Domain) {
		for _, a := range d.Assignments {
			if a.OnlineStatus || a.IsAdmin || (d.Addon == emulator.AddonSellerBuyer && a.Status) {
				return fmt.Errorf("assignment of %s to %s not released: %+v", a.OperatorID, d.Name, a)
			}
		}
	}
	return nil
}

func TestAccOperatorAssignment_lifecycle(t *testing.T) {
	org := newTestOrg(t)
	domain, email := org.domain("shop"), org.email("agent")
	const addr = "chatwhizz_operator_assignment.test"
	settable := []string{"is_admin", "online_status", "unique_id", "receive_messages"}
	resource.ParallelTest(t, org.testCase(t, resource.TestCase{
		CheckDestroy:           org.checkAssignmentsReleased,
		TerraformVersionChecks: []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_5_0)},
		Steps: []resource.TestStep{
			{
				Config: org.liveChat(assignmentConfig(domain, email, "")),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("id"), knownvalue.StringRegexp(regexp.MustCompile(`^`+regexp.QuoteMeta(domain)+`/[0-9a-f]{24}$`))),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("is_admin"), knownvalue.Bool(false)),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("online_status"), knownvalue.Bool(true)),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("unique_id"), knownvalue.Null()),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("receive_messages"), knownvalue.Null()),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("name"), knownvalue.StringExact(strings.TrimSuffix(email, "@example.com"))),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("email"), knownvalue.StringExact(email)),
				},
				Check: org.checkAssignment(domain, emulator.AssignmentRecord{OnlineStatus: true, Status: true}),
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
				ResourceName:     addr,
				ImportState:      true,
				ImportStateKind:  resource.ImportBlockWithID,
				ImportPlanChecks: importPlansAction(addr, plancheck.ResourceActionNoop),
			},
			{
				Config:           org.liveChat(assignmentConfig(domain, email, "is_admin = true\nonline_status = false")),
				ConfigPlanChecks: plansAction(addr, plancheck.ResourceActionUpdate),
				Check:            org.checkAssignment(domain, emulator.AssignmentRecord{IsAdmin: true, Status: true}),
			},
			{
				// Renaming the domain follows it in place; online_status, left
				// out, goes back to a new assignment's value.
				Config: org.liveChat(assignmentConfig(org.domain("store"), email, "is_admin = true")),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("chatwhizz_domain.shop", plancheck.ResourceActionUpdate),
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("id"), knownvalue.StringRegexp(regexp.MustCompile(`^`+regexp.QuoteMeta(org.domain("store"))+`/`))),
				},
				Check: org.checkAssignment(org.domain("store"), emulator.AssignmentRecord{IsAdmin: true, OnlineStatus: true, Status: true}),
			},
		},
	}))
}

// TestAccOperatorAssignment_vanishedEndsArePlannedAgain: when its operator or
// its domain is deleted outside Terraform (which the API itself cannot do),
// the assignment is planned again with it.
func TestAccOperatorAssignment_vanishedEndsArePlannedAgain(t *testing.T) {
	org := newTestOrg(t)
	emu := org.backDoor(t, "delete an operator and a domain, which the API cannot")
	domain, email := org.domain("vanish"), org.email("agent")
	const addr = "chatwhizz_operator_assignment.test"
	config := org.liveChat(assignmentConfig(domain, email, "is_admin = true\nonline_status = false"))
	settled := org.checkAssignment(domain, emulator.AssignmentRecord{IsAdmin: true, Status: true})
	resource.ParallelTest(t, org.testCase(t, resource.TestCase{
		CheckDestroy: org.checkAssignmentsReleased,
		Steps: []resource.TestStep{
			{Config: config, Check: settled},
			{
				PreConfig: func() {
					for _, op := range emu.Operators(org.Domain) {
						emu.DeleteOperator(org.Domain, op.ID)
					}
				},
				Config:           config,
				ConfigPlanChecks: plansAction(addr, plancheck.ResourceActionCreate),
				Check:            settled,
			},
			{
				PreConfig: func() { emu.DeleteDomain(domain) },
				Config:    config,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("chatwhizz_domain.shop", plancheck.ResourceActionCreate),
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionCreate),
				}},
				Check: settled,
			},
		},
	}))
}

func TestAccOperatorAssignment_sellerBuyer(t *testing.T) {
	org := newTestOrg(t)
	org.requireSellerBuyer(t)
	domain, email := org.domain("market"), org.email("seller")
	const addr = "chatwhizz_operator_assignment.test"
	resource.ParallelTest(t, org.testCase(t, resource.TestCase{
		CheckDestroy: org.checkAssignmentsReleased,
		Steps: []resource.TestStep{
			{
				Config: org.sellerBuyer(assignmentConfig(domain, email, `unique_id = "product-7"`)),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("unique_id"), knownvalue.StringExact("product-7")),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("receive_messages"), knownvalue.Bool(true)),
				},
				Check: org.checkAssignment(domain, emulator.AssignmentRecord{UniqueID: "product-7", OnlineStatus: true, Status: true}),
			},
			{
				Config:           org.sellerBuyer(assignmentConfig(domain, email, "unique_id = \"product-8\"\nreceive_messages = false\nis_admin = true")),
				ConfigPlanChecks: plansAction(addr, plancheck.ResourceActionUpdate),
				Check:            org.checkAssignment(domain, emulator.AssignmentRecord{UniqueID: "product-8", IsAdmin: true, OnlineStatus: true}),
			},
		},
	}))
}

func TestAccOperatorAssignment_invalidInputIsRefusedAtPlan(t *testing.T) {
	org := newTestOrg(t)
	domain, email := org.domain("shop"), org.email("agent")
	assignment := func(domain, operatorID string) string {
		return org.liveChat(assignmentBlock("test", fmt.Sprintf("%q", domain), fmt.Sprintf("%q", operatorID), ""))
	}
	resource.ParallelTest(t, org.testCase(t, resource.TestCase{
		Steps: []resource.TestStep{
			{
				Config:      org.liveChat(assignmentConfig(domain, email, `unique_id = "p1"`)),
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`(?s)Attribute not supported by this addon.*unique_id`),
			},
			{
				Config:      org.liveChat(assignmentConfig(domain, email, `receive_messages = false`)),
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`(?s)Attribute not supported by this addon.*receive_messages`),
			},
			{
				Config:      assignment("https://shop.example.com", "0123456789abcdef01234567"),
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`(?s)Invalid domain name.*domain_name.*remove the scheme`),
			},
			{
				Config:      assignment(domain, "Not-An-Id"),
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`(?s)Invalid operator id.*operator_id`),
			},
			{
				Config:        assignment(domain, "0123456789abcdef01234567"),
				ImportState:   true,
				ResourceName:  "chatwhizz_operator_assignment.test",
				ImportStateId: domain,
				ExpectError:   regexp.MustCompile(`(?s)Invalid import ID.*<domain_name>/<operator_id>`),
			},
		},
	}))
	if err := org.checkDomainsAbsent(domain)(nil); err != nil {
		t.Fatalf("a refused plan created a domain: %v", err)
	}
}
