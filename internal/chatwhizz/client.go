// Package chatwhizz is a client for the Chatwhizz admin External API. It
// manages the token lifecycle (lazy login, regeneration before expiry and
// after a 401), retries transient failures, and tolerates the variations of
// real servers. It has no dependency on Terraform.
package chatwhizz

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/go-cleanhttp"
	"github.com/hashicorp/go-retryablehttp"
)

// Addon names known to the service.
const (
	AddonLiveChat    = "live_chat"
	AddonSellerBuyer = "seller_buyer_chat_System"
)

const (
	defaultRequestTimeout = 30 * time.Second
	defaultMaxRetries     = 4
	// DefaultRetryTimeout bounds the time one call spends waiting out rate
	// limits and retrying failures, all attempts together.
	DefaultRetryTimeout = 5 * time.Minute
	retryWaitMin        = 250 * time.Millisecond
	retryWaitMax        = 15 * time.Second
	// maxRetryAfter bounds how long a Retry-After header can make us wait.
	maxRetryAfter = 2 * time.Minute
	// maxBodyBytes caps what is read of any answer: the API's answers are
	// small, and a misbehaving server must not exhaust memory.
	maxBodyBytes = 1 << 20
	// maxIdleConnsPerHost covers Terraform's parallelism with room to spare.
	maxIdleConnsPerHost = 32
)

// Logger receives one entry per HTTP exchange. Fields never hold a password
// or a token. The provider passes a tflog-backed implementation.
type Logger interface {
	Debug(ctx context.Context, msg string, fields map[string]any)
}

// Config configures a Client. Either Email, Password and OrganisationDomain,
// or AccessToken and RefreshToken, always with AddonUniqueName.
type Config struct {
	BaseURL            string
	Email              string
	Password           string
	OrganisationDomain string
	AddonUniqueName    string
	AccessToken        string
	RefreshToken       string

	RequestTimeout time.Duration // per HTTP attempt; default 30s
	MaxRetries     int           // retries of a failure (502, 503, 504, reset); default 4, negative means none
	// RetryTimeout bounds one call's waiting and retrying, all attempts
	// together; default DefaultRetryTimeout. A 429 is waited out (it is not
	// a failed attempt) until then.
	RetryTimeout time.Duration
	// RequestsPerSecond, when set, is the pace the client starts at and
	// never exceeds. Unset, the client sends freely until the server
	// answers 429, then finds the server's pace by itself.
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

// Client calls the API. It is safe for concurrent use.
type Client struct {
	base      *url.URL
	addon     string
	userAgent string
	logger    Logger
	http      *retryablehttp.Client
	pacer     *pacer
	// maxRetries and retryTimeout bound each exchange's retries.
	maxRetries   int
	retryTimeout time.Duration
	tokens       *tokenSource
	// domains and operators share reads; nil unless Config.ShareReads.
	domains   *readCache[Domain]
	operators *readCache[Operator]
}

// New checks the configuration and returns a client. It makes no network
// call: the first API call logs in.
func New(cfg Config) (*Client, error) {
	base, err := parseBaseURL(cfg.BaseURL)
	if err != nil {
		return nil, err
	}
	if cfg.AddonUniqueName == "" {
		return nil, errors.New("chatwhizz: addon_unique_name is required")
	}
	byPassword := cfg.Email != "" || cfg.Password != "" || cfg.OrganisationDomain != ""
	byToken := cfg.AccessToken != "" || cfg.RefreshToken != ""
	switch {
	case byToken && (cfg.AccessToken == "" || cfg.RefreshToken == ""):
		return nil, errors.New("chatwhizz: access_token and refresh_token must be given together")
	case !byToken && (cfg.Email == "" || cfg.Password == "" || cfg.OrganisationDomain == ""):
		return nil, errors.New("chatwhizz: email, password and organisation_domain are required unless access_token and refresh_token are given")
	case byPassword && (cfg.Email == "" || cfg.Password == "" || cfg.OrganisationDomain == ""):
		// A token pair with only part of the password set: the password set
		// can never be used to log in again, which is a configuration mistake.
		return nil, errors.New("chatwhizz: email, password and organisation_domain must be given together")
	}

	timeout := cfg.RequestTimeout
	if timeout <= 0 {
		timeout = defaultRequestTimeout
	}
	retries := cfg.MaxRetries
	if retries == 0 {
		retries = defaultMaxRetries
	}
	if retries < 0 {
		retries = 0
	}
	retryTimeout := cfg.RetryTimeout
	if retryTimeout <= 0 {
		retryTimeout = DefaultRetryTimeout
	}
	if cfg.RequestsPerSecond < 0 {
		return nil, errors.New("chatwhizz: requests per second must not be negative")
	}
	pace := newPacer(cfg.RequestsPerSecond, time.Now)
	hc := cfg.HTTPClient
	if hc == nil {
		transport := cleanhttp.DefaultPooledTransport()
		// Terraform runs up to 10 operations at once by default (more with
		// -parallelism); keeping that many connections idle spares a TCP and
		// TLS handshake per call. The pooled default keeps only cores+1.
		transport.MaxIdleConnsPerHost = maxIdleConnsPerHost
		hc = &http.Client{Transport: transport}
	} else {
		copied := *hc
		hc = &copied
	}
	hc.Timeout = timeout
	hc.CheckRedirect = sameHostRedirectsOnly
	next := hc.Transport
	if next == nil {
		next = http.DefaultTransport
	}
	paced := &pacedTransport{next: next, pacer: pace}
	hc.Transport = paced

	c := &Client{
		base:         base,
		addon:        cfg.AddonUniqueName,
		userAgent:    cfg.UserAgent,
		logger:       cfg.Logger,
		pacer:        pace,
		maxRetries:   retries,
		retryTimeout: retryTimeout,
		http: &retryablehttp.Client{
			HTTPClient:   hc,
			Logger:       nil, // its own logging would print URLs with their query (the login password)
			RetryWaitMin: retryWaitMin,
			RetryWaitMax: retryWaitMax,
			// Retries end by retryPolicy's rules (failures counted, 429s
			// bounded by time), not by a count of attempts.
			RetryMax:     unboundedAttempts,
			CheckRetry:   retryPolicy,
			Backoff:      backoff,
			ErrorHandler: retryablehttp.PassthroughErrorHandler,
		},
	}
	if c.userAgent == "" {
		c.userAgent = "terraform-provider-chatwhizz"
	}
	if cfg.ShareReads {
		c.domains = newReadCache[Domain]()
		c.operators = newReadCache[Operator]()
	}
	paced.beforeSend = c.currentCredential
	c.tokens = &tokenSource{
		client:   c,
		email:    cfg.Email,
		password: cfg.Password,
		orgDom:   cfg.OrganisationDomain,
		addon:    cfg.AddonUniqueName,
		now:      time.Now,
	}
	if byToken {
		c.tokens.given = &Session{AccessToken: cfg.AccessToken, RefreshToken: cfg.RefreshToken}
	}
	return c, nil
}

// AddonUniqueName is the addon every call of this client acts under.
func (c *Client) AddonUniqueName() string { return c.addon }

func parseBaseURL(raw string) (*url.URL, error) {
	if raw == "" {
		return nil, errors.New("chatwhizz: base_url is required")
	}
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		return nil, fmt.Errorf("chatwhizz: base_url %q must be an absolute http or https URL", raw)
	}
	if u.RawQuery != "" || u.Fragment != "" {
		return nil, fmt.Errorf("chatwhizz: base_url %q must not have a query or fragment", raw)
	}
	return u, nil
}

