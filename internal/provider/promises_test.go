package provider

// These tests hold the provider to what its pages promise on the rare
// paths: seller-buyer unique_id through every command, what an import of an
// assignment can and cannot confirm, the smaller messages, and the
// promises of the docs that no other test checked.

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/chatwhizz/terraform-provider-chatwhizz/internal/chatwhizz"
	"github.com/chatwhizz/terraform-provider-chatwhizz/internal/emulator"
)

// flat is a CLI's output with its line wrapping undone.
func flat(out string) string { return strings.Join(strings.Fields(out), " ") }

// stateValue is an attribute of the first resource of a type in the
// workspace's state; nil when null, or when no such resource is there.
func (w *cliWorkspace) stateValue(t *testing.T, resourceType, attr string) any {
	t.Helper()
	for _, r := range w.stateResources(t) {
		if r.Type == resourceType {
			return r.Values[attr]
		}
	}
	return nil
}

// TestCLISellerBuyerUniqueIDFollowsTheServer takes a seller-buyer assignment
// through create, update, removal from the configuration, destroy,
// re-create and import, and compares unique_id in the state with the
// server's after each command. The API has no way to clear a unique_id, and
// no read of an assignment: after an import the state cannot know it (null,
// as the page says), until the configuration sets it.
func TestCLISellerBuyerUniqueIDFollowsTheServer(t *testing.T) {
	org := newTestOrg(t)
	org.requireSellerBuyer(t)
	domain, email := org.domain("market"), org.email("seller")
	const addr = "chatwhizz_operator_assignment.test"
	config := func(extra string) string { return org.sellerBuyer(assignmentConfig(domain, email, extra)) }
	w := newCLIWorkspace(t, org, config(`unique_id = ""`))
	if out, code := w.run(t, nil, "plan"); code == 0 || !regexp.MustCompile(`unique_id\s+= "".*at least 1`).MatchString(flat(out)) {
		t.Errorf("an empty unique_id must be refused at plan, at unique_id (exit %d):\n%s", code, out)
	}
	w.write(t, config(""))

	p := &uniqueIDProbe{org: org, w: w, domain: domain}
	w.mustRun(t, "apply", "-auto-approve")
	p.opID = fmt.Sprint(w.stateValue(t, "chatwhizz_operator", "id"))
	opID := p.opID
	p.agree(t, "a create that leaves it out", nil)

	w.write(t, config(`unique_id = "p-1"`))
	w.mustRun(t, "apply", "-auto-approve")
	p.agree(t, "setting it", "p-1")

	// Removed from the configuration: nothing to send (the API refuses ""),
	// and the plan shows no change.
	w.write(t, config(""))
	w.assertEmptyPlan(t)
	w.mustRun(t, "apply", "-auto-approve")
	p.agree(t, "removing it from the configuration", "p-1")

	w.mustRun(t, "destroy", "-auto-approve")
	if got := p.onServer(t); got != "p-1" {
		t.Errorf("destroy cannot clear unique_id: the server has %q, want p-1", got)
	}

	// Re-created without it, the assignment an earlier destroy released
	// keeps its value, and the state says so.
	w.mustRun(t, "apply", "-auto-approve")
	p.agree(t, "a re-create that leaves it out", "p-1")
	w.assertEmptyPlan(t)

	w.mustRun(t, "state", "rm", addr)
	out := flat(w.mustRun(t, "import", addr, domain+"/"+opID))
	for _, want := range []string{"Warning: Assignment not confirmed", "could not confirm that operator " + opID + " is assigned", "online_status = true"} {
		if !strings.Contains(out, want) {
			t.Errorf("the import does not say %q:\n%s", want, out)
		}
	}
	if got := w.stateValue(t, "chatwhizz_operator_assignment", "unique_id"); got != nil || p.onServer(t) != "p-1" {
		t.Errorf("after an import unique_id is unknown to the state (null) and unchanged on the server: state %v, server %q", got, p.onServer(t))
	}
	w.assertEmptyPlan(t)

	w.write(t, config(`unique_id = "p-2"`))
	w.mustRun(t, "apply", "-auto-approve")
	p.agree(t, "setting it after the import", "p-2")
	w.assertEmptyPlan(t)
}

