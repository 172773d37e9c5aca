package protocol

import (
	"context"
	"runtime"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// waitProvider has one data source, test_wait, whose read answers at once,
// or with mode "block" waits for its context to end and says why it ended.
type waitProvider struct {
	started chan struct{} // a blocking read has begun
	ended   chan error    // a blocking read's context ended, with this error
	sawKey  atomic.Bool   // a read saw the request's value
	// deadline is the deadline a read saw, if any.
	deadline atomic.Pointer[time.Time]
}

func (p *waitProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "test"
}

func (p *waitProvider) Schema(context.Context, provider.SchemaRequest, *provider.SchemaResponse) {}

func (p *waitProvider) Configure(context.Context, provider.ConfigureRequest, *provider.ConfigureResponse) {
}

func (p *waitProvider) Resources(context.Context) []func() resource.Resource { return nil }

func (p *waitProvider) DataSources(context.Context) []func() datasource.DataSource {
	return []func() datasource.DataSource{func() datasource.DataSource { return waitDataSource{p} }}
}

type waitDataSource struct{ p *waitProvider }

func (waitDataSource) Metadata(_ context.Context, _ datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = "test_wait"
}

func (waitDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{Attributes: map[string]schema.Attribute{"mode": schema.StringAttribute{Optional: true}}}
}

func (d waitDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var mode types.String
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("mode"), &mode)...)
	if ctx.Value(probeKey{}) != nil {
		d.p.sawKey.Store(true)
	}
	if dl, ok := ctx.Deadline(); ok {
		d.p.deadline.Store(&dl)
	}
	if mode.ValueString() == "block" {
		close(d.p.started)
		<-ctx.Done()
		d.p.ended <- ctx.Err()
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, struct {
		Mode types.String `tfsdk:"mode"`
	}{mode})...)
}

func newWaitServer(t *testing.T, wrapped bool) (tfprotov6.ProviderServer, *waitProvider) {
	t.Helper()
	p := &waitProvider{started: make(chan struct{}), ended: make(chan error, 1)}
	framework := providerserver.NewProtocol6(p)()
	if !wrapped {
		return framework, p
	}
	s, err := New(framework)
	if err != nil {
		t.Fatal(err)
	}
	return s, p
}

func readRequest(t *testing.T, mode string) *tfprotov6.ReadDataSourceRequest {
	t.Helper()
	typ := tftypes.Object{AttributeTypes: map[string]tftypes.Type{"mode": tftypes.String}}
	config, err := tfprotov6.NewDynamicValue(typ, tftypes.NewValue(typ, map[string]tftypes.Value{"mode": tftypes.NewValue(tftypes.String, mode)}))
	if err != nil {
		t.Fatal(err)
	}
	return &tfprotov6.ReadDataSourceRequest{TypeName: "test_wait", Config: &config}
}

func read(t *testing.T, s tfprotov6.ProviderServer, ctx context.Context, mode string) {
	t.Helper()
	resp, err := s.ReadDataSource(ctx, readRequest(t, mode))
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range resp.Diagnostics {
		if d.Severity == tfprotov6.DiagnosticSeverityError {
			t.Fatalf("read: %s: %s", d.Summary, d.Detail)
		}
	}
}

// requestsStillReachable runs n reads, each with a request context holding
// a value of its own, and returns how many of those values the garbage
// collector cannot free once every read has returned.
func requestsStillReachable(t *testing.T, s tfprotov6.ProviderServer, n int) int {
	t.Helper()
	var freed atomic.Int64
	for range n {
		payload := new([4096]byte) // what a request's loggers and stream stand for
		runtime.AddCleanup(payload, func(*atomic.Int64) { freed.Add(1) }, &freed)
		ctx, cancel := context.WithCancel(context.WithValue(context.Background(), probeKey{}, payload))
		read(t, s, ctx, "")
		cancel() // as gRPC does when a call ends
	}
	// A second is ample for the collector and the cleanups (a few
	// milliseconds here); the framework alone keeps every context for good.
	deadline := time.Now().Add(time.Second)
	for int(freed.Load()) < n && time.Now().Before(deadline) {
		runtime.GC()
		time.Sleep(10 * time.Millisecond)
	}
	runtime.KeepAlive(s) // as the process keeps its server
	return n - int(freed.Load())
}

// TestRequestsAreFreedWhenTheyReturn: after many reads through the wrapper,
// the framework keeps none of their request contexts.
func TestRequestsAreFreedWhenTheyReturn(t *testing.T) {
	s, _ := newWaitServer(t, true)
	const n = 200
	if kept := requestsStillReachable(t, s, n); kept > 0 {
		t.Fatalf("%d of %d requests' contexts are still reachable after they returned", kept, n)
	}
}

// TestFrameworkRetainsRequests: the framework served directly keeps every
// request's context (registerContext). When this fails, the framework has
// stopped doing so, and this package can be deleted (see the package
// comment).
func TestFrameworkRetainsRequests(t *testing.T) {
	s, _ := newWaitServer(t, false)
	const n = 200
	if kept := requestsStillReachable(t, s, n); kept < n {
		t.Fatalf("the framework served directly kept %d of %d requests' contexts, not all: if it no longer retains them in registerContext, delete internal/protocol and serve with providerserver.Serve", kept, n)
	}
}

// TestStopProviderCancelsACallInFlight: StopProvider, the framework's own,
// still cancels a read in flight through the wrapper.
func TestStopProviderCancelsACallInFlight(t *testing.T) {
	s, p := newWaitServer(t, true)
	done := make(chan struct{})
	go func() {
		defer close(done)
		read(t, s, context.Background(), "block")
	}()
	<-p.started
	if _, err := s.StopProvider(context.Background(), &tfprotov6.StopProviderRequest{}); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-p.ended:
		if err == nil {
			t.Fatal("the read's context ended without an error")
		}
	case <-time.After(5 * time.Second):
		t.Fatal("StopProvider did not cancel the read in flight")
	}
	<-done
}

// TestARequestCancelledCancelsTheCall: the CLI's cancellation of a request
// (its gRPC context) reaches the provider's code, and so do the request's
// values and deadline while it runs.
func TestARequestCancelledCancelsTheCall(t *testing.T) {
	s, p := newWaitServer(t, true)
	deadline := time.Now().Add(time.Hour)
	ctx, cancel := context.WithDeadline(context.WithValue(context.Background(), probeKey{}, "request"), deadline)
	defer cancel()
	done := make(chan struct{})
	go func() {
		defer close(done)
		read(t, s, ctx, "block")
	}()
	<-p.started
	goroutines := runtime.NumGoroutine()
	cancel()
	select {
	case err := <-p.ended:
		if err != context.Canceled {
			t.Fatalf("the read's context ended with %v, want context.Canceled", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("cancelling the request did not cancel the read")
	}
	<-done
	if !p.sawKey.Load() {
		t.Error("the read did not see the request's values")
	}
	if dl := p.deadline.Load(); dl == nil || !dl.Equal(deadline) {
		t.Errorf("the read saw the deadline %v, want %v", dl, deadline)
	}
	if n := runtime.NumGoroutine(); n > goroutines {
		t.Errorf("%d goroutines after the call, %d during it", n, goroutines)
	}
}
