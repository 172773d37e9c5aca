package main

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"time"
)

// Goals the report checks.
const (
	goalWallRatio = 1.15 // wall time at 50 ms latency, over its floor
	goalLatency   = 50 * time.Millisecond
	// goalRateRatio bounds wall time under a rate limit, over the rate's
	// floor: the calls the command needs ÷ the rate; and under a quota,
	// over the quota's: the windows they need × the window.
	goalRateRatio = 1.1
	// goalPeakMB bounds the provider's peak memory at the largest N, and
	// goalFlatRatio its growth from N = goalFlatFromN to the largest N.
	goalPeakMB    = 40.0
	goalFlatRatio = 1.2
	goalFlatFromN = 200
	// goalFloorCPURatio bounds the provider's CPU at the largest N over the
	// framework floor's (benchfloor), same command.
	goalFloorCPURatio = 0.9
)

// Run is one CLI command measured for one (latency, N).
type Run struct {
	Latency     string  `json:"latency"`
	LatencyMS   float64 `json:"latency_ms"`
	N           int     `json:"n"`
	Resources   int     `json:"resources"` // 3*(N/3)
	Domains     int     `json:"domains"`
	Operators   int     `json:"operators"`
	Assignments int     `json:"assignments"`
	Command     string  `json:"command"`
	Parallelism int     `json:"parallelism"`
	ExitCode    int     `json:"exit_code"`

	WallS float64 `json:"wall_s"`
	// The wall-time floor: T0 + latency × rounds, where T0 is the same
	// command's wall time at latency 0 and rounds is
	// max(chain, 1 + ceil((floor_calls-1)/parallelism)). Nil for destroy.
	FloorWallS *float64 `json:"floor_wall_s"`
	WallRatio  *float64 `json:"wall_ratio"`
	T0S        *float64 `json:"t0_s"`
	T0Source   string   `json:"t0_source,omitempty"`
	Chain      int      `json:"chain,omitempty"`
	Rounds     int      `json:"latency_rounds,omitempty"`

	Calls        int            `json:"calls"`
	FloorCalls   *int           `json:"floor_calls"`
	CallsRatio   *float64       `json:"calls_ratio"`
	CallsByRoute map[string]int `json:"calls_by_route"`

	Logins        int `json:"logins"`
	Regenerations int `json:"regenerations"`
	Validations   int `json:"validations"`
	Throttled     int `json:"throttled"`
	Injected503   int `json:"injected_503"`

	// Subject is what was measured: the Chatwhizz provider ("chatwhizz";
	// empty in results written before the baselines) or a baseline.
	Subject string `json:"subject,omitempty"`
	// CLIPeakMB is the largest resident set of the CLI and the provider
	// processes it ran (MiB): in practice the CLI's own.
	CLIPeakMB float64 `json:"cli_peak_mb"`

	// RateLimit is the server's limit in requests per second (0: none).
	// Under one, the floor is the calls the command needs (those not
	// answered 429) ÷ the rate.
	RateLimit  int      `json:"rate_limit,omitempty"`
	RateFloorS *float64 `json:"rate_floor_s,omitempty"`
	RateRatio  *float64 `json:"rate_ratio,omitempty"`
	// APIIdleS is the same command's API-idle time (bench/idle.go): with no
	// limit, the time it made no call. RateIdleFloorS is the rate's floor
	// plus that time, and RateIdleRatio the wall time over it.
	APIIdleS       *float64 `json:"api_idle_s,omitempty"`
	RateIdleFloorS *float64 `json:"rate_idle_floor_s,omitempty"`
	RateIdleRatio  *float64 `json:"rate_idle_ratio,omitempty"`

	// Quota is the server's limit in requests per QuotaWindowS seconds (0:
	// none). Under one, the floor is the windows the calls the command
	// needs take (⌈calls ÷ quota⌉) × the window.
	Quota        int      `json:"quota,omitempty"`
	QuotaWindowS float64  `json:"quota_window_s,omitempty"`
	QuotaFloorS  *float64 `json:"quota_floor_s,omitempty"`
	QuotaRatio   *float64 `json:"quota_ratio,omitempty"`

	PeakVmHWMKB       int64       `json:"peak_vm_hwm_kb"`
	PeakMB            float64     `json:"peak_mb"` // MiB: kB / 1024
	ProviderProcesses int         `json:"provider_processes"`
	Providers         []procEntry `json:"provider_process_samples"`
	ProviderCPUS      float64     `json:"provider_cpu_s"` // as last polled: a lower bound
	CLICPUUserS       float64     `json:"cli_cpu_user_s"` // CLI + the provider processes it waited for
	CLICPUSysS        float64     `json:"cli_cpu_sys_s"`
	MonitorScans      int         `json:"monitor_scans"`
	EmulatorCPUS      float64     `json:"emulator_cpu_s"`
	HarnessCPUS       float64     `json:"harness_cpu_s"`
	MachineBusyCPUS   float64     `json:"machine_busy_cpu_s"` // all CPUs, from /proc/stat
	// OtherCPUS is the CPU time that neither the CLI (with its provider
	// processes), the emulator nor the harness used during the command:
	// other programs competing for the machine's cores.
	OtherCPUS float64 `json:"other_cpu_s"`
}

