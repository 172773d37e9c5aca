package chatwhizz

import (
	"errors"
	"testing"
)

// FuzzDecode feeds arbitrary answers to the decoder of every result type:
// it must never panic, must refuse every non-2xx status, and must report
// every refusal as an *APIError. Seeds: testdata/fuzz/FuzzDecode.
func FuzzDecode(f *testing.F) {
	c := &Client{addon: AddonLiveChat}
	req := request{method: "GET", path: []string{"admin", "domain", "x.io"}}
	f.Fuzz(func(t *testing.T, status int, body []byte) {
		outs := []any{&operatorData{}, &domainData{}, &assignmentData{}, &tokenData{}, nil}
		for _, out := range outs {
			err := c.decode(req, status, body, out)
			if err == nil {
				if status < 200 || status > 299 {
					t.Fatalf("HTTP %d accepted: %q", status, body)
				}
				continue
			}
			var apiErr *APIError
			if !errors.As(err, &apiErr) {
				t.Fatalf("%T is not an *APIError: %v", err, err)
			}
			if apiErr.StatusCode != status || apiErr.Message == "" {
				t.Fatalf("error without status or message: %+v", apiErr)
			}
		}
	})
}
