package kestratest_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/kestra-go/kestra-go/api"
	"github.com/kestra-go/kestra-go/kestratest"
)

func logMessages(t *testing.T, c *api.ClientWithResponses, id string) []string {
	t.Helper()
	res, err := c.ListLogsFromExecutionWithResponse(ctxT(t), "main", id, nil)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, l := range *res.JSON200 {
		out = append(out, string(l.Level)+" "+l.Message)
	}
	return out
}

func TestFailTask(t *testing.T) {
	_, c := newServer(t, kestratest.WithFlows(`id: failing
namespace: company.team
inputs:
  - id: reason
    type: STRING
    defaults: disk full
tasks:
  - id: before
    type: io.kestra.plugin.core.log.Log
    message: starting
  - id: boom
    type: io.kestra.plugin.core.execution.Fail
    errorMessage: "failed: {{ inputs.reason }}"
  - id: never
    type: io.kestra.plugin.core.log.Log
    message: unreachable
`))
	res := run(t, c, "company.team", "failing", waitParams())
	e := res.JSON200
	if e.State.Current != api.StateTypeFailed || len(e.TaskRunList) != 2 || e.TaskRunList[1].State.Current != api.StateTypeFailed {
		t.Fatalf("%s", res.Body)
	}
	msgs := logMessages(t, c, e.ID)
	if strings.Join(msgs, "|") != "INFO starting|ERROR failed: disk full" {
		t.Fatalf("logs: %v", msgs)
	}
}

func TestUnknownTaskTypeFailsWithAClearLog(t *testing.T) {
	_, c := newServer(t, kestratest.WithFlows(`id: script
namespace: company.team
tasks:
  - id: py
    type: io.kestra.plugin.scripts.python.Script
    script: print(1)
`))
	res := run(t, c, "company.team", "script", waitParams())
	if res.JSON200.State.Current != api.StateTypeFailed {
		t.Fatalf("%s", res.Body)
	}
	msgs := logMessages(t, c, res.JSON200.ID)
	if len(msgs) != 1 || !strings.HasPrefix(msgs[0], `ERROR kestratest cannot run task "py": type "io.kestra.plugin.scripts.python.Script" is not emulated`) {
		t.Fatalf("logs: %v", msgs)
	}
}

func TestAllowFailureGivesWarning(t *testing.T) {
	_, c := newServer(t, kestratest.WithFlows(`id: soft
namespace: company.team
tasks:
  - id: boom
    type: io.kestra.plugin.core.execution.Fail
    allowFailure: true
  - id: skipped
    type: io.kestra.plugin.core.log.Log
    message: off
    disabled: true
  - id: after
    type: io.kestra.core.tasks.log.Log
    message: still running
`))
	res := run(t, c, "company.team", "soft", waitParams())
	e := res.JSON200
	if e.State.Current != api.StateTypeWarning || len(e.TaskRunList) != 2 || e.TaskRunList[1].TaskID != "after" {
		t.Fatalf("%s", res.Body)
	}
}

func TestTemplateRendering(t *testing.T) {
	_, c := newServer(t, kestratest.WithFlows(`id: render
namespace: company.team
labels:
  env: test
inputs:
  - id: items
    type: ARRAY
    itemType: STRING
  - id: n
    type: INT
  - id: obj
    type: JSON
    defaults: '{"k": [1, "x<&>"]}'
tasks:
  - id: vals
    type: io.kestra.plugin.core.output.OutputValues
    values:
      upper: "{{ inputs.items[0] | upper }}"
      nested:
        - "{{ flow.id }}/{{ execution.id }}"
      count: "{% for i in inputs.items %}{{ i }};{% endfor %}"
      printed: "{{ inputs.items }} {{ inputs.items | length }} {{ inputs.obj }} {{ inputs.obj.k }}"
  - id: ret
    type: io.kestra.plugin.core.debug.Return
    format: "{{ outputs.vals.values.upper }}-{{ labels.env }}-{% if inputs.n > 1 %}big{% else %}small{% endif %}"
outputs:
  - id: total
    type: INT
    value: "{{ inputs.n }}"
  - id: text
    type: STRING
    value: "{{ outputs.ret.value }}"
`))
	res := run(t, c, "company.team", "render", waitParams(), part{name: "items", value: `["a","b"]`}, part{name: "n", value: "2"})
	e := res.JSON200
	if e.State.Current != api.StateTypeSuccess {
		t.Fatalf("%s", res.Body)
	}
	if e.Outputs["total"] != float64(2) || e.Outputs["text"] != "A-test-big" {
		t.Fatalf("outputs: %v", e.Outputs)
	}
	g, _ := c.GetExecutionWithResponse(ctxT(t), "main", e.ID)
	if !strings.Contains(string(g.Body), `"nested":["render/`+e.ID+`"]`) || !strings.Contains(string(g.Body), `"count":"a;b;"`) {
		t.Fatalf("task outputs: %s", g.Body)
	}
	// Kestra's Pebble output writer prints lists and maps as compact JSON.
	var doc struct {
		TaskRunList []struct {
			Outputs struct{ Values map[string]any }
		}
	}
	if err := json.Unmarshal(g.Body, &doc); err != nil || len(doc.TaskRunList) == 0 {
		t.Fatalf("decode: %v", err)
	}
	values := doc.TaskRunList[0].Outputs.Values
	if want := `["a","b"] 2 {"k":[1,"x<&>"]} [1,"x<&>"]`; values["printed"] != want {
		t.Fatalf("printed %q, want %q", values["printed"], want)
	}
}

