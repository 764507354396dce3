package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kestra-go/kestra-go/kestratest"
)

// Log lines, outputs and labels are text from the server (and from whoever
// wrote the flow): their escape sequences and carriage returns must not
// reach a terminal or a CI log as such.
func TestServerTextIsEscaped(t *testing.T) {
	t.Parallel()
	const flow = `id: shouty
namespace: company.team
labels:
  colour: "\e[31mred"
tasks:
  - id: paint
    type: io.kestra.plugin.core.log.Log
    message: "\e[2J\e[31mred\e[0m then\rover\u009b written \u202eevil"
  - id: out
    type: io.kestra.plugin.core.output.OutputValues
    values:
      v: "\e]0;title\a \u009b1m \x7f"
outputs:
  - id: v
    type: STRING
    value: "{{ outputs.out.values.v }}"
`
	srv := kestratest.NewServer(kestratest.WithFlows(flow))
	t.Cleanup(srv.Close)
	for _, mode := range []string{"text", "json"} {
		for _, tty := range []bool{false, true} {
			o := kestraGo(t, invocation{tty: tty}, "--server", srv.URL, "run", "company.team", "shouty", "-o", mode)
			wantCode(t, o, exitOK)
			noControl(t, "stdout", o.stdout)
			stderr := o.stderr
			if tty { // the progress line's own sequence is the only one allowed
				stderr = strings.ReplaceAll(stderr, "\r\x1b[K", "")
			}
			noControl(t, "stderr", stderr)
			if mode == "json" {
				parseResult(t, o)
			}
			if mode == "json" && !strings.Contains(o.stdout, `"v": "\u001b]0;title\u0007 \u009b1m \u007f"`) {
				t.Errorf("stdout lacks the escaped output:\n%s", o.stdout)
			}
			if !strings.Contains(o.stderr, `[paint] \u001b[2J\u001b[31mred\u001b[0m then\u000dover\u009b written \u202eevil`) {
				t.Errorf("stderr lacks the escaped log line:\n%q", o.stderr)
			}
		}
	}
}

// The tool stands on the facade's fault handling: a create answered 502
// after the server handled it, a cut event stream and a flaky status read
// still give one execution and the right result.
func TestRunRidesOutFaults(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	srv.InjectFault(kestratest.Fault{Operation: "createExecution", Status: 502, AfterHandle: true})
	srv.InjectFault(kestratest.Fault{Operation: "followExecution", CutSSEAfter: 2})
	srv.InjectFault(kestratest.Fault{Operation: "getExecution", Status: 503, Count: 2})
	o := on(t, srv, "run", "company.team", "hello-kestra-go", "-o", "json")
	wantCode(t, o, exitOK)
	r := parseResult(t, o)
	if r.State != "SUCCESS" || r.Outputs["greeting"] != "Hello, World!" {
		t.Errorf("result %+v", r)
	}
	if ex := srv.Executions("main"); len(ex) != 1 || ex[0].ID != r.ID {
		t.Errorf("%d executions on the server, want exactly 1: %+v", len(ex), ex)
	}
}

// Files that are not flows (binary garbage, YAML bombs of aliases, an
// empty file) are refused with a message naming the file, never a crash.
func TestDeployHostileFiles(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	dir := t.TempDir()
	for name, content := range map[string]string{
		"binary.yaml": "\x00\xff\xfe\x1b[2J\x89PNG\r\n\x1a\n",
		"empty.yaml":  "",
		"list.yaml":   "- a\n- b\n",
		"aliases.yaml": "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n" +
			"d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]\nid: bomb\nnamespace: company.team\n",
	} {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		o := on(t, srv, "deploy", path)
		if o.code != exitUsage && o.code != exitServer {
			t.Errorf("%s: want exit 2 or 3, got %s", name, o)
		}
		if !strings.Contains(o.stderr, "deploy "+path) {
			t.Errorf("%s: message does not name the file:\n%s", name, o)
		}
		noControl(t, name+" stderr", o.stderr)
	}
}
