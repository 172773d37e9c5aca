package provider

// The provider binary, for the tests that need provider processes of their
// own (cliWorkspace.useProviderBinary) and for debug_test.go's -debug: the
// one place a test builds the provider, once per run and only when one of
// those tests runs. Every other CLI command attaches to a provider served
// from the test process (cli_test.go).

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sync"
	"testing"
)

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
