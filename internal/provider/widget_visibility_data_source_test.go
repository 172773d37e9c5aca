package provider

import (
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"testing"

	"github.com/chatwhizz/terraform-provider-chatwhizz/internal/chatwhizz"
	"github.com/chatwhizz/terraform-provider-chatwhizz/internal/emulator"
)

// widgetConfig is a seller-buyer domain with one operator assigned, what the
// server says of its widget as outputs, and a check block that warns when the
// widget is hidden.
func widgetConfig(org *testOrg, domain, email string) string {
	return org.sellerBuyer(assignmentConfig(domain, email, "") + `

data "chatwhizz_widget_visibility" "shop" {
  domain_name = chatwhizz_operator_assignment.test.domain_name
}

output "visible" {
  value = data.chatwhizz_widget_visibility.shop.visible
}

output "reason" {
  value = data.chatwhizz_widget_visibility.shop.reason
}

check "widget_live" {
  data "chatwhizz_widget_visibility" "scoped" {
    domain_name = chatwhizz_operator_assignment.test.domain_name
  }

  assert {
    condition     = data.chatwhizz_widget_visibility.scoped.visible
    error_message = "The chat widget is hidden on ${data.chatwhizz_widget_visibility.scoped.domain_name}: ${data.chatwhizz_widget_visibility.scoped.reason}"
  }
}
`)
}

// widgetOutputs reads the visible and reason outputs of the workspace.
func (w *cliWorkspace) widgetOutputs(t *testing.T) (visible bool, reason string) {
	t.Helper()
	var out struct {
		Visible struct{ Value bool }   `json:"visible"`
		Reason  struct{ Value string } `json:"reason"`
	}
	raw := w.mustRun(t, "output", "-json")
	if err := json.Unmarshal([]byte(raw), &out); err != nil {
		t.Fatalf("output -json: %v\n%s", err, raw)
	}
	return out.Visible.Value, out.Reason.Value
}

// checkWarning is the check block's warning for a hidden widget.
func checkWarning(domain, reason string) *regexp.Regexp {
	return regexp.MustCompile(`Warning: Check block assertion failed .*The chat widget is hidden on ` + regexp.QuoteMeta(domain+": "+reason))
}

// widgetReads are the routes a widget check may cost: the read itself, a
// refresh's reads of the resources, and the tokens.
var widgetReads = []string{
	chatwhizz.EndpointWidgetVisibility.String(), chatwhizz.EndpointGetDomain.String(), chatwhizz.EndpointGetOperator.String(),
	chatwhizz.EndpointLogin.String(), chatwhizz.EndpointValidate.String(),
}

// TestCLIWidgetVisibility: the data source reports what the server says of
// the widget, after an apply and after a change made outside Terraform; a
// check block warns with the server's reason and the plan succeeds; an
// unknown domain is an error naming it; none of it writes. On the emulator
// the rule and its words are the emulator's; on any other server only the
// contract is asserted (a boolean, a reason when hidden, an error for an
// unknown domain).
func TestCLIWidgetVisibility(t *testing.T) {
	org := newIsolatedTestOrg(t)
	org.requireSellerBuyer(t)
	domain := org.domain("widget")
	w := newCLIWorkspace(t, org, widgetConfig(org, domain, org.email("widget")))

	out := w.mustRun(t, "apply", "-auto-approve")
	visible, reason := w.widgetOutputs(t)
	switch {
	case org.emu != nil && (!visible || reason != ""):
		t.Fatalf("after an apply that assigns an operator who receives messages: visible=%t reason=%q, want visible", visible, reason)
	case !visible && reason == "":
		t.Fatalf("hidden without a reason after apply")
	case visible && checkWarning(domain, "").MatchString(flat(out)):
		t.Fatalf("the check warned of a visible widget:\n%s", out)
	}

	// The assignment stops receiving messages, outside Terraform.
	opID := fmt.Sprint(w.stateValue(t, "chatwhizz_operator", "id"))
	if _, err := org.clientFor(t, chatwhizz.AddonSellerBuyer).UpdateAssignment(t.Context(), opID, chatwhizz.AssignmentUpdate{DomainName: domain, Status: new(false)}); err != nil {
		t.Fatal(err)
	}
	var before emulator.Stats
	if org.emu != nil {
		before = org.emu.Stats()
	}

	out = w.mustRun(t, "apply", "-refresh-only", "-auto-approve")
	visible, reason = w.widgetOutputs(t)
	switch {
	case org.emu != nil && (visible || reason != "No assigned operator receives messages"):
		t.Fatalf("after the assignment stopped receiving messages: visible=%t reason=%q, want the emulator's reason", visible, reason)
	case !visible && reason == "":
		t.Fatalf("hidden without a reason after refresh")
	case !visible && !checkWarning(domain, reason).MatchString(flat(out)):
		t.Errorf("apply -refresh-only: want the check's warning with the server's reason %q:\n%s", reason, out)
	}

	checkPlanWarnsOfHiddenWidget(t, org, w, domain, visible, reason)
	checkWidgetOfUnknownDomain(t, org)

	if org.emu != nil {
		calls := callsSince(before, org.emu.Stats())
		for route, n := range calls {
			if !slices.Contains(widgetReads, route) {
				t.Errorf("%d calls of %s: the data source must write nothing", n, route)
			}
		}
		if calls[chatwhizz.EndpointWidgetVisibility.String()] == 0 {
			t.Errorf("no widget check counted: %v", calls)
		}
		t.Logf("calls from the refresh to the end: %v", calls)
	}
}

