package serve

import (
	"maps"
	"testing"
)

func TestSilenceUnreadLogs(t *testing.T) {
	off := map[string]string{"TF_LOG_PROVIDER_CHATWHIZZ": "OFF", "TF_LOG_SDK": "OFF", "TF_LOG_SDK_PROTO": "OFF", "TF_LOG_SDK_FRAMEWORK": "OFF"}
	cases := []struct {
		name  string
		env   map[string]string
		debug bool
		want  map[string]string
	}{
		{"nobody asked: every logger off", map[string]string{"TF_LOG_PATH": "/tmp/x"}, false, off},
		{"TF_LOG", map[string]string{"TF_LOG": "TRACE"}, false, map[string]string{}},
		{"TF_LOG_PROVIDER", map[string]string{"TF_LOG_PROVIDER": "DEBUG"}, false, map[string]string{}},
		{"the SDK's own", map[string]string{"TF_LOG_SDK_FRAMEWORK": "TRACE"}, false, map[string]string{}},
		{"the provider's own", map[string]string{"TF_LOG_PROVIDER_CHATWHIZZ": "DEBUG"}, false, map[string]string{}},
		{"a debugging session", map[string]string{}, true, map[string]string{}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			set := map[string]string{}
			err := silenceUnreadLogs(tc.debug,
				func(k string) string { return tc.env[k] },
				func(k, v string) error { set[k] = v; return nil })
			if err != nil || !maps.Equal(set, tc.want) {
				t.Fatalf("set %v (%v), want %v", set, err, tc.want)
			}
		})
	}
}
