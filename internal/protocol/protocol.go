// Package protocol serves terraform-plugin-framework's protocol server
// through a thin wrapper that lets go of each request when it returns.
//
// Why: terraform-plugin-framework v1.19.0 registers every request's context
// so that StopProvider can cancel requests in flight
// (internal/proto6server/serve.go, Server.registerContext: the cancel
// function of context.WithCancel(in) is appended to contextCancels, and only
// StopProvider's cancelRegisteredContexts clears the list). Nothing removes
// an entry when its request ends, so every request's context, with its
// loggers and its gRPC stream, stays reachable until the provider exits:
// 70-110 KiB a resource, most of a large plan's heap (bench/README.md,
// Findings).
//
// What: Server hands the framework, for each unary call, a context of its
// own that forwards Done, Err, Deadline and Value to the request's context
// while the call runs, and registers cancellation on it through AfterFunc
// (so the framework's context.WithCancel starts no goroutine). When the call
// returns it drops the request's context and stops those registrations: what
// the framework keeps is a cancel function and a context of a few hundred
// bytes, not the request. StopProvider is the framework's own and still
// cancels every call in flight; a request cancelled by the CLI still
// cancels the framework's context; TF_LOG still logs every request, since
// the loggers travel as the request context's values.
//
// Covered: every unary call of tfprotov6.ProviderServer and of the list,
// action and state-store servers (metadata, schemas, provider configuration,
// resources with identity, import and move, data sources, ephemeral
// resources, functions, action and list validation, state stores).
// Deliberately left to the framework as they are: StopProvider (it is what
// cancels), and the streaming calls ListResource, InvokeAction,
// ReadStateBytes and WriteStateBytes, whose results are read from the
// context after the method has returned; this provider has no list
// resources, actions or state stores, so they are never called.
//
// When to delete: once terraform-plugin-framework removes a request's
// cancel function when the request ends (the change bench/README.md
// proposes for registerContext). TestFrameworkRetainsRequests fails then,
// saying so; main.go goes back to providerserver.Serve.
package protocol

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
)

// Framework is the protocol server terraform-plugin-framework's
// providerserver.NewProtocol6 returns: the provider server with its list,
// action and state-store calls, which tf6server finds by type assertion.
type Framework interface {
	tfprotov6.ProviderServer
	tfprotov6.ListResourceServer
	tfprotov6.ActionServer
	tfprotov6.StateStoreServer
}

// Server is the framework's protocol server, each unary call of which gets a
// context that lets go of the request when the call returns.
type Server struct {
	Framework
}

// New wraps the framework's protocol server. It fails when the server lacks
// the list, action or state-store calls, which the framework's has.
func New(framework tfprotov6.ProviderServer) (*Server, error) {
	f, ok := framework.(Framework)
	if !ok {
		return nil, errNotFramework
	}
	return &Server{Framework: f}, nil
}

var errNotFramework = errors.New("protocol: the server lacks the list, action and state-store calls of terraform-plugin-framework's")

// call runs one unary call of the framework with a context that lets go of
// ctx when the call returns.
func call[Req, Resp any](ctx context.Context, req Req, f func(context.Context, Req) (Resp, error)) (Resp, error) {
	rc := newRequestContext(ctx)
	defer rc.release()
	return f(rc, req)
}

// requestContext is a request's context for the duration of one call: it
// forwards to the request's context until release, and then holds nothing of
// it but its Done channel.
type requestContext struct {
	done <-chan struct{} // the request's: the same channel for the context's life

	mu     sync.Mutex
	parent context.Context // nil once released
	err    error           // the parent's Err at release
	stops  []func() bool   // AfterFunc registrations on the parent
}

func newRequestContext(parent context.Context) *requestContext {
	return &requestContext{parent: parent, done: parent.Done()}
}

func (c *requestContext) current() context.Context {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.parent
}

func (c *requestContext) Deadline() (time.Time, bool) {
	if p := c.current(); p != nil {
		return p.Deadline()
	}
	return time.Time{}, false
}

func (c *requestContext) Done() <-chan struct{} { return c.done }

func (c *requestContext) Err() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.parent != nil {
		return c.parent.Err()
	}
	if c.err != nil {
		return c.err
	}
	select {
	case <-c.done:
		return context.Canceled // the request ended after the call
	default:
		return nil
	}
}