var errRedirectRefused = errors.New("refused a redirect")

func sameHostRedirectsOnly(req *http.Request, via []*http.Request) error {
	if len(via) >= 5 {
		return errors.New("stopped after 5 redirects")
	}
	if req.URL.Host != via[0].URL.Host || (via[0].URL.Scheme == "https" && req.URL.Scheme != "https") {
		return fmt.Errorf("%w to %s://%s: the token is only sent to the configured host", errRedirectRefused, req.URL.Scheme, req.URL.Host)
	}
	return nil
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

// request is one API call.
type request struct {
	method string
	route  string   // the contract's route, e.g. "admin/domain/{domain_name}", for logs
	path   []string // path segments; user data is escaped when joined
	query  url.Values
	body   any
	auth   bool // sends the access_token header
}

func (r *request) displayPath() string { return strings.Join(r.path, "/") }

// maxStaleTokenRetries bounds how often one call is repeated because the
// token it carried was rotated by another caller while it was in flight.
const maxStaleTokenRetries = 5

// credential is the token a request carries and its generation. Retries of
// transient failures refresh it, since a regeneration by another caller
// retires the old token at once.
type credential struct {
	token string
	gen   uint64
}

// call runs req with the current token and decodes the answer's data into
// out. A 401 for a token that another caller has renewed since repeats the
// call with the new one; a 401 for the current token renews it, once, and
// repeats the call.
func (c *Client) call(ctx context.Context, req request, out any) error {
	if !req.auth {
		return c.exchange(ctx, req, nil, out)
	}
	renewed := false
	for stale := 0; ; {
		sess, gen, err := c.tokens.current(ctx)
		if err != nil {
			return err
		}
		cred := &credential{token: sess.AccessToken, gen: gen}
		err = c.exchange(ctx, req, cred, out)
		var apiErr *APIError
		if !errors.As(err, &apiErr) || !apiErr.isAuthFailure() {
			return err
		}
		if c.tokens.generation() != cred.gen && stale < maxStaleTokenRetries {
			stale++
			continue
		}
		if renewed {
			return err
		}
		if err := c.tokens.renew(ctx, cred.gen); err != nil {
			return err
		}
		renewed = true
	}
}

// exchange sends one request (with transient failures retried) and decodes
// the envelope.
func (c *Client) exchange(ctx context.Context, req request, cred *credential, out any) error {
	u := c.urlFor(req)
	var body any
	if req.body != nil {
		encoded, err := json.Marshal(req.body)
		if err != nil {
			return fmt.Errorf("chatwhizz: encoding %s %s: %w", req.method, req.displayPath(), err)
		}
		body = encoded
	}
	hreq, err := retryablehttp.NewRequestWithContext(ctx, req.method, u, body)
	if err != nil {
		return fmt.Errorf("chatwhizz: building %s %s: %w", req.method, req.displayPath(), redactURLError(err))
	}
	hreq.Header.Set("Accept", "application/json")
	hreq.Header.Set("User-Agent", c.userAgent)
	if req.body != nil {
		hreq.Header.Set("Content-Type", "application/json")
	}
	if cred != nil {
		hreq.Header.Set("access_token", cred.token)
	}

	state := &exchangeState{cred: cred, maxFailures: c.maxRetries, deadline: time.Now().Add(c.retryTimeout)}
	hreq = hreq.WithContext(context.WithValue(hreq.Context(), exchangeStateKey{}, state))
	start := time.Now()
	resp, err := c.http.Do(hreq)
	elapsed := time.Since(start)
	if err != nil {
		err = redactURLError(err)
		c.log(ctx, req, 0, state.attempts, elapsed, err)
		if ctxErr := ctx.Err(); ctxErr != nil {
			return fmt.Errorf("chatwhizz: %s %s: %w", req.method, req.displayPath(), ctxErr)
		}
		return fmt.Errorf("chatwhizz: %s %s: %w", req.method, req.displayPath(), err)
	}
	defer resp.Body.Close()
	raw, readErr := io.ReadAll(io.LimitReader(resp.Body, maxBodyBytes+1))
	if readErr != nil {
		c.log(ctx, req, resp.StatusCode, state.attempts, elapsed, readErr)
		return fmt.Errorf("chatwhizz: %s %s: reading the answer: %w", req.method, req.displayPath(), readErr)
	}
	err = c.decode(req, resp.StatusCode, raw, out)
	c.log(ctx, req, resp.StatusCode, state.attempts, elapsed, err)
	return err
}

func (c *Client) decode(req request, status int, raw []byte, out any) error {
	fail := func(msg string) *APIError {
		return &APIError{Method: req.method, Path: req.displayPath(), StatusCode: status, Message: msg, notTheAPI: true}
	}
	if len(raw) > maxBodyBytes {
		return fail(fmt.Sprintf("the answer is larger than %d bytes", maxBodyBytes))
	}
	var env envelope
	if err := json.Unmarshal(raw, &env); err != nil {
		return fail("the answer is not JSON: " + snippet(raw))
	}
	if status < 200 || status > 299 || !env.ok() {
		if len(env.Status) == 0 && len(env.Message) == 0 && len(env.Error) == 0 {
			return fail("the answer has no status: " + snippet(raw))
		}
		failure := fail(env.failureMessage())
		// The API's own failure envelope carries a status; a generic JSON
		// error from a proxy or framework does not, and says nothing about
		// the object.
		failure.notTheAPI = len(env.Status) == 0
		failure.aboutObject = req.auth && !failure.notTheAPI
		return failure
	}
	if out == nil {
		return nil
	}
	if len(env.Data) == 0 || string(env.Data) == "null" {
		return fail("the answer has no data")
	}
	if err := json.Unmarshal(env.Data, out); err != nil {
		return fail(fmt.Sprintf("unexpected data (%v): %s", err, snippet(env.Data)))
	}
	return nil
}

func (c *Client) urlFor(req request) string {
	escaped := make([]string, len(req.path))
	for i, seg := range req.path {
		escaped[i] = url.PathEscape(seg)
	}
	u := *c.base
	u.Path = strings.TrimRight(c.base.Path, "/") + "/" + strings.Join(req.path, "/")
	u.RawPath = strings.TrimRight(c.base.EscapedPath(), "/") + "/" + strings.Join(escaped, "/")
	if len(req.query) > 0 {
		u.RawQuery = req.query.Encode()
	}
	return u.String()
}

// redactURLError drops the URL (whose query may hold the login password) from
// a transport error, keeping the cause.
func redactURLError(err error) error {
	var uerr *url.Error
	if errors.As(err, &uerr) {
		return uerr.Err
	}
	return err
}

func (c *Client) log(ctx context.Context, req request, status, attempts int, elapsed time.Duration, err error) {
	if c.logger == nil {
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
	c.logger.Debug(ctx, "Chatwhizz API call", fields)
}

// secretFields are masked wherever requests are logged.
var secretFields = map[string]bool{"password": true, "access_token": true, "refresh_token": true}

func maskedQuery(q url.Values) string {
	masked := url.Values{}
	for k, vs := range q {
		for _, v := range vs {
			if secretFields[k] {
				v = "***"
			}
			masked.Add(k, v)
		}
	}
	return masked.Encode()
}

// exchangeState is what the retry hooks know of one exchange: the attempts
// made (for its log entry) and the credential it carries.
type exchangeState struct {
	attempts int
	cred     *credential
	// failures counts the attempts that failed (502, 503, 504, a reset);
	// 429s are waited out, not counted, until deadline.
	failures    int
	maxFailures int
	deadline    time.Time
}

// unboundedAttempts leaves retryablehttp's own attempt limit out of reach.
const unboundedAttempts = 1 << 20

type exchangeStateKey struct{}

// currentCredential runs right before each attempt is sent, after the
// pacer's wait: the attempt carries the token in force then, renewed first
// when it is about to expire (a wait for the pace can outlast a short-lived
// token), or the one another caller's renewal put in place meanwhile.
func (c *Client) currentCredential(req *http.Request) error {
	state, ok := req.Context().Value(exchangeStateKey{}).(*exchangeState)
	if !ok || state.cred == nil {
		return nil
	}
	sess, gen, err := c.tokens.current(req.Context())
	if err != nil {
		return err
	}
	if gen != state.cred.gen {
		state.cred.token, state.cred.gen = sess.AccessToken, gen
		req.Header.Set("access_token", sess.AccessToken)
	}
	return nil
}

// retryPolicy retries what the contract calls transient: 429, 502, 503, 504
// and transport failures such as connection resets. A 429 is the server's
// pace, not a failure: it is waited out (the pacer holds every caller) until
// the exchange's deadline. Failures are retried up to maxFailures times.
// Other statuses are answers, not accidents, and are returned at once.
func retryPolicy(ctx context.Context, resp *http.Response, err error) (bool, error) {
	state, _ := ctx.Value(exchangeStateKey{}).(*exchangeState)
	if state == nil {
		state = &exchangeState{deadline: time.Now()}
	}
	state.attempts++
	if ctx.Err() != nil {
		return false, ctx.Err()
	}
	if errors.Is(err, errRedirectRefused) {
		return false, err
	}
	if err == nil && resp.StatusCode == http.StatusTooManyRequests {
		return time.Now().Before(state.deadline), nil
	}
	retry := false
	if err != nil {
		if retry, err = retryablehttp.DefaultRetryPolicy(ctx, resp, err); err != nil || !retry {
			return retry, err
		}
	} else {
		switch resp.StatusCode {
		case http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
			retry = true
		}
	}
	if !retry {
		return false, nil
	}
	state.failures++
	return state.failures <= state.maxFailures && time.Now().Before(state.deadline), nil
}

// backoff waits as long as Retry-After asks (plus a little jitter so that
// parallel callers do not return together), else exponentially with full
// jitter between half and all of the step.
func backoff(minWait, maxWait time.Duration, attempt int, resp *http.Response) time.Duration {
	if resp != nil && resp.StatusCode == http.StatusTooManyRequests {
		// The pacer holds the retry, with every other call, for the
		// Retry-After and at the server's pace; a little jitter spreads
		// the callers it releases together.
		return rand.N(minWait)
	}
	if resp != nil {
		if wait, ok := retryAfter(resp.Header.Get("Retry-After")); ok {
			return min(wait, maxRetryAfter) + rand.N(minWait)
		}
	}
	step := minWait << min(attempt, 16)
	if step <= 0 || step > maxWait {
		step = maxWait
	}
	return step/2 + rand.N(step/2+1)
}

func retryAfter(header string) (time.Duration, bool) {
	header = strings.TrimSpace(header)
	if header == "" {
		return 0, false
	}
	if secs, err := strconv.ParseInt(header, 10, 64); err == nil && secs >= 0 {
		return time.Duration(secs) * time.Second, true
	}
	if when, err := http.ParseTime(header); err == nil {
		return max(time.Until(when), 0), true
	}
	return 0, false
}
