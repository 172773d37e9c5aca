package provider

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/chatwhizz/terraform-provider-chatwhizz/internal/chatwhizz"
)

func TestAccDomainDataSource(t *testing.T) {
	org := newTestOrg(t)
	name := org.domain("read")
	c := org.client(t)
	if _, err := c.CreateDomain(ctx(), name, "Owner@Example.com"); err != nil {
		t.Fatal(err)
	}
	const addr = "data.chatwhizz_domain.test"
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				// Under the other addon the domain does not exist.
				Config:      org.sellerBuyer(fmt.Sprintf(`data "chatwhizz_domain" "test" { name = %q }`, name)),
				ExpectError: regexp.MustCompile(`(?s)Domain not found.*` + regexp.QuoteMeta(name)),
			},
			{
				Config:      org.liveChat(`data "chatwhizz_domain" "test" { name = "Shop.Example.com" }`),
				ExpectError: regexp.MustCompile(`(?s)Invalid domain name.*lower case`),
			},
			{
				Config: org.liveChat(fmt.Sprintf(`data "chatwhizz_domain" "test" { name = %q }`, name)),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("id"), knownvalue.StringExact(name)),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("email"), knownvalue.StringExact("Owner@Example.com")),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("active"), knownvalue.Bool(true)),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("addon_unique_name"), knownvalue.StringExact(chatwhizz.AddonLiveChat)),
				},
			},
		},
	})
}

func TestAccOperatorDataSource(t *testing.T) {
	org := newTestOrg(t)
	c := org.client(t)
	op, err := c.CreateOperator(ctx(), chatwhizz.CreateOperatorInput{Email: "eve@example.com", FirstName: "Eve", LastName: "Ng"})
	if err != nil {
		t.Fatal(err)
	}
	org.emu.SetOperatorPresence(org.Domain, op.ID, chatwhizz.PresenceBusy)
	const addr = "data.chatwhizz_operator.test"
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:      org.liveChat(`data "chatwhizz_operator" "test" { id = "0123456789abcdef01234567" }`),
				ExpectError: regexp.MustCompile(`(?s)Operator not found.*0123456789abcdef01234567`),
			},
			{
				Config:      org.liveChat(`data "chatwhizz_operator" "test" { id = "eve@example.com" }`),
				ExpectError: regexp.MustCompile(`(?s)Invalid operator id`),
			},
			{
				Config: org.liveChat(fmt.Sprintf(`data "chatwhizz_operator" "test" { id = %q }`, op.ID)),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("name"), knownvalue.StringExact("Eve Ng")),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("email"), knownvalue.StringExact("eve@example.com")),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("active"), knownvalue.Bool(true)),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("presence"), knownvalue.StringExact("busy")),
				},
			},
			{
				// Active is per addon: the operator was made for live_chat only.
				Config: org.sellerBuyer(fmt.Sprintf(`data "chatwhizz_operator" "test" { id = %q }`, op.ID)),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("active"), knownvalue.Bool(false)),
				},
			},
		},
	})
}
