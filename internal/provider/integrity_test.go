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
	// operatorIDs are the operators' ids once applied: how the API finds them.
	operatorIDs []string
}

func newIntegrityFleet(org *testOrg) *integrityFleet {
	return &integrityFleet{org: org, shop: org.domain("shop"), annFirstName: "Ann", providerBlock: org.providerBlock(chatwhizz.AddonLiveChat)}
}

func (f *integrityFleet) blog() string { return f.org.domain("blog") }

func (f *integrityFleet) config() string {
	lifecycle := ""
	if f.createFirst {
		lifecycle = "\n  lifecycle {\n    create_before_destroy = true\n  }\n"
	}
	return f.providerBlock +
		domainBlock("shop", f.shop, lifecycle) + domainBlock("blog", f.blog(), lifecycle) +
		operatorBlock("ann", f.org.email("ann"), fmt.Sprintf("first_name = %q\nlast_name  = \"Lee\"\n", f.annFirstName)+lifecycle) +
		operatorBlock("bob", f.org.email("bob"), lifecycle) +
		assignmentBlock("shop_ann", "chatwhizz_domain.shop.name", "chatwhizz_operator.ann.id", "is_admin = true\n"+lifecycle) +
		assignmentBlock("shop_bob", "chatwhizz_domain.shop.name", "chatwhizz_operator.bob.id", "online_status = false\n"+lifecycle) +
		assignmentBlock("blog_ann", "chatwhizz_domain.blog.name", "chatwhizz_operator.ann.id", lifecycle)
}

// serverSnapshot is what the server holds of the fleet: through the API,
// its domains and operators; on the emulator, also every assignment with
// its settings, which the API cannot read.
type serverSnapshot struct {
	Domains   map[string]chatwhizz.Domain
	Operators map[string]chatwhizz.Operator
	Emulator  *emulatorSnapshot
}

type emulatorSnapshot struct {
	Domains   []emulator.DomainRecord
	Operators []emulator.OperatorRecord
}

func (f *integrityFleet) snapshot(t *testing.T) serverSnapshot {
	t.Helper()
	c := f.org.client(t)
	snap := serverSnapshot{Domains: map[string]chatwhizz.Domain{}, Operators: map[string]chatwhizz.Operator{}}
	for _, name := range []string{f.shop, f.blog()} {
		d, err := c.GetDomain(t.Context(), name)
		if err != nil {
			t.Fatalf("domain %s: %v", name, err)
		}
		snap.Domains[name] = *d
	}
	for _, id := range f.operatorIDs {
		op, err := c.GetOperator(t.Context(), id)
		if err != nil {
			t.Fatalf("operator %s: %v", id, err)
		}
		// Presence is the operator's own doing, not the provider's: a live
		// server may change it between two snapshots.
		op.Presence = 0
		snap.Operators[id] = *op
	}
	if emu := f.org.emu; emu != nil {
		snap.Emulator = &emulatorSnapshot{Domains: emu.Domains(f.org.Domain), Operators: emu.Operators(f.org.Domain)}
	}
	return snap
}

func (f *integrityFleet) assertServerUnchanged(t *testing.T, before serverSnapshot, after string) {
	t.Helper()
	if now := f.snapshot(t); !reflect.DeepEqual(now, before) {
		t.Fatalf("after %s the server changed:\n before %+v\n now    %+v", after, before, now)
	}
}

// assertSettled checks the fleet on the server: both domains and operators
// active and, on the emulator, nothing else and each assignment with the
// settings of the configuration.
func (f *integrityFleet) assertSettled(t *testing.T) {
	t.Helper()
	snap := f.snapshot(t)
	for name, d := range snap.Domains {
		if !d.Active {
			t.Errorf("domain %s is inactive", name)
		}
	}
	for id, op := range snap.Operators {
		if !op.Active {
			t.Errorf("operator %s (%s) is inactive", id, op.Email)
		}
	}
	if snap.Emulator == nil {
		return
	}
	domains, operators := snap.Emulator.Domains, snap.Emulator.Operators
	if len(domains) != 2 || len(operators) != 2 {
		t.Fatalf("the server holds %d domains and %d operators, want 2 and 2: %+v", len(domains), len(operators), snap.Emulator)
	}
	ids := map[string]string{}
	for _, op := range operators {
		ids[op.Email] = op.ID
	}
	ann, bob := ids[f.org.email("ann")], ids[f.org.email("bob")]
	want := map[string]map[string]emulator.AssignmentRecord{
		f.shop: {
			ann: {OperatorID: ann, IsAdmin: true, OnlineStatus: true, Status: true},
			bob: {OperatorID: bob, OnlineStatus: false, Status: true},
		},
		f.blog(): {
			ann: {OperatorID: ann, OnlineStatus: true, Status: true},
		},
	}
	for _, d := range domains {
		if !reflect.DeepEqual(d.Assignments, want[d.Name]) {
			t.Errorf("domain %s assignments %+v, want %+v", d.Name, d.Assignments, want[d.Name])
		}
	}
}

