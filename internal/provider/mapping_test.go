package provider

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/chatwhizz/terraform-provider-chatwhizz/internal/chatwhizz"
)

// Pure functions between the configuration, the API's answers and the
// state: the email's case, what an update sends, and how an assignment's
// settings are planned.

func TestKeepEmailCase(t *testing.T) {
	cases := []struct {
		prior      types.String
		fromServer string
		want       types.String
	}{
		{types.StringValue("Ann@Example.com"), "ann@example.com", types.StringValue("Ann@Example.com")},
		{types.StringValue("ann@example.com"), "bob@example.com", types.StringValue("bob@example.com")},
		{types.StringNull(), "ann@example.com", types.StringValue("ann@example.com")},
		{types.StringUnknown(), "ann@example.com", types.StringValue("ann@example.com")},
	}
	for _, tc := range cases {
		if got := keepEmailCase(tc.prior, tc.fromServer); !got.Equal(tc.want) {
			t.Errorf("keepEmailCase(%s, %q) = %s, want %s", tc.prior, tc.fromServer, got, tc.want)
		}
	}
}

func TestDomainChangesSendOnlyWhatDiffers(t *testing.T) {
	want := domainModel{domainAPIFields: domainAPIFields{Email: types.StringValue("Owner@Example.com"), Active: types.BoolValue(true)}}
	if upd := domainChanges(want, &chatwhizz.Domain{Email: "owner@example.com", Active: true}); upd.Email != nil || upd.Active != nil || upd.Name != nil {
		t.Errorf("a domain that matches but for the email's case: %+v, want no change", upd)
	}
	upd := domainChanges(want, &chatwhizz.Domain{Email: "intruder@example.com", Active: false})
	if upd.Email == nil || *upd.Email != "Owner@Example.com" || upd.Active == nil || !*upd.Active || upd.Name != nil {
		t.Errorf("a drifted domain: %+v, want the email and active back", upd)
	}
}

func TestPlannedSetting(t *testing.T) {
	yes, no, null := types.BoolValue(true), types.BoolValue(false), types.BoolNull()
	cases := []struct {
		name                    string
		config, state           types.Bool
		creating, newAssignment bool
		want                    types.Bool
	}{
		{"configured wins on create", no, null, true, true, no},
		{"configured wins on update", yes, no, false, false, yes},
		{"left out on create: a new assignment's value", null, null, true, true, yes},
		{"left out after an import: unmanaged", null, null, false, true, null},
		{"left out once managed: back to a new assignment's value", null, no, false, true, yes},
	}
	for _, tc := range cases {
		if got := plannedSetting(tc.config, tc.state, tc.creating, tc.newAssignment); !got.Equal(tc.want) {
			t.Errorf("%s: %s, want %s", tc.name, got, tc.want)
		}
	}
}

func TestAPIFieldsAreMappedOnceForResourceAndDataSource(t *testing.T) {
	answer := &chatwhizz.Domain{Name: "shop.example.com", Email: "owner@example.com", Active: true}
	var resource domainModel
	resource.Email = types.StringValue("Owner@Example.com")
	resource.setFromAPI(answer, chatwhizz.AddonLiveChat)
	var data domainDataSourceModel
	data.Email = types.StringNull()
	data.setFromAPI(answer, chatwhizz.AddonLiveChat)
	if resource.Email.ValueString() != "Owner@Example.com" || data.Email.ValueString() != "owner@example.com" {
		t.Errorf("email: the resource keeps its configured case (%s), the data source shows the server's (%s)", resource.Email, data.Email)
	}
	if !resource.Active.ValueBool() || !data.Active.ValueBool() || data.AddonUniqueName.ValueString() != chatwhizz.AddonLiveChat {
		t.Errorf("active and addon: %+v, %+v", resource.domainAPIFields, data.domainAPIFields)
	}

	op := &chatwhizz.Operator{ID: "65f1c0ffee0123456789abcd", Name: "Ann Lee", Email: "ann@example.com", Active: false}
	var operator operatorModel
	operator.Email = types.StringValue("Ann@Example.com")
	operator.setFromServer(op, chatwhizz.AddonSellerBuyer)
	var assignment operatorAssignmentModel
	assignment.setFromAPI(op.Name, op.Email)
	if operator.Name.ValueString() != "Ann Lee" || operator.Email.ValueString() != "Ann@Example.com" || operator.Active.ValueBool() ||
		operator.AddonUniqueName.ValueString() != chatwhizz.AddonSellerBuyer {
		t.Errorf("operator: %+v %+v", operator.operatorAPIFields, operator.providerAddon)
	}
	if assignment.Name.ValueString() != "Ann Lee" || assignment.Email.ValueString() != "ann@example.com" {
		t.Errorf("assignment: %+v", assignment.operatorContact)
	}
}
