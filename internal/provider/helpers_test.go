package provider

// The shared helpers of the provider's tests.
//
// Acceptance tests run against one of two servers:
//
//   - By default, the emulator in this process. Every test gets an
//     organisation of its own on it, and the tests that need the emulator's
//     back doors (faults, token lifetimes, call counts, objects deleted behind
//     the API's back) use them.
//   - In live mode, any server of the contract: CHATWHIZZ_ACC_BASE_URL and the
//     other CHATWHIZZ_ACC_* variables name one organisation that every test
//     shares (`make testacc-live`). Every name carries the run's prefix, so
//     tests and runs never meet each other's objects; checks go through the
//     API; a test that needs a back door skips, saying why; and the run ends by
//     printing what it left behind, since the API deletes nothing.
//
// Both kinds need TF_ACC and a CLI in TF_ACC_TERRAFORM_PATH; without TF_ACC
// they skip, so a bare `go test ./...` runs only the unit tests.

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/hashicorp/go-version"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/echoprovider"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/chatwhizz/terraform-provider-chatwhizz/internal/chatwhizz"
	"github.com/chatwhizz/terraform-provider-chatwhizz/internal/emulator"
	"github.com/chatwhizz/terraform-provider-chatwhizz/internal/protocol"
)

// testAccProtoV6ProviderFactories serves the provider in process to the real
// CLI named by TF_ACC_TERRAFORM_PATH, through internal/protocol as main.go
// does; echo lets tests look at ephemeral values.
var testAccProtoV6ProviderFactories = map[string]func() (tfprotov6.ProviderServer, error){
	"chatwhizz": func() (tfprotov6.ProviderServer, error) {
		return protocol.New(providerserver.NewProtocol6(New("test")())())
	},
	"echo": echoprovider.NewProviderServer(),
}

var (
	// sharedEmulator serves every acceptance test that needs no emulator of
	// its own, when not in live mode.
	sharedEmulator *emulator.Emulator
	sharedBaseURL  string
	// live is the server of live mode; nil otherwise.
	live *liveServer
	// runPrefix is in every name this run gives a domain or an operator.
	runPrefix   = "tfacc-" + randomHex(3)
	testCounter atomic.Int64
	// madeByRun is everything the run put on the server, for the report.
	madeByRun = &objectLog{}
)

