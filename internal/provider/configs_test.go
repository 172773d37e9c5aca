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

// assignmentConfig is a domain, chatwhizz_domain.shop, an operator,
// chatwhizz_operator.agent, and the assignment of one to the other,
// chatwhizz_operator_assignment.test, with extra attributes for the
// assignment.
func assignmentConfig(domain, email, extra string) string {
	return assignmentConfigOn(domain, email, "chatwhizz_domain.shop.name", extra)
}

// assignmentConfigOn is assignmentConfig with the assignment's domain_name
// set to the expression on.
func assignmentConfigOn(domain, email, on, extra string) string {
	return fmt.Sprintf(`
resource "chatwhizz_domain" "shop" {
  name  = %q
  email = "owner@example.com"
}

resource "chatwhizz_operator" "agent" {
  email = %q
}

resource "chatwhizz_operator_assignment" "test" {
  domain_name = %s
  operator_id = chatwhizz_operator.agent.id
%s
}
`, domain, email, on, extra)
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