// applied writes the fleet's configuration in a new workspace and applies it.
func (f *integrityFleet) applied(t *testing.T) *cliWorkspace {
	t.Helper()
	w := newCLIWorkspace(t, f.org, f.config())
	w.mustRun(t, "apply", "-auto-approve")
	f.operatorIDs = nil
	for _, r := range w.stateResources(t) {
		if r.Type == "chatwhizz_operator" {
			f.operatorIDs = append(f.operatorIDs, fmt.Sprint(r.Values["id"]))
		}
	}
	f.assertSettled(t)
	return w
}

// TestCLIFailedLoginLosesNothing: with a wrong base_url, a wrong password,
// a login answered 404 "User not found", or a login that works while every
// object call is refused 401 "Access token not found" (API access revoked),
// plan, apply, destroy (with and without refresh) and import each fail
// naming the cause; the state still
// holds every object, and the server still has each one active, assigned and
// with its settings.
func TestCLIFailedLoginLosesNothing(t *testing.T) {
	org := newIsolatedTestOrg(t)
	fleet := newIntegrityFleet(org)
	w := fleet.applied(t)
	good := fleet.providerBlock
	state, server := w.stateList(t), fleet.snapshot(t)
	revoked := newFaultProxy(t, org.baseURL)
	revoked.refuseObjectCalls(401, `{"status":0,"message":"Access token not found"}`)

	cases := []struct {
		name          string
		providerBlock string
		loginNotFound bool
		// cause is what the provider says; the emulator's own words too.
		cause, emulatorSays []string
	}{
		{"wrong base_url", strings.Replace(good, org.baseURL, org.baseURL+"wrong/path/", 1), false, []string{"check base_url"}, []string{"route not found"}},
		{"wrong password", strings.Replace(good, org.Password, "not-the-password", 1), false, []string{"could not log in"}, []string{"invalid credentials"}},
		{"login answered 404", good, true, []string{"check base_url"}, []string{"User not found for this organisation"}},
		{"object calls answered 401 not found", strings.Replace(good, org.baseURL, revoked.url, 1), false, []string{"Access token not found"}, nil},
	}
	commands := [][]string{
		{"plan"},
		{"apply", "-auto-approve"},
		{"destroy", "-auto-approve"},
		{"destroy", "-auto-approve", "-refresh=false"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if tc.loginNotFound {
				org.backDoor(t, "answer the login 404")
			}
			fleet.providerBlock = tc.providerBlock
			w.write(t, fleet.config())
			if org.emu != nil {
				org.emu.SetKnobs(emulator.Knobs{LoginUserNotFound: tc.loginNotFound})
				tc.cause = append(tc.cause, tc.emulatorSays...)
			}
			for _, args := range commands {
				fleet.assertRefusedAndUnchanged(t, w, tc.name+": "+strings.Join(args, " "), tc.cause, state, server, args...)
			}
			fleet.assertImportRefused(t, w, tc.name, tc.cause[0], state)
		})
	}

	if org.emu != nil {
		org.emu.SetKnobs(emulator.Knobs{})
	}
	fleet.providerBlock = good
	w.write(t, fleet.config())
	w.assertEmptyPlan(t)
}

// assertRefusedAndUnchanged runs the command args, what, and checks that it
// fails naming each of causes, claims nothing done, and changes neither the
// state nor the server.
func (f *integrityFleet) assertRefusedAndUnchanged(t *testing.T, w *cliWorkspace, what string, causes []string, state string, server serverSnapshot, args ...string) {
	t.Helper()
	out, code := w.run(t, nil, args...)
	out = strings.Join(strings.Fields(out), " ") // the CLI wraps long messages
	if code == 0 {
		t.Fatalf("%s succeeded:\n%s", what, out)
	}
	for _, cause := range causes {
		if !strings.Contains(out, cause) {
			t.Errorf("%s: the error does not say %q:\n%s", what, cause, out)
		}
	}
	for _, lie := range []string{"Destroy complete", "no longer exists", "removed from the state", "will be created"} {
		if strings.Contains(out, lie) {
			t.Errorf("%s: the output says %q:\n%s", what, lie, out)
		}
	}
	if now := w.stateList(t); now != state {
		t.Fatalf("%s changed the state:\n%s\nwas:\n%s", what, now, state)
	}
	f.assertServerUnchanged(t, server, what)
}

