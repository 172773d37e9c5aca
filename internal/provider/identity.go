package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource/identityschema"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// Resource identity (Terraform 1.12 and later): the server's key of each
// object, kept in state beside its attributes, and what an import block
// may name instead of an import ID:
//
//	import {
//	  to       = chatwhizz_domain.shop
//	  identity = { name = "shop.example.com" }
//	}
//
// A domain's name, and so the identity of a domain and of its assignments,
// changes when it is renamed in place: those identities are mutable.

type domainIdentityModel struct {
	Name types.String `tfsdk:"name"`
}

type operatorIdentityModel struct {
	ID types.String `tfsdk:"id"`
}

type assignmentIdentityModel struct {
	DomainName types.String `tfsdk:"domain_name"`
	OperatorID types.String `tfsdk:"operator_id"`
}

func (m *domainIdentityModel) attributes() []attribute { return []attribute{{"name", &m.Name}} }

func (m *operatorIdentityModel) attributes() []attribute { return []attribute{{"id", &m.ID}} }

func (m *assignmentIdentityModel) attributes() []attribute {
	return []attribute{{"domain_name", &m.DomainName}, {"operator_id", &m.OperatorID}}
}

func domainIdentitySchema() identityschema.Schema {
	return identityschema.Schema{Attributes: map[string]identityschema.Attribute{
		"name": identityschema.StringAttribute{RequiredForImport: true, Description: "The domain name, such as shop.example.com."},
	}}
}

func operatorIdentitySchema() identityschema.Schema {
	return identityschema.Schema{Attributes: map[string]identityschema.Attribute{
		"id": identityschema.StringAttribute{RequiredForImport: true, Description: "The operator id: 24 lower-case hexadecimal characters."},
	}}
}

func assignmentIdentitySchema() identityschema.Schema {
	return identityschema.Schema{Attributes: map[string]identityschema.Attribute{
		"domain_name": identityschema.StringAttribute{RequiredForImport: true, Description: "The domain's name."},
		"operator_id": identityschema.StringAttribute{RequiredForImport: true, Description: "The operator's id."},
	}}
}

// setIdentity records the identity of the object a resource method works
// on. The framework hands every method of a resource with identity a value
// to fill, null where the CLI keeps none (Terraform before 1.12); a Read
// that leaves it null fails with "Missing Resource Identity" even when it
// removes a vanished object, so Read sets it first.
func setIdentity(ctx context.Context, identity *tfsdk.ResourceIdentity, m model, diags *diag.Diagnostics) {
	if identity == nil {
		return
	}
	v, d := modelValue(ctx, identity.Raw.Type(), m)
	diags.Append(d...)
	if !d.HasError() {
		identity.Raw = v
	}
}

// importedIdentity reads the identity an import block gave instead of an
// import ID: ok is false when the import came with an ID.
func importedIdentity(id string, identity *tfsdk.ResourceIdentity, m model, diags *diag.Diagnostics) (ok bool) {
	if id != "" || identity == nil {
		return false
	}
	diags.Append(readModel(identity.Raw, m)...)
	return true
}
