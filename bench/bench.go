package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// bench is one benchmark session: its options, work directory, the running
// emulator and the runs measured so far.
type bench struct {
	opts       options
	work       string
	cliVersion string
	emu        *emulatorProc
	runs       []Run
	started    time.Time
	finished   time.Time
	numCPU     int // from results.json when replotting; else the machine's
}

// commands are the three CLI commands measured for each (latency, N), in order.
var commands = []string{"apply", "plan", "destroy"}

func (b *bench) runAll(ctx context.Context) error {
	b.started = time.Now()
	tfrc := filepath.Join(b.work, "dev.tfrc")
	if err := os.WriteFile(tfrc, []byte(devOverrides(b.opts.providerDir)), 0o644); err != nil {
		return err
	}
	for _, lat := range b.opts.latencies {
		emu, err := startEmulator(ctx, b.opts.emulator, emulatorKnobs{latency: lat}, filepath.Join(b.work, "emulator-"+latencyLabel(lat)+".log"))
		if err != nil {
			return err
		}
		b.emu = emu
		if lat == b.opts.latencies[0] && !b.opts.noWarmup {
			if err := b.warmUp(ctx, tfrc); err != nil {
				return fmt.Errorf("warm-up: %w", err)
			}
		}
		for _, n := range b.opts.ns {
			if err := ctx.Err(); err != nil {
				return err
			}
			if err := emu.reset(ctx); err != nil {
				return err
			}
			if err := b.runN(ctx, tfrc, subjectChatwhizz, lat, limits{}, n); err != nil {
				return fmt.Errorf("latency %s, N=%d: %w", latencyLabel(lat), n, err)
			}
			if lat != 0 || !b.opts.baselines {
				continue
			}
			// The baselines, in the same run and at the same N: what the
			// framework and the CLI cost with the same configuration shape.
			for _, subject := range []string{subjectFloor, subjectData} {
				if err := b.runN(ctx, tfrc, subject, lat, limits{}, n); err != nil {
					return fmt.Errorf("%s, N=%d: %w", subject, n, err)
				}
			}
		}
		if err := emu.stop(); err != nil {
			logf("stopping the emulator: %v", err)
		}
		b.emu = nil
	}
	if err := b.runThrottled(ctx, tfrc); err != nil {
		return err
	}
	if err := b.runQuota(ctx, tfrc); err != nil {
		return err
	}
	b.finished = time.Now()
	return nil
}

// runThrottled is the throttled series: the server admits rate requests a
// second for everyone and answers 429 with Retry-After beyond.
func (b *bench) runThrottled(ctx context.Context, tfrc string) error {
	for _, rate := range b.opts.rates {
		emu, err := startEmulator(ctx, b.opts.emulator, emulatorKnobs{rate: rate}, filepath.Join(b.work, fmt.Sprintf("emulator-%drps.log", rate)))
		if err != nil {
			return err
		}
		b.emu = emu
		n := b.opts.nForRate(rate)
		idle, err := b.apiIdle(ctx, tfrc, n, rate)
		if err != nil {
			return fmt.Errorf("N=%d with no limit: %w", n, err)
		}
		from := len(b.runs)
		if err := b.runN(ctx, tfrc, subjectChatwhizz, 0, limits{rate: rate}, n); err != nil {
			return fmt.Errorf("rate limit %d/s, N=%d: %w", rate, n, err)
		}
		for i := from; i < len(b.runs); i++ {
			b.runs[i].setAPIIdle(idle[b.runs[i].Command])
		}
		if err := emu.stop(); err != nil {
			logf("stopping the emulator: %v", err)
		}
		b.emu = nil
	}
	return nil
}

