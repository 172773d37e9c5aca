package chatwhizz

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/chatwhizz/terraform-provider-chatwhizz/internal/emulator"
)

// losingProxy stands for a proxy in front of the emulator that loses the
// answers of the first `lose` requests on route (a method and a path
// prefix): each is applied by the emulator, then answered 502 with an HTML
// page, as a gateway does when the upstream answer times out.
func losingProxy(t *testing.T, emu http.Handler, method, pathPrefix string, lose int) string {
	t.Helper()
	var mu sync.Mutex
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		drop := lose > 0 && r.Method == method && strings.HasPrefix(r.URL.Path, pathPrefix)
		if drop {
			lose--
		}
		mu.Unlock()
		if !drop {
			emu.ServeHTTP(w, r)
			return
		}
		emu.ServeHTTP(httptest.NewRecorder(), r) // applied, and its answer lost
		w.WriteHeader(http.StatusBadGateway)
		_, _ = io.WriteString(w, "<html><body><h1>502 Bad Gateway</h1></body></html>")
	}))
	t.Cleanup(srv.Close)
	return srv.URL + "/"
}

// TestRetriedWritesWhoseAnswerWasLost: the server applied the first attempt
// of each write and a proxy lost its answer. What the retry may do depends on
// the call: the idempotent ones simply succeed again; a create meets "already
// exists" and a rename "not found", and the client must say or find out that
// the first attempt took effect rather than report what the retry met.
// lostAnswerCase is a write whose first attempt the server applies and a
// gateway answers 502: the call the client makes, and what it must end with.
type lostAnswerCase struct {
	name, method, path string
	noSeed             bool
	call               func(c *Client, opID string) error
	// check judges the call's outcome and what the server holds after.
	check func(t *testing.T, emu *emulator.Emulator, err error)
}

const lostDomain, lostRenamed = "lost.example.com", "found.example.com"

func TestRetriedWritesWhoseAnswerWasLost(t *testing.T) {
	for _, tc := range append(domainWritesWhoseAnswerWasLost(), operatorWritesWhoseAnswerWasLost()...) {
		t.Run(tc.name, func(t *testing.T) {
			emu, direct, stop := emulator.Start(emulator.Knobs{}, emulator.DemoOrganisation())
			t.Cleanup(stop)
			opID := ""
			if !tc.noSeed {
				opID = seedDomainAndOperator(t, newPasswordClient(t, direct))
			}
			c := newPasswordClient(t, losingProxy(t, emu, tc.method, tc.path, 1))
			tc.check(t, emu, tc.call(c, opID))
		})
	}
}

func seedDomainAndOperator(t *testing.T, c *Client) (operatorID string) {
	t.Helper()
	if _, err := c.CreateDomain(context.Background(), lostDomain, "owner@example.com"); err != nil {
		t.Fatal(err)
	}
	op, err := c.CreateOperator(context.Background(), CreateOperatorInput{Email: "ann@example.com"})
	if err != nil {
		t.Fatal(err)
	}
	return op.ID
}

func callSucceeded(t *testing.T, _ *emulator.Emulator, err error) {
	if err != nil {
		t.Fatal(err)
	}
}

