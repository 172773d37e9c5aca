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

	"github.com/chatwhizz/terraform-provider-chatwhizz/internal/chatwhizz"
)

func domainConfig(name, email string, active bool) string {
	return fmt.Sprintf(`
resource "chatwhizz_domain" "test" {
  name   = %q
  email  = %q
  active = %t
}
`, name, email, active)
}

func TestAccDomain_lifecycle(t *testing.T) {
	org := newTestOrg(t)
	first, renamed := org.domain("first"), org.domain("renamed")
	const addr = "chatwhizz_domain.test"
	resource.ParallelTest(t, org.testCase(t, resource.TestCase{
		// Import blocks came with Terraform 1.5.
		TerraformVersionChecks: []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_5_0)},
		Steps: append([]resource.TestStep{
			{
				// Lower case: the contract does not say whether the server
				// keeps an email's case, and the import below reads it back.
				Config: org.liveChat(domainConfig(first, "owner@example.com", true)),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("id"), knownvalue.StringExact(first)),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("email"), knownvalue.StringExact("owner@example.com")),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("active"), knownvalue.Bool(true)),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("addon_unique_name"), knownvalue.StringExact(chatwhizz.AddonLiveChat)),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("link"), knownvalue.Null()),
				},
				Check: org.checkDomainOnServer(first, "owner@example.com", true),
			},
			{
				ResourceName:      addr,
				ImportState:       true,
				ImportStateVerify: true,
			},
			{
				ResourceName:    addr,
				ImportState:     true,
				ImportStateKind: resource.ImportBlockWithID,
			},
			{
				// The same email in another case is recorded as written; it
				// is the same email on the server.
				Config:           org.liveChat(domainConfig(first, "Owner@Example.com", true)),
				ConfigPlanChecks: plansAction(addr, plancheck.ResourceActionUpdate),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("email"), knownvalue.StringExact("Owner@Example.com")),
				},
				Check: org.checkDomainOnServer(first, "owner@example.com", true),
			},
			{
				Config:           org.liveChat(domainConfig(first, "sales@example.com", false)),
				ConfigPlanChecks: plansAction(addr, plancheck.ResourceActionUpdate),
				Check:            org.checkDomainOnServer(first, "sales@example.com", false),
			},
		}, domainRenameAndDriftSteps(t, org, addr, first, renamed)...),
	}))
}

// domainRenameAndDriftSteps rename the active domain at addr from first to
// renamed, in place, then repair drift made outside Terraform.
func domainRenameAndDriftSteps(t *testing.T, org *testOrg, addr, first, renamed string) []resource.TestStep {
	return []resource.TestStep{
		{
			// A rename is an update in place, not a replacement.
			Config: org.liveChat(domainConfig(renamed, "sales@example.com", true)),
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
				plancheck.ExpectKnownValue(addr, tfjsonpath.New("id"), knownvalue.StringExact(renamed)),
			}},
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(addr, tfjsonpath.New("id"), knownvalue.StringExact(renamed)),
			},
			Check: resource.ComposeTestCheckFunc(
				org.checkDomainOnServer(renamed, "sales@example.com", true),
				org.checkDomainsAbsent(first),
			),
		},
		{
			// Drift made outside Terraform is planned and repaired.
			PreConfig: func() {
				if _, err := org.client(t).UpdateDomain(t.Context(), renamed, chatwhizz.DomainUpdate{
					Active: new(false), Email: new("intruder@example.com"),
				}); err != nil {
					t.Fatal(err)
				}
			},
			Config:           org.liveChat(domainConfig(renamed, "sales@example.com", true)),
			ConfigPlanChecks: plansAction(addr, plancheck.ResourceActionUpdate),
			Check:            org.checkDomainOnServer(renamed, "sales@example.com", true),
		},
	}
}

// TestAccDomain_vanishedIsPlannedAgain: a domain deleted outside Terraform
// (which the API itself cannot do) is planned again, not an error.
func TestAccDomain_vanishedIsPlannedAgain(t *testing.T) {
	org := newTestOrg(t)
	emu := org.backDoor(t, "delete a domain, which the API cannot")
	name := org.domain("vanish")
	const addr = "chatwhizz_domain.test"
	resource.ParallelTest(t, org.testCase(t, resource.TestCase{
		Steps: []resource.TestStep{
			{Config: org.liveChat(domainConfig(name, "sales@example.com", true))},
			{
				PreConfig:        func() { emu.DeleteDomain(name) },
				Config:           org.liveChat(domainConfig(name, "sales@example.com", true)),
				ConfigPlanChecks: plansAction(addr, plancheck.ResourceActionCreate),
				Check:            org.checkDomainOnServer(name, "sales@example.com", true),
			},
		},
	}))
}

