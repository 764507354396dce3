package kestratest_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/kestra-go/kestra-go/api"
	"github.com/kestra-go/kestra-go/kestratest"
)

const typedFlow = `id: typed
namespace: company.team
labels:
  team: data
inputs:
  - id: n
    type: INT
  - id: f
    type: FLOAT
    required: false
  - id: b
    type: BOOLEAN
    required: false
  - id: when
    type: DATETIME
    required: false
  - id: day
    type: DATE
    required: false
  - id: obj
    type: JSON
    required: false
  - id: list
    type: ARRAY
    itemType: INT
    required: false
  - id: doc
    type: FILE
    required: false
  - name: legacy
    type: STRING
    defaults: old-style
tasks:
  - id: log
    type: io.kestra.plugin.core.log.Log
    message: "n={{ inputs.n }}"
`

func TestCreateExecutionInputConversion(t *testing.T) {
	srv, c := newServer(t, kestratest.WithFlows(typedFlow))
	res := run(t, c, "company.team", "typed", waitParams(),
		part{name: "n", value: "-42"},
		part{name: "f", value: "1.5"},
		part{name: "b", value: "TRUE"},
		part{name: "when", value: "2026-01-01T10:00:00+01:00"},
		part{name: "day", value: "2026-02-03"},
		part{name: "obj", value: `{"a":[1,2]}`},
		part{name: "list", value: `[1,"2"]`},
		part{name: "doc", value: "file content", filename: "report.csv"},
		part{name: "extra", value: "ignored"},
	)
	if res.StatusCode() != 200 {
		t.Fatalf("%d %s", res.StatusCode(), res.Body)
	}
	e := res.JSON200
	in := e.Inputs
	if in["n"] != float64(-42) || in["f"] != 1.5 || in["b"] != true || in["when"] != "2026-01-01T09:00:00Z" ||
		in["day"] != "2026-02-03" || in["legacy"] != "old-style" {
		t.Fatalf("inputs: %v", in)
	}
	if obj, _ := json.Marshal(in["obj"]); string(obj) != `{"a":[1,2]}` {
		t.Fatalf("JSON input: %s", obj)
	}
	if l, _ := json.Marshal(in["list"]); string(l) != `[1,2]` {
		t.Fatalf("ARRAY input: %s", l)
	}
	if _, ok := in["extra"]; ok {
		t.Fatal("an undeclared input was kept")
	}
	uri, _ := in["doc"].(string)
	if !strings.HasPrefix(uri, "kestra:///company/team/typed/executions/"+e.ID+"/inputs/doc/report.csv") {
		t.Fatalf("FILE input: %q", uri)
	}
	file, _ := c.DownloadFileFromExecutionWithResponse(ctxT(t), "main", e.ID, &api.DownloadFileFromExecutionParams{Path: uri})
	if file.StatusCode() != 200 || string(file.Body) != "file content" {
		t.Fatalf("download: %d %q", file.StatusCode(), file.Body)
	}
	metas, _ := c.GetFileMetadatasFromExecutionWithResponse(ctxT(t), "main", e.ID, &api.GetFileMetadatasFromExecutionParams{Path: uri})
	if metas.StatusCode() != 200 || metas.JSON200.Size != 12 {
		t.Fatalf("metas: %s", metas.Body)
	}
	bad, _ := c.DownloadFileFromExecutionWithResponse(ctxT(t), "main", e.ID, &api.DownloadFileFromExecutionParams{Path: "file:///etc/passwd"})
	if bad.StatusCode() != 422 {
		t.Fatalf("foreign path: %d", bad.StatusCode())
	}
	// Flow labels are copied onto the execution, and the server adds
	// system.correlationId=<id> (Execution.newExecution).
	if got := labelMap(e.Labels); len(got) != 2 || got["team"] != "data" || got["system.correlationId"] != e.ID {
		t.Fatalf("labels: %+v", e.Labels)
	}
	// The undeclared input is reported in a WARN line.
	logs, _ := c.ListLogsFromExecutionWithResponse(ctxT(t), "main", e.ID, nil)
	found := false
	for _, l := range *logs.JSON200 {
		if l.Level == api.LevelWarn && strings.Contains(l.Message, "Input extra was provided") {
			found = true
		}
	}
	if !found {
		t.Fatalf("no WARN line for the undeclared input: %s", logs.Body)
	}
	if n := len(srv.Executions("main")); n != 1 {
		t.Fatalf("Executions: %d", n)
	}
	// Templates print values as Pebble does.
	ev, _ := c.EvalExpressionWithTextBodyWithResponse(ctxT(t), "main", e.ID, "{{ inputs.f }} {{ inputs.b }} {{ inputs.obj.a[1] }} {{ inputs.n }}")
	if ev.JSON200 == nil || ev.JSON200.Result != "1.5 true 2 -42" {
		t.Fatalf("rendering: %s", ev.Body)
	}
}