// uniqueIDProbe reads the unique_id of the assignment of operator opID to
// domain in w's state and on the server.
type uniqueIDProbe struct {
	org          *testOrg
	w            *cliWorkspace
	domain, opID string
}

// onServer is the server's unique_id. The emulator shows it; through the API
// the only way to see it is an update's answer: this one sends is_admin =
// false, which no step changes.
func (p *uniqueIDProbe) onServer(t *testing.T) string {
	t.Helper()
	if p.org.emu != nil {
		d, _ := p.org.emu.Domain(p.domain)
		return d.Assignments[p.opID].UniqueID
	}
	a, err := p.org.clientFor(t, chatwhizz.AddonSellerBuyer).UpdateAssignment(t.Context(), p.opID,
		chatwhizz.AssignmentUpdate{DomainName: p.domain, IsAdmin: new(false)})
	if err != nil {
		t.Fatal(err)
	}
	return a.UniqueID
}

// agree checks, after the step named by after, that the state holds want
// (nil: null) and the server the same (nil: none).
func (p *uniqueIDProbe) agree(t *testing.T, after string, want any) {
	t.Helper()
	inState := p.w.stateValue(t, "chatwhizz_operator_assignment", "unique_id")
	onServer := p.onServer(t)
	if inState != want {
		t.Errorf("after %s: unique_id in state %v, want %v", after, inState, want)
	}
	if want != nil && onServer != want || want == nil && onServer != "" {
		t.Errorf("after %s: unique_id on the server %q, state %v", after, onServer, inState)
	}
}

// TestCLIAssignmentImportWarnsAndSettingConfirms: importing an assignment
// the server does not have succeeds with a warning that says how to make
// sure; following it (setting online_status) assigns the operator.
func TestCLIAssignmentImportWarnsAndSettingConfirms(t *testing.T) {
	org := newTestOrg(t)
	domain := org.domain("unassigned")
	org.createDomain(t, domain, "owner@example.com")
	op := org.createOperator(t, chatwhizz.CreateOperatorInput{Email: org.email("agent")})
	const addr = "chatwhizz_operator_assignment.test"
	assignment := func(extra string) string {
		return org.liveChat(fmt.Sprintf("resource %q %q {\n  domain_name = %q\n  operator_id = %q\n%s}\n",
			"chatwhizz_operator_assignment", "test", domain, op.ID, extra))
	}
	w := newCLIWorkspace(t, org, assignment(""))
	out := flat(w.mustRun(t, "import", addr, domain+"/"+op.ID))
	for _, want := range []string{"Warning: Assignment not confirmed", "The API cannot read an assignment", "online_status = true", "assigns the operator if it is not"} {
		if !strings.Contains(out, want) {
			t.Errorf("the import does not say %q:\n%s", want, out)
		}
	}
	w.write(t, assignment("  online_status = true\n"))
	w.mustRun(t, "apply", "-auto-approve")
	if org.emu != nil {
		d, _ := org.emu.Domain(domain)
		if got, want := d.Assignments[op.ID], (emulator.AssignmentRecord{OperatorID: op.ID, OnlineStatus: true, Status: true}); got != want {
			t.Errorf("after setting online_status the operator should be assigned: %+v, want %+v", got, want)
		}
	}
	w.assertEmptyPlan(t)
}

// TestCLIAssignmentUpdateNotFoundAssignsAgain: an update the API answers
// "not found" (the assignment is gone, both ends exist) assigns the
// operator again with every managed setting.
func TestCLIAssignmentUpdateNotFoundAssignsAgain(t *testing.T) {
	org := newTestOrg(t)
	emu := org.backDoor(t, "remove an assignment, which the API cannot")
	domain, email := org.domain("gone"), org.email("agent")
	w := newCLIWorkspace(t, org, org.liveChat(assignmentConfig(domain, email, "online_status = false")))
	w.mustRun(t, "apply", "-auto-approve")
	opID := fmt.Sprint(w.stateValue(t, "chatwhizz_operator", "id"))
	if !emu.DeleteAssignment(domain, opID) {
		t.Fatal("the assignment was not on the server")
	}
	w.write(t, org.liveChat(assignmentConfig(domain, email, "online_status = false\nis_admin = true")))
	w.mustRun(t, "apply", "-auto-approve")
	d, _ := emu.Domain(domain)
	if got, want := d.Assignments[opID], (emulator.AssignmentRecord{OperatorID: opID, IsAdmin: true, Status: true}); got != want {
		t.Errorf("the update should have assigned the operator again with every managed setting: %+v, want %+v", got, want)
	}
	w.assertEmptyPlan(t)
}

