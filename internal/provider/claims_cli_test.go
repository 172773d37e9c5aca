package provider

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/chatwhizz/terraform-provider-chatwhizz/internal/chatwhizz"
)

// These tests hold the provider to its claims (claims.go) through a real
// CLI: one server object is one resource of an apply, and a release that
// follows a domain's rename acts on that domain under its new name, and on
// no other.

// TestCLITwoResourcesOnOneObject: two operators whose emails differ only in
// case, and two domains of one name, are one operator and one domain on the
// server, and so are two assignments of one operator to one domain. The
// apply fails at the second of each, before any call, naming both emails,
// and the operator and the domain stay active: nothing is deactivated.
func TestCLITwoResourcesOnOneObject(t *testing.T) {
	org := newIsolatedTestOrg(t)
	lower := org.email("twin")
	upper := strings.ToUpper(lower[:1]) + lower[1:]
	name := org.domain("twice")
	w := newCLIWorkspace(t, org, org.liveChat(twinsConfig(org, upper, lower, name)))
	out, code := w.run(t, nil, "apply", "-auto-approve")
	checkTwinsRefused(t, org, out, code, upper, lower, name)
	checkTwinsKept(t, org, w, lower, name)
}

// twinsConfig is two operators whose emails differ only in case (upper and
// lower), two domains of one name, and two assignments of one operator
// (ann) to one domain (shop).
func twinsConfig(org *testOrg, upper, lower, name string) string {
	return operatorBlock("upper", upper, "") + operatorBlock("lower", lower, "") +
		domainBlock("first", name, "") + domainBlock("second", name, "") + domainBlock("shop", org.domain("shop"), "") +
		operatorBlock("ann", org.email("ann"), "") +
		assignmentBlock("one", "chatwhizz_domain.shop.name", "chatwhizz_operator.ann.id", "") +
		assignmentBlock("two", "chatwhizz_domain.shop.name", "chatwhizz_operator.ann.id", "")
}

// checkTwinsRefused checks that the apply of twinsConfig failed at the second
// of each pair, naming both emails of the operators.
func checkTwinsRefused(t *testing.T, org *testOrg, out string, code int, upper, lower, name string) {
	t.Helper()
	got := flat(out)
	operatorError := regexp.MustCompile(`Error: Two resources on one operator with chatwhizz_operator\.(upper|lower), .*The operator with email "(` +
		regexp.QuoteMeta(upper) + `|` + regexp.QuoteMeta(lower) + `)" \(emails are compared without regard to case\) is already managed by another resource of this configuration, ` +
		`which created or adopted it with email "(` + regexp.QuoteMeta(upper) + `|` + regexp.QuoteMeta(lower) + `)" in this apply`)
	m := operatorError.FindStringSubmatch(got)
	if code == 0 || m == nil || m[2] == m[3] {
		t.Errorf("want the apply to fail naming both emails, matching %s; exit %d:\n%s", operatorError, code, out)
	}
	domainError := regexp.MustCompile(`Error: Two resources on one domain with chatwhizz_domain\.(first|second), .*The domain "` + regexp.QuoteMeta(name) +
		`" is already managed by another resource of this configuration, which created or adopted it as "` + regexp.QuoteMeta(name) + `" in this apply`)
	if !domainError.MatchString(got) {
		t.Errorf("want the apply to fail at the second domain, matching %s:\n%s", domainError, out)
	}

	assignmentError := regexp.MustCompile(`Error: Two resources on one assignment with chatwhizz_operator_assignment\.(one|two), .*The assignment of operator [0-9a-f]{24} to domain "` +
		regexp.QuoteMeta(org.domain("shop")) + `" is already managed by another resource of this configuration, which created or adopted it in this apply`)
	if !assignmentError.MatchString(got) {
		t.Errorf("want the apply to fail at the second assignment, matching %s:\n%s", assignmentError, out)
	}
}

// checkTwinsKept checks that after twinsConfig's failed apply the state holds
// one of each pair, and the server one operator and one domain, active:
// one call for each object, nothing deactivated.
func checkTwinsKept(t *testing.T, org *testOrg, w *cliWorkspace, lower, name string) {
	t.Helper()
	var operators, domains []stateResource
	for _, r := range w.stateResources(t) {
		switch r.Type {
		case "chatwhizz_operator":
			operators = append(operators, r)
		case "chatwhizz_domain":
			domains = append(domains, r)
		}
	}
	if len(operators) != 2 || len(domains) != 2 {
		t.Fatalf("the state should hold the first twin and domain, ann and shop: %d operators, %d domains", len(operators), len(domains))
	}
	id := fmt.Sprint(operators[0].Values["id"])
	if operators[0].Values["email"] == org.email("ann") {
		id = fmt.Sprint(operators[1].Values["id"])
	}
	if op, err := org.client(t).GetOperator(t.Context(), id); err != nil || !op.Active || !strings.EqualFold(op.Email, lower) {
		t.Errorf("operator %s should be %s and active: %+v, %v", id, lower, op, err)
	}
	if err := org.checkDomainOnServer(name, "owner@example.com", true)(nil); err != nil {
		t.Error(err)
	}
	if org.emu != nil {
		if ops := org.emu.Operators(org.Domain); len(ops) != 2 {
			t.Errorf("the server holds %d operators, want two: %+v", len(ops), ops)
		}
		// One call for each object; nothing deactivated (no update call).
		calls := org.emu.Stats().Requests
		for route, want := range map[string]int{chatwhizz.EndpointCreateOperator.String(): 2, chatwhizz.EndpointCreateDomain.String(): 2, chatwhizz.EndpointAssign.String(): 1,
			chatwhizz.EndpointUpdateOperator.String(): 0, chatwhizz.EndpointUpdateDomain.String(): 0} {
			if calls[route] != want {
				t.Errorf("%d calls of %s, want %d: %v", calls[route], route, want, calls)
			}
		}
	}
}

