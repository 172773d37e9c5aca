package emulator

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// route is one admin/ endpoint of the contract. A pattern has at most one
// {wildcard} segment, whose unescaped value the handler gets as call.param.
type route struct {
	method   string
	pattern  string   // without leading slash; also the Stats.Requests key after the method
	query    []string // the query parameters accepted; any other one is a 400
	auth     bool     // needs the access_token header
	envelope envelope // the shape of its answers, failures included
	handle   func(e *Emulator, c *call) (any, *apiError)
}

// envelope is the shape a route answers in.
type envelope int

const (
	// statusEnvelope: {"status": 1, "data": ...}, {"status": 0, "type": "error", "message": ...}.
	statusEnvelope envelope = iota
	// typeEnvelope: {"type": "success", "data": ...}, {"type": "failure",
	// "message": ...}: the call of the seller-buyer page (chatwhizz-api.md
	// section 7).
	typeEnvelope
)

var routes = []route{
	{http.MethodGet, "admin/access-token", []string{"email", "password", "organisation_domain", "addon_unique_name"}, false, statusEnvelope, (*Emulator).login},
	{http.MethodPost, "admin/access-token/validate", nil, false, statusEnvelope, handleBody[validation]},
	{http.MethodPost, "admin/access-token/regenerate", nil, false, statusEnvelope, handleBody[regeneration]},
	{http.MethodPost, "admin/operator/create", nil, true, statusEnvelope, handleBody[operatorCreation]},
	{http.MethodGet, "admin/operator/{operatorId}", nil, true, statusEnvelope, locked((*Emulator).getOperator)},
	{http.MethodPut, "admin/operator/update/{operatorId}", nil, true, statusEnvelope, handleBody[operatorUpdate]},
	{http.MethodPost, "admin/domain/create", nil, true, statusEnvelope, handleBody[domainCreation]},
	{http.MethodGet, "admin/domain/{domain_name}", nil, true, statusEnvelope, locked((*Emulator).getDomain)},
	{http.MethodPut, "admin/domain/update/{domain_name}", nil, true, statusEnvelope, handleBody[domainUpdate]},
	{http.MethodPost, "admin/operator/assign", nil, true, statusEnvelope, handleBody[assignment]},
	{http.MethodPut, "admin/operator/assign/{operatorId}", nil, true, statusEnvelope, handleBody[assignmentUpdate]},
	// The reference's spelling.
	{http.MethodPost, "admin/check-widget-visiblity", nil, true, typeEnvelope, handleBody[widgetQuestion]},
}

// Routes are the endpoints the emulator serves, as its counters name them
// ("GET admin/domain/{domain_name}"). A test of the client checks that they
// are the ones it calls: the emulator is the contract's own reading, and
// imports nothing of the client.
func Routes() []string {
	names := make([]string, len(routes))
	for i, rt := range routes {
		names[i] = rt.method + " " + rt.pattern
	}
	return names
}

// call is what a handler needs of a request.
type call struct {
	r     *http.Request
	param string    // the value of the route's {wildcard}, unescaped
	p     principal // who the access token belongs to (authenticated routes)
}

// principal is the organisation and addon an access token is bound to.
type principal struct {
	org, addon string
}

// apiError is a failure answer: an HTTP status and a human-readable message.
type apiError struct {
	code int
	msg  string
}

func errorf(code int, format string, args ...any) *apiError {
	return &apiError{code: code, msg: fmt.Sprintf(format, args...)}
}

// match finds the route for a request. The most specific pattern matching the
// path (most literal segments) decides: if it does not take the method the
// answer is 405 rather than a less specific route, so "GET admin/domain/create"
// is a wrong method, not a lookup of a domain named "create".
func match(method, escapedPath string) (rt *route, param string, status int) {
	rest, ok := strings.CutPrefix(escapedPath, "/")
	if !ok || strings.HasPrefix(rest, "/") {
		return nil, "", http.StatusNotFound
	}
	segs := strings.Split(rest, "/")
	for i, s := range segs {
		u, err := url.PathUnescape(s)
		if err != nil {
			return nil, "", http.StatusNotFound
		}
		segs[i] = u
	}
	best := -1
	status = http.StatusNotFound
	for i := range routes {
		lits, p, ok := matchPattern(routes[i].pattern, segs)
		if !ok || lits < best {
			continue
		}
		if lits > best {
			best, rt, param, status = lits, nil, "", http.StatusMethodNotAllowed
		}
		if routes[i].method == method {
			rt, param, status = &routes[i], p, http.StatusOK
		}
	}
	return rt, param, status
}

