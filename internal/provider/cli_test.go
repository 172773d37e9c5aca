package provider

// The real CLI, driven as a user does: a workspace with a configuration,
// run by the CLI named in TF_ACC_TERRAFORM_PATH. The one way tests run a CLI
// outside resource.Test (cliCommand).
//
// Each command gets a fresh provider served from this process, as
// resource.Test serves it (see serveProvider), so that each command meets a
// provider of its own as in a real run, and no test waits for a build. A
// test that needs provider processes of its own opts into the binary
// (useProviderBinary), saying why.
//
// Not terraform-exec: the tests read a command's stdout and stderr together
// as a user sees them (warnings and errors among the progress), take any
// exit code (plan -detailed-exitcode's 2, a failed apply's 1), run any
// command (terraform test, state rm, import, apply -replace), set TF_LOG and
// TF_LOG_PATH per run (which tfexec's SetEnv refuses), and signal a running
// apply and its provider processes as a group (reliability_test.go). Nor
// terraform-json for `show -json`: the tests read two fields of a resource,
// which stateResource holds without tfjson's pointers.

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/go-hclog"
	"github.com/hashicorp/go-plugin"
	"github.com/hashicorp/terraform-exec/tfexec"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6/tf6server"
)

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

// cliPath is the CLI under test.
func cliPath() string { return os.Getenv("TF_ACC_TERRAFORM_PATH") }

// cliCommand is a command of the CLI under test, in dir with env (nil: this
// process's). Every test's run of a CLI outside resource.Test is made here.
func cliCommand(dir string, env []string, args ...string) *exec.Cmd {
	cmd := exec.Command(cliPath(), args...)
	cmd.Dir, cmd.Env = dir, env
	return cmd
}

// cliWorkspace is a directory with a configuration, run by the CLI named in
// TF_ACC_TERRAFORM_PATH, with the provider of this tree: served from this
// process for each command, or the binary found through a dev_overrides CLI
// configuration.
type cliWorkspace struct {
	dir string
	cli string
	env []string
	org *testOrg
	// binary: the CLI starts the provider binary as it starts any plugin,
	// instead of attaching to a provider served from this process.
	binary bool
}

