// Command terraform-provider-chatwhizz is the Terraform and OpenTofu provider
// for the Chatwhizz admin External API.
package main

import (
	"context"
	"flag"
	"log"
	"os"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"

	"github.com/chatwhizz/terraform-provider-chatwhizz/internal/provider"
)

// version is set at build time: -ldflags "-X main.version=1.2.3".
var version = "dev"

func main() {
	var debug bool
	flag.BoolVar(&debug, "debug", false, "run the provider with support for debuggers like delve")
	flag.Parse()
	if err := silenceUnreadLogs(debug, os.Getenv, os.Setenv); err != nil {
		log.Fatal(err.Error())
	}

	err := providerserver.Serve(context.Background(), provider.New(version), providerserver.ServeOpts{
		Address: "registry.terraform.io/chatwhizz/chatwhizz",
		Debug:   debug,
	})
	if err != nil {
		log.Fatal(err.Error())
	}
}
