package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/kestra-go/kestra-go/api"
	"github.com/kestra-go/kestra-go/kestratest"
)

// The binary users install carries no test double.
func TestNoKestratestInBinary(t *testing.T) {
	t.Parallel()
	out, err := exec.Command("go", "list", "-deps", "github.com/kestra-go/kestra-go/cmd/kestra-go").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	deps := string(out)
	if !strings.Contains(deps, "github.com/kestra-go/kestra-go/facade\n") {
		t.Fatalf("go list -deps does not list facade:\n%s", deps)
	}
	for _, banned := range []string{"github.com/kestra-go/kestra-go/kestratest", "github.com/getkin/kin-openapi", "github.com/flosch/pongo2"} {
		if strings.Contains(deps, banned) {
			t.Errorf("the binary depends on %s", banned)
		}
	}
}

// binaryRun starts the built program with args and returns it running.
func binaryRun(t *testing.T, args ...string) (*exec.Cmd, *bytes.Buffer, *bytes.Buffer) {
	t.Helper()
	cmd := exec.Command(binary(t), args...)
	cmd.Env = []string{"PATH=/usr/bin:/bin"} // no KESTRA_* from the test's environment
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill() })
	return cmd, &stdout, &stderr
}

func exitCodeOf(t *testing.T, err error) int {
	t.Helper()
	var ee *exec.ExitError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &ee):
		return ee.ExitCode()
	}
	t.Fatalf("program did not run: %v", err)
	return -1
}

// Ctrl-C (SIGINT) stops waiting cleanly: exit 130, the JSON result on
// stdout, and with --kill-on-cancel the execution killed.
func TestBinaryInterrupt(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		gen  int
		kill bool
	}{{2, false}, {2, true}, {1, true}} {
		kill := tc.kill
		srv := newServer(t, generations[tc.gen-1].opts...)
		args := []string{"--server", srv.URL, "run", "company.team", "slow", "-o", "json"}
		if kill {
			args = append(args, "--kill-on-cancel")
		}
		cmd, stdout, stderr := binaryRun(t, args...)
		exec := started(t, srv)
		if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
			t.Fatal(err)
		}
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		var err error
		select {
		case err = <-done:
		case <-time.After(60 * time.Second):
			t.Fatal("the program did not stop after SIGINT")
		}
		if code := exitCodeOf(t, err); code != exitInterrupted {
			t.Fatalf("%+v: exit %d, want %d\nstdout:\n%s\nstderr:\n%s", tc, code, exitInterrupted, stdout, stderr)
		}
		var r executionJSON
		if err := json.Unmarshal(stdout.Bytes(), &r); err != nil || r.ID != exec.ID || r.Error == nil {
			t.Errorf("stdout %q: %v", stdout, err)
		}
		noControl(t, "stderr", stderr.String())
		if kill {
			stateOf(t, srv, exec.ID, api.StateTypeKilled)
			if !strings.Contains(stderr.String(), "killed it") {
				t.Errorf("stderr:\n%s", stderr)
			}
		} else {
			stateOf(t, srv, exec.ID, api.StateTypeRunning)
		}
	}
}

// The built program reads a FILE input from its real stdin and reports
// exit codes to the shell.
func TestBinaryStdinAndExitCodes(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	cmd := exec.Command(binary(t), "run", "company.team", "upload", "-f", "data=-", "-o", "json")
	cmd.Env = []string{"KESTRA_HOSTNAME=" + srv.URL}
	cmd.Stdin = strings.NewReader("piped content\n")
	out, err := cmd.Output()
	if code := exitCodeOf(t, err); code != exitOK {
		t.Fatalf("exit %d: %s", code, out)
	}
	var r executionJSON
	if err := json.Unmarshal(out, &r); err != nil || r.State != "SUCCESS" {
		t.Fatalf("%q: %v", out, err)
	}
	if got := fileInput(t, srv, srv.Executions("main")[0], "data"); got != "piped content\n" {
		t.Errorf("file %q", got)
	}
	for _, tc := range []struct {
		args []string
		code int
	}{
		{[]string{"run", "company.team", "broken"}, exitExecution},
		{[]string{"run", "company.team"}, exitUsage},
		{[]string{"run", "company.team", "nope"}, exitServer},
		{[]string{"run", "company.team", "slow", "--timeout", "200ms", "--kill-on-cancel"}, exitTimeout},
	} {
		cmd := exec.Command(binary(t), tc.args...)
		cmd.Env = []string{"KESTRA_HOSTNAME=" + srv.URL}
		out, err := cmd.CombinedOutput()
		if code := exitCodeOf(t, err); code != tc.code {
			t.Errorf("%v: exit %d, want %d\n%s", tc.args, code, tc.code, out)
		}
	}
}

// With --kill-on-cancel a first Ctrl-C lets a create in flight finish (so
// that its execution can be killed); a second one ends the program at once.
func TestBinarySecondInterrupt(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	srv.InjectFault(kestratest.Fault{Operation: "createExecution", Hang: true})
	cmd, stdout, stderr := binaryRun(t, "--server", srv.URL, "run", "company.team", "slow", "--kill-on-cancel")
	for deadline := time.Now().Add(30 * time.Second); srv.RequestCount("createExecution") == 0; time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("no create sent")
		}
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-done:
		t.Fatalf("exited on the first SIGINT although the create was in flight: %v\n%s\n%s", err, stdout, stderr)
	case <-time.After(300 * time.Millisecond):
	}
	if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-done:
		var ee *exec.ExitError
		if !errors.As(err, &ee) {
			t.Fatalf("want an exit by signal, got %v", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("the second SIGINT did not end the program")
	}
}
