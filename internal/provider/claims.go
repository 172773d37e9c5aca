package provider

import (
	"strings"
	"sync"
)

// claims remembers, for one provider process (one Terraform command), which
// server objects this process has created, adopted or renamed into.
//
// The API has no delete, so a create lands on the object that already exists
// under the same key: the replacement of a domain, operator or assignment
// (`-replace`, `create_before_destroy`) creates the "new" object on top of
// the old one, and the destroy of the deposed instance would then deactivate
// what the same apply has just set up. The destroy asks here first.
//
// Each key has a lock, held across the create or destroy of its object, so a
// create and a destroy of the same server object in one apply never
// interleave: whichever runs second sees what the first did.
type claims struct {
	mu      sync.Mutex
	entries map[string]*claim
	renames map[string]string // domain renamed by this process: old name -> new name
}

// claim is the state of one key; hold its lock while acting on the object.
type claim struct {
	sync.Mutex
	// taken: this process created or adopted the object.
	taken bool
}

func newClaims() *claims {
	return &claims{entries: map[string]*claim{}, renames: map[string]string{}}
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

// renamed records that this process renamed a domain.
func (c *claims) renamed(from, to string) {
	c.mu.Lock()
	c.renames[from] = to
	c.mu.Unlock()
}

// wasRenamed reports whether this process renamed the domain from into to,
// following renames in a chain.
func (c *claims) wasRenamed(from, to string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	for range len(c.renames) {
		next, ok := c.renames[from]
		if !ok {
			return false
		}
		if next == to {
			return true
		}
		from = next
	}
	return false
}

// The keys of the three kinds of object, as the server identifies them.
func domainKey(name string) string { return "domain " + name }

// operatorKey is the email: creating an operator with an email that exists
// answers that operator, whatever the case of the email.
func operatorKey(email string) string { return "operator " + strings.ToLower(email) }

func assignmentKey(domain, operatorID string) string {
	return "assignment " + assignmentID(domain, operatorID)
}
