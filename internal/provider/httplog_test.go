package provider

import (
	"context"
	"testing"

	"github.com/hashicorp/terraform-plugin-log/tfsdklog"
)

// The client gets no logger when the provider's logs are off (internal/serve
// turns them off when nobody asked for logs), and one at any other level;
// TestCLIHTTPLogEntries checks the entries themselves.
func TestHTTPLoggerOnlyWhenTheProviderLogs(t *testing.T) {
	for _, level := range []string{"OFF", "off", " Off "} {
		if l := httpLoggerFor(level, "secret"); l != nil {
			t.Errorf("at level %q the client got a logger (%T), want none", level, l)
		}
	}
	for _, level := range []string{"", "TRACE", "debug", "INFO", "ERROR"} {
		if l := httpLoggerFor(level, "secret"); l == nil {
			t.Errorf("at level %q the client got no logger", level)
		}
	}
}

// BenchmarkHTTPLoggerOff is what each API call spends on its log entry when
// the provider's logs are off, with the logger the client used to get
// ("logger") and with none ("none", what the client skips).
func BenchmarkHTTPLoggerOff(b *testing.B) {
	b.Setenv(providerLogLevelVariable, "OFF")
	ctx := tfsdklog.NewRootProviderLogger(context.Background(), tfsdklog.WithLevelFromEnv("TF_LOG_PROVIDER", "CHATWHIZZ"))
	fields := map[string]any{"method": "GET", "route": "admin/domain/{domain_name}", "path": "admin/domain/shop.example.com", "status": 200}
	b.Run("logger", func(b *testing.B) {
		l := newHTTPLogger("password", "token")
		for b.Loop() {
			l.Debug(ctx, "Chatwhizz API call", fields)
		}
	})
	b.Run("none", func(b *testing.B) {
		l := httpLoggerFor("OFF", "password", "token")
		for b.Loop() {
			if l != nil {
				l.Debug(ctx, "Chatwhizz API call", fields)
			}
		}
	})
}
