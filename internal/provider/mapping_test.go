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
	want := domainModel{Email: types.StringValue("Owner@Example.com"), Active: types.BoolValue(true)}
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
