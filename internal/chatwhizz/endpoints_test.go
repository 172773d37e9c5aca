package chatwhizz

import (
	"context"
	"errors"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/chatwhizz/terraform-provider-chatwhizz/internal/emulator"
)

func TestOperatorLifecycle(t *testing.T) {
	ctx := context.Background()
	emu, _, c := startEmulator(t, emulator.Knobs{})
	op, err := c.CreateOperator(ctx, CreateOperatorInput{Email: "Ann@Example.com", FirstName: "Ann", LastName: "Lee"})
	if err != nil {
		t.Fatal(err)
	}
	if op.Name != "Ann Lee" || len(op.ID) != 24 {
		t.Fatalf("%+v", op)
	}
	again, err := c.CreateOperator(ctx, CreateOperatorInput{Email: "ann@example.com", FirstName: "Other"})
	if err != nil || again.ID != op.ID || again.Name != "Ann Lee" {
		t.Fatalf("creating an existing email must return the same operator: %+v %v", again, err)
	}
	if err := c.SetOperatorActive(ctx, op.ID, false); err != nil {
		t.Fatal(err)
	}
	got, err := c.GetOperator(ctx, op.ID)
	if err != nil || got.Active || got.Presence != PresenceOffline || got.Email != "Ann@Example.com" {
		t.Fatalf("%+v %v", got, err)
	}
	emu.SetOperatorPresence(emulator.DemoOrganisationDomain, op.ID, PresenceBusy)
	if got, _ := c.GetOperator(ctx, op.ID); got.Presence != PresenceBusy {
		t.Fatalf("%+v", got)
	}
	if _, err := c.GetOperator(ctx, "0123456789abcdef01234567"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("got %v", err)
	}
}

func TestDomainLifecycleAndAssignments(t *testing.T) {
	ctx := context.Background()
	emu, _, c := startEmulator(t, emulator.Knobs{})
	d, err := c.CreateDomain(ctx, "shop.example.com", "owner@example.com")
	if err != nil || !d.Active || d.Link != "" {
		t.Fatalf("%+v %v", d, err)
	}
	if _, err := c.CreateDomain(ctx, "shop.example.com", "owner@example.com"); !errors.Is(err, ErrConflict) {
		t.Fatalf("got %v", err)
	}
	op, _ := c.CreateOperator(ctx, CreateOperatorInput{Email: "op@example.com"})
	a, err := c.AssignOperator(ctx, AssignInput{DomainName: "shop.example.com", OperatorID: op.ID, IsAdmin: new(true)})
	if err != nil || a.OperatorID != op.ID || !a.IsAdmin || a.Email != "op@example.com" {
		t.Fatalf("%+v %v", a, err)
	}
	u, err := c.UpdateAssignment(ctx, op.ID, AssignmentUpdate{DomainName: "shop.example.com", OnlineStatus: new(false)})
	if err != nil || u.OnlineStatus || !u.IsAdmin {
		t.Fatalf("%+v %v", u, err)
	}
	renamed, err := c.UpdateDomain(ctx, "shop.example.com", DomainUpdate{Name: new("store.example.com"), Active: new(false)})
	if err != nil || renamed.Name != "store.example.com" || renamed.Active {
		t.Fatalf("%+v %v", renamed, err)
	}
	if _, err := c.GetDomain(ctx, "shop.example.com"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("got %v", err)
	}
	rec, _ := emu.Domain("store.example.com")
	if as, ok := rec.Assignments[op.ID]; !ok || as.OnlineStatus || !as.IsAdmin {
		t.Fatalf("the rename must carry the assignment: %+v", rec)
	}
	if _, err := c.UpdateAssignment(ctx, op.ID, AssignmentUpdate{DomainName: "other.example.com", IsAdmin: new(false)}); !errors.Is(err, ErrNotFound) {
		t.Fatalf("got %v", err)
	}
}

func TestSellerBuyerDomainHasALinkAndAssignmentFields(t *testing.T) {
	ctx := context.Background()
	_, base, _ := startEmulator(t, emulator.Knobs{})
	c, _ := New(Config{BaseURL: base, Email: emulator.DemoEmail, Password: emulator.DemoPassword,
		OrganisationDomain: emulator.DemoOrganisationDomain, AddonUniqueName: AddonSellerBuyer})
	d, err := c.CreateDomain(ctx, "market.example.com", "owner@example.com")
	if err != nil || d.Link == "" {
		t.Fatalf("%+v %v", d, err)
	}
	op, _ := c.CreateOperator(ctx, CreateOperatorInput{Email: "seller@example.com"})
	a, err := c.AssignOperator(ctx, AssignInput{DomainName: d.Name, OperatorID: op.ID, UniqueID: new("page-1")})
	if err != nil || a.UniqueID != "page-1" {
		t.Fatalf("%+v %v", a, err)
	}
	u, err := c.UpdateAssignment(ctx, op.ID, AssignmentUpdate{DomainName: d.Name, Status: new(false), UniqueID: new("page-2")})
	if err != nil || u.Status || u.UniqueID != "page-2" {
		t.Fatalf("%+v %v", u, err)
	}
}

func TestSharedReadsCostOneCallPerObject(t *testing.T) {
	ctx := context.Background()
	emu, base, seed := startEmulator(t, emulator.Knobs{})
	name := seedDomain(t, seed)
	op, _ := seed.CreateOperator(ctx, CreateOperatorInput{Email: "op@example.com"})
	before := emu.Stats()

	c, _ := New(Config{BaseURL: base, Email: emulator.DemoEmail, Password: emulator.DemoPassword,
		OrganisationDomain: emulator.DemoOrganisationDomain, AddonUniqueName: AddonLiveChat, ShareReads: true})
	var wg sync.WaitGroup
	for range 20 {
		wg.Go(func() {
			if _, err := c.GetDomain(ctx, name); err != nil {
				t.Error(err)
			}
			if _, err := c.GetOperator(ctx, op.ID); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	after := emu.Stats()
	if n := after.Requests[getDomainRoute] - before.Requests[getDomainRoute]; n != 1 {
		t.Fatalf("%d domain reads", n)
	}
	if n := after.Requests[EndpointGetOperator.String()] - before.Requests[EndpointGetOperator.String()]; n != 1 {
		t.Fatalf("%d operator reads", n)
	}
	// A write through the client is seen by its next read.
	if _, err := c.UpdateDomain(ctx, name, DomainUpdate{Active: new(false)}); err != nil {
		t.Fatal(err)
	}
	if d, _ := c.GetDomain(ctx, name); d.Active {
		t.Fatal("stale read after a write")
	}
	if err := c.SetOperatorActive(ctx, op.ID, false); err != nil {
		t.Fatal(err)
	}
	if o, _ := c.GetOperator(ctx, op.ID); o.Active {
		t.Fatal("stale read after a write")
	}
}

// TestEndpointsAreTheEmulatorsRoutes: the client calls the routes the
// emulator serves, with the same methods, and no other.
func TestEndpointsAreTheEmulatorsRoutes(t *testing.T) {
	var client []string
	for _, e := range Endpoints {
		client = append(client, e.String())
	}
	slices.Sort(client)
	if emu := slices.Sorted(slices.Values(emulator.Routes())); !slices.Equal(client, emu) {
		t.Errorf("the client's endpoints:\n%s\nthe emulator's routes:\n%s", strings.Join(client, "\n"), strings.Join(emu, "\n"))
	}
}
