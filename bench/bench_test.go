package main

import (
	"slices"
	"strings"
	"testing"
	"time"
)

func TestParseLists(t *testing.T) {
	ns, err := parseNs("1000, 50,200,50")
	if err != nil || !slices.Equal(ns, []int{50, 200, 1000}) {
		t.Fatalf("parseNs = %v, %v", ns, err)
	}
	for _, bad := range []string{"", "2", "x", "50,,200"} {
		if _, err := parseNs(bad); err == nil {
			t.Errorf("parseNs(%q) accepted", bad)
		}
	}
	ls, err := parseLatencies("50ms,0")
	if err != nil || !slices.Equal(ls, []time.Duration{0, 50 * time.Millisecond}) {
		t.Fatalf("parseLatencies = %v, %v", ls, err)
	}
	for _, bad := range []string{"50", "-1ms", ""} {
		if _, err := parseLatencies(bad); err == nil {
			t.Errorf("parseLatencies(%q) accepted", bad)
		}
	}
}

func TestFloors(t *testing.T) {
	f := fleetFor(1000)
	if f.Domains != 333 || f.Resources() != 999 {
		t.Fatalf("fleetFor(1000) = %+v", f)
	}
	if c, _ := f.floorCalls("apply"); c != 1333 {
		t.Errorf("apply floor %d, want 1333", c)
	}
	if c, _ := f.floorCalls("plan"); c != 667 {
		t.Errorf("plan floor %d, want 667", c)
	}
	if _, ok := f.floorCalls("destroy"); ok {
		t.Error("destroy has a floor")
	}
	// 1 + ceil(1332/10) = 135 rounds; small fleets are bound by the chain.
	if got := latencyRounds(1333, applyChain, 10); got != 135 {
		t.Errorf("rounds = %d, want 135", got)
	}
	if got := latencyRounds(9, applyChain, 10); got != 4 {
		t.Errorf("rounds = %d, want the chain 4", got)
	}

	b := &bench{opts: options{latencies: []time.Duration{0, 50 * time.Millisecond}, parallelism: 10}}
	res := cliResult{wall: 10 * time.Second}
	b.runs = append(b.runs, newRun(0, f, "apply", 10, res, memResult{}, stats{Requests: map[string]int{"x": 1333}, Logins: 1}))
	res.wall = 20 * time.Second
	b.runs = append(b.runs, newRun(50*time.Millisecond, f, "apply", 10, res, memResult{}, stats{Requests: map[string]int{"x": 1333}, Logins: 1}))
	b.applyFloors()
	if r := b.runs[0]; *r.FloorWallS != 10 || *r.WallRatio != 1 {
		t.Errorf("latency 0: floor %v ratio %v", *r.FloorWallS, *r.WallRatio)
	}
	if r := b.runs[1]; *r.FloorWallS != 10+0.05*135 {
		t.Errorf("latency 50ms: floor %v, want %v", *r.FloorWallS, 10+0.05*135)
	}
	gs := b.goals()
	if gs[0].Status != "met" || gs[1].Status != "NOT met" || gs[2].Status != "met" {
		t.Errorf("goals = %+v", gs)
	}
}

func TestRateOptions(t *testing.T) {
	rs, err := parseRates("20, 2,5,2")
	if err != nil || !slices.Equal(rs, []int{2, 5, 20}) {
		t.Fatalf("parseRates = %v, %v", rs, err)
	}
	if rs, err := parseRates(""); err != nil || rs != nil {
		t.Fatalf("parseRates(\"\") = %v, %v", rs, err)
	}
	for _, bad := range []string{"0", "x", "2,,5", "1.5"} {
		if _, err := parseRates(bad); err == nil {
			t.Errorf("parseRates(%q) accepted", bad)
		}
	}
	if n := (options{}).nForRate(5); n != 300 {
		t.Errorf("nForRate(5) = %d, want 300", n)
	}
	if n := (options{}).nForRate(20); n != 1000 {
		t.Errorf("nForRate(20) = %d, want the cap 1000", n)
	}
	if n := (options{rateN: 12}).nForRate(5); n != 12 {
		t.Errorf("nForRate with -rate-n 12 = %d", n)
	}
}