// assertImportRefused: an import reads the object: it fails the same way,
// naming cause, and records nothing.
func (f *integrityFleet) assertImportRefused(t *testing.T, w *cliWorkspace, name, cause, state string) {
	t.Helper()
	extra := f.org.domain("extra")
	w.write(t, f.config()+fmt.Sprintf("resource \"chatwhizz_domain\" \"extra\" {\n  name  = %q\n  email = \"owner@example.com\"\n}\n", extra))
	out, code := w.run(t, nil, "import", "chatwhizz_domain.extra", extra)
	if out = strings.Join(strings.Fields(out), " "); code == 0 || !strings.Contains(out, cause) {
		t.Errorf("%s: import exited %d without naming the cause:\n%s", name, code, out)
	}
	if now := w.stateList(t); now != state {
		t.Fatalf("%s: import changed the state:\n%s\nwas:\n%s", name, now, state)
	}
}

// TestCLIImportedAssignmentKeepsItsSettings: an admin, offline assignment
// made outside Terraform, imported with an import block and
// `plan -generate-config-out`, then applied, is still admin and offline,
// and the next plan is empty.
func TestCLIImportedAssignmentKeepsItsSettings(t *testing.T) {
	org := newTestOrg(t)
	domain, op := org.adminOfflineAssignment(t, "imported", "admin")

	w := newCLIWorkspace(t, org, org.liveChat(fmt.Sprintf(`
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
	// The API cannot read an assignment's settings back: only the emulator
	// shows that they are untouched.
	if org.emu != nil {
		want := emulator.AssignmentRecord{OperatorID: op.ID, IsAdmin: true, OnlineStatus: false, Status: true}
		d, _ := org.emu.Domain(domain)
		if got := d.Assignments[op.ID]; got != want {
			t.Fatalf("after importing and applying the generated configuration the assignment is %+v, want %+v\ngenerated:\n%s", got, want, generated)
		}
	}
	w.assertEmptyPlan(t)
}

// TestCLIOperatorNameChangeReplacesNothing: a new first_name is recorded in
// place with a warning when applied; nothing on the server changes.
func TestCLIOperatorNameChangeReplacesNothing(t *testing.T) {
	fleet := newIntegrityFleet(newTestOrg(t))
	w := fleet.applied(t)
	server := fleet.snapshot(t)

	fleet.annFirstName = "Annie"
	w.write(t, fleet.config())
	out := strings.Join(strings.Fields(w.mustRun(t, "apply", "-auto-approve")), " ")
	for _, want := range []string{"Plan: 0 to add, 1 to change, 0 to destroy", "Operator names cannot be changed", `its name stays "Ann Lee"`} {
		if !strings.Contains(out, want) {
			t.Errorf("the apply does not say %q:\n%s", want, out)
		}
	}
	fleet.assertServerUnchanged(t, server, "a first_name change")
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
	var before emulator.DomainRecord
	var calls emulator.Stats
	if org.emu != nil {
		before, _ = org.emu.Domain(oldName)
	}

	fleet.shop = org.domain("store")
	w.write(t, fleet.config())
	if out := w.mustRun(t, "plan"); !strings.Contains(out, "Plan: 0 to add, 3 to change, 0 to destroy") {
		t.Fatalf("the rename should change the domain and its two assignments in place:\n%s", out)
	}
	if org.emu != nil {
		calls = org.emu.Stats()
	}
	w.mustRun(t, "apply", "-auto-approve")
	if err := org.checkDomainsAbsent(oldName)(nil); err != nil {
		t.Errorf("the old name after the rename: %v", err)
	}
	fleet.assertSettled(t)
	w.assertEmptyPlan(t)
	// Only the emulator counts calls and shows assignments.
	if org.emu == nil {
		return
	}
	for route, n := range callsSince(calls, org.emu.Stats()) {
		if strings.Contains(route, "assign") {
			t.Errorf("following the rename cost %d calls of %s", n, route)
		}
	}
	if after, _ := org.emu.Domain(fleet.shop); !reflect.DeepEqual(after.Assignments, before.Assignments) {
		t.Fatalf("assignments after the rename %+v, want %+v", after.Assignments, before.Assignments)
	}
}

// TestCLIReplaceUnderCreateBeforeDestroy: with create_before_destroy, the
// replacement of a domain or of an operator lands on the same server object
// (there is no delete); the deposed object's destroy leaves it alone, so
// everything ends active, assigned and with its settings.
func TestCLIReplaceUnderCreateBeforeDestroy(t *testing.T) {
	fleet := newIntegrityFleet(newTestOrg(t))
	fleet.createFirst = true
	w := fleet.applied(t)

	for _, addr := range []string{"chatwhizz_domain.shop", "chatwhizz_operator.ann", "chatwhizz_operator_assignment.shop_ann"} {
		out := w.mustRun(t, "apply", "-auto-approve", "-replace="+addr)
		if !strings.Contains(out, "left alone") {
			t.Errorf("-replace=%s: the destroy of the deposed object should say it left the object alone:\n%s", addr, out)
		}
		fleet.assertSettled(t)
		w.assertEmptyPlan(t)
	}
}