func TestMain(m *testing.M) {
	var err error
	if live, err = liveServerFromEnv(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	stop := func() {}
	if live == nil {
		sharedEmulator, sharedBaseURL, stop = emulator.Start(emulator.Knobs{})
	}
	code := m.Run()
	if live != nil {
		madeByRun.report(os.Stdout, live)
	}
	stop()
	removeProviderBinary()
	os.Exit(code)
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// skipUnlessAcceptance follows the framework's convention: acceptance tests
// run only with TF_ACC set, and then need a CLI.
func skipUnlessAcceptance(t *testing.T) {
	t.Helper()
	if os.Getenv("TF_ACC") == "" {
		t.Skip("acceptance test: set TF_ACC=1 and TF_ACC_TERRAFORM_PATH (make testacc does)")
	}
	testAccPreCheck(t)
}

func testAccPreCheck(t *testing.T) {
	t.Helper()
	if os.Getenv("TF_ACC_TERRAFORM_PATH") == "" {
		t.Fatal("TF_ACC_TERRAFORM_PATH must name the Terraform or OpenTofu CLI to test with (make testacc sets it)")
	}
}

// Live mode.

// The variables of live mode, as README.md documents them.
var liveEnv = struct{ baseURL, email, password, organisationDomain, addons string }{
	"CHATWHIZZ_ACC_BASE_URL", "CHATWHIZZ_ACC_EMAIL", "CHATWHIZZ_ACC_PASSWORD",
	"CHATWHIZZ_ACC_ORGANISATION_DOMAIN", "CHATWHIZZ_ACC_ADDONS",
}

// liveServer is the organisation every test of live mode shares.
type liveServer struct {
	baseURL string
	org     emulator.Organisation
	clients *apiClients
}

func liveServerFromEnv() (*liveServer, error) {
	base := os.Getenv(liveEnv.baseURL)
	if base == "" {
		return nil, nil
	}
	var missing []string
	for _, k := range []string{liveEnv.email, liveEnv.password, liveEnv.organisationDomain, liveEnv.addons} {
		if os.Getenv(k) == "" {
			missing = append(missing, k)
		}
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("live mode (%s is set) also needs %s", liveEnv.baseURL, strings.Join(missing, ", "))
	}
	var addons []string
	for a := range strings.SplitSeq(os.Getenv(liveEnv.addons), ",") {
		a = strings.TrimSpace(a)
		if !slices.Contains(chatwhizz.KnownAddons, a) {
			return nil, fmt.Errorf("%s: unknown addon %q (known: %s)", liveEnv.addons, a, strings.Join(chatwhizz.KnownAddons, ", "))
		}
		addons = append(addons, a)
	}
	if !slices.Contains(addons, chatwhizz.AddonLiveChat) {
		return nil, fmt.Errorf("%s must include %s: most tests use it", liveEnv.addons, chatwhizz.AddonLiveChat)
	}
	if !strings.HasSuffix(base, "/") {
		base += "/"
	}
	s := &liveServer{baseURL: base, org: emulator.Organisation{
		Email: os.Getenv(liveEnv.email), Password: os.Getenv(liveEnv.password),
		Domain: os.Getenv(liveEnv.organisationDomain), Addons: addons,
	}}
	s.clients = newAPIClients(base, s.org)
	return s, nil
}

// skipInLiveMode skips a test that needs the emulator's back door, saying
// what for.
func skipInLiveMode(t *testing.T, needs string) {
	t.Helper()
	if live != nil {
		t.Skip("live mode: needs the emulator to " + needs)
	}
}

// Organisations.

// testOrg is the organisation a test works in, and the names it may use.
type testOrg struct {
	baseURL string
	emulator.Organisation
	// emu is the server's back door: nil in live mode.
	emu *emulator.Emulator
	// prefix is in every name the test uses: domains are global, and in live
	// mode operators are shared by every test and run.
	prefix  string
	test    string
	clients *apiClients

	mu sync.Mutex
	// made is what Terraform put on the server in this test.
	made map[string]madeObject
}

// newTestOrg is the organisation of an acceptance test: its own on the
// shared emulator, or the live one.
func newTestOrg(t *testing.T) *testOrg {
	t.Helper()
	skipUnlessAcceptance(t)
	if live == nil {
		return newTestOrgOn(t, sharedEmulator, sharedBaseURL)
	}
	o := &testOrg{baseURL: live.baseURL, Organisation: live.org, clients: live.clients}
	return o.named(t, testCounter.Add(1))
}

// newTestOrgOn adds an organisation with both addons to an emulator.
func newTestOrgOn(t *testing.T, emu *emulator.Emulator, baseURL string) *testOrg {
	t.Helper()
	n := testCounter.Add(1)
	org := emulator.Organisation{
		Domain:   fmt.Sprintf("org%d", n),
		Email:    fmt.Sprintf("admin%d@example.com", n),
		Password: fmt.Sprintf("secret-password-%d", n),
		Addons:   []string{emulator.AddonLiveChat, emulator.AddonSellerBuyer},
	}
	emu.AddOrganisation(org)
	o := &testOrg{baseURL: baseURL, Organisation: org, emu: emu, clients: newAPIClients(baseURL, org)}
	return o.named(t, n)
}

// named gives the organisation the test's n, unique in the run.
func (o *testOrg) named(t *testing.T, n int64) *testOrg {
	o.prefix = fmt.Sprintf("%s-%d", runPrefix, n)
	o.test = t.Name()
	o.made = map[string]madeObject{}
	return o
}

// newOwnEmulator starts an emulator for one test that needs its knobs, and
// an organisation on it; in live mode the test skips, saying what for.
func newOwnEmulator(t *testing.T, k emulator.Knobs, needs string) *testOrg {
	t.Helper()
	skipUnlessAcceptance(t)
	skipInLiveMode(t, needs)
	emu, base, stop := emulator.Start(k)
	t.Cleanup(stop)
	return newTestOrgOn(t, emu, base)
}

// newIsolatedTestOrg is an organisation on an emulator of its own, whose
// knobs the test may turn without disturbing others; or the live one.
func newIsolatedTestOrg(t *testing.T) *testOrg {
	t.Helper()
	if live != nil {
		return newTestOrg(t)
	}
	return newOwnEmulator(t, emulator.Knobs{}, "")
}

// theEmulatorSays is a pattern for the emulator's own words, which a live
// server of the contract words its own way.
func theEmulatorSays(org *testOrg, pattern string) string {
	if org.emu == nil {
		return ""
	}
	return pattern
}

// backDoor is the emulator of a test on the shared organisation that needs
// it; in live mode the test skips, saying what for.
func (o *testOrg) backDoor(t *testing.T, needs string) *emulator.Emulator {
	t.Helper()
	skipInLiveMode(t, needs)
	return o.emu
}

// requireSellerBuyer skips a test of live mode whose organisation lacks the
// seller-buyer addon.
func (o *testOrg) requireSellerBuyer(t *testing.T) {
	t.Helper()
	if !slices.Contains(o.Addons, chatwhizz.AddonSellerBuyer) {
		t.Skipf("live mode: the organisation has no %s addon (%s)", chatwhizz.AddonSellerBuyer, liveEnv.addons)
	}
}

// domain is a host name unique to this test and run.
func (o *testOrg) domain(label string) string { return label + "." + o.prefix + ".example.com" }

// email is an operator's email unique to this test and run.
func (o *testOrg) email(label string) string { return label + "." + o.prefix + "@example.com" }

// providerBlock configures the provider for this organisation and addon.
func (o *testOrg) providerBlock(addon string) string {
	return fmt.Sprintf(`
provider "chatwhizz" {
  base_url            = %q
  email               = %q
  password            = %q
  organisation_domain = %q
  addon_unique_name   = %q
}
`, o.baseURL, o.Email, o.Password, o.Domain, addon)
}

// env holds the organisation's credentials as the provider's environment
// variables: the way to keep them out of configuration, plans and state.
func (o *testOrg) env(addon string) []string {
	return []string{
		"CHATWHIZZ_BASE_URL=" + o.baseURL, "CHATWHIZZ_EMAIL=" + o.Email, "CHATWHIZZ_PASSWORD=" + o.Password,
		"CHATWHIZZ_ORGANISATION_DOMAIN=" + o.Domain, "CHATWHIZZ_ADDON_UNIQUE_NAME=" + addon,
	}
}

func (o *testOrg) liveChat(body string) string {
	return o.providerBlock(chatwhizz.AddonLiveChat) + body
}

func (o *testOrg) sellerBuyer(body string) string {
	return o.providerBlock(chatwhizz.AddonSellerBuyer) + body
}

// The API behind Terraform's back.

// apiClients holds one client per addon, so that checks log in once.
type apiClients struct {
	baseURL string
	org     emulator.Organisation
	mu      sync.Mutex
	byAddon map[string]*chatwhizz.Client
}

func newAPIClients(baseURL string, org emulator.Organisation) *apiClients {
	return &apiClients{baseURL: baseURL, org: org, byAddon: map[string]*chatwhizz.Client{}}
}

func (a *apiClients) get(addon string) (*chatwhizz.Client, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if c, ok := a.byAddon[addon]; ok {
		return c, nil
	}
	c, err := newAPIClient(a.baseURL, a.org, addon)
	if err == nil {
		a.byAddon[addon] = c
	}
	return c, err
}

func newAPIClient(baseURL string, org emulator.Organisation, addon string) (*chatwhizz.Client, error) {
	return chatwhizz.New(chatwhizz.Config{
		BaseURL: baseURL, Email: org.Email, Password: org.Password,
		OrganisationDomain: org.Domain, AddonUniqueName: addon,
	})
}

// client talks to the organisation's live_chat addon behind Terraform's back.
func (o *testOrg) client(t *testing.T) *chatwhizz.Client {
	t.Helper()
	return o.clientFor(t, chatwhizz.AddonLiveChat)
}

func (o *testOrg) clientFor(t *testing.T, addon string) *chatwhizz.Client {
	t.Helper()
	c, err := o.clients.get(addon)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// setTokenPairEnv logs in and puts the pair in the provider's environment
// variables. The pair is one of its own: the provider's renewals retire the
// pair they are given, which must not be the pair of the test's checks.
func (o *testOrg) setTokenPairEnv(t *testing.T) {
	t.Helper()
	sess := o.newTokenPair(t)
	t.Setenv("CHATWHIZZ_ACCESS_TOKEN", sess.AccessToken)
	t.Setenv("CHATWHIZZ_REFRESH_TOKEN", sess.RefreshToken)
}

// newTokenPair logs in afresh for the live_chat addon: a pair nobody else
// holds.
func (o *testOrg) newTokenPair(t *testing.T) chatwhizz.Session {
	t.Helper()
	c, err := newAPIClient(o.baseURL, o.Organisation, chatwhizz.AddonLiveChat)
	if err != nil {
		t.Fatal(err)
	}
	sess, err := c.AccessToken(ctx())
	if err != nil {
		t.Fatal(err)
	}
	return sess
}

// tokenPairEnv configures a CLI run's provider with pair alone, on the
// live_chat addon: the login that the workspace may hold is blanked.
func (o *testOrg) tokenPairEnv(pair chatwhizz.Session) []string {
	return []string{
		"CHATWHIZZ_BASE_URL=" + o.baseURL, "CHATWHIZZ_ADDON_UNIQUE_NAME=" + chatwhizz.AddonLiveChat,
		"CHATWHIZZ_EMAIL=", "CHATWHIZZ_PASSWORD=", "CHATWHIZZ_ORGANISATION_DOMAIN=",
		"CHATWHIZZ_ACCESS_TOKEN=" + pair.AccessToken, "CHATWHIZZ_REFRESH_TOKEN=" + pair.RefreshToken,
	}
}

// createDomain makes a domain behind Terraform's back, and deactivates it
// when the test ends.
func (o *testOrg) createDomain(t *testing.T, name, email string) {
	t.Helper()
	c := o.client(t)
	if _, err := c.CreateDomain(ctx(), name, email); err != nil {
		t.Fatal(err)
	}
	madeByRun.add(madeObject{kind: kindDomain, name: name, addon: chatwhizz.AddonLiveChat, test: o.test})
	t.Cleanup(func() {
		if _, err := c.UpdateDomain(ctx(), name, chatwhizz.DomainUpdate{Active: new(false)}); err != nil {
			t.Errorf("deactivating domain %s made by the test: %v", name, err)
		}
	})
}

// createOperator makes an operator behind Terraform's back, and deactivates
// it when the test ends.
func (o *testOrg) createOperator(t *testing.T, in chatwhizz.CreateOperatorInput) *chatwhizz.Operator {
	t.Helper()
	c := o.client(t)
	op, err := c.CreateOperator(ctx(), in)
	if err != nil {
		t.Fatal(err)
	}
	madeByRun.add(madeObject{kind: kindOperator, name: in.Email, id: op.ID, addon: chatwhizz.AddonLiveChat, test: o.test})
	t.Cleanup(func() {
		if err := c.SetOperatorActive(ctx(), op.ID, false); err != nil {
			t.Errorf("deactivating operator %s made by the test: %v", op.ID, err)
		}
	})
	return op
}

// Checks through the API.

// checkDomainOnServer asserts what the server answers for a domain.
func (o *testOrg) checkDomainOnServer(name, email string, active bool) resource.TestCheckFunc {
	return func(*terraform.State) error {
		c, err := o.clients.get(chatwhizz.AddonLiveChat)
		if err != nil {
			return err
		}
		d, err := c.GetDomain(ctx(), name)
		switch {
		case err != nil:
			return fmt.Errorf("domain %s on the server: %w", name, err)
		case !strings.EqualFold(d.Email, email) || d.Active != active:
			return fmt.Errorf("domain %s on the server: email %q active %t, want %q %t", name, d.Email, d.Active, email, active)
		}
		return nil
	}
}

// checkDomainsAbsent asserts that the server has no domain by these names.
func (o *testOrg) checkDomainsAbsent(names ...string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		c, err := o.clients.get(chatwhizz.AddonLiveChat)
		if err != nil {
			return err
		}
		for _, name := range names {
			if _, err := c.GetDomain(ctx(), name); !errors.Is(err, chatwhizz.ErrNotFound) {
				return fmt.Errorf("domain %s: want not found, got %v", name, err)
			}
		}
		return nil
	}
}

// checkOperatorOnServer asserts what the server answers for the operator
// chatwhizz_operator.test.
func (o *testOrg) checkOperatorOnServer(email string, active bool) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		id, err := operatorID(s, "chatwhizz_operator.test")
		if err != nil {
			return err
		}
		c, err := o.clients.get(chatwhizz.AddonLiveChat)
		if err != nil {
			return err
		}
		op, err := c.GetOperator(ctx(), id)
		switch {
		case err != nil:
			return fmt.Errorf("operator %s on the server: %w", id, err)
		case !strings.EqualFold(op.Email, email) || op.Active != active:
			return fmt.Errorf("operator %s on the server: %s active=%t, want %s active=%t", id, op.Email, op.Active, email, active)
		}
		return nil
	}
}

