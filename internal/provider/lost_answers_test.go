package provider

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/chatwhizz/terraform-provider-chatwhizz/internal/chatwhizz"
)

// These tests hold the provider to "nothing is lost" when an answer is: the
// server applied a write, and a gateway lost or shortened its answer. They
// put a faultProxy between the CLI and the server, so they run live too.

// lostAnswerConfig is a domain with one assignment, through the proxy.
func lostAnswerConfig(org *testOrg, proxy *faultProxy, domain, extra string) string {
	block := strings.Replace(org.providerBlock(chatwhizz.AddonLiveChat), org.baseURL, proxy.url, 1)
	block = strings.Replace(block, "}\n", extra+"}\n", 1)
	return block + assignmentConfig(domain, org.email("ann"), "is_admin = true")
}

// assertDomainMovedTo checks on the server that the domain lives under name
// only, active, and (on the emulator) that it still has its admin assignment.
func assertDomainMovedTo(t *testing.T, org *testOrg, w *cliWorkspace, name string, formerNames ...string) {
	t.Helper()
	c := org.client(t)
	if d, err := c.GetDomain(t.Context(), name); err != nil || !d.Active {
		t.Fatalf("domain %s: %+v, %v", name, d, err)
	}
	for _, former := range formerNames {
		if _, err := c.GetDomain(t.Context(), former); err == nil {
			t.Errorf("domain %s still exists: a second domain was made", former)
		}
	}
	if org.emu != nil {
		d, _ := org.emu.Domain(name)
		if len(d.Assignments) != 1 {
			t.Fatalf("domain %s has assignments %+v, want one", name, d.Assignments)
		}
		for _, a := range d.Assignments {
			if !a.IsAdmin || !a.OnlineStatus {
				t.Errorf("the assignment lost its settings: %+v", a)
			}
		}
	}
	if got := w.stateList(t); strings.Count(got, "chatwhizz_") != 3 {
		t.Errorf("the state does not hold the three resources:\n%s", got)
	}
}

// TestCLIWritesWhoseAnswerWasLost: a create, and renames, that the server
// applied while the gateway answered 502, end as if answered: one domain,
// under the name asked for, no "adopted" warning for its own create, and an
// empty plan after. Short answers (no status, no email) read as what was
// sent or known, not as an inactive domain.
func TestCLIWritesWhoseAnswerWasLost(t *testing.T) {
	org := newTestOrg(t)
	proxy := newFaultProxy(t, org.baseURL)
	names := []string{org.domain("lost"), org.domain("renamed"), org.domain("again"), org.domain("short"), org.domain("terse")}
	w := newCLIWorkspace(t, org, lostAnswerConfig(org, proxy, names[0], ""))

	proxy.add(&fault{method: http.MethodPost, pathPrefix: "/admin/domain/create", times: 1, forward: true, answer: badGateway})
	out := w.mustRun(t, "apply", "-auto-approve")
	if strings.Contains(out, "Adopted") || strings.Contains(out, "adopted") {
		t.Errorf("the provider's own create, whose answer was lost, reads as an adoption:\n%s", out)
	}
	if n := len(proxy.requests(http.MethodPost, "/admin/domain/create")); n != 2 {
		t.Errorf("%d creates sent, want the lost one and its retry", n)
	}
	assertDomainMovedTo(t, org, w, names[0])
	w.assertEmptyPlan(t)

	steps := []struct {
		what  string
		extra string // provider arguments
		fault *fault
	}{
		{"a rename answered 502 and retried", "", &fault{method: http.MethodPut, pathPrefix: "/admin/domain/update/", times: 1, forward: true, answer: badGateway}},
		{"a rename answered 502 with no retry allowed", "  max_retries = 0\n", &fault{method: http.MethodPut, pathPrefix: "/admin/domain/update/", times: 1, forward: true, answer: badGateway}},
		{"a rename answered without status", "", &fault{method: http.MethodPut, pathPrefix: "/admin/domain/update/", times: 1, forward: true, answer: withoutDataField("status")}},
		{"a rename answered without email", "", &fault{method: http.MethodPut, pathPrefix: "/admin/domain/update/", times: 1, forward: true, answer: withoutDataField("email")}},
	}
	for i, step := range steps {
		from, to := names[i], names[i+1]
		proxy.clear()
		proxy.add(step.fault)
		w.write(t, lostAnswerConfig(org, proxy, to, step.extra))
		out, code := w.run(t, nil, "apply", "-auto-approve")
		if code != 0 {
			t.Fatalf("%s: the apply failed:\n%s", step.what, out)
		}
		if strings.Contains(out, "will be created") || strings.Contains(out, "must be replaced") {
			t.Errorf("%s: the plan makes a new object:\n%s", step.what, out)
		}
		assertDomainMovedTo(t, org, w, to, from)
		w.assertEmptyPlan(t)
	}
}

