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
	return domainBlock("shop", domain, "") + operatorBlock("agent", email, "") +
		assignmentBlock("test", on, "chatwhizz_operator.agent.id", extra)
}

// domainBlock is the resource chatwhizz_domain.<label> of the domain name,
// registered to owner@example.com, with the extra lines of HCL in its block.
func domainBlock(label, name, extra string) string {
	return fmt.Sprintf("\nresource \"chatwhizz_domain\" %q {\n  name  = %q\n  email = \"owner@example.com\"\n%s}\n", label, name, lines(extra))
}

// operatorBlock is the resource chatwhizz_operator.<label> with email and the
// extra lines of HCL in its block.
func operatorBlock(label, email, extra string) string {
	return fmt.Sprintf("\nresource \"chatwhizz_operator\" %q {\n  email = %q\n%s}\n", label, email, lines(extra))
}

// assignmentBlock is the resource chatwhizz_operator_assignment.<label> of
// the operator operatorID to the domain domainName (both HCL expressions),
// with the extra lines of HCL in its block.
func assignmentBlock(label, domainName, operatorID, extra string) string {
	return fmt.Sprintf("\nresource \"chatwhizz_operator_assignment\" %q {\n  domain_name = %s\n  operator_id = %s\n%s}\n",
		label, domainName, operatorID, lines(extra))
}

// lines ends HCL that is not empty with a line break.
func lines(hcl string) string {
	if hcl == "" || strings.HasSuffix(hcl, "\n") {
		return hcl
	}
	return hcl + "\n"
}

// fleetConfig is d domains, o operators, and every operator assigned to
// every domain.
func fleetConfig(org *testOrg, domains, operators int) string {
	var b strings.Builder
	b.WriteString(org.liveChat(""))
	for i := range domains {
		b.WriteString(domainBlock(fmt.Sprintf("d%d", i), org.domain(fmt.Sprintf("fleet%d", i)), ""))
	}
	for i := range operators {
		b.WriteString(operatorBlock(fmt.Sprintf("o%d", i), org.email(fmt.Sprintf("agent%d", i)), ""))
	}
	for i := range domains {
		for j := range operators {
			b.WriteString(assignmentBlock(fmt.Sprintf("a%d_%d", i, j), fmt.Sprintf("chatwhizz_domain.d%d.name", i), fmt.Sprintf("chatwhizz_operator.o%d.id", j),
				fmt.Sprintf("is_admin = %t", j == 0)))
		}
	}
	return b.String()
}

// fleetSize is the number of resources fleetConfig declares.
func fleetSize(domains, operators int) int { return domains + operators + domains*operators }
