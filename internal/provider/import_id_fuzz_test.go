package provider

import (
	"strings"
	"testing"
)

// FuzzParseAssignmentID: the import ID parser never panics, and whatever it
// accepts is a valid host name and operator id that make the same ID again.
// Seeds: testdata/fuzz/FuzzParseAssignmentID.
func FuzzParseAssignmentID(f *testing.F) {
	f.Fuzz(func(t *testing.T, id string) {
		domain, operatorID, err := parseAssignmentID(id)
		if err != nil {
			if !strings.Contains(err.Error(), "<domain_name>/<operator_id>") {
				t.Fatalf("the error does not show the expected format: %v", err)
			}
			return
		}
		if assignmentID(domain, operatorID) != id {
			t.Fatalf("%q parsed as %q and %q", id, domain, operatorID)
		}
		if problem := hostNameProblem(domain); problem != "" {
			t.Fatalf("accepted domain %q: %s", domain, problem)
		}
		if !operatorIDPattern.MatchString(operatorID) {
			t.Fatalf("accepted operator id %q", operatorID)
		}
	})
}