// setCPU records the CPU time spent during the command, from readings
// before and after it.
func (r *Run) setCPU(before, after cpuClock) {
	r.EmulatorCPUS = float64(after.emulator-before.emulator) / clockTicks
	r.HarnessCPUS = (after.self - before.self).Seconds()
	r.MachineBusyCPUS = float64(after.systemBusy-before.systemBusy) / clockTicks
	r.OtherCPUS = max(0, r.MachineBusyCPUS-r.CLICPUUserS-r.CLICPUSysS-r.EmulatorCPUS-r.HarnessCPUS)
}

type procEntry struct {
	VmHWMKB    int64   `json:"vm_hwm_kb"`
	FirstSeenS float64 `json:"first_seen_s"` // since the command started
	LastSeenS  float64 `json:"last_seen_s"`
	CPUS       float64 `json:"cpu_s"`
}

func newRun(lat time.Duration, f fleet, command string, p int, res cliResult, mem memResult, d stats) Run {
	r := Run{
		Latency:      latencyLabel(lat),
		LatencyMS:    float64(lat) / float64(time.Millisecond),
		N:            f.N,
		Resources:    f.Resources(),
		Domains:      f.Domains,
		Operators:    f.Operators,
		Assignments:  f.Assignments,
		Command:      command,
		Parallelism:  p,
		ExitCode:     res.exitCode,
		WallS:        res.wall.Seconds(),
		CallsByRoute: d.Requests,
		Logins:       d.Logins,

		Regenerations:     d.Regenerations,
		Validations:       d.Validations,
		Throttled:         d.Throttled,
		Injected503:       d.Injected503,
		PeakVmHWMKB:       mem.peakKB(),
		PeakMB:            float64(mem.peakKB()) / 1024,
		ProviderProcesses: len(mem.procs),
		ProviderCPUS:      mem.cpuSeconds(),
		CLICPUUserS:       res.user.Seconds(),
		CLICPUSysS:        res.sys.Seconds(),
		CLIPeakMB:         float64(res.maxRSSKB) / 1024,
		MonitorScans:      mem.scans,
	}
	for _, n := range d.Requests {
		r.Calls += n
	}
	for _, s := range mem.procs {
		r.Providers = append(r.Providers, procEntry{
			VmHWMKB:    s.VmHWMKB,
			FirstSeenS: round3(s.FirstSeen.Seconds()),
			LastSeenS:  round3(s.LastSeen.Seconds()),
			CPUS:       float64(s.CPUTicks) / clockTicks,
		})
	}
	if fc, ok := f.floorCalls(command); ok {
		r.FloorCalls = &fc
		r.CallsRatio = ptr(float64(r.Calls) / float64(fc))
		r.Chain = chainOf(command)
		r.Rounds = latencyRounds(fc, r.Chain, p)
	}
	return r
}

// setSubject records what the run measured; a baseline has no API floor.
func (r *Run) setSubject(subject string) {
	r.Subject = subject
	if subject != subjectChatwhizz {
		r.FloorCalls, r.CallsRatio, r.Chain, r.Rounds = nil, nil, 0, 0
	}
}

// ours reports whether the run measured the Chatwhizz provider.
func (r Run) ours() bool { return r.Subject == "" || r.Subject == subjectChatwhizz }

// setRateLimit marks a run of the throttled series and sets its floor: the
// calls the command needs ÷ the rate. Its latency floors do not apply.
func (r *Run) setRateLimit(rate int) {
	if rate <= 0 {
		return
	}
	r.RateLimit = rate
	r.FloorCalls, r.CallsRatio, r.Chain, r.Rounds = nil, nil, 0, 0
	floor := float64(r.Calls-r.Throttled) / float64(rate)
	r.RateFloorS = ptr(floor)
	if floor > 0 {
		r.RateRatio = ptr(r.WallS / floor)
	}
}

// setAPIIdle records the same command's API-idle time, in seconds, and the
// floor it adds to the rate's.
func (r *Run) setAPIIdle(idle float64) {
	if r.RateFloorS == nil {
		return
	}
	floor := *r.RateFloorS + idle
	r.APIIdleS, r.RateIdleFloorS = ptr(idle), ptr(floor)
	if floor > 0 {
		r.RateIdleRatio = ptr(r.WallS / floor)
	}
}

