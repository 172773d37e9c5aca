package provider

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chatwhizz/terraform-provider-chatwhizz/internal/emulator"
)

// TestCLISecretHygiene runs apply, plan, a saved plan and a failed login at
// TF_LOG=TRACE, with the ephemeral token in use, and searches the logs, the
// state, the plan JSON and every output for the password and the tokens:
// on the emulator every token it issued (with lifetimes short enough to
// make the provider regenerate), on a live server the ones the ephemeral
// resource handed out.
func TestCLISecretHygiene(t *testing.T) {
	var org *testOrg
	if live != nil {
		org = newTestOrg(t)
	} else {
		org = newOwnEmulator(t, emulator.Knobs{AccessTokenTTL: 2 * time.Second, Latency: 30 * time.Millisecond}, "")
	}
	emu := org.emu
	w := newCLIWorkspace(t, org, hygieneConfig(t, org))
	w.useProviderBinary(t, "the trace under TF_LOG must hold the provider's own logs, which the CLI reads from its plugins' stderr")
	w.env = append(w.env, org.env(emulator.AddonLiveChat)...)
	outputs := runWhereSecretsCouldShow(t, w, emu != nil)
	secrets := []string{org.Password, "Wr0ng-Secret-Attempt"}
	if ephemeralSupported(t) {
		secrets = append(secrets, handedOutTokens(t, w)...)
	}
	if emu != nil {
		secrets = append(secrets, emu.IssuedTokens()...)
		if len(secrets) < 6 {
			t.Fatalf("only %d secrets to look for: the test did not log in and regenerate", len(secrets))
		}
	}
	all := strings.Join(outputs, "\n")
	leaks := 0
	for _, s := range secrets {
		if strings.Contains(all, s) {
			leaks++
			i := strings.Index(all, s)
			t.Errorf("a secret appears in the output: ...%s...", strings.ReplaceAll(all[max(0, i-200):i], s, "<SECRET>"))
		}
	}
	t.Logf("searched %d bytes of logs, state and plans for %d secrets: %d leaks", len(all), len(secrets), leaks)
	if !strings.Contains(all, "Chatwhizz API call") {
		t.Fatal("the trace log has no API call entries: the search proves nothing")
	}
}

// hygieneConfig is a fleet and, where the CLI has ephemeral resources, a
// provisioner that is handed the ephemeral token and writes it to a file.
func hygieneConfig(t *testing.T, org *testOrg) string {
	// Credentials come from the environment, as the docs advise: a password
	// written in the configuration is part of every saved plan.
	config := strings.Replace(fleetConfig(org, 2, 3), org.providerBlock(emulator.AddonLiveChat), `provider "chatwhizz" {}`+"\n", 1)
	if ephemeralSupported(t) {
		config += `
ephemeral "chatwhizz_access_token" "current" {}

resource "terraform_data" "uses_token" {
  provisioner "local-exec" {
    command = "printf '%s\\n%s\\n' \"$TOKEN\" \"$REFRESH\" > handed-out-tokens"
    environment = {
      TOKEN   = ephemeral.chatwhizz_access_token.current.access_token
      REFRESH = ephemeral.chatwhizz_access_token.current.refresh_token
    }
  }
}
`
	}
	return config
}

// runWhereSecretsCouldShow runs apply, plan (after the tokens expire, when
// expiring), a saved plan, both shown as JSON, and a plan whose login fails,
// all at TF_LOG=TRACE: their outputs, then the trace log, the state and the
// saved plan.
func runWhereSecretsCouldShow(t *testing.T, w *cliWorkspace, expiring bool) []string {
	t.Helper()
	logFile := filepath.Join(w.dir, "trace.log")
	trace := []string{"TF_LOG=TRACE", "TF_LOG_PATH=" + logFile}

	var outputs []string
	runTraced := func(args ...string) string {
		out, code := w.run(t, trace, args...)
		if code != 0 {
			t.Fatalf("%s exited %d:\n%s", strings.Join(args, " "), code, out)
		}
		outputs = append(outputs, out)
		return out
	}
	runTraced("apply", "-auto-approve")
	if expiring {
		time.Sleep(2 * time.Second) // let the tokens expire: the plan regenerates
	}
	runTraced("plan", "-out=saved.tfplan")
	outputs = append(outputs, runTraced("show", "-json", "saved.tfplan"), runTraced("show", "-json"))

	// A failed login: the error must not quote the password it tried.
	out, code := w.run(t, append(trace, "CHATWHIZZ_PASSWORD=Wr0ng-Secret-Attempt"), "plan")
	if code == 0 || !strings.Contains(out, "could not log in") {
		t.Fatalf("a wrong password must fail the plan with a clear error (exit %d):\n%s", code, out)
	}
	outputs = append(outputs, out)

	files := []string{logFile, filepath.Join(w.dir, "terraform.tfstate"), filepath.Join(w.dir, "saved.tfplan")}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		outputs = append(outputs, string(b))
	}
	return outputs
}

// handedOutTokens are the access and refresh tokens the provisioner of
// hygieneConfig was handed.
func handedOutTokens(t *testing.T, w *cliWorkspace) []string {
	t.Helper()
	handedOut, err := os.ReadFile(filepath.Join(w.dir, "handed-out-tokens"))
	if err != nil {
		t.Fatal(err)
	}
	tokens := strings.Fields(string(handedOut))
	if len(tokens) != 2 {
		t.Fatalf("the ephemeral resource handed out %d tokens, want an access and a refresh token", len(tokens))
	}
	return tokens
}
