package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
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

// startEmulator starts the emulator on a free loopback port and waits until
// it answers. A port taken between the probe and the start is retried.
// A rate above 0 makes it admit that many requests a second, answering 429
// with Retry-After beyond.
func startEmulator(ctx context.Context, bin string, latency time.Duration, rate int, logPath string) (*emulatorProc, error) {
	var lastErr error
	for range 3 {
		port, err := freePort()
		if err != nil {
			return nil, err
		}
		e, err := startEmulatorOn(ctx, bin, latency, rate, port, logPath)
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

func startEmulatorOn(ctx context.Context, bin string, latency time.Duration, rate, port int, logPath string) (*emulatorProc, error) {
	logFile, err := os.Create(logPath)
	if err != nil {
		return nil, err
	}
	defer logFile.Close() // the child has its own descriptor
	addr := "127.0.0.1:" + strconv.Itoa(port)
	cmd := exec.Command(bin, "-addr", addr, "-latency", latency.String(), "-rate-limit", strconv.Itoa(rate), "-quiet")
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
			logf("emulator with latency %s and rate limit %d/s (0: none) on %s", latencyLabel(latency), rate, e.base)
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

func (e *emulatorProc) call(ctx context.Context, method, path string, into any) error {
	if !e.alive() {
		return fmt.Errorf("%w (exit: %v): %s", errEmulatorDied, e.waitErr, readSmall(e.logPath))
	}
	req, err := http.NewRequestWithContext(ctx, method, e.base+path, nil)
	if err != nil {
		return err
	}
	resp, err := e.client.Do(req)
	if err != nil {
		return fmt.Errorf("emulator %s %s: %w", method, path, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return fmt.Errorf("emulator %s %s: %w", method, path, err)
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("emulator %s %s: HTTP %d: %s", method, path, resp.StatusCode, body)
	}
	if into != nil {
		if err := json.Unmarshal(body, into); err != nil {
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
