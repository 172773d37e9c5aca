package main

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"time"
)

// clockTicks is USER_HZ, the unit of utime and stime in /proc/PID/stat: 100
// on every Linux architecture Go supports.
const clockTicks = 100

// procSample is what was last seen of one provider process.
type procSample struct {
	PID       int   `json:"pid"`
	VmHWMKB   int64 `json:"vm_hwm_kb"` // the largest VmHWM seen
	CPUTicks  int64 `json:"-"`         // utime+stime at the last look
	startTick string
	FirstSeen time.Duration `json:"-"` // since the monitor started
	LastSeen  time.Duration `json:"-"`
}

// memResult is the provider processes seen during one command.
type memResult struct {
	procs     []procSample // in order of appearance
	leftovers int          // provider processes still alive when the monitor stopped (killed)
	scans     int
}

func (m memResult) peakKB() int64 {
	var p int64
	for _, s := range m.procs {
		p = max(p, s.VmHWMKB)
	}
	return p
}

// cpuSeconds is the provider processes' CPU time, as last seen (a lower
// bound: the last ~20 ms of each process can be missed).
func (m memResult) cpuSeconds() float64 {
	var t int64
	for _, s := range m.procs {
		t += s.CPUTicks
	}
	return float64(t) / clockTicks
}

// procMonitor polls /proc for processes running the provider binary and
// keeps the largest VmHWM of each. Terraform starts one provider process per
// graph walk, so several appear one after another during a command. Once
// the CLI's PID is known it only looks at the CLI's descendants (through
// /proc/PID/task/TID/children), which is much cheaper than reading all of
// /proc every 20 ms on a small machine; without that file it scans /proc.
type procMonitor struct {
	target string
	root   atomic.Int64 // the CLI's PID, 0 until it has started
	quit   chan struct{}
	done   chan memResult
}

func startProcMonitor(binary string, every time.Duration) *procMonitor {
	target := binary
	if r, err := filepath.EvalSymlinks(binary); err == nil {
		target = r
	}
	m := &procMonitor{target: target, quit: make(chan struct{}), done: make(chan memResult, 1)}
	go m.loop(every)
	return m
}

// watch sets the process whose descendants are watched.
func (m *procMonitor) watch(pid int) { m.root.Store(int64(pid)) }

// stop ends the polling after one last look, kills any provider process
// still running, and returns what was seen.
func (m *procMonitor) stop() memResult {
	close(m.quit)
	return <-m.done
}

func (m *procMonitor) loop(every time.Duration) {
	start := time.Now()
	byKey := map[string]*procSample{}
	var order []string
	var scans int
	look := func() []int {
		root := int(m.root.Load())
		if root == 0 {
			return nil // no CLI yet, so no provider either
		}
		scans++
		var alive []int
		for _, pid := range descendantsRunning(root, m.target) {
			hwm, ok := readVmHWM(pid)
			if !ok {
				continue // exited meanwhile
			}
			startTick, cpu, ok := readStat(pid)
			if !ok {
				continue
			}
			alive = append(alive, pid)
			key := strconv.Itoa(pid) + "/" + startTick
			s := byKey[key]
			if s == nil {
				s = &procSample{PID: pid, startTick: startTick, FirstSeen: time.Since(start)}
				byKey[key] = s
				order = append(order, key)
			}
			s.VmHWMKB = max(s.VmHWMKB, hwm)
			s.CPUTicks = max(s.CPUTicks, cpu)
			s.LastSeen = time.Since(start)
		}
		return alive
	}
	t := time.NewTicker(every)
	defer t.Stop()
	look()
	for {
		select {
		case <-t.C:
			look()
		case <-m.quit:
			alive := look()
			for _, pid := range alive {
				_ = syscall.Kill(pid, syscall.SIGKILL)
			}
			res := memResult{leftovers: len(alive), scans: scans}
			for _, k := range order {
				res.procs = append(res.procs, *byKey[k])
			}
			m.done <- res
			return
		}
	}
}

// descendantsRunning lists root's descendants (to a depth of 3) whose
// executable is target, or every such process on the machine when the
// kernel has no /proc/PID/task/TID/children.
func descendantsRunning(root int, target string) []int {
	var found []int
	level := []int{root}
	for depth := 0; depth < 3 && len(level) > 0; depth++ {
		var next []int
		for _, pid := range level {
			kids, ok := childrenOf(pid)
			if !ok && pid == root {
				if _, err := os.Stat("/proc/" + strconv.Itoa(root)); err == nil {
					return providerPIDs(target) // no children files: scan all
				}
				return nil // the CLI has exited
			}
			for _, k := range kids {
				if isTarget(k, target) {
					found = append(found, k)
				} else {
					next = append(next, k)
				}
			}
		}
		level = next
	}
	return found
}

