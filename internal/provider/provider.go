// Package provider maps the Chatwhizz API onto Terraform resources, data
// sources and an ephemeral resource.
package provider

import (
	"context"
	"fmt"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/ephemeral"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/chatwhizz/terraform-provider-chatwhizz/internal/chatwhizz"
)

// A provider.ProviderWithEphemeralResources is a provider.Provider.
var _ provider.ProviderWithEphemeralResources = (*chatwhizzProvider)(nil)

// New returns the provider factory for the given release version.
func New(version string) func() provider.Provider {
	return func() provider.Provider { return &chatwhizzProvider{version: version} }
}

type chatwhizzProvider struct {
	version string
}

type providerModel struct {
	BaseURL            types.String  `tfsdk:"base_url"`
	Email              types.String  `tfsdk:"email"`
	Password           types.String  `tfsdk:"password"`
	OrganisationDomain types.String  `tfsdk:"organisation_domain"`
	AddonUniqueName    types.String  `tfsdk:"addon_unique_name"`
	AccessToken        types.String  `tfsdk:"access_token"`
	RefreshToken       types.String  `tfsdk:"refresh_token"`
	RequestTimeout     types.String  `tfsdk:"request_timeout"`
	MaxRetries         types.Int64   `tfsdk:"max_retries"`
	RetryTimeout       types.String  `tfsdk:"retry_timeout"`
	RequestsPerSecond  types.Float64 `tfsdk:"requests_per_second"`
}

func (p *chatwhizzProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "chatwhizz"
	resp.Version = p.version
}

