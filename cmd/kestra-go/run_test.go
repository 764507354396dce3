package main

import (
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/kestra-go/kestra-go/api"
	"github.com/kestra-go/kestra-go/facade"
	"github.com/kestra-go/kestra-go/kestratest"
)

func TestRunSuccessText(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	o := on(t, srv, "run", "company.team", "hello-kestra-go",
		"-i", "name=Gopher", "--input", "count=3", "-i", `tags=["go","cli"]`, "-l", "team:data", "--label", "url:http://x:1")
	wantCode(t, o, exitOK)
	for _, want := range []string{
		"state      SUCCESS\n", "flow       company.team/hello-kestra-go\n",
		"url        " + srv.URL + "/ui/main/executions/company.team/hello-kestra-go/",
		"labels     source:kestra-go, team:data, url:http://x:1\n",
		"  greeting = Hello, Gopher!\n",
	} {
		if !strings.Contains(o.stdout, want) {
			t.Errorf("stdout lacks %q:\n%s", want, o)
		}
	}
	for _, want := range []string{
		"INFO  [greet] Hello, Gopher!\n",
		`INFO  [details] 2 tags: ["go","cli"]` + "\n",
		"WARN  [done] Done greeting Gopher (3 times).\n",
	} {
		if !strings.Contains(o.stderr, want) {
			t.Errorf("stderr lacks the live log line %q:\n%s", want, o)
		}
	}
	if strings.Contains(o.stdout+o.stderr, "correlationId") {
		t.Errorf("the internal correlation label is shown:\n%s", o)
	}
	// Off a terminal: plain lines only.
	noControl(t, "stdout", o.stdout)
	noControl(t, "stderr", o.stderr)
	// The label went to the server.
	ex := srv.Executions("main")
	if len(ex) != 1 || !hasLabel(ex[0].Labels, "team", "data") || !hasLabel(ex[0].Labels, "url", "http://x:1") {
		t.Errorf("labels on the server: %+v", ex)
	}
}

func hasLabel(ls []api.Label, k, v string) bool {
	for _, l := range ls {
		if l.Key == k && l.Value == v {
			return true
		}
	}
	return false
}

func TestRunJSON(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	o := on(t, srv, "run", "company.team", "hello-kestra-go", "-i", "name=Ada", "-o", "json", "--labels-from-inputs", "-l", "team:data")
	wantCode(t, o, exitOK)
	r := parseResult(t, o)
	if r.State != "SUCCESS" || r.Namespace != "company.team" || r.FlowID != "hello-kestra-go" || r.ID == "" {
		t.Errorf("result %+v", r)
	}
	if r.URL != srv.URL+"/ui/main/executions/company.team/hello-kestra-go/"+r.ID {
		t.Errorf("url %q", r.URL)
	}
	if r.Outputs["greeting"] != "Hello, Ada!" || r.Error != nil {
		t.Errorf("outputs %v error %v", r.Outputs, r.Error)
	}
	if r.Labels["team"] != "data" || r.Labels["name"] != "Ada" || r.Labels["source"] != "kestra-go" {
		t.Errorf("labels %v", r.Labels)
	}
	for k := range r.Labels {
		if strings.HasPrefix(k, "system.") {
			t.Errorf("system label %q among the user's labels", k)
		}
	}
	if r.DurationSeconds == nil || *r.DurationSeconds < 0.3 || *r.DurationSeconds > 60 {
		t.Errorf("durationSeconds %v (the flow sleeps 0.3 s)", r.DurationSeconds)
	}
	// Logs still go to stderr, never into the JSON on stdout.
	if !strings.Contains(o.stderr, "[greet] Hello, Ada!") {
		t.Errorf("no live logs on stderr:\n%s", o)
	}
}

func TestRunFailedExitsOne(t *testing.T) {
	t.Parallel()
	srv := newServer(t, kestratest.WithProblemDetails())
	o := on(t, srv, "run", "company.team", "broken", "-o", "json")
	wantCode(t, o, exitExecution)
	r := parseResult(t, o)
	if r.State != "FAILED" || r.Error == nil || !strings.Contains(*r.Error, "the disk is full") || !strings.Contains(*r.Error, "explode") {
		t.Errorf("result %+v error %v", r, r.Error)
	}
	if !strings.Contains(o.stderr, "ERROR [explode] the disk is full") {
		t.Errorf("stderr lacks the error log line:\n%s", o)
	}

	o = on(t, srv, "run", "company.team", "broken")
	wantCode(t, o, exitExecution)
	if !strings.Contains(o.stdout, "state      FAILED\n") || !strings.Contains(o.stdout, "the disk is full") {
		t.Errorf("text result:\n%s", o)
	}
}

