package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kestra-go/kestra-go/api"
	"github.com/kestra-go/kestra-go/kestratest"
)

// runNoWait starts flow and returns the execution id.
func runNoWait(t *testing.T, srv *kestratest.Server, flow string) string {
	t.Helper()
	o := on(t, srv, "run", "company.team", flow, "--no-wait")
	wantCode(t, o, exitOK)
	return strings.TrimSpace(o.stdout)
}

func TestStatus(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	slow := runNoWait(t, srv, "slow")
	stateOf(t, srv, slow, api.StateTypeRunning)
	o := on(t, srv, "status", slow, "-o", "json")
	wantCode(t, o, exitOK) // running: 0
	if r := parseResult(t, o); r.ID != slow || r.State != "RUNNING" || r.Error != nil || r.DurationSeconds == nil {
		t.Errorf("result %+v", r)
	}

	broken := runNoWait(t, srv, "broken")
	stateOf(t, srv, broken, api.StateTypeFailed)
	o = on(t, srv, "status", broken, "-o", "json")
	wantCode(t, o, exitExecution)
	if r := parseResult(t, o); r.State != "FAILED" || r.Error == nil || !strings.Contains(*r.Error, "explode") {
		t.Errorf("result %+v", r)
	}
	o = on(t, srv, "status", broken)
	wantCode(t, o, exitExecution)
	if !strings.Contains(o.stdout, "state      FAILED\n") {
		t.Errorf("text:\n%s", o)
	}

	shaky := runNoWait(t, srv, "shaky")
	stateOf(t, srv, shaky, api.StateTypeWarning)
	wantCode(t, on(t, srv, "status", shaky), exitOK)
	wantCode(t, on(t, srv, "status", shaky, "--strict"), exitExecution)

	o = on(t, srv, "status", "no-such-execution")
	wantCode(t, o, exitServer)
	if !strings.Contains(o.stderr, "404") {
		t.Errorf("stderr:\n%s", o)
	}
	wantCode(t, on(t, srv, "status"), exitUsage)
	wantCode(t, on(t, srv, "status", "a", "b"), exitUsage)
}

func TestKill(t *testing.T) {
	t.Parallel()
	srv := newServer(t, kestratest.WithProblemDetails())
	id := runNoWait(t, srv, "slow")
	stateOf(t, srv, id, api.StateTypeRunning)
	o := on(t, srv, "kill", id, "-o", "json")
	wantCode(t, o, exitOK)
	if r := parseResult(t, o); r.ID != id || (r.State != "KILLING" && r.State != "KILLED") {
		t.Errorf("result %+v", r)
	}
	stateOf(t, srv, id, api.StateTypeKilled)
	// Killing an ended execution is not an error.
	wantCode(t, on(t, srv, "kill", id), exitOK)
	wantCode(t, on(t, srv, "kill", "no-such-execution"), exitServer)
	wantCode(t, on(t, srv, "kill"), exitUsage)
}

func TestDeploy(t *testing.T) {
	t.Parallel()
	srv := kestratest.NewServer()
	t.Cleanup(srv.Close)
	dir := t.TempDir()
	write := func(name, src string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(src), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	a := write("a.yaml", failFlow)
	b := write("b.yml", warnFlow)
	o := on(t, srv, "deploy", a, b)
	wantCode(t, o, exitOK)
	for _, w := range []string{"company.team broken created revision 1 (" + a + ")\n", "company.team shaky created revision 1 (" + b + ")\n"} {
		if !strings.Contains(o.stdout, w) {
			t.Errorf("stdout lacks %q:\n%s", w, o)
		}
	}
	// The flows run.
	wantCode(t, on(t, srv, "run", "company.team", "shaky"), exitOK)

	// An update makes a new revision.
	write("a.yaml", strings.Replace(failFlow, "preparing", "preparing again", 1))
	o = on(t, srv, "deploy", a, "-o", "json")
	wantCode(t, o, exitOK)
	var got []deployedJSON
	if err := json.Unmarshal([]byte(o.stdout), &got); err != nil {
		t.Fatalf("%v\n%s", err, o)
	}
	if len(got) != 1 || got[0] != (deployedJSON{File: a, Namespace: "company.team", ID: "broken", Revision: 2, Created: false}) {
		t.Errorf("deployed %+v", got)
	}

	// A file the server refuses stops the command; the files before it stay.
	bad := write("bad.yaml", "id: nameless\ntasks: []\n")
	o = on(t, srv, "deploy", b, bad, "-o", "json")
	wantCode(t, o, exitServer)
	if !strings.Contains(o.stderr, "deploy "+bad+": the server refuses the flow") {
		t.Errorf("stderr:\n%s", o)
	}
	got = nil
	if err := json.Unmarshal([]byte(o.stdout), &got); err != nil || len(got) != 1 || got[0].ID != "shaky" {
		t.Errorf("stdout %q: %v", o.stdout, err)
	}

	o = on(t, srv, "deploy", filepath.Join(dir, "missing.yaml"))
	wantCode(t, o, exitUsage)
	if !strings.Contains(o.stderr, "missing.yaml: no such file") {
		t.Errorf("stderr:\n%s", o)
	}
	wantCode(t, on(t, srv, "deploy"), exitUsage)
}
