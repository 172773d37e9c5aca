package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"time"
)

// cliResult is one CLI command's outcome.
type cliResult struct {
	exitCode  int
	wall      time.Duration
	user, sys time.Duration // the CLI's CPU time, with that of the provider processes it waited for
	// maxRSSKB is the largest resident set of the CLI and the provider
	// processes it waited for (in practice the CLI's own: it is the largest).
	maxRSSKB  int64
	leftovers bool // processes of its group were still there after it exited
}

// runCLI runs the CLI in dir, in its own process group, with its output in
// logPath, calling started with its PID. On timeout or cancellation the whole group gets SIGTERM, then
// SIGKILL 10s later; processes of the group that outlive the CLI are killed.
func runCLI(ctx context.Context, cli, dir string, env []string, timeout time.Duration, logPath string, started func(pid int), args ...string) (cliResult, error) {
	var res cliResult
	logFile, err := os.Create(logPath)
	if err != nil {
		return res, err
	}
	defer logFile.Close()
	cmd := exec.Command(cli, args...)
	cmd.Dir = dir
	cmd.Env = env
	cmd.Stdout, cmd.Stderr = logFile, logFile
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}

	start := time.Now()
	if err := cmd.Start(); err != nil {
		return res, fmt.Errorf("starting %s: %w", cli, err)
	}
	pgid := cmd.Process.Pid
	if started != nil {
		started(pgid)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()

	timer := time.NewTimer(timeout)
	defer timer.Stop()
	var waitErr, stopReason error
	select {
	case waitErr = <-done:
	case <-timer.C:
		stopReason = fmt.Errorf("timed out after %s (see -timeout)", timeout)
	case <-ctx.Done():
		stopReason = ctx.Err()
	}
	if stopReason != nil {
		stopGroup(pgid, done)
		return res, stopReason
	}
	res.wall = time.Since(start)
	if syscall.Kill(-pgid, 0) == nil {
		res.leftovers = true
		_ = syscall.Kill(-pgid, syscall.SIGKILL)
	}
	var exitErr *exec.ExitError
	if waitErr != nil && !errors.As(waitErr, &exitErr) {
		return res, fmt.Errorf("running %s: %w", cli, waitErr)
	}
	res.exitCode = cmd.ProcessState.ExitCode()
	if res.exitCode < 0 {
		return res, fmt.Errorf("%s was killed by a signal: %s", cli, cmd.ProcessState)
	}
	res.user, res.sys = cmd.ProcessState.UserTime(), cmd.ProcessState.SystemTime()
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		res.maxRSSKB = ru.Maxrss // kB on Linux
	}
	return res, nil
}

// stopGroup stops a CLI's process group: SIGTERM, then SIGKILL if the CLI
// has not exited within 10 seconds, and SIGKILL for whatever it left.
func stopGroup(pgid int, done <-chan error) {
	_ = syscall.Kill(-pgid, syscall.SIGTERM)
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		_ = syscall.Kill(-pgid, syscall.SIGKILL)
		<-done
	}
	_ = syscall.Kill(-pgid, syscall.SIGKILL)
}

// cliVersion is the first line of `CLI version`, e.g. "Terraform v1.11.4".
func cliVersion(ctx context.Context, cli string) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, cli, "version")
	cmd.Env = append(os.Environ(), "CHECKPOINT_DISABLE=1", "TF_CLI_CONFIG_FILE=/dev/null")
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("%s version: %w", cli, err)
	}
	line, _, _ := strings.Cut(strings.TrimSpace(string(out)), "\n")
	if line == "" {
		return "", fmt.Errorf("%s version printed nothing", cli)
	}
	return line, nil
}
