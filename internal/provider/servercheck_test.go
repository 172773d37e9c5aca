package provider

// Checks of what the server holds, through the API (or, where only the
// emulator can tell, its back door).

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/chatwhizz/terraform-provider-chatwhizz/internal/chatwhizz"
	"github.com/chatwhizz/terraform-provider-chatwhizz/internal/emulator"
)

// checkDomainOnServer asserts what the server answers for a domain.
func (o *testOrg) checkDomainOnServer(name, email string, active bool) resource.TestCheckFunc {
	return func(*terraform.State) error {
		return o.compareOnServer("domain "+name, email, active, func(c *chatwhizz.Client) (string, bool, error) {
			d, err := c.GetDomain(context.Background(), name)
			if err != nil {
				return "", false, err
			}
			return d.Email, d.Active, nil
		})
	}
}

// compareOnServer compares the email and active flag the server answers for
// an object (what names it; read asks through the live-chat client) with the
// wanted ones. Emails compare case-insensitively, as the API's do.
func (o *testOrg) compareOnServer(what, email string, active bool, read func(*chatwhizz.Client) (string, bool, error)) error {
	c, err := o.clients.get(chatwhizz.AddonLiveChat)
	if err != nil {
		return err
	}
	gotEmail, gotActive, err := read(c)
	switch {
	case err != nil:
		return fmt.Errorf("%s on the server: %w", what, err)
	case !strings.EqualFold(gotEmail, email) || gotActive != active:
		return fmt.Errorf("%s on the server: email %q active %t, want %q %t", what, gotEmail, gotActive, email, active)
	}
	return nil
}

// checkDomainsAbsent asserts that the server has no domain by these names.
func (o *testOrg) checkDomainsAbsent(names ...string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		c, err := o.clients.get(chatwhizz.AddonLiveChat)
		if err != nil {
			return err
		}
		for _, name := range names {
			if _, err := c.GetDomain(context.Background(), name); !errors.Is(err, chatwhizz.ErrNotFound) {
				return fmt.Errorf("domain %s: want not found, got %v", name, err)
			}
		}
		return nil
	}
}

// checkOperatorOnServer asserts what the server answers for the operator
// chatwhizz_operator.test.
func (o *testOrg) checkOperatorOnServer(email string, active bool) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		id, err := operatorID(s, "chatwhizz_operator.test")
		if err != nil {
			return err
		}
		return o.compareOnServer("operator "+id, email, active, func(c *chatwhizz.Client) (string, bool, error) {
			op, err := c.GetOperator(context.Background(), id)
			if err != nil {
				return "", false, err
			}
			return op.Email, op.Active, nil
		})
	}
}

// operatorID reads the operator id Terraform recorded.
func operatorID(s *terraform.State, addr string) (string, error) {
	rs, ok := s.RootModule().Resources[addr]
	if !ok {
		return "", fmt.Errorf("%s is not in the state", addr)
	}
	return rs.Primary.ID, nil
}

// assertFleetOnServer checks, on the emulator, that the organisation holds
// exactly the fleet: every domain and operator once, active as wanted, every
// assignment present.
func assertFleetOnServer(t *testing.T, org *testOrg, domains, operators int, active bool) {
	t.Helper()
	ds, ops := org.emu.Domains(org.Domain), org.emu.Operators(org.Domain)
	if len(ds) != domains || len(ops) != operators {
		t.Fatalf("the server holds %d domains and %d operators, want exactly %d and %d", len(ds), len(ops), domains, operators)
	}
	for _, d := range ds {
		if d.Active != active {
			t.Errorf("domain %s active=%t, want %t", d.Name, d.Active, active)
		}
		if len(d.Assignments) != operators {
			t.Errorf("domain %s has %d assignments, want %d", d.Name, len(d.Assignments), operators)
		}
		for _, a := range d.Assignments {
			if a.OnlineStatus != active {
				t.Errorf("assignment %s/%s online=%t, want %t", d.Name, a.OperatorID, a.OnlineStatus, active)
			}
		}
	}
	for _, op := range ops {
		if op.ActiveAddons[emulator.AddonLiveChat] != active {
			t.Errorf("operator %s active=%t, want %t", op.Email, op.ActiveAddons[emulator.AddonLiveChat], active)
		}
	}
}

// callsSince is the API calls by route between two readings of the stats.
func callsSince(before, after emulator.Stats) map[string]int {
	d := map[string]int{}
	for route, n := range after.Requests {
		if n -= before.Requests[route]; n != 0 {
			d[route] = n
		}
	}
	return d
}
