package provider

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
)

// These tests drive the real CLI as a user does: the provider binary built
// from this tree, found through a dev_overrides CLI configuration, one CLI
// process per command. They measure what only whole commands show (logins
// and API calls per command).

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

// cliWorkspace is a directory with a configuration, run by the CLI named in
// TF_ACC_TERRAFORM_PATH.
type cliWorkspace struct {
	dir string
	cli string
	env []string
}

func newCLIWorkspace(t *testing.T, config string) *cliWorkspace {
	t.Helper()
	testAccPreCheck(t)
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
	w := &cliWorkspace{dir: dir, cli: os.Getenv("TF_ACC_TERRAFORM_PATH")}
	w.env = append(os.Environ(), "TF_CLI_CONFIG_FILE="+rc, "TF_IN_AUTOMATION=1", "CHECKPOINT_DISABLE=1", "TF_LOG=")
	for _, k := range providerEnv {
		w.env = append(w.env, k+"=")
	}
	versions := "terraform {\n  required_providers {\n    chatwhizz = {\n      source = \"chatwhizz/chatwhizz\"\n    }\n  }\n}\n"
	if err := os.WriteFile(filepath.Join(dir, "versions.tf"), []byte(versions), 0o600); err != nil {
		t.Fatal(err)
	}
	w.write(t, config)
	return w
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
