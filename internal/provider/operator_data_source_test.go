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

func TestAccOperatorDataSource(t *testing.T) {
	org := newTestOrg(t)
	org.requireSellerBuyer(t)
	email := org.email("eve")
	op := org.createOperator(t, chatwhizz.CreateOperatorInput{Email: email, FirstName: "Eve", LastName: "Ng"})
	// Only the emulator can set a presence; a live operator has any.
	var presence knownvalue.Check = knownvalue.StringRegexp(regexp.MustCompile(`^(offline|online|away|busy)$`))
	if org.emu != nil {
		org.emu.SetOperatorPresence(org.Domain, op.ID, chatwhizz.PresenceBusy)
		presence = knownvalue.StringExact("busy")
	}
	const addr = "data.chatwhizz_operator.test"
	resource.ParallelTest(t, org.testCase(t, resource.TestCase{
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
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("email"), knownvalue.StringExact(email)),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("active"), knownvalue.Bool(true)),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("presence"), presence),
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
	}))
}