// checkPlanWarnsOfHiddenWidget: a plan warns with the reason when the widget
// is hidden, and succeeds; on the emulator, it reads each of the two data
// sources once.
func checkPlanWarnsOfHiddenWidget(t *testing.T, org *testOrg, w *cliWorkspace, domain string, visible bool, reason string) {
	t.Helper()
	var planBefore emulator.Stats
	if org.emu != nil {
		planBefore = org.emu.Stats()
	}
	// (A failing check plans its data source's read again at apply, so
	// Terraform's -detailed-exitcode says 2 where nothing changes.)
	out, code := w.run(t, nil, "plan")
	if changes := regexp.MustCompile(`Plan: 0 to add, 0 to change, 0 to destroy|No changes`); code != 0 || !changes.MatchString(out) {
		t.Fatalf("plan: exit %d, want 0 and no change to a resource:\n%s", code, out)
	}
	if !visible && !checkWarning(domain, reason).MatchString(flat(out)) {
		t.Errorf("plan: want the check's warning with the server's reason %q:\n%s", reason, out)
	}
	if org.emu != nil {
		// One call for each of the two data sources, the check's included.
		if n := callsSince(planBefore, org.emu.Stats())[chatwhizz.EndpointWidgetVisibility.String()]; n != 2 {
			t.Errorf("plan: %d widget checks, want 2 (one per data source)", n)
		}
	}
}

// checkWidgetOfUnknownDomain: an unknown domain is an error that names it; a
// name that is not a host name is refused at plan time.
func checkWidgetOfUnknownDomain(t *testing.T, org *testOrg) {
	t.Helper()
	missing := org.domain("no-such-shop")
	u := newCLIWorkspace(t, org, org.sellerBuyer(fmt.Sprintf("data \"chatwhizz_widget_visibility\" \"missing\" {\n  domain_name = %q\n}\n", missing)))
	out, code := u.run(t, nil, "plan")
	if want := regexp.MustCompile(`Error: Domain not found .*` + regexp.QuoteMeta(missing)); code != 1 || !want.MatchString(flat(out)) {
		t.Errorf("plan of an unknown domain: exit %d, want 1 and an error naming %s:\n%s", code, missing, out)
	}
	u.write(t, org.sellerBuyer("data \"chatwhizz_widget_visibility\" \"bad\" {\n  domain_name = \"Shop.Example.com\"\n}\n"))
	out, code = u.run(t, nil, "plan")
	if want := regexp.MustCompile(`Invalid domain name .*lower case`); code != 1 || !want.MatchString(flat(out)) {
		t.Errorf("plan of a name that is not a host name: exit %d, want 1 and Invalid domain name:\n%s", code, out)
	}
}
