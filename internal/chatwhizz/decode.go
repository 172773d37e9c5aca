package chatwhizz

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
)

// envelope is every answer of the API: {"status": 1, "data": ...} on success,
// {"status": 0, "message": "..."} on failure. The call of the seller-buyer
// page (widgets.go) answers with "type" ("success", "failure") instead of
// "status". Fields are kept raw because real servers vary their types
// (DESIGN.md, "What the client tolerates").
type envelope struct {
	Status  json.RawMessage `json:"status"`
	Type    json.RawMessage `json:"type"`
	Message json.RawMessage `json:"message"`
	Error   json.RawMessage `json:"error"`
	Data    json.RawMessage `json:"data"`
}

// verdict is what an envelope says of the call it answers.
type verdict int

const (
	// noVerdict: the body carries neither field, so it is not the API's
	// envelope (a proxy's or a framework's JSON).
	noVerdict verdict = iota
	succeeded
	failed
)

// verdict reads status (1 or "1" is a success, anything else a failure) and,
// when the call answers with it, type ("success"; "failure" or "error", in
// any case). A failure in either field wins: a read must not pass for a
// success on a contradictory answer.
func (e *envelope) verdict(readsType bool) verdict {
	v := noVerdict
	if len(e.Status) > 0 {
		var n flexInt
		if json.Unmarshal(e.Status, &n) != nil || n != 1 {
			return failed
		}
		v = succeeded
	}
	if readsType {
		switch strings.ToLower(strings.TrimSpace(rawText(e.Type))) {
		case "success":
			v = succeeded
		case "failure", "error":
			return failed
		}
	}
	return v
}

// failureMessage is the server's explanation, verbatim: message, else error
// (a string, or an object holding a message), else the raw JSON.
func (e *envelope) failureMessage() string {
	for _, raw := range []json.RawMessage{e.Message, e.Error} {
		if s := rawText(raw); s != "" {
			return s
		}
	}
	return "the server reported a failure without a message"
}

func rawText(raw json.RawMessage) string {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || bytes.Equal(raw, []byte("null")) {
		return ""
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	var obj struct {
		Message json.RawMessage `json:"message"`
	}
	if json.Unmarshal(raw, &obj) == nil && len(obj.Message) > 0 {
		if s := rawText(obj.Message); s != "" {
			return s
		}
	}
	return string(raw)
}

// flexBool accepts true/false, "true"/"false", 1/0 and "1"/"0".
type flexBool bool

func (b *flexBool) UnmarshalJSON(raw []byte) error {
	s := strings.ToLower(strings.Trim(strings.TrimSpace(string(raw)), `"`))
	switch s {
	case "true", "1", "yes", "on":
		*b = true
	case "false", "0", "no", "off", "", "null":
		*b = false
	default:
		return fmt.Errorf("cannot read %s as a boolean", raw)
	}
	return nil
}

// flexInt accepts a JSON number or a string holding one.
type flexInt int64

func (n *flexInt) UnmarshalJSON(raw []byte) error {
	s := strings.Trim(strings.TrimSpace(string(raw)), `"`)
	switch s {
	case "", "null":
		*n = 0
		return nil
	case "true":
		*n = 1
		return nil
	case "false":
		*n = 0
		return nil
	}
	if i, err := strconv.ParseInt(s, 10, 64); err == nil {
		*n = flexInt(i)
		return nil
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return fmt.Errorf("cannot read %s as a number", raw)
	}
	*n = flexInt(f)
	return nil
}

// flexString accepts a string or a number (an id sent as a number).
type flexString string

func (s *flexString) UnmarshalJSON(raw []byte) error {
	raw = bytes.TrimSpace(raw)
	if bytes.Equal(raw, []byte("null")) {
		*s = ""
		return nil
	}
	var str string
	if err := json.Unmarshal(raw, &str); err == nil {
		*s = flexString(str)
		return nil
	}
	var num json.Number
	if err := json.Unmarshal(raw, &num); err != nil {
		return fmt.Errorf("cannot read %s as a string", raw)
	}
	*s = flexString(num.String())
	return nil
}

// firstNonEmpty picks the id among the names servers use for it.
func firstNonEmpty(values ...flexString) string {
	for _, v := range values {
		if v != "" {
			return string(v)
		}
	}
	return ""
}

// snippet is the first bytes of a body that is not JSON, quoted in errors so a
// proxy's HTML error page is recognisable.
func snippet(body []byte) string {
	const limit = 200
	s := strings.TrimSpace(string(body))
	if len(s) > limit {
		s = s[:limit] + "..."
	}
	if s == "" {
		return "(empty body)"
	}
	return s
}

// maxBodyBytes caps what is read of any answer: the API's answers are
// small, and a misbehaving server must not exhaust memory.
const maxBodyBytes = 1 << 20

func decode(req request, status int, raw []byte, out any) error {
	fail := func(msg string) *APIError {
		return &APIError{Method: req.method, Path: req.displayPath(), StatusCode: status, Message: msg, notTheAPI: true}
	}
	if len(raw) > maxBodyBytes {
		return fail(fmt.Sprintf("the answer is larger than %d bytes", maxBodyBytes))
	}
	var env envelope
	if err := json.Unmarshal(raw, &env); err != nil {
		return fail("the answer is not JSON: " + snippet(raw))
	}
	v := env.verdict(req.typeEnvelope)
	if status < 200 || status > 299 || v != succeeded {
		if v == noVerdict && len(env.Message) == 0 && len(env.Error) == 0 {
			return fail("the answer has no status: " + snippet(raw))
		}
		failure := fail(env.failureMessage())
		// The API's own failure envelope carries a status (or, on the calls
		// that answer with one, a type); a generic JSON error from a proxy or
		// framework does not, and says nothing about the object.
		failure.notTheAPI = v == noVerdict
		failure.aboutObject = req.auth && !failure.notTheAPI
		return failure
	}
	if out == nil {
		return nil
	}
	if len(env.Data) == 0 || string(env.Data) == "null" {
		return fail("the answer has no data")
	}
	if err := json.Unmarshal(env.Data, out); err != nil {
		return fail(fmt.Sprintf("unexpected data (%v): %s", err, snippet(env.Data)))
	}
	return nil
}
