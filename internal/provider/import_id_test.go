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

func TestParseAssignmentID(t *testing.T) {
	const id = "65f1c0ffee0123456789abcd"
	accepted := map[string][2]string{
		"shop.example.com/" + id: {"shop.example.com", id},
		"a.b.example.org/" + id:  {"a.b.example.org", id},
	}
	for in, want := range accepted {
		domain, operatorID, err := parseAssignmentID(in)
		if err != nil || domain != want[0] || operatorID != want[1] {
			t.Errorf("parseAssignmentID(%q) = %q, %q, %v; want %q, %q", in, domain, operatorID, err, want[0], want[1])
		}
	}
	refused := map[string]string{
		"shop.example.com":                        `has no "/"`,
		"/" + id:                                  "it is empty",
		"Shop.example.com/" + id:                  "lower case",
		"https://shop.example.com/" + id:          "remove the",
		"shop.example.com/" + strings.ToUpper(id): "is not an operator id",
		"shop.example.com/":                       "is not an operator id",
		"shop.example.com/" + id + "0":            "is not an operator id",
	}
	for in, want := range refused {
		_, _, err := parseAssignmentID(in)
		if err == nil || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), "<domain_name>/<operator_id>") {
			t.Errorf("parseAssignmentID(%q): %v; want an error saying %q and the format", in, err, want)
		}
	}
}