// setQuota marks a run of the quota series and sets its floor: the windows
// the calls the command needs take, times the window. Its latency floors do
// not apply.
func (r *Run) setQuota(quota int, window time.Duration) {
	if quota <= 0 {
		return
	}
	r.Quota, r.QuotaWindowS = quota, window.Seconds()
	r.FloorCalls, r.CallsRatio, r.Chain, r.Rounds = nil, nil, 0, 0
	windows := math.Ceil(float64(r.Calls-r.Throttled) / float64(quota))
	floor := windows * window.Seconds()
	r.QuotaFloorS = ptr(floor)
	if floor > 0 {
		r.QuotaRatio = ptr(r.WallS / floor)
	}
}

// limited reports whether the run was measured under a rate limit or a
// quota.
func (r Run) limited() bool { return r.RateLimit > 0 || r.Quota > 0 }

// applyFloors (re)computes the wall-time floors, which need the latency-0
// run of the same N and command.
func (b *bench) applyFloors() {
	t0 := map[string]float64{}
	for _, r := range b.runs {
		if r.LatencyMS == 0 && !r.limited() && r.ours() {
			t0[fmt.Sprint(r.N, r.Command)] = r.WallS
		}
	}
	for i := range b.runs {
		r := &b.runs[i]
		if r.FloorCalls == nil {
			continue
		}
		base, ok := t0[fmt.Sprint(r.N, r.Command)]
		r.T0Source = "measured at latency 0"
		if !ok {
			base, r.T0Source = 0, "none: latency 0 was not run, T0 = 0"
		}
		floor := base + r.LatencyMS/1000*float64(r.Rounds)
		r.T0S, r.FloorWallS = ptr(base), ptr(floor)
		if floor > 0 {
			r.WallRatio = ptr(r.WallS / floor)
		}
	}
}

func ptr[T any](v T) *T { return &v }

func round3(x float64) float64 { return math.Round(x*1000) / 1000 }

// loginsFor is the logins a command needs: one per provider process that
// calls the API. Terraform refreshes and applies a destroy in two processes,
// and a token is never written to disk to bridge them.
func loginsFor(command string) int {
	if command == "destroy" {
		return 2
	}
	return 1
}

// goal is one of the report's goals and whether the runs meet it.
type goal struct {
	Name     string   `json:"name"`
	Status   string   `json:"status"` // "met", "NOT met", "not measured"
	Detail   string   `json:"detail,omitempty"`
	Failures []string `json:"failures,omitempty"`
}

func runName(r Run) string {
	switch {
	case r.RateLimit > 0:
		return fmt.Sprintf("%s N=%d at %d requests/s", r.Command, r.N, r.RateLimit)
	case r.Quota > 0:
		return fmt.Sprintf("%s N=%d under %s", r.Command, r.N, r.quotaLabel())
	}
	return fmt.Sprintf("%s N=%d at %s", r.Command, r.N, r.Latency)
}

// runSeries names the series of a run in the details: its latency, its
// rate limit, or the baseline it measured.
func runSeries(r Run) string {
	switch {
	case !r.ours():
		return r.Subject
	case r.RateLimit > 0:
		return fmt.Sprintf("%d requests/s", r.RateLimit)
	case r.Quota > 0:
		return r.quotaLabel()
	}
	return r.Latency
}

// quotaLabel names the run's quota: "100 per 30s".
func (r Run) quotaLabel() string {
	return quotaLabel(r.Quota, time.Duration(r.QuotaWindowS*float64(time.Second)))
}

// unthrottled are the provider's runs of the latency series.
func (b *bench) unthrottled() []Run {
	return b.runsWhere(func(r Run) bool { return !r.limited() && r.ours() })
}

// throttled are the runs of the rate-limited series.
func (b *bench) throttled() []Run { return b.runsWhere(func(r Run) bool { return r.RateLimit > 0 }) }

// quotaRuns are the runs of the quota series.
func (b *bench) quotaRuns() []Run { return b.runsWhere(func(r Run) bool { return r.Quota > 0 }) }

// runsWhere are the runs that match, in their order.
func (b *bench) runsWhere(match func(Run) bool) []Run {
	var rs []Run
	for _, r := range b.runs {
		if match(r) {
			rs = append(rs, r)
		}
	}
	return rs
}

func (b *bench) goals() []goal {
	return append(b.unthrottledGoals(), b.loadGoals()...)
}

