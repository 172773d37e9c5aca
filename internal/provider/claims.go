package provider

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/hashicorp/terraform-plugin-framework/diag"
)

// claims remembers, for one provider process (one Terraform command), which
// server objects the resources of this process have taken: created,
// adopted, moved onto or renamed into. It keeps three rules.
//
// A replacement never undoes itself. The API has no delete, so a create
// lands on the object that already exists under the same key: the
// replacement of a domain, operator or assignment (`-replace`,
// `create_before_destroy`) creates the "new" object on top of the old one,
// and the destroy of the deposed instance would then deactivate what the
// same apply has just set up. The destroy asks here first.
//
// One object, one resource. Two resources that take the same object in one
// apply (two operators whose emails differ only in case, one domain
// declared twice) would each deactivate it for the other on destroy: the
// second to take it is refused, before any call.
//
// Renames are followed for the renamed object only. A release that comes
// after a domain's rename acts on the domain under its new name; a rename
// never takes a domain from under a resource that created or adopted it in
// this apply; a rename of another domain into the old name is another object.
//
// Each key has a lock, held while acting on its object, so that no two
// operations on one server object in one apply interleave: whichever runs
// second sees what the first did. Locks are taken in one order: domains (by
// name, in byte order, when two) before assignments.
type claims struct {
	mu      sync.Mutex
	entries map[string]*claim
	renames map[string]string // domain renamed by this process: old name -> new name
	// found is kept apart from renames: a rename of this apply must stay
	// followable after its old name is taken by another domain of the same
	// apply (b -> c, then a -> b), while a rename the refresh found is only
	// for the assignments read after it.
	found map[string]string // domain found renamed by the refresh: old name -> new name
}

// claim is the state of one key; hold its lock while acting on the object.
type claim struct {
	sync.Mutex
	// taken: a resource of this process created, adopted, moved onto or
	// renamed into the object.
	taken bool
	// how says what that resource did, with the object as it wrote it, for
	// the error of a second resource on the same object.
	how string
	// holder is the resource instance that took it (see newHolder).
	holder string
}

// take records that the resource instance holder took the object.
func (e *claim) take(holder string) { e.taken, e.holder = true, holder }

// keptFrom reports whether the destroy of the resource instance holder must
// leave the object alone: another resource of this process took it (the
// replacement of a deposed instance, most often). The destroy of the
// instance that took it is no replacement, and frees it: `terraform test`
// applies and destroys in one process, and its destroy must deactivate what
// its apply made.
func (e *claim) keptFrom(holder string) bool {
	if !e.taken {
		return false
	}
	if holder != "" && holder == e.holder {
		e.taken, e.holder, e.how = false, "", ""
		return false
	}
	return true
}

// A holder names one resource instance across the operations of one process:
// a token of this process, kept in the instance's private state by the
// create, move or rename that takes a claim, and read back by its destroy.
const holderKey = "claim_holder"

var (
	holderPrefix = rand.Text()[:12]
	holderCount  atomic.Uint64
)

type privateGetter interface {
	GetKey(ctx context.Context, key string) ([]byte, diag.Diagnostics)
}

type privateSetter interface {
	SetKey(ctx context.Context, key string, value []byte) diag.Diagnostics
}

// holderOf is the instance's holder, "" when it has none from this process
// (or none at all: a prior process's token never matches a claim here).
func holderOf(ctx context.Context, private privateGetter) string {
	if private == nil {
		return ""
	}
	raw, _ := private.GetKey(ctx, holderKey)
	var h string
	if json.Unmarshal(raw, &h) != nil {
		return ""
	}
	return h
}

// holderFor returns the instance's holder, or a new one, and records it in
// the response's private state.
func holderFor(ctx context.Context, prior privateGetter, next privateSetter, diags *diag.Diagnostics) string {
	h := holderOf(ctx, prior)
	if !strings.HasPrefix(h, holderPrefix) {
		h = fmt.Sprintf("%s-%d", holderPrefix, holderCount.Add(1))
	}
	raw, _ := json.Marshal(h)
	diags.Append(next.SetKey(ctx, holderKey, raw)...)
	return h
}

func newClaims() *claims {
	return &claims{entries: map[string]*claim{}, renames: map[string]string{}, found: map[string]string{}}
}

// lock returns the key's claim, locked; the caller unlocks it.
func (c *claims) lock(key string) *claim {
	c.mu.Lock()
	e, ok := c.entries[key]
	if !ok {
		e = &claim{}
		c.entries[key] = e
	}
	c.mu.Unlock()
	e.Lock()
	return e
}

// lockToTake locks the key's claim for a resource about to take its object;
// how says what it does, should another resource meet the object later.
// When a resource of this process has already taken the object, nothing is
// locked: it returns nil and what that resource did.
func (c *claims) lockToTake(key, how string) (e *claim, takenBy string) {
	e = c.lock(key)
	if e.taken {
		takenBy = e.how
		e.Unlock()
		return nil, takenBy
	}
	e.how = how
	return e, ""
}

