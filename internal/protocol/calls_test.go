package protocol

import (
	"context"
	"reflect"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
)

// recorder is a framework server that records the context each call gets,
// and whether the request's values reached it during the call.
type recorder struct {
	got        context.Context
	sawRequest bool
}

func (r *recorder) saw(ctx context.Context) {
	r.got = ctx
	r.sawRequest = ctx.Value(probeKey{}) == "request"
}

type probeKey struct{}

// left are the calls served by the framework as they are: StopProvider,
// which cancels, and the streams, read after their method returns.
var left = map[string]bool{
	"StopProvider":    true,
	"ListResource":    true,
	"InvokeAction":    true,
	"ReadStateBytes":  true,
	"WriteStateBytes": true,
}

// TestEveryUnaryCallLetsGoOfItsRequest calls every method of the protocol
// server (found by reflection, so a call added to tfprotov6 and not
// overridden here fails): each but the ones left gets a context of its own
// that carries the request's values during the call and none after it.
func TestEveryUnaryCallLetsGoOfItsRequest(t *testing.T) {
	rec := &recorder{}
	s, err := New(rec)
	if err != nil {
		t.Fatal(err)
	}
	v := reflect.ValueOf(s)
	methods := 0
	for i := range v.NumMethod() {
		m := v.Type().Method(i)
		if m.Type.NumIn() != 3 || m.Type.In(1) != reflect.TypeFor[context.Context]() {
			continue
		}
		methods++
		ctx := context.WithValue(context.Background(), probeKey{}, "request")
		*rec = recorder{}
		v.Method(i).Call([]reflect.Value{reflect.ValueOf(ctx), reflect.New(m.Type.In(2).Elem())})
		switch {
		case !rec.sawRequest:
			t.Errorf("%s: the framework did not see the request's values", m.Name)
		case left[m.Name] && rec.got != ctx:
			t.Errorf("%s is left to the framework, but it got another context", m.Name)
		case !left[m.Name] && rec.got == ctx:
			t.Errorf("%s hands the framework the request's own context, which the framework keeps until StopProvider", m.Name)
		case !left[m.Name] && rec.got.Value(probeKey{}) != nil:
			t.Errorf("%s: the framework's context still reaches the request after the call", m.Name)
		}
	}
	if methods < 36 {
		t.Fatalf("only %d protocol calls found", methods)
	}
}

func TestNewRefusesAServerWithoutTheFrameworksCalls(t *testing.T) {
	var plain struct{ tfprotov6.ProviderServer }
	if _, err := New(plain); err == nil || !strings.Contains(err.Error(), "list, action and state-store") {
		t.Fatalf("New accepted a server without list, action and state-store calls: %v", err)
	}
}

func (r *recorder) GetMetadata(ctx context.Context, _ *tfprotov6.GetMetadataRequest) (*tfprotov6.GetMetadataResponse, error) {
	r.saw(ctx)
	return nil, nil
}

func (r *recorder) GetProviderSchema(ctx context.Context, _ *tfprotov6.GetProviderSchemaRequest) (*tfprotov6.GetProviderSchemaResponse, error) {
	r.saw(ctx)
	return nil, nil
}

func (r *recorder) GetResourceIdentitySchemas(ctx context.Context, _ *tfprotov6.GetResourceIdentitySchemasRequest) (*tfprotov6.GetResourceIdentitySchemasResponse, error) {
	r.saw(ctx)
	return nil, nil
}

func (r *recorder) ValidateProviderConfig(ctx context.Context, _ *tfprotov6.ValidateProviderConfigRequest) (*tfprotov6.ValidateProviderConfigResponse, error) {
	r.saw(ctx)
	return nil, nil
}

func (r *recorder) ConfigureProvider(ctx context.Context, _ *tfprotov6.ConfigureProviderRequest) (*tfprotov6.ConfigureProviderResponse, error) {
	r.saw(ctx)
	return nil, nil
}

func (r *recorder) StopProvider(ctx context.Context, _ *tfprotov6.StopProviderRequest) (*tfprotov6.StopProviderResponse, error) {
	r.saw(ctx)
	return nil, nil
}

func (r *recorder) ValidateResourceConfig(ctx context.Context, _ *tfprotov6.ValidateResourceConfigRequest) (*tfprotov6.ValidateResourceConfigResponse, error) {
	r.saw(ctx)
	return nil, nil
}

func (r *recorder) UpgradeResourceState(ctx context.Context, _ *tfprotov6.UpgradeResourceStateRequest) (*tfprotov6.UpgradeResourceStateResponse, error) {
	r.saw(ctx)
	return nil, nil
}

func (r *recorder) ReadResource(ctx context.Context, _ *tfprotov6.ReadResourceRequest) (*tfprotov6.ReadResourceResponse, error) {
	r.saw(ctx)
	return nil, nil
}

func (r *recorder) PlanResourceChange(ctx context.Context, _ *tfprotov6.PlanResourceChangeRequest) (*tfprotov6.PlanResourceChangeResponse, error) {
	r.saw(ctx)
	return nil, nil
}

func (r *recorder) ApplyResourceChange(ctx context.Context, _ *tfprotov6.ApplyResourceChangeRequest) (*tfprotov6.ApplyResourceChangeResponse, error) {
	r.saw(ctx)
	return nil, nil
}

func (r *recorder) ImportResourceState(ctx context.Context, _ *tfprotov6.ImportResourceStateRequest) (*tfprotov6.ImportResourceStateResponse, error) {
	r.saw(ctx)
	return nil, nil
}