// operatorID reads the operator id Terraform recorded.
func operatorID(s *terraform.State, addr string) (string, error) {
	rs, ok := s.RootModule().Resources[addr]
	if !ok {
		return "", fmt.Errorf("%s is not in the state", addr)
	}
	return rs.Primary.ID, nil
}

// What a test leaves behind.

const (
	kindDomain   = "domain"
	kindOperator = "operator"
)

// madeObject is a domain or an operator a test put on the server.
type madeObject struct {
	kind  string
	name  string // the domain's name, or the operator's email
	id    string // the operator's id
	addon string
	test  string
}

func (m madeObject) key() string { return m.kind + " " + m.addon + " " + m.name + " " + m.id }

// testCase completes a TestCase for this organisation: the provider
// factories, the pre-check, a record of every object the steps' states
// hold, and a CheckDestroy that checks through the API that each of them was
// left deactivated (the API has no delete), before the test's own.
func (o *testOrg) testCase(t *testing.T, tc resource.TestCase) resource.TestCase {
	tc.PreCheck = func() { testAccPreCheck(t) }
	tc.ProtoV6ProviderFactories = testAccProtoV6ProviderFactories
	for i := range tc.Steps {
		if s := &tc.Steps[i]; s.Config != "" && !s.ImportState && !s.PlanOnly && s.ExpectError == nil {
			s.Check = composeChecks(o.recordState, s.Check)
		}
	}
	tc.CheckDestroy = composeChecks(o.recordState, o.checkLeftDeactivated, tc.CheckDestroy)
	return tc
}

