package serve

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6/tf6server"

	"github.com/chatwhizz/terraform-provider-chatwhizz/internal/protocol"
	"github.com/chatwhizz/terraform-provider-chatwhizz/internal/stateupgrade"
)

// TestRunPreparesTheProcessAndServesThroughBothWrappers: what the provider
// binary does before serving (the promises of the CHANGELOG's memory, CPU
// and log lines): the unread loggers off, the collector at gcPercent, and
// the framework served through internal/stateupgrade over internal/protocol,
// at the registry address, with a debugger's option only under -debug.
func TestRunPreparesTheProcessAndServesThroughBothWrappers(t *testing.T) {
	for _, debug := range []bool{false, true} {
		env := map[string]string{}
		var gc []int
		var served tfprotov6.ProviderServer
		var name string
		var opts int
		err := run("test", debug, process{
			getenv:       func(k string) string { return env[k] },
			setenv:       func(k, v string) error { env[k] = v; return nil },
			setGCPercent: func(p int) int { gc = append(gc, p); return 100 },
			serve: func(n string, server func() tfprotov6.ProviderServer, o ...tf6server.ServeOpt) error {
				name, served, opts = n, server(), len(o)
				return nil
			},
		})
		if err != nil {
			t.Fatal(err)
		}
		if name != Address || len(gc) != 1 || gc[0] != gcPercent {
			t.Errorf("debug %v: served as %q, collector set to %v", debug, name, gc)
		}
		if wantOpts := map[bool]int{false: 0, true: 1}[debug]; opts != wantOpts {
			t.Errorf("debug %v: %d serve options, want %d", debug, opts, wantOpts)
		}
		if silenced := env["TF_LOG_SDK"] == "OFF"; silenced == debug {
			t.Errorf("debug %v: loggers set %v", debug, env)
		}
		upgrade, ok := served.(*stateupgrade.Server)
		if !ok {
			t.Fatalf("served %T, not through internal/stateupgrade", served)
		}
		if _, ok := upgrade.Framework.(*protocol.Server); !ok {
			t.Errorf("internal/stateupgrade wraps %T, not internal/protocol's server", upgrade.Framework)
		}
	}
}
