package chatwhizz

import (
	"net/url"
	"strings"
)

// request is one API call.
type request struct {
	method string
	route  string   // the contract's route, e.g. "admin/domain/{domain_name}", for logs
	path   []string // path segments; user data is escaped when joined
	query  url.Values
	body   any
	auth   bool // sends the access_token header
	// typeEnvelope: the answer says success or failure in "type" as well as
	// "status" (the seller-buyer page's call, widgets.go).
	typeEnvelope bool
}

func (r *request) displayPath() string { return strings.Join(r.path, "/") }

func (c *Client) urlFor(req request) string {
	escaped := make([]string, len(req.path))
	for i, seg := range req.path {
		escaped[i] = url.PathEscape(seg)
	}
	u := *c.base
	u.Path = strings.TrimRight(c.base.Path, "/") + "/" + strings.Join(req.path, "/")
	u.RawPath = strings.TrimRight(c.base.EscapedPath(), "/") + "/" + strings.Join(escaped, "/")
	if len(req.query) > 0 {
		u.RawQuery = req.query.Encode()
	}
	return u.String()
}