func composeChecks(checks ...resource.TestCheckFunc) resource.TestCheckFunc {
	return resource.ComposeTestCheckFunc(slices.DeleteFunc(checks, func(c resource.TestCheckFunc) bool { return c == nil })...)
}

// recordState records the domains and operators of a state.
func (o *testOrg) recordState(s *terraform.State) error {
	for key, rs := range s.RootModule().Resources {
		if strings.HasPrefix(key, "data.") || rs.Primary == nil {
			continue
		}
		attrs := rs.Primary.Attributes
		switch rs.Type {
		case "chatwhizz_domain":
			o.record(madeObject{kind: kindDomain, name: attrs["name"], addon: attrs["addon_unique_name"]})
		case "chatwhizz_operator":
			o.record(madeObject{kind: kindOperator, name: attrs["email"], id: rs.Primary.ID, addon: attrs["addon_unique_name"]})
		}
	}
	return nil
}

func (o *testOrg) record(m madeObject) {
	m.test = o.test
	o.mu.Lock()
	o.made[m.key()] = m
	o.mu.Unlock()
	madeByRun.add(m)
}

// checkLeftDeactivated checks through the API that every domain and
// operator the test made is inactive, or gone (renamed, or deleted through
// the emulator's back door).
func (o *testOrg) checkLeftDeactivated(*terraform.State) error {
	o.mu.Lock()
	made := make([]madeObject, 0, len(o.made))
	for _, m := range o.made {
		made = append(made, m)
	}
	o.mu.Unlock()
	var active []string
	for _, m := range made {
		state, err := o.clients.stateOf(m)
		if err != nil {
			return err
		}
		if state == stateActive {
			active = append(active, m.String())
		}
	}
	if len(active) > 0 {
		sort.Strings(active)
		return fmt.Errorf("still active after destroy: %s", strings.Join(active, "; "))
	}
	return nil
}

