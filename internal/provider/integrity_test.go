package provider

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/chatwhizz/terraform-provider-chatwhizz/internal/chatwhizz"
	"github.com/chatwhizz/terraform-provider-chatwhizz/internal/emulator"
)

// These tests hold the provider to "nothing is lost": whatever a command
// meets (a wrong base_url, wrong credentials, a login answered 404, an
// import, a rename, a replacement landing on the same server object), the
// state keeps every object that exists and the server keeps every object
// active, assigned and with its settings, unless the user asked otherwise.

// integrityFleet is two domains, two operators and three assignments with
// settings that differ from a new assignment's.
type integrityFleet struct {
	org           *testOrg
	shop          string // the first domain's name
	annFirstName  string
	createFirst   bool // create_before_destroy on every resource
	providerBlock string
}

func newIntegrityFleet(org *testOrg) *integrityFleet {
	return &integrityFleet{org: org, shop: org.domain("shop"), annFirstName: "Ann", providerBlock: org.providerBlock(chatwhizz.AddonLiveChat)}
}

func (f *integrityFleet) config() string {
	lifecycle := ""
	if f.createFirst {
		lifecycle = "\n  lifecycle {\n    create_before_destroy = true\n  }\n"
	}
	return f.providerBlock + fmt.Sprintf(`
resource "chatwhizz_domain" "shop" {
  name  = %[1]q
  email = "owner@example.com"
%[4]s}

resource "chatwhizz_domain" "blog" {
  name  = %[2]q
  email = "owner@example.com"
%[4]s}

resource "chatwhizz_operator" "ann" {
  email      = "ann@example.com"
  first_name = %[3]q
  last_name  = "Lee"
%[4]s}

resource "chatwhizz_operator" "bob" {
  email = "bob@example.com"
%[4]s}

resource "chatwhizz_operator_assignment" "shop_ann" {
  domain_name = chatwhizz_domain.shop.name
  operator_id = chatwhizz_operator.ann.id
  is_admin    = true
%[4]s}

resource "chatwhizz_operator_assignment" "shop_bob" {
  domain_name   = chatwhizz_domain.shop.name
  operator_id   = chatwhizz_operator.bob.id
  online_status = false
%[4]s}

resource "chatwhizz_operator_assignment" "blog_ann" {
  domain_name = chatwhizz_domain.blog.name
  operator_id = chatwhizz_operator.ann.id
%[4]s}
`, f.shop, f.org.domain("blog"), f.annFirstName, lifecycle)
}

// serverSnapshot is everything the organisation holds on the emulator.
type serverSnapshot struct {
	Domains   []emulator.DomainRecord
	Operators []emulator.OperatorRecord
}

func snapshotServer(org *testOrg) serverSnapshot {
	return serverSnapshot{Domains: org.emu.Domains(org.Domain), Operators: org.emu.Operators(org.Domain)}
}

func assertServerUnchanged(t *testing.T, org *testOrg, before serverSnapshot, after string) {
	t.Helper()
	if now := snapshotServer(org); !reflect.DeepEqual(now, before) {
		t.Fatalf("after %s the server changed:\n before %+v\n now    %+v", after, before, now)
	}
}

// assertFleetSettled checks the fleet on the server: both domains and
// operators active, and each assignment with the settings of the
// configuration.
func assertFleetSettled(t *testing.T, org *testOrg, shop string) {
	t.Helper()
	snap := snapshotServer(org)
	if len(snap.Domains) != 2 || len(snap.Operators) != 2 {
		t.Fatalf("the server holds %d domains and %d operators, want 2 and 2: %+v", len(snap.Domains), len(snap.Operators), snap)
	}
	ids := map[string]string{}
	for _, op := range snap.Operators {
		if !op.ActiveAddons[emulator.AddonLiveChat] {
			t.Errorf("operator %s is inactive", op.Email)
		}
		ids[op.Email] = op.ID
	}
	want := map[string]map[string]emulator.AssignmentRecord{
		shop: {
			ids["ann@example.com"]: {OperatorID: ids["ann@example.com"], IsAdmin: true, OnlineStatus: true, Status: true},
			ids["bob@example.com"]: {OperatorID: ids["bob@example.com"], OnlineStatus: false, Status: true},
		},
		org.domain("blog"): {
			ids["ann@example.com"]: {OperatorID: ids["ann@example.com"], OnlineStatus: true, Status: true},
		},
	}
	for _, d := range snap.Domains {
		if !d.Active {
			t.Errorf("domain %s is inactive", d.Name)
		}
		if !reflect.DeepEqual(d.Assignments, want[d.Name]) {
			t.Errorf("domain %s assignments %+v, want %+v", d.Name, d.Assignments, want[d.Name])
		}
	}
}

