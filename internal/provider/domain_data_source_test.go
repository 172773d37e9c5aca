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
	org.requireSellerBuyer(t)
	name := org.domain("read")
	org.createDomain(t, name, "owner@example.com")
	const addr = "data.chatwhizz_domain.test"
	resource.ParallelTest(t, org.testCase(t, resource.TestCase{
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
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("email"), knownvalue.StringExact("owner@example.com")),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("active"), knownvalue.Bool(true)),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("addon_unique_name"), knownvalue.StringExact(chatwhizz.AddonLiveChat)),
				},
			},
		},
	}))
}
