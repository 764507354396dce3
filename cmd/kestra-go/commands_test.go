package main

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

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
	bad := write("bad.yaml", "id: taskless\nnamespace: company.team\ntasks: []\n")
	o = on(t, srv, "deploy", b, bad, "-o", "json")
	wantCode(t, o, exitServer)
	if !strings.Contains(o.stderr, "deploy "+bad+": ") || !strings.Contains(o.stderr, "422") {
		t.Errorf("stderr:\n%s", o)
	}
	got = nil
	if err := json.Unmarshal([]byte(o.stdout), &got); err != nil || len(got) != 1 || got[0].ID != "shaky" {
		t.Errorf("stdout %q: %v", o.stdout, err)
	}

	// A file without namespace is refused before any request.
	nameless := write("nameless.yaml", "id: nameless\ntasks: []\n")
	if o := on(t, srv, "deploy", nameless); o.code != exitUsage || !strings.Contains(o.stderr, "deploy "+nameless) {
		t.Errorf("nameless: %s", o)
	}

	o = on(t, srv, "deploy", filepath.Join(dir, "missing.yaml"))
	wantCode(t, o, exitUsage)
	if !strings.Contains(o.stderr, "missing.yaml: no such file") {
		t.Errorf("stderr:\n%s", o)
	}
	wantCode(t, on(t, srv, "deploy"), exitUsage)
}

func TestRestart(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	id := runNoWait(t, srv, "broken")
	stateOf(t, srv, id, api.StateTypeFailed)
	o := on(t, srv, "restart", id, "-o", "json")
	wantCode(t, o, exitOK)
	if r := parseResult(t, o); r.ID != id || r.State == "FAILED" {
		t.Errorf("result %+v", r)
	}
	// It runs again (and fails again), with RESTARTED in its history.
	stateOf(t, srv, id, api.StateTypeFailed)
	var restarted bool
	for _, e := range srv.Executions("main") {
		for _, h := range e.State.Histories {
			restarted = restarted || (e.ID == id && h.State == api.StateTypeRestarted)
		}
	}
	if !restarted {
		t.Errorf("no RESTARTED in the history")
	}
	// A running execution cannot be restarted.
	slow := runNoWait(t, srv, "slow")
	stateOf(t, srv, slow, api.StateTypeRunning)
	o = on(t, srv, "restart", slow)
	wantCode(t, o, exitServer)
	if !strings.Contains(o.stderr, "restartExecution "+slow) {
		t.Errorf("stderr:\n%s", o)
	}
	wantCode(t, on(t, srv, "restart"), exitUsage)
}

func TestResume(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	id := runNoWait(t, srv, "approval")
	stateOf(t, srv, id, api.StateTypePaused)
	o := on(t, srv, "resume", id)
	wantCode(t, o, exitOK)
	if !strings.Contains(o.stdout, "execution  "+id+"\n") || strings.Contains(o.stdout, "PAUSED") {
		t.Errorf("stdout (a resumed execution is not shown PAUSED):\n%s", o)
	}
	stateOf(t, srv, id, api.StateTypeSuccess)
	o = on(t, srv, "resume", id)
	wantCode(t, o, exitServer) // not paused any more
	wantCode(t, on(t, srv, "resume", "a", "b"), exitUsage)
}

func TestExecutionsSearch(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	wantCode(t, on(t, srv, "run", "company.team", "hello-kestra-go", "-l", "team:data"), exitOK)
	wantCode(t, on(t, srv, "run", "company.team", "hello-kestra-go", "-l", "team:ops"), exitOK)
	wantCode(t, on(t, srv, "run", "company.team", "broken", "-l", "team:data"), exitExecution)

	search := func(args ...string) []executionJSON {
		t.Helper()
		o := on(t, srv, append([]string{"executions", "search", "-o", "json"}, args...)...)
		wantCode(t, o, exitOK)
		var got []executionJSON
		if err := json.Unmarshal([]byte(o.stdout), &got); err != nil {
			t.Fatalf("%v\n%s", err, o)
		}
		return got
	}
	if got := search("--namespace", "company.team"); len(got) != 3 {
		t.Errorf("all: %d", len(got))
	}
	if got := search("--flow", "hello-kestra-go", "--label", "team:data"); len(got) != 1 || got[0].Labels["team"] != "data" || got[0].FlowID != "hello-kestra-go" {
		t.Errorf("flow and label: %+v", got)
	}
	if got := search("--state", "failed", "--state", "KILLED"); len(got) != 1 || got[0].State != "FAILED" {
		t.Errorf("states: %+v", got)
	}
	if got := search("--namespace", "other"); len(got) != 0 {
		t.Errorf("other namespace: %+v", got)
	}
	if got := search("--limit", "2"); len(got) != 2 {
		t.Errorf("limit: %d", len(got))
	}
	o := on(t, srv, "executions", "search", "--limit", "2")
	wantCode(t, o, exitOK)
	if !strings.HasPrefix(o.stdout, "ID ") || strings.Count(o.stdout, "\n") != 3 || !strings.Contains(o.stderr, "showing the newest 2; more executions match") {
		t.Errorf("table:\n%s", o)
	}
	for _, bad := range [][]string{{"--state", "DONE"}, {"--limit", "0"}, {"--label", "team"}, {"extra"}} {
		o := on(t, srv, append([]string{"executions", "search"}, bad...)...)
		wantCode(t, o, exitUsage)
	}
	o = on(t, srv, "executions", "search", "--state", "DONE")
	if !strings.Contains(o.stderr, `--state "DONE": unknown state; want one of CREATED,`) {
		t.Errorf("stderr:\n%s", o)
	}
	wantCode(t, on(t, srv, "executions"), exitUsage)
}