// renameAndMoveConfig is two domains, an operator and its assignment to the
// domain named by on (x or y), with is_admin and online_status set. The
// assignment runs after x: when x is renamed in the same apply, its
// release of x comes after the rename. xAfterY orders x's rename after y's.
func renameAndMoveConfig(org *testOrg, x, y, on string, xAfterY bool) string {
	xDependsOn := ""
	if xAfterY {
		xDependsOn = "\n  depends_on = [chatwhizz_domain.y]\n"
	}
	return org.liveChat(domainBlock("x", x, xDependsOn) + domainBlock("y", y, "") + operatorBlock("ann", org.email("ann"), "") +
		assignmentBlock("ann", "chatwhizz_domain."+on+".name", "chatwhizz_operator.ann.id",
			"is_admin      = true\nonline_status = true\ndepends_on    = [chatwhizz_domain.x]"))
}

// applyRenameAndMove applies renameAndMoveConfig with the names of x and y
// before, assigned on x, then with those after, assigned on y, and checks
// that a plan then has nothing to do and, on the emulator, that the operator
// is assigned on movedTo and released on releasedOn.
func applyRenameAndMove(t *testing.T, org *testOrg, before, after [2]string, xAfterY bool, movedTo, releasedOn string) {
	t.Helper()
	w := newCLIWorkspace(t, org, renameAndMoveConfig(org, before[0], before[1], "x", xAfterY))
	w.mustRun(t, "apply", "-auto-approve")
	w.write(t, renameAndMoveConfig(org, after[0], after[1], "y", xAfterY))
	w.mustRun(t, "apply", "-auto-approve")
	w.assertEmptyPlan(t)
	if org.emu != nil {
		assertMovedAndReleased(t, org, w, movedTo, releasedOn)
	}
}

// assertMovedAndReleased checks on the emulator that the operator is
// assigned to domain to with the configuration's settings, and released
// (offline, not admin) on domain released.
func assertMovedAndReleased(t *testing.T, org *testOrg, w *cliWorkspace, to, released string) {
	t.Helper()
	opID := fmt.Sprint(w.stateValue(t, "chatwhizz_operator", "id"))
	d, ok := org.emu.Domain(to)
	if a := d.Assignments[opID]; !ok || !a.IsAdmin || !a.OnlineStatus {
		t.Errorf("on %s the operator should be assigned, admin and online: %+v", to, d.Assignments)
	}
	d, ok = org.emu.Domain(released)
	if a, assigned := d.Assignments[opID]; !ok || !assigned || a.IsAdmin || a.OnlineStatus {
		t.Errorf("on %s the operator should be released (offline, not admin): %+v", released, d.Assignments)
	}
}

// TestCLIReleaseFollowsRename: in one apply, domain x is renamed a -> b and
// its assignment moves to domain y. The release runs after the rename, so
// it must act on b: the operator ends offline and not admin there, not
// left online and admin on the domain the configuration no longer gives it.
func TestCLIReleaseFollowsRename(t *testing.T) {
	org := newTestOrg(t)
	a, b, y := org.domain("a"), org.domain("b"), org.domain("y")
	applyRenameAndMove(t, org, [2]string{a, y}, [2]string{b, y}, false, y, b)
}

// TestCLIRenamesOfTwoDomainsAreNotChained: in one apply, y is renamed b -> c
// and then x a -> b, while the assignment moves from x (a) to y (c). The
// two renames are of two domains: the assignment is not carried to c by
// any rename, so it is assigned there, and released on b, where x is now.
func TestCLIRenamesOfTwoDomainsAreNotChained(t *testing.T) {
	org := newTestOrg(t)
	a, b, c := org.domain("a"), org.domain("b"), org.domain("c")
	applyRenameAndMove(t, org, [2]string{a, b}, [2]string{b, c}, true, c, b)
}