func TestRateFloors(t *testing.T) {
	// 201 calls needed and 40 answered 429, at 5 a second: the floor is
	// 40.2 s; 44 s is within the goal, 50 s is not.
	f := fleetFor(150)
	b := &bench{opts: options{latencies: []time.Duration{0}, rates: []int{5}, parallelism: 10}}
	for _, wall := range []time.Duration{44 * time.Second, 50 * time.Second} {
		r := newRun(0, f, "apply", 10, cliResult{wall: wall}, memResult{}, stats{Requests: map[string]int{"x": 241}, Throttled: 40, Logins: 1})
		r.setRateLimit(5)
		b.runs = append(b.runs, r)
	}
	b.applyFloors()
	if r := b.runs[0]; *r.RateFloorS != 40.2 || r.FloorWallS != nil || r.FloorCalls != nil {
		t.Errorf("rate floor %v, latency floor %v, floor calls %v", *r.RateFloorS, r.FloorWallS, r.FloorCalls)
	}
	gs := b.goals()
	last := goalNamed(t, gs, "under a rate limit")
	if last.Status != "NOT met" || len(last.Failures) != 1 || !strings.Contains(last.Failures[0], "50.00 s") {
		t.Errorf("rate goal = %+v", last)
	}
	// The throttled runs count in no other goal.
	if gs[0].Status != "not measured" || gs[2].Status != "not measured" {
		t.Errorf("goals = %+v", gs)
	}
	if md := b.markdown(); !strings.Contains(md, "## Under a rate limit") || !strings.Contains(md, "| 5 | 150 | apply |") {
		t.Errorf("report:\n%s", md)
	}

	// With the same command's 6 s of API-idle time, 50 s is within 1.1 ×
	// (40.2 s + 6 s); with 2 s it is not.
	for _, idle := range []float64{6, 2} {
		b.runs[1].setAPIIdle(idle)
		g := goalNamed(t, b.goals(), "under a rate limit, wall ≤ 1.1 × (calls needed ÷ rate + the same command's API-idle")
		if want := map[float64]string{6: "met", 2: "NOT met"}[idle]; g.Status != want {
			t.Errorf("with %v s API-idle: %+v, want %s", idle, g, want)
		}
	}
	if md := b.markdown(); !strings.Contains(md, "| 50.00 | 40.20 | 1.24 | 2.00 | 1.18 |") {
		t.Errorf("report without the API-idle columns:\n%s", md)
	}
}

func goalNamed(t *testing.T, gs []goal, prefix string) goal {
	t.Helper()
	for _, g := range gs {
		if strings.HasPrefix(g.Name, prefix) {
			return g
		}
	}
	t.Fatalf("no goal %q in %+v", prefix, gs)
	return goal{}
}

func TestBaselineComparison(t *testing.T) {
	f := fleetFor(300)
	b := &bench{opts: options{latencies: []time.Duration{0}, parallelism: 10}}
	add := func(subject, command string, cpu, peakMB float64) {
		calls := map[string]int{}
		if fc, ok := f.floorCalls(command); ok && subject == subjectChatwhizz {
			calls["x"] = fc
		}
		r := newRun(0, f, command, 10, cliResult{wall: time.Second, user: time.Second}, memResult{}, stats{Requests: calls, Logins: 1})
		r.setSubject(subject)
		r.ProviderCPUS, r.PeakMB = cpu, peakMB
		b.runs = append(b.runs, r)
	}
	add(subjectChatwhizz, "apply", 2.0, 40)
	add(subjectFloor, "apply", 2.5, 41)
	add(subjectData, "apply", 0, 0)
	add(subjectChatwhizz, "plan", 1.2, 50)
	add(subjectFloor, "plan", 1.0, 45)
	cs := b.comparisons()
	if len(cs) != 2 || cs[0].floor == nil || cs[0].data == nil || cs[1].data != nil {
		t.Fatalf("comparisons = %+v", cs)
	}
	g := goalNamed(t, b.goals(), "provider CPU at the largest N")
	if g.Status != "NOT met" || len(g.Failures) != 1 || !strings.Contains(g.Failures[0], "plan N=300: provider CPU 1.20 s, benchfloor 1.00 s (1.20×)") {
		t.Errorf("floor goal = %+v", g)
	}
	// The baselines count in none of the provider's own goals.
	if calls := goalNamed(t, b.goals(), "calls = floor"); calls.Status != "met" {
		t.Errorf("calls goal = %+v", calls)
	}
	if md := b.markdown(); !strings.Contains(md, "## Beside the framework's floor") || !strings.Contains(md, "| 300 | apply | 2.00 | 2.50 | 0.80 |") {
		t.Errorf("report:\n%s", md)
	}
}

