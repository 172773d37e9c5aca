package provider

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/chatwhizz/terraform-provider-chatwhizz/internal/chatwhizz"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// configuredResource and configuredDataSource, embedded, give the resources
// and data sources their Configure: each keeps the provider data (data is
// nil before the provider is configured).
type configuredResource struct{ data *providerData }

func (c *configuredResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	c.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

type configuredDataSource struct{ data *providerData }

func (c *configuredDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	c.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

// providerDataFrom takes the configured client from the framework's
// ProviderData; nil before the provider is configured (validation runs).
func providerDataFrom(raw any, diags *diag.Diagnostics) *providerData {
	if raw == nil {
		return nil
	}
	data, ok := raw.(*providerData)
	if !ok {
		diags.AddError("Unexpected provider data", fmt.Sprintf("expected *providerData, got %T; please report this issue to the provider developers", raw))
		return nil
	}
	return data
}

// modelSource is the framework's plan, state or configuration.
type modelSource interface {
	Get(context.Context, any) diag.Diagnostics
}

// readInto reads the framework's plan, state or configuration into *into,
// and says whether it could: what went wrong is in diags. A resource's
// model, read on every operation, is read through its attribute list
// (objects.go); the rest through the framework's reflection.
func readInto[M any](ctx context.Context, from modelSource, into *M, diags *diag.Diagnostics) bool {
	listed, isListed := any(into).(model)
	raw, hasRaw := rawValue(from)
	if isListed && hasRaw {
		diags.Append(readModel(raw, listed)...)
	} else {
		diags.Append(from.Get(ctx, into)...)
	}
	return !diags.HasError()
}

// rawValue is the value behind a plan, state or configuration.
func rawValue(from modelSource) (tftypes.Value, bool) {
	switch f := from.(type) {
	case tfsdk.Plan:
		return f.Raw, true
	case tfsdk.State:
		return f.Raw, true
	case tfsdk.Config:
		return f.Raw, true
	}
	return tftypes.Value{}, false
}

// operate runs an operation on the model M in its plan, state or
// configuration, and not at all when that cannot be read (diags say why).
// The client's calls made with the context op is given report what the user
// must hear into diags when op returns (watchClient).
func operate[M any](ctx context.Context, from modelSource, diags *diag.Diagnostics, op func(context.Context, M)) {
	ctx, report := watchClient(ctx, diags)
	defer report()
	var m M
	if !readInto(ctx, from, &m, diags) {
		return
	}
	op(ctx, m)
}

// operateOnChange is operate for an update, which works from its plan and
// the prior state.
func operateOnChange[M any](ctx context.Context, plan, state modelSource, diags *diag.Diagnostics, op func(ctx context.Context, plan, state M)) {
	ctx, report := watchClient(ctx, diags)
	defer report()
	var p, s M
	planRead := readInto(ctx, plan, &p, diags)
	if !readInto(ctx, state, &s, diags) || !planRead {
		return
	}
	op(ctx, p, s)
}

// addLookupError reports a data source's failed read on the attribute that
// names the object, titled notFound when the object does not exist for the
// provider, failed otherwise.
func addLookupError(diags *diag.Diagnostics, attr string, err error, notFound, failed, detail string) {
	summary := failed
	if errors.Is(err, chatwhizz.ErrNotFound) {
		summary = notFound
	}
	diags.AddAttributeError(path.Root(attr), summary, detail)
}

// watchClient lets the client's calls made with the returned context report
// what the user must hear besides their results; the returned function,
// deferred by the operation, adds that to its diagnostics. So a notice lands
// on the operation whose call caused it, once.
func watchClient(ctx context.Context, diags *diag.Diagnostics) (context.Context, func()) {
	ctx, notices := chatwhizz.WithNotices(ctx)
	return ctx, func() {
		if notices.PairRetired() {
			diags.AddWarning("The configured token pair is now retired", retiredPairWarning)
		}
	}
}

const retiredPairWarning = "The configured access_token had expired or was about to, so the provider regenerated the " +
	"pair with its refresh_token. The API rotates tokens: the configured access_token and refresh_token stopped " +
	"working at once, and the new pair lives only in this provider process, which never writes a token to disk. " +
	"Every later process that starts from the configured pair will fail to authenticate, this command's apply phase " +
	"included when it has one (Terraform and OpenTofu run it in a process of its own). Issue a new pair for each run " +
	"(for example from a fresh login just before it), or configure email, password and organisation_domain instead."

// keepEmailCase returns the prior value when the server's email differs from
// it only in case: emails compare case-insensitively, and echoing the
// server's case would make a perpetual diff.
func keepEmailCase(prior types.String, fromServer string) types.String {
	if !prior.IsNull() && !prior.IsUnknown() && strings.EqualFold(prior.ValueString(), fromServer) {
		return prior
	}
	return types.StringValue(fromServer)
}

func sameEmail(a, b types.String) bool { return strings.EqualFold(a.ValueString(), b.ValueString()) }

// unchanged reports whether the plan of an existing object is its state:
// nothing to make known or to warn about. Most resources of a plan are, and
// reading a whole model costs the framework's reflection.
func unchanged(req resource.ModifyPlanRequest) bool {
	return !req.State.Raw.IsNull() && req.Plan.Raw.Equal(req.State.Raw)
}
