package provider

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/ephemeral"
	"github.com/hashicorp/terraform-plugin-framework/ephemeral/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/chatwhizz/terraform-provider-chatwhizz/internal/chatwhizz"
)

var _ ephemeral.EphemeralResourceWithConfigure = (*accessTokenEphemeralResource)(nil)

func newAccessTokenEphemeralResource() ephemeral.EphemeralResource {
	return &accessTokenEphemeralResource{}
}

type accessTokenEphemeralResource struct{ data *providerData }

type accessTokenModel struct {
	AccessToken        types.String `tfsdk:"access_token"`
	RefreshToken       types.String `tfsdk:"refresh_token"`
	ExpiresAt          types.String `tfsdk:"expires_at"`
	OrganisationDomain types.String `tfsdk:"organisation_domain"`
}

func (e *accessTokenEphemeralResource) Metadata(_ context.Context, req ephemeral.MetadataRequest, resp *ephemeral.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_access_token"
}

func (e *accessTokenEphemeralResource) Schema(_ context.Context, _ ephemeral.SchemaRequest, resp *ephemeral.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "A live access token for the provider's organisation and addon, to call the rest of the Chatwhizz API " +
			"from another provider's `provider` block, a provisioner or another ephemeral resource. It is never written to the plan or the state. " +
			"When the provider logs in with a password, each opening logs in afresh and hands out a session of its own, which the provider's " +
			"own renewals never touch: it lives until `expires_at`. When the provider has only a token pair, it hands out its own session, " +
			"which its next regeneration retires at once (the API rotates pairs). Requires Terraform 1.10 or OpenTofu 1.11 or later.",
		Attributes: map[string]schema.Attribute{
			"access_token": schema.StringAttribute{
				MarkdownDescription: "The access token, sent in the `access_token` header of API calls.",
				Computed:            true,
				Sensitive:           true,
			},
			"refresh_token": schema.StringAttribute{
				MarkdownDescription: "The refresh token paired with it. Regenerating with it retires this pair; with a token pair configured, that is the provider's own session.",
				Computed:            true,
				Sensitive:           true,
			},
			"expires_at": schema.StringAttribute{
				MarkdownDescription: "When the access token expires (RFC 3339), or null when the API did not say. " +
					"Terraform cannot change a value a consumer already holds: use the token before then.",
				Computed: true,
			},
			"organisation_domain": schema.StringAttribute{
				MarkdownDescription: "The organisation the token belongs to.",
				Computed:            true,
			},
		},
	}
}

func (e *accessTokenEphemeralResource) Configure(_ context.Context, req ephemeral.ConfigureRequest, resp *ephemeral.ConfigureResponse) {
	e.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

// Open hands out a session of its own when the provider can log in, so that
// the provider's regenerations (which retire the pair they replace) never
// kill a token a consumer holds; with only a token pair, its own session.
func (e *accessTokenEphemeralResource) Open(ctx context.Context, _ ephemeral.OpenRequest, resp *ephemeral.OpenResponse) {
	ctx, report := watchClient(ctx, &resp.Diagnostics)
	defer report()
	sess, err := e.data.client.NewSession(ctx)
	if errors.Is(err, chatwhizz.ErrNoLogin) {
		sess, err = e.data.client.AccessToken(ctx)
	}
	if err != nil {
		resp.Diagnostics.AddError("Error obtaining an access token", fmt.Sprintf("Could not obtain a Chatwhizz access token: %s", err))
		return
	}
	m := accessTokenModel{
		AccessToken:        types.StringValue(sess.AccessToken),
		RefreshToken:       types.StringValue(sess.RefreshToken),
		ExpiresAt:          types.StringNull(),
		OrganisationDomain: types.StringValue(sess.OrganisationDomain),
	}
	if !sess.ExpiresAt.IsZero() {
		m.ExpiresAt = types.StringValue(sess.ExpiresAt.UTC().Format(time.RFC3339))
	}
	resp.Diagnostics.Append(resp.Result.Set(ctx, &m)...)
}
