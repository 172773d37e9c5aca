package chatwhizz

import (
	"bytes"
	"context"
	"encoding/json"
)

// Assignment is an operator assigned to a domain, as the assign calls answer
// it (the API has no read of an assignment). A field the answer left out is
// at its zero value.
type Assignment struct {
	DomainName   string
	OperatorID   string
	Name         string
	Email        string
	UniqueID     string
	IsAdmin      bool
	OnlineStatus bool
	// Status is the seller-buyer addon's "operator gets messages".
	Status bool
}

// AssignInput assigns an operator to a domain. UniqueID is for the
// seller-buyer addon only.
type AssignInput struct {
	DomainName string
	OperatorID string
	UniqueID   *string
	IsAdmin    *bool
}

type assignmentData struct {
	DomainName flexString        `json:"domain_name"`
	Operators  assignedOperators `json:"operators"`
}

// assignedOperators is the "operators" of an assignment answer: an object,
// or, from some servers, a list holding it.
type assignedOperators struct {
	Name         flexString `json:"name"`
	Email        flexString `json:"email"`
	UserID       flexString `json:"userId"`
	ID           flexString `json:"id"`
	UnderscoreID flexString `json:"_id"`
	UniqueID     flexString `json:"unique_id"`
	IsAdmin      flexBool   `json:"is_admin"`
	OnlineStatus flexBool   `json:"online_status"`
	Status       flexBool   `json:"status"`
}

func (a *assignedOperators) UnmarshalJSON(raw []byte) error {
	type plain assignedOperators
	if trimmed := bytes.TrimSpace(raw); len(trimmed) > 0 && trimmed[0] == '[' {
		var list []plain
		if err := json.Unmarshal(trimmed, &list); err != nil {
			return err
		}
		if len(list) > 0 {
			*a = assignedOperators(list[0])
		}
		return nil
	}
	return json.Unmarshal(raw, (*plain)(a))
}

func (d assignmentData) assignment(domain, operatorID string) *Assignment {
	a := &Assignment{
		DomainName:   firstNonEmpty(d.DomainName, flexString(domain)),
		OperatorID:   firstNonEmpty(d.Operators.UserID, d.Operators.ID, d.Operators.UnderscoreID, flexString(operatorID)),
		Name:         string(d.Operators.Name),
		Email:        string(d.Operators.Email),
		UniqueID:     string(d.Operators.UniqueID),
		IsAdmin:      bool(d.Operators.IsAdmin),
		OnlineStatus: bool(d.Operators.OnlineStatus),
		Status:       bool(d.Operators.Status),
	}
	return a
}

// AssignOperator assigns the operator to the domain, or, when it already is,
// applies the given fields. The answer does not carry online_status.
func (c *Client) AssignOperator(ctx context.Context, in AssignInput) (*Assignment, error) {
	body := map[string]any{"domain_name": in.DomainName, "operator_id": in.OperatorID}
	putSet(body, "unique_id", in.UniqueID)
	putSet(body, "is_admin", in.IsAdmin)
	return c.assign(ctx, request{Endpoint: EndpointAssign, body: body, auth: true}, in.DomainName, in.OperatorID)
}

// AssignmentUpdate changes an existing assignment; nil fields are left as
// they are. UniqueID and Status are for the seller-buyer addon only.
type AssignmentUpdate struct {
	DomainName   string
	UniqueID     *string
	IsAdmin      *bool
	OnlineStatus *bool
	Status       *bool
}

// UpdateAssignment applies the update; errors.Is(err, ErrNotFound) when the
// operator is not assigned to the domain.
func (c *Client) UpdateAssignment(ctx context.Context, operatorID string, upd AssignmentUpdate) (*Assignment, error) {
	body := map[string]any{"domain_name": upd.DomainName}
	putSet(body, "unique_id", upd.UniqueID)
	putSet(body, "is_admin", upd.IsAdmin)
	putSet(body, "online_status", upd.OnlineStatus)
	putSet(body, "status", upd.Status)
	return c.assign(ctx, request{
		Endpoint: EndpointUpdateAssignment, param: operatorID,
		body: body, auth: true,
	}, upd.DomainName, operatorID)
}

// assign makes one of the two assign calls, which answer alike: the
// assignment, with what the answer leaves out taken from what was asked.
func (c *Client) assign(ctx context.Context, req request, domain, operatorID string) (*Assignment, error) {
	var d assignmentData
	if err := c.call(ctx, req, &d); err != nil {
		return nil, err
	}
	return d.assignment(domain, operatorID), nil
}