func (p *chatwhizzProvider) Schema(_ context.Context, _ provider.SchemaRequest, resp *provider.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Manages a [Chatwhizz](https://chatwhizz.com) organisation through the admin External API: " +
			"operators, website domains and the operators assigned to them. Authenticate with the organisation's " +
			"`email`, `password` and `organisation_domain`, or with an `access_token` and `refresh_token` pair; " +
			"each provider block acts under one `addon_unique_name`.",
		Attributes: map[string]schema.Attribute{
			"base_url": schema.StringAttribute{
				MarkdownDescription: "Required, in the block or from the `CHATWHIZZ_BASE_URL` environment variable. " +
					"The root URL of your organisation's Chatwhizz External API, the one under which `admin/access-token` answers, " +
					"such as `https://<your-chatwhizz-api-host>/`: an absolute `http` or `https` URL without query or fragment (anything else " +
					"is refused at plan time). Plain `http` to a host other than this machine is accepted with a warning: use `https`.",
				Optional: true,
			},
			"email": schema.StringAttribute{
				MarkdownDescription: "Required for the login, in the block or from `CHATWHIZZ_EMAIL`: with `password` and " +
					"`organisation_domain`, unless `access_token` and `refresh_token` are configured instead. The organisation's login email. " +
					"Once any of the three login settings is set, a missing one is an error at plan time.",
				Optional: true,
			},
			"password": schema.StringAttribute{
				MarkdownDescription: "Required for the login, in the block or from `CHATWHIZZ_PASSWORD` (see `email`). " +
					"The organisation's password, sent exactly as given (spaces at either end are part of it). The API's login takes it in the query string of a GET request: use an `https` " +
					"`base_url` (see the security note above).",
				Optional:  true,
				Sensitive: true,
			},
			"organisation_domain": schema.StringAttribute{
				MarkdownDescription: "Required for the login, in the block or from `CHATWHIZZ_ORGANISATION_DOMAIN` (see `email`). " +
					"The organisation's subdomain name at Chatwhizz, such as `acme`, not a URL.",
				Optional: true,
			},
			"addon_unique_name": schema.StringAttribute{
				MarkdownDescription: "Required, in the block or from `CHATWHIZZ_ADDON_UNIQUE_NAME`. The addon every object of this " +
					"provider block belongs to: `" + chatwhizz.AddonLiveChat + "` or `" + chatwhizz.AddonSellerBuyer + "`; any other value " +
					"is refused at plan time. Use one provider block per addon, with `alias`, to manage both.",
				Optional:   true,
				Validators: []validator.String{stringvalidator.OneOf(chatwhizz.KnownAddons...)},
			},
			"access_token": schema.StringAttribute{
				MarkdownDescription: "Optional, in the block or from `CHATWHIZZ_ACCESS_TOKEN`: with `refresh_token`, instead of " +
					"(or besides) the login. Left out, the provider logs in with `email`, `password` and `organisation_domain`; " +
					"one of the pair without the other is an error at plan time. " +
					"It is checked with the API's validate call and regenerated as it expires; regeneration retires the configured pair, " +
					"so a later run needs a fresh pair, or the login settings as well.",
				Optional:  true,
				Sensitive: true,
			},
			"refresh_token": schema.StringAttribute{
				MarkdownDescription: "Optional, in the block or from `CHATWHIZZ_REFRESH_TOKEN`: the refresh token paired with " +
					"`access_token`, and required with it. Left out, with `access_token` left out too, the provider logs in.",
				Optional:  true,
				Sensitive: true,
			},
			"request_timeout": timeoutAttribute(chatwhizz.DefaultRequestTimeout,
				"How long one HTTP exchange may take on the wire (connecting, sending the request and reading the answer), "+
					"as a positive duration string such as `\"30s\"` or `\"2m\"`; anything else, zero included, is refused at plan time. "+
					"Waiting for the pace or for a `Retry-After` before it does not count (`retry_timeout` bounds that)."),
			"max_retries": schema.Int64Attribute{
				MarkdownDescription: fmt.Sprintf("Optional. Defaults to `%d`. ", chatwhizz.DefaultMaxRetries) +
					"How many times a request answered 502, 503 or 504, or cut by a connection reset, is retried (with backoff and jitter): " +
					fmt.Sprintf("`0` to `%d`, anything else is refused at plan time. A 429 is not a failure: it is waited out (see `retry_timeout`).", chatwhizz.MaxRetriesLimit),
				Optional:   true,
				Validators: []validator.Int64{maxRetriesValidator{}},
			},
			"retry_timeout": timeoutAttribute(chatwhizz.DefaultRetryTimeout,
				"How long one API call may take in all: its waits for the pace and for rate limits (429, honouring `Retry-After`), "+
					"its retries of failures and every attempt, as a positive duration string such as `\"5m\"`; anything else is refused at plan time."),
			"requests_per_second": schema.Float64Attribute{
				MarkdownDescription: fmt.Sprintf("Optional: the organisation's request quota in requests a second, if you know it, at least `%g` ", chatwhizz.MinRequestsPerSecond) +
					"(a smaller value is refused at plan time). The provider starts at this pace and never exceeds it, " +
					"also after the API answers 429 (at `0.2`, no two requests less than 5 seconds apart). " +
					"Left out, it sends freely until the API answers 429, then slows every call of the run to the pace the API admits, " +
					"and speeds up again as calls succeed. Each provider block keeps its own pace: blocks on one organisation share its quota, " +
					"so give each its share.",
				Optional:   true,
				Validators: []validator.Float64{paceValidator{}},
			},
		},
	}
}