// TestCLIOperatorNameWarningOnceAndOnlyInPlace: a new first_name alone is
// recorded in place with one warning per apply; with a new email the
// operator is replaced, and no warning claims otherwise.
func TestCLIOperatorNameWarningOnceAndOnlyInPlace(t *testing.T) {
	org := newTestOrg(t)
	operator := func(email, firstName string) string {
		return org.liveChat(fmt.Sprintf("resource \"chatwhizz_operator\" \"test\" {\n  email      = %q\n  first_name = %q\n}\n", email, firstName))
	}
	w := newCLIWorkspace(t, org, operator(org.email("ann"), "Ann"))
	w.mustRun(t, "apply", "-auto-approve")

	w.write(t, operator(org.email("ann"), "Annie"))
	out := flat(w.mustRun(t, "apply", "-auto-approve"))
	// The CLI folds a repeated warning into "(and one more similar warning
	// elsewhere)": a warning of the plan is repeated by the apply phase.
	if n := strings.Count(out, "Warning: Operator names cannot be changed"); n != 1 || strings.Contains(out, "similar warning") || !strings.Contains(out, "1 changed") {
		t.Errorf("an in-place name change warns once per apply, not %d times or with similar ones:\n%s", n, out)
	}
	if !strings.Contains(out, `its name stays "Ann"`) {
		t.Errorf("the warning does not say which name stays:\n%s", out)
	}

	w.write(t, operator(org.email("bea"), "Bea"))
	plan := flat(w.mustRun(t, "plan"))
	out = flat(w.mustRun(t, "apply", "-auto-approve"))
	if !strings.Contains(plan, "must be replaced") {
		t.Errorf("a new email replaces the operator:\n%s", plan)
	}
	for _, o := range []string{plan, out} {
		if strings.Contains(o, "Operator names cannot be changed") || strings.Contains(o, "not replaced") {
			t.Errorf("a replacement must not warn that the name stays or that nothing is replaced:\n%s", o)
		}
	}
}

// TestCLIDomainRenameToTakenName: a rename the API refuses with 409 is an
// error at name that says the new name is taken, quoting the server.
func TestCLIDomainRenameToTakenName(t *testing.T) {
	org := newTestOrg(t)
	from, taken := org.domain("from"), org.domain("taken")
	org.createDomain(t, taken, "owner@example.com")
	w := newCLIWorkspace(t, org, org.liveChat(domainConfig(from, "owner@example.com", true)))
	w.mustRun(t, "apply", "-auto-approve")
	w.write(t, org.liveChat(domainConfig(taken, "owner@example.com", true)))
	out, code := w.run(t, nil, "apply", "-auto-approve")
	want := regexp.MustCompile(`Error: Domain name taken with chatwhizz_domain\.test, on main\.tf line \d+, in resource "chatwhizz_domain" "test": \d+: name\s+= "` +
		regexp.QuoteMeta(taken) + `" Could not rename domain "` + regexp.QuoteMeta(from) + `" to "` + regexp.QuoteMeta(taken) +
		`": the new name is taken by another domain .* Server said: .*` + theEmulatorSays(org, "already exists"))
	if code == 0 || !want.MatchString(flat(out)) {
		t.Errorf("want an error at name saying the new name is taken, matching %s; exit %d:\n%s", want, code, out)
	}
	if err := org.checkDomainOnServer(from, "owner@example.com", true)(nil); err != nil {
		t.Error(err)
	}
}