func TestRunWarningAndStrict(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	o := on(t, srv, "run", "company.team", "shaky", "-o", "json")
	wantCode(t, o, exitOK)
	if r := parseResult(t, o); r.State != "WARNING" || r.Error != nil {
		t.Errorf("result %+v", r)
	}
	o = on(t, srv, "run", "company.team", "shaky", "-o", "json", "--strict")
	wantCode(t, o, exitExecution)
	if r := parseResult(t, o); r.State != "WARNING" || r.Error == nil || !strings.Contains(*r.Error, "--strict") {
		t.Errorf("result %+v", r)
	}
}

func TestRunNoWait(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	o := on(t, srv, "run", "company.team", "slow", "--no-wait")
	wantCode(t, o, exitOK)
	id := strings.TrimSpace(o.stdout)
	if id == "" || strings.ContainsAny(id, " \n") || o.stderr != "" {
		t.Fatalf("want only the id on stdout: %s", o)
	}
	ex := srv.Executions("main")
	if len(ex) != 1 || ex[0].ID != id || facade.IsTerminal(ex[0].State.Current) {
		t.Errorf("server executions %+v", ex)
	}

	o = on(t, srv, "run", "company.team", "slow", "--no-wait", "-o", "json")
	wantCode(t, o, exitOK)
	r := parseResult(t, o)
	if r.ID == "" || r.ID == id || r.State != "CREATED" || r.Error != nil {
		t.Errorf("result %+v", r)
	}
}

func TestRunLogsModes(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	o := on(t, srv, "run", "company.team", "hello-kestra-go", "--logs", "none")
	wantCode(t, o, exitOK)
	if strings.Contains(o.stderr, "Hello") {
		t.Errorf("--logs none printed logs:\n%s", o)
	}
	o = on(t, srv, "run", "company.team", "hello-kestra-go", "--logs", "end", "-i", "name=End")
	wantCode(t, o, exitOK)
	if !strings.Contains(o.stderr, "INFO  [greet] Hello, End!\n") || !strings.Contains(o.stderr, "WARN  [done]") {
		t.Errorf("--logs end:\n%s", o)
	}
}

// fileInput reads back the content of an execution's FILE input.
func fileInput(t *testing.T, srv *kestratest.Server, exec api.Execution, input string) string {
	t.Helper()
	uri, _ := exec.Inputs[input].(string)
	if !strings.HasPrefix(uri, "kestra://") {
		t.Fatalf("input %s = %v, want a kestra:// URI", input, exec.Inputs[input])
	}
	c, err := api.NewClientWithResponses(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := c.DownloadFileFromExecution(context.Background(), "main", exec.ID, &api.DownloadFileFromExecutionParams{Path: uri})
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		t.Fatalf("download %s: %d %s", uri, resp.StatusCode, b)
	}
	return string(b)
}

func TestRunFileFromPath(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	path := filepath.Join(t.TempDir(), "orders.csv")
	content := "id,amount\n1,9.99\n"
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	o := on(t, srv, "run", "company.team", "upload", "-f", "data="+path, "-i", "note=n", "-o", "json")
	wantCode(t, o, exitOK)
	r := parseResult(t, o)
	ex := srv.Executions("main")
	if len(ex) != 1 || ex[0].ID != r.ID {
		t.Fatalf("executions %+v", ex)
	}
	if got := fileInput(t, srv, ex[0], "data"); got != content {
		t.Errorf("file content %q, want %q", got, content)
	}
	if uri := ex[0].Inputs["data"].(string); !strings.HasSuffix(uri, "/orders.csv") {
		t.Errorf("stored as %s, want the file's name", uri)
	}
}

func TestRunFileFromStdin(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	content := strings.Repeat("line from stdin\n", 1000)
	o := kestraGo(t, invocation{stdin: strings.NewReader(content)}, "--server", srv.URL, "run", "company.team", "upload", "--file", "data=-", "-o", "json")
	wantCode(t, o, exitOK)
	ex := srv.Executions("main")
	if len(ex) != 1 {
		t.Fatalf("executions %+v", ex)
	}
	if got := fileInput(t, srv, ex[0], "data"); got != content {
		t.Errorf("file content: %d bytes, want %d", len(got), len(content))
	}
}

// started waits until srv has one execution running and returns it.
func started(t *testing.T, srv *kestratest.Server) api.Execution {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		if ex := srv.Executions("main"); len(ex) == 1 && ex[0].State.Current == api.StateTypeRunning {
			return ex[0]
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatal("no execution started")
	return api.Execution{}
}

// stateOf waits up to 30 s for the execution to reach one of states.
func stateOf(t *testing.T, srv *kestratest.Server, id string, states ...api.StateType) api.StateType {
	t.Helper()
	var last api.StateType
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		for _, e := range srv.Executions("main") {
			if e.ID != id {
				continue
			}
			last = e.State.Current
			for _, s := range states {
				if last == s {
					return last
				}
			}
		}
	}
	t.Fatalf("execution %s is %s, want one of %v", id, last, states)
	return last
}