func (p *chatwhizzProvider) Configure(ctx context.Context, req provider.ConfigureRequest, resp *provider.ConfigureResponse) {
	var m providerModel
	if !readInto(ctx, req.Config, &m, &resp.Diagnostics) {
		return
	}
	cfg := resolveConfig(m, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	cfg.UserAgent = fmt.Sprintf("terraform-provider-chatwhizz/%s (+https://registry.terraform.io/providers/chatwhizz/chatwhizz) Terraform/%s", p.version, req.TerraformVersion)
	cfg.Logger = httpLoggerFor(os.Getenv(providerLogLevelVariable), cfg.Secrets()...)
	cfg.ShareReads = true
	client, err := chatwhizz.New(cfg)
	if err != nil {
		resp.Diagnostics.AddError("Invalid provider configuration", err.Error())
		return
	}
	data := &providerData{client: client, addon: cfg.AddonUniqueName, claims: newClaims()}
	resp.ResourceData = data
	resp.DataSourceData = data
	resp.EphemeralResourceData = data
}

// timeoutAttribute is a timeout setting: a duration the client's rule
// checks, whose description starts with the client's default.
func timeoutAttribute(def time.Duration, description string) schema.StringAttribute {
	return schema.StringAttribute{
		MarkdownDescription: fmt.Sprintf("Optional. Defaults to `%q`. ", durationText(def)) + description,
		Optional:            true,
		Validators:          []validator.String{durationValidator{}},
	}
}

// durationText writes a default duration as a user would: "5m", "30s".
func durationText(d time.Duration) string {
	if d%time.Minute == 0 {
		return fmt.Sprintf("%dm", d/time.Minute)
	}
	return d.String()
}

func (p *chatwhizzProvider) Resources(context.Context) []func() resource.Resource {
	return []func() resource.Resource{newDomainResource, newOperatorResource, newOperatorAssignmentResource}
}

func (p *chatwhizzProvider) DataSources(context.Context) []func() datasource.DataSource {
	return []func() datasource.DataSource{newDomainDataSource, newOperatorDataSource, newWidgetVisibilityDataSource}
}

func (p *chatwhizzProvider) EphemeralResources(context.Context) []func() ephemeral.EphemeralResource {
	return []func() ephemeral.EphemeralResource{newAccessTokenEphemeralResource}
}

// providerData is what Configure hands to every resource and data source:
// one client, and so one login, for the whole run.
type providerData struct {
	client *chatwhizz.Client
	addon  string
	// claims keeps the resources of this process from undoing each other
	// on one server object (claims.go).
	claims *claims
}

func (d *providerData) sellerBuyer() bool { return d.addon == chatwhizz.AddonSellerBuyer }

// httpLogger sends the client's per-request entries to the provider's "http"
// log subsystem, at DEBUG. The configured secrets are masked in every field
// and message as a second line of defence: the client never logs them.
type httpLogger struct{ secrets []string }

const httpSubsystem = "http"

// providerLogLevelVariable sets the level of the provider's logger, which
// terraform-plugin-go names after the provider's address; internal/serve
// sets it to OFF when nobody asked for logs.
const providerLogLevelVariable = "TF_LOG_PROVIDER_CHATWHIZZ"

// httpLoggerFor is the client's logger at the provider's log level (the
// value of providerLogLevelVariable): none when it is OFF, for the "http"
// subsystem inherits that level and would drop every entry, after making a
// logger with its masks for it on every API call.
func httpLoggerFor(level string, secrets ...string) chatwhizz.Logger {
	if strings.EqualFold(strings.TrimSpace(level), "off") {
		return nil
	}
	return newHTTPLogger(secrets...)
}

// newHTTPLogger keeps the secrets that are set, once: the logger runs on
// every API call.
func newHTTPLogger(secrets ...string) httpLogger {
	return httpLogger{secrets: slices.DeleteFunc(secrets, func(s string) bool { return s == "" })}
}

func (l httpLogger) Debug(ctx context.Context, msg string, fields map[string]any) {
	ctx = tflog.NewSubsystem(ctx, httpSubsystem)
	if len(l.secrets) > 0 {
		ctx = tflog.SubsystemMaskAllFieldValuesStrings(ctx, httpSubsystem, l.secrets...)
		ctx = tflog.SubsystemMaskMessageStrings(ctx, httpSubsystem, l.secrets...)
	}
	tflog.SubsystemDebug(ctx, httpSubsystem, msg, fields)
}
