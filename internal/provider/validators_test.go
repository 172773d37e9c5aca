package provider

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/chatwhizz/terraform-provider-chatwhizz/internal/chatwhizz"
)

// validate runs a string validator on one value and returns its error
// summary and detail, or "" when it accepts the value.
func validate(v validator.String, value types.String) string {
	req := validator.StringRequest{Path: path.Root("attr"), ConfigValue: value}
	var resp validator.StringResponse
	v.ValidateString(context.Background(), req, &resp)
	if !resp.Diagnostics.HasError() {
		return ""
	}
	d := resp.Diagnostics.Errors()[0]
	return d.Summary() + ": " + d.Detail()
}

func TestValidatorsLeaveNullAndUnknownAlone(t *testing.T) {
	for _, v := range []validator.String{hostNameValidator{}, emailValidator(), operatorIDValidator(), durationValidator{}} {
		for _, value := range []types.String{types.StringNull(), types.StringUnknown()} {
			if got := validate(v, value); got != "" {
				t.Errorf("%T refused %s: %s", v, value, got)
			}
		}
	}
}

func TestHostNameValidator(t *testing.T) {
	for _, ok := range []string{"shop.example.com", "a.io", "x-1.y-2.example.co.uk", strings.Repeat("a", 63) + ".com"} {
		if got := validate(hostNameValidator{}, types.StringValue(ok)); got != "" {
			t.Errorf("%q refused: %s", ok, got)
		}
	}
	refused := map[string]string{
		"":                                "it is empty",
		"https://shop.example.com":        "remove the scheme (https://)",
		"shop.example.com/cart":           "remove the path",
		"shop.example.com?x=1":            "remove the path",
		"shop.example.com:443":            "remove the port",
		"Shop.example.com":                "must be lower case",
		"shop.example.com.":               "remove the trailing dot",
		"shop example.com":                "white space",
		"localhost":                       "at least two labels",
		"-shop.example.com":               `the label "-shop"`,
		"shop..example.com":               `the label ""`,
		strings.Repeat("a", 64) + ".com":  "1 to 63 characters",
		strings.Repeat("a.", 127) + "com": "longer than 253",
	}
	for name, want := range refused {
		got := validate(hostNameValidator{}, types.StringValue(name))
		if !strings.HasPrefix(got, "Invalid domain name: ") || !strings.Contains(got, want) {
			t.Errorf("%q: %q, want it to say %q", name, got, want)
		}
	}
}

func TestEmailValidator(t *testing.T) {
	for _, ok := range []string{"ann@example.com", "Ann.Lee+chat@Example.co.uk", "a.tfacc-1f2e3d-12@example.com"} {
		if got := validate(emailValidator(), types.StringValue(ok)); got != "" {
			t.Errorf("%q refused: %s", ok, got)
		}
	}
	for _, bad := range []string{"", "ann", "ann@", "@example.com", "ann@example", "ann example@example.com", "a@b@example.com", "ann@example."} {
		if got := validate(emailValidator(), types.StringValue(bad)); !strings.HasPrefix(got, "Invalid email address: ") {
			t.Errorf("%q accepted (%q)", bad, got)
		}
	}
}

func TestOperatorIDValidator(t *testing.T) {
	if got := validate(operatorIDValidator(), types.StringValue("65f1c0ffee0123456789abcd")); got != "" {
		t.Errorf("a valid id refused: %s", got)
	}
	for _, bad := range []string{"", "65F1C0FFEE0123456789ABCD", "65f1c0ffee0123456789abc", "65f1c0ffee0123456789abcde", "ann@example.com", "65f1c0ffee0123456789abcg"} {
		if got := validate(operatorIDValidator(), types.StringValue(bad)); !strings.Contains(got, "24 lower-case hexadecimal characters") {
			t.Errorf("%q: %q", bad, got)
		}
	}
}

func TestDurationValidator(t *testing.T) {
	for _, ok := range []string{"30s", "2m", "1h30m", "250ms"} {
		if got := validate(durationValidator{}, types.StringValue(ok)); got != "" {
			t.Errorf("%q refused: %s", ok, got)
		}
	}
	for _, bad := range []string{"", "30", "soon", "0s", "-1m"} {
		if got := validate(durationValidator{}, types.StringValue(bad)); !strings.HasPrefix(got, "Invalid duration: ") {
			t.Errorf("%q accepted (%q)", bad, got)
		}
	}
}

// TestTuningValidatorsAgreeWithTheClient: the schema refuses a tuning value
// exactly when the client's Config.Problems would, so a value that plans
// never fails in Configure, and the limits live in one place.
func TestTuningValidatorsAgreeWithTheClient(t *testing.T) {
	clientRefuses := func(mutate func(*chatwhizz.Config)) bool {
		cfg := chatwhizz.Config{BaseURL: "https://h/", Email: "a@b.co", Password: "p", OrganisationDomain: "o", AddonUniqueName: chatwhizz.AddonLiveChat}
		mutate(&cfg)
		return len(cfg.Problems()) > 0
	}
	for n := int64(-2); n <= chatwhizz.MaxRetriesLimit+2; n++ {
		var resp validator.Int64Response
		maxRetriesValidator{}.ValidateInt64(context.Background(), validator.Int64Request{Path: path.Root("max_retries"), ConfigValue: types.Int64Value(n)}, &resp)
		if schema, client := resp.Diagnostics.HasError(), clientRefuses(func(c *chatwhizz.Config) { c.MaxRetries = new(int(n)) }); schema != client {
			t.Errorf("max_retries = %d: schema refuses %t, client %t", n, schema, client)
		}
	}
	// Zero is no value in the client (its default); the schema refuses it.
	for _, r := range []float64{-1, chatwhizz.MinRequestsPerSecond / 2, 0.099, chatwhizz.MinRequestsPerSecond, 0.2, 50} {
		var resp validator.Float64Response
		paceValidator{}.ValidateFloat64(context.Background(), validator.Float64Request{Path: path.Root("requests_per_second"), ConfigValue: types.Float64Value(r)}, &resp)
		if schema, client := resp.Diagnostics.HasError(), clientRefuses(func(c *chatwhizz.Config) { c.RequestsPerSecond = r }); schema != client {
			t.Errorf("requests_per_second = %g: schema refuses %t, client %t", r, schema, client)
		}
	}
	for _, d := range []string{"-1m", "-1ns", "1ns", "30s"} {
		parsed, _ := time.ParseDuration(d)
		schema := validate(durationValidator{}, types.StringValue(d)) != ""
		for _, field := range []func(*chatwhizz.Config){func(c *chatwhizz.Config) { c.RequestTimeout = parsed }, func(c *chatwhizz.Config) { c.RetryTimeout = parsed }} {
			if client := clientRefuses(field); schema != client {
				t.Errorf("%s: schema refuses %t, client %t", d, schema, client)
			}
		}
	}
}