// matchPattern reports whether segs fit pattern, how many of the pattern's
// segments are literals, and the value of its wildcard.
func matchPattern(pattern string, segs []string) (literals int, param string, ok bool) {
	ps := strings.Split(pattern, "/")
	if len(ps) != len(segs) {
		return 0, "", false
	}
	for i, p := range ps {
		switch {
		case strings.HasPrefix(p, "{"):
			if segs[i] == "" {
				return 0, "", false
			}
			param = segs[i]
		case p == segs[i]:
			literals++
		default:
			return 0, "", false
		}
	}
	return literals, param, true
}

// allowedMethods lists the methods of the routes whose pattern matches the
// path, for the Allow header of a 405.
func allowedMethods(escapedPath string) string {
	var ms []string
	for i := range routes {
		_, _, st := match(routes[i].method, escapedPath)
		if st == http.StatusOK && !slices.Contains(ms, routes[i].method) {
			ms = append(ms, routes[i].method)
		}
	}
	return strings.Join(ms, ", ")
}

// ServeHTTP answers the contract's admin/ routes and the /_emulator/ control
// routes.
func (e *Emulator) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	rec := &statusRecorder{ResponseWriter: w}
	defer e.logRequest(r, rec, start)

	path := r.URL.EscapedPath()
	if strings.HasPrefix(path, "/_emulator/") {
		e.serveControl(rec, r, path)
		return
	}
	rt, param, status := match(r.Method, path)
	switch status {
	case http.StatusNotFound:
		writeRouteError(rec, http.StatusNotFound, "route not found")
		return
	case http.StatusMethodNotAllowed:
		rec.Header().Set("Allow", allowedMethods(path))
		writeRouteError(rec, http.StatusMethodNotAllowed, "method not allowed")
		return
	}

	e.mu.Lock()
	e.stats.Requests[r.Method+" "+rt.pattern]++
	latency := e.knobs.Latency
	e.mu.Unlock()

	if latency > 0 {
		t := time.NewTimer(latency)
		select {
		case <-r.Context().Done():
			t.Stop()
			return
		case <-t.C:
		}
	}
	if err := e.admit(rec); err != nil {
		writeError(rec, rt.envelope, err)
		return
	}

	c := &call{r: r, param: param}
	if err := e.prepare(rt, c); err != nil {
		writeError(rec, rt.envelope, err)
		return
	}
	data, err := rt.handle(e, c)
	if err != nil {
		writeError(rec, rt.envelope, err)
		return
	}
	writeSuccess(rec, rt.envelope, data)
}

// writeSuccess answers data 200 in the route's envelope.
func writeSuccess(w http.ResponseWriter, env envelope, data any) {
	if env == typeEnvelope {
		writeJSON(w, http.StatusOK, struct {
			Type string `json:"type"`
			Data any    `json:"data"`
		}{"success", data})
		return
	}
	writeJSON(w, http.StatusOK, struct {
		Status int `json:"status"`
		Data   any `json:"data"`
	}{1, data})
}

// admit applies the rate-limit, quota and failure knobs, in that order,
// before a request does anything.
func (e *Emulator) admit(w http.ResponseWriter) *apiError {
	e.mu.Lock()
	defer e.mu.Unlock()
	now := time.Now()
	if !e.allowLocked(now) {
		e.stats.Throttled++
		w.Header().Set("Retry-After", "1")
		return errorf(http.StatusTooManyRequests, "rate limit exceeded, retry after 1 second")
	}
	if ok, retryAfter := e.quotaLocked(now); !ok {
		e.stats.Throttled++
		w.Header().Set("Retry-After", strconv.Itoa(retryAfter))
		return errorf(http.StatusTooManyRequests, "quota of %d requests per %s exceeded, retry after %d seconds", e.knobs.Quota, e.knobs.QuotaWindow, retryAfter)
	}
	if e.knobs.FailureRate > 0 && rand.Float64() < e.knobs.FailureRate {
		e.stats.Injected503++
		return errorf(http.StatusServiceUnavailable, "service unavailable")
	}
	return nil
}

