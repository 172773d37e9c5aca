package provider

// What the CLI under test supports, by version.

import (
	"encoding/json"
	"os"
	"testing"

	"github.com/hashicorp/go-version"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"
)

// usingOpenTofu tells the CLIs apart: OpenTofu reports its own version.
func usingOpenTofu() bool {
	return os.Getenv("TF_ACC_PROVIDER_HOST") == "registry.opentofu.org"
}

// ephemeralSince is the first version of the CLI under test with ephemeral
// resources.
func ephemeralSince() *version.Version {
	if usingOpenTofu() {
		return version.Must(version.NewVersion("1.11.0"))
	}
	return tfversion.Version1_10_0
}

// skipBelowEphemeral skips where the CLI has no ephemeral resources.
func skipBelowEphemeral() tfversion.TerraformVersionCheck {
	return tfversion.SkipBelow(ephemeralSince())
}

// ephemeralSupported tells a test driven through the CLI (not resource.Test)
// whether the CLI has ephemeral resources: the check skipBelowEphemeral
// makes for resource.Test, on the version the CLI reports.
func ephemeralSupported(t *testing.T) bool {
	t.Helper()
	var resp tfversion.CheckTerraformVersionResponse
	skipBelowEphemeral().CheckTerraformVersion(t.Context(), tfversion.CheckTerraformVersionRequest{TerraformVersion: cliVersion(t)}, &resp)
	if resp.Error != nil {
		t.Fatal(resp.Error)
	}
	return resp.Skip == ""
}

// cliVersion asks the CLI under test its version.
func cliVersion(t *testing.T) *version.Version {
	t.Helper()
	out, err := cliCommand("", nil, "version", "-json").Output()
	if err != nil {
		t.Fatal(err)
	}
	var v struct {
		Version string `json:"terraform_version"`
	}
	if err := json.Unmarshal(out, &v); err != nil {
		t.Fatal(err)
	}
	have, err := version.NewVersion(v.Version)
	if err != nil {
		t.Fatal(err)
	}
	return have
}