// unthrottledGoals judge the calls, wall time and logins of the runs without
// a rate limit.
func (b *bench) unthrottledGoals() []goal {
	var gs []goal
	runs := b.unthrottled()

	g := goal{Name: "calls = floor (apply, no-op plan)"}
	for _, r := range runs {
		if r.FloorCalls != nil && r.Calls != *r.FloorCalls {
			g.Failures = append(g.Failures, fmt.Sprintf("%s: %d calls, floor %d", runName(r), r.Calls, *r.FloorCalls))
		}
	}
	gs = append(gs, judge(g, len(runs) > 0))

	g = goal{Name: fmt.Sprintf("wall at %s ≤ %.2f × floor (apply, no-op plan)", goalLatency, goalWallRatio)}
	measured := false
	for _, r := range runs {
		if r.LatencyMS != float64(goalLatency/time.Millisecond) || r.WallRatio == nil {
			continue
		}
		measured = true
		if *r.WallRatio > goalWallRatio {
			g.Failures = append(g.Failures, fmt.Sprintf("%s: %.2f s, floor %.2f s (%.2f×)", runName(r), r.WallS, *r.FloorWallS, *r.WallRatio))
		}
	}
	if !b.hasLatency0() {
		g.Detail = "T0 = 0: latency 0 was not run"
	}
	gs = append(gs, judge(g, measured))

	g = goal{Name: "one login per provider process that calls the API (apply and plan 1, destroy 2: its refresh and its apply run in two)"}
	for _, r := range runs {
		if r.Logins != loginsFor(r.Command) {
			g.Failures = append(g.Failures, fmt.Sprintf("%s: %d logins in %d provider processes", runName(r), r.Logins, r.ProviderProcesses))
		}
	}
	return append(gs, judge(g, len(runs) > 0))
}

// loadGoals judge the runs under a rate limit or a quota, and the
// provider's memory and CPU at the largest N.
func (b *bench) loadGoals() []goal {
	var gs []goal
	// Every run ends with exit 0 or the harness stops, so a throttled run
	// recorded has converged.
	g := goal{Name: fmt.Sprintf("under a rate limit, wall ≤ %.1f × calls needed ÷ rate (every command)", goalRateRatio)}
	for _, r := range b.throttled() {
		if r.RateRatio != nil && *r.RateRatio > goalRateRatio {
			g.Failures = append(g.Failures, fmt.Sprintf("%s: %.2f s, floor %.2f s (%.2f×), %d answered 429", runName(r), r.WallS, *r.RateFloorS, *r.RateRatio, r.Throttled))
		}
	}
	gs = append(gs, judge(g, len(b.throttled()) > 0))

	g = goal{Name: fmt.Sprintf("under a rate limit, wall ≤ %.1f × (calls needed ÷ rate + the same command's API-idle time with no limit) (every command)", goalRateRatio)}
	measured := false
	for _, r := range b.throttled() {
		if r.RateIdleRatio == nil {
			continue
		}
		measured = true
		if *r.RateIdleRatio > goalRateRatio {
			g.Failures = append(g.Failures, fmt.Sprintf("%s: %.2f s, floor %.2f s + %.2f s API-idle (%.2f×), %d answered 429", runName(r), r.WallS, *r.RateFloorS, *r.APIIdleS, *r.RateIdleRatio, r.Throttled))
		}
	}
	gs = append(gs, judge(g, measured))

	g = goal{Name: fmt.Sprintf("under a quota, wall ≤ %.1f × the windows the calls needed take (every command)", goalRateRatio)}
	for _, r := range b.quotaRuns() {
		if r.QuotaRatio != nil && *r.QuotaRatio > goalRateRatio {
			g.Failures = append(g.Failures, fmt.Sprintf("%s: %.2f s, floor %.2f s (%.2f×), %d answered 429", runName(r), r.WallS, *r.QuotaFloorS, *r.QuotaRatio, r.Throttled))
		}
	}
	gs = append(gs, judge(g, len(b.quotaRuns()) > 0))
	return append(gs, b.memoryGoals()...)
}

