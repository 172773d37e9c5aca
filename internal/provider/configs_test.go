package provider

// Configurations shared by several tests.

import (
	"fmt"
	"strings"
)

// readDomain is a configuration whose plan needs the provider configured.
func readDomain(name string) string {
	return fmt.Sprintf(`
data "chatwhizz_domain" "test" {
  name = %q
}
`, name)
}

// fleetConfig is d domains, o operators, and every operator assigned to
// every domain.
func fleetConfig(org *testOrg, domains, operators int) string {
	var b strings.Builder
	b.WriteString(org.liveChat(""))
	for i := range domains {
		fmt.Fprintf(&b, "resource \"chatwhizz_domain\" \"d%d\" {\n  name  = %q\n  email = \"owner@example.com\"\n}\n", i, org.domain(fmt.Sprintf("fleet%d", i)))
	}
	for i := range operators {
		fmt.Fprintf(&b, "resource \"chatwhizz_operator\" \"o%d\" {\n  email = %q\n}\n", i, org.email(fmt.Sprintf("agent%d", i)))
	}
	for i := range domains {
		for j := range operators {
			fmt.Fprintf(&b, "resource \"chatwhizz_operator_assignment\" \"a%d_%d\" {\n  domain_name = chatwhizz_domain.d%d.name\n  operator_id = chatwhizz_operator.o%d.id\n  is_admin    = %t\n}\n", i, j, i, j, j == 0)
		}
	}
	return b.String()
}

// fleetSize is the number of resources fleetConfig declares.
func fleetSize(domains, operators int) int { return domains + operators + domains*operators }