// childrenOf reads the children of every thread of pid; ok is false when
// the process or the children files are not there.
func childrenOf(pid int) (kids []int, ok bool) {
	dir := "/proc/" + strconv.Itoa(pid) + "/task"
	tasks, err := os.ReadDir(dir)
	if err != nil {
		return nil, false
	}
	for _, t := range tasks {
		b, err := os.ReadFile(dir + "/" + t.Name() + "/children")
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) && t.Name() == strconv.Itoa(pid) {
				if _, serr := os.Stat(dir + "/" + t.Name()); serr == nil {
					return nil, false // the kernel has no children files
				}
			}
			continue // the thread has exited
		}
		ok = true
		for f := range strings.FieldsSeq(string(b)) {
			if k, err := strconv.Atoi(f); err == nil {
				kids = append(kids, k)
			}
		}
	}
	return kids, ok
}

// providerPIDs lists the processes whose executable is target.
func providerPIDs(target string) []int {
	entries, err := os.ReadDir("/proc")
	if err != nil {
		return nil
	}
	self := os.Getpid()
	var pids []int
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil || pid == self {
			continue
		}
		if isTarget(pid, target) {
			pids = append(pids, pid)
		}
	}
	return pids
}

func isTarget(pid int, target string) bool {
	dir := "/proc/" + strconv.Itoa(pid)
	if exe, err := os.Readlink(dir + "/exe"); err == nil {
		return strings.TrimSuffix(exe, " (deleted)") == target
	}
	// No access to exe (another user's process, or a zombie): argv[0].
	cmdline, err := os.ReadFile(dir + "/cmdline")
	if err != nil {
		return false
	}
	argv0, _, _ := bytes.Cut(cmdline, []byte{0})
	return string(argv0) == target
}

// readVmHWM is the "VmHWM: N kB" line of /proc/PID/status.
func readVmHWM(pid int) (int64, bool) {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		return 0, false
	}
	for line := range strings.SplitSeq(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			n, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return n, err == nil
		}
	}
	return 0, false // a zombie has no memory lines
}

// readStat is a process's start time (to tell a reused PID apart) and its
// utime+stime in clock ticks, from /proc/PID/stat.
func readStat(pid int) (startTick string, cpuTicks int64, ok bool) {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return "", 0, false
	}
	// The command name, field 2, is in parentheses and may hold spaces.
	i := bytes.LastIndexByte(b, ')')
	if i < 0 {
		return "", 0, false
	}
	f := strings.Fields(string(b[i+1:])) // f[0] is field 3
	if len(f) < 20 {
		return "", 0, false
	}
	utime, err1 := strconv.ParseInt(f[14-3], 10, 64)
	stime, err2 := strconv.ParseInt(f[15-3], 10, 64)
	if err1 != nil || err2 != nil {
		return "", 0, false
	}
	return f[22-3], utime + stime, true
}

// killProviders kills every process running the provider binary and says
// how many there were.
func killProviders(binary string) int {
	target := binary
	if r, err := filepath.EvalSymlinks(binary); err == nil {
		target = r
	}
	pids := providerPIDs(target)
	for _, pid := range pids {
		_ = syscall.Kill(pid, syscall.SIGKILL)
	}
	return len(pids)
}

// cpuClock is a reading of the machine's busy CPU time, the emulator's and
// this process's, to tell how much CPU other programs took during a command.
type cpuClock struct {
	systemBusy int64 // ticks: user+nice+system+irq+softirq+steal over all CPUs
	emulator   int64 // ticks
	self       time.Duration
}

func readCPUClock(emulatorPID int) cpuClock {
	var c cpuClock
	if b, err := os.ReadFile("/proc/stat"); err == nil {
		line, _, _ := strings.Cut(string(b), "\n")
		f := strings.Fields(line)
		if len(f) >= 9 && f[0] == "cpu" {
			for _, i := range []int{1, 2, 3, 6, 7, 8} {
				n, _ := strconv.ParseInt(f[i], 10, 64)
				c.systemBusy += n
			}
		}
	}
	if _, t, ok := readStat(emulatorPID); ok {
		c.emulator = t
	}
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) == nil {
		c.self = time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	}
	return c
}
