// Command bench measures the provider through a real CLI against the
// emulator, as a black box: it runs the emulator binary and the CLI (which
// starts the provider binary) as processes and never imports the provider.
//
// For each latency and each N it applies, re-plans (which must be empty) and
// destroys N resources (N/3 domains, N/3 operators, N/3 assignments), and
// records per command the wall time, the API calls by route and the logins
// counted by the emulator, and the provider processes' peak memory (VmHWM).
// It compares them with the floor the API allows and writes results.json,
// report.md and plot.png to -out. scripts/bench.sh builds the binaries and
// runs it (`make bench`).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"
)

const (
	providerBinary = "terraform-provider-chatwhizz"
	// floorBinary is the baseline provider on the same framework
	// (bench/benchfloor, in this module), built beside the provider.
	floorBinary = "terraform-provider-benchfloor"
)

// options are the command-line flags.
type options struct {
	providerDir     string
	emulator        string
	cli             string
	out             string
	ns              []int
	latencies       []time.Duration
	rates           []int // server rate limits (requests per second) of the throttled series
	rateN           int   // N of the throttled series; 0: rateNPerRequest × the rate
	quota           int   // requests per quotaWindow of the quota series; 0: none
	quotaWindow     time.Duration
	quotaN          int // N of the quota series
	parallelism     int
	timeout         time.Duration
	style           string
	providerVersion string
	keepWork        bool
	noWarmup        bool
	baselines       bool // run the baselines beside each N at latency 0
	replot          string
}

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "bench: error:", err)
		os.Exit(1)
	}
}

