package provider

// The organisation a test works in, the names it may use, and the API
// clients that act on it behind Terraform's back.

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"

	"github.com/chatwhizz/terraform-provider-chatwhizz/internal/chatwhizz"
	"github.com/chatwhizz/terraform-provider-chatwhizz/internal/emulator"
)

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
	sess, err := c.AccessToken(t.Context())
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
// adminOfflineAssignment makes, outside Terraform, a domain and an operator
// (named after domainLabel and operatorLabel) and an assignment of one to
// the other that is admin and offline: not a new assignment's settings.
func (o *testOrg) adminOfflineAssignment(t *testing.T, domainLabel, operatorLabel string) (string, *chatwhizz.Operator) {
	t.Helper()
	c := o.client(t)
	domain := o.domain(domainLabel)
	o.createDomain(t, domain, "owner@example.com")
	op := o.createOperator(t, chatwhizz.CreateOperatorInput{Email: o.email(operatorLabel)})
	if _, err := c.AssignOperator(t.Context(), chatwhizz.AssignInput{DomainName: domain, OperatorID: op.ID, IsAdmin: new(true)}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.UpdateAssignment(t.Context(), op.ID, chatwhizz.AssignmentUpdate{DomainName: domain, OnlineStatus: new(false)}); err != nil {
		t.Fatal(err)
	}
	return domain, op
}

func (o *testOrg) createDomain(t *testing.T, name, email string) {
	t.Helper()
	c := o.client(t)
	if _, err := c.CreateDomain(t.Context(), name, email); err != nil {
		t.Fatal(err)
	}
	madeByRun.add(madeObject{kind: kindDomain, name: name, addon: chatwhizz.AddonLiveChat, test: o.test})
	t.Cleanup(func() {
		if _, err := c.UpdateDomain(context.Background(), name, chatwhizz.DomainUpdate{Active: new(false)}); err != nil {
			t.Errorf("deactivating domain %s made by the test: %v", name, err)
		}
	})
}

// createOperator makes an operator behind Terraform's back, and deactivates
// it when the test ends.
func (o *testOrg) createOperator(t *testing.T, in chatwhizz.CreateOperatorInput) *chatwhizz.Operator {
	t.Helper()
	c := o.client(t)
	op, err := c.CreateOperator(t.Context(), in)
	if err != nil {
		t.Fatal(err)
	}
	madeByRun.add(madeObject{kind: kindOperator, name: in.Email, id: op.ID, addon: chatwhizz.AddonLiveChat, test: o.test})
	t.Cleanup(func() {
		if err := c.SetOperatorActive(context.Background(), op.ID, false); err != nil {
			t.Errorf("deactivating operator %s made by the test: %v", op.ID, err)
		}
	})
	return op
}
