package kestratest_test

import (
	"encoding/json"
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
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, srv.URL+"/api/v1/main/executions/webhook/company.team/hook/s3cr3t", strings.NewReader(`{"order": 7}`))
	req.Header.Set("Content-Type", "application/json")
	res, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var body struct {
		ID      string
		Trigger struct{ ID, Type string }
	}
	_ = json.NewDecoder(res.Body).Decode(&body)
	res.Body.Close()
	if res.StatusCode != 200 || body.Trigger.ID != "incoming" || body.ID == "" {
		t.Fatalf("webhook (open without credentials): %d %+v", res.StatusCode, body)
	}
	auth := withBasic("admin@example.com", "Secret123")
	if err := srv.WaitIdle(ctx); err != nil {
		t.Fatal(err)
	}
	logs, _ := c.ListLogsFromExecutionWithResponse(ctx, "main", body.ID, auth)
	if len(*logs.JSON200) != 1 || *(*logs.JSON200)[0].Message != "order 7" {
		t.Fatalf("logs: %s", logs.Body)
	}
	wrong, _ := c.TriggerExecutionByGetWebhookWithResponse(ctx, "main", "company.team", "hook", "nope")
	if wrong.StatusCode() != 404 {
		t.Fatalf("wrong key: %d", wrong.StatusCode())
	}
	get, _ := c.TriggerExecutionByGetWebhookWithResponse(ctx, "main", "company.team", "hook", "s3cr3t")
	if get.StatusCode() != 200 || get.JSON200.Trigger == nil {
		t.Fatalf("GET webhook: %d %s", get.StatusCode(), get.Body)
	}
}

func TestEvalExpression(t *testing.T) {
	_, c := newServer(t, kestratest.WithFlows(helloFlow))
	id := run(t, c, "company.team", "hello", waitParams(), part{name: "name", value: "Ada"}).JSON200.ID
	res, err := c.EvalExpressionWithTextBodyWithResponse(ctxT(t), "main", id, "{{ outputs.out.values.greeting }} / {{ inputs.name | upper }}")
	if err != nil || res.StatusCode() != 200 || res.JSON200.Result == nil || *res.JSON200.Result != "hi Ada / ADA" {
		t.Fatalf("%v %d %s", err, res.StatusCode(), res.Body)
	}
	res, _ = c.EvalExpressionWithTextBodyWithResponse(ctxT(t), "main", id, "{{ nope | nofilter }}")
	if res.StatusCode() != 200 || res.JSON200.Error == nil {
		t.Fatalf("error: %s", res.Body)
	}
}

func TestPauseExecutionBetweenTasks(t *testing.T) {
	_, c := newServer(t, kestratest.WithFlows(sleepyFlow))
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