func (r *recorder) MoveResourceState(ctx context.Context, _ *tfprotov6.MoveResourceStateRequest) (*tfprotov6.MoveResourceStateResponse, error) {
	r.saw(ctx)
	return nil, nil
}

func (r *recorder) UpgradeResourceIdentity(ctx context.Context, _ *tfprotov6.UpgradeResourceIdentityRequest) (*tfprotov6.UpgradeResourceIdentityResponse, error) {
	r.saw(ctx)
	return nil, nil
}

func (r *recorder) GenerateResourceConfig(ctx context.Context, _ *tfprotov6.GenerateResourceConfigRequest) (*tfprotov6.GenerateResourceConfigResponse, error) {
	r.saw(ctx)
	return nil, nil
}

func (r *recorder) ValidateDataResourceConfig(ctx context.Context, _ *tfprotov6.ValidateDataResourceConfigRequest) (*tfprotov6.ValidateDataResourceConfigResponse, error) {
	r.saw(ctx)
	return nil, nil
}

func (r *recorder) ReadDataSource(ctx context.Context, _ *tfprotov6.ReadDataSourceRequest) (*tfprotov6.ReadDataSourceResponse, error) {
	r.saw(ctx)
	return nil, nil
}

func (r *recorder) ValidateEphemeralResourceConfig(ctx context.Context, _ *tfprotov6.ValidateEphemeralResourceConfigRequest) (*tfprotov6.ValidateEphemeralResourceConfigResponse, error) {
	r.saw(ctx)
	return nil, nil
}

func (r *recorder) OpenEphemeralResource(ctx context.Context, _ *tfprotov6.OpenEphemeralResourceRequest) (*tfprotov6.OpenEphemeralResourceResponse, error) {
	r.saw(ctx)
	return nil, nil
}

func (r *recorder) RenewEphemeralResource(ctx context.Context, _ *tfprotov6.RenewEphemeralResourceRequest) (*tfprotov6.RenewEphemeralResourceResponse, error) {
	r.saw(ctx)
	return nil, nil
}

func (r *recorder) CloseEphemeralResource(ctx context.Context, _ *tfprotov6.CloseEphemeralResourceRequest) (*tfprotov6.CloseEphemeralResourceResponse, error) {
	r.saw(ctx)
	return nil, nil
}

func (r *recorder) CallFunction(ctx context.Context, _ *tfprotov6.CallFunctionRequest) (*tfprotov6.CallFunctionResponse, error) {
	r.saw(ctx)
	return nil, nil
}

func (r *recorder) GetFunctions(ctx context.Context, _ *tfprotov6.GetFunctionsRequest) (*tfprotov6.GetFunctionsResponse, error) {
	r.saw(ctx)
	return nil, nil
}

func (r *recorder) ValidateActionConfig(ctx context.Context, _ *tfprotov6.ValidateActionConfigRequest) (*tfprotov6.ValidateActionConfigResponse, error) {
	r.saw(ctx)
	return nil, nil
}

func (r *recorder) PlanAction(ctx context.Context, _ *tfprotov6.PlanActionRequest) (*tfprotov6.PlanActionResponse, error) {
	r.saw(ctx)
	return nil, nil
}

func (r *recorder) InvokeAction(ctx context.Context, _ *tfprotov6.InvokeActionRequest) (*tfprotov6.InvokeActionServerStream, error) {
	r.saw(ctx)
	return nil, nil
}

func (r *recorder) ValidateListResourceConfig(ctx context.Context, _ *tfprotov6.ValidateListResourceConfigRequest) (*tfprotov6.ValidateListResourceConfigResponse, error) {
	r.saw(ctx)
	return nil, nil
}

func (r *recorder) ListResource(ctx context.Context, _ *tfprotov6.ListResourceRequest) (*tfprotov6.ListResourceServerStream, error) {
	r.saw(ctx)
	return nil, nil
}

func (r *recorder) ValidateStateStoreConfig(ctx context.Context, _ *tfprotov6.ValidateStateStoreConfigRequest) (*tfprotov6.ValidateStateStoreConfigResponse, error) {
	r.saw(ctx)
	return nil, nil
}

func (r *recorder) ConfigureStateStore(ctx context.Context, _ *tfprotov6.ConfigureStateStoreRequest) (*tfprotov6.ConfigureStateStoreResponse, error) {
	r.saw(ctx)
	return nil, nil
}

func (r *recorder) ReadStateBytes(ctx context.Context, _ *tfprotov6.ReadStateBytesRequest) (*tfprotov6.ReadStateBytesStream, error) {
	r.saw(ctx)
	return nil, nil
}

func (r *recorder) WriteStateBytes(ctx context.Context, _ *tfprotov6.WriteStateBytesStream) (*tfprotov6.WriteStateBytesResponse, error) {
	r.saw(ctx)
	return nil, nil
}

func (r *recorder) GetStates(ctx context.Context, _ *tfprotov6.GetStatesRequest) (*tfprotov6.GetStatesResponse, error) {
	r.saw(ctx)
	return nil, nil
}

func (r *recorder) DeleteState(ctx context.Context, _ *tfprotov6.DeleteStateRequest) (*tfprotov6.DeleteStateResponse, error) {
	r.saw(ctx)
	return nil, nil
}

func (r *recorder) LockState(ctx context.Context, _ *tfprotov6.LockStateRequest) (*tfprotov6.LockStateResponse, error) {
	r.saw(ctx)
	return nil, nil
}

func (r *recorder) UnlockState(ctx context.Context, _ *tfprotov6.UnlockStateRequest) (*tfprotov6.UnlockStateResponse, error) {
	r.saw(ctx)
	return nil, nil
}
