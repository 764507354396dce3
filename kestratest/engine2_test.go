package kestratest_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/kestra-go/kestra-go/api"
	"github.com/kestra-go/kestra-go/kestratest"
)

const webhookFlow = `id: hook
namespace: company.team
tasks:
  - id: log
    type: io.kestra.plugin.core.log.Log
    message: "order {{ trigger.body.order }}"
triggers:
  - id: incoming
    type: io.kestra.plugin.core.trigger.Webhook
    key: s3cr3t
`

func TestWebhook(t *testing.T) {
	srv, c := newServer(t, kestratest.WithFlows(webhookFlow), kestratest.WithBasicAuth("admin@example.com", "Secret123"))
	ctx := ctxT(t)
	// The document declares no body for the POST webhook: send one anyway,
	// as webhook callers do.
	withBody := func(_ context.Context, req *http.Request) error {
		b := `{"order": 7}`
		req.Body, req.ContentLength = io.NopCloser(strings.NewReader(b)), int64(len(b))
		req.Header.Set("Content-Type", "application/json")
		return nil
	}
	res, err := c.TriggerExecutionByPostWebhookWithResponse(ctx, "main", "company.team", "hook", "s3cr3t", withBody)
	if err != nil {
		t.Fatal(err)
	}
	var body struct {
		ID      string
		Trigger struct{ ID, Type string }
	}
	_ = json.Unmarshal(res.Body, &body)
	if res.StatusCode() != 200 || body.Trigger.ID != "incoming" || body.ID == "" {
		t.Fatalf("webhook (open without credentials): %d %+v", res.StatusCode(), body)
	}
	auth := withBasic("admin@example.com", "Secret123")
	if err := srv.WaitIdle(ctx); err != nil {
		t.Fatal(err)
	}
	logs, _ := c.ListLogsFromExecutionWithResponse(ctx, "main", body.ID, nil, auth)
	if len(*logs.JSON200) != 1 || (*logs.JSON200)[0].Message != "order 7" {
		t.Fatalf("logs: %s", logs.Body)
	}
	wrong, _ := c.TriggerExecutionByGetWebhookWithResponse(ctx, "main", "company.team", "hook", "nope")
	if wrong.StatusCode() != 404 {
		t.Fatalf("wrong key: %d", wrong.StatusCode())
	}
	get, _ := c.TriggerExecutionByGetWebhookWithResponse(ctx, "main", "company.team", "hook", "s3cr3t")
	if get.StatusCode() != 200 || get.JSON200.Trigger.ID == "" {
		t.Fatalf("GET webhook: %d %s", get.StatusCode(), get.Body)
	}
}

func TestEvalExpression(t *testing.T) {
	_, c := newServer(t, kestratest.WithFlows(helloFlow))
	id := run(t, c, "company.team", "hello", waitParams(), part{name: "name", value: "Ada"}).JSON200.ID
	res, err := c.EvalExpressionWithTextBodyWithResponse(ctxT(t), "main", id, "{{ outputs.out.values.greeting }} / {{ inputs.name | upper }}")
	if err != nil || res.StatusCode() != 200 || res.JSON200.Result != "hi Ada / ADA" {
		t.Fatalf("%v %d %s", err, res.StatusCode(), res.Body)
	}
	res, _ = c.EvalExpressionWithTextBodyWithResponse(ctxT(t), "main", id, "{{ nope | nofilter }}")
	if res.StatusCode() != 200 || res.JSON200.Error == "" {
		t.Fatalf("error: %s", res.Body)
	}
}

func TestPauseExecutionBetweenTasks(t *testing.T) {
	_, c := newServer(t, kestratest.WithFlows(strings.Replace(sleepyFlow, "PT0.3S", "PT1S", 1)))
	ctx := ctxT(t)
	id := run(t, c, "company.team", "sleepy", nil).JSON200.ID
	waitState(t, c, id, api.StateTypeRunning)
	p, _ := c.PauseExecutionWithResponse(ctx, "main", id)
	if p.StatusCode() != 200 {
		t.Fatalf("pause: %d %s", p.StatusCode(), p.Body)
	}
	e := waitState(t, c, id, api.StateTypePaused)
	if n := len(e.TaskRunList); n == 3 {
		t.Fatalf("paused after the last task")
	}
	ct, body := multipartBody(t)
	if rs, _ := c.ResumeExecutionWithBodyWithResponse(ctx, "main", id, ct, body); rs.StatusCode() != 200 {
		t.Fatalf("resume: %d", rs.StatusCode())
	}
	e = waitState(t, c, id, api.StateTypeSuccess)
	if len(e.TaskRunList) != 3 {
		t.Fatalf("task runs after resume: %d", len(e.TaskRunList))
	}
	if p, _ := c.PauseExecutionWithResponse(ctx, "main", id); p.StatusCode() != 409 {
		t.Fatalf("pause of an ended execution: %d", p.StatusCode())
	}
}

