package main

import (
	"encoding/base64"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kestra-go/kestra-go/api"
	"github.com/kestra-go/kestra-go/kestratest"
)

// generations are the two server API generations every command must work
// on: 1.x (actions without /actions/, kill 202 without body, {"message"}
// errors) and 2.0 (actions under /actions/, problem+json errors).
var generations = []struct {
	name string
	opts []kestratest.Option
}{
	{"1.x", []kestratest.Option{kestratest.WithMajorVersion(1)}},
	{"2.0", []kestratest.Option{kestratest.WithProblemDetails()}},
}

// Every command, on both server generations, with the same outcomes.
func TestEveryCommandOnBothGenerations(t *testing.T) {
	t.Parallel()
	for _, g := range generations {
		t.Run(g.name, func(t *testing.T) {
			t.Parallel()
			const user, password = "ci@example.com", "Gen-Secret-9"
			srv := newServer(t, append(g.opts, kestratest.WithBasicAuth(user, password))...)
			env := map[string]string{"KESTRA_HOSTNAME": srv.URL, "KESTRA_USER": user, "KESTRA_PASSWORD": password}
			basic := base64.StdEncoding.EncodeToString([]byte(user + ":" + password))
			step := func(want int, args ...string) outcome {
				t.Helper()
				o := kestraGo(t, invocation{env: env}, args...)
				if o.code != want {
					t.Fatalf("%s: want exit %d, got %s", strings.Join(args, " "), want, o)
				}
				if strings.Contains(o.stdout+o.stderr, password) || strings.Contains(o.stdout+o.stderr, basic) {
					t.Fatalf("%s: a secret is printed:\n%s", strings.Join(args, " "), o)
				}
				return o
			}

			o := step(exitOK, "run", "company.team", "hello-kestra-go", "-i", "name=Gen", "-o", "json")
			if r := parseResult(t, o); r.State != "SUCCESS" || r.Outputs["greeting"] != "Hello, Gen!" {
				t.Errorf("run: %+v", r)
			}
			step(exitExecution, "run", "company.team", "broken")

			id := strings.TrimSpace(step(exitOK, "run", "company.team", "hello-kestra-go", "--no-wait").stdout)
			o = step(exitOK, "wait", id, "-o", "json")
			if r := parseResult(t, o); r.ID != id || r.State != "SUCCESS" || r.URL == "" {
				t.Errorf("wait: %+v", r)
			}
			// Every command that prints an execution links to it.
			link := func(what string, r executionJSON) {
				t.Helper()
				if want := srv.URL + "/ui/main/executions/company.team/" + r.FlowID + "/" + r.ID; r.ID == "" || r.URL != want {
					t.Errorf("%s: url %q, want %q", what, r.URL, want)
				}
			}
			link("status", parseResult(t, step(exitOK, "status", id, "-o", "json")))
			if o := step(exitOK, "status", id); !strings.Contains(o.stdout, "url        "+srv.URL+"/ui/main/executions/company.team/hello-kestra-go/"+id+"\n") {
				t.Errorf("status text:\n%s", o)
			}
			if o := step(exitOK, "logs", id); !strings.Contains(o.stdout, "[greet] Hello, World!") {
				t.Errorf("logs:\n%s", o)
			}
			step(exitOK, "logs", id, "--follow")

			slow := strings.TrimSpace(step(exitOK, "run", "company.team", "slow", "--no-wait").stdout)
			stateOf(t, srv, slow, api.StateTypeRunning)
			link("kill", parseResult(t, step(exitOK, "kill", slow, "-o", "json")))
			stateOf(t, srv, slow, api.StateTypeKilled)
			step(exitExecution, "wait", slow) // KILLED

			broken := strings.TrimSpace(step(exitOK, "run", "company.team", "broken", "--no-wait").stdout)
			stateOf(t, srv, broken, api.StateTypeFailed)
			link("restart", parseResult(t, step(exitOK, "restart", broken, "-o", "json")))
			step(exitExecution, "wait", broken) // fails again

			paused := strings.TrimSpace(step(exitOK, "run", "company.team", "approval", "--no-wait").stdout)
			stateOf(t, srv, paused, api.StateTypePaused)
			link("resume", parseResult(t, step(exitOK, "resume", paused, "-o", "json")))
			step(exitOK, "wait", paused)
			step(exitServer, "resume", paused) // not paused any more

			o = step(exitTimeout, "run", "company.team", "slow", "--timeout", "300ms", "--kill-on-cancel", "-o", "json")
			stateOf(t, srv, parseResult(t, o).ID, api.StateTypeKilled)

			o = step(exitOK, "executions", "search", "--state", "KILLED", "-o", "json")
			var found []executionJSON
			if err := json.Unmarshal([]byte(o.stdout), &found); err != nil || len(found) != 2 {
				t.Errorf("search KILLED: %v %s", err, o)
			}
			for _, r := range found {
				link("search", r)
			}

			step(exitOK, "kv", "set", "company.team", "gen", g.name)
			if o := step(exitOK, "kv", "get", "company.team", "gen"); o.stdout != g.name+"\n" {
				t.Errorf("kv get: %s", o)
			}
			step(exitServer, "kv", "get", "company.team", "missing")
			if o := step(exitOK, "kv", "delete", "company.team", "gen"); o.stdout != "deleted company.team gen\n" {
				t.Errorf("kv delete: %s", o)
			}
			if o := step(exitOK, "kv", "delete", "company.team", "gen", "-o", "json"); !strings.Contains(o.stdout, `"deleted": false`) {
				t.Errorf("kv delete again: %s", o)
			}
			step(exitServer, "kv", "get", "company.team", "gen")

			path := filepath.Join(t.TempDir(), "f.yaml")
			if err := os.WriteFile(path, []byte(strings.Replace(warnFlow, "id: shaky", "id: deployed", 1)), 0o600); err != nil {
				t.Fatal(err)
			}
			if o := step(exitOK, "deploy", path); !strings.Contains(o.stdout, "company.team deployed created revision 1") {
				t.Errorf("deploy: %s", o)
			}
			step(exitOK, "run", "company.team", "deployed")

			o = step(exitServer, "status", "no-such-execution")
			if !strings.Contains(o.stderr, "404") {
				t.Errorf("status unknown: %s", o)
			}
		})
	}
}
