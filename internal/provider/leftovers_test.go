package provider

// What a test leaves behind: every object the steps' states hold is
// recorded, checked deactivated after destroy (the API has no delete), and,
// in live mode, reported at the end of the run.

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/chatwhizz/terraform-provider-chatwhizz/internal/chatwhizz"
)

const (
	kindDomain   = "domain"
	kindOperator = "operator"
)

// madeObject is a domain or an operator a test put on the server.
type madeObject struct {
	kind  string
	name  string // the domain's name, or the operator's email
	id    string // the operator's id
	addon string
	test  string
}

func (m madeObject) key() string { return m.kind + " " + m.addon + " " + m.name + " " + m.id }

// testCase completes a TestCase for this organisation: the provider
// factories, the pre-check, a record of every object the steps' states
// hold, and a CheckDestroy that checks through the API that each of them was
// left deactivated (the API has no delete), before the test's own.
func (o *testOrg) testCase(t *testing.T, tc resource.TestCase) resource.TestCase {
	tc.PreCheck = func() { testAccPreCheck(t) }
	tc.ProtoV6ProviderFactories = testAccProtoV6ProviderFactories
	for i := range tc.Steps {
		if s := &tc.Steps[i]; s.Config != "" && !s.ImportState && !s.PlanOnly && s.ExpectError == nil {
			s.Check = composeChecks(o.recordState, s.Check)
		}
	}
	tc.CheckDestroy = composeChecks(o.recordState, o.checkLeftDeactivated, tc.CheckDestroy)
	return tc
}

func composeChecks(checks ...resource.TestCheckFunc) resource.TestCheckFunc {
	return resource.ComposeTestCheckFunc(slices.DeleteFunc(checks, func(c resource.TestCheckFunc) bool { return c == nil })...)
}

// recordState records the domains and operators of a state.
func (o *testOrg) recordState(s *terraform.State) error {
	for key, rs := range s.RootModule().Resources {
		if strings.HasPrefix(key, "data.") || rs.Primary == nil {
			continue
		}
		attrs := rs.Primary.Attributes
		switch rs.Type {
		case "chatwhizz_domain":
			o.record(madeObject{kind: kindDomain, name: attrs["name"], addon: attrs["addon_unique_name"]})
		case "chatwhizz_operator":
			o.record(madeObject{kind: kindOperator, name: attrs["email"], id: rs.Primary.ID, addon: attrs["addon_unique_name"]})
		}
	}
	return nil
}

func (o *testOrg) record(m madeObject) {
	m.test = o.test
	o.mu.Lock()
	o.made[m.key()] = m
	o.mu.Unlock()
	madeByRun.add(m)
}

// checkLeftDeactivated checks through the API that every domain and
// operator the test made is inactive, or gone (renamed, or deleted through
// the emulator's back door).
func (o *testOrg) checkLeftDeactivated(*terraform.State) error {
	o.mu.Lock()
	made := make([]madeObject, 0, len(o.made))
	for _, m := range o.made {
		made = append(made, m)
	}
	o.mu.Unlock()
	var active []string
	for _, m := range made {
		state, err := o.clients.stateOf(m)
		if err != nil {
			return err
		}
		if state == stateActive {
			active = append(active, m.String())
		}
	}
	if len(active) > 0 {
		sort.Strings(active)
		return fmt.Errorf("still active after destroy: %s", strings.Join(active, "; "))
	}
	return nil
}

func (m madeObject) String() string {
	if m.kind == kindOperator {
		return fmt.Sprintf("operator %s (%s) for %s", m.id, m.name, m.addon)
	}
	return fmt.Sprintf("domain %s (%s)", m.name, m.addon)
}

const (
	stateActive   = "ACTIVE"
	stateInactive = "inactive"
	stateAbsent   = "not on the server (renamed or deleted)"
)

// stateOf reads an object through the API.
func (a *apiClients) stateOf(m madeObject) (string, error) {
	c, err := a.get(m.addon)
	if err != nil {
		return "", err
	}
	var active bool
	if m.kind == kindOperator {
		var op *chatwhizz.Operator
		if op, err = c.GetOperator(context.Background(), m.id); err == nil {
			active = op.Active
		}
	} else {
		var d *chatwhizz.Domain
		if d, err = c.GetDomain(context.Background(), m.name); err == nil {
			active = d.Active
		}
	}
	switch {
	case errors.Is(err, chatwhizz.ErrNotFound):
		return stateAbsent, nil
	case err != nil:
		return "", fmt.Errorf("reading %s: %w", m, err)
	case active:
		return stateActive, nil
	}
	return stateInactive, nil
}

// objectLog is every object the run made.
type objectLog struct {
	mu   sync.Mutex
	made map[string]madeObject
}

func (l *objectLog) add(m madeObject) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.made == nil {
		l.made = map[string]madeObject{}
	}
	l.made[m.key()] = m
}

// report prints what the run left on the live server, read back through the
// API, so that whoever owns the account knows.
func (l *objectLog) report(w io.Writer, s *liveServer) {
	l.mu.Lock()
	made := make([]madeObject, 0, len(l.made))
	for _, m := range l.made {
		made = append(made, m)
	}
	l.mu.Unlock()
	sort.Slice(made, func(i, j int) bool { return made[i].key() < made[j].key() })
	fmt.Fprintf(w, "\nLeft behind on %s by run %s (the API has no delete): %d objects\n", s.baseURL, runPrefix, len(made))
	stillActive := 0
	for _, m := range made {
		state, err := s.clients.stateOf(m)
		if err != nil {
			state = "unknown: " + err.Error()
		}
		if state == stateActive {
			stillActive++
		}
		name := m.name
		if m.kind == kindOperator {
			name = m.id + " " + m.name
		}
		fmt.Fprintf(w, "  %-8s %-24s %-72s %s  (%s)\n", m.kind, m.addon, name, state, m.test)
	}
	if stillActive > 0 {
		fmt.Fprintf(w, "%d of them are still ACTIVE: a test failed before its destroy. Deactivate them with the provider (import, then destroy) or the API.\n", stillActive)
	}
}