func TestRunTimeout(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	o := on(t, srv, "run", "company.team", "slow", "--timeout", "500ms", "-o", "json")
	wantCode(t, o, exitTimeout)
	r := parseResult(t, o)
	if r.ID == "" || r.State == "" || facade.IsTerminal(api.StateType(r.State)) || r.Error == nil || !strings.Contains(*r.Error, "--timeout 500ms reached") {
		t.Errorf("result %+v error %v", r, r.Error)
	}
	if !strings.Contains(o.stderr, "kestra-go kill "+r.ID) {
		t.Errorf("no hint to kill it:\n%s", o)
	}
	// Without --kill-on-cancel the execution goes on.
	if s := stateOf(t, srv, r.ID, api.StateTypeRunning); s != api.StateTypeRunning {
		t.Errorf("state %s", s)
	}
}

func TestRunTimeoutKillOnCancel(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	o := on(t, srv, "run", "company.team", "slow", "--timeout", "500ms", "--kill-on-cancel")
	wantCode(t, o, exitTimeout)
	id := srv.Executions("main")[0].ID
	if !strings.Contains(o.stderr, "--timeout 500ms reached while waiting for execution "+id) || !strings.Contains(o.stderr, "killed it") {
		t.Errorf("stderr:\n%s", o)
	}
	if !strings.Contains(o.stdout, "execution  "+id+"\n") {
		t.Errorf("stdout lacks the execution:\n%s", o)
	}
	stateOf(t, srv, id, api.StateTypeKilled)
}

func TestRunInterrupted(t *testing.T) {
	t.Parallel()
	for _, kill := range []bool{false, true} {
		srv := newServer(t)
		ctx, cancel := context.WithCancelCause(context.Background())
		go func() {
			started(t, srv)
			cancel(errInterrupted)
		}()
		args := []string{"--server", srv.URL, "run", "company.team", "slow", "-o", "json"}
		if kill {
			args = append(args, "--kill-on-cancel")
		}
		o := kestraGo(t, invocation{ctx: ctx}, args...)
		wantCode(t, o, exitInterrupted)
		r := parseResult(t, o)
		if r.Error == nil || !strings.Contains(*r.Error, "interrupted while waiting for execution "+r.ID) {
			t.Errorf("result %+v", r)
		}
		if kill {
			stateOf(t, srv, r.ID, api.StateTypeKilled)
		} else {
			stateOf(t, srv, r.ID, api.StateTypeRunning)
		}
	}
}

// On a terminal the progress line is redrawn in place; the result on
// stdout stays plain.
func TestRunProgressOnTerminal(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	o := kestraGo(t, invocation{tty: true}, "--server", srv.URL, "run", "company.team", "hello-kestra-go")
	wantCode(t, o, exitOK)
	if !strings.Contains(o.stderr, "\r\x1b[K") {
		t.Errorf("no progress line on a terminal:\n%q", o.stderr)
	}
	if !strings.Contains(o.stderr, "[greet] Hello, World!") {
		t.Errorf("no logs:\n%q", o.stderr)
	}
	noControl(t, "stdout", o.stdout)
	// The running task comes from the execution's task runs, not from the
	// logs: it shows without logs, on both server generations.
	for _, g := range generations {
		srv := newServer(t, g.opts...)
		o := kestraGo(t, invocation{tty: true}, "--server", srv.URL, "run", "company.team", "hello-kestra-go", "--logs", "none")
		wantCode(t, o, exitOK)
		if !strings.Contains(o.stderr, "task think") {
			t.Errorf("%s: the progress line never shows the running task think:\n%q", g.name, o.stderr)
		}
	}
}

// A --timeout during a create that hangs: exit 124, and since the create
// may have reached the server, the message says how to look for it.
func TestRunTimeoutDuringCreate(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	srv.InjectFault(kestratest.Fault{Operation: "createExecution", Hang: true})
	o := on(t, srv, "run", "company.team", "hello-kestra-go", "--timeout", "300ms", "-o", "json")
	wantCode(t, o, exitTimeout)
	for _, w := range []string{"--timeout 300ms reached before the execution was created", "system.correlationId"} {
		if !strings.Contains(o.stderr, w) {
			t.Errorf("stderr lacks %q:\n%s", w, o)
		}
	}
	if o.stdout != "" {
		t.Errorf("stdout:\n%s", o)
	}
	// The search the message suggests runs; here it finds nothing, as the
	// test server never handled the hung create.
	i := strings.Index(o.stderr, "(kestra-go executions search ")
	if i < 0 {
		t.Fatalf("no search suggested:\n%s", o)
	}
	suggested := strings.Fields(strings.TrimSuffix(strings.TrimSpace(o.stderr[i+1:]), ")"))[1:]
	found := on(t, srv, append(suggested, "-o", "json")...)
	wantCode(t, found, exitOK)
	var got []executionJSON
	if err := json.Unmarshal([]byte(found.stdout), &got); err != nil || len(got) != 0 {
		t.Errorf("suggested search %v: %v\n%s", suggested, err, found)
	}
}