func TestRestartExecutionFromTheFailedTask(t *testing.T) {
	srv, c := newServer(t, kestratest.WithFlows(`id: flaky
namespace: company.team
tasks:
  - id: first
    type: io.kestra.plugin.core.output.OutputValues
    values:
      v: one
  - id: boom
    type: io.kestra.plugin.core.execution.Fail
`))
	ctx := ctxT(t)
	res := run(t, c, "company.team", "flaky", waitParams())
	id := res.JSON200.ID
	if res.JSON200.State.Current != api.StateTypeFailed {
		t.Fatalf("%s", res.Body)
	}
	// Fix the flow (a new revision), then restart on it.
	if _, err := srv.DeployFlow("main", "id: flaky\nnamespace: company.team\ntasks:\n  - id: first\n    type: io.kestra.plugin.core.output.OutputValues\n    values:\n      v: one\n  - id: boom\n    type: io.kestra.plugin.core.log.Log\n    message: \"fixed after {{ outputs.first.values.v }}\"\n"); err != nil {
		t.Fatal(err)
	}
	rs, _ := c.RestartExecutionWithResponse(ctx, "main", id, &api.RestartExecutionParams{Revision: 2})
	if rs.StatusCode() != 200 || rs.JSON200.ID != id || rs.JSON200.State.Current != "RESTARTED" {
		t.Fatalf("restart: %d %s", rs.StatusCode(), rs.Body)
	}
	e := waitState(t, c, id, api.StateTypeSuccess)
	if len(e.TaskRunList) != 2 || e.TaskRunList[0].ID != res.JSON200.TaskRunList[0].ID || e.Metadata.AttemptNumber != 2 {
		t.Fatalf("after restart: %+v", e)
	}
	if msgs := logMessages(t, c, id); msgs[len(msgs)-1] != "INFO fixed after one" {
		t.Fatalf("logs: %v", msgs)
	}
	if rs, _ := c.RestartExecutionWithResponse(ctx, "main", id, nil); rs.StatusCode() != 422 {
		t.Fatalf("restart of a successful execution: %d", rs.StatusCode())
	}
}

func TestReplayWithInputsAndBulk(t *testing.T) {
	_, c := newServer(t, kestratest.WithFlows(helloFlow))
	ctx := ctxT(t)
	id := run(t, c, "company.team", "hello", waitParams(), part{name: "name", value: "Ada"}).JSON200.ID
	ct, body := multipartBody(t, part{name: "name", value: "Grace"})
	rp, err := c.ReplayExecutionWithinputsWithBodyWithResponse(ctx, "main", id, nil, ct, body)
	if err != nil || rp.StatusCode() != 200 || rp.JSON200.ID == id {
		t.Fatalf("replay with inputs: %v %d %s", err, rp.StatusCode(), rp.Body)
	}
	e := waitState(t, c, rp.JSON200.ID, api.StateTypeSuccess)
	if e.Inputs["name"] != "Grace" || e.Outputs["greeting"] != "hi Grace" {
		t.Fatalf("replayed: %+v", e.Inputs)
	}
	b, _ := c.ReplayExecutionsByIdsWithResponse(ctx, "main", nil, api.ReplayExecutionsByIdsJSONRequestBody{id})
	if b.StatusCode() != 200 {
		t.Fatalf("bulk replay: %d %s", b.StatusCode(), b.Body)
	}
	s, _ := c.SearchExecutionsWithResponse(ctx, "main", nil, addQuery("filters[labels][EQUALS][system.replay]", "true"))
	if s.JSON200.Total != 2 {
		t.Fatalf("replays: %s", s.Body)
	}
	rb, _ := c.RestartExecutionsByIdsWithResponse(ctx, "main", api.RestartExecutionsByIdsJSONRequestBody{id})
	if rb.StatusCode() != 400 {
		t.Fatalf("bulk restart of a successful execution: %d", rb.StatusCode())
	}
}
