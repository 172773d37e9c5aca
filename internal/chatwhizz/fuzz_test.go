package chatwhizz

import (
	"errors"
	"testing"
)

// FuzzDecode feeds arbitrary answers to the decoder of every result type, in
// both envelopes (status, and type as well): it must never panic, must refuse every non-2xx status, and must report
// every refusal as an *APIError. Seeds: testdata/fuzz/FuzzDecode.
func FuzzDecode(f *testing.F) {
	req := request{Endpoint: EndpointGetDomain, param: "x.io"}
	typed := request{Endpoint: EndpointWidgetVisibility, typeEnvelope: true}
	f.Fuzz(func(t *testing.T, status int, body []byte) {
		calls := []struct {
			req request
			out any
		}{
			{req, &operatorData{}}, {req, &domainData{}}, {req, &assignmentData{}}, {req, &tokenData{}}, {req, nil},
			{typed, &widgetData{}}, {typed, nil},
		}
		for _, call := range calls {
			err := decode(call.req, status, body, call.out)
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