// TestCLIDomainTakenUnderTheOtherAddon: domain names are global, so a
// domain of the organisation's seller-buyer addon cannot be created under
// live_chat: "Domain name taken", at name.
func TestCLIDomainTakenUnderTheOtherAddon(t *testing.T) {
	org := newTestOrg(t)
	org.requireSellerBuyer(t)
	name := org.domain("other-addon")
	seller := org.clientFor(t, chatwhizz.AddonSellerBuyer)
	if _, err := seller.CreateDomain(t.Context(), name, "owner@example.com"); err != nil {
		t.Fatal(err)
	}
	madeByRun.add(madeObject{kind: kindDomain, name: name, addon: chatwhizz.AddonSellerBuyer, test: org.test})
	t.Cleanup(func() {
		if _, err := seller.UpdateDomain(context.Background(), name, chatwhizz.DomainUpdate{Active: new(false)}); err != nil {
			t.Errorf("deactivating domain %s made by the test: %v", name, err)
		}
	})
	w := newCLIWorkspace(t, org, org.liveChat(domainConfig(name, "owner@example.com", true)))
	out, code := w.run(t, nil, "apply", "-auto-approve")
	want := regexp.MustCompile(`Error: Domain name taken with chatwhizz_domain\.test, .* \d+: name\s+= "` + regexp.QuoteMeta(name) + `".* belongs to another organisation or addon`)
	if code == 0 || !want.MatchString(flat(out)) {
		t.Errorf("want Domain name taken at name; exit %d:\n%s", code, out)
	}
	if got := w.stateList(t); strings.TrimSpace(got) != "" {
		t.Errorf("nothing should be in the state:\n%s", got)
	}
}

// TestCLIOneEmailAsOperatorOfEachAddon: the same email under two provider
// blocks, one per addon, is one operator (one id) whose activity each
// resource manages for its own addon: destroying one leaves the other
// active.
func TestCLIOneEmailAsOperatorOfEachAddon(t *testing.T) {
	org := newTestOrg(t)
	org.requireSellerBuyer(t)
	email := org.email("both")
	sellerBlock := strings.Replace(org.providerBlock(chatwhizz.AddonSellerBuyer), `provider "chatwhizz" {`, "provider \"chatwhizz\" {\n  alias = \"seller\"", 1)
	liveOp := fmt.Sprintf("resource \"chatwhizz_operator\" \"live\" {\n  email = %q\n}\n", email)
	sellerOp := fmt.Sprintf("resource \"chatwhizz_operator\" \"seller\" {\n  provider = chatwhizz.seller\n  email    = %q\n}\n", email)
	w := newCLIWorkspace(t, org, org.liveChat(liveOp)+sellerBlock+sellerOp)
	w.useProviderBinary(t, severalProviderBlocks)
	w.mustRun(t, "apply", "-auto-approve")
	rs := w.stateResources(t)
	if len(rs) != 2 || rs[0].Values["id"] != rs[1].Values["id"] {
		t.Fatalf("one email is one operator: want two resources with one id, got %+v", rs)
	}
	id := fmt.Sprint(rs[0].Values["id"])
	activeFor := func(addon string) bool {
		t.Helper()
		op, err := org.clientFor(t, addon).GetOperator(t.Context(), id)
		if err != nil {
			t.Fatal(err)
		}
		return op.Active
	}
	if !activeFor(chatwhizz.AddonLiveChat) || !activeFor(chatwhizz.AddonSellerBuyer) {
		t.Fatalf("the operator should be active for both addons")
	}

	w.write(t, org.liveChat(liveOp)+sellerBlock)
	w.mustRun(t, "apply", "-auto-approve")
	if !activeFor(chatwhizz.AddonLiveChat) || activeFor(chatwhizz.AddonSellerBuyer) {
		t.Errorf("destroying the seller-buyer operator must leave it inactive there and active for live_chat: live %t, seller %t",
			activeFor(chatwhizz.AddonLiveChat), activeFor(chatwhizz.AddonSellerBuyer))
	}
	w.assertEmptyPlan(t)
}