// memoryGoals judge the provider's peak memory at the largest N (at each
// latency), its growth from N = goalFlatFromN, and its CPU beside
// benchfloor's at the largest N.
func (b *bench) memoryGoals() []goal {
	maxN := 0
	for _, r := range b.unthrottled() {
		maxN = max(maxN, r.N)
	}
	peak := goal{Name: fmt.Sprintf("provider peak memory at the largest N ≤ %.0f MB (every command and latency)", goalPeakMB)}
	flat := goal{Name: fmt.Sprintf("provider peak memory flat: at the largest N ≤ %.1f × at N = %d (every command and latency)", goalFlatRatio, goalFlatFromN)}
	flatMeasured := false
	atFlatFrom := map[string]Run{}
	for _, r := range b.unthrottled() {
		if r.N == goalFlatFromN {
			atFlatFrom[r.Latency+" "+r.Command] = r
		}
	}
	for _, r := range b.unthrottled() {
		if r.N != maxN {
			continue
		}
		if r.PeakMB > goalPeakMB {
			peak.Failures = append(peak.Failures, fmt.Sprintf("%s: provider peak %.1f MB", runName(r), r.PeakMB))
		}
		if from, ok := atFlatFrom[r.Latency+" "+r.Command]; ok && maxN > goalFlatFromN {
			flatMeasured = true
			if ratio := r.PeakMB / max(from.PeakMB, 0.001); ratio > goalFlatRatio {
				flat.Failures = append(flat.Failures, fmt.Sprintf("%s: provider peak %.1f MB, at N=%d %.1f MB (%.2f×)", runName(r), r.PeakMB, from.N, from.PeakMB, ratio))
			}
		}
	}
	gs := []goal{judge(peak, maxN > 0), judge(flat, flatMeasured)}

	cpu := goal{Name: fmt.Sprintf("provider CPU at the largest N ≤ %.1f × %s's (same command)", goalFloorCPURatio, subjectFloor)}
	measured := false
	for _, c := range b.comparisons() {
		if c.floor == nil || c.ours.N != maxN {
			continue
		}
		measured = true
		if ratio := c.cpuRatio(); ratio > goalFloorCPURatio {
			cpu.Failures = append(cpu.Failures, fmt.Sprintf("%s N=%d: provider CPU %.2f s, %s %.2f s (%.2f×)", c.ours.Command, c.ours.N, c.ours.ProviderCPUS, subjectFloor, c.floor.ProviderCPUS, ratio))
		}
	}
	return append(gs, judge(cpu, measured))
}

// comparison is one of the provider's runs beside the baselines' runs of
// the same N and command.
type comparison struct {
	ours        Run
	floor, data *Run
}

func (c comparison) cpuRatio() float64 { return c.ours.ProviderCPUS / max(c.floor.ProviderCPUS, 0.001) }
func (c comparison) memRatio() float64 { return c.ours.PeakMB / max(c.floor.PeakMB, 0.001) }

// comparisons pairs the provider's latency-0 runs with the baselines'.
func (b *bench) comparisons() []comparison {
	var cs []comparison
	for _, r := range b.unthrottled() {
		if r.LatencyMS != 0 {
			continue
		}
		c := comparison{ours: r}
		for i := range b.runs {
			o := &b.runs[i]
			if o.N != r.N || o.Command != r.Command {
				continue
			}
			switch o.Subject {
			case subjectFloor:
				c.floor = o
			case subjectData:
				c.data = o
			}
		}
		if c.floor != nil || c.data != nil {
			cs = append(cs, c)
		}
	}
	return cs
}

// baselineTable is the report's comparison with the baselines.
func (b *bench) baselineTable() string {
	cs := b.comparisons()
	if len(cs) == 0 {
		return ""
	}
	var s strings.Builder
	s.WriteString("\n## Beside the framework's floor and the CLI alone\n\n" +
		"The same fleet shape (three resources with `count`, the third referring to the other two by `count.index`), at latency 0, with " +
		"`" + subjectFloor + "` (bench/benchfloor: the thinnest provider on the same framework, calling nothing, as terraform-provider-random does) " +
		"and with `" + subjectData + "` (no provider process: the CLI alone). Provider CPU s is the provider processes' CPU time as last polled; " +
		"CLI peak MB is the largest resident set of the CLI and its provider processes (the CLI's own). " +
		"benchfloor's peak grows with N because terraform-plugin-framework keeps every request's context until the provider exits; " +
		"the provider serves the framework through internal/protocol, which lets go of each request when it returns (bench/README.md, Findings).\n\n" +
		"| N | command | provider CPU s | floor CPU s | ratio | µs per resource | floor µs | provider peak MB | floor peak MB | ratio | CLI+provider CPU s | floor CLI+provider | terraform_data CLI CPU s | CLI peak MB | floor CLI peak | terraform_data CLI peak |\n" +
		"|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n")
	dash := func(r *Run, f func(Run) float64, format string) string {
		if r == nil {
			return "-"
		}
		return fmt.Sprintf(format, f(*r))
	}
	cliCPU := func(r Run) float64 { return r.CLICPUUserS + r.CLICPUSysS }
	for _, c := range cs {
		cpuRatio, memRatio := "-", "-"
		if c.floor != nil {
			cpuRatio, memRatio = fmt.Sprintf("%.2f", c.cpuRatio()), fmt.Sprintf("%.2f", c.memRatio())
		}
		perResource := func(r Run) float64 { return r.ProviderCPUS / float64(max(r.Resources, 1)) * 1e6 }
		fmt.Fprintf(&s, "| %d | %s | %.2f | %s | %s | %.0f | %s | %.1f | %s | %s | %.2f | %s | %s | %.0f | %s | %s |\n",
			c.ours.N, c.ours.Command, c.ours.ProviderCPUS, dash(c.floor, func(r Run) float64 { return r.ProviderCPUS }, "%.2f"), cpuRatio,
			perResource(c.ours), dash(c.floor, perResource, "%.0f"),
			c.ours.PeakMB, dash(c.floor, func(r Run) float64 { return r.PeakMB }, "%.1f"), memRatio,
			cliCPU(c.ours), dash(c.floor, cliCPU, "%.2f"), dash(c.data, cliCPU, "%.2f"),
			c.ours.CLIPeakMB, dash(c.floor, func(r Run) float64 { return r.CLIPeakMB }, "%.0f"), dash(c.data, func(r Run) float64 { return r.CLIPeakMB }, "%.0f"))
	}
	return s.String()
}

