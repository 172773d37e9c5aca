package provider

import (
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
)

// plansAction checks, before a step's apply, that its plan takes action on
// the resource at addr.
func plansAction(addr string, action plancheck.ResourceActionType) resource.ConfigPlanChecks {
	return resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, action)}}
}

// importPlansAction checks, before an import step's apply, that its plan
// takes action on the resource at addr.
func importPlansAction(addr string, action plancheck.ResourceActionType) resource.ImportPlanChecks {
	return resource.ImportPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, action)}}
}