func TestRenderErrorFailsTheTask(t *testing.T) {
	_, c := newServer(t, kestratest.WithFlows(`id: badtpl
namespace: company.team
tasks:
  - id: log
    type: io.kestra.plugin.core.log.Log
    message: "{{ inputs.x | nosuchfilter }}"
`))
	res := run(t, c, "company.team", "badtpl", waitParams())
	msgs := logMessages(t, c, res.JSON200.ID)
	if res.JSON200.State.Current != api.StateTypeFailed || len(msgs) != 1 || !strings.HasPrefix(msgs[0], "ERROR render") {
		t.Fatalf("%s %v", res.Body, msgs)
	}
}

func TestBindFlow(t *testing.T) {
	srv, c := newServer(t)
	srv.BindFlow("main", "company.team", "go", func(ctx context.Context, r *kestratest.Run) error {
		in := r.Inputs()
		r.Log("info", "got "+in["name"].(string))
		r.SetOutput("n", in["n"])
		if r.Execution().State.Current != api.StateTypeRunning {
			return errors.New("not running")
		}
		if in["n"].(int64) > 10 {
			r.SetState("WARNING")
		}
		return nil
	}, kestratest.InputDef{ID: "name", Type: "STRING", Required: true}, kestratest.InputDef{ID: "n", Type: "INT", Defaults: "5"})

	res := run(t, c, "company.team", "go", waitParams(), part{name: "name", value: "Ada"})
	e := res.JSON200
	if e.State.Current != api.StateTypeSuccess || e.Outputs["n"] != float64(5) || len(e.TaskRunList) != 1 || e.TaskRunList[0].TaskID != "run" {
		t.Fatalf("%s", res.Body)
	}
	if msgs := logMessages(t, c, e.ID); len(msgs) != 1 || msgs[0] != "INFO got Ada" {
		t.Fatalf("logs: %v", msgs)
	}
	res = run(t, c, "company.team", "go", waitParams(), part{name: "name", value: "Ada"}, part{name: "n", value: "11"})
	if res.JSON200.State.Current != api.StateTypeWarning {
		t.Fatalf("SetState: %s", res.JSON200.State.Current)
	}
	if res := run(t, c, "company.team", "go", nil); res.StatusCode() != 422 {
		t.Fatalf("missing required input of a bound flow: %d", res.StatusCode())
	}
	// A returned error: FAILED with the error logged.
	srv.BindFlow("main", "company.team", "go", func(ctx context.Context, r *kestratest.Run) error {
		return errors.New("no luck")
	})
	res = run(t, c, "company.team", "go", waitParams())
	if res.JSON200.State.Current != api.StateTypeFailed || logMessages(t, c, res.JSON200.ID)[0] != "ERROR no luck" {
		t.Fatalf("error: %s", res.Body)
	}
}

func TestBindFlowKillCancelsContextAndPause(t *testing.T) {
	srv, c := newServer(t)
	started := make(chan string, 1)
	srv.BindFlow("main", "company.team", "slow", func(ctx context.Context, r *kestratest.Run) error {
		if err := r.Pause(ctx); err != nil {
			return err
		}
		started <- r.ExecutionID()
		<-ctx.Done()
		return ctx.Err()
	})
	id := run(t, c, "company.team", "slow", nil).JSON200.ID
	waitState(t, c, id, api.StateTypePaused)
	ct, body := multipartBody(t)
	if rs, _ := c.ResumeExecutionWithBodyWithResponse(ctxT(t), "main", id, ct, body); rs.StatusCode() != 200 {
		t.Fatalf("resume: %d", rs.StatusCode())
	}
	select {
	case <-started:
	case <-time.After(5 * time.Second):
		t.Fatal("not resumed")
	}
	if k, _ := c.KillExecutionWithResponse(ctxT(t), "main", id, nil); k.StatusCode() != 200 {
		t.Fatalf("kill: %d", k.StatusCode())
	}
	e := waitState(t, c, id, api.StateTypeKilled)
	var states []string
	for _, h := range e.State.Histories {
		states = append(states, string(h.State))
	}
	if strings.Join(states, ",") != "CREATED,RUNNING,PAUSED,RUNNING,KILLING,KILLED" {
		t.Fatalf("history: %v", states)
	}
}

func TestScheduleDate(t *testing.T) {
	_, c := newServer(t, kestratest.WithFlows(helloFlow))
	// A wide margin: under -race on a loaded machine the create and get
	// calls alone can take a few hundred milliseconds.
	at := time.Now().Add(1500 * time.Millisecond).UTC()
	res := run(t, c, "company.team", "hello", &api.CreateExecutionParams{ScheduleDate: at})
	if res.JSON200.State.Current != api.StateTypeCreated || res.JSON200.ScheduleDate.IsZero() {
		t.Fatalf("%s", res.Body)
	}
	time.Sleep(20 * time.Millisecond)
	g, _ := c.GetExecutionWithResponse(ctxT(t), "main", res.JSON200.ID)
	if g.JSON200.State.Current != api.StateTypeCreated {
		t.Fatalf("started before its date: %s", g.JSON200.State.Current)
	}
	e := waitState(t, c, res.JSON200.ID, api.StateTypeSuccess)
	if e.State.Histories[1].Date.Before(at) {
		t.Fatal("RUNNING before the schedule date")
	}
}