// lockOrReport is lockToTake for a resource's operation: when another
// resource has taken the object, it reports that as an error in diags, with
// kind and object naming it as this resource wrote it (addTwoResourcesError).
func (c *claims) lockOrReport(key, how, kind, object string, diags *diag.Diagnostics) *claim {
	e, takenBy := c.lockToTake(key, how)
	if e == nil {
		addTwoResourcesError(diags, kind, object, takenBy)
	}
	return e
}

// addTwoResourcesError reports that a resource maps to an object another
// resource of this apply has taken; object names it as this resource
// wrote it, takenBy is what the other did.
func addTwoResourcesError(diags *diag.Diagnostics, kind, object, takenBy string) {
	diags.AddError("Two resources on one "+kind, fmt.Sprintf(
		"%s is already managed by another resource of this configuration, which %s in this apply. "+
			"Two resources on one %s would undo each other (destroying either would deactivate it for both), "+
			"so this one was not applied and nothing was changed for it. Declare the %s once.", object, takenBy, kind, kind))
}

// renaming is a domain's rename in progress: it holds the claims of the old
// and the new name.
type renaming struct {
	c        *claims
	from, to string
	old, new *claim
}

// lockRename locks the claims of a domain's old and new names for its
// rename, so that a create, release or rename on either name waits for it
// and then sees the domain where it is. It refuses, with nothing locked and
// the error to report, when a resource of this process has taken either:
// the old name's domain is then that resource's (renaming it would take it
// from under it), and the new name is another resource's domain.
func (c *claims) lockRename(from, to string) (*renaming, string) {
	first, second := domainKey(from), domainKey(to)
	if second < first {
		first, second = second, first
	}
	a, b := c.lock(first), c.lock(second)
	r := &renaming{c: c, from: from, to: to, old: a, new: b}
	if first != domainKey(from) {
		r.old, r.new = b, a
	}
	switch {
	case r.old.taken:
		defer r.unlock()
		return nil, fmt.Sprintf("Could not rename domain %q to %q: another resource of this configuration %s in this apply, "+
			"and renaming it would take it from under that resource. To rename this domain and give its old name to a new domain, "+
			"make the new domain's resource depend on this one (depends_on), so that it is created after the rename.", from, to, r.old.how)
	case r.new.taken:
		defer r.unlock()
		return nil, fmt.Sprintf("Could not rename domain %q to %q: the domain %q is already managed by another resource of this configuration, which %s in this apply. "+
			"Two resources on one domain would undo each other; declare the domain once.", from, to, to, r.new.how)
	}
	return r, ""
}

// done records the rename: releases that follow it act on the new name, and
// the new name's domain is this resource's.
func (r *renaming) done(holder string) {
	r.new.take(holder)
	r.new.how = fmt.Sprintf("renamed domain %q to it", r.from)
	r.c.mu.Lock()
	r.c.renames[r.from] = r.to
	r.c.mu.Unlock()
}

func (r *renaming) unlock() {
	r.old.Unlock()
	if r.new != r.old {
		r.new.Unlock()
	}
}

// renamedOutside records a rename that the refresh found done (an earlier
// apply lost its answer), so that the assignments read in this process
// follow the domain too.
func (c *claims) renamedOutside(from, to string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.found[from] = to
}

// foundRenamed is the name under which the refresh found a domain that the
// state knows as from, if it did.
func (c *claims) foundRenamed(from string) (string, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	to, ok := c.found[from]
	return to, ok
}

// wasRenamed reports whether this process renamed the domain from into to.
// Renames are not chained: a→b of one domain and b→c of another are two
// objects, and the first is at b, not c.
func (c *claims) wasRenamed(from, to string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	next, ok := c.renames[from]
	return ok && next == to
}

// lockDomainName locks the claim of a domain's name as the caller knows it
// (from the state) and returns the name the domain has now: the new one
// when this process has renamed it. Until the caller unlocks, no rename of
// that domain can start.
func (c *claims) lockDomainName(name string) (*claim, string) {
	e := c.lock(domainKey(name))
	c.mu.Lock()
	defer c.mu.Unlock()
	if now, ok := c.renames[name]; ok {
		return e, now
	}
	return e, name
}

// The keys of the three kinds of object, as the server identifies them.
func domainKey(name string) string { return "domain " + name }

// operatorKey is the email: creating an operator with an email that exists
// answers that operator, whatever the case of the email.
func operatorKey(email string) string { return "operator " + strings.ToLower(email) }

func assignmentKey(domain, operatorID string) string {
	return "assignment " + assignmentID(domain, operatorID)
}
