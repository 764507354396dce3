package main

import (
	"strings"
	"testing"

	"github.com/kestra-go/kestra-go/api"
)

func TestWait(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	id := runNoWait(t, srv, "hello-kestra-go")
	o := on(t, srv, "wait", id)
	wantCode(t, o, exitOK)
	if !strings.Contains(o.stdout, "state      SUCCESS\n") || !strings.Contains(o.stdout, "url        "+srv.URL+"/ui/main/executions/company.team/hello-kestra-go/"+id) {
		t.Errorf("stdout:\n%s", o)
	}
	// Off a terminal, each state change is a plain line of its own.
	for _, w := range []string{"execution " + id + " SUCCESS\n", "[greet] Hello, World!"} {
		if !strings.Contains(o.stderr, w) {
			t.Errorf("stderr lacks %q:\n%s", w, o)
		}
	}
	noControl(t, "stderr", o.stderr)

	o = on(t, srv, "wait", runNoWait(t, srv, "broken"), "-o", "json", "--logs", "end")
	wantCode(t, o, exitExecution)
	if r := parseResult(t, o); r.State != "FAILED" || r.Error == nil || !strings.Contains(*r.Error, "the disk is full") {
		t.Errorf("result %+v", r)
	}
	if !strings.Contains(o.stderr, "ERROR [explode] the disk is full") {
		t.Errorf("--logs end:\n%s", o)
	}
	wantCode(t, on(t, srv, "wait", runNoWait(t, srv, "shaky"), "--strict"), exitExecution)

	slow := runNoWait(t, srv, "slow")
	o = on(t, srv, "wait", slow, "--timeout", "300ms", "-o", "json")
	wantCode(t, o, exitTimeout)
	if r := parseResult(t, o); r.ID != slow || r.State != "RUNNING" || r.Error == nil || !strings.Contains(*r.Error, "--timeout 300ms reached while waiting for execution "+slow+" (last state RUNNING)") {
		t.Errorf("result %+v", r)
	}
	stateOf(t, srv, slow, api.StateTypeRunning)
	o = on(t, srv, "wait", slow, "--timeout", "300ms", "--kill-on-cancel")
	wantCode(t, o, exitTimeout)
	stateOf(t, srv, slow, api.StateTypeKilled)

	o = on(t, srv, "wait", "no-such-execution", "-o", "json")
	wantCode(t, o, exitServer)
	if !strings.Contains(o.stderr, "404") || o.stdout != "" {
		t.Errorf("stderr:\n%s", o)
	}
	wantCode(t, on(t, srv, "wait"), exitUsage)
	wantCode(t, on(t, srv, "wait", "x", "--logs", "some"), exitUsage)
}

// Off a terminal, run announces the execution with its link at once, then
// each state change, as plain lines.
func TestRunAnnouncesStates(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	o := on(t, srv, "run", "company.team", "hello-kestra-go", "-o", "json")
	wantCode(t, o, exitOK)
	r := parseResult(t, o)
	lines := strings.Split(o.stderr, "\n")
	if want := "execution " + r.ID + " created: " + r.URL; lines[0] != want {
		t.Errorf("first line %q, want %q", lines[0], want)
	}
	if !strings.Contains(o.stderr, "execution "+r.ID+" RUNNING\n") {
		t.Errorf("stderr lacks RUNNING:\n%s", o)
	}
	// The end comes last, after every log line.
	if !strings.HasSuffix(o.stderr, "[done] Done greeting World (2 times).\nexecution "+r.ID+" SUCCESS\n") {
		t.Errorf("stderr does not end with the last log line and the end state:\n%s", o)
	}
}

// A paused execution keeps the wait going, and the tool says how to resume.
func TestWaitPaused(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	id := runNoWait(t, srv, "approval")
	done := make(chan outcome, 1)
	go func() { done <- on(t, srv, "wait", id) }()
	stateOf(t, srv, id, api.StateTypePaused)
	// Even if the wait reads the state only after the resume, PAUSED is in
	// the history the facade passes on.
	wantCode(t, on(t, srv, "resume", id), exitOK)
	o := <-done
	wantCode(t, o, exitOK)
	if !strings.Contains(o.stderr, "execution "+id+" PAUSED (kestra-go resume "+id+" resumes it)\n") {
		t.Errorf("stderr:\n%s", o)
	}
}