func TestAccDomain_destroyDeactivatesAndCreateAdopts(t *testing.T) {
	org := newTestOrg(t)
	name := org.domain("adopt")
	const addr = "chatwhizz_domain.test"
	resource.ParallelTest(t, org.testCase(t, resource.TestCase{
		Steps: []resource.TestStep{
			{
				Config: org.liveChat(domainConfig(name, "owner@example.com", true)),
				Check:  org.checkDomainOnServer(name, "owner@example.com", true),
			},
			{
				// Destroy leaves the domain on the server, inactive.
				Config: org.liveChat(""),
				Check:  org.checkDomainOnServer(name, "owner@example.com", false),
			},
			{
				// Creating it again adopts it and applies the configuration.
				Config:           org.liveChat(domainConfig(name, "new-owner@example.com", true)),
				ConfigPlanChecks: plansAction(addr, plancheck.ResourceActionCreate),
				Check:            org.checkDomainOnServer(name, "new-owner@example.com", true),
			},
		},
	}))
}

func TestAccDomain_ownedElsewhere(t *testing.T) {
	org := newTestOrg(t)
	org.backDoor(t, "make a second organisation")
	other := newTestOrg(t)
	name := org.domain("taken")
	other.createDomain(t, name, "them@example.com")
	resource.ParallelTest(t, org.testCase(t, resource.TestCase{
		Steps: []resource.TestStep{{
			Config:      org.liveChat(domainConfig(name, "us@example.com", true)),
			ExpectError: regexp.MustCompile(`(?s)Domain name taken.*belongs\s+to\s+another\s+organisation\s+or\s+addon`),
		}},
	}))
}

func TestAccDomain_sellerBuyerLink(t *testing.T) {
	org := newTestOrg(t)
	org.requireSellerBuyer(t)
	name := org.domain("market")
	const addr = "chatwhizz_domain.test"
	// Only create answers the link: it is kept from create across updates.
	sameLink := statecheck.CompareValue(compare.ValuesSame())
	resource.ParallelTest(t, org.testCase(t, resource.TestCase{
		Steps: []resource.TestStep{
			{
				Config: org.sellerBuyer(domainConfig(name, "owner@example.com", true)),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("link"), knownvalue.StringRegexp(regexp.MustCompile(`\S`))),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("addon_unique_name"), knownvalue.StringExact(chatwhizz.AddonSellerBuyer)),
					sameLink.AddStateValue(addr, tfjsonpath.New("link")),
				},
			},
			{
				Config: org.sellerBuyer(domainConfig(name, "owner@example.com", false)),
				ConfigStateChecks: []statecheck.StateCheck{
					sameLink.AddStateValue(addr, tfjsonpath.New("link")),
				},
			},
		},
	}))
}

func TestAccDomain_invalidInputIsRefusedAtPlan(t *testing.T) {
	org := newTestOrg(t)
	cases := map[string]string{
		"HTTPS://shop.example.com": `remove the scheme`,
		"Shop.example.com":         `must be lower case`,
		"shop.example.com:8080":    `remove the port`,
		"shop.example.com/path":    `remove the path`,
		"localhost":                `at least two labels`,
		"":                         `it is empty`,
	}
	var steps []resource.TestStep
	for name, want := range cases {
		steps = append(steps, resource.TestStep{
			Config:      org.liveChat(domainConfig(name, "owner@example.com", true)),
			PlanOnly:    true,
			ExpectError: regexp.MustCompile(`(?s)with chatwhizz_domain\.test.*name\s+=.*` + want),
		})
	}
	steps = append(steps, resource.TestStep{
		Config:      org.liveChat(domainConfig(org.domain("ok"), "not-an-email", true)),
		PlanOnly:    true,
		ExpectError: regexp.MustCompile(`(?s)Invalid email address.*email\s+=.*not an email address`),
	})
	resource.ParallelTest(t, org.testCase(t, resource.TestCase{Steps: steps}))
	if err := org.checkDomainsAbsent(org.domain("ok"))(nil); err != nil {
		t.Fatalf("a refused plan created a domain: %v", err)
	}
}
