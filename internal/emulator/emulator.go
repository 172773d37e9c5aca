// Package emulator is a strict in-memory emulator of the Chatwhizz admin
// External API as DESIGN.md describes it ("The API, as the client reads it"
// and "The emulator's place").
//
// It answers exactly the shapes of the contract and nothing more, enforces
// token expiry, rotation and tenant isolation, and validates every input, so
// that a client which works against it works against the tolerant reading of
// the real service. Knobs add latency, injected 503s and a rate limit so that
// retry and renewal paths can be exercised; a few routes outside admin/ and a
// set of Go back doors let tests count calls and simulate changes made
// outside Terraform.
package emulator

import (
	crand "crypto/rand"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"log"
	"maps"
	"math"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/time/rate"
)

// Organisation is a tenant that can log in. Its JSON form is the one of the
// emulator's -seed file.
type Organisation struct {
	Domain   string   `json:"organisation_domain"` // subdomain, e.g. "demo"
	Email    string   `json:"email"`
	Password string   `json:"password"`
	Addons   []string `json:"addons"` // e.g. "live_chat", "seller_buyer_chat_System"
}

// The addons the contract knows, and the demo organisation used by
// `make emulator` and `make demo`.
const (
	DemoEmail              = "demo@example.com"
	DemoPassword           = "demo-password"
	DemoOrganisationDomain = "demo"
	AddonLiveChat          = "live_chat"
	AddonSellerBuyer       = "seller_buyer_chat_System"
)

// DemoOrganisation returns the demo organisation with both addons enabled.
func DemoOrganisation() Organisation {
	return Organisation{
		Domain:   DemoOrganisationDomain,
		Email:    DemoEmail,
		Password: DemoPassword,
		Addons:   []string{AddonLiveChat, AddonSellerBuyer},
	}
}

// Default token lifetimes, used when a Knobs TTL is zero.
const (
	defaultAccessTokenTTL  = 3600 * time.Second
	defaultRefreshTokenTTL = 30 * 24 * time.Hour
	defaultQuotaWindow     = time.Minute
)

// Knobs tune the emulator for tests. The latency, failure and rate-limit
// knobs apply to admin/ requests only, never to the /_emulator/ routes.
type Knobs struct {
	AccessTokenTTL  time.Duration // zero means 3600s
	RefreshTokenTTL time.Duration // zero means 30 days
	Latency         time.Duration // added to every request, slept outside the lock
	FailureRate     float64       // fraction (0..1) of requests answered 503 before doing anything
	RateLimit       int           // max requests per second across all clients; 0 = unlimited
	// Quota admits at most Quota requests per QuotaWindow across all
	// clients (0: no quota) and answers 429 beyond, with Retry-After up to
	// the window's end in whole seconds, as per-minute API quotas do. A
	// window starts with the first request after the last one ended;
	// SetKnobs starts afresh.
	Quota       int
	QuotaWindow time.Duration // zero means a minute
	// LoginUserNotFound makes every login answer 404 "User not found for
	// this organisation", as real services do for an unknown email, so tests
	// can check that a failed login never reads as "the objects are gone".
	LoginUserNotFound bool
}

// normalized fills in the default TTLs and clamps the other knobs to their
// meaningful ranges, so the request path never has to second-guess them.
func (k Knobs) normalized() Knobs {
	if k.AccessTokenTTL <= 0 {
		k.AccessTokenTTL = defaultAccessTokenTTL
	}
	if k.RefreshTokenTTL <= 0 {
		k.RefreshTokenTTL = defaultRefreshTokenTTL
	}
	k.Latency = max(k.Latency, 0)
	k.FailureRate = min(max(k.FailureRate, 0), 1)
	k.RateLimit = max(k.RateLimit, 0)
	k.Quota = max(k.Quota, 0)
	if k.QuotaWindow <= 0 {
		k.QuotaWindow = defaultQuotaWindow
	}
	return k
}

// Stats counts what the emulator has been asked, so tests and benchmarks can
// assert how many API calls a client made.
type Stats struct {
	// Requests counts every admin/ request that matched a route, whatever its
	// answer, keyed "METHOD route" (e.g. "GET admin/operator/{operatorId}").
	Requests      map[string]int `json:"requests"`
	Logins        int            `json:"logins"`        // successful GET admin/access-token
	Regenerations int            `json:"regenerations"` // successful regenerate
	Validations   int            `json:"validations"`   // successful validate
	Throttled     int            `json:"throttled"`     // answered 429 by the rate limit or quota knob
	Injected503   int            `json:"injected_503"`  // answered 503 by the FailureRate knob
}

