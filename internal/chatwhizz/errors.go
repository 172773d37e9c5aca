package chatwhizz

import (
	"errors"
	"fmt"
	"strings"
)

var (
	// ErrNotFound matches (with errors.Is) a failure that means the object
	// does not exist, or belongs to another organisation or addon. Only an
	// answer from the API to a call about an object, made with a token the
	// service accepted, can say that: a failed login never does.
	ErrNotFound = errors.New("not found")
	// ErrConflict matches a failure that means the object already exists,
	// under the same condition as ErrNotFound.
	ErrConflict = errors.New("already exists")
	// ErrUnauthorized matches a failure of the credentials or tokens that no
	// renewal could repair.
	ErrUnauthorized = errors.New("unauthorized")
)

// APIError is a failure answered by the server: any HTTP status outside 2xx,
// or a body whose status is not 1. Message is the server's own text.
type APIError struct {
	Method     string
	Path       string // the route with its path parameters, never the query
	StatusCode int
	Message    string
	// aboutObject is decided where the answer arrived: the call was about an
	// object (it carried an access token) and the answer was the API's own
	// failure envelope, not a proxy's page. Only such an answer can say
	// that an object is missing or taken.
	aboutObject bool
	// notTheAPI marks an answer that is not the API's envelope at all (an
	// HTML page, a body with no status): most often a wrong base_url.
	notTheAPI bool
}

func (e *APIError) Error() string {
	return fmt.Sprintf("%s %s: HTTP %d: %s", e.Method, e.Path, e.StatusCode, e.Message)
}

// Is lets errors.Is classify an APIError by the contract's rules. Only an
// answer about an object to a token the service accepted can say that the
// object is missing or taken: a 404, or a message that says so, whatever
// status code carried it (some deployments answer failures with HTTP 200).
// A refused token (401, or a message saying the token is missing, invalid or
// expired: "Access token not found" is about the token, not the object), a
// refusal to act (403), a rate limit (429) and a server failure (5xx) say
// nothing about the object, whatever their message.
func (e *APIError) Is(target error) bool {
	switch target {
	case ErrNotFound:
		msg := strings.ToLower(e.Message)
		return e.aboutAcceptedObject() && (e.StatusCode == 404 || strings.Contains(msg, "not found") || strings.Contains(msg, "does not exist"))
	case ErrConflict:
		return e.aboutAcceptedObject() && (e.StatusCode == 409 || strings.Contains(strings.ToLower(e.Message), "already exist"))
	case ErrUnauthorized:
		return e.isAuthFailure()
	}
	return false
}

// aboutAcceptedObject reports whether the answer is the API's own verdict on
// the object a call was about, given to a token the service accepted.
func (e *APIError) aboutAcceptedObject() bool {
	switch {
	case !e.aboutObject, e.isAuthFailure():
		return false
	case e.StatusCode == 403, e.StatusCode == 429, e.StatusCode >= 500:
		return false
	}
	return true
}

// isAuthFailure reports whether the call failed because the token it carried
// is dead. HTTP 401 says so; a server that answers every failure with HTTP
// 200 can only say so in its message. A false positive costs one renewal.
func (e *APIError) isAuthFailure() bool {
	if e.StatusCode == 401 {
		return true
	}
	msg := strings.ToLower(e.Message)
	if strings.Contains(msg, "unauthori") {
		return true
	}
	if !strings.Contains(msg, "token") {
		return false
	}
	for _, dead := range []string{"expired", "invalid", "not found", "missing", "revoked"} {
		if strings.Contains(msg, dead) {
			return true
		}
	}
	return false
}

// AuthError explains why the client could not obtain a working token: a
// failed login, validation of the configured pair, or regeneration. It is
// never a not-found or a conflict, whatever the server answered: those calls
// are about the credentials, not about any object.
type AuthError struct {
	Action string // what failed, e.g. "log in" (see token.go)
	Hint   string // what to check, when the answer suggests it
	Err    error
	// Final is true when retrying cannot help (the server refused the
	// credentials, or is not the API); false for a passing failure (a 5xx,
	// a timeout), which the next call tries again.
	Final bool
}

func (e *AuthError) Error() string {
	s := "chatwhizz: could not " + e.Action + ": " + e.Err.Error()
	if e.Hint != "" {
		s += " (" + e.Hint + ")"
	}
	return s
}

func (e *AuthError) Unwrap() error { return e.Err }

// Is makes a final AuthError an ErrUnauthorized. It never matches
// ErrNotFound or ErrConflict: the APIError it wraps was not about an object,
// so it cannot match them either.
func (e *AuthError) Is(target error) bool { return target == ErrUnauthorized && e.Final }
