package chatwhizz

import (
	"net/url"
	"strings"
)

// request is one API call.
type request struct {
	Endpoint        // its method, and its route for logs
	param    string // the value of the route's {wildcard}: user data, escaped when sent
	query    url.Values
	body     any
	auth     bool // sends the access_token header
	// typeEnvelope: the answer says success or failure in "type" as well as
	// "status" (the seller-buyer page's call, widgets.go).
	typeEnvelope bool
}

func (r *request) displayPath() string { return strings.Join(r.segments(r.param), "/") }

func (c *Client) urlFor(req request) string {
	path := req.segments(req.param)
	escaped := make([]string, len(path))
	for i, seg := range path {
		escaped[i] = url.PathEscape(seg)
	}
	u := *c.base
	u.Path = strings.TrimRight(c.base.Path, "/") + "/" + strings.Join(path, "/")
	u.RawPath = strings.TrimRight(c.base.EscapedPath(), "/") + "/" + strings.Join(escaped, "/")
	if len(req.query) > 0 {
		u.RawQuery = req.query.Encode()
	}
	return u.String()
}
