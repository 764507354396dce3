package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kestra-go/kestra-go/facade"
	"github.com/kestra-go/kestra-go/kestratest"
)

func TestMain(m *testing.M) {
	// The facade reads these variables too: the tests give every setting
	// through flags or an invocation's own environment.
	for _, v := range []string{facade.EnvHostname, facade.EnvUser, facade.EnvPassword, facade.EnvAPIToken, facade.EnvTenant} {
		os.Unsetenv(v)
	}
	code := m.Run()
	if binDir != "" {
		os.RemoveAll(binDir)
	}
	os.Exit(code)
}

var (
	buildOnce sync.Once
	binDir    string
	binPath   string
	buildErr  error
)

// binary builds the program once per test binary, as "go install" would
// (a plain "go build" of the package), and returns its path.
func binary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		binDir, buildErr = os.MkdirTemp("", "kestra-go-bin")
		if buildErr != nil {
			return
		}
		binPath = filepath.Join(binDir, "kestra-go")
		out, err := exec.Command("go", "build", "-o", binPath, "github.com/kestra-go/kestra-go/cmd/kestra-go").CombinedOutput()
		if err != nil {
			buildErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return binPath
}

// Flows the tests run, besides the quickstart's.
const (
	failFlow = `id: broken
namespace: company.team
tasks:
  - id: prepare
    type: io.kestra.plugin.core.log.Log
    message: preparing
  - id: explode
    type: io.kestra.plugin.core.execution.Fail
    errorMessage: "the disk is full"
`
	warnFlow = `id: shaky
namespace: company.team
tasks:
  - id: maybe
    type: io.kestra.plugin.core.execution.Fail
    allowFailure: true
    errorMessage: "not quite"
`
	slowFlow = `id: slow
namespace: company.team
tasks:
  - id: start
    type: io.kestra.plugin.core.log.Log
    message: started
  - id: nap
    type: io.kestra.plugin.core.flow.Sleep
    duration: PT60S
`
	fileFlow = `id: upload
namespace: company.team
inputs:
  - id: data
    type: FILE
  - id: note
    type: STRING
    defaults: none
tasks:
  - id: got
    type: io.kestra.plugin.core.log.Log
    message: "file {{ inputs.data }} note {{ inputs.note }}"
`
	pauseFlow = `id: approval
namespace: company.team
tasks:
  - id: wait
    type: io.kestra.plugin.core.flow.Pause
  - id: after
    type: io.kestra.plugin.core.log.Log
    message: resumed
`
)

func quickstartFlow(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile("../../examples/quickstart/flow.yaml")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// newServer starts a test server with the test flows, closed at the end of
// the test.
func newServer(t *testing.T, opts ...kestratest.Option) *kestratest.Server {
	t.Helper()
	opts = append([]kestratest.Option{kestratest.WithFlows(quickstartFlow(t), failFlow, warnFlow, slowFlow, fileFlow, pauseFlow)}, opts...)
	srv := kestratest.NewServer(opts...)
	t.Cleanup(srv.Close)
	return srv
}

// outcome is what one invocation did.
type outcome struct {
	code           int
	stdout, stderr string
}

func (o outcome) String() string {
	return fmt.Sprintf("exit %d\n--- stdout\n%s--- stderr\n%s", o.code, o.stdout, o.stderr)
}

// invocation describes one in-process run of the program.
type invocation struct {
	env   map[string]string
	stdin io.Reader
	tty   bool
	ctx   context.Context
	// extra facade options, e.g. a short retry window.
	extra []facade.Option
}

// kestraGo runs the program in-process with args and returns what it did.
func kestraGo(t *testing.T, inv invocation, args ...string) outcome {
	t.Helper()
	var stdout, stderr bytes.Buffer
	stdin := inv.stdin
	if stdin == nil {
		stdin = strings.NewReader("")
	}
	a := &app{
		stdin:  stdin,
		stdout: &stdout,
		stderr: &stderr,
		getenv: func(k string) string { return inv.env[k] },
		tty:    inv.tty,
		extra:  inv.extra,
	}
	ctx := inv.ctx
	if ctx == nil {
		c, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		ctx = c
	}
	code := a.main(ctx, args)
	return outcome{code: code, stdout: stdout.String(), stderr: stderr.String()}
}

// on runs the program against srv (through --server).
func on(t *testing.T, srv *kestratest.Server, args ...string) outcome {
	t.Helper()
	return kestraGo(t, invocation{}, append([]string{"--server", srv.URL}, args...)...)
}

// wantCode fails the test unless o exited with code.
func wantCode(t *testing.T, o outcome, code int) {
	t.Helper()
	if o.code != code {
		t.Fatalf("want exit %d, got %s", code, o)
	}
}

// parseResult decodes the one JSON object of -o json, refusing unknown
// fields and trailing data so that the schema cannot drift silently.
func parseResult(t *testing.T, o outcome) executionJSON {
	t.Helper()
	dec := json.NewDecoder(strings.NewReader(o.stdout))
	dec.DisallowUnknownFields()
	var r executionJSON
	if err := dec.Decode(&r); err != nil {
		t.Fatalf("stdout is not the JSON result: %v\n%s", err, o)
	}
	if dec.More() {
		t.Fatalf("stdout has more than one JSON value:\n%s", o)
	}
	// Every documented field is present, null or not.
	var raw map[string]json.RawMessage
	if err := json.Unmarshal([]byte(o.stdout), &raw); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"id", "namespace", "flowId", "state", "url", "outputs", "error", "labels", "durationSeconds"} {
		if _, ok := raw[k]; !ok {
			t.Errorf("JSON result lacks %q:\n%s", k, o.stdout)
		}
	}
	return r
}

// noControl fails if s has a control character other than a line break or
// tab (what a CI log must never get).
func noControl(t *testing.T, what, s string) {
	t.Helper()
	for i, r := range s {
		if r != '\n' && r != '\t' && unsafeRune(r) {
			t.Fatalf("%s has control character %U at byte %d:\n%q", what, r, i, s)
		}
	}
}
