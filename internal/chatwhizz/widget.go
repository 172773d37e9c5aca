package chatwhizz

import (
	"context"
	"encoding/json"
	"errors"
)

// WidgetVisibility is the server's answer to whether the chat widget shows
// on a domain. What makes it visible is the service's own rule; the client
// passes the answer on as given.
type WidgetVisibility struct {
	Visible bool
	// Reason is the server's explanation of a hidden widget, verbatim; ""
	// when the widget is visible (the contract gives a reason only then).
	Reason string
}

type widgetData struct {
	Visible *flexBool  `json:"isWidgetVisible"` // nil when absent
	Reason  flexString `json:"reason"`
}

// UnmarshalJSON refuses an answer that does not say whether the widget is
// visible: reading its absence as "hidden" would report what the server never
// said.
func (w *widgetData) UnmarshalJSON(raw []byte) error {
	type plain widgetData
	if err := json.Unmarshal(raw, (*plain)(w)); err != nil {
		return err
	}
	if w.Visible == nil {
		return errors.New("no isWidgetVisible")
	}
	return nil
}

// CheckWidgetVisibility asks whether the chat widget is visible on a domain
// (the seller-buyer page of the reference; under another addon the server
// may refuse it). It changes nothing. errors.Is(err, ErrNotFound) when the
// domain does not exist for this organisation and addon.
func (c *Client) CheckWidgetVisibility(ctx context.Context, domainName string) (*WidgetVisibility, error) {
	var w widgetData
	if err := c.call(ctx, request{
		Endpoint: EndpointWidgetVisibility,
		body:     map[string]string{"domain_name": domainName}, auth: true, typeEnvelope: true,
	}, &w); err != nil {
		return nil, err
	}
	v := &WidgetVisibility{Visible: bool(*w.Visible)}
	if !v.Visible {
		v.Reason = string(w.Reason)
	}
	return v, nil
}
