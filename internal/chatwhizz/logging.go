package chatwhizz

import (
	"context"
	"errors"
	"net/url"
	"slices"
	"time"
)

// redactURLError drops the URL (whose query may hold the login password) from
// a transport error, keeping the cause.
func redactURLError(err error) error {
	var uerr *url.Error
	if errors.As(err, &uerr) {
		return uerr.Err
	}
	return err
}

// logCall writes a call's one entry: its attempts, their time in all, and
// how the last one ended.
func logCall(ctx context.Context, logger Logger, req request, status, attempts int, elapsed time.Duration, err error) {
	if logger == nil {
		return
	}
	fields := map[string]any{
		"method":      req.method,
		"route":       req.route,
		"path":        req.displayPath(),
		"status":      status,
		"duration_ms": elapsed.Milliseconds(),
		"retries":     max(attempts-1, 0),
	}
	if len(req.query) > 0 {
		fields["query"] = maskedQuery(req.query)
	}
	if err != nil {
		fields["error"] = err.Error()
	}
	logger.Debug(ctx, "Chatwhizz API call", fields)
}

func maskedQuery(q url.Values) string {
	masked := url.Values{}
	for k, vs := range q {
		for _, v := range vs {
			if slices.Contains(SecretFields, k) {
				v = "***"
			}
			masked.Add(k, v)
		}
	}
	return masked.Encode()
}