func (m madeObject) String() string {
	if m.kind == kindOperator {
		return fmt.Sprintf("operator %s (%s) for %s", m.id, m.name, m.addon)
	}
	return fmt.Sprintf("domain %s (%s)", m.name, m.addon)
}

const (
	stateActive   = "ACTIVE"
	stateInactive = "inactive"
	stateAbsent   = "not on the server (renamed or deleted)"
)

// stateOf reads an object through the API.
func (a *apiClients) stateOf(m madeObject) (string, error) {
	c, err := a.get(m.addon)
	if err != nil {
		return "", err
	}
	var active bool
	if m.kind == kindOperator {
		var op *chatwhizz.Operator
		if op, err = c.GetOperator(ctx(), m.id); err == nil {
			active = op.Active
		}
	} else {
		var d *chatwhizz.Domain
		if d, err = c.GetDomain(ctx(), m.name); err == nil {
			active = d.Active
		}
	}
	switch {
	case errors.Is(err, chatwhizz.ErrNotFound):
		return stateAbsent, nil
	case err != nil:
		return "", fmt.Errorf("reading %s: %w", m, err)
	case active:
		return stateActive, nil
	}
	return stateInactive, nil
}

// objectLog is every object the run made.
type objectLog struct {
	mu   sync.Mutex
	made map[string]madeObject
}

