package emulator

// The emulator checks every input as the contract pins it: each check
// answers 400 with a message naming the field.

import (
	"fmt"
	"net/http"
	"strings"
	"unicode"
)

func checkOperatorID(id string) *apiError {
	ok := len(id) == 24
	for i := 0; ok && i < len(id); i++ {
		ok = '0' <= id[i] && id[i] <= '9' || 'a' <= id[i] && id[i] <= 'f'
	}
	if !ok {
		return errorf(http.StatusBadRequest, "invalid operator id %q: want 24 lowercase hex characters", id)
	}
	return nil
}

// required refuses an empty value of a field the contract requires.
func required(field, value string) *apiError {
	if value == "" {
		return errorf(http.StatusBadRequest, "%s is required", field)
	}
	return nil
}

func checkEmail(field, s string) *apiError {
	if err := required(field, s); err != nil {
		return err
	}
	if !validEmail(s) {
		return errorf(http.StatusBadRequest, "invalid %s %q", field, s)
	}
	return nil
}

// validEmail accepts a plain addr-spec: a dot-atom local part and a host
// name, with no display name, quoting or whitespace.
func validEmail(s string) bool {
	local, host, ok := strings.Cut(s, "@")
	if !ok || len(s) > 254 || local == "" || len(local) > 64 ||
		strings.HasPrefix(local, ".") || strings.HasSuffix(local, ".") || strings.Contains(local, "..") {
		return false
	}
	for _, r := range local {
		if !isASCIIAlnum(r) && !strings.ContainsRune(".!#$%&'*+/=?^_`{|}~-", r) {
			return false
		}
	}
	return hostProblem(strings.ToLower(host)) == ""
}

func checkDomainName(field, s string) *apiError {
	if err := required(field, s); err != nil {
		return err
	}
	if why := hostProblem(s); why != "" {
		return errorf(http.StatusBadRequest, "invalid %s %q: %s", field, s, why)
	}
	return nil
}

// hostProblem says why s is not a lower-case host name of at least two
// labels, or returns "" when it is one.
func hostProblem(s string) string {
	switch {
	case strings.ContainsFunc(s, unicode.IsSpace):
		return "must not contain whitespace"
	case strings.Contains(s, "://"):
		return "must not include a scheme such as https://"
	case strings.ContainsAny(s, "/?#"):
		return "must not include a path, query or fragment"
	case strings.Contains(s, ":"):
		return "must not include a port"
	case strings.HasSuffix(s, "."):
		return "must not end with a dot"
	case s != strings.ToLower(s):
		return "must be lower case"
	case len(s) > 253:
		return "must be at most 253 characters"
	}
	labels := strings.Split(s, ".")
	if len(labels) < 2 {
		return "must have at least two labels, e.g. shop.example.com"
	}
	for _, l := range labels {
		switch {
		case l == "":
			return "must not contain an empty label"
		case len(l) > 63:
			return fmt.Sprintf("label %q is longer than 63 characters", l)
		case l[0] == '-' || l[len(l)-1] == '-':
			return fmt.Sprintf("label %q must not start or end with '-'", l)
		}
		for i := 0; i < len(l); i++ {
			if c := rune(l[i]); c != '-' && (!isASCIIAlnum(c) || 'A' <= c && c <= 'Z') {
				return fmt.Sprintf("label %q may hold only a-z, 0-9 and '-'", l)
			}
		}
	}
	return ""
}

// checkUniqueID refuses an empty unique_id: the contract documents no way
// to clear one, so "" is bad input rather than "none".
func checkUniqueID(id *string) *apiError {
	if id != nil && *id == "" {
		return errorf(http.StatusBadRequest, "unique_id must not be empty")
	}
	return nil
}

func isASCIIAlnum(r rune) bool {
	return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9'
}
