package chatwhizz

import (
	"context"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"
)

// Addon names known to the service.
const (
	AddonLiveChat    = "live_chat"
	AddonSellerBuyer = "seller_buyer_chat_System"
)

// KnownAddons are the addons a token can be bound to.
var KnownAddons = []string{AddonLiveChat, AddonSellerBuyer}

// Defaults of the settings a Config may leave unset.
const (
	// DefaultRequestTimeout bounds one HTTP exchange on the wire.
	DefaultRequestTimeout = 30 * time.Second
	// DefaultMaxRetries is how often a failure (502, 503, 504, a reset) is
	// retried.
	DefaultMaxRetries = 4
	// DefaultRetryTimeout bounds one call's whole life: its waits, its
	// retries and all its attempts together.
	DefaultRetryTimeout = 5 * time.Minute
)

// Config configures a Client: BaseURL and AddonUniqueName, with either Email,
// Password and OrganisationDomain, or AccessToken and RefreshToken, or both
// (the login then serves when the refresh token has died).
type Config struct {
	BaseURL            string
	Email              string
	Password           string
	OrganisationDomain string
	AddonUniqueName    string
	AccessToken        string
	RefreshToken       string

	// RequestTimeout bounds one HTTP exchange on the wire, from sending the
	// request to reading its answer, not the waits for the pace or for a
	// Retry-After before it; zero means DefaultRequestTimeout.
	RequestTimeout time.Duration
	// MaxRetries is how often a failure (502, 503, 504, a reset) is retried;
	// nil means DefaultMaxRetries.
	MaxRetries *int
	// RetryTimeout bounds one call's whole life: its waits for the pace and
	// for Retry-After, its backoffs and all its attempts; zero means
	// DefaultRetryTimeout. A 429 is waited out (it is not a failed attempt)
	// until then.
	RetryTimeout time.Duration
	// RequestsPerSecond, when set, is the pace the client starts at and a
	// ceiling it never exceeds, 429s or not: no two requests reach the wire
	// closer than 1/RequestsPerSecond seconds. Unset, the client sends
	// freely until the server answers 429, then finds the server's pace by
	// itself.
	RequestsPerSecond float64
	UserAgent         string
	Logger            Logger
	// ShareReads remembers each domain and operator read for the life of the
	// client (writes through the client keep it current), and merges
	// concurrent reads of one object into one call. Meant for short-lived
	// processes such as one Terraform command.
	ShareReads bool
	// HTTPClient replaces the transport (tests). Its CheckRedirect is
	// replaced: redirects to another host are refused so that the token
	// header never leaves the configured host.
	HTTPClient *http.Client
}

// Logger receives one entry per call. Fields never hold a password or a
// token. The provider passes a tflog-backed implementation.
type Logger interface {
	Debug(ctx context.Context, msg string, fields map[string]any)
}

// secretSettings are the settings that hold a secret, by the names the API
// and the provider give them: the request fields of those names carry them.
func (c Config) secretSettings() map[string]string {
	return map[string]string{"password": c.Password, "access_token": c.AccessToken, "refresh_token": c.RefreshToken}
}

// SecretFields are the names of the settings, and of the request fields,
// that hold a secret: never logged, masked wherever a request is, taken
// exactly as given.
var SecretFields = slices.Sorted(maps.Keys(Config{}.secretSettings()))

// Secrets are the secret values the Config holds, set or not, for a logger
// to mask.
func (c Config) Secrets() []string { return slices.Collect(maps.Values(c.secretSettings())) }

// The ranges of the tuning settings. Problems refuses a value outside them,
// through the Check functions below, which the provider's schema validators
// also call: one rule, refused at plan time and by New alike.
const (
	// MaxRetriesLimit bounds max_retries: with backoff up to 15 s, more
	// retries than this outlast any gateway's bad minute.
	MaxRetriesLimit = 20
	// MinRequestsPerSecond is the slowest pace one can configure: one request
	// every ten seconds.
	MinRequestsPerSecond = 0.1
)

// CheckMaxRetries is the rule of max_retries: 0 to MaxRetriesLimit.
func CheckMaxRetries(n int64) error {
	if n < 0 || n > MaxRetriesLimit {
		return fmt.Errorf("must be between 0 and %d, not %d", MaxRetriesLimit, n)
	}
	return nil
}

// CheckRequestsPerSecond is the rule of a configured pace: at least
// MinRequestsPerSecond.
func CheckRequestsPerSecond(r float64) error {
	if !(r >= MinRequestsPerSecond) {
		return fmt.Errorf("must be at least %g requests a second, not %g", MinRequestsPerSecond, r)
	}
	return nil
}