// prepare authenticates the caller where the route needs it, rejects query
// parameters the route does not take, then checks the route's {wildcard}.
func (e *Emulator) prepare(rt *route, c *call) *apiError {
	if rt.auth {
		p, err := e.authenticate(c.r)
		if err != nil {
			return err
		}
		c.p = p
	}
	q, err := url.ParseQuery(c.r.URL.RawQuery)
	if err != nil {
		return errorf(http.StatusBadRequest, "malformed query string")
	}
	for k := range q {
		if !slices.Contains(rt.query, k) {
			return errorf(http.StatusBadRequest, "unknown query parameter %q", k)
		}
	}
	return rt.checkParam(c.param)
}

// wildcardChecks check the value of a route's {wildcard} as the contract pins
// it: the same checks as the same field in a body.
var wildcardChecks = map[string]func(string) *apiError{
	"{operatorId}":  checkOperatorID,
	"{domain_name}": func(name string) *apiError { return checkDomainName("domain_name", name) },
}

// checkParam checks the value of the route's {wildcard}, if it has one.
func (rt *route) checkParam(param string) *apiError {
	for _, seg := range strings.Split(rt.pattern, "/") {
		if check, ok := wildcardChecks[seg]; ok {
			return check(param)
		}
	}
	return nil
}

// authenticate resolves the access_token header to its principal.
func (e *Emulator) authenticate(r *http.Request) (principal, *apiError) {
	tok := r.Header.Get("access_token")
	if tok == "" {
		return principal{}, errorf(http.StatusUnauthorized, "access token missing")
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	s, ok := e.sessions[tok]
	if !ok {
		return principal{}, errorf(http.StatusUnauthorized, "invalid access token")
	}
	if !time.Now().Before(s.accessExp) {
		return principal{}, errorf(http.StatusUnauthorized, "access token expired")
	}
	return principal{org: s.org, addon: s.addon}, nil
}

// maxBody bounds request bodies; the contract's bodies are a few fields.
const maxBody = 1 << 20

// decodeBody reads a POST/PUT body strictly into dst, a pointer to a struct:
// the Content-Type must be JSON, the body one JSON object, with no unknown
// field and no value of the wrong type.
func decodeBody(r *http.Request, dst any) *apiError {
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mt != "application/json" {
		return errorf(http.StatusBadRequest, "Content-Type must be application/json")
	}
	dec := json.NewDecoder(http.MaxBytesReader(nil, r.Body, maxBody))
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		return errorf(http.StatusBadRequest, "%s", describeJSONError(err))
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return errorf(http.StatusBadRequest, "request body must be a single JSON object")
	}
	return nil
}

func describeJSONError(err error) string {
	var typeErr *json.UnmarshalTypeError
	var syntaxErr *json.SyntaxError
	var tooLarge *http.MaxBytesError
	switch {
	case errors.Is(err, io.EOF):
		return "request body is empty"
	case errors.Is(err, io.ErrUnexpectedEOF):
		return "malformed JSON: unexpected end of body"
	case errors.As(err, &syntaxErr):
		return "malformed JSON: " + syntaxErr.Error()
	case errors.As(err, &tooLarge):
		return "request body too large"
	case errors.As(err, &typeErr):
		if typeErr.Field == "" {
			return "request body must be a JSON object"
		}
		return fmt.Sprintf("field %q must be %s, not %s", typeErr.Field, jsonKind(typeErr.Type.String()), typeErr.Value)
	}
	// Unknown fields come as `json: unknown field "x"`.
	return strings.TrimPrefix(err.Error(), "json: ")
}

// jsonKind names the JSON kind a request field's Go type expects.
func jsonKind(goType string) string {
	switch goType {
	case "string":
		return "a string"
	case "bool":
		return "a boolean"
	case "int":
		return "an integer"
	case "float64":
		return "a number"
	}
	return "a " + goType
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false) // keep the embed snippet of a domain link readable
	_ = enc.Encode(v)
}

func writeError(w http.ResponseWriter, env envelope, err *apiError) {
	if env == typeEnvelope {
		writeJSON(w, err.code, map[string]any{"type": "failure", "message": err.msg})
		return
	}
	writeJSON(w, err.code, map[string]any{"status": 0, "type": "error", "message": err.msg})
}

// writeRouteError answers a request that reached no route; like a framework's
// own 404/405 it carries no "type".
func writeRouteError(w http.ResponseWriter, code int, msg string) {
	writeJSON(w, code, map[string]any{"status": 0, "message": msg})
}
