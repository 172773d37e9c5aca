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

// url is the request's address below base, its user data escaped.
func (r *request) url(base *url.URL) string {
	path := r.segments(r.param)
	escaped := make([]string, len(path))
	for i, seg := range path {
		escaped[i] = url.PathEscape(seg)
	}
	u := *base
	u.Path = strings.TrimRight(base.Path, "/") + "/" + strings.Join(path, "/")
	u.RawPath = strings.TrimRight(base.EscapedPath(), "/") + "/" + strings.Join(escaped, "/")
	if len(r.query) > 0 {
		u.RawQuery = r.query.Encode()
	}
	return u.String()
}

// putSet adds an update's field to a request body when it is set: the API
// leaves a field that is not sent as it is.
func putSet[T any](body map[string]any, key string, v *T) {
	if v != nil {
		body[key] = *v
	}
}