func judge(g goal, measured bool) goal {
	switch {
	case !measured:
		g.Status = "not measured"
	case len(g.Failures) > 0:
		g.Status = "NOT met"
	default:
		g.Status = "met"
	}
	return g
}

func (b *bench) hasLatency0() bool {
	return slices.Contains(b.opts.latencies, 0)
}

// report is results.json.
type report struct {
	GeneratedAt     string   `json:"generated_at"`
	DurationS       float64  `json:"duration_s,omitempty"`
	CLI             string   `json:"cli"`
	CLIPath         string   `json:"cli_path"`
	ProviderVersion string   `json:"provider_version,omitempty"`
	Style           string   `json:"config_style"`
	Parallelism     int      `json:"parallelism"`
	Ns              []int    `json:"n"`
	Latencies       []string `json:"latencies"`
	RateLimits      []int    `json:"rate_limits,omitempty"`
	Quota           string   `json:"quota,omitempty"` // requests/window
	TimeoutS        float64  `json:"command_timeout_s"`
	GoVersion       string   `json:"harness_go_version"`
	CPUs            int      `json:"cpus"`
	Floors          string   `json:"floors"`
	Goals           []goal   `json:"goals"`
	Runs            []Run    `json:"runs"`
}

const floorsText = "calls: apply d+o+2a+1, no-op plan d+o+1, destroy none; " +
	"wall: T0 + latency × max(chain, 1 + ceil((floor_calls-1)/parallelism)), " +
	"T0 = the same command's wall time at latency 0 for the same N, chain = 4 for apply, 2 for plan"

func (b *bench) json() ([]byte, error) {
	rep := report{
		GeneratedAt:     b.when().UTC().Format(time.RFC3339),
		CLI:             b.cliVersion,
		CLIPath:         b.opts.cli,
		ProviderVersion: b.opts.providerVersion,
		Style:           b.opts.style,
		Parallelism:     b.opts.parallelism,
		Ns:              b.opts.ns,
		RateLimits:      b.opts.rates,
		Quota:           quotaSpec(b.opts.quota, b.opts.quotaWindow),
		TimeoutS:        b.opts.timeout.Seconds(),
		GoVersion:       runtime.Version(),
		CPUs:            b.cpus(),
		Floors:          floorsText,
		Goals:           b.goals(),
		Runs:            b.runs,
	}
	if !b.finished.IsZero() {
		rep.DurationS = round3(b.finished.Sub(b.started).Seconds())
	}
	for _, l := range b.opts.latencies {
		rep.Latencies = append(rep.Latencies, latencyLabel(l))
	}
	out, err := json.MarshalIndent(rep, "", "  ")
	return append(out, '\n'), err
}

// throttledTable is the series under a rate limit, if any was run.
func (b *bench) throttledTable() string {
	rs := b.throttled()
	if len(rs) == 0 {
		return ""
	}
	var s strings.Builder
	s.WriteString("\n## Under a rate limit\n\nThe server admits R requests a second for everyone and answers 429 with `Retry-After: 1` beyond; " +
		"latency 0. Floor: the calls the command needs (those not answered 429) ÷ R. API-idle s: the same command, run just before with no limit, " +
		"made no call for that long (stretches of 250 ms or more: the CLI starting, planning a destroy between its two provider processes, writing state; " +
		"bench/idle.go), which a throttled run spends too; the last ratio is the wall time over the floor plus that time. " +
		"A bucket refilled during such a stretch admits up to a second's calls early, so that ratio can fall below 1.\n\n" +
		"| CLI | rate limit /s | N | command | wall s | floor s | ratio | API-idle s | ratio to floor + API-idle | calls | answered 429 | logins | peak MB |\n" +
		"|---|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n")
	for _, r := range rs {
		fmt.Fprintf(&s, "| %s | %d | %d | %s | %.2f | %.2f | %s | %s | %s | %d | %d | %d | %.1f |\n",
			b.cliVersion, r.RateLimit, r.N, r.Command, r.WallS, *r.RateFloorS, orDash2(r.RateRatio), orDash2(r.APIIdleS), orDash2(r.RateIdleRatio),
			r.Calls, r.Throttled, r.Logins, r.PeakMB)
	}
	return s.String()
}

