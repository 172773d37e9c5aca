package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/chatwhizz/terraform-provider-chatwhizz/internal/chatwhizz"
)

var _ datasource.DataSourceWithConfigure = (*operatorDataSource)(nil)

func newOperatorDataSource() datasource.DataSource { return &operatorDataSource{} }

type operatorDataSource struct{ configuredDataSource }

type operatorDataSourceModel struct {
	ID types.String `tfsdk:"id"`
	operatorAPIFields
	Presence types.String `tfsdk:"presence"`
}

// presenceWords names the API's presence numbers.
var presenceWords = map[int]string{
	chatwhizz.PresenceOffline: "offline",
	chatwhizz.PresenceOnline:  "online",
	chatwhizz.PresenceAway:    "away",
	chatwhizz.PresenceBusy:    "busy",
}

func (d *operatorDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_operator"
}

func (d *operatorDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Reads an operator of the organisation by id, with its current presence. It is an error when the operator does not exist.",
		Attributes: map[string]schema.Attribute{
			"id":     schema.StringAttribute{MarkdownDescription: "The operator id: 24 lower-case hexadecimal characters (anything else is refused at plan time), as in `chatwhizz_operator.<name>.id`.", Required: true, Validators: []validator.String{operatorIDValidator()}},
			"name":   schema.StringAttribute{MarkdownDescription: "The operator's display name.", Computed: true},
			"email":  schema.StringAttribute{MarkdownDescription: "The operator's email address.", Computed: true},
			"active": schema.BoolAttribute{MarkdownDescription: "Whether the operator is active for the provider's addon.", Computed: true},
			"presence": schema.StringAttribute{
				MarkdownDescription: "The operator's presence right now: `offline`, `online`, `away` or `busy`.",
				Computed:            true,
			},
		},
	}
}

func (d *operatorDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	operate(ctx, req.Config, &resp.Diagnostics, func(ctx context.Context, m operatorDataSourceModel) {
		op, err := d.data.client.GetOperator(ctx, m.ID.ValueString())
		if err != nil {
			addLookupError(&resp.Diagnostics, "id", err, "Operator not found", "Error reading operator",
				fmt.Sprintf("Could not read operator %s: %s", m.ID.ValueString(), err))
			return
		}
		presence, ok := presenceWords[op.Presence]
		if !ok {
			resp.Diagnostics.AddAttributeError(path.Root("presence"), "Unknown presence",
				fmt.Sprintf("The API reported presence %d for operator %s; known values are 0 to 3. Please report this to the provider developers.", op.Presence, m.ID.ValueString()))
			return
		}
		m.setFromAPI(op)
		m.Presence = types.StringValue(presence)
		resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
	})
}