func (l *objectLog) add(m madeObject) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.made == nil {
		l.made = map[string]madeObject{}
	}
	l.made[m.key()] = m
}

// report prints what the run left on the live server, read back through the
// API, so that whoever owns the account knows.
func (l *objectLog) report(w io.Writer, s *liveServer) {
	l.mu.Lock()
	made := make([]madeObject, 0, len(l.made))
	for _, m := range l.made {
		made = append(made, m)
	}
	l.mu.Unlock()
	sort.Slice(made, func(i, j int) bool { return made[i].key() < made[j].key() })
	fmt.Fprintf(w, "\nLeft behind on %s by run %s (the API has no delete): %d objects\n", s.baseURL, runPrefix, len(made))
	stillActive := 0
	for _, m := range made {
		state, err := s.clients.stateOf(m)
		if err != nil {
			state = "unknown: " + err.Error()
		}
		if state == stateActive {
			stillActive++
		}
		name := m.name
		if m.kind == kindOperator {
			name = m.id + " " + m.name
		}
		fmt.Fprintf(w, "  %-8s %-24s %-72s %s  (%s)\n", m.kind, m.addon, name, state, m.test)
	}
	if stillActive > 0 {
		fmt.Fprintf(w, "%d of them are still ACTIVE: a test failed before its destroy. Deactivate them with the provider (import, then destroy) or the API.\n", stillActive)
	}
}

// The real CLI, driven as a user does.

var (
	buildOnce   sync.Once
	providerDir string
	buildErr    error
)