// apiIdle runs apply, plan and destroy of a fleet of n with the rate limit
// lifted, and returns each command's API-idle time (idle.go), in seconds;
// then it sets the limit back to rate. These runs are not measured otherwise.
func (b *bench) apiIdle(ctx context.Context, tfrc string, n, rate int) (map[string]float64, error) {
	if err := b.emu.putKnobs(ctx, map[string]any{"rate_limit": 0}); err != nil {
		return nil, err
	}
	dir := filepath.Join(b.work, fmt.Sprintf("run-unlimited-%d", n))
	if err := writeFiles(dir, fleetFor(n).files(b.opts.style)); err != nil {
		return nil, err
	}
	env := cliEnv(tfrc, b.emu.base)
	if err := b.initIfModules(ctx, dir, env); err != nil {
		return nil, err
	}
	idle := map[string]float64{}
	for _, command := range commands {
		logf("N=%d with no limit, for its API-idle time: %s ...", n, command)
		before, err := b.emu.stats(ctx)
		if err != nil {
			return nil, err
		}
		logPath := filepath.Join(dir, command+".log")
		w := watchIdle(ctx, b.emu, time.Now(), before.total())
		res, err := runCLI(ctx, b.opts.cli, dir, env, b.opts.timeout, logPath, nil, b.argsOf(command)...)
		idle[command] = w.end().Seconds()
		if err == nil && res.exitCode != 0 {
			err = fmt.Errorf("exited %d", res.exitCode)
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w%s", command, err, tailOf(logPath))
		}
		logf("  %s: %.2f s, of which %.2f s with no call", command, res.wall.Seconds(), idle[command])
	}
	// The measured commands start as on a new emulator: no objects (the
	// destroy left them inactive, and an apply would adopt them), a full
	// bucket.
	if err := b.emu.reset(ctx); err != nil {
		return nil, err
	}
	return idle, b.emu.putKnobs(ctx, map[string]any{"rate_limit": rate})
}

// runQuota is the quota series: the server admits so many requests per
// window for everyone and answers 429 with Retry-After up to the window's
// end beyond. Each command starts with a new window.
func (b *bench) runQuota(ctx context.Context, tfrc string) error {
	if b.opts.quota == 0 {
		return nil
	}
	k := emulatorKnobs{quota: b.opts.quota, quotaWindow: b.opts.quotaWindow}
	emu, err := startEmulator(ctx, b.opts.emulator, k, filepath.Join(b.work, "emulator-quota.log"))
	if err != nil {
		return err
	}
	b.emu = emu
	lim := limits{quota: b.opts.quota, quotaWindow: b.opts.quotaWindow}
	if err := b.runN(ctx, tfrc, subjectChatwhizz, 0, lim, b.opts.quotaN); err != nil {
		return fmt.Errorf("quota %s, N=%d: %w", quotaLabel(lim.quota, lim.quotaWindow), b.opts.quotaN, err)
	}
	if err := emu.stop(); err != nil {
		logf("stopping the emulator: %v", err)
	}
	b.emu = nil
	return nil
}

// limits are the server's limits a run is measured under: a rate, a
// per-window quota, or neither.
type limits struct {
	rate        int
	quota       int
	quotaWindow time.Duration
}

// warmUp applies and destroys a fleet of 3, unmeasured, so that the first
// measured command (whose wall time is the T0 of the floors) does not pay
// for cold caches: the CLI and provider binaries read from disk, and so on.
func (b *bench) warmUp(ctx context.Context, tfrc string) error {
	dir := filepath.Join(b.work, "warm-up")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	if err := writeFiles(dir, fleetFor(3).files(b.opts.style)); err != nil {
		return err
	}
	logf("warm-up: apply and destroy of 3 resources, not measured")
	env := cliEnv(tfrc, b.emu.base)
	if err := b.initIfModules(ctx, dir, env); err != nil {
		return err
	}
	for _, command := range []string{"apply", "destroy"} {
		logPath := filepath.Join(dir, command+".log")
		res, err := runCLI(ctx, b.opts.cli, dir, env, b.opts.timeout, logPath, nil, command, "-auto-approve", "-input=false", "-no-color")
		if err != nil {
			return fmt.Errorf("%s: %w%s", command, err, tailOf(logPath))
		}
		if res.exitCode != 0 {
			return fmt.Errorf("%s exited %d%s", command, res.exitCode, tailOf(logPath))
		}
	}
	return b.emu.reset(ctx)
}

