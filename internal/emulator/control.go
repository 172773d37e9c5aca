package emulator

import (
	"net/http"
	"time"
)

// knobsJSON is the wire form of Knobs on /_emulator/knobs.
type knobsJSON struct {
	AccessTokenTTLSeconds  float64 `json:"access_token_ttl_seconds"`
	RefreshTokenTTLSeconds float64 `json:"refresh_token_ttl_seconds"`
	LatencyMS              float64 `json:"latency_ms"`
	FailureRate            float64 `json:"failure_rate"`
	RateLimit              int     `json:"rate_limit"`
	Quota                  int     `json:"quota"`
	QuotaWindowSeconds     float64 `json:"quota_window_seconds"`
	LoginUserNotFound      bool    `json:"login_user_not_found"`
}

func toKnobsJSON(k Knobs) knobsJSON {
	return knobsJSON{
		AccessTokenTTLSeconds:  k.AccessTokenTTL.Seconds(),
		RefreshTokenTTLSeconds: k.RefreshTokenTTL.Seconds(),
		LatencyMS:              float64(k.Latency) / float64(time.Millisecond),
		FailureRate:            k.FailureRate,
		RateLimit:              k.RateLimit,
		Quota:                  k.Quota,
		QuotaWindowSeconds:     k.QuotaWindow.Seconds(),
		LoginUserNotFound:      k.LoginUserNotFound,
	}
}

// serveControl answers the /_emulator/ routes. They are never delayed,
// throttled, failed or counted, so tests can always read and steer the
// emulator.
func (e *Emulator) serveControl(w http.ResponseWriter, r *http.Request, path string) {
	methods := map[string]string{
		"/_emulator/stats": http.MethodGet,
		"/_emulator/reset": http.MethodPost,
		"/_emulator/knobs": http.MethodGet + ", " + http.MethodPut,
	}
	allow, ok := methods[path]
	if !ok {
		writeRouteError(w, http.StatusNotFound, "route not found")
		return
	}
	switch r.Method + " " + path {
	case "GET /_emulator/stats":
		writeJSON(w, http.StatusOK, e.Stats())
	case "POST /_emulator/reset":
		e.Reset()
		writeJSON(w, http.StatusOK, map[string]int{"status": 1})
	case "GET /_emulator/knobs":
		writeJSON(w, http.StatusOK, toKnobsJSON(e.Knobs()))
	case "PUT /_emulator/knobs":
		var in knobsJSON
		if err := decodeBody(r, &in); err != nil {
			writeError(w, statusEnvelope, err)
			return
		}
		k, err := in.knobs()
		if err != nil {
			writeError(w, statusEnvelope, err)
			return
		}
		e.SetKnobs(k)
		writeJSON(w, http.StatusOK, toKnobsJSON(e.Knobs()))
	default:
		w.Header().Set("Allow", allow)
		writeRouteError(w, http.StatusMethodNotAllowed, "method not allowed")
	}
}

// knobs converts and checks the wire form; unlike SetKnobs, which clamps,
// the HTTP form refuses values out of range so a typo in a test is loud.
func (k knobsJSON) knobs() (Knobs, *apiError) {
	for _, f := range []struct {
		name string
		v    float64
	}{
		{"access_token_ttl_seconds", k.AccessTokenTTLSeconds},
		{"refresh_token_ttl_seconds", k.RefreshTokenTTLSeconds},
		{"latency_ms", k.LatencyMS},
		{"rate_limit", float64(k.RateLimit)},
		{"quota", float64(k.Quota)},
		{"quota_window_seconds", k.QuotaWindowSeconds},
	} {
		// The upper bound keeps the conversions to time.Duration from overflowing.
		if !(f.v >= 0 && f.v <= 1e9) {
			return Knobs{}, errorf(http.StatusBadRequest, "%s must be between 0 and 1e9", f.name)
		}
	}
	if !(k.FailureRate >= 0 && k.FailureRate <= 1) {
		return Knobs{}, errorf(http.StatusBadRequest, "failure_rate must be between 0 and 1")
	}
	return Knobs{
		AccessTokenTTL:    time.Duration(k.AccessTokenTTLSeconds * float64(time.Second)),
		RefreshTokenTTL:   time.Duration(k.RefreshTokenTTLSeconds * float64(time.Second)),
		Latency:           time.Duration(k.LatencyMS * float64(time.Millisecond)),
		FailureRate:       k.FailureRate,
		RateLimit:         k.RateLimit,
		Quota:             k.Quota,
		QuotaWindow:       time.Duration(k.QuotaWindowSeconds * float64(time.Second)),
		LoginUserNotFound: k.LoginUserNotFound,
	}, nil
}
