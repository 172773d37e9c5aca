// Command schema-docs-check fails when a description in the provider's
// schema breaks the rule of internal/docscheck: every attribute described,
// every argument saying whether it is needed and what leaving it out does.
// `make docs-check` runs it on the schema it dumps with a CLI:
//
//	schema-docs-check SCHEMA.json
package main

import (
	"fmt"
	"os"

	"github.com/chatwhizz/terraform-provider-chatwhizz/internal/docscheck"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: schema-docs-check SCHEMA.json (the output of `terraform providers schema -json`)")
		os.Exit(2)
	}
	raw, err := os.ReadFile(os.Args[1]) //nolint:gosec // the schema file the caller named
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	problems, err := docscheck.Problems(raw)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	for _, p := range problems {
		fmt.Fprintln(os.Stderr, p)
	}
	if len(problems) > 0 {
		fmt.Fprintf(os.Stderr, "%d schema descriptions break the rule of internal/docscheck: fix their MarkdownDescription\n", len(problems))
		os.Exit(1)
	}
}