// CheckTimeout is the rule of a configured request_timeout or retry_timeout:
// positive (a Config leaves it zero for the default).
func CheckTimeout(d time.Duration) error {
	if d <= 0 {
		return fmt.Errorf("must be a positive duration, not %s", d)
	}
	return nil
}

// ConfigProblem is one thing wrong with a Config, named by the setting it
// concerns as the provider and the API spell it (base_url, email, ...).
type ConfigProblem struct {
	Field string
	// Missing is true when the setting is empty but needed; Detail then says
	// why it is needed.
	Missing bool
	Detail  string
}

func (p *ConfigProblem) Error() string { return "chatwhizz: " + p.Field + " " + p.Detail }

// Problems checks the configuration without any network call. Every rule
// of a valid configuration is here, once: New refuses a Config with
// problems, and the provider reports each at its attribute.
func (c Config) Problems() []*ConfigProblem {
	var ps []*ConfigProblem
	missing := func(field, why string) {
		ps = append(ps, &ConfigProblem{Field: field, Missing: true, Detail: "is required " + why})
	}
	invalid := func(field, detail string) { ps = append(ps, &ConfigProblem{Field: field, Detail: detail}) }

	if c.BaseURL == "" {
		missing("base_url", "to reach the Chatwhizz API")
	} else if _, err := parseBaseURL(c.BaseURL); err != nil {
		invalid("base_url", err.Error())
	}
	if c.AddonUniqueName == "" {
		missing("addon_unique_name", "(every object belongs to one addon)")
	} else if !slices.Contains(KnownAddons, c.AddonUniqueName) {
		invalid("addon_unique_name", fmt.Sprintf("is %q; it must be one of %s", c.AddonUniqueName, strings.Join(KnownAddons, ", ")))
	}

	byToken := c.AccessToken != "" || c.RefreshToken != ""
	byPassword := c.Email != "" || c.Password != "" || c.OrganisationDomain != ""
	if byToken {
		if c.AccessToken == "" {
			missing("access_token", "with refresh_token")
		}
		if c.RefreshToken == "" {
			missing("refresh_token", "with access_token")
		}
	}
	if !byToken || byPassword {
		// A token pair with only part of the login: that login could never
		// be used, which is a mistake worth naming.
		why := "to log in (or configure access_token and refresh_token instead)"
		if byToken {
			why = "with the other login settings, which are used when the refresh token can no longer renew the access token"
		}
		for _, s := range []struct{ field, value string }{{"email", c.Email}, {"password", c.Password}, {"organisation_domain", c.OrganisationDomain}} {
			if s.value == "" {
				missing(s.field, why)
			}
		}
	}
	// Zero (nil for max_retries) is unset: the default.
	for _, tuning := range []struct {
		field string
		set   bool
		check func() error
	}{
		{"request_timeout", c.RequestTimeout != 0, func() error { return CheckTimeout(c.RequestTimeout) }},
		{"retry_timeout", c.RetryTimeout != 0, func() error { return CheckTimeout(c.RetryTimeout) }},
		{"max_retries", c.MaxRetries != nil, func() error { return CheckMaxRetries(int64(*c.MaxRetries)) }},
		{"requests_per_second", c.RequestsPerSecond != 0, func() error { return CheckRequestsPerSecond(c.RequestsPerSecond) }},
	} {
		if tuning.set {
			if err := tuning.check(); err != nil {
				invalid(tuning.field, err.Error())
			}
		}
	}
	return ps
}

// withDefaults fills in what the Config left unset.
func (c Config) withDefaults() Config {
	if c.RequestTimeout == 0 {
		c.RequestTimeout = DefaultRequestTimeout
	}
	if c.MaxRetries == nil {
		c.MaxRetries = new(DefaultMaxRetries)
	}
	if c.RetryTimeout == 0 {
		c.RetryTimeout = DefaultRetryTimeout
	}
	if c.UserAgent == "" {
		c.UserAgent = "terraform-provider-chatwhizz"
	}
	return c
}

func parseBaseURL(raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		return nil, fmt.Errorf("%q must be an absolute http or https URL", raw)
	}
	if u.RawQuery != "" || u.Fragment != "" {
		return nil, fmt.Errorf("%q must not have a query or fragment", raw)
	}
	return u, nil
}

// IsLoopback reports whether the base URL points at this machine, where plain
// http is harmless.
func IsLoopback(rawBaseURL string) bool {
	u, err := url.Parse(rawBaseURL)
	if err != nil {
		return false
	}
	h := u.Hostname()
	return h == "localhost" || h == "127.0.0.1" || h == "::1" || strings.HasPrefix(h, "127.")
}
