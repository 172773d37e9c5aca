package chatwhizz

import (
	"context"
	"errors"
)

// Domain is a website domain of the organisation under the client's addon.
type Domain struct {
	Name   string
	Email  string
	Active bool
	// Link is only answered by CreateDomain, for the seller-buyer addon.
	Link string
}

type domainData struct {
	Name       flexString `json:"name"`
	DomainName flexString `json:"domain_name"`
	Email      flexString `json:"email"`
	Status     *flexBool  `json:"status"` // nil when absent
	Link       flexString `json:"link"`
}

func (d domainData) domain(fallbackName string) Domain {
	name := firstNonEmpty(d.Name, d.DomainName)
	if name == "" {
		name = fallbackName
	}
	return Domain{
		Name:   name,
		Email:  string(d.Email),
		Active: d.Status != nil && bool(*d.Status),
		Link:   string(d.Link),
	}
}

// CreateDomain creates an active domain. errors.Is(err, ErrConflict) when
// the name is taken, by this organisation or another.
func (c *Client) CreateDomain(ctx context.Context, name, email string) (*Domain, error) {
	var d domainData
	if err := c.call(ctx, request{
		Endpoint: EndpointCreateDomain,
		body:     map[string]string{"domain_name": name, "email": email}, auth: true,
	}, &d); err != nil {
		return nil, err
	}
	dom := d.domain(name)
	if dom.Email == "" {
		dom.Email = email
	}
	// Some servers omit the status of a fresh domain; new domains are active.
	if d.Status == nil {
		dom.Active = true
	}
	c.domains.store(dom.Name, Domain{Name: dom.Name, Email: dom.Email, Active: dom.Active})
	return &dom, nil
}

// GetDomain reads a domain; errors.Is(err, ErrNotFound) when it does not
// exist for this organisation and addon.
func (c *Client) GetDomain(ctx context.Context, name string) (*Domain, error) {
	dom, err := c.domains.get(ctx, name, func(ctx context.Context) (Domain, error) {
		var d domainData
		if err := c.call(ctx, request{
			Endpoint: EndpointGetDomain, param: name, auth: true,
		}, &d); err != nil {
			return Domain{}, err
		}
		return d.domain(name), nil
	})
	if err != nil {
		return nil, err
	}
	return &dom, nil
}

// DomainUpdate changes a domain; nil fields are left as they are.
type DomainUpdate struct {
	Name   *string // renames the domain
	Email  *string
	Active *bool
	// Before is what the caller knows of the domain before the update, if
	// anything: it fills what a short answer leaves out (a server may
	// answer only the fields that changed).
	Before *Domain
}

// UpdateDomain applies the update and returns the domain's new values.
//
// A rename is not idempotent: when an attempt's answer was lost (a proxy's
// 502, a cut connection) the server may have applied it, and the retry then
// meets "not found" under the old name. So a rename that fails that way is
// checked: the old name gone and the new one there is the rename done.
func (c *Client) UpdateDomain(ctx context.Context, name string, upd DomainUpdate) (*Domain, error) {
	body := map[string]any{}
	putSet(body, "name", upd.Name)
	putSet(body, "email", upd.Email)
	putSet(body, "status", upd.Active)
	var d domainData
	err := c.call(ctx, request{
		Endpoint: EndpointUpdateDomain, param: name,
		body: body, auth: true,
	}, &d)
	c.domains.forget(name)
	if err != nil {
		if upd.Name != nil && errors.Is(err, ErrAnswerLost) {
			if renamed := c.renameApplied(ctx, name, *upd.Name); renamed != nil {
				return renamed, nil
			}
		}
		return nil, err
	}
	newName := name
	if upd.Name != nil {
		newName = *upd.Name
	}
	dom := d.domain(newName)
	// Fill what a short answer left out with what was asked, else with what
	// the caller knew.
	switch {
	case dom.Email != "":
	case upd.Email != nil:
		dom.Email = *upd.Email
	case upd.Before != nil:
		dom.Email = upd.Before.Email
	}
	switch {
	case d.Status != nil:
	case upd.Active != nil:
		dom.Active = *upd.Active
	case upd.Before != nil:
		dom.Active = upd.Before.Active
	}
	if dom.Email != "" && (d.Status != nil || upd.Active != nil) {
		c.domains.store(dom.Name, dom)
	} else {
		c.domains.forget(dom.Name)
	}
	return &dom, nil
}

// renameApplied reads whether a rename whose answer was lost took place:
// the domain is found under its new name and not under the old one. It
// answers the domain as found, or nil when that cannot be established.
func (c *Client) renameApplied(ctx context.Context, from, to string) *Domain {
	c.domains.forget(to)
	if _, err := c.GetDomain(ctx, from); !errors.Is(err, ErrNotFound) {
		return nil
	}
	renamed, err := c.GetDomain(ctx, to)
	if err != nil {
		return nil
	}
	return renamed
}