func TestCreateExecutionInputErrors(t *testing.T) {
	_, c := newServer(t, kestratest.WithFlows(typedFlow))
	cases := []struct {
		name  string
		parts []part
		want  string
	}{
		{"missing required", nil, "Invalid entity: Missing required input:n"},
		{"wrong INT", []part{{name: "n", value: "abc"}}, "Invalid entity: Invalid value for input `n`. Cause: For input string: \"abc\""},
		{"INT overflow", []part{{name: "n", value: "3000000000"}}, "Invalid entity: Invalid value for input `n`. Cause: For input string: \"3000000000\""},
		{"wrong DATETIME", []part{{name: "n", value: "1"}, {name: "when", value: "yesterday"}}, "Invalid entity: Invalid value for input `when`. Cause: Text 'yesterday' could not be parsed"},
		{"wrong JSON", []part{{name: "n", value: "1"}, {name: "obj", value: "{"}}, "Invalid entity: Invalid value for input `obj`. Cause: invalid JSON"},
		{"ARRAY not JSON", []part{{name: "n", value: "1"}, {name: "list", value: "['a']"}}, "Invalid entity: Invalid value for input `list`"},
	}
	for _, tc := range cases {
		res := run(t, c, "company.team", "typed", nil, tc.parts...)
		if res.StatusCode() != 422 || !strings.HasPrefix(errorMessage(t, res.Body), tc.want) {
			t.Errorf("%s: %d %s", tc.name, res.StatusCode(), res.Body)
		}
	}
	// Problem details carry the same text in detail, with the input in errors.
	_, pc := newServer(t, kestratest.WithFlows(typedFlow), kestratest.WithProblemDetails())
	res := run(t, pc, "company.team", "typed", nil)
	var p struct {
		Type, Title, Detail string
		Status              int
		Errors              []struct{ Detail, Pointer string }
	}
	if err := json.Unmarshal(res.Body, &p); err != nil || res.StatusCode() != 422 ||
		res.HTTPResponse.Header.Get("Content-Type") != "application/problem+json" ||
		p.Detail != "Missing required input:n" || p.Status != 422 || len(p.Errors) != 1 || p.Errors[0].Pointer != "/n" ||
		!strings.HasPrefix(p.Type, "https://kestra.io/docs/api-reference/problems/") {
		t.Fatalf("problem: %v %s", err, res.Body)
	}
}

func TestCreateExecutionLabels(t *testing.T) {
	_, c := newServer(t, kestratest.WithFlows(helloFlow))
	ok := run(t, c, "company.team", "hello", &api.CreateExecutionParams{Labels: []string{"env:prod", "url: http://x:8080/a ", "system.correlationId:abc"}})
	if ok.StatusCode() != 200 {
		t.Fatalf("%d %s", ok.StatusCode(), ok.Body)
	}
	got := map[string]string{}
	for _, l := range ok.JSON200.Labels {
		got[l.Key] = l.Value
	}
	if got["env"] != "prod" || got["url"] != "http://x:8080/a" || got["system.correlationId"] != "abc" {
		t.Fatalf("labels: %v", got)
	}
	for _, tc := range []struct {
		labels []string
		want   string
	}{
		// RequestUtils.toMap throws HttpStatusException(UNPROCESSABLE_ENTITY),
		// ExecutionController.parseLabels an IllegalArgumentException: the
		// reason prefixes of ErrorController.jsonError.
		{[]string{"novalue"}, "Unprocessable Entity: Can't split the queryString parameter by ':'"},
		{[]string{":v"}, "Unprocessable Entity: Can't split the queryString parameter by ':'"},
		{[]string{"k: "}, "Unprocessable Entity: Can't have an empty part of queryString"},
		{[]string{"a b:v"}, "Unprocessable Entity: Key of queryString can't contain a whitespace character"},
		{[]string{"k:1", "k:2"}, "Unprocessable Entity: The queryString parameter keys contains duplicities: Duplicate key k"},
		{[]string{"system.foo:x"}, "Illegal argument: System labels can only be set by Kestra itself"},
	} {
		res := run(t, c, "company.team", "hello", &api.CreateExecutionParams{Labels: tc.labels})
		if res.StatusCode() != 422 || !strings.HasPrefix(errorMessage(t, res.Body), tc.want) {
			t.Errorf("%v: %d %s", tc.labels, res.StatusCode(), res.Body)
		}
	}
}

