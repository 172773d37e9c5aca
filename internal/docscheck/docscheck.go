// Package docscheck holds the rule every description in the provider's
// schema follows, checked on the schema that `terraform providers schema
// -json` prints (the one the registry pages are generated from), so that
// no attribute reaches the docs without saying whether it is needed and
// what leaving it out does.
//
// The rule:
//
//   - Every attribute, identity attributes included, has a description.
//   - A provider argument's description starts with "Required" or
//     "Optional". The provider's arguments are all optional in the schema,
//     because the environment can supply them, so a "Required" one names
//     its environment variable (`CHATWHIZZ_<NAME>`), and an "Optional" one
//     says what leaving it out does ("Defaults to" or "Left out").
//   - An optional argument of a resource, data source or ephemeral
//     resource says what leaving it out does: "Defaults to" or "Left out".
package docscheck

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
)

type attribute struct {
	Description string `json:"description"`
	Optional    bool   `json:"optional"`
}

type block struct {
	Attributes map[string]attribute `json:"attributes"`
}

type schema struct {
	Block block `json:"block"`
}

type providerSchema struct {
	Provider                 schema                    `json:"provider"`
	ResourceSchemas          map[string]schema         `json:"resource_schemas"`
	DataSourceSchemas        map[string]schema         `json:"data_source_schemas"`
	EphemeralResourceSchemas map[string]schema         `json:"ephemeral_resource_schemas"`
	ResourceIdentitySchemas  map[string]map[string]any `json:"resource_identity_schemas"`
}

// Problems lists every attribute of every provider in schemaJSON whose
// description breaks the rule, one line each, naming the attribute.
func Problems(schemaJSON []byte) ([]string, error) {
	var doc struct {
		ProviderSchemas map[string]providerSchema `json:"provider_schemas"`
	}
	if err := json.Unmarshal(schemaJSON, &doc); err != nil {
		return nil, fmt.Errorf("reading the schema JSON: %w", err)
	}
	if len(doc.ProviderSchemas) == 0 {
		return nil, fmt.Errorf("the schema JSON holds no provider schema")
	}
	var problems []string
	for _, addr := range slices.Sorted(maps.Keys(doc.ProviderSchemas)) {
		p := doc.ProviderSchemas[addr]
		for _, name := range slices.Sorted(maps.Keys(p.Provider.Block.Attributes)) {
			if problem := providerArgumentProblem(name, p.Provider.Block.Attributes[name]); problem != "" {
				problems = append(problems, fmt.Sprintf("provider argument %s: %s", name, problem))
			}
		}
		for kind, schemas := range map[string]map[string]schema{
			"resource": p.ResourceSchemas, "data source": p.DataSourceSchemas, "ephemeral resource": p.EphemeralResourceSchemas,
		} {
			for _, typ := range slices.Sorted(maps.Keys(schemas)) {
				attrs := schemas[typ].Block.Attributes
				for _, name := range slices.Sorted(maps.Keys(attrs)) {
					if problem := argumentProblem(attrs[name]); problem != "" {
						problems = append(problems, fmt.Sprintf("%s %s, attribute %s: %s", kind, typ, name, problem))
					}
				}
			}
		}
		problems = append(problems, identityProblems(p.ResourceIdentitySchemas)...)
	}
	slices.Sort(problems)
	return problems, nil
}

const (
	noDescription = "has no description"
	leftOutUntold = `does not say what leaving it out does ("Defaults to ..." or "Left out, ...")`
)

func providerArgumentProblem(name string, a attribute) string {
	d := strings.TrimSpace(a.Description)
	switch {
	case d == "":
		return noDescription
	case strings.HasPrefix(d, "Required"):
		env := "`CHATWHIZZ_" + strings.ToUpper(name) + "`"
		if !strings.Contains(d, env) {
			return "is required but does not name its environment variable " + env
		}
	case strings.HasPrefix(d, "Optional"):
		if !saysWhenLeftOut(d) {
			return leftOutUntold
		}
	default:
		return `does not start with "Required" or "Optional"`
	}
	return ""
}

func argumentProblem(a attribute) string {
	d := strings.TrimSpace(a.Description)
	switch {
	case d == "":
		return noDescription
	case a.Optional && !saysWhenLeftOut(d):
		return leftOutUntold
	}
	return ""
}

func saysWhenLeftOut(d string) bool {
	return strings.Contains(d, "Defaults to") || strings.Contains(d, "Left out")
}

// identityProblems reads identity schemas loosely: only descriptions matter
// here, and their shape has changed between CLI versions.
func identityProblems(schemas map[string]map[string]any) []string {
	var problems []string
	for _, typ := range slices.Sorted(maps.Keys(schemas)) {
		attrs, _ := schemas[typ]["attributes"].(map[string]any)
		for _, name := range slices.Sorted(maps.Keys(attrs)) {
			a, _ := attrs[name].(map[string]any)
			if d, _ := a["description"].(string); strings.TrimSpace(d) == "" {
				problems = append(problems, fmt.Sprintf("identity of %s, attribute %s: %s", typ, name, noDescription))
			}
		}
	}
	return problems
}
