// Package stateupgrade answers UpgradeResourceState, for a state already at
// its resource's schema version, without terraform-plugin-framework's walk.
//
// Why: the CLI sends every resource's saved state through
// UpgradeResourceState in every provider process that reads, plans or
// destroys it, and for a state at the current version the framework (v1.19.0,
// fwserver.UpgradeResourceState's passthrough) only turns the JSON into the
// schema's object and that into msgpack. It does so through a
// token-by-token JSON decoder and a walk over the value that looks every
// attribute up in the schema (copying the schema's attribute map at each
// step) to find list and set blocks to convert: a seventh of a destroy's CPU
// at 1000 resources (bench/README.md, "Where the provider's CPU goes").
//
// What: for a resource type whose schema has only string and bool
// attributes and no blocks (every resource of this provider), Server
// decodes the JSON state itself and encodes it with terraform-plugin-go's
// own msgpack encoder (tfprotov6.NewDynamicValue), as the framework does:
// an attribute missing from the state is null, one the schema lacks is
// ignored. Anything else (another version, a flatmap state, a value of
// another JSON type, JSON the decoder refuses, a schema with other types)
// goes to the framework, which answers as before, errors included.
// TestUpgradesAsTheFrameworkDoes holds the answers equal.
//
// When: until the framework's passthrough skips its walk for a schema with
// no list or set block to convert (what to propose upstream; bench/README.md
// says so too). Then BenchmarkUpgradeResourceState shows no gain over the
// framework, and this package goes.
package stateupgrade

import (
	"context"
	"encoding/json"
	"sync"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/chatwhizz/terraform-provider-chatwhizz/internal/protocol"
)

// Server is the provider's protocol server, whose UpgradeResourceState
// answers current states itself.
type Server struct {
	protocol.Framework

	once    sync.Once
	schemas map[string]flatSchema // by resource type; only those it answers
}

// flatSchema is a resource type's schema version and object type, for a
// schema of string and bool attributes only.
type flatSchema struct {
	version int64
	object  tftypes.Object
}

// New wraps the provider's protocol server.
func New(next protocol.Framework) *Server {
	return &Server{Framework: next}
}

// UpgradeResourceState answers a state at its schema's version, and passes
// every other request to the framework.
func (s *Server) UpgradeResourceState(ctx context.Context, req *tfprotov6.UpgradeResourceStateRequest) (*tfprotov6.UpgradeResourceStateResponse, error) {
	if state, ok := s.current(ctx, req); ok {
		return &tfprotov6.UpgradeResourceStateResponse{UpgradedState: state}, nil
	}
	return s.Framework.UpgradeResourceState(ctx, req)
}

// current is req's state as the schema's object in msgpack, if req holds a
// JSON state at its schema's version that decodes as the framework would.
func (s *Server) current(ctx context.Context, req *tfprotov6.UpgradeResourceStateRequest) (*tfprotov6.DynamicValue, bool) {
	if req == nil || req.RawState == nil || req.RawState.JSON == nil {
		return nil, false
	}
	// Once per process; the first request's cancellation must not leave it
	// without schemas, and so its upgrades all to the framework.
	s.once.Do(func() { s.schemas = flatSchemas(context.WithoutCancel(ctx), s.Framework) })
	schema, ok := s.schemas[req.TypeName]
	if !ok || req.Version != schema.version {
		return nil, false
	}
	value, ok := decode(req.RawState.JSON, schema.object)
	if !ok {
		return nil, false
	}
	state, err := tfprotov6.NewDynamicValue(schema.object, value)
	if err != nil {
		return nil, false
	}
	return &state, true
}

// flatSchemas are the resource schemas of server that have only string and
// bool attributes and no blocks; none if the schemas cannot be read.
func flatSchemas(ctx context.Context, server tfprotov6.ProviderServer) map[string]flatSchema {
	schemas := map[string]flatSchema{}
	resp, err := server.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
	if err != nil || resp == nil || len(resp.Diagnostics) > 0 {
		return schemas
	}
	for name, schema := range resp.ResourceSchemas {
		if object, ok := flatObject(schema); ok {
			schemas[name] = flatSchema{version: schema.Version, object: object}
		}
	}
	return schemas
}

// flatObject is schema's object type, if every attribute is a string or a
// bool and there is no block.
func flatObject(schema *tfprotov6.Schema) (tftypes.Object, bool) {
	if schema == nil || schema.Block == nil || len(schema.Block.BlockTypes) > 0 {
		return tftypes.Object{}, false
	}
	types := make(map[string]tftypes.Type, len(schema.Block.Attributes))
	for _, attribute := range schema.Block.Attributes {
		if attribute.NestedType != nil || attribute.Type == nil ||
			!attribute.Type.Is(tftypes.String) && !attribute.Type.Is(tftypes.Bool) {
			return tftypes.Object{}, false
		}
		types[attribute.Name] = attribute.Type
	}
	return tftypes.Object{AttributeTypes: types}, true
}

// decode is raw, a JSON object, as a value of object: each attribute from
// the member of its name (null if absent), members of other names ignored.
// It declines (false) any member of object's that is neither null nor a
// JSON value of its attribute's type, which the framework converts or
// refuses in its own way.
func decode(raw []byte, object tftypes.Object) (tftypes.Value, bool) {
	var members map[string]any
	if err := json.Unmarshal(raw, &members); err != nil || members == nil {
		return tftypes.Value{}, false
	}
	values := make(map[string]tftypes.Value, len(object.AttributeTypes))
	for name, typ := range object.AttributeTypes {
		member := members[name]
		switch member.(type) {
		case nil:
		case string:
			if !typ.Is(tftypes.String) {
				return tftypes.Value{}, false
			}
		case bool:
			if !typ.Is(tftypes.Bool) {
				return tftypes.Value{}, false
			}
		default:
			return tftypes.Value{}, false
		}
		values[name] = tftypes.NewValue(typ, member)
	}
	return tftypes.NewValue(object, values), true
}