func TestKV(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	for _, tc := range []struct {
		args      []string
		stdin     string
		wantType  string
		wantValue any
		wantText  string
	}{
		{[]string{"42", "--json"}, "", "NUMBER", 42.0, "42"},
		{[]string{"true", "--json"}, "", "BOOLEAN", true, "true"},
		{[]string{"Hello, world"}, "", "STRING", "Hello, world", "Hello, world"},
		{[]string{"1.10"}, "", "STRING", "1.10", "1.10"}, // a version stays a string
		{[]string{`"quoted"`, "--json"}, "", "STRING", "quoted", "quoted"},
		{[]string{`{"a":[1,2]}`, "--json"}, "", "JSON", map[string]any{"a": []any{1.0, 2.0}}, `{"a":[1,2]}`},
		{[]string{"-", "--json"}, `["from","stdin"]`, "JSON", []any{"from", "stdin"}, `["from","stdin"]`},
		{[]string{"-"}, "line one\nline two\n", "STRING", "line one\nline two\n", "line one\nline two\n"},
	} {
		o := kestraGo(t, invocation{stdin: strings.NewReader(tc.stdin)}, append([]string{"--server", srv.URL, "kv", "set", "company.team", "k"}, tc.args...)...)
		wantCode(t, o, exitOK)
		if o.stdout != "set company.team k\n" {
			t.Errorf("set %v: %s", tc.args, o)
		}
		o = on(t, srv, "kv", "get", "company.team", "k")
		wantCode(t, o, exitOK)
		if o.stdout != tc.wantText+"\n" {
			t.Errorf("get after set %v: %q, want %q", tc.args, o.stdout, tc.wantText)
		}
		o = on(t, srv, "kv", "get", "company.team", "k", "-o", "json")
		wantCode(t, o, exitOK)
		var got kvJSON
		if err := json.Unmarshal([]byte(o.stdout), &got); err != nil {
			t.Fatal(err)
		}
		gotJSON, _ := json.Marshal(got.Value)
		wantJSON, _ := json.Marshal(tc.wantValue)
		if got.Type != tc.wantType || string(gotJSON) != string(wantJSON) || got.Namespace != "company.team" || got.Key != "k" {
			t.Errorf("set %v: got %+v, want %s %s", tc.args, got, tc.wantType, wantJSON)
		}
	}
	o := on(t, srv, "kv", "delete", "company.team", "k")
	wantCode(t, o, exitOK)
	if o.stdout != "deleted company.team k\n" {
		t.Errorf("delete: %s", o)
	}
	o = on(t, srv, "kv", "delete", "company.team", "k", "-o", "json")
	wantCode(t, o, exitOK)
	if !strings.Contains(o.stdout, `"deleted": false`) {
		t.Errorf("delete again: %s", o)
	}
	o = on(t, srv, "kv", "get", "company.team", "k")
	wantCode(t, o, exitServer)
	if !strings.Contains(o.stderr, "404") {
		t.Errorf("get missing: %s", o)
	}
	// --ttl: the value expires (410, exit 3).
	wantCode(t, on(t, srv, "kv", "set", "company.team", "brief", "x", "--ttl", "1s"), exitOK)
	wantCode(t, on(t, srv, "kv", "get", "company.team", "brief"), exitOK)
	time.Sleep(1100 * time.Millisecond)
	if o := on(t, srv, "kv", "get", "company.team", "brief"); o.code != exitServer || !strings.Contains(o.stderr, "410") {
		t.Errorf("expired: %s", o)
	}
	wantCode(t, on(t, srv, "kv", "set", "company.team", "k", "x", "--ttl", "-1s"), exitUsage)
	wantCode(t, on(t, srv, "kv", "set", "company.team", "k"), exitUsage)
	if o := on(t, srv, "kv", "set", "company.team", "k", "not json", "--json"); o.code != exitUsage || !strings.Contains(o.stderr, "not JSON") {
		t.Errorf("--json with text: %s", o)
	}
	wantCode(t, on(t, srv, "kv", "get", "company.team"), exitUsage)
	wantCode(t, on(t, srv, "kv"), exitUsage)
}

