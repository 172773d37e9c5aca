package emulator

import (
	"maps"
	"slices"
	"strings"
	"time"
)

// DomainRecord is a domain as the emulator stores it.
type DomainRecord struct {
	Name, Email, OrganisationDomain, Addon, Link string
	Active                                       bool
	Assignments                                  map[string]AssignmentRecord // by operator id
}

// AssignmentRecord is an operator's assignment to a domain.
type AssignmentRecord struct {
	OperatorID, UniqueID          string
	IsAdmin, OnlineStatus, Status bool
}

// OperatorRecord is an operator as the emulator stores it.
type OperatorRecord struct {
	ID, Email, Name, OrganisationDomain string
	Presence                            int             // 0 offline, 1 online, 2 away, 3 busy
	ActiveAddons                        map[string]bool // active as operator, by addon
}

func (d *DomainRecord) clone() DomainRecord {
	c := *d
	c.Assignments = maps.Clone(d.Assignments)
	return c
}

func (o *OperatorRecord) clone() OperatorRecord {
	c := *o
	c.ActiveAddons = maps.Clone(o.ActiveAddons)
	return c
}

// The methods below are back doors for tests: they inspect the state, or
// change it the way something outside Terraform would (the API has no
// delete). They return copies and report ok=false when the object is absent.

// DeleteDomain removes a domain and its assignments.
func (e *Emulator) DeleteDomain(name string) bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	_, ok := e.domains[name]
	delete(e.domains, name)
	return ok
}

// DeleteOperator removes an operator of an organisation and its assignments.
func (e *Emulator) DeleteOperator(orgDomain, operatorID string) bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	op := e.findOperatorLocked(orgDomain, operatorID)
	if op == nil {
		return false
	}
	o := e.orgs[orgDomain]
	delete(o.operators, op.ID)
	delete(o.byEmail, strings.ToLower(op.Email))
	for _, d := range e.domains {
		if d.OrganisationDomain == orgDomain {
			delete(d.Assignments, op.ID)
		}
	}
	return true
}

// DeleteAssignment removes an operator's assignment to a domain, as if it had
// disappeared while both ends still exist.
func (e *Emulator) DeleteAssignment(domain, operatorID string) bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	d, ok := e.domains[domain]
	if !ok {
		return false
	}
	_, ok = d.Assignments[operatorID]
	delete(d.Assignments, operatorID)
	return ok
}

// Domain returns a copy of a domain, whatever its organisation.
func (e *Emulator) Domain(name string) (DomainRecord, bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	d, ok := e.domains[name]
	if !ok {
		return DomainRecord{}, false
	}
	return d.clone(), true
}

// Operator returns a copy of an operator of an organisation.
func (e *Emulator) Operator(orgDomain, id string) (OperatorRecord, bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	op := e.findOperatorLocked(orgDomain, id)
	if op == nil {
		return OperatorRecord{}, false
	}
	return op.clone(), true
}

// findOperatorLocked is an operator of an organisation, or nil.
func (e *Emulator) findOperatorLocked(orgDomain, id string) *OperatorRecord {
	if o, ok := e.orgs[orgDomain]; ok {
		return o.operators[id]
	}
	return nil
}

// Operators returns copies of an organisation's operators, sorted by email.
func (e *Emulator) Operators(orgDomain string) []OperatorRecord {
	e.mu.Lock()
	defer e.mu.Unlock()
	var out []OperatorRecord
	if o, ok := e.orgs[orgDomain]; ok {
		for _, op := range o.operators {
			out = append(out, op.clone())
		}
	}
	slices.SortFunc(out, func(a, b OperatorRecord) int { return strings.Compare(a.Email, b.Email) })
	return out
}

// Domains returns copies of an organisation's domains (all addons), sorted
// by name.
func (e *Emulator) Domains(orgDomain string) []DomainRecord {
	e.mu.Lock()
	defer e.mu.Unlock()
	var out []DomainRecord
	for _, d := range e.domains {
		if d.OrganisationDomain == orgDomain {
			out = append(out, d.clone())
		}
	}
	slices.SortFunc(out, func(a, b DomainRecord) int { return strings.Compare(a.Name, b.Name) })
	return out
}

// SetOperatorPresence sets the presence GET admin/operator reports as
// "status" (0 offline, 1 online, 2 away, 3 busy); in the real service it
// follows the operator's chat client.
func (e *Emulator) SetOperatorPresence(orgDomain, id string, presence int) bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	op := e.findOperatorLocked(orgDomain, id)
	if op != nil {
		op.Presence = presence
	}
	return op != nil
}

// IssuedTokens returns every access and refresh token issued since the last
// reset, including those rotated away: secrets for tests to look for.
func (e *Emulator) IssuedTokens() []string {
	e.mu.Lock()
	defer e.mu.Unlock()
	return slices.Clone(e.issued)
}

// ExpireAccessTokens makes every access token issued so far expired now;
// the refresh tokens stay valid, so the pairs can still be regenerated.
func (e *Emulator) ExpireAccessTokens() {
	e.expireTokens(false)
}

// ExpireRefreshTokens makes every token pair issued so far dead: neither
// token works any more, and only a new login helps.
func (e *Emulator) ExpireRefreshTokens() {
	e.expireTokens(true)
}

func (e *Emulator) expireTokens(refreshToo bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	// Expiry is "now is not before the expiry time", so now is already late.
	now := time.Now()
	for _, s := range e.sessions {
		s.accessExp = now
		if refreshToo {
			s.refreshExp = now
		}
	}
}
