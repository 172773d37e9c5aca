package chatwhizz

import (
	"context"
	"fmt"
)

// Presence of an operator, as the API numbers it.
const (
	PresenceOffline = 0
	PresenceOnline  = 1
	PresenceAway    = 2
	PresenceBusy    = 3
)

// Operator is a user of the organisation.
type Operator struct {
	ID    string
	Name  string
	Email string
	// Active reports whether the user is an operator for the client's addon.
	Active bool
	// Presence is 0 offline, 1 online, 2 away or 3 busy (reads only).
	Presence int
}

// CreateOperatorInput creates an operator. FirstName and LastName are used
// only when the email is new to the organisation.
type CreateOperatorInput struct {
	Email     string
	FirstName string
	LastName  string
}

type operatorData struct {
	ID           flexString `json:"id"`
	UnderscoreID flexString `json:"_id"`
	UserID       flexString `json:"userId"`
	Name         flexString `json:"name"`
	Email        flexString `json:"email"`
	Status       flexInt    `json:"status"`
	Operator     flexBool   `json:"operator"`
}

// CreateOperator creates the operator, or, when the email already belongs to
// one, returns that operator and makes it active for the addon again.
func (c *Client) CreateOperator(ctx context.Context, in CreateOperatorInput) (*Operator, error) {
	body := map[string]string{"email": in.Email}
	if in.FirstName != "" {
		body["first_name"] = in.FirstName
	}
	if in.LastName != "" {
		body["last_name"] = in.LastName
	}
	var d operatorData
	if err := c.call(ctx, request{
		Endpoint: EndpointCreateOperator,
		body:     body, auth: true,
	}, &d); err != nil {
		return nil, err
	}
	op := &Operator{
		ID:     firstNonEmpty(d.ID, d.UnderscoreID, d.UserID),
		Name:   string(d.Name),
		Email:  string(d.Email),
		Active: true,
	}
	if op.ID == "" {
		return nil, fmt.Errorf("chatwhizz: POST admin/operator/create: the answer holds no operator id")
	}
	if op.Email == "" {
		op.Email = in.Email
	}
	// The create answer does not carry presence: the next read asks.
	c.operators.forget(op.ID)
	return op, nil
}

// GetOperator reads an operator; errors.Is(err, ErrNotFound) when it does not
// exist in the organisation.
func (c *Client) GetOperator(ctx context.Context, id string) (*Operator, error) {
	op, err := c.operators.get(ctx, id, func(ctx context.Context) (Operator, error) {
		var d operatorData
		err := c.call(ctx, request{
			Endpoint: EndpointGetOperator, param: id, auth: true,
		}, &d)
		if err != nil {
			return Operator{}, err
		}
		op := Operator{
			ID:       firstNonEmpty(d.UnderscoreID, d.ID, d.UserID),
			Name:     string(d.Name),
			Email:    string(d.Email),
			Presence: int(d.Status),
			Active:   bool(d.Operator),
		}
		if op.ID == "" {
			op.ID = id
		}
		return op, nil
	})
	if err != nil {
		return nil, err
	}
	return &op, nil
}

// SetOperatorActive makes the operator active (or inactive) for the addon.
// The API has no delete: inactive is the closest thing.
func (c *Client) SetOperatorActive(ctx context.Context, id string, active bool) error {
	status := 0
	if active {
		status = 1
	}
	err := c.call(ctx, request{
		Endpoint: EndpointUpdateOperator, param: id,
		body: map[string]int{"status": status}, auth: true,
	}, nil)
	c.operators.forget(id)
	return err
}
