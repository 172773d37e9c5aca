package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

var _ datasource.DataSourceWithConfigure = (*domainDataSource)(nil)

func newDomainDataSource() datasource.DataSource { return &domainDataSource{} }

type domainDataSource struct{ configuredDataSource }

type domainDataSourceModel struct {
	ID   types.String `tfsdk:"id"`
	Name types.String `tfsdk:"name"`
	domainAPIFields
}

func (d *domainDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_domain"
}

func (d *domainDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Reads a domain of the organisation under the provider's addon. It is an error when the domain does not exist there.",
		Attributes: map[string]schema.Attribute{
			"id":   schema.StringAttribute{MarkdownDescription: "The domain name.", Computed: true},
			"name": schema.StringAttribute{MarkdownDescription: "The domain's host name, such as `shop.example.com`: lower case, without scheme, path or port (anything else is refused at plan time).", Required: true, Validators: []validator.String{hostNameValidator{}}},
			"email": schema.StringAttribute{
				MarkdownDescription: "The email address the domain is registered with.",
				Computed:            true,
			},
			"active":            schema.BoolAttribute{MarkdownDescription: "Whether the domain is active.", Computed: true},
			"addon_unique_name": schema.StringAttribute{MarkdownDescription: "The addon the domain belongs to.", Computed: true},
		},
	}
}

func (d *domainDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	operate(ctx, req.Config, &resp.Diagnostics, func(ctx context.Context, m domainDataSourceModel) {
		dom, err := d.data.client.GetDomain(ctx, m.Name.ValueString())
		if err != nil {
			addLookupError(&resp.Diagnostics, "name", err, "Domain not found", "Error reading domain",
				fmt.Sprintf("Could not read domain %q under addon %q: %s", m.Name.ValueString(), d.data.addon, err))
			return
		}
		m.ID = m.Name
		m.setFromAPI(dom, d.data.addon)
		resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
	})
}