// TestCLIAdoptionWhoseUpdateFailsStaysLive: a live domain made outside
// Terraform, declared with another email, whose update is refused once. The
// failed apply leaves it as found and out of the state; the next apply adopts
// it and updates it. At no point is it deactivated.
func TestCLIAdoptionWhoseUpdateFailsStaysLive(t *testing.T) {
	org := newTestOrg(t)
	name := org.domain("live")
	org.createDomain(t, name, "before@example.com")
	proxy := newFaultProxy(t, org.baseURL)
	block := strings.Replace(org.providerBlock(chatwhizz.AddonLiveChat), org.baseURL, proxy.url, 1)
	w := newCLIWorkspace(t, org, block+fmt.Sprintf(`
resource "chatwhizz_domain" "live" {
  name  = %q
  email = "after@example.com"
}
`, name))

	proxy.add(&fault{method: http.MethodPut, pathPrefix: "/admin/domain/update/", times: 1, answer: answering(500, `{"status":0,"message":"Internal server error"}`)})
	out, code := w.run(t, nil, "apply", "-auto-approve")
	if out = strings.Join(strings.Fields(out), " "); code == 0 || !strings.Contains(out, "Internal server error") || strings.Contains(out, "Adopted") {
		t.Fatalf("the refused update should fail the apply, quoting the server, and adopt nothing (exit %d):\n%s", code, out)
	}
	if got := strings.TrimSpace(w.stateList(t)); got != "" {
		t.Errorf("the adopted domain whose update failed is in the state (a tainted one is deactivated by the next apply):\n%s", got)
	}
	out = w.mustRun(t, "apply", "-auto-approve")
	if strings.Contains(out, "destroy") && !strings.Contains(out, "0 destroyed") {
		t.Errorf("the second apply destroys something:\n%s", out)
	}
	for _, r := range proxy.requests(http.MethodPut, "/admin/domain/update/") {
		if active, ok := r.Body["status"]; ok && active == false {
			t.Errorf("the live domain was deactivated: %s %v", r.Path, r.Body)
		}
	}
	if d, err := org.client(t).GetDomain(t.Context(), name); err != nil || !d.Active || d.Email != "after@example.com" {
		t.Fatalf("after the second apply the domain is %+v, %v", d, err)
	}
	w.assertEmptyPlan(t)
}

// TestCLISellerBuyerCreateWhoseAnswerWasLost: only the create's answer
// carries the embed snippet; when a gateway lost it, the domain is still the
// provider's own create, and a warning says the link is lost, never an empty
// link kept silently.
func TestCLISellerBuyerCreateWhoseAnswerWasLost(t *testing.T) {
	org := newTestOrg(t)
	org.requireSellerBuyer(t)
	proxy := newFaultProxy(t, org.baseURL)
	name := org.domain("market")
	block := strings.Replace(org.providerBlock(chatwhizz.AddonSellerBuyer), org.baseURL, proxy.url, 1)
	w := newCLIWorkspace(t, org, block+fmt.Sprintf(`
resource "chatwhizz_domain" "market" {
  name  = %q
  email = "owner@example.com"
}

output "link" {
  value = chatwhizz_domain.market.link == null ? "null" : "set"
}
`, name))
	proxy.add(&fault{method: http.MethodPost, pathPrefix: "/admin/domain/create", times: 1, forward: true, answer: badGateway})
	out := strings.Join(strings.Fields(w.mustRun(t, "apply", "-auto-approve")), " ")
	if !strings.Contains(out, "Embed snippet lost") || strings.Contains(out, "Adopted") {
		t.Errorf("want the lost-link warning and no adoption:\n%s", out)
	}
	if !strings.Contains(out, `link = "null"`) {
		t.Errorf("the link should be null:\n%s", out)
	}
	w.assertEmptyPlan(t)
}

// TestCLIRenameWhoseOutcomeCouldNotBeReadIsFoundNext: a rename applied while
// the gateway lost its answer, and every read that could confirm it failed
// too: the apply fails saying the rename may have taken effect, and the next
// plan finds the domain under its new name. It plans nothing to create, and
// the assignment follows.
func TestCLIRenameWhoseOutcomeCouldNotBeReadIsFoundNext(t *testing.T) {
	org := newTestOrg(t)
	proxy := newFaultProxy(t, org.baseURL)
	from, to := org.domain("unread"), org.domain("found")
	w := newCLIWorkspace(t, org, lostAnswerConfig(org, proxy, from, ""))
	w.mustRun(t, "apply", "-auto-approve")

	proxy.add(&fault{method: http.MethodPut, pathPrefix: "/admin/domain/update/", times: 1, forward: true, answer: badGateway})
	proxy.add(&fault{method: http.MethodGet, pathPrefix: "/admin/domain/", times: -1, answer: badGateway})
	w.write(t, lostAnswerConfig(org, proxy, to, "  max_retries = 0\n"))
	out, code := w.run(t, nil, "apply", "-auto-approve", "-refresh=false")
	if out = strings.Join(strings.Fields(out), " "); code == 0 || !strings.Contains(out, "may have taken effect") {
		t.Fatalf("the apply should fail saying the rename may have taken effect (exit %d):\n%s", code, out)
	}

	proxy.clear()
	out, code = w.run(t, nil, "plan", "-detailed-exitcode")
	if code != 0 {
		t.Fatalf("after the domain is found under its new name the plan should be empty (exit %d):\n%s", code, out)
	}
	if !strings.Contains(strings.Join(strings.Fields(out), " "), "Domain found under its new name") {
		t.Errorf("the plan does not say where it found the domain:\n%s", out)
	}
	w.mustRun(t, "apply", "-auto-approve")
	assertDomainMovedTo(t, org, w, to, from)
	w.assertEmptyPlan(t)
}
