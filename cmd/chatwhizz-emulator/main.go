// Command chatwhizz-emulator serves the in-memory emulator of the Chatwhizz
// admin External API, for the quick start and for manual testing. The demo
// organisation is always there; more can be seeded from a JSON file.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/chatwhizz/terraform-provider-chatwhizz/internal/emulator"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "chatwhizz-emulator:", err)
		os.Exit(1)
	}
}

func run() error {
	addr := flag.String("addr", "127.0.0.1:8089", "`host:port` to listen on")
	seed := flag.String("seed", "", "JSON `file` holding an array of organisations to add (the demo organisation is always added)")
	accessTTL := flag.Duration("access-ttl", time.Hour, "access token lifetime")
	refreshTTL := flag.Duration("refresh-ttl", 30*24*time.Hour, "refresh token lifetime")
	latency := flag.Duration("latency", 0, "latency added to every admin/ request")
	failureRate := flag.Float64("failure-rate", 0, "fraction (0..1) of admin/ requests answered 503")
	rateLimit := flag.Int("rate-limit", 0, "max admin/ requests per second, answered 429 beyond it (0 = unlimited)")
	quota := flag.Int("quota", 0, "max admin/ requests per -quota-window, answered 429 with Retry-After up to the window's end beyond it (0 = no quota)")
	quotaWindow := flag.Duration("quota-window", time.Minute, "the window of -quota")
	quiet := flag.Bool("quiet", false, "do not log requests to stderr")
	flag.Parse()
	if flag.NArg() > 0 {
		return fmt.Errorf("unexpected arguments %q", flag.Args())
	}
	if *failureRate < 0 || *failureRate > 1 {
		return errors.New("-failure-rate must be between 0 and 1")
	}
	if *accessTTL < 0 || *refreshTTL < 0 || *latency < 0 || *rateLimit < 0 || *quota < 0 {
		return errors.New("-access-ttl, -refresh-ttl, -latency, -rate-limit and -quota must not be negative")
	}
	if *quotaWindow <= 0 {
		return errors.New("-quota-window must be positive")
	}

	orgs, err := readSeed(*seed)
	if err != nil {
		return err
	}
	// The demo organisation comes last so that the credentials printed below
	// always work, even if the seed file redefines it.
	orgs = append(orgs, emulator.DemoOrganisation())
	e := emulator.New(emulator.Knobs{
		AccessTokenTTL:  *accessTTL,
		RefreshTokenTTL: *refreshTTL,
		Latency:         *latency,
		FailureRate:     *failureRate,
		RateLimit:       *rateLimit,
		Quota:           *quota,
		QuotaWindow:     *quotaWindow,
	}, orgs...)
	if !*quiet {
		e.SetLogger(log.New(os.Stderr, "", log.LstdFlags|log.Lmicroseconds))
	}

	ln, err := listen(*addr)
	if err != nil {
		return err
	}
	printDemoCredentials(ln.Addr())
	return serveUntilSignalled(ln, e)
}

// listen listens on addr, saying when another process (another emulator,
// most likely) holds it.
func listen(addr string) (net.Listener, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		if errors.Is(err, syscall.EADDRINUSE) {
			return nil, fmt.Errorf("address %s is already in use (is another emulator running?)", addr)
		}
		return nil, fmt.Errorf("cannot listen on %s: %w", addr, err)
	}
	return ln, nil
}

// printDemoCredentials prints what a provider block needs to use the demo
// organisation at addr.
func printDemoCredentials(addr net.Addr) {
	fmt.Printf(`Chatwhizz emulator listening on %s
Demo credentials:
  base_url             %[1]s
  email                %s
  password             %s
  organisation_domain  %s
  addons               %s, %s
`, baseURL(addr), emulator.DemoEmail, emulator.DemoPassword, emulator.DemoOrganisationDomain,
		emulator.AddonLiveChat, emulator.AddonSellerBuyer)
}

// serveUntilSignalled serves until SIGINT or SIGTERM, then shuts down
// gracefully.
func serveUntilSignalled(ln net.Listener, h http.Handler) error {
	ctx, cancel := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer cancel()
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	select {
	case err := <-served:
		return err
	case <-ctx.Done():
	}
	shutdownCtx, done := context.WithTimeout(context.Background(), 5*time.Second)
	defer done()
	return srv.Shutdown(shutdownCtx)
}

// readSeed reads the organisations of a -seed file, strictly: a typo in a
// field name would otherwise silently give an organisation nobody can use.
func readSeed(path string) ([]emulator.Organisation, error) {
	if path == "" {
		return nil, nil
	}
	b, err := os.ReadFile(path) //nolint:gosec // the file the operator named with -seed
	if err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	var orgs []emulator.Organisation
	if err := dec.Decode(&orgs); err != nil {
		return nil, fmt.Errorf("seed file %s: %w", path, err)
	}
	return orgs, nil
}

// baseURL is the URL clients should use, with a loopback host when the
// emulator listens on every interface.
func baseURL(a net.Addr) string {
	host, port, _ := net.SplitHostPort(a.String())
	if ip := net.ParseIP(host); ip != nil && ip.IsUnspecified() {
		host = "127.0.0.1"
	}
	return "http://" + net.JoinHostPort(host, port) + "/"
}