// TestCLIUnknownTuningArgumentsAtTheirAttributes: each provider tuning
// argument whose value is not known at plan time is an error at its own
// attribute.
func TestCLIUnknownTuningArgumentsAtTheirAttributes(t *testing.T) {
	org := newTestOrg(t)
	block := strings.Replace(org.providerBlock(chatwhizz.AddonLiveChat), "\n}\n", `
  request_timeout     = terraform_data.duration.output
  retry_timeout       = terraform_data.duration.output
  max_retries         = terraform_data.number.output
  requests_per_second = terraform_data.number.output
}
`, 1)
	w := newCLIWorkspace(t, org, block+`
resource "terraform_data" "duration" {
  input = "30s"
}

resource "terraform_data" "number" {
  input = 2
}
`+readDomain(org.domain("never")))
	out, code := w.run(t, nil, "plan")
	if code == 0 {
		t.Fatalf("unknown tuning arguments must fail the plan:\n%s", out)
	}
	for _, attr := range []string{"request_timeout", "retry_timeout", "max_retries", "requests_per_second"} {
		at := regexp.MustCompile(`Error: Unknown provider setting with provider\["[^"]+"\], on main\.tf line \d+, in provider "chatwhizz": \d+: ` + attr + `\s+= terraform_data`)
		if !at.MatchString(flat(out)) {
			t.Errorf("no error at %s:\n%s", attr, out)
		}
	}
}

// TestCLIPasswordIsSentAsGiven: a password with spaces at either end logs
// in, from the environment and from the provider block; the names around
// it are still trimmed.
func TestCLIPasswordIsSentAsGiven(t *testing.T) {
	org := newTestOrg(t)
	emu := org.backDoor(t, "add an organisation whose password has spaces")
	spaced := emulator.Organisation{
		Domain: org.Domain + "-spaced", Email: "spaced-" + org.Email, Password: "  " + org.Password + " ",
		Addons: []string{emulator.AddonLiveChat},
	}
	emu.AddOrganisation(spaced)
	name := org.domain("spaced")
	w := newCLIWorkspace(t, nil, `provider "chatwhizz" {}`+"\n"+domainConfig(name, "owner@example.com", true))
	w.env = append(w.env, "CHATWHIZZ_BASE_URL="+org.baseURL, "CHATWHIZZ_EMAIL= "+spaced.Email+"\n",
		"CHATWHIZZ_PASSWORD="+spaced.Password, "CHATWHIZZ_ORGANISATION_DOMAIN="+spaced.Domain, "CHATWHIZZ_ADDON_UNIQUE_NAME="+emulator.AddonLiveChat)
	w.mustRun(t, "apply", "-auto-approve")

	w.write(t, fmt.Sprintf(`
provider "chatwhizz" {
  password = %q
}
`, spaced.Password)+domainConfig(name, "owner@example.com", true))
	out, code := w.run(t, []string{"CHATWHIZZ_PASSWORD=wrong"}, "plan", "-detailed-exitcode")
	if code != 0 {
		t.Errorf("the block's password, spaces included, should log in and plan no change (exit %d):\n%s", code, out)
	}
	if d, ok := emu.Domain(name); !ok || d.OrganisationDomain != spaced.Domain {
		t.Errorf("the domain should be the spaced organisation's: %+v", d)
	}
}

// TestCLIHTTPLogEntries: with TF_LOG_PROVIDER=DEBUG, as the docs show, each
// API call is one DEBUG entry "Chatwhizz API call" of the module
// chatwhizz.http with the documented fields, and the query's password reads
// ***.
func TestCLIHTTPLogEntries(t *testing.T) {
	org := newTestOrg(t)
	name := org.domain("logged")
	org.createDomain(t, name, "owner@example.com")
	w := newCLIWorkspace(t, org, org.liveChat(readDomain(name)))
	w.useProviderBinary(t, "TF_LOG_PATH holds the provider's logs only from the stderr of a plugin the CLI started")
	logFile := filepath.Join(w.dir, "chatwhizz.log")
	if out, code := w.run(t, []string{"TF_LOG_PROVIDER=DEBUG", "TF_LOG_PATH=" + logFile}, "plan"); code != 0 {
		t.Fatalf("plan exited %d:\n%s", code, out)
	}
	b, err := os.ReadFile(logFile)
	if err != nil {
		t.Fatal(err)
	}
	var calls []string
	for line := range strings.SplitSeq(string(b), "\n") {
		if strings.Contains(line, "Chatwhizz API call") {
			calls = append(calls, line)
		}
	}
	if len(calls) < 2 {
		t.Fatalf("want a login and a read, got %d API call entries in:\n%s", len(calls), b)
	}
	fields := []string{"@module=chatwhizz.http", "method=", "route=", "path=", "status=", "duration_ms=", "retries="}
	var login, read bool
	for _, c := range calls {
		if !strings.Contains(c, "[DEBUG]") {
			t.Errorf("not a DEBUG entry: %s", c)
		}
		for _, f := range fields {
			if !strings.Contains(c, f) {
				t.Errorf("entry without %s: %s", f, c)
			}
		}
		login = login || strings.Contains(c, "route=admin/access-token ") && regexp.MustCompile(`query="[^"]*password=(\*\*\*|%2A%2A%2A)`).MatchString(c)
		read = read || strings.Contains(c, "route=admin/domain/{domain_name}") && strings.Contains(c, "path=admin/domain/"+name)
	}
	if !login || !read {
		t.Errorf("want the login (with its password masked in query) and the domain's read among:\n%s", strings.Join(calls, "\n"))
	}
}

