package provider

import (
	"bufio"
	"fmt"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestCLIDebugModeServes: `terraform-provider-chatwhizz -debug` (for a
// debugger such as delve) still serves through internal/serve: it prints
// the reattach configuration, and a CLI attached to that one process
// applies and then plans nothing.
func TestCLIDebugModeServes(t *testing.T) {
	if usingOpenTofu() {
		// Seen: OpenTofu resolves the configuration's source to
		// registry.opentofu.org, which the printed configuration does not
		// name, and starts a provider of its own.
		t.Skip("the reattach configuration names registry.terraform.io/chatwhizz/chatwhizz, which OpenTofu does not attach to")
	}
	org := newTestOrg(t)
	config, applied := startDebugProvider(t)

	w := newCLIWorkspace(t, org, org.liveChat(fmt.Sprintf(`
resource "chatwhizz_domain" "debugged" {
  name  = %q
  email = "owner@example.com"
}
`, org.domain("debugged"))))
	env := []string{"TF_REATTACH_PROVIDERS=" + config}
	if out, code := w.run(t, env, "apply", "-auto-approve"); code != 0 || !strings.Contains(out, "1 added") {
		t.Fatalf("apply through the debug process exited %d:\n%s", code, out)
	}
	select {
	case <-applied:
	case <-time.After(10 * time.Second):
		t.Fatal("the apply was not served by the process started with -debug")
	}
	if out, code := w.run(t, env, "plan", "-detailed-exitcode"); code != 0 {
		t.Fatalf("plan through the debug process is not empty (exit %d):\n%s", code, out)
	}
	if d, err := org.client(t).GetDomain(t.Context(), org.domain("debugged")); err != nil || !d.Active {
		t.Fatalf("the domain applied through the debug process: %+v, %v", d, err)
	}
}

// startDebugProvider starts the provider with -debug and waits for the
// reattach configuration it prints; applied is closed once the process logs
// that it served an apply.
func startDebugProvider(t *testing.T) (config string, applied <-chan struct{}) {
	t.Helper()
	cmd := exec.Command(filepath.Join(providerBinary(t), "terraform-provider-chatwhizz"), "-debug")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = cmd.Stdout
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })

	reattach, served := make(chan string, 1), make(chan struct{})
	go func() {
		pattern := regexp.MustCompile(`TF_REATTACH_PROVIDERS='(.*)'`)
		once := sync.Once{}
		for lines := bufio.NewScanner(stdout); lines.Scan(); {
			if m := pattern.FindStringSubmatch(lines.Text()); m != nil {
				reattach <- m[1]
			}
			// A debugging session logs to the terminal: the apply's
			// request shows that this process served it.
			if strings.Contains(lines.Text(), "ApplyResourceChange") {
				once.Do(func() { close(served) })
			}
		}
	}()
	select {
	case config = <-reattach:
	case <-time.After(30 * time.Second):
		t.Fatal("the provider started with -debug printed no reattach configuration")
	}
	return config, served
}
