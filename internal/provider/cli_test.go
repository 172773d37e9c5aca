package provider

// The real CLI, driven as a user does: a workspace with a configuration,
// run by the CLI named in TF_ACC_TERRAFORM_PATH. The one way tests run a CLI
// outside resource.Test (cliCommand).
//
// Not terraform-exec: the tests read a command's stdout and stderr together
// as a user sees them (warnings and errors among the progress), take any
// exit code (plan -detailed-exitcode's 2, a failed apply's 1), run any
// command (terraform test, state rm, import, apply -replace), set TF_LOG and
// TF_LOG_PATH per run (which tfexec's SetEnv refuses), and signal a running
// apply and its provider processes as a group (reliability_test.go).

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
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
	w := &cliWorkspace{dir: dir, cli: cliPath(), org: org}
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

// command is a CLI command in the workspace, without colours, writing its
// stdout and stderr together to out; extraEnv is added to the workspace's.
func (w *cliWorkspace) command(extraEnv []string, out io.Writer, args ...string) *exec.Cmd {
	cmd := cliCommand(w.dir, append(append([]string{}, w.env...), extraEnv...), append(args, "-no-color")...)
	cmd.Stdout, cmd.Stderr = out, out
	return cmd
}

// run runs one CLI command and returns its output and exit code.
func (w *cliWorkspace) run(t *testing.T, extraEnv []string, args ...string) (string, int) {
	t.Helper()
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
