package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

var _ datasource.DataSourceWithConfigure = (*widgetVisibilityDataSource)(nil)

func newWidgetVisibilityDataSource() datasource.DataSource { return &widgetVisibilityDataSource{} }

// widgetVisibilityDataSource reports the server's verdict on whether the chat
// widget shows on a domain. The rule is the service's own: the data source
// passes the answer on and decides nothing.
type widgetVisibilityDataSource struct{ configuredDataSource }

type widgetVisibilityDataSourceModel struct {
	ID         types.String `tfsdk:"id"`
	DomainName types.String `tfsdk:"domain_name"`
	Visible    types.Bool   `tfsdk:"visible"`
	Reason     types.String `tfsdk:"reason"`
}

func (d *widgetVisibilityDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_widget_visibility"
}

func (d *widgetVisibilityDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Asks the server whether the chat widget is visible on a domain, and why not when it is hidden: " +
			"for `check` blocks and `terraform test` assertions after apply. It reports the server's answer " +
			"as given; it changes nothing, and costs one API call each time it is read. It is an error when the domain " +
			"does not exist under the provider's addon.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{MarkdownDescription: "The domain name.", Computed: true},
			"domain_name": schema.StringAttribute{
				MarkdownDescription: "The domain's host name, such as `shop.example.com`: lower case, without scheme, path or port (anything else is refused at plan time).",
				Required:            true,
				Validators:          []validator.String{hostNameValidator{}},
			},
			"visible": schema.BoolAttribute{
				MarkdownDescription: "Whether the server says the chat widget is visible on the domain (the API's `isWidgetVisible`).",
				Computed:            true,
			},
			"reason": schema.StringAttribute{
				MarkdownDescription: "Why the widget is hidden, in the server's own words; `\"\"` when it is visible.",
				Computed:            true,
			},
		},
	}
}

func (d *widgetVisibilityDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	operate(ctx, req.Config, &resp.Diagnostics, func(ctx context.Context, m widgetVisibilityDataSourceModel) {
		name := m.DomainName.ValueString()
		v, err := d.data.client.CheckWidgetVisibility(ctx, name)
		if err != nil {
			addLookupError(&resp.Diagnostics, "domain_name", err, "Domain not found", "Error checking widget visibility",
				fmt.Sprintf("Could not check whether the chat widget is visible on domain %q under addon %q: %s", name, d.data.addon, err))
			return
		}
		m.ID = m.DomainName
		m.Visible = types.BoolValue(v.Visible)
		m.Reason = types.StringValue(v.Reason)
		resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
	})
}