// TestCLIRenameRefusedForADomainAdoptedInTheSameApply: in one apply, a new
// resource declares domain a, and then the resource that manages a renames
// it to b. The create adopted a, so the rename would take the domain from
// under it: it is refused, naming both names, and a stays where it is.
func TestCLIRenameRefusedForADomainAdoptedInTheSameApply(t *testing.T) {
	org := newTestOrg(t)
	a, b := org.domain("a"), org.domain("b")
	w := newCLIWorkspace(t, org, org.liveChat(domainBlock("x", a, "")))
	w.mustRun(t, "apply", "-auto-approve")

	w.write(t, org.liveChat(domainBlock("x", b, "  depends_on = [chatwhizz_domain.z]")+domainBlock("z", a, "")))
	out, code := w.run(t, nil, "apply", "-auto-approve")
	want := regexp.MustCompile(`Error: Domain managed by another resource with chatwhizz_domain\.x, .*name\s+= "` + regexp.QuoteMeta(b) +
		`" Could not rename domain "` + regexp.QuoteMeta(a) + `" to "` + regexp.QuoteMeta(b) + `": another resource of this configuration created or adopted it as "` +
		regexp.QuoteMeta(a) + `" in this apply, and renaming it would take it from under that resource. .*depends_on`)
	if code == 0 || !want.MatchString(flat(out)) {
		t.Errorf("want the rename refused at name, matching %s; exit %d:\n%s", want, code, out)
	}
	if err := org.checkDomainOnServer(a, "owner@example.com", true)(nil); err != nil {
		t.Error(err)
	}
	if err := org.checkDomainsAbsent(b)(nil); err != nil {
		t.Error(err)
	}
}

// TestCLIRenameAndANewDomainOfTheOldOrNewName: in one apply, x is renamed
// a -> b, and a new resource, created after the rename, declares the
// domain of one of the names. Of the old name, it is a new domain: both end
// active. Of the new name, it is x's domain: the create is refused before
// any call.
func TestCLIRenameAndANewDomainOfTheOldOrNewName(t *testing.T) {
	org := newTestOrg(t)
	a, b := org.domain("a"), org.domain("b")
	config := func(xName, zName string) string {
		z := ""
		if zName != "" {
			z = domainBlock("z", zName, "  depends_on = [chatwhizz_domain.x]")
		}
		return org.liveChat(domainBlock("x", xName, "") + z)
	}
	w := newCLIWorkspace(t, org, config(a, ""))
	w.mustRun(t, "apply", "-auto-approve")
	w.write(t, config(b, a))
	if out := w.mustRun(t, "apply", "-auto-approve"); strings.Contains(out, "Adopted") {
		t.Errorf("the new domain of the old name should be created, not adopted:\n%s", out)
	}
	for _, name := range []string{a, b} {
		if err := org.checkDomainOnServer(name, "owner@example.com", true)(nil); err != nil {
			t.Error(err)
		}
	}

	w2 := newCLIWorkspace(t, org, config(org.domain("c"), ""))
	w2.mustRun(t, "apply", "-auto-approve")
	w2.write(t, config(org.domain("d"), org.domain("d")))
	out, code := w2.run(t, nil, "apply", "-auto-approve")
	want := regexp.MustCompile(`Error: Two resources on one domain with chatwhizz_domain\.z, .*The domain "` + regexp.QuoteMeta(org.domain("d")) +
		`" is already managed by another resource of this configuration, which renamed domain "` + regexp.QuoteMeta(org.domain("c")) + `" to it in this apply`)
	if code == 0 || !want.MatchString(flat(out)) {
		t.Errorf("want the create refused, matching %s; exit %d:\n%s", want, code, out)
	}
	if strings.Contains(w2.stateList(t), "chatwhizz_domain.z") {
		t.Error("the refused create is in the state")
	}
}

// TestCLISellerBuyerRenameDropsLink: link is the seller-buyer embed snippet
// answered by the create, and it names the domain (the emulator's
// data-domain). A rename plans link to null and the apply warns, quoting
// the old snippet; the next plan is empty.
func TestCLISellerBuyerRenameDropsLink(t *testing.T) {
	org := newTestOrg(t)
	org.requireSellerBuyer(t)
	first, renamed := org.domain("market"), org.domain("bazaar")
	w := newCLIWorkspace(t, org, org.sellerBuyer(domainConfig(first, "owner@example.com", true)))
	w.mustRun(t, "apply", "-auto-approve")
	link, _ := w.stateValue(t, "chatwhizz_domain", "link").(string)
	if link == "" {
		t.Fatal("the create answered no link")
	}

	w.write(t, org.sellerBuyer(domainConfig(renamed, "owner@example.com", true)))
	if out := flat(w.mustRun(t, "plan")); !regexp.MustCompile(`- link\s*= "<script.*data-domain=.*" -> null`).MatchString(out) {
		t.Errorf("the plan should show link going to null:\n%s", out)
	}
	out := flat(w.mustRun(t, "apply", "-auto-approve"))
	want := fmt.Sprintf(`The link of domain %q was answered when the domain was created, and names it as %q; after the rename to %q it is stale`, renamed, first, renamed)
	if !strings.Contains(out, "Warning: Embed snippet dropped after the rename") || !strings.Contains(out, want) || !strings.Contains(out, "The old snippet was: "+flat(link)) {
		t.Errorf("the apply should warn, quoting the old snippet, %q:\n%s", want, out)
	}
	if got := w.stateValue(t, "chatwhizz_domain", "link"); got != nil {
		t.Errorf("link after the rename is %v, want null", got)
	}
	w.assertEmptyPlan(t)
}