// domainWritesWhoseAnswerWasLost: a create and a rename, which a retry
// cannot simply repeat, and an idempotent update.
func domainWritesWhoseAnswerWasLost() []lostAnswerCase {
	return []lostAnswerCase{
		{
			name: "create domain: the retry meets already exists, and says the first attempt may have made it", method: "POST", path: "/admin/domain/create", noSeed: true,
			call: func(c *Client, _ string) error {
				_, err := c.CreateDomain(context.Background(), lostDomain, "owner@example.com")
				return err
			},
			check: func(t *testing.T, emu *emulator.Emulator, err error) {
				if !errors.Is(err, ErrConflict) || !errors.Is(err, ErrAnswerLost) {
					t.Fatalf("want a conflict marked as a lost answer, got %v", err)
				}
				if !strings.Contains(err.Error(), "the server may have applied it") {
					t.Errorf("the error does not say the server may have applied it: %v", err)
				}
				if d, ok := emu.Domain(lostDomain); !ok || !d.Active {
					t.Errorf("the domain is not there, active: %+v", d)
				}
			},
		},
		{
			name: "rename: the retry meets not found, and the client finds the rename done", method: "PUT", path: "/admin/domain/update/",
			call: func(c *Client, _ string) error {
				d, err := c.UpdateDomain(context.Background(), lostDomain, DomainUpdate{Name: new(lostRenamed)})
				if err == nil && (d.Name != lostRenamed || !d.Active || d.Email != "owner@example.com") {
					return errors.New("the rename answered " + d.Name)
				}
				return err
			},
			check: func(t *testing.T, emu *emulator.Emulator, err error) {
				if err != nil {
					t.Fatalf("the rename was applied, yet the call failed: %v", err)
				}
				if _, ok := emu.Domain(lostRenamed); !ok {
					t.Errorf("no domain %s", lostRenamed)
				}
			},
		},
		{
			name: "domain email: idempotent, the retry succeeds", method: "PUT", path: "/admin/domain/update/",
			call: func(c *Client, _ string) error {
				_, err := c.UpdateDomain(context.Background(), lostDomain, DomainUpdate{Email: new("new@example.com")})
				return err
			},
			check: func(t *testing.T, emu *emulator.Emulator, err error) {
				if d, _ := emu.Domain(lostDomain); err != nil || d.Email != "new@example.com" {
					t.Fatalf("err %v, email %q", err, d.Email)
				}
			},
		},
	}
}

// operatorWritesWhoseAnswerWasLost: the operator and assignment writes, all
// idempotent by the contract.
func operatorWritesWhoseAnswerWasLost() []lostAnswerCase {
	return []lostAnswerCase{
		{
			name: "create operator: idempotent (an existing email answers its operator)", method: "POST", path: "/admin/operator/create",
			call: func(c *Client, opID string) error {
				op, err := c.CreateOperator(context.Background(), CreateOperatorInput{Email: "ann@example.com"})
				if err == nil && op.ID != opID {
					return errors.New("another operator: " + op.ID)
				}
				return err
			},
			check: callSucceeded,
		},
		{
			name: "operator status: idempotent", method: "PUT", path: "/admin/operator/update/",
			call:  func(c *Client, opID string) error { return c.SetOperatorActive(context.Background(), opID, false) },
			check: callSucceeded,
		},
		{
			name: "assign: idempotent (an assigned pair applies the fields)", method: "POST", path: "/admin/operator/assign",
			call: func(c *Client, opID string) error {
				_, err := c.AssignOperator(context.Background(), AssignInput{DomainName: lostDomain, OperatorID: opID, IsAdmin: new(true)})
				return err
			},
			check: func(t *testing.T, emu *emulator.Emulator, err error) {
				if d, _ := emu.Domain(lostDomain); err != nil || len(d.Assignments) != 1 {
					t.Fatalf("err %v, assignments %+v", err, d.Assignments)
				}
			},
		},
		{
			name: "assignment settings: idempotent", method: "PUT", path: "/admin/operator/assign/",
			call: func(c *Client, opID string) error {
				if _, err := c.AssignOperator(context.Background(), AssignInput{DomainName: lostDomain, OperatorID: opID}); err != nil {
					return err
				}
				_, err := c.UpdateAssignment(context.Background(), opID, AssignmentUpdate{DomainName: lostDomain, OnlineStatus: new(false)})
				return err
			},
			check: func(t *testing.T, emu *emulator.Emulator, err error) {
				if d, _ := emu.Domain(lostDomain); err != nil || len(d.Assignments) != 1 {
					t.Fatalf("err %v, assignments %+v", err, d.Assignments)
				}
			},
		},
	}
}

