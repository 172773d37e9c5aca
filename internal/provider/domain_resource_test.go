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

// checkDomainOnServer asserts what the emulator holds for a domain.
func (o *testOrg) checkDomainOnServer(name, email string, active bool) resource.TestCheckFunc {
	return func(*terraform.State) error {
		d, ok := o.emu.Domain(name)
		switch {
		case !ok:
			return fmt.Errorf("domain %s is not on the server", name)
		case d.OrganisationDomain != o.Domain:
			return fmt.Errorf("domain %s belongs to %s", name, d.OrganisationDomain)
		case d.Email != email || d.Active != active:
			return fmt.Errorf("domain %s on the server: email %q active %t, want %q %t", name, d.Email, d.Active, email, active)
		}
		return nil
	}
}

func (o *testOrg) checkDomainsInactive(names ...string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		for _, name := range names {
			if d, ok := o.emu.Domain(name); ok && d.Active {
				return fmt.Errorf("domain %s is still active after destroy", name)
			}
		}
		return nil
	}
}

func TestAccDomain_lifecycle(t *testing.T) {
	org := newTestOrg(t)
	first, renamed := org.domain("first"), org.domain("renamed")
	const addr = "chatwhizz_domain.test"
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             org.checkDomainsInactive(first, renamed),
		// Import blocks came with Terraform 1.5.
		TerraformVersionChecks: []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_5_0)},
		Steps: []resource.TestStep{
			{
				Config: org.liveChat(domainConfig(first, "Owner@Example.com", true)),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("id"), knownvalue.StringExact(first)),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("email"), knownvalue.StringExact("Owner@Example.com")),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("active"), knownvalue.Bool(true)),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("addon_unique_name"), knownvalue.StringExact(chatwhizz.AddonLiveChat)),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("link"), knownvalue.Null()),
				},
				Check: org.checkDomainOnServer(first, "Owner@Example.com", true),
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
				// The same email in another case is no change at all.
				Config: org.liveChat(domainConfig(first, "owner@example.com", true)),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
				}},
				Check: org.checkDomainOnServer(first, "Owner@Example.com", true),
			},
			{
				Config: org.liveChat(domainConfig(first, "sales@example.com", false)),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
				}},
				Check: org.checkDomainOnServer(first, "sales@example.com", false),
			},
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
					func(*terraform.State) error {
						if _, ok := org.emu.Domain(first); ok {
							return fmt.Errorf("the old name %s still exists after the rename", first)
						}
						return nil
					},
				),
			},
			{
				// Drift made outside Terraform is planned and repaired.
				PreConfig: func() {
					if _, err := org.client(t).UpdateDomain(ctx(), renamed, chatwhizz.DomainUpdate{
						Active: new(false), Email: new("intruder@example.com"),
					}); err != nil {
						t.Fatal(err)
					}
				},
				Config: org.liveChat(domainConfig(renamed, "sales@example.com", true)),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
				}},
				Check: org.checkDomainOnServer(renamed, "sales@example.com", true),
			},
			{
				// A domain gone from the server is planned again.
				PreConfig: func() { org.emu.DeleteDomain(renamed) },
				Config:    org.liveChat(domainConfig(renamed, "sales@example.com", true)),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionCreate),
				}},
				Check: org.checkDomainOnServer(renamed, "sales@example.com", true),
			},
		},
	})
}

func TestAccDomain_destroyDeactivatesAndCreateAdopts(t *testing.T) {
	org := newTestOrg(t)
	name := org.domain("adopt")
	const addr = "chatwhizz_domain.test"
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             org.checkDomainsInactive(name),
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
				Config: org.liveChat(domainConfig(name, "new-owner@example.com", true)),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionCreate),
				}},
				Check: org.checkDomainOnServer(name, "new-owner@example.com", true),
			},
		},
	})
}

func TestAccDomain_ownedElsewhere(t *testing.T) {
	org, other := newTestOrg(t), newTestOrg(t)
	name := org.domain("taken")
	if _, err := other.client(t).CreateDomain(ctx(), name, "them@example.com"); err != nil {
		t.Fatal(err)
	}
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config:      org.liveChat(domainConfig(name, "us@example.com", true)),
			ExpectError: regexp.MustCompile(`(?s)Domain name taken.*belongs to another organisation or addon`),
		}},
	})
}

func TestAccDomain_sellerBuyerLink(t *testing.T) {
	org := newTestOrg(t)
	name := org.domain("market")
	const addr = "chatwhizz_domain.test"
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: org.sellerBuyer(domainConfig(name, "owner@example.com", true)),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("link"), knownvalue.StringRegexp(regexp.MustCompile(`<script .*`+regexp.QuoteMeta(name)))),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("addon_unique_name"), knownvalue.StringExact(chatwhizz.AddonSellerBuyer)),
				},
			},
			{
				// The link is kept from create across updates.
				Config: org.sellerBuyer(domainConfig(name, "owner@example.com", false)),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("link"), knownvalue.StringRegexp(regexp.MustCompile(`<script `))),
				},
			},
		},
	})
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
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps:                    steps,
	})
	if n := len(org.emu.Domains(org.Domain)); n != 0 {
		t.Fatalf("%d domains were created from invalid input", n)
	}
}
