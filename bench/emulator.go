package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// emulatorProc is a running chatwhizz-emulator, in its own process group.
type emulatorProc struct {
	cmd     *exec.Cmd
	base    string // http://127.0.0.1:PORT/
	logPath string
	exited  chan struct{} // closed when the process has been waited for
	waitErr error
	client  *http.Client
}

// stats is the emulator's GET /_emulator/stats.
type stats struct {
	Requests      map[string]int `json:"requests"`
	Logins        int            `json:"logins"`
	Regenerations int            `json:"regenerations"`
	Validations   int            `json:"validations"`
	Throttled     int            `json:"throttled"`
	Injected503   int            `json:"injected_503"`
}

// total is the count of admin/ requests received.
func (s stats) total() int {
	n := 0
	for _, c := range s.Requests {
		n += c
	}
	return n
}

// since is what was counted between s and a later reading.
func (s stats) since(later stats) stats {
	d := stats{
		Requests:      map[string]int{},
		Logins:        later.Logins - s.Logins,
		Regenerations: later.Regenerations - s.Regenerations,
		Validations:   later.Validations - s.Validations,
		Throttled:     later.Throttled - s.Throttled,
		Injected503:   later.Injected503 - s.Injected503,
	}
	for route, n := range later.Requests {
		if n -= s.Requests[route]; n != 0 {
			d.Requests[route] = n
		}
	}
	return d
}

// emulatorKnobs are the emulator's flags the benchmark sets.
type emulatorKnobs struct {
	latency time.Duration
	// rate above 0 makes it admit that many requests a second, answering
	// 429 with Retry-After: 1 beyond.
	rate int
	// quota above 0 makes it admit that many requests per quotaWindow,
	// answering 429 with Retry-After up to the window's end beyond.
	quota       int
	quotaWindow time.Duration
}

func (k emulatorKnobs) args() []string {
	args := []string{"-latency", k.latency.String(), "-rate-limit", strconv.Itoa(k.rate)}
	if k.quota > 0 {
		args = append(args, "-quota", strconv.Itoa(k.quota), "-quota-window", k.quotaWindow.String())
	}
	return args
}

// startEmulator starts the emulator on a free loopback port and waits until
// it answers. A port taken between the probe and the start is retried.
func startEmulator(ctx context.Context, bin string, k emulatorKnobs, logPath string) (*emulatorProc, error) {
	var lastErr error
	for range 3 {
		port, err := freePort()
		if err != nil {
			return nil, err
		}
		e, err := startEmulatorOn(ctx, bin, k, port, logPath)
		if err == nil {
			return e, nil
		}
		lastErr = err
		if !strings.Contains(err.Error(), "already in use") {
			break
		}
	}
	return nil, lastErr
}

func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("finding a free loopback port: %w", err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

func startEmulatorOn(ctx context.Context, bin string, k emulatorKnobs, port int, logPath string) (*emulatorProc, error) {
	logFile, err := os.Create(logPath)
	if err != nil {
		return nil, err
	}
	defer logFile.Close() // the child has its own descriptor
	addr := "127.0.0.1:" + strconv.Itoa(port)
	cmd := exec.Command(bin, append(append([]string{"-addr", addr}, k.args()...), "-quiet")...)
	cmd.Stdout, cmd.Stderr = logFile, logFile
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("starting the emulator %s: %w", bin, err)
	}
	e := &emulatorProc{
		cmd:     cmd,
		base:    "http://" + addr + "/",
		logPath: logPath,
		exited:  make(chan struct{}),
		client:  &http.Client{Timeout: 30 * time.Second},
	}
	go func() {
		e.waitErr = cmd.Wait()
		close(e.exited)
	}()

	deadline := time.Now().Add(15 * time.Second)
	for {
		if _, err := e.stats(ctx); err == nil {
			logf("emulator with latency %s, rate limit %d/s (0: none) and quota %s on %s", latencyLabel(k.latency), k.rate, quotaLabel(k.quota, k.quotaWindow), e.base)
			return e, nil
		}
		select {
		case <-e.exited:
			return nil, fmt.Errorf("the emulator exited at start (%v): %s", e.waitErr, readSmall(logPath))
		case <-ctx.Done():
			_ = e.stop()
			return nil, ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			_ = e.stop()
			return nil, fmt.Errorf("the emulator did not answer on %s within 15s: %s", e.base, readSmall(logPath))
		}
	}
}