func TestLogs(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	o := on(t, srv, "run", "company.team", "hello-kestra-go", "-o", "json", "--logs", "none")
	wantCode(t, o, exitOK)
	id := parseResult(t, o).ID
	o = on(t, srv, "logs", id)
	wantCode(t, o, exitOK)
	lines := strings.Split(strings.TrimSpace(o.stdout), "\n")
	if len(lines) != 4 || !strings.HasSuffix(lines[0], "INFO  [greet] Hello, World!") || !strings.HasSuffix(lines[3], "WARN  [done] Done greeting World (2 times).") {
		t.Errorf("logs:\n%s", o)
	}
	o = on(t, srv, "logs", id, "-o", "json")
	wantCode(t, o, exitOK)
	var got []logJSON
	if err := json.Unmarshal([]byte(o.stdout), &got); err != nil || len(got) != 4 {
		t.Fatalf("%v\n%s", err, o)
	}
	if g := got[0]; g.TaskID != "greet" || g.Level != "INFO" || g.Message != "Hello, World!" || g.Timestamp == nil {
		t.Errorf("first entry %+v", g)
	}
	wantCode(t, on(t, srv, "logs"), exitUsage)
}

func TestLogsFollow(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	id := runNoWait(t, srv, "hello-kestra-go")
	o := on(t, srv, "logs", id, "--follow")
	wantCode(t, o, exitOK)
	if lines := strings.Split(strings.TrimSpace(o.stdout), "\n"); len(lines) != 4 || !strings.HasSuffix(lines[3], "[done] Done greeting World (2 times).") {
		t.Errorf("logs --follow:\n%s", o)
	}
	o = on(t, srv, "logs", id, "-f", "-o", "json")
	wantCode(t, o, exitOK)
	dec := json.NewDecoder(strings.NewReader(o.stdout))
	n := 0
	for dec.More() {
		var e logJSON
		if err := dec.Decode(&e); err != nil {
			t.Fatalf("%v\n%s", err, o)
		}
		n++
	}
	if n != 4 || strings.Count(o.stdout, "\n") != 4 {
		t.Errorf("want 4 JSON lines:\n%s", o)
	}
	// A failed execution's logs are followed to its end too: exit 0.
	broken := runNoWait(t, srv, "broken")
	o = on(t, srv, "logs", broken, "--follow")
	wantCode(t, o, exitOK)
	if !strings.Contains(o.stdout, "ERROR [explode] the disk is full") {
		t.Errorf("stdout:\n%s", o)
	}
	// --timeout stops following a running one.
	slow := runNoWait(t, srv, "slow")
	o = on(t, srv, "logs", slow, "--follow", "--timeout", "300ms")
	wantCode(t, o, exitTimeout)
	if !strings.Contains(o.stdout, "[start] started") || !strings.Contains(o.stderr, "--timeout 300ms reached while following the logs of "+slow) {
		t.Errorf("timeout:\n%s", o)
	}
	wantCode(t, on(t, srv, "logs", slow, "--timeout", "1s"), exitUsage)
	wantCode(t, on(t, srv, "logs", "no-such-execution", "--follow"), exitServer)
}

// resume -i/-f send the Pause task's onResume inputs as the multipart form
// of the resume request (the test server does not use them; a recording
// proxy in front of it checks what was sent).
func TestResumeInputs(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	var mu sync.Mutex
	var sent []byte
	proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/resume") {
			b, _ := io.ReadAll(r.Body)
			mu.Lock()
			sent = b
			mu.Unlock()
			r.Body = io.NopCloser(bytes.NewReader(b))
		}
		srv.ServeHTTP(w, r)
	}))
	t.Cleanup(proxy.Close)
	id := runNoWait(t, srv, "approval")
	stateOf(t, srv, id, api.StateTypePaused)
	note := filepath.Join(t.TempDir(), "note.txt")
	if err := os.WriteFile(note, []byte("looks good"), 0o600); err != nil {
		t.Fatal(err)
	}
	o := kestraGo(t, invocation{}, "--server", proxy.URL, "resume", id, "-i", "approved=true", "-f", "note="+note)
	wantCode(t, o, exitOK)
	mu.Lock()
	defer mu.Unlock()
	for _, w := range []string{`name="approved"`, "true", `name="note"; filename="note.txt"`, "looks good"} {
		if !bytes.Contains(sent, []byte(w)) {
			t.Errorf("resume body lacks %q:\n%s", w, sent)
		}
	}
	stateOf(t, srv, id, api.StateTypeSuccess)
	wantCode(t, on(t, srv, "resume", id, "-i", "approved"), exitUsage)
}
