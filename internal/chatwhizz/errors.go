package chatwhizz

import (
	"errors"
	"fmt"
	"strings"
)

var (
	// ErrNotFound matches (with errors.Is) a failure that means the object
	// does not exist, or belongs to another organisation or addon.
	ErrNotFound = errors.New("not found")
	// ErrConflict matches a failure that means the object already exists.
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
}

func (e *APIError) Error() string {
	return fmt.Sprintf("%s %s: HTTP %d: %s", e.Method, e.Path, e.StatusCode, e.Message)
}

// Is lets errors.Is classify an APIError by the contract's rules: a 404, or a
// message that says the object is missing, is a not-found, whatever status
// code carried it (some deployments answer failures with HTTP 200).
func (e *APIError) Is(target error) bool {
	msg := strings.ToLower(e.Message)
	switch target {
	case ErrNotFound:
		return e.StatusCode == 404 || strings.Contains(msg, "not found") || strings.Contains(msg, "does not exist")
	case ErrConflict:
		return e.StatusCode == 409 || strings.Contains(msg, "already exist")
	case ErrUnauthorized:
		return e.isAuthFailure()
	}
	return false
}

// isAuthFailure reports whether the call failed because the token it carried
// is dead. HTTP 401 says so; a server that answers every failure with HTTP
// 200 can only say so in its message. A false positive costs one renewal.
func (e *APIError) isAuthFailure() bool {
	if e.StatusCode == 401 {
		return true
	}
	msg := strings.ToLower(e.Message)
	return strings.Contains(msg, "unauthori") ||
		(strings.Contains(msg, "token") && (strings.Contains(msg, "expired") || strings.Contains(msg, "invalid")))
}

// AuthError explains why the client could not obtain a working token.
type AuthError struct {
	Action string // "log in", "validate the configured tokens", "regenerate the tokens"
	Hint   string
	Err    error
}

func (e *AuthError) Error() string {
	s := "chatwhizz: could not " + e.Action + ": " + e.Err.Error()
	if e.Hint != "" {
		s += " (" + e.Hint + ")"
	}
	return s
}

func (e *AuthError) Unwrap() error { return e.Err }

// Is makes every AuthError an ErrUnauthorized as well as whatever it wraps.
func (e *AuthError) Is(target error) bool { return target == ErrUnauthorized }