// TestMemoryGoals: the provider's peak at the largest N is judged against
// the bound, and against its peak at N = 200, per command and latency.
func TestMemoryGoals(t *testing.T) {
	b := &bench{opts: options{latencies: []time.Duration{0}, parallelism: 10}}
	add := func(n int, command string, peakMB float64) {
		r := newRun(0, fleetFor(n), command, 10, cliResult{wall: time.Second}, memResult{}, stats{Requests: map[string]int{}, Logins: 1})
		r.setSubject(subjectChatwhizz)
		r.PeakMB = peakMB
		b.runs = append(b.runs, r)
	}
	add(200, "apply", 30)
	add(1000, "apply", 35)
	add(200, "plan", 30)
	add(1000, "plan", 45)
	peak := goalNamed(t, b.goals(), "provider peak memory at the largest N")
	if peak.Status != "NOT met" || len(peak.Failures) != 1 || !strings.Contains(peak.Failures[0], "plan N=1000 at 0ms: provider peak 45.0 MB") {
		t.Errorf("peak goal = %+v", peak)
	}
	flat := goalNamed(t, b.goals(), "provider peak memory flat")
	if flat.Status != "NOT met" || len(flat.Failures) != 1 || !strings.Contains(flat.Failures[0], "(1.50×)") {
		t.Errorf("flat goal = %+v", flat)
	}
}

// TestQuotaSeries: under a quota of 100 per 30 s, 201 calls needed take 3
// windows, a 90 s floor: 95 s is within the goal, 100 s is not.
func TestQuotaSeries(t *testing.T) {
	if q, w, err := parseQuota("100/30s"); q != 100 || w != 30*time.Second || err != nil {
		t.Fatalf("parseQuota(100/30s) = %d, %v, %v", q, w, err)
	}
	if q, _, err := parseQuota(""); q != 0 || err != nil {
		t.Fatalf("parseQuota(\"\") = %d, %v", q, err)
	}
	for _, bad := range []string{"100", "0/30s", "100/0s", "x/30s", "100/30"} {
		if _, _, err := parseQuota(bad); err == nil {
			t.Errorf("parseQuota(%q) accepted", bad)
		}
	}
	b := &bench{opts: options{latencies: []time.Duration{0}, quota: 100, quotaWindow: 30 * time.Second, parallelism: 10}}
	for _, wall := range []time.Duration{95 * time.Second, 100 * time.Second} {
		r := newRun(0, fleetFor(150), "apply", 10, cliResult{wall: wall}, memResult{}, stats{Requests: map[string]int{"x": 241}, Throttled: 40, Logins: 1})
		r.setQuota(100, 30*time.Second)
		b.runs = append(b.runs, r)
	}
	b.applyFloors()
	if r := b.runs[0]; *r.QuotaFloorS != 90 || r.FloorWallS != nil || r.FloorCalls != nil {
		t.Errorf("quota floor %v, latency floor %v, floor calls %v", *r.QuotaFloorS, r.FloorWallS, r.FloorCalls)
	}
	g := goalNamed(t, b.goals(), "under a quota")
	if g.Status != "NOT met" || len(g.Failures) != 1 || !strings.Contains(g.Failures[0], "100.00 s, floor 90.00 s (1.11×)") {
		t.Errorf("quota goal = %+v", g)
	}
	// The quota's runs count in no other goal.
	if gs := b.goals(); gs[0].Status != "not measured" || goalNamed(t, gs, "under a rate limit").Status != "not measured" {
		t.Errorf("goals = %+v", gs)
	}
	if md := b.markdown(); !strings.Contains(md, "## Under a quota") || !strings.Contains(md, "| 100 per 30s | 150 | apply | 95.00 | 90.00 | 1.06 |") {
		t.Errorf("report:\n%s", md)
	}
}

func TestConfig(t *testing.T) {
	f := fleetFor(6)
	for _, style := range []string{"count", "blocks"} {
		c := f.config(style)
		for _, want := range []string{`source = "chatwhizz/chatwhizz"`, `addon_unique_name = "live_chat"`, "owner@example.com"} {
			if !strings.Contains(c, want) {
				t.Errorf("%s config lacks %q:\n%s", style, want, c)
			}
		}
	}
	m := f.files("modules")
	if !strings.Contains(m["main.tf"], "count  = 2") || !strings.Contains(m["main.tf"], `source = "./site"`) ||
		!strings.Contains(m["site/main.tf"], "chatwhizz_domain.this.name") {
		t.Errorf("modules config: %v", m)
	}
	if c := f.config("blocks"); !strings.Contains(c, `"bench-1.example.com"`) || !strings.Contains(c, `"op1@example.com"`) ||
		!strings.Contains(c, "chatwhizz_domain.d1.name") || strings.Contains(c, "d2") {
		t.Errorf("blocks config:\n%s", c)
	}
}