// TestCLISellerBuyerUniqueIDAcrossDomains: when domain_name changes and the
// state does not know unique_id, the state records what the server holds:
// after a move, the value the assignment on the other domain kept from its
// release; after a rename, which carries the assignment along, none.
func TestCLISellerBuyerUniqueIDAcrossDomains(t *testing.T) {
	org := newTestOrg(t)
	org.requireSellerBuyer(t)
	shop, renamed, other, email := org.domain("shop"), org.domain("renamed"), org.domain("other"), org.email("seller")
	config := func(shopName, assignedTo string) string {
		return org.sellerBuyer(assignmentConfigOn(shopName, email, assignedTo, ""))
	}
	w := newCLIWorkspace(t, org, config(shop, "chatwhizz_domain.shop.name"))
	w.mustRun(t, "apply", "-auto-approve")
	opID := fmt.Sprint(w.stateValue(t, "chatwhizz_operator", "id"))

	// A rename: the plan cannot know it is one, and shows unique_id as
	// known after apply; the state records none, as the server has.
	w.write(t, config(renamed, "chatwhizz_domain.shop.name"))
	w.mustRun(t, "apply", "-auto-approve")
	if got := w.stateValue(t, "chatwhizz_operator_assignment", "unique_id"); got != nil {
		t.Errorf("after a rename unique_id is %v in the state, want null", got)
	}
	w.assertEmptyPlan(t)

	// Another domain, where the operator was assigned with a unique_id and
	// released.
	seller := org.clientFor(t, chatwhizz.AddonSellerBuyer)
	if _, err := seller.CreateDomain(t.Context(), other, "owner@example.com"); err != nil {
		t.Fatal(err)
	}
	madeByRun.add(madeObject{kind: kindDomain, name: other, addon: chatwhizz.AddonSellerBuyer, test: org.test})
	t.Cleanup(func() {
		_, _ = seller.UpdateDomain(context.Background(), other, chatwhizz.DomainUpdate{Active: new(false)})
	})
	if _, err := seller.AssignOperator(t.Context(), chatwhizz.AssignInput{DomainName: other, OperatorID: opID, UniqueID: new("kept")}); err != nil {
		t.Fatal(err)
	}
	if _, err := seller.UpdateAssignment(t.Context(), opID, chatwhizz.AssignmentUpdate{DomainName: other, OnlineStatus: new(false), IsAdmin: new(false), Status: new(false)}); err != nil {
		t.Fatal(err)
	}
	w.write(t, config(renamed, fmt.Sprintf("%q", other)))
	w.mustRun(t, "apply", "-auto-approve")
	if got := w.stateValue(t, "chatwhizz_operator_assignment", "unique_id"); got != "kept" {
		t.Errorf("after a move unique_id is %v in the state, want the server's %q", got, "kept")
	}
	if org.emu != nil {
		if d, _ := org.emu.Domain(other); d.Assignments[opID].UniqueID != "kept" {
			t.Errorf("the server's unique_id changed: %+v", d.Assignments[opID])
		}
	}
	w.assertEmptyPlan(t)
}