// quotaTable is the series under a quota, if it was run.
func (b *bench) quotaTable() string {
	rs := b.quotaRuns()
	if len(rs) == 0 {
		return ""
	}
	var s strings.Builder
	s.WriteString("\n## Under a quota\n\nThe server admits Q requests per window for everyone (a window starts with the first request after the last one ended; " +
		"each command starts with a new one) and answers 429 beyond, with `Retry-After` up to the window's end; latency 0. " +
		"Floor: the windows the calls the command needs take, ⌈calls ÷ Q⌉ × the window: the time a client spreading its calls at the quota's average rate takes. " +
		"A client that spends each window's quota at once and waits can end the last window early, so a ratio below 1 is possible; " +
		"(⌈calls ÷ Q⌉ − 1) × the window is the bound no client can beat.\n\n" +
		"| CLI | quota | N | command | wall s | floor s | ratio | calls | answered 429 | logins | peak MB |\n" +
		"|---|---|---:|---|---:|---:|---:|---:|---:|---:|---:|\n")
	for _, r := range rs {
		ratio := "-"
		if r.QuotaRatio != nil {
			ratio = fmt.Sprintf("%.2f", *r.QuotaRatio)
		}
		fmt.Fprintf(&s, "| %s | %s | %d | %s | %.2f | %.2f | %s | %d | %d | %d | %.1f |\n",
			b.cliVersion, r.quotaLabel(), r.N, r.Command, r.WallS, *r.QuotaFloorS, ratio, r.Calls, r.Throttled, r.Logins, r.PeakMB)
	}
	return s.String()
}

// markdown is report.md: the table, the goals, and the calls by route.
func (b *bench) markdown() string {
	var s strings.Builder
	s.WriteString("# Provider benchmark\n\n")
	fmt.Fprintf(&s, "%s; provider %s; %d CPUs; parallelism %d; configuration with %s; %s.\n\n",
		b.cliVersion, orDash(b.opts.providerVersion), b.cpus(), b.opts.parallelism, b.opts.style,
		b.when().UTC().Format("2006-01-02 15:04 MST"))
	s.WriteString("N resources = N/3 domains + N/3 operators + N/3 assignments (operator i on domain i). " +
		"Floors: " + floorsText + ". Peak MB is the largest VmHWM (MiB) of the provider processes during the command; CLI peak MB the largest resident set of the CLI and the provider processes it ran (the CLI's own).\n\n")
	if !b.hasLatency0() {
		s.WriteString("**Latency 0 was not run: T0 = 0 in every wall-time floor.**\n\n")
	}
	s.WriteString(b.table())
	s.WriteString(b.baselineTable())
	s.WriteString(b.throttledTable())
	s.WriteString(b.quotaTable())
	var other, wall float64
	for _, r := range b.runs {
		other += r.OtherCPUS
		wall += r.WallS
	}
	if wall > 0 {
		fmt.Fprintf(&s, "\nOther programs on the machine used %.1f CPU s during the %.1f s of measured commands (%.0f%% of the %d CPUs)%s.\n",
			other, wall, 100*other/(wall*float64(b.cpus())), b.cpus(),
			map[bool]string{true: ": **the wall times are inflated by competition for the cores**", false: ""}[other > 0.1*wall*float64(b.cpus())])
	}
	s.WriteString("\nA wall-time ratio below 1 at a latency above 0 means the latency was hidden behind CPU work: the floor adds " +
		"the latency rounds to T0 as if waiting and computing could not overlap, and T0 itself varies by some percent from run to run.\n")
	s.WriteString("\n## Goals\n\n")
	for _, g := range b.goals() {
		fmt.Fprintf(&s, "- %s: **%s**", g.Name, g.Status)
		if g.Detail != "" {
			fmt.Fprintf(&s, " (%s)", g.Detail)
		}
		for _, f := range g.Failures {
			fmt.Fprintf(&s, "\n  - %s", f)
		}
		s.WriteString("\n")
	}
	s.WriteString("\n## Details\n\nProvider alive s: how long provider processes were running during the command (the rest of the wall time " +
		"is the CLI alone); provider CPU s: their CPU time as last polled (a lower bound). CPU s: the CLI's with the provider processes it ran; " +
		"the emulator's; and that of other programs on the machine during the command (competition for the cores, which inflates wall times).\n\n" +
		"| series | N | command | provider processes | provider alive s | provider CPU s | CLI+provider CPU s | emulator CPU s | other CPU s | calls by route |\n|---|---:|---|---:|---:|---:|---:|---:|---:|---|\n")
	for _, r := range b.runs {
		routes := make([]string, 0, len(r.CallsByRoute))
		for route, n := range r.CallsByRoute {
			routes = append(routes, fmt.Sprintf("`%s` %d", route, n))
		}
		slices.Sort(routes)
		fmt.Fprintf(&s, "| %s | %d | %s | %d | %.1f | %.1f | %.1f | %.2f | %.2f | %s |\n", runSeries(r), r.N, r.Command, r.ProviderProcesses,
			r.providerAliveS(), r.ProviderCPUS, r.CLICPUUserS+r.CLICPUSysS, r.EmulatorCPUS, r.OtherCPUS, strings.Join(routes, ", "))
	}
	return s.String()
}