func parseFlags(args []string) (options, error) {
	var o options
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	fs.StringVar(&o.providerDir, "provider-dir", "", "`dir`ectory holding the built "+providerBinary+" (used as the dev_overrides target)")
	fs.StringVar(&o.emulator, "emulator", "", "`path` of the built chatwhizz-emulator")
	fs.StringVar(&o.cli, "cli", "", "`path` of the terraform or tofu CLI")
	fs.StringVar(&o.out, "out", "results", "`dir`ectory for results.json, report.md and plot.png")
	nList := fs.String("n", "50,200,1000", "comma-separated resource `counts` N (N/3 domains, operators and assignments each)")
	latList := fs.String("latency", "0,50ms", "comma-separated emulator `latencies` (Go durations; 0 first gives the T0 of the wall-time floor)")
	rateList := fs.String("rates", "2,5,20", "comma-separated server rate `limits` (requests per second) of the throttled series, at latency 0; empty for none")
	fs.IntVar(&o.rateN, "rate-n", 0, "resource count N of the throttled series (0: 60 × the rate, at most 1000, so that each command takes about a minute)")
	quotaSpec := fs.String("quota", "100/30s", "per-window `quota` of the quota series, requests/window (a Go duration), at latency 0; empty for none")
	fs.IntVar(&o.quotaN, "quota-n", 200, "resource count N of the quota series")
	fs.IntVar(&o.parallelism, "parallelism", 10, "the CLI's -parallelism")
	fs.DurationVar(&o.timeout, "timeout", 20*time.Minute, "time limit for one CLI command")
	fs.StringVar(&o.style, "style", "count", "how the configuration is written: count (three resources with count, the third referring to the others by count.index), blocks (one block per instance) or modules (a module of one domain, operator and assignment, called with count)")
	fs.StringVar(&o.providerVersion, "provider-version", "", "label of the provider build for the report (e.g. git describe)")
	fs.BoolVar(&o.keepWork, "keep-work", false, "keep the work directory (configurations, states, CLI logs) even on success")
	fs.BoolVar(&o.baselines, "baselines", true, "at latency 0, also run the same fleet shape with "+floorBinary+" (the framework's floor) and terraform_data (the CLI alone)")
	fs.BoolVar(&o.noWarmup, "no-warmup", false, "skip the unmeasured apply and destroy of 3 resources that warms caches before the first measured command")
	fs.StringVar(&o.replot, "replot", "", "only rewrite report.md and plot.png in -out from this `results.json` (no benchmark)")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	if o.replot != "" {
		return o, nil
	}
	if fs.NArg() > 0 {
		return o, fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	var err error
	if o.ns, err = parseNs(*nList); err != nil {
		return o, err
	}
	if o.latencies, err = parseLatencies(*latList); err != nil {
		return o, err
	}
	if o.rates, err = parseRates(*rateList); err != nil {
		return o, err
	}
	if o.quota, o.quotaWindow, err = parseQuota(*quotaSpec); err != nil {
		return o, err
	}
	return o, o.check()
}

// check refuses the options that the flags' own parsing lets through.
func (o options) check() error {
	if o.quotaN < 3 {
		return errors.New("-quota-n must be at least 3")
	}
	if o.rateN != 0 && o.rateN < 3 {
		return errors.New("-rate-n must be 0 or at least 3")
	}
	if o.parallelism < 1 {
		return errors.New("-parallelism must be at least 1")
	}
	if o.timeout <= 0 {
		return errors.New("-timeout must be positive")
	}
	if o.style != "count" && o.style != "blocks" && o.style != "modules" {
		return fmt.Errorf("-style must be count, blocks or modules, not %q", o.style)
	}
	for _, f := range []struct{ name, v string }{{"-provider-dir", o.providerDir}, {"-emulator", o.emulator}, {"-cli", o.cli}} {
		if f.v == "" {
			return fmt.Errorf("%s is required (scripts/bench.sh sets it)", f.name)
		}
	}
	return nil
}

// parseNs reads "50,200,1000": sorted, without duplicates, each at least 3
// so that every kind of resource has at least one instance.
func parseNs(s string) ([]int, error) {
	return parseWholeNumbers(s, 3, "-n: %q is not a whole number of at least 3")
}

// parseRates reads "2,5,20": sorted, without duplicates, each at least 1;
// an empty list runs no throttled series.
func parseRates(s string) ([]int, error) {
	if strings.TrimSpace(s) == "" {
		return nil, nil
	}
	return parseWholeNumbers(s, 1, "-rates: %q is not a whole number of requests per second of at least 1")
}

// parseWholeNumbers reads a comma-separated list of whole numbers of at
// least least, sorted and without duplicates; a field that is not one is
// refused with refusal, which quotes it.
func parseWholeNumbers(s string, least int, refusal string) ([]int, error) {
	var ns []int
	for f := range strings.SplitSeq(s, ",") {
		f = strings.TrimSpace(f)
		n, err := strconv.Atoi(f)
		if err != nil || n < least {
			return nil, fmt.Errorf(refusal, f)
		}
		ns = append(ns, n)
	}
	slices.Sort(ns)
	return slices.Compact(ns), nil
}

// parseQuota reads "100/30s": so many requests per window; an empty string
// runs no quota series.
func parseQuota(s string) (int, time.Duration, error) {
	if strings.TrimSpace(s) == "" {
		return 0, 0, nil
	}
	n, w, ok := strings.Cut(strings.TrimSpace(s), "/")
	quota, err := strconv.Atoi(n)
	window, werr := time.ParseDuration(w)
	if !ok || err != nil || werr != nil || quota < 1 || window <= 0 {
		return 0, 0, fmt.Errorf("-quota: %q is not requests/window, e.g. 100/30s", s)
	}
	return quota, window, nil
}

// The throttled series' fleet is sized to its rate, so that each command
// takes about a minute and the CLI's start and the pacer's first probing
// weigh little, up to maxRateN.
const (
	rateNPerRequest = 60
	maxRateN        = 1000
)

// nForRate is the fleet size measured under the rate limit r.
func (o options) nForRate(r int) int {
	if o.rateN > 0 {
		return o.rateN
	}
	return min(rateNPerRequest*r, maxRateN)
}

// parseLatencies reads "0,50ms": sorted, so that latency 0 (the T0 of the
// wall-time floors) runs first.
func parseLatencies(s string) ([]time.Duration, error) {
	var ls []time.Duration
	for f := range strings.SplitSeq(s, ",") {
		f = strings.TrimSpace(f)
		d, err := time.ParseDuration(f)
		if err != nil || d < 0 {
			return nil, fmt.Errorf("-latency: %q is not a duration of 0 or more with a unit, e.g. 50ms", f)
		}
		ls = append(ls, d)
	}
	slices.Sort(ls)
	return slices.Compact(ls), nil
}

func run() error {
	o, err := parseFlags(os.Args[1:])
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return err
	}
	if o.replot != "" {
		return replot(o.replot, o.out)
	}
	if err := o.resolvePaths(); err != nil {
		return err
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	work, err := os.MkdirTemp("", "chatwhizz-bench-")
	if err != nil {
		return err
	}
	b := &bench{opts: o, work: work}
	b.cliVersion, err = cliVersion(ctx, o.cli)
	if err != nil {
		return err
	}
	logf("%s, provider %s, N %v, latencies %v, rate limits %v, quota %s, parallelism %d, work dir %s",
		b.cliVersion, orDash(o.providerVersion), o.ns, o.latencies, o.rates, quotaLabel(o.quota, o.quotaWindow), o.parallelism, work)

	runErr := b.runAll(ctx)
	b.cleanup()
	if runErr != nil {
		if ctx.Err() != nil {
			runErr = fmt.Errorf("interrupted: %w", runErr)
		}
		if len(b.runs) > 0 {
			partial := filepath.Join(work, "partial-results")
			if err := b.write(partial); err == nil {
				logf("the runs completed so far are in %s", partial)
			}
		}
		logf("work directory kept for inspection: %s", work)
		return runErr
	}
	if err := b.write(o.out); err != nil {
		return err
	}
	if o.keepWork {
		logf("work directory kept: %s", work)
	} else if err := os.RemoveAll(work); err != nil {
		logf("could not remove the work directory: %v", err)
	}
	fmt.Println()
	fmt.Print(b.markdown())
	logf("wrote %s", strings.Join([]string{
		filepath.Join(o.out, "results.json"), filepath.Join(o.out, "report.md"), filepath.Join(o.out, "plot.png"),
	}, ", "))
	return nil
}

// resolvePaths makes every path absolute and checks the binaries exist.
func (o *options) resolvePaths() error {
	for _, p := range []*string{&o.providerDir, &o.emulator, &o.cli, &o.out} {
		abs, err := filepath.Abs(*p)
		if err != nil {
			return err
		}
		*p = abs
	}
	provider := filepath.Join(o.providerDir, providerBinary)
	binaries := []struct{ what, path string }{
		{"provider binary (-provider-dir)", provider},
		{"emulator binary (-emulator)", o.emulator},
		{"CLI (-cli)", o.cli},
	}
	if o.baselines {
		binaries = append(binaries, struct{ what, path string }{"baseline provider (-provider-dir)", filepath.Join(o.providerDir, floorBinary)})
	}
	for _, f := range binaries {
		st, err := os.Stat(f.path)
		if err != nil {
			return fmt.Errorf("%s: %w", f.what, err)
		}
		if st.IsDir() || st.Mode()&0o111 == 0 {
			return fmt.Errorf("%s %s is not an executable file", f.what, f.path)
		}
	}
	return nil
}

func logf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "bench: "+format+"\n", args...)
}

// quotaLabel names a quota: "100 per 30s", or "none".
func quotaLabel(quota int, window time.Duration) string {
	if quota == 0 {
		return "none"
	}
	return fmt.Sprintf("%d per %s", quota, window)
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
