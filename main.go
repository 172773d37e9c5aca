// Command terraform-provider-chatwhizz is the Terraform and OpenTofu provider
// for the Chatwhizz admin External API.
package main

import (
	"flag"
	"log"
	"os"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6/tf6server"

	"github.com/chatwhizz/terraform-provider-chatwhizz/internal/protocol"
	"github.com/chatwhizz/terraform-provider-chatwhizz/internal/provider"
)

// version is set at build time: -ldflags "-X main.version=1.2.3".
var version = "dev"

// address is the provider's registry address.
const address = "registry.terraform.io/chatwhizz/chatwhizz"

func main() {
	var debug bool
	flag.BoolVar(&debug, "debug", false, "run the provider with support for debuggers like delve")
	flag.Parse()
	if err := silenceUnreadLogs(debug, os.Getenv, os.Setenv); err != nil {
		log.Fatal(err.Error())
	}

	// The framework's protocol server, served through internal/protocol so
	// that each request is freed when it returns (see that package); this is
	// what providerserver.Serve does otherwise.
	server, err := protocol.New(providerserver.NewProtocol6(provider.New(version)())())
	if err != nil {
		log.Fatal(err.Error())
	}
	var opts []tf6server.ServeOpt
	if debug {
		opts = append(opts, tf6server.WithManagedDebug())
	}
	if err := tf6server.Serve(address, func() tfprotov6.ProviderServer { return server }, opts...); err != nil {
		log.Fatal(err.Error())
	}
}