// table is the main Markdown table, also printed at the end of a run.
func (b *bench) table() string {
	var s strings.Builder
	s.WriteString("| CLI | latency | N | command | wall s | floor s | ratio | calls | floor calls | ratio | logins | peak MB | CLI peak MB | CLI+provider CPU s |\n")
	s.WriteString("|---|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n")
	for _, r := range b.unthrottled() {
		floorS, wallRatio, floorCalls, callsRatio := "-", "-", "-", "-"
		if r.FloorWallS != nil {
			floorS = fmt.Sprintf("%.2f", *r.FloorWallS)
		}
		if r.WallRatio != nil {
			wallRatio = fmt.Sprintf("%.2f", *r.WallRatio)
		}
		if r.FloorCalls != nil {
			floorCalls = fmt.Sprint(*r.FloorCalls)
			callsRatio = fmt.Sprintf("%.2f", *r.CallsRatio)
		}
		fmt.Fprintf(&s, "| %s | %s | %d | %s | %.2f | %s | %s | %d | %s | %s | %d | %.1f | %.0f | %.1f |\n",
			b.cliVersion, r.Latency, r.N, r.Command, r.WallS, floorS, wallRatio, r.Calls, floorCalls, callsRatio, r.Logins, r.PeakMB, r.CLIPeakMB, r.CLICPUUserS+r.CLICPUSysS)
	}
	return s.String()
}

// replot rewrites report.md and plot.png in out from a results.json.
func replot(path, out string) error {
	raw, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	var rep report
	if err := json.Unmarshal(raw, &rep); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	b := &bench{cliVersion: rep.CLI, runs: rep.Runs, numCPU: rep.CPUs, opts: options{
		ns: rep.Ns, rates: rep.RateLimits, parallelism: rep.Parallelism, style: rep.Style, providerVersion: rep.ProviderVersion, cli: rep.CLIPath,
	}}
	if t, err := time.Parse(time.RFC3339, rep.GeneratedAt); err == nil {
		b.finished = t
	}
	if b.opts.quota, b.opts.quotaWindow, err = parseQuota(rep.Quota); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	for _, l := range rep.Latencies {
		d, err := time.ParseDuration(l)
		if err != nil {
			return fmt.Errorf("%s: latency %q: %w", path, l, err)
		}
		b.opts.latencies = append(b.opts.latencies, d)
	}
	if len(b.opts.ns) == 0 || len(b.opts.latencies) == 0 {
		return fmt.Errorf("%s has no runs to plot", path)
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(out, "report.md"), []byte(b.markdown()), 0o644); err != nil {
		return err
	}
	return b.plot(filepath.Join(out, "plot.png"))
}

// quotaSpec is a quota as the -quota flag writes it ("100/30s"), or "".
func quotaSpec(quota int, window time.Duration) string {
	if quota == 0 {
		return ""
	}
	return fmt.Sprintf("%d/%s", quota, window)
}

func (b *bench) cpus() int {
	if b.numCPU > 0 {
		return b.numCPU
	}
	return runtime.NumCPU()
}

// when is when the benchmark finished (or now, for a partial one).
func (b *bench) when() time.Time {
	if b.finished.IsZero() {
		return time.Now()
	}
	return b.finished
}

// providerAliveS is the time during which provider processes were seen
// running (they run one after another).
func (r Run) providerAliveS() float64 {
	var t float64
	for _, p := range r.Providers {
		t += p.LastSeenS - p.FirstSeenS
	}
	return t
}

// orDash2 is *x with two decimals, or "-" when nil.
func orDash2(x *float64) string {
	if x == nil {
		return "-"
	}
	return fmt.Sprintf("%.2f", *x)
}