func TestExecutionLifecycle(t *testing.T) {
	srv, c := newServer(t, kestratest.WithFlows(helloFlow))
	ctx := ctxT(t)
	created := run(t, c, "company.team", "hello", &api.CreateExecutionParams{Labels: []string{"env:prod"}})
	if created.StatusCode() != 200 || created.JSON200.State.Current != api.StateTypeCreated ||
		!strings.HasSuffix(created.JSON200.URL, "/ui/main/executions/company.team/hello/"+created.JSON200.ID) {
		t.Fatalf("create: %s", created.Body)
	}
	id := created.JSON200.ID
	if err := srv.WaitIdle(ctx); err != nil {
		t.Fatal(err)
	}
	g, _ := c.GetExecutionWithResponse(ctx, "main", id)
	e := g.JSON200
	if g.StatusCode() != 200 || e.State.Current != api.StateTypeSuccess || e.Outputs["greeting"] != "hi world" {
		t.Fatalf("get: %s", g.Body)
	}
	var states []api.StateType
	for _, h := range e.State.Histories {
		states = append(states, h.State)
	}
	if len(states) != 3 || states[0] != "CREATED" || states[1] != "RUNNING" || states[2] != "SUCCESS" ||
		e.State.EndDate.IsZero() || e.State.Duration == "" || e.State.StartDate.IsZero() {
		t.Fatalf("state: %+v", e.State)
	}
	if len(e.TaskRunList) != 2 || e.TaskRunList[1].TaskID != "out" {
		t.Fatalf("task runs: %+v", e.TaskRunList)
	}

	info, _ := c.GetTaskOutputsInformationWithResponse(ctx, "main", id)
	if info.StatusCode() != 200 || len(*info.JSON200) != 1 || (*info.JSON200)[0].TaskID != "out" {
		t.Fatalf("outputs info: %s", info.Body)
	}
	fl, _ := c.GetFlowFromExecutionByIDWithResponse(ctx, "main", id)
	if fl.StatusCode() != 200 || fl.JSON200.ID != "hello" {
		t.Fatalf("flow of execution: %s", fl.Body)
	}

	// Labels can be replaced once the execution has ended.
	lr, _ := c.SetLabelsOnTerminatedExecutionWithResponse(ctx, "main", id, api.SetLabelsOnTerminatedExecutionJSONRequestBody{{Key: "owner", Value: "ada"}})
	if got := labelMap(lr.JSON200.Labels); lr.StatusCode() != 200 || len(got) != 2 || got["owner"] != "ada" || got["system.correlationId"] != id {
		t.Fatalf("set labels: %d %s", lr.StatusCode(), lr.Body)
	}
	bad, _ := c.SetLabelsOnTerminatedExecutionWithResponse(ctx, "main", id, api.SetLabelsOnTerminatedExecutionJSONRequestBody{{Key: "Bad Key", Value: "x"}})
	if bad.StatusCode() != 422 {
		t.Fatalf("invalid label key: %d %s", bad.StatusCode(), bad.Body)
	}

	st, _ := c.UpdateExecutionStatusWithResponse(ctx, "main", id, &api.UpdateExecutionStatusParams{Status: api.StateTypeWarning})
	if st.StatusCode() != 200 || st.JSON200.State.Current != api.StateTypeWarning {
		t.Fatalf("change status: %d %s", st.StatusCode(), st.Body)
	}
	st, _ = c.UpdateExecutionStatusWithResponse(ctx, "main", id, &api.UpdateExecutionStatusParams{Status: api.StateTypeRunning})
	if st.StatusCode() != 422 {
		t.Fatalf("change to non-terminal: %d", st.StatusCode())
	}

	rp, _ := c.ReplayExecutionWithResponse(ctx, "main", id, nil)
	if rp.StatusCode() != 200 || rp.JSON200.ID == id || rp.JSON200.OriginalID != id {
		t.Fatalf("replay: %d %s", rp.StatusCode(), rp.Body)
	}

	d, _ := c.DeleteExecutionWithResponse(ctx, "main", id, nil)
	if d.StatusCode() != 204 {
		t.Fatalf("delete: %d", d.StatusCode())
	}
	g, _ = c.GetExecutionWithResponse(ctx, "main", id)
	if g.StatusCode() != 404 {
		t.Fatalf("get deleted: %d", g.StatusCode())
	}
	d, _ = c.DeleteExecutionWithResponse(ctx, "main", id, nil)
	if d.StatusCode() != 404 {
		t.Fatalf("delete twice: %d", d.StatusCode())
	}
	logs, _ := c.ListLogsFromExecutionWithResponse(ctx, "main", id, nil)
	if logs.StatusCode() != 200 || len(*logs.JSON200) != 0 {
		t.Fatalf("logs of a deleted execution: %s", logs.Body)
	}
}