// Emulator is the in-memory service. It is an http.Handler and is safe for
// concurrent use: one mutex guards all state, and it is never held while a
// request sleeps or its body is read or written.
type Emulator struct {
	logger atomic.Pointer[log.Logger]

	mu       sync.Mutex
	knobs    Knobs
	bucket   *rate.Limiter // the rate limit's; nil until the first request after a change of knobs
	quota    quotaWindow
	orgs     map[string]*org          // by organisation domain
	domains  map[string]*DomainRecord // one global namespace, by name
	sessions map[string]*session      // by access token
	stats    Stats
	// issued is every token handed out since the last reset, rotated ones
	// included, so tests can search outputs for any of them.
	issued []string

	// Operator ids are built like MongoDB ObjectIds: seconds, a per-emulator
	// random prefix and a counter, so they are unique without a lookup.
	idPrefix  [5]byte
	idCounter uint32
}

// org is an organisation with its operators. Operators are per organisation:
// the same email in two organisations is two operators.
type org struct {
	cfg       Organisation
	addons    map[string]bool
	operators map[string]*OperatorRecord // by id
	byEmail   map[string]*OperatorRecord // by lower-cased email
}

// session is one access/refresh token pair, bound to an organisation and an
// addon.
type session struct {
	access, refresh       string
	org, addon            string
	accessExp, refreshExp time.Time
}

// quotaWindow is the quota state: when the current window started (zero:
// none yet) and how many requests it admitted.
type quotaWindow struct {
	start time.Time
	used  int
}

// New returns an emulator knowing the given organisations. Zero TTLs in k
// mean the defaults.
func New(k Knobs, orgs ...Organisation) *Emulator {
	e := &Emulator{
		knobs: k.normalized(),
		orgs:  map[string]*org{},
	}
	randomBytes(e.idPrefix[:])
	var c [3]byte
	randomBytes(c[:])
	e.idCounter = uint32(c[0])<<16 | uint32(c[1])<<8 | uint32(c[2])
	e.resetLocked()
	for _, o := range orgs {
		e.AddOrganisation(o)
	}
	return e
}

// SetKnobs changes the knobs at run time; zero TTLs mean the defaults. The
// new TTLs apply to tokens issued from now on.
func (e *Emulator) SetKnobs(k Knobs) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.knobs = k.normalized()
	e.bucket = nil
	e.quota = quotaWindow{}
}

// Knobs returns the knobs in force, with defaults filled in.
func (e *Emulator) Knobs() Knobs {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.knobs
}

// AddOrganisation adds an organisation, or replaces the credentials and addons
// of the one with the same domain while keeping its operators.
func (e *Emulator) AddOrganisation(o Organisation) {
	addons := map[string]bool{}
	for _, a := range o.Addons {
		addons[a] = true
	}
	o.Addons = append([]string(nil), o.Addons...)

	e.mu.Lock()
	defer e.mu.Unlock()
	if cur, ok := e.orgs[o.Domain]; ok {
		cur.cfg, cur.addons = o, addons
		return
	}
	e.orgs[o.Domain] = &org{
		cfg:       o,
		addons:    addons,
		operators: map[string]*OperatorRecord{},
		byEmail:   map[string]*OperatorRecord{},
	}
}

// Stats returns a copy of the counters.
func (e *Emulator) Stats() Stats {
	e.mu.Lock()
	defer e.mu.Unlock()
	s := e.stats
	s.Requests = maps.Clone(e.stats.Requests)
	return s
}

// Reset drops all operators, domains, assignments and tokens and zeroes the
// stats; organisations and knobs stay.
func (e *Emulator) Reset() {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.resetLocked()
}

func (e *Emulator) resetLocked() {
	for _, o := range e.orgs {
		o.operators = map[string]*OperatorRecord{}
		o.byEmail = map[string]*OperatorRecord{}
	}
	e.domains = map[string]*DomainRecord{}
	e.sessions = map[string]*session{}
	e.issued = nil
	e.stats = Stats{Requests: map[string]int{}}
	e.bucket = nil
	e.quota = quotaWindow{}
}

// SetLogger sets where one line per request goes; nil (the default) is
// silent. Lines carry method, path, status and duration only: query values
// of password and tokens are redacted, and bodies and headers are never
// logged.
func (e *Emulator) SetLogger(l *log.Logger) {
	e.logger.Store(l)
}

