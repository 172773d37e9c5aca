// Command terraform-provider-chatwhizz is the Terraform and OpenTofu provider
// for the Chatwhizz admin External API.
package main

import (
	"flag"
	"log"

	"github.com/chatwhizz/terraform-provider-chatwhizz/internal/serve"
)

// version is set at build time: -ldflags "-X main.version=1.2.3".
var version = "dev"

func main() {
	var debug bool
	flag.BoolVar(&debug, "debug", false, "run the provider with support for debuggers like delve")
	flag.Parse()

	if err := serve.Run(version, debug); err != nil {
		log.Fatal(err.Error())
	}
}