const pauseFlow = `id: pause
namespace: company.team
tasks:
  - id: wait
    type: io.kestra.plugin.core.flow.Pause
  - id: done
    type: io.kestra.plugin.core.log.Log
    message: resumed
`

func waitState(t *testing.T, c *api.ClientWithResponses, id string, want api.StateType) *api.Execution {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		g, err := c.GetExecutionWithResponse(ctxT(t), "main", id)
		if err != nil {
			t.Fatal(err)
		}
		if g.JSON200 != nil && g.JSON200.State.Current == want {
			return g.JSON200
		}
		if time.Now().After(deadline) {
			t.Fatalf("execution %s never reached %s: %s", id, want, g.Body)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func TestPauseResumeAndKill(t *testing.T) {
	_, c := newServer(t, kestratest.WithFlows(pauseFlow))
	ctx := ctxT(t)
	id := run(t, c, "company.team", "pause", nil).JSON200.ID
	p := waitState(t, c, id, api.StateTypePaused)
	if p.State.EndDate.IsZero() {
		t.Fatal("PAUSED has an endDate on the real server")
	}
	ct, body := multipartBody(t)
	rs, err := c.ResumeExecutionWithBodyWithResponse(ctx, "main", id, ct, body)
	if err != nil || rs.StatusCode() != 200 {
		t.Fatalf("resume: %v %d %s", err, rs.StatusCode(), rs.Body)
	}
	waitState(t, c, id, api.StateTypeSuccess)
	ct, body = multipartBody(t)
	rs, _ = c.ResumeExecutionWithBodyWithResponse(ctx, "main", id, ct, body)
	if rs.StatusCode() != 409 {
		t.Fatalf("resume of an ended execution: %d", rs.StatusCode())
	}

	id2 := run(t, c, "company.team", "pause", nil).JSON200.ID
	waitState(t, c, id2, api.StateTypePaused)
	k, err := c.KillExecutionWithResponse(ctx, "main", id2, nil)
	if err != nil || k.StatusCode() != 200 || k.HTTPResponse.Header.Get("Content-Type") != "text/json" {
		t.Fatalf("kill: %v %d %s", err, k.StatusCode(), k.Body)
	}
	var killing api.Execution
	if err := json.Unmarshal(k.Body, &killing); err != nil || killing.State.Current != api.StateTypeKilling {
		t.Fatalf("kill answer: %v %s", err, k.Body)
	}
	killed := waitState(t, c, id2, api.StateTypeKilled)
	last := killed.TaskRunList[len(killed.TaskRunList)-1]
	if last.State.Current != api.StateTypeKilled {
		t.Fatalf("running task run after kill: %s", last.State.Current)
	}
	// Killing an ended execution: 200 with cascade (the default), 409 without.
	k, _ = c.KillExecutionWithResponse(ctx, "main", id2, nil)
	if k.StatusCode() != 200 {
		t.Fatalf("kill again: %d", k.StatusCode())
	}
	k, _ = c.KillExecutionWithResponse(ctx, "main", id2, &api.KillExecutionParams{IsOnKillCascade: ptr(false)})
	if k.StatusCode() != 409 {
		t.Fatalf("kill again without cascade: %d", k.StatusCode())
	}
	k, _ = c.KillExecutionWithResponse(ctx, "main", "nope", nil)
	if k.StatusCode() != 404 {
		t.Fatalf("kill unknown: %d", k.StatusCode())
	}
}

func TestPauseWithDurationResumesByItself(t *testing.T) {
	flow := strings.Replace(pauseFlow, "type: io.kestra.plugin.core.flow.Pause", "type: io.kestra.plugin.core.flow.Pause\n    pauseDuration: PT0.05S", 1)
	_, c := newServer(t, kestratest.WithFlows(flow))
	res := run(t, c, "company.team", "pause", waitParams())
	var states []string
	for _, h := range res.JSON200.State.Histories {
		states = append(states, string(h.State))
	}
	if strings.Join(states, ",") != "CREATED,RUNNING,PAUSED,RUNNING,SUCCESS" {
		t.Fatalf("history: %v", states)
	}
}

func TestSearchExecutions(t *testing.T) {
	_, c := newServer(t, kestratest.WithFlows(helloFlow, sleepyFlow))
	ctx := ctxT(t)
	for i := 0; i < 3; i++ {
		run(t, c, "company.team", "hello", waitParams(), part{name: "name", value: "x"})
	}
	run(t, c, "company.team", "hello", &api.CreateExecutionParams{Wait: true, Labels: []string{"env:prod"}})
	run(t, c, "company.team", "sleepy", &api.CreateExecutionParams{Wait: true, Labels: []string{"env:prod"}})

	all, _ := c.SearchExecutionsWithResponse(ctx, "main", nil)
	if all.StatusCode() != 200 || all.JSON200.Total != 5 || len(all.JSON200.Results) != 5 {
		t.Fatalf("all: %s", all.Body)
	}
	r := all.JSON200.Results
	for i := 1; i < len(r); i++ {
		if r[i].State.StartDate.After(r[i-1].State.StartDate) {
			t.Fatal("not sorted by start date, newest first")
		}
	}
	byLabel, _ := c.SearchExecutionsWithResponse(ctx, "main", nil, addQuery("filters[labels][EQUALS][env]", "prod"))
	if byLabel.JSON200.Total != 2 {
		t.Fatalf("by label: %s", byLabel.Body)
	}
	both, _ := c.SearchExecutionsWithResponse(ctx, "main", nil, addQuery("filters[labels][EQUALS][env]", "prod", "filters[flowId][EQUALS]", "sleepy"))
	if both.JSON200.Total != 1 || both.JSON200.Results[0].FlowID != "sleepy" {
		t.Fatalf("label and flow: %s", both.Body)
	}
	legacy, _ := c.SearchExecutionsWithResponse(ctx, "main", nil, addQuery("labels", "env:prod", "flowId", "hello"))
	if legacy.JSON200.Total != 1 {
		t.Fatalf("legacy params: %s", legacy.Body)
	}
	states, _ := c.SearchExecutionsWithResponse(ctx, "main", nil, addQuery("filters[state][IN]", "FAILED,KILLED"))
	if states.JSON200.Total != 0 {
		t.Fatalf("state IN: %s", states.Body)
	}
	page, _ := c.SearchExecutionsWithResponse(ctx, "main", &api.SearchExecutionsParams{Page: 2, Size: 2})
	if page.JSON200.Total != 5 || len(page.JSON200.Results) != 2 {
		t.Fatalf("page 2: %s", page.Body)
	}
	bad, _ := c.SearchExecutionsWithResponse(ctx, "main", nil, addQuery("filters[nope][EQUALS]", "x"))
	if bad.StatusCode() != 400 {
		t.Fatalf("unknown filter field: %d", bad.StatusCode())
	}
	badSort, _ := c.SearchExecutionsWithResponse(ctx, "main", &api.SearchExecutionsParams{Sort: []string{"id"}})
	if badSort.StatusCode() != 422 {
		t.Fatalf("sort without direction: %d", badSort.StatusCode())
	}
	byFlow, _ := c.SearchExecutionsByFlowIDWithResponse(ctx, "main", &api.SearchExecutionsByFlowIDParams{Namespace: "company.team", FlowID: "sleepy"})
	if byFlow.StatusCode() != 200 || byFlow.JSON200.Total != 1 {
		t.Fatalf("by flow: %s", byFlow.Body)
	}
	latest, _ := c.GetLatestExecutionsWithResponse(ctx, "main", api.GetLatestExecutionsJSONRequestBody{{Namespace: "company.team", ID: "sleepy"}})
	if latest.StatusCode() != 200 || len(*latest.JSON200) != 1 || (*latest.JSON200)[0].Status != api.StateTypeSuccess {
		t.Fatalf("latest: %s", latest.Body)
	}
}

func TestValidateNewExecutionInputs(t *testing.T) {
	_, c := newServer(t, kestratest.WithFlows(typedFlow))
	ct, body := multipartBody(t, part{name: "n", value: "x"})
	res, err := c.ValidateNewExecutionInputsWithBodyWithResponse(ctxT(t), "main", "company.team", "typed", &api.ValidateNewExecutionInputsParams{Labels: []string{"a:b"}}, ct, body)
	if err != nil || res.StatusCode() != 200 {
		t.Fatalf("%v %d %s", err, res.StatusCode(), res.Body)
	}
	v := (*res.JSON200)[0]
	if v.Inputs[0].Input.ID != "n" || len(v.Inputs[0].Errors) != 1 || len(v.Inputs[1].Errors) != 0 {
		t.Fatalf("verdict: %s", res.Body)
	}
}

func TestBulkExecutions(t *testing.T) {
	srv, c := newServer(t, kestratest.WithFlows(pauseFlow))
	ctx := ctxT(t)
	a := run(t, c, "company.team", "pause", nil).JSON200.ID
	b := run(t, c, "company.team", "pause", nil).JSON200.ID
	waitState(t, c, a, api.StateTypePaused)
	waitState(t, c, b, api.StateTypePaused)
	bad, _ := c.ResumeExecutionsByIdsWithResponse(ctx, "main", api.ResumeExecutionsByIdsJSONRequestBody{a, "nope"})
	if bad.StatusCode() != 400 {
		t.Fatalf("resume with an invalid id: %d", bad.StatusCode())
	}
	rs, _ := c.ResumeExecutionsByIdsWithResponse(ctx, "main", api.ResumeExecutionsByIdsJSONRequestBody{a})
	if rs.StatusCode() != 200 {
		t.Fatalf("bulk resume: %d %s", rs.StatusCode(), rs.Body)
	}
	waitState(t, c, a, api.StateTypeSuccess)
	k, _ := c.KillExecutionsByIdsWithResponse(ctx, "main", api.KillExecutionsByIdsJSONRequestBody{b})
	if k.StatusCode() != 200 {
		t.Fatalf("bulk kill: %d %s", k.StatusCode(), k.Body)
	}
	waitState(t, c, b, api.StateTypeKilled)
	d, _ := c.DeleteExecutionsByIdsWithResponse(ctx, "main", nil, api.DeleteExecutionsByIdsJSONRequestBody{a, b})
	if d.StatusCode() != 200 || d.JSON200.Count != 2 || len(srv.Executions("main")) != 0 {
		t.Fatalf("bulk delete: %d %s", d.StatusCode(), d.Body)
	}
}

func TestCreateExecutionOfUnknownFlowOrRevisionIs404(t *testing.T) {
	_, c := newServer(t, kestratest.WithFlows(helloFlow))
	for name, tc := range map[string]struct {
		id     string
		params *api.CreateExecutionParams
	}{
		"unknown flow":     {"nope", nil},
		"unknown revision": {"hello", &api.CreateExecutionParams{Revision: 9}},
	} {
		res := run(t, c, "company.team", tc.id, tc.params)
		if res.StatusCode() != 404 || errorMessage(t, res.Body) != "Not Found: Requested Flow is not found." {
			t.Errorf("%s: %d %s", name, res.StatusCode(), res.Body)
		}
	}
}

// A by-ids action with one id that does not qualify does nothing and is
// 400 with a message naming it, as the server's bulk endpoints answer.
func TestBulkExecutionsWithAnInvalidIDChangeNothing(t *testing.T) {
	srv, c := newServer(t, kestratest.WithFlows(helloFlow, pauseFlow))
	ctx := ctxT(t)
	done := run(t, c, "company.team", "hello", waitParams()).JSON200.ID
	paused := run(t, c, "company.team", "pause", nil).JSON200.ID
	waitState(t, c, paused, api.StateTypePaused)
	kill, _ := c.KillExecutionsByIdsWithResponse(ctx, "main", api.KillExecutionsByIdsJSONRequestBody{paused, done})
	if kill.StatusCode() != 400 || !strings.Contains(string(kill.Body), "invalid bulk kill: execution already finished: "+done) {
		t.Fatalf("bulk kill: %d %s", kill.StatusCode(), kill.Body)
	}
	del, _ := c.DeleteExecutionsByIdsWithResponse(ctx, "main", nil, api.DeleteExecutionsByIdsJSONRequestBody{done, paused})
	if del.StatusCode() != 400 || !strings.Contains(string(del.Body), "invalid bulk delete: execution not found or not terminated: "+paused) {
		t.Fatalf("bulk delete: %d %s", del.StatusCode(), del.Body)
	}
	if n := len(srv.Executions("main")); n != 2 {
		t.Fatalf("%d executions left, want 2", n)
	}
	waitState(t, c, paused, api.StateTypePaused) // not killed
}