// providerBinary builds the provider once per test run, into a directory
// that TestMain removes: it outlives any single test.
func providerBinary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		providerDir, buildErr = os.MkdirTemp("", "chatwhizz-provider-") //nolint:usetesting // shared by every test of the run
		if buildErr != nil {
			return
		}
		_, file, _, _ := runtime.Caller(0)
		root := filepath.Join(filepath.Dir(file), "..", "..")
		cmd := exec.Command("go", "build", "-o", filepath.Join(providerDir, "terraform-provider-chatwhizz"), ".")
		cmd.Dir = root
		if out, err := cmd.CombinedOutput(); err != nil {
			buildErr = fmt.Errorf("building the provider: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return providerDir
}

func removeProviderBinary() {
	if providerDir != "" {
		_ = os.RemoveAll(providerDir)
	}
}

// providerEnv are the provider's own environment variables, cleared so that
// a test does not depend on its caller's environment.
var providerEnv = []string{
	"CHATWHIZZ_BASE_URL", "CHATWHIZZ_EMAIL", "CHATWHIZZ_PASSWORD", "CHATWHIZZ_ORGANISATION_DOMAIN",
	"CHATWHIZZ_ADDON_UNIQUE_NAME", "CHATWHIZZ_ACCESS_TOKEN", "CHATWHIZZ_REFRESH_TOKEN",
}

func clearProviderEnv(t *testing.T) {
	for _, k := range providerEnv {
		t.Setenv(k, "")
	}
}

// cliWorkspace is a directory with a configuration, run by the CLI named in
// TF_ACC_TERRAFORM_PATH, with the provider built from this tree found
// through a dev_overrides CLI configuration.
type cliWorkspace struct {
	dir string
	cli string
	env []string
	org *testOrg
}

// newCLIWorkspace writes the configuration for org (nil when it talks to no
// server under test). In live mode the workspace is destroyed when the test
// ends, and what it made checked deactivated.
func newCLIWorkspace(t *testing.T, org *testOrg, config string) *cliWorkspace {
	t.Helper()
	skipUnlessAcceptance(t)
	bin := providerBinary(t)
	dir := t.TempDir()
	rc := filepath.Join(dir, "dev.tfrc")
	overrides := fmt.Sprintf(`provider_installation {
  dev_overrides {
    "registry.terraform.io/chatwhizz/chatwhizz" = %q
    "registry.opentofu.org/chatwhizz/chatwhizz" = %q
  }
  direct {}
}
`, bin, bin)
	if err := os.WriteFile(rc, []byte(overrides), 0o600); err != nil {
		t.Fatal(err)
	}
	w := &cliWorkspace{dir: dir, cli: os.Getenv("TF_ACC_TERRAFORM_PATH"), org: org}
	w.env = append(os.Environ(), "TF_CLI_CONFIG_FILE="+rc, "TF_IN_AUTOMATION=1", "CHECKPOINT_DISABLE=1", "TF_LOG=")
	for _, k := range providerEnv {
		w.env = append(w.env, k+"=")
	}
	versions := "terraform {\n  required_providers {\n    chatwhizz = {\n      source = \"chatwhizz/chatwhizz\"\n    }\n  }\n}\n"
	if err := os.WriteFile(filepath.Join(dir, "versions.tf"), []byte(versions), 0o600); err != nil {
		t.Fatal(err)
	}
	w.write(t, config)
	if live != nil && org != nil {
		t.Cleanup(func() { w.leaveDeactivated(t) })
	}
	return w
}

// leaveDeactivated records what the workspace's state holds, destroys it,
// and checks through the API that all of it is deactivated.
func (w *cliWorkspace) leaveDeactivated(t *testing.T) {
	t.Helper()
	resources := w.stateResources(t)
	for _, r := range resources {
		switch r.Type {
		case "chatwhizz_domain":
			w.org.record(madeObject{kind: kindDomain, name: fmt.Sprint(r.Values["name"]), addon: fmt.Sprint(r.Values["addon_unique_name"])})
		case "chatwhizz_operator":
			w.org.record(madeObject{kind: kindOperator, name: fmt.Sprint(r.Values["email"]), id: fmt.Sprint(r.Values["id"]), addon: fmt.Sprint(r.Values["addon_unique_name"])})
		}
	}
	if len(resources) > 0 {
		if out, code := w.run(t, nil, "destroy", "-auto-approve"); code != 0 {
			t.Errorf("destroying what the test made: exit %d\n%s", code, out)
			return
		}
	}
	if err := w.org.checkLeftDeactivated(nil); err != nil {
		t.Error(err)
	}
}

func (w *cliWorkspace) write(t *testing.T, config string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(w.dir, "main.tf"), []byte(config), 0o600); err != nil {
		t.Fatal(err)
	}
}

