package docscheck

import (
	"encoding/json"
	"fmt"
	"slices"
	"testing"
)

// schemaWith is a schema JSON, as `providers schema -json` prints it, of a
// provider whose descriptions all keep the rule, with change applied.
func schemaWith(t *testing.T, change func(p map[string]any)) []byte {
	t.Helper()
	p := map[string]any{
		"provider": map[string]any{"block": map[string]any{"attributes": map[string]any{
			"base_url":    map[string]any{"description": "Required, in the block or from `CHATWHIZZ_BASE_URL`.", "optional": true},
			"max_retries": map[string]any{"description": "Optional. Defaults to `4`.", "optional": true},
		}}},
		"resource_schemas": map[string]any{"chatwhizz_domain": map[string]any{"block": map[string]any{"attributes": map[string]any{
			"name":   map[string]any{"description": "The domain's host name.", "required": true},
			"active": map[string]any{"description": "Whether it is active. Defaults to `true`.", "optional": true, "computed": true},
			"id":     map[string]any{"description": "The domain name.", "computed": true},
		}}}},
		"data_source_schemas":        map[string]any{},
		"ephemeral_resource_schemas": map[string]any{},
		"resource_identity_schemas": map[string]any{"chatwhizz_domain": map[string]any{"version": 0, "attributes": map[string]any{
			"name": map[string]any{"type": "string", "description": "The domain name.", "required_for_import": true},
		}}},
	}
	if change != nil {
		change(p)
	}
	raw, err := json.Marshal(map[string]any{"format_version": "1.0", "provider_schemas": map[string]any{"registry.terraform.io/hashicorp/chatwhizz": p}})
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

func attr(p map[string]any, path ...string) map[string]any {
	var m = p
	for _, k := range path {
		m = object(m[k])
	}
	return m
}

// object is a JSON object of the schema; the schema under test is ours, so
// anything else is a broken test.
func object(v any) map[string]any {
	m, ok := v.(map[string]any)
	if !ok {
		panic(fmt.Sprintf("not a JSON object: %v", v))
	}
	return m
}

// problemCase is a change to the provider's schema and the problems it
// makes.
type problemCase struct {
	name   string
	change func(p map[string]any)
	want   []string
}

// problemCases are the schema unchanged, then each rule broken once.
func problemCases() []problemCase {
	providerAttrs := []string{"provider", "block", "attributes"}
	domainAttrs := []string{"resource_schemas", "chatwhizz_domain", "block", "attributes"}
	return []problemCase{
		{name: "every description keeps the rule"},
		{
			name: "a provider argument that says neither Required nor Optional",
			change: func(p map[string]any) {
				object(attr(p, providerAttrs...)["base_url"])["description"] = "Base URL of the API."
			},
			want: []string{`provider argument base_url: does not start with "Required" or "Optional"`},
		},
		{
			name: "a required provider argument without its environment variable",
			change: func(p map[string]any) {
				object(attr(p, providerAttrs...)["base_url"])["description"] = "Required. Base URL of the API."
			},
			want: []string{"provider argument base_url: is required but does not name its environment variable `CHATWHIZZ_BASE_URL`"},
		},
		{
			name: "an optional provider argument without its default",
			change: func(p map[string]any) {
				object(attr(p, providerAttrs...)["max_retries"])["description"] = "Optional. How many times a request is retried."
			},
			want: []string{"provider argument max_retries: " + leftOutUntold},
		},
		{
			name: "an optional resource argument without its default",
			change: func(p map[string]any) {
				object(attr(p, domainAttrs...)["active"])["description"] = "Whether the domain is active."
			},
			want: []string{"resource chatwhizz_domain, attribute active: " + leftOutUntold},
		},
		{
			name:   "an attribute without a description",
			change: func(p map[string]any) { object(attr(p, domainAttrs...)["id"])["description"] = "" },
			want:   []string{"resource chatwhizz_domain, attribute id: " + noDescription},
		},
		{
			name: "an identity attribute without a description",
			change: func(p map[string]any) {
				delete(object(attr(p, "resource_identity_schemas", "chatwhizz_domain", "attributes")["name"]), "description")
			},
			want: []string{"identity of chatwhizz_domain, attribute name: " + noDescription},
		},
	}
}

func TestProblems(t *testing.T) {
	for _, c := range problemCases() {
		t.Run(c.name, func(t *testing.T) {
			got, err := Problems(schemaWith(t, c.change))
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, c.want) {
				t.Fatalf("got  %q\nwant %q", got, c.want)
			}
		})
	}
}

func TestProblemsRefusesWhatIsNotASchema(t *testing.T) {
	for _, raw := range []string{`not json`, `{"format_version":"1.0"}`} {
		if _, err := Problems([]byte(raw)); err == nil {
			t.Errorf("%s: want an error, not an empty list of problems", raw)
		}
	}
}
