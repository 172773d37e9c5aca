package provider

// TestMain, and the servers the acceptance tests run against.
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
//
// The shared helpers, by file: org_test.go (a test's organisation, its names
// and API clients), servercheck_test.go (what the server holds),
// leftovers_test.go (what a test made, checked deactivated and reported),
// cli_test.go (the CLI driver) and providerbinary_test.go (the binary a few
// of its tests run), configs_test.go (shared configurations), versions_test.go (what the
// CLI under test supports).

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/echoprovider"

	"github.com/chatwhizz/terraform-provider-chatwhizz/internal/chatwhizz"
	"github.com/chatwhizz/terraform-provider-chatwhizz/internal/emulator"
	"github.com/chatwhizz/terraform-provider-chatwhizz/internal/protocol"
	"github.com/chatwhizz/terraform-provider-chatwhizz/internal/stateupgrade"
)

// testAccProtoV6ProviderFactories serves the provider in process to the real
// CLI named by TF_ACC_TERRAFORM_PATH, as main.go does; echo lets tests look
// at ephemeral values.
var testAccProtoV6ProviderFactories = map[string]func() (tfprotov6.ProviderServer, error){
	"chatwhizz": newProtocolServer,
	"echo":      echoprovider.NewProviderServer(),
}

// newProtocolServer is the provider's protocol server as internal/serve
// serves it: through internal/protocol and internal/stateupgrade.
func newProtocolServer() (tfprotov6.ProviderServer, error) {
	framework, err := protocol.New(providerserver.NewProtocol6(New("test")())())
	if err != nil {
		return nil, err
	}
	return stateupgrade.New(framework), nil
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