// run runs one CLI command and returns its output and exit code.
func (w *cliWorkspace) run(t *testing.T, extraEnv []string, args ...string) (string, int) {
	t.Helper()
	cmd := exec.Command(w.cli, append(args, "-no-color")...)
	cmd.Dir = w.dir
	cmd.Env = append(append([]string{}, w.env...), extraEnv...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	code := 0
	if exitErr, ok := err.(*exec.ExitError); ok {
		code = exitErr.ExitCode()
	} else if err != nil {
		t.Fatalf("%s %s: %v", w.cli, strings.Join(args, " "), err)
	}
	return out.String(), code
}

// mustRun runs a command that must exit 0.
func (w *cliWorkspace) mustRun(t *testing.T, args ...string) string {
	t.Helper()
	out, code := w.run(t, nil, args...)
	if code != 0 {
		t.Fatalf("%s %s exited %d:\n%s", filepath.Base(w.cli), strings.Join(args, " "), code, out)
	}
	return out
}

func (w *cliWorkspace) assertEmptyPlan(t *testing.T) {
	t.Helper()
	out, code := w.run(t, nil, "plan", "-detailed-exitcode", "-parallelism=10")
	if code != 0 {
		t.Fatalf("plan is not empty (exit %d):\n%s", code, out)
	}
}

func (w *cliWorkspace) stateList(t *testing.T) string {
	t.Helper()
	return w.mustRun(t, "state", "list")
}

// stateResource is a resource of the root module in `show -json`.
type stateResource struct {
	Type   string         `json:"type"`
	Values map[string]any `json:"values"`
}

func (w *cliWorkspace) stateResources(t *testing.T) []stateResource {
	t.Helper()
	out := w.mustRun(t, "show", "-json")
	var state struct {
		Values struct {
			RootModule struct {
				Resources []stateResource `json:"resources"`
			} `json:"root_module"`
		} `json:"values"`
	}
	if err := json.Unmarshal([]byte(out), &state); err != nil {
		t.Fatalf("show -json: %v\n%s", err, out)
	}
	return state.Values.RootModule.Resources
}

// Configurations.

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

// assertFleetOnServer checks, on the emulator, that the organisation holds
// exactly the fleet: every domain and operator once, active as wanted, every
// assignment present.
func assertFleetOnServer(t *testing.T, org *testOrg, domains, operators int, active bool) {
	t.Helper()
	ds, ops := org.emu.Domains(org.Domain), org.emu.Operators(org.Domain)
	if len(ds) != domains || len(ops) != operators {
		t.Fatalf("the server holds %d domains and %d operators, want exactly %d and %d", len(ds), len(ops), domains, operators)
	}
	for _, d := range ds {
		if d.Active != active {
			t.Errorf("domain %s active=%t, want %t", d.Name, d.Active, active)
		}
		if len(d.Assignments) != operators {
			t.Errorf("domain %s has %d assignments, want %d", d.Name, len(d.Assignments), operators)
		}
		for _, a := range d.Assignments {
			if a.OnlineStatus != active {
				t.Errorf("assignment %s/%s online=%t, want %t", d.Name, a.OperatorID, a.OnlineStatus, active)
			}
		}
	}
	for _, op := range ops {
		if op.ActiveAddons[emulator.AddonLiveChat] != active {
			t.Errorf("operator %s active=%t, want %t", op.Email, op.ActiveAddons[emulator.AddonLiveChat], active)
		}
	}
}

// callsSince is the API calls by route between two readings of the stats.
func callsSince(before, after emulator.Stats) map[string]int {
	d := map[string]int{}
	for route, n := range after.Requests {
		if n -= before.Requests[route]; n != 0 {
			d[route] = n
		}
	}
	return d
}

// CLI versions.

// usingOpenTofu tells the CLIs apart: OpenTofu reports its own version.
func usingOpenTofu() bool {
	return os.Getenv("TF_ACC_PROVIDER_HOST") == "registry.opentofu.org"
}

// ephemeralSince is the first version of the CLI under test with ephemeral
// resources.
func ephemeralSince() *version.Version {
	if usingOpenTofu() {
		return version.Must(version.NewVersion("1.11.0"))
	}
	return tfversion.Version1_10_0
}

// skipBelowEphemeral skips where the CLI has no ephemeral resources.
func skipBelowEphemeral() tfversion.TerraformVersionCheck {
	return tfversion.SkipBelow(ephemeralSince())
}

// ephemeralSupported asks the CLI its version.
func ephemeralSupported(t *testing.T) bool {
	t.Helper()
	out, err := exec.Command(os.Getenv("TF_ACC_TERRAFORM_PATH"), "version", "-json").Output()
	if err != nil {
		t.Fatal(err)
	}
	var v struct {
		Version string `json:"terraform_version"`
	}
	if err := json.Unmarshal(out, &v); err != nil {
		t.Fatal(err)
	}
	have, err := version.NewVersion(v.Version)
	if err != nil {
		t.Fatal(err)
	}
	return have.Core().GreaterThanOrEqual(ephemeralSince())
}

func ctx() context.Context { return context.Background() }
