package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// fleet is the configuration measured for one N: k = N/3 domains, k
// operators and k assignments (operator i on domain i).
type fleet struct {
	N           int `json:"n"`
	Domains     int `json:"domains"`
	Operators   int `json:"operators"`
	Assignments int `json:"assignments"`
}

func fleetFor(n int) fleet {
	k := n / 3
	return fleet{N: n, Domains: k, Operators: k, Assignments: k}
}

// Resources is the number of resource instances actually configured (3k,
// which is N rounded down to a multiple of 3).
func (f fleet) Resources() int { return f.Domains + f.Operators + f.Assignments }

const configHeader = `terraform {
  required_providers {
    chatwhizz = {
      source = "chatwhizz/chatwhizz"
    }
  }
}

# Credentials and base_url come from CHATWHIZZ_* in the environment.
provider "chatwhizz" {
  addon_unique_name = "live_chat"
}
`

// siteModule is the module of the "modules" style: one domain, one operator
// and the assignment of one to the other, each referring to single
// resources only.
const siteModule = `terraform {
  required_providers {
    chatwhizz = {
      source = "chatwhizz/chatwhizz"
    }
  }
}

variable "index" {
  type = number
}

resource "chatwhizz_domain" "this" {
  name  = "bench-${var.index}.example.com"
  email = "owner@example.com"
}

resource "chatwhizz_operator" "this" {
  email = "op${var.index}@example.com"
}

resource "chatwhizz_operator_assignment" "this" {
  domain_name = chatwhizz_domain.this.name
  operator_id = chatwhizz_operator.this.id
}
`

// files are the fleet's configuration files, by path relative to the
// working directory. The "modules" style needs `get` (it has a module).
func (f fleet) files(style string) map[string]string {
	if style == "modules" {
		return map[string]string{
			"main.tf": configHeader + fmt.Sprintf(`
module "site" {
  source = "./site"
  count  = %d
  index  = count.index
}
`, f.Domains),
			"site/main.tf": siteModule,
		}
	}
	return map[string]string{"main.tf": f.config(style)}
}

// writeFiles writes files under dir.
func writeFiles(dir string, files map[string]string) error {
	for name, content := range files {
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			return err
		}
	}
	return nil
}

// config is the Terraform configuration of the fleet, written with count
// (three resources) or as one block per instance ("blocks").
func (f fleet) config(style string) string {
	var b strings.Builder
	b.WriteString(configHeader)
	if style == "blocks" {
		for i := range f.Domains {
			fmt.Fprintf(&b, "\nresource \"chatwhizz_domain\" \"d%d\" {\n  name  = \"bench-%d.example.com\"\n  email = \"owner@example.com\"\n}\n", i, i)
		}
		for i := range f.Operators {
			fmt.Fprintf(&b, "\nresource \"chatwhizz_operator\" \"o%d\" {\n  email = \"op%d@example.com\"\n}\n", i, i)
		}
		for i := range f.Assignments {
			fmt.Fprintf(&b, "\nresource \"chatwhizz_operator_assignment\" \"a%d\" {\n  domain_name = chatwhizz_domain.d%d.name\n  operator_id = chatwhizz_operator.o%d.id\n}\n", i, i, i)
		}
		return b.String()
	}
	fmt.Fprintf(&b, `
resource "chatwhizz_domain" "d" {
  count = %d
  name  = "bench-${count.index}.example.com"
  email = "owner@example.com"
}

resource "chatwhizz_operator" "o" {
  count = %d
  email = "op${count.index}@example.com"
}

resource "chatwhizz_operator_assignment" "a" {
  count       = %d
  domain_name = chatwhizz_domain.d[count.index].name
  operator_id = chatwhizz_operator.o[count.index].id
}
`, f.Domains, f.Operators, f.Assignments)
	return b.String()
}

// The baselines measured beside the provider, with the fleet's shape: the
// same three counts and the same references by count.index.
const (
	subjectChatwhizz = "chatwhizz"
	// subjectFloor is terraform-provider-benchfloor: the thinnest provider
	// on the same framework, which calls nothing (what the framework costs).
	subjectFloor = "benchfloor"
	// subjectData is Terraform's built-in terraform_data: no provider
	// process at all (what the CLI costs).
	subjectData = "terraform_data"
)

// baselineConfig is the fleet's configuration for a baseline subject.
func (f fleet) baselineConfig(subject string) string {
	if subject == subjectData {
		return fmt.Sprintf(`
resource "terraform_data" "d" {
  count = %d
  input = "bench-${count.index}.example.com"
}

resource "terraform_data" "o" {
  count = %d
  input = "op${count.index}@example.com"
}

resource "terraform_data" "a" {
  count = %d
  input = {
    domain_name = terraform_data.d[count.index].output
    operator_id = terraform_data.o[count.index].id
  }
}
`, f.Domains, f.Operators, f.Assignments)
	}
	return fmt.Sprintf(`terraform {
  required_providers {
    benchfloor = {
      source = "chatwhizz/benchfloor"
    }
  }
}

resource "benchfloor_object" "d" {
  count = %d
  name  = "bench-${count.index}.example.com"
}

resource "benchfloor_object" "o" {
  count = %d
  name  = "op${count.index}@example.com"
}

resource "benchfloor_object" "a" {
  count = %d
  name  = "a${count.index}"
  ref_a = benchfloor_object.d[count.index].name
  ref_b = benchfloor_object.o[count.index].id
}
`, f.Domains, f.Operators, f.Assignments)
}

// Dependency chains in API calls, for the wall-time floor: apply is login,
// create the domain and the operator, assign, then set the assignment's
// online status; a no-op plan is login, then read.
const (
	applyChain = 4
	planChain  = 2
)

// floorCalls is the fewest API calls the command can make: one login, one
// create per domain and operator and two calls per assignment on apply; one
// read per domain and operator on a no-op plan (assignments cannot be read
// and cost nothing). Destroy has no floor (ok is false).
func (f fleet) floorCalls(command string) (calls int, ok bool) {
	switch command {
	case "apply":
		return f.Domains + f.Operators + 2*f.Assignments + 1, true
	case "plan":
		return f.Domains + f.Operators + 1, true
	}
	return 0, false
}

func chainOf(command string) int {
	switch command {
	case "apply":
		return applyChain
	case "plan":
		return planChain
	}
	return 0
}

// latencyRounds is how many latencies the floor calls take at best with p
// calls in flight: the longer of the dependency chain and the login followed
// by the other calls p at a time.
func latencyRounds(calls, chain, p int) int {
	return max(chain, 1+ceilDiv(calls-1, p))
}

func ceilDiv(a, b int) int {
	if a <= 0 {
		return 0
	}
	return (a + b - 1) / b
}