// Start runs the emulator on 127.0.0.1:0 for tests. It returns the base URL
// (http://127.0.0.1:PORT/) and a func that stops the server. It panics if it
// cannot listen, which in a test is the clearest failure.
func Start(k Knobs, orgs ...Organisation) (e *Emulator, baseURL string, stop func()) {
	e = New(k, orgs...)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic(fmt.Sprintf("emulator: listen: %v", err))
	}
	srv := &http.Server{Handler: e, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	var once sync.Once
	stop = func() { once.Do(func() { _ = srv.Close() }) }
	return e, "http://" + ln.Addr().String() + "/", stop
}

// newSessionLocked issues a fresh token pair for an organisation and addon.
func (e *Emulator) newSessionLocked(orgDomain, addon string, now time.Time) *session {
	s := &session{
		access:     randomHex(32),
		refresh:    randomHex(32),
		org:        orgDomain,
		addon:      addon,
		accessExp:  now.Add(e.knobs.AccessTokenTTL),
		refreshExp: now.Add(e.knobs.RefreshTokenTTL),
	}
	e.sessions[s.access] = s
	e.issued = append(e.issued, s.access, s.refresh)
	return s
}

// newOperatorIDLocked returns 24 lowercase hex characters in the style of a
// MongoDB ObjectId.
func (e *Emulator) newOperatorIDLocked() string {
	var b [12]byte
	binary.BigEndian.PutUint32(b[0:4], uint32(time.Now().Unix()&0xffffffff)) //nolint:gosec // masked to 32 bits, as an ObjectId's timestamp
	copy(b[4:9], e.idPrefix[:])
	e.idCounter++
	var counter [4]byte
	binary.BigEndian.PutUint32(counter[:], e.idCounter&0xffffff)
	copy(b[9:12], counter[1:])
	return hex.EncodeToString(b[:])
}

// allowLocked takes one token from the rate-limit bucket, reporting false
// when the bucket is empty (the request is then throttled and costs nothing).
// The bucket holds RateLimit tokens, refilled at RateLimit a second and full
// at first, so a client that waits the one second of Retry-After always
// finds room again.
func (e *Emulator) allowLocked(now time.Time) bool {
	if e.knobs.RateLimit == 0 {
		return true
	}
	if e.bucket == nil {
		e.bucket = rate.NewLimiter(rate.Limit(e.knobs.RateLimit), e.knobs.RateLimit)
	}
	return e.bucket.AllowN(now, 1)
}

// quotaLocked counts one request against the quota, reporting false and
// the whole seconds to the window's end when the window's quota is spent
// (the request is then throttled and costs nothing).
func (e *Emulator) quotaLocked(now time.Time) (bool, int) {
	if e.knobs.Quota == 0 {
		return true, 0
	}
	q := &e.quota
	if q.start.IsZero() || !now.Before(q.start.Add(e.knobs.QuotaWindow)) {
		*q = quotaWindow{start: now}
	}
	if q.used >= e.knobs.Quota {
		return false, int(math.Ceil(q.start.Add(e.knobs.QuotaWindow).Sub(now).Seconds()))
	}
	q.used++
	return true, 0
}

func randomBytes(b []byte) {
	// crypto/rand.Read never returns an error: it crashes the program instead.
	_, _ = crand.Read(b)
}

func randomHex(n int) string {
	b := make([]byte, n)
	randomBytes(b)
	return hex.EncodeToString(b)
}

// statusRecorder remembers the status written, for the request log. Every
// answer goes through writeJSON, which always calls WriteHeader.
type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (s *statusRecorder) WriteHeader(code int) {
	s.status = code
	s.ResponseWriter.WriteHeader(code)
}

// SecretQueryFields are the query fields whose values are never logged (in
// any case). The emulator is the contract's reading of its own: a test of the
// client checks that these are the fields it holds secret.
var SecretQueryFields = []string{"password", "access_token", "refresh_token"}

func (e *Emulator) logRequest(r *http.Request, rec *statusRecorder, start time.Time) {
	l := e.logger.Load()
	if l == nil {
		return
	}
	status := "canceled" // the client went away while the request was delayed
	if rec.status != 0 {
		status = fmt.Sprint(rec.status)
	}
	l.Printf("%s %s %s %s", r.Method, redactedURI(r), status, time.Since(start).Round(time.Microsecond))
}

// redactedURI is the request path and query with secret values replaced.
func redactedURI(r *http.Request) string {
	uri := r.URL.EscapedPath()
	if r.URL.RawQuery == "" {
		return uri
	}
	q, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		return uri + "?[unparsable query redacted]"
	}
	for k, vs := range q {
		for _, s := range SecretQueryFields {
			if strings.EqualFold(k, s) {
				for i := range vs {
					vs[i] = "REDACTED"
				}
			}
		}
	}
	return uri + "?" + q.Encode()
}