func (c *requestContext) Value(key any) any {
	if p := c.current(); p != nil {
		return p.Value(key)
	}
	return nil
}

// AfterFunc is what context.WithCancel and context.AfterFunc use, when they
// find no standard cancelable context above, to learn that this one is done:
// it registers f on the request's context (without a goroutine when that is
// a standard one) until release. After release nothing of the request is
// left to cancel through.
func (c *requestContext) AfterFunc(f func()) (stop func() bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.parent == nil {
		return func() bool { return false }
	}
	stop = context.AfterFunc(c.parent, f)
	c.stops = append(c.stops, stop)
	return stop
}

// release drops the request's context and the registrations on it.
func (c *requestContext) release() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, stop := range c.stops {
		stop()
	}
	c.stops = nil
	c.err = c.parent.Err()
	c.parent = nil
}

func (s *Server) GetMetadata(ctx context.Context, req *tfprotov6.GetMetadataRequest) (*tfprotov6.GetMetadataResponse, error) {
	return call(ctx, req, s.Framework.GetMetadata)
}

func (s *Server) GetProviderSchema(ctx context.Context, req *tfprotov6.GetProviderSchemaRequest) (*tfprotov6.GetProviderSchemaResponse, error) {
	return call(ctx, req, s.Framework.GetProviderSchema)
}

func (s *Server) GetResourceIdentitySchemas(ctx context.Context, req *tfprotov6.GetResourceIdentitySchemasRequest) (*tfprotov6.GetResourceIdentitySchemasResponse, error) {
	return call(ctx, req, s.Framework.GetResourceIdentitySchemas)
}

func (s *Server) ValidateProviderConfig(ctx context.Context, req *tfprotov6.ValidateProviderConfigRequest) (*tfprotov6.ValidateProviderConfigResponse, error) {
	return call(ctx, req, s.Framework.ValidateProviderConfig)
}

func (s *Server) ConfigureProvider(ctx context.Context, req *tfprotov6.ConfigureProviderRequest) (*tfprotov6.ConfigureProviderResponse, error) {
	return call(ctx, req, s.Framework.ConfigureProvider)
}

func (s *Server) ValidateResourceConfig(ctx context.Context, req *tfprotov6.ValidateResourceConfigRequest) (*tfprotov6.ValidateResourceConfigResponse, error) {
	return call(ctx, req, s.Framework.ValidateResourceConfig)
}

func (s *Server) UpgradeResourceState(ctx context.Context, req *tfprotov6.UpgradeResourceStateRequest) (*tfprotov6.UpgradeResourceStateResponse, error) {
	return call(ctx, req, s.Framework.UpgradeResourceState)
}

func (s *Server) ReadResource(ctx context.Context, req *tfprotov6.ReadResourceRequest) (*tfprotov6.ReadResourceResponse, error) {
	return call(ctx, req, s.Framework.ReadResource)
}

func (s *Server) PlanResourceChange(ctx context.Context, req *tfprotov6.PlanResourceChangeRequest) (*tfprotov6.PlanResourceChangeResponse, error) {
	return call(ctx, req, s.Framework.PlanResourceChange)
}

func (s *Server) ApplyResourceChange(ctx context.Context, req *tfprotov6.ApplyResourceChangeRequest) (*tfprotov6.ApplyResourceChangeResponse, error) {
	return call(ctx, req, s.Framework.ApplyResourceChange)
}

func (s *Server) ImportResourceState(ctx context.Context, req *tfprotov6.ImportResourceStateRequest) (*tfprotov6.ImportResourceStateResponse, error) {
	return call(ctx, req, s.Framework.ImportResourceState)
}

func (s *Server) MoveResourceState(ctx context.Context, req *tfprotov6.MoveResourceStateRequest) (*tfprotov6.MoveResourceStateResponse, error) {
	return call(ctx, req, s.Framework.MoveResourceState)
}

func (s *Server) UpgradeResourceIdentity(ctx context.Context, req *tfprotov6.UpgradeResourceIdentityRequest) (*tfprotov6.UpgradeResourceIdentityResponse, error) {
	return call(ctx, req, s.Framework.UpgradeResourceIdentity)
}

func (s *Server) GenerateResourceConfig(ctx context.Context, req *tfprotov6.GenerateResourceConfigRequest) (*tfprotov6.GenerateResourceConfigResponse, error) {
	return call(ctx, req, s.Framework.GenerateResourceConfig)
}