func (e *emulatorProc) pid() int { return e.cmd.Process.Pid }

func (e *emulatorProc) alive() bool {
	select {
	case <-e.exited:
		return false
	default:
		return true
	}
}

func (e *emulatorProc) stats(ctx context.Context) (stats, error) {
	var s stats
	err := e.call(ctx, http.MethodGet, "_emulator/stats", &s)
	if s.Requests == nil {
		s.Requests = map[string]int{}
	}
	return s, err
}

func (e *emulatorProc) reset(ctx context.Context) error {
	return e.call(ctx, http.MethodPost, "_emulator/reset", nil)
}

// restartQuota starts a new quota window (new knobs do), so that a command
// does not inherit what the one before left of the window.
func (e *emulatorProc) restartQuota(ctx context.Context) error {
	return e.putKnobs(ctx, nil)
}

// putKnobs puts the emulator's knobs again with the values of change (by
// their wire names) and the others as they are. New knobs start a new quota
// window and a full token bucket.
func (e *emulatorProc) putKnobs(ctx context.Context, change map[string]any) error {
	var knobs map[string]any
	if err := e.call(ctx, http.MethodGet, "_emulator/knobs", &knobs); err != nil {
		return err
	}
	maps.Copy(knobs, change)
	body, err := json.Marshal(knobs)
	if err != nil {
		return err
	}
	return e.send(ctx, http.MethodPut, "_emulator/knobs", body, nil)
}

func (e *emulatorProc) call(ctx context.Context, method, path string, into any) error {
	return e.send(ctx, method, path, nil, into)
}

// send sends body (JSON, or nothing when nil) to one of the emulator's
// control routes and decodes the answer into into (unless nil).
func (e *emulatorProc) send(ctx context.Context, method, path string, body []byte, into any) error {
	if !e.alive() {
		return fmt.Errorf("%w (exit: %v): %s", errEmulatorDied, e.waitErr, readSmall(e.logPath))
	}
	var reader io.Reader
	if body != nil {
		reader = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, e.base+path, reader)
	if err != nil {
		return err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := e.client.Do(req)
	if err != nil {
		return fmt.Errorf("emulator %s %s: %w", method, path, err)
	}
	defer resp.Body.Close()
	answer, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return fmt.Errorf("emulator %s %s: %w", method, path, err)
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("emulator %s %s: HTTP %d: %s", method, path, resp.StatusCode, answer)
	}
	if into != nil {
		if err := json.Unmarshal(answer, into); err != nil {
			return fmt.Errorf("emulator %s %s: %w", method, path, err)
		}
	}
	return nil
}

// stop ends the emulator's process group: SIGTERM, then SIGKILL after 5s.
func (e *emulatorProc) stop() error {
	if e == nil || e.cmd.Process == nil {
		return nil
	}
	pgid := e.cmd.Process.Pid
	_ = syscall.Kill(-pgid, syscall.SIGTERM)
	select {
	case <-e.exited:
	case <-time.After(5 * time.Second):
		_ = syscall.Kill(-pgid, syscall.SIGKILL)
		<-e.exited
	}
	_ = syscall.Kill(-pgid, syscall.SIGKILL) // anything left in its group
	return nil
}

// readSmall is a log file's content, shortened, for an error message.
func readSmall(path string) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return "(no log: " + err.Error() + ")"
	}
	s := strings.TrimSpace(string(b))
	if len(s) > 2000 {
		s = "..." + s[len(s)-2000:]
	}
	if s == "" {
		return "(empty log)"
	}
	return s
}