// TestRenameWhoseOnlyAnswerWasLost: with no retry allowed, a rename answered
// 502 is still checked, and found done.
func TestRenameWhoseOnlyAnswerWasLost(t *testing.T) {
	emu, direct, stop := emulator.Start(emulator.Knobs{}, emulator.DemoOrganisation())
	t.Cleanup(stop)
	if _, err := newPasswordClient(t, direct).CreateDomain(context.Background(), "old.example.com", "o@example.com"); err != nil {
		t.Fatal(err)
	}
	c, err := New(Config{
		BaseURL: losingProxy(t, emu, "PUT", "/admin/domain/update/", 1), Email: emulator.DemoEmail, Password: emulator.DemoPassword,
		OrganisationDomain: emulator.DemoOrganisationDomain, AddonUniqueName: AddonLiveChat, MaxRetries: new(0),
	})
	if err != nil {
		t.Fatal(err)
	}
	d, err := c.UpdateDomain(context.Background(), "old.example.com", DomainUpdate{Name: new("new.example.com")})
	if err != nil || d.Name != "new.example.com" {
		t.Fatalf("got %+v, %v", d, err)
	}
}

// TestRenameRefusedIsNotMistakenForDone: a rename that fails with no lost
// answer is the server's refusal, reported as it is, even when the new name
// exists (another domain holds it).
func TestRenameRefusedIsNotMistakenForDone(t *testing.T) {
	_, direct, stop := emulator.Start(emulator.Knobs{}, emulator.DemoOrganisation())
	t.Cleanup(stop)
	c := newPasswordClient(t, direct)
	for _, name := range []string{"a.example.com", "b.example.com"} {
		if _, err := c.CreateDomain(context.Background(), name, "o@example.com"); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := c.UpdateDomain(context.Background(), "a.example.com", DomainUpdate{Name: new("b.example.com")}); !errors.Is(err, ErrConflict) || errors.Is(err, ErrAnswerLost) {
		t.Fatalf("want a plain conflict, got %v", err)
	}
}

// TestShortUpdateAnswerKeepsWhatItKnew: an update answered with only the
// fields it changed keeps the rest from what the caller knew.
func TestShortUpdateAnswerKeepsWhatItKnew(t *testing.T) {
	c := fakeServer(t, func(w http.ResponseWriter, _ *http.Request) {
		_, _ = io.WriteString(w, `{"status":1,"data":{"name":"b.example.com"}}`)
	})
	before := &Domain{Name: "a.example.com", Email: "o@example.com", Active: true}
	d, err := c.UpdateDomain(context.Background(), "a.example.com", DomainUpdate{Name: new("b.example.com"), Before: before})
	if err != nil || d.Name != "b.example.com" || d.Email != "o@example.com" || !d.Active {
		t.Fatalf("got %+v, %v", d, err)
	}
	d, err = c.UpdateDomain(context.Background(), "b.example.com", DomainUpdate{Email: new("n@example.com"), Before: &Domain{Name: "b.example.com", Email: "o@example.com", Active: false}})
	if err != nil || d.Email != "n@example.com" || d.Active {
		t.Fatalf("got %+v, %v", d, err)
	}
}

// TestRegenerationWhoseAnswerWasLost: the server rotated the pair and the
// answer was lost, so the retry's pair is dead. With a password the client
// logs in and the call succeeds; with only the pair the error says that the
// server may have applied the regeneration.
func TestRegenerationWhoseAnswerWasLost(t *testing.T) {
	for _, withPassword := range []bool{true, false} {
		t.Run(map[bool]string{true: "password", false: "token pair"}[withPassword], func(t *testing.T) {
			emu, direct, stop := emulator.Start(emulator.Knobs{}, emulator.DemoOrganisation())
			t.Cleanup(stop)
			base := losingProxy(t, emu, "POST", "/admin/access-token/regenerate", 1)
			var c *Client
			if withPassword {
				c = newPasswordClient(t, base)
			} else {
				pair, err := newPasswordClient(t, direct).NewSession(context.Background())
				if err != nil {
					t.Fatal(err)
				}
				c = newTokenClient(t, base, pair)
			}
			if _, err := c.GetDomain(context.Background(), "none.example.com"); !errors.Is(err, ErrNotFound) {
				t.Fatalf("first call: %v", err)
			}
			emu.ExpireAccessTokens()
			_, err := c.GetDomain(context.Background(), "none.example.com")
			switch {
			case withPassword && !errors.Is(err, ErrNotFound):
				t.Fatalf("with a password the client should log in again: %v", err)
			case !withPassword && (err == nil || !strings.Contains(err.Error(), "the server may have applied it")):
				t.Fatalf("the error should say the regeneration may have been applied: %v", err)
			}
		})
	}
}