// applied writes the fleet's configuration in a new workspace and applies it.
func (f *integrityFleet) applied(t *testing.T) *cliWorkspace {
	t.Helper()
	w := newCLIWorkspace(t, f.config())
	w.mustRun(t, "apply", "-auto-approve")
	assertFleetSettled(t, f.org, f.shop)
	return w
}

func (w *cliWorkspace) stateList(t *testing.T) string {
	t.Helper()
	return w.mustRun(t, "state", "list")
}

// TestCLIFailedLoginLosesNothing: with a wrong base_url, a wrong password or
// a login answered 404 "User not found", plan, apply, destroy (with and
// without refresh) and import each fail naming the cause; the state still
// holds every object, and the server still has each one active, assigned and
// with its settings.
func TestCLIFailedLoginLosesNothing(t *testing.T) {
	emu, base, stop := emulator.Start(emulator.Knobs{})
	defer stop()
	org := newTestOrgOn(t, emu, base)
	fleet := newIntegrityFleet(org)
	w := fleet.applied(t)
	good := fleet.providerBlock
	state, server := w.stateList(t), snapshotServer(org)

	cases := []struct {
		name          string
		providerBlock string
		loginNotFound bool
		cause         []string
	}{
		{"wrong base_url", strings.Replace(good, base, base+"wrong/path/", 1), false, []string{"route not found", "check base_url"}},
		{"wrong password", strings.Replace(good, org.Password, "not-the-password", 1), false, []string{"could not log in", "invalid credentials"}},
		{"login answered 404", good, true, []string{"User not found for this organisation", "check base_url"}},
	}
	commands := [][]string{
		{"plan"},
		{"apply", "-auto-approve"},
		{"destroy", "-auto-approve"},
		{"destroy", "-auto-approve", "-refresh=false"},
	}
	for _, tc := range cases {
		fleet.providerBlock = tc.providerBlock
		w.write(t, fleet.config())
		emu.SetKnobs(emulator.Knobs{LoginUserNotFound: tc.loginNotFound})
		for _, args := range commands {
			what := tc.name + ": " + strings.Join(args, " ")
			out, code := w.run(t, nil, args...)
			out = strings.Join(strings.Fields(out), " ") // the CLI wraps long messages
			if code == 0 {
				t.Fatalf("%s succeeded:\n%s", what, out)
			}
			for _, cause := range tc.cause {
				if !strings.Contains(out, cause) {
					t.Errorf("%s: the error does not say %q:\n%s", what, cause, out)
				}
			}
			for _, lie := range []string{"Destroy complete", "not found", "removed from the state", "will be created"} {
				if strings.Contains(strings.ReplaceAll(out, "User not found", ""), lie) && !strings.Contains(tc.cause[0], lie) {
					t.Errorf("%s: the output says %q:\n%s", what, lie, out)
				}
			}
			if now := w.stateList(t); now != state {
				t.Fatalf("%s changed the state:\n%s\nwas:\n%s", what, now, state)
			}
			assertServerUnchanged(t, org, server, what)
		}
		// An import reads the object: it fails the same way and records nothing.
		extra := org.domain("extra")
		w.write(t, fleet.config()+fmt.Sprintf("resource \"chatwhizz_domain\" \"extra\" {\n  name  = %q\n  email = \"owner@example.com\"\n}\n", extra))
		out, code := w.run(t, nil, "import", "chatwhizz_domain.extra", extra)
		if out = strings.Join(strings.Fields(out), " "); code == 0 || !strings.Contains(out, tc.cause[0]) {
			t.Errorf("%s: import exited %d without naming the cause:\n%s", tc.name, code, out)
		}
		if now := w.stateList(t); now != state {
			t.Fatalf("%s: import changed the state:\n%s\nwas:\n%s", tc.name, now, state)
		}
	}

	emu.SetKnobs(emulator.Knobs{})
	fleet.providerBlock = good
	w.write(t, fleet.config())
	w.assertEmptyPlan(t)
}