// runN applies, re-plans and destroys one fleet of n resources of subject
// (the Chatwhizz provider or a baseline), against a server with the latency
// lat and the limits lim.
func (b *bench) runN(ctx context.Context, tfrc, subject string, lat time.Duration, lim limits, n int) error {
	f := fleetFor(n)
	label := latencyLabel(lat)
	switch {
	case lim.rate > 0:
		label = fmt.Sprintf("%d/s", lim.rate)
	case lim.quota > 0:
		label = fmt.Sprintf("%d per %s", lim.quota, lim.quotaWindow)
	}
	files := f.files(b.opts.style)
	provider := filepath.Join(b.opts.providerDir, providerBinary)
	if subject != subjectChatwhizz {
		label = subject
		files = map[string]string{"main.tf": f.baselineConfig(subject)}
		provider = filepath.Join(b.opts.providerDir, floorBinary)
	}
	dir := filepath.Join(b.work, fmt.Sprintf("run-%s-%d", strings.NewReplacer("/", "per", " ", "-").Replace(label), n))
	if err := writeFiles(dir, files); err != nil {
		return err
	}
	env := cliEnv(tfrc, b.emu.base)
	if subject == subjectChatwhizz {
		if err := b.initIfModules(ctx, dir, env); err != nil {
			return err
		}
	}
	for _, command := range commands {
		logf("%s, N=%d (%d domains, %d operators, %d assignments): %s ...",
			label, n, f.Domains, f.Operators, f.Assignments, command)
		if lim.quota > 0 {
			if err := b.emu.restartQuota(ctx); err != nil {
				return err
			}
		}
		r, err := b.measure(ctx, dir, env, provider, lat, f, command, b.argsOf(command))
		if err != nil {
			return err
		}
		r.setSubject(subject)
		r.setRateLimit(lim.rate)
		r.setQuota(lim.quota, lim.quotaWindow)
		b.runs = append(b.runs, r)
		b.applyFloors()
		logf("  %s: %.2f s, %d calls (%d answered 429), %d login(s), peak %.1f MB in %d provider process(es); CPU s: CLI+provider %.2f, emulator %.2f, other programs %.2f",
			command, r.WallS, r.Calls, r.Throttled, r.Logins, r.PeakMB, r.ProviderProcesses, r.CLICPUUserS+r.CLICPUSysS, r.EmulatorCPUS, r.OtherCPUS)
	}
	return nil
}

// argsOf is the CLI's arguments for one of commands.
func (b *bench) argsOf(command string) []string {
	args := []string{command, "-auto-approve", fmt.Sprintf("-parallelism=%d", b.opts.parallelism), "-input=false", "-no-color", "-compact-warnings"}
	if command == "plan" {
		args[1] = "-detailed-exitcode"
	}
	return args
}

// measure runs one CLI command in dir and returns what it cost: wall and CPU
// time, API calls (from the emulator's counters), and the provider's memory.
func (b *bench) measure(ctx context.Context, dir string, env []string, provider string, lat time.Duration, f fleet, command string, args []string) (Run, error) {
	before, err := b.emu.stats(ctx)
	if err != nil {
		return Run{}, err
	}
	logPath := filepath.Join(dir, command+".log")
	mon := startProcMonitor(provider, 20*time.Millisecond)
	clock0 := readCPUClock(b.emu.pid())
	res, err := runCLI(ctx, b.opts.cli, dir, env, b.opts.timeout, logPath, mon.watch, args...)
	clock1 := readCPUClock(b.emu.pid())
	mem := mon.stop()
	if err != nil {
		return Run{}, fmt.Errorf("%s: %w%s", command, err, tailOf(logPath))
	}
	if res.leftovers {
		logf("warning: processes of the CLI's group outlived %s and were killed", command)
	}
	if mem.leftovers > 0 {
		logf("warning: %d provider process(es) outlived %s and were killed", mem.leftovers, command)
	}
	switch {
	case command == "plan" && res.exitCode == 2:
		return Run{}, fmt.Errorf("the plan after apply is not empty (exit 2): the provider is not idempotent%s", tailOf(logPath))
	case res.exitCode != 0:
		return Run{}, fmt.Errorf("%s exited %d%s", command, res.exitCode, tailOf(logPath))
	}
	after, err := b.emu.stats(ctx)
	if err != nil {
		return Run{}, err
	}
	r := newRun(lat, f, command, b.opts.parallelism, res, mem, before.since(after))
	r.setCPU(clock0, clock1)
	return r, nil
}

