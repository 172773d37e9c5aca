// Package serve runs the provider process: what main does beyond parsing
// its flags. It lives here, not in package main, so that main.go stays the
// registry's usual shape and what it does to the process is tested code:
// the loggers nobody reads are turned off (logs.go), the collector runs
// less often (gc.go), and the framework is served through internal/protocol,
// which frees each request when it returns, and internal/stateupgrade, which
// answers UpgradeResourceState for current states without the framework's
// walk.
package serve

import (
	"os"
	runtimedebug "runtime/debug"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6/tf6server"

	"github.com/chatwhizz/terraform-provider-chatwhizz/internal/protocol"
	"github.com/chatwhizz/terraform-provider-chatwhizz/internal/provider"
	"github.com/chatwhizz/terraform-provider-chatwhizz/internal/stateupgrade"
)

// Address is the provider's registry address.
const Address = "registry.terraform.io/chatwhizz/chatwhizz"

// Run serves the provider of this version until the CLI stops it; debug
// runs it for a debugger, as providerserver.Serve's Debug does.
func Run(version string, debug bool) error {
	return run(version, debug, process{os.Getenv, os.Setenv, runtimedebug.SetGCPercent, tf6server.Serve})
}

// process is what Run changes in the provider's process and how it serves
// the protocol: the real ones, or a test's.
type process struct {
	getenv       func(string) string
	setenv       func(string, string) error
	setGCPercent func(int) int
	serve        func(name string, server func() tfprotov6.ProviderServer, opts ...tf6server.ServeOpt) error
}

func run(version string, debug bool, p process) error {
	if err := silenceUnreadLogs(debug, p.getenv, p.setenv); err != nil {
		return err
	}
	collectLessOften(p.getenv, p.setGCPercent)
	framework, err := protocol.New(providerserver.NewProtocol6(provider.New(version)())())
	if err != nil {
		return err
	}
	server := stateupgrade.New(framework)
	var opts []tf6server.ServeOpt
	if debug {
		opts = append(opts, tf6server.WithManagedDebug())
	}
	return p.serve(Address, func() tfprotov6.ProviderServer { return server }, opts...)
}