// newCLIWorkspace writes the configuration for org (nil when it talks to no
// server under test). In live mode the workspace is destroyed when the test
// ends, and what it made checked deactivated.
func newCLIWorkspace(t *testing.T, org *testOrg, config string) *cliWorkspace {
	t.Helper()
	skipUnlessAcceptance(t)
	dir := t.TempDir()
	w := &cliWorkspace{dir: dir, cli: cliPath(), org: org}
	// The provider is attached (TF_REATTACH_PROVIDERS), never installed:
	// no CLI configuration until useProviderBinary.
	w.env = append(os.Environ(), "TF_CLI_CONFIG_FILE="+os.DevNull, "TF_IN_AUTOMATION=1", "CHECKPOINT_DISABLE=1", "TF_LOG=", reattachVariable+"=")
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

// severalProviderBlocks is why a test with two provider blocks runs the
// binary: a provider served from this process is one server, and the second
// block's configuration would replace the first's.
const severalProviderBlocks = "two provider blocks need two provider processes: one served from the test would configure one provider for both"

// useProviderBinary is for a test that needs provider processes of its
// own, which a provider served from this process is not: the CLI starts
// the provider binary, found through dev_overrides, as it starts any
// plugin. why says what the test needs them for.
func (w *cliWorkspace) useProviderBinary(t *testing.T, why string) {
	t.Helper()
	t.Logf("the CLI runs the provider binary: %s", why)
	bin := providerBinary(t)
	rc := filepath.Join(w.dir, "dev.tfrc")
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
	w.env = append(w.env, "TF_CLI_CONFIG_FILE="+rc)
	w.binary = true
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

// command is a CLI command in the workspace, without colours, writing its
// stdout and stderr together to out; extraEnv is added to the workspace's.
// Without the binary, only run serves the command a provider.
func (w *cliWorkspace) command(extraEnv []string, out io.Writer, args ...string) *exec.Cmd {
	cmd := cliCommand(w.dir, append(append([]string{}, w.env...), extraEnv...), append(args, "-no-color")...)
	cmd.Stdout, cmd.Stderr = out, out
	return cmd
}

// run runs one CLI command and returns its output and exit code. Without
// the binary, a provider served from this process for this command alone
// answers it, unless extraEnv attaches the CLI to a provider of the test's.
func (w *cliWorkspace) run(t *testing.T, extraEnv []string, args ...string) (string, int) {
	t.Helper()
	if !w.binary && !setsVariable(extraEnv, reattachVariable) {
		env := append(append([]string{}, w.env...), extraEnv...)
		restore := setProviderEnv(t, env)
		defer restore()
		reattach, stop := serveProvider(t)
		defer stop()
		extraEnv = append([]string{reattachVariable + "=" + reattach}, extraEnv...)
	}
	var out bytes.Buffer
	err := w.command(extraEnv, &out, args...).Run()
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

// reattachVariable attaches the CLI to providers it does not start.
const reattachVariable = "TF_REATTACH_PROVIDERS"

// setsVariable reports whether env gives name a value.
func setsVariable(env []string, name string) bool {
	return slices.ContainsFunc(env, func(kv string) bool { return strings.HasPrefix(kv, name+"=") && kv != name+"=" })
}

// setProviderEnv gives this process, for one command, the provider
// variables of the command's environment env (the last value of each): a
// provider served from this process reads this process's environment, not
// the CLI's. restore puts back what was there for the test's next command;
// t.Setenv refuses a parallel test, and restores all when the test ends.
func setProviderEnv(t *testing.T, env []string) (restore func()) {
	t.Helper()
	want := map[string]string{}
	for _, kv := range env {
		if k, v, ok := strings.Cut(kv, "="); ok && slices.Contains(providerEnv, k) {
			want[k] = v
		}
	}
	before := map[string]string{}
	for k, v := range want {
		if old := os.Getenv(k); old != v {
			before[k] = old
			t.Setenv(k, v)
		}
	}
	return func() {
		for k, old := range before {
			t.Setenv(k, old)
		}
	}
}

// serveProvider serves a fresh provider from this process, as resource.Test
// does for each command, and returns the TF_REATTACH_PROVIDERS value that
// attaches a CLI to it; stop ends it. The provider's logs go where
// resource.Test sends them (TF_LOG and TF_LOG_PATH of this process). One
// provider for every provider block: see useProviderBinary.
func serveProvider(t *testing.T) (reattach string, stop func()) {
	t.Helper()
	server, err := newProtocolServer()
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	configs, closed, served := make(chan *plugin.ReattachConfig, 1), make(chan struct{}), make(chan error, 1)
	go func() {
		served <- tf6server.Serve(providerAddress(), func() tfprotov6.ProviderServer { return server },
			tf6server.WithDebug(ctx, configs, closed), tf6server.WithGoPluginLogger(hclog.NewNullLogger()),
			tf6server.WithLoggingSink(t))
	}()
	var config *plugin.ReattachConfig
	select {
	case config = <-configs:
	case err := <-served:
		cancel()
		t.Fatalf("serving the provider: %v", err)
	case <-time.After(30 * time.Second):
		cancel()
		t.Fatal("the provider served from the test gave no reattach configuration")
	}
	// The CLI resolves the configuration's source "chatwhizz/chatwhizz" on
	// its own registry: registry.opentofu.org for OpenTofu.
	b, err := json.Marshal(map[string]tfexec.ReattachConfig{providerAddress(): {
		Protocol: string(config.Protocol), ProtocolVersion: config.ProtocolVersion, Pid: config.Pid, Test: config.Test,
		Addr: tfexec.ReattachConfigAddr{Network: config.Addr.Network(), String: config.Addr.String()},
	}})
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	return string(b), func() { cancel(); <-closed }
}

// providerAddress is the address the CLI under test gives the source
// "chatwhizz/chatwhizz": on the registry TF_ACC_PROVIDER_HOST names, as
// resource.Test has it.
func providerAddress() string {
	host := "registry.terraform.io"
	if h := os.Getenv("TF_ACC_PROVIDER_HOST"); h != "" {
		host = h
	}
	return host + "/chatwhizz/chatwhizz"
}