// TestCLIImportedAssignmentKeepsItsSettings: an admin, offline assignment
// made outside Terraform, imported with an import block and
// `plan -generate-config-out`, then applied, is still admin and offline,
// and the next plan is empty.
func TestCLIImportedAssignmentKeepsItsSettings(t *testing.T) {
	org := newTestOrg(t)
	c := org.client(t)
	domain := org.domain("imported")
	if _, err := c.CreateDomain(ctx(), domain, "owner@example.com"); err != nil {
		t.Fatal(err)
	}
	op, err := c.CreateOperator(ctx(), chatwhizz.CreateOperatorInput{Email: "admin@example.com"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.AssignOperator(ctx(), chatwhizz.AssignInput{DomainName: domain, OperatorID: op.ID, IsAdmin: new(true)}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.UpdateAssignment(ctx(), op.ID, chatwhizz.AssignmentUpdate{DomainName: domain, OnlineStatus: new(false)}); err != nil {
		t.Fatal(err)
	}
	want := emulator.AssignmentRecord{OperatorID: op.ID, IsAdmin: true, OnlineStatus: false, Status: true}

	w := newCLIWorkspace(t, org.liveChat(fmt.Sprintf(`
import {
  to = chatwhizz_operator_assignment.imported
  id = "%s/%s"
}
`, domain, op.ID)))
	w.mustRun(t, "plan", "-generate-config-out=generated.tf")
	generated, err := os.ReadFile(filepath.Join(w.dir, "generated.tf"))
	if err != nil {
		t.Fatal(err)
	}
	out := w.mustRun(t, "apply", "-auto-approve")
	if !strings.Contains(out, "1 imported, 0 added, 0 changed, 0 destroyed") {
		t.Errorf("the import should change nothing:\n%s\ngenerated:\n%s", out, generated)
	}
	d, _ := org.emu.Domain(domain)
	if got := d.Assignments[op.ID]; got != want {
		t.Fatalf("after importing and applying the generated configuration the assignment is %+v, want %+v\ngenerated:\n%s", got, want, generated)
	}
	w.assertEmptyPlan(t)
}

// TestCLIOperatorNameChangeReplacesNothing: a new first_name is recorded in
// place with a warning; nothing on the server changes.
func TestCLIOperatorNameChangeReplacesNothing(t *testing.T) {
	org := newTestOrg(t)
	fleet := newIntegrityFleet(org)
	w := fleet.applied(t)
	server := snapshotServer(org)

	fleet.annFirstName = "Annie"
	w.write(t, fleet.config())
	out := strings.Join(strings.Fields(w.mustRun(t, "plan")), " ")
	for _, want := range []string{"Plan: 0 to add, 1 to change, 0 to destroy", "Operator names cannot be changed", `its name stays "Ann Lee"`} {
		if !strings.Contains(out, want) {
			t.Errorf("the plan does not say %q:\n%s", want, out)
		}
	}
	w.mustRun(t, "apply", "-auto-approve")
	assertServerUnchanged(t, org, server, "a first_name change")
	if show := w.mustRun(t, "state", "show", "chatwhizz_operator.ann"); !strings.Contains(show, `"Annie"`) {
		t.Errorf("the new first_name is not recorded:\n%s", show)
	}
	w.assertEmptyPlan(t)
}

// TestCLIDomainRenameKeepsAssignments: a domain's assignments follow its
// rename in place, with no call of their own, and keep their settings.
func TestCLIDomainRenameKeepsAssignments(t *testing.T) {
	org := newTestOrg(t)
	fleet := newIntegrityFleet(org)
	w := fleet.applied(t)
	oldName := fleet.shop
	before, _ := org.emu.Domain(oldName)

	fleet.shop = org.domain("store")
	w.write(t, fleet.config())
	if out := w.mustRun(t, "plan"); !strings.Contains(out, "Plan: 0 to add, 3 to change, 0 to destroy") {
		t.Fatalf("the rename should change the domain and its two assignments in place:\n%s", out)
	}
	calls := org.emu.Stats()
	w.mustRun(t, "apply", "-auto-approve")
	for route, n := range callsSince(calls, org.emu.Stats()) {
		if strings.Contains(route, "assign") {
			t.Errorf("following the rename cost %d calls of %s", n, route)
		}
	}
	if _, ok := org.emu.Domain(oldName); ok {
		t.Errorf("the old name %s still exists", oldName)
	}
	after, ok := org.emu.Domain(fleet.shop)
	if !ok || !reflect.DeepEqual(after.Assignments, before.Assignments) {
		t.Fatalf("assignments after the rename %+v, want %+v", after.Assignments, before.Assignments)
	}
	assertFleetSettled(t, org, fleet.shop)
	w.assertEmptyPlan(t)
}

// TestCLIReplaceUnderCreateBeforeDestroy: with create_before_destroy, the
// replacement of a domain or of an operator lands on the same server object
// (there is no delete); the deposed object's destroy leaves it alone, so
// everything ends active, assigned and with its settings.
func TestCLIReplaceUnderCreateBeforeDestroy(t *testing.T) {
	org := newTestOrg(t)
	fleet := newIntegrityFleet(org)
	fleet.createFirst = true
	w := fleet.applied(t)

	for _, addr := range []string{"chatwhizz_domain.shop", "chatwhizz_operator.ann", "chatwhizz_operator_assignment.shop_ann"} {
		out := w.mustRun(t, "apply", "-auto-approve", "-replace="+addr)
		if !strings.Contains(out, "left alone") {
			t.Errorf("-replace=%s: the destroy of the deposed object should say it left the object alone:\n%s", addr, out)
		}
		assertFleetSettled(t, org, fleet.shop)
		w.assertEmptyPlan(t)
	}
}