// initIfModules runs `get` (not measured) where the configuration calls a
// module: the CLI must install even a local one (`init` would also look up
// the providers, which dev_overrides serve and no registry is there for).
func (b *bench) initIfModules(ctx context.Context, dir string, env []string) error {
	if b.opts.style != "modules" {
		return nil
	}
	logPath := filepath.Join(dir, "get.log")
	res, err := runCLI(ctx, b.opts.cli, dir, env, b.opts.timeout, logPath, nil, "get", "-no-color")
	if err != nil {
		return fmt.Errorf("get: %w%s", err, tailOf(logPath))
	}
	if res.exitCode != 0 {
		return fmt.Errorf("get exited %d%s", res.exitCode, tailOf(logPath))
	}
	return nil
}

// cleanup stops the emulator and any provider process still running.
func (b *bench) cleanup() {
	if b.emu != nil {
		if err := b.emu.stop(); err != nil {
			logf("stopping the emulator: %v", err)
		}
		b.emu = nil
	}
	if n := killProviders(filepath.Join(b.opts.providerDir, providerBinary)); n > 0 {
		logf("killed %d leftover provider process(es)", n)
	}
}

// write saves results.json, report.md and plot.png in dir.
func (b *bench) write(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	js, err := b.json()
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, "results.json"), js, 0o644); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, "report.md"), []byte(b.markdown()), 0o644); err != nil {
		return err
	}
	if err := b.plot(filepath.Join(dir, "plot.png")); err != nil {
		return fmt.Errorf("plot: %w", err)
	}
	return nil
}

// devOverrides is the CLI configuration that makes both Terraform and
// OpenTofu use the built provider.
func devOverrides(dir string) string {
	return fmt.Sprintf(`provider_installation {
  dev_overrides {
    "registry.terraform.io/chatwhizz/chatwhizz" = %[1]q
    "registry.opentofu.org/chatwhizz/chatwhizz" = %[1]q
    "registry.terraform.io/chatwhizz/benchfloor" = %[1]q
    "registry.opentofu.org/chatwhizz/benchfloor" = %[1]q
  }
  direct {}
}
`, dir)
}

// cliEnv is this process's environment without any TF_* or CHATWHIZZ_*
// variable, plus the dev_overrides configuration and the demo credentials.
func cliEnv(tfrc, base string) []string {
	var env []string
	for _, kv := range os.Environ() {
		if strings.HasPrefix(kv, "TF_") || strings.HasPrefix(kv, "CHATWHIZZ_") {
			continue
		}
		env = append(env, kv)
	}
	return append(env,
		"TF_CLI_CONFIG_FILE="+tfrc,
		"TF_IN_AUTOMATION=1",
		"TF_INPUT=0",
		"CHECKPOINT_DISABLE=1",
		"CHATWHIZZ_BASE_URL="+base,
		"CHATWHIZZ_EMAIL=demo@example.com",
		"CHATWHIZZ_PASSWORD=demo-password",
		"CHATWHIZZ_ORGANISATION_DOMAIN=demo",
	)
}

// tailOf is the end of a CLI log, to quote in an error.
func tailOf(path string) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return ""
	}
	lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	if len(lines) > 40 {
		lines = lines[len(lines)-40:]
	}
	return fmt.Sprintf("\n--- last lines of %s ---\n%s\n---", path, strings.Join(lines, "\n"))
}

func latencyLabel(d time.Duration) string {
	if d == 0 {
		return "0ms"
	}
	return d.String()
}

var errEmulatorDied = errors.New("the emulator is not running")