func (s *Server) ValidateDataResourceConfig(ctx context.Context, req *tfprotov6.ValidateDataResourceConfigRequest) (*tfprotov6.ValidateDataResourceConfigResponse, error) {
	return call(ctx, req, s.Framework.ValidateDataResourceConfig)
}

func (s *Server) ReadDataSource(ctx context.Context, req *tfprotov6.ReadDataSourceRequest) (*tfprotov6.ReadDataSourceResponse, error) {
	return call(ctx, req, s.Framework.ReadDataSource)
}

func (s *Server) ValidateEphemeralResourceConfig(ctx context.Context, req *tfprotov6.ValidateEphemeralResourceConfigRequest) (*tfprotov6.ValidateEphemeralResourceConfigResponse, error) {
	return call(ctx, req, s.Framework.ValidateEphemeralResourceConfig)
}

func (s *Server) OpenEphemeralResource(ctx context.Context, req *tfprotov6.OpenEphemeralResourceRequest) (*tfprotov6.OpenEphemeralResourceResponse, error) {
	return call(ctx, req, s.Framework.OpenEphemeralResource)
}

func (s *Server) RenewEphemeralResource(ctx context.Context, req *tfprotov6.RenewEphemeralResourceRequest) (*tfprotov6.RenewEphemeralResourceResponse, error) {
	return call(ctx, req, s.Framework.RenewEphemeralResource)
}

func (s *Server) CloseEphemeralResource(ctx context.Context, req *tfprotov6.CloseEphemeralResourceRequest) (*tfprotov6.CloseEphemeralResourceResponse, error) {
	return call(ctx, req, s.Framework.CloseEphemeralResource)
}

func (s *Server) GetFunctions(ctx context.Context, req *tfprotov6.GetFunctionsRequest) (*tfprotov6.GetFunctionsResponse, error) {
	return call(ctx, req, s.Framework.GetFunctions)
}

func (s *Server) CallFunction(ctx context.Context, req *tfprotov6.CallFunctionRequest) (*tfprotov6.CallFunctionResponse, error) {
	return call(ctx, req, s.Framework.CallFunction)
}

func (s *Server) ValidateListResourceConfig(ctx context.Context, req *tfprotov6.ValidateListResourceConfigRequest) (*tfprotov6.ValidateListResourceConfigResponse, error) {
	return call(ctx, req, s.Framework.ValidateListResourceConfig)
}

func (s *Server) ValidateActionConfig(ctx context.Context, req *tfprotov6.ValidateActionConfigRequest) (*tfprotov6.ValidateActionConfigResponse, error) {
	return call(ctx, req, s.Framework.ValidateActionConfig)
}

func (s *Server) PlanAction(ctx context.Context, req *tfprotov6.PlanActionRequest) (*tfprotov6.PlanActionResponse, error) {
	return call(ctx, req, s.Framework.PlanAction)
}

func (s *Server) ValidateStateStoreConfig(ctx context.Context, req *tfprotov6.ValidateStateStoreConfigRequest) (*tfprotov6.ValidateStateStoreConfigResponse, error) {
	return call(ctx, req, s.Framework.ValidateStateStoreConfig)
}

func (s *Server) ConfigureStateStore(ctx context.Context, req *tfprotov6.ConfigureStateStoreRequest) (*tfprotov6.ConfigureStateStoreResponse, error) {
	return call(ctx, req, s.Framework.ConfigureStateStore)
}

func (s *Server) GetStates(ctx context.Context, req *tfprotov6.GetStatesRequest) (*tfprotov6.GetStatesResponse, error) {
	return call(ctx, req, s.Framework.GetStates)
}

func (s *Server) DeleteState(ctx context.Context, req *tfprotov6.DeleteStateRequest) (*tfprotov6.DeleteStateResponse, error) {
	return call(ctx, req, s.Framework.DeleteState)
}

func (s *Server) LockState(ctx context.Context, req *tfprotov6.LockStateRequest) (*tfprotov6.LockStateResponse, error) {
	return call(ctx, req, s.Framework.LockState)
}

func (s *Server) UnlockState(ctx context.Context, req *tfprotov6.UnlockStateRequest) (*tfprotov6.UnlockStateResponse, error) {
	return call(ctx, req, s.Framework.UnlockState)
}
