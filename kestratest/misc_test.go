package kestratest_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/kestra-go/kestra-go/api"
	"github.com/kestra-go/kestra-go/kestratest"
)

func TestKV(t *testing.T) {
	_, c := newServer(t)
	ctx := ctxT(t)
	for key, body := range map[string]string{
		"s": `"hello"`, "n": `42`, "b": `true`, "j": `{"a":1}`, "l": `[1,2]`, "t": `2026-01-01T00:00:00Z`, "d": `2026-01-02`, "sym": `bare`,
	} {
		res, err := c.SetKeyValueWithTextBodyWithResponse(ctx, "main", "company.team", key, body)
		if err != nil || res.StatusCode() != 200 {
			t.Fatalf("set %s: %v %v", key, err, res.StatusCode())
		}
	}
	for key, want := range map[string]string{
		"s": `{"type":"STRING","value":"hello"}`, "n": `{"type":"NUMBER","value":42}`, "b": `{"type":"BOOLEAN","value":true}`,
		"j": `{"type":"JSON","value":{"a":1}}`, "l": `{"type":"JSON","value":[1,2]}`,
		"t": `{"type":"DATETIME","value":"2026-01-01T00:00:00Z"}`, "d": `{"type":"DATE","value":"2026-01-02"}`,
		"sym": `{"type":"STRING","value":"bare"}`,
	} {
		res, _ := c.GetKeyValueWithResponse(ctx, "main", "company.team", key)
		if res.StatusCode() != 200 || string(res.Body) != want {
			t.Errorf("get %s: %d %s, want %s", key, res.StatusCode(), res.Body, want)
		}
	}
	bad, _ := c.SetKeyValueWithTextBodyWithResponse(ctx, "main", "company.team", "x", `{not json`)
	if bad.StatusCode() != 422 || errorMessage(t, bad.Body) != "Illegal argument: Invalid JSON value for: {not json" {
		t.Fatalf("invalid body: %d %s", bad.StatusCode(), bad.Body)
	}
	missing, _ := c.GetKeyValueWithResponse(ctx, "main", "company.team", "nope")
	if missing.StatusCode() != 404 {
		t.Fatalf("missing: %d", missing.StatusCode())
	}

	// ttl and description come as headers; an expired value is 410.
	exp, _ := c.SetKeyValueWithTextBodyWithResponse(ctx, "main", "company.team", "short", `"x"`, func(_ context.Context, req *http.Request) error {
		req.Header.Set("ttl", "PT1.5S") // wide: the list below must come before expiry, even under load
		req.Header.Set("description", "short-lived")
		return nil
	})
	if exp.StatusCode() != 200 {
		t.Fatalf("set with ttl: %d", exp.StatusCode())
	}
	list, _ := c.ListAllKeysWithResponse(ctx, "main", nil, addQuery("filters[namespace][EQUALS]", "company.team", "filters[q][EQUALS]", "short"))
	if list.StatusCode() != 200 || list.JSON200.Total != 1 || list.JSON200.Results[0].Description != "short-lived" || list.JSON200.Results[0].ExpirationDate.IsZero() {
		t.Fatalf("list: %s", list.Body)
	}
	time.Sleep(1600 * time.Millisecond)
	gone, _ := c.GetKeyValueWithResponse(ctx, "main", "company.team", "short")
	if gone.StatusCode() != 410 {
		t.Fatalf("expired: %d %s", gone.StatusCode(), gone.Body)
	}

	all, _ := c.ListAllKeysWithResponse(ctx, "main", &api.ListAllKeysParams{Size: 3})
	if all.JSON200.Total != 8 || len(all.JSON200.Results) != 3 {
		t.Fatalf("list all: %s", all.Body)
	}
	_, _ = c.SetKeyValueWithTextBodyWithResponse(ctx, "main", "company", "parent", `1`)
	inh, _ := c.ListKeysWithInheritenceWithResponse(ctx, "main", "company.team")
	if inh.StatusCode() != 200 || len(*inh.JSON200) != 9 {
		t.Fatalf("inheritance: %s", inh.Body)
	}

	del, _ := c.DeleteKeyValueWithResponse(ctx, "main", "company.team", "s")
	if del.StatusCode() != 200 || string(del.Body) != "true" {
		t.Fatalf("delete: %d %s", del.StatusCode(), del.Body)
	}
	del, _ = c.DeleteKeyValueWithResponse(ctx, "main", "company.team", "s")
	if del.StatusCode() != 200 || string(del.Body) != "false" {
		t.Fatalf("delete absent: %d %s", del.StatusCode(), del.Body)
	}
	bulk, _ := c.DeleteKeyValuesWithResponse(ctx, "main", "company.team", api.DeleteKeyValuesJSONRequestBody{Keys: []string{"n", "b", "nope"}})
	if bulk.StatusCode() != 200 || len(bulk.JSON200.Keys) != 2 {
		t.Fatalf("bulk delete: %s", bulk.Body)
	}
}

func TestNamespaceFiles(t *testing.T) {
	_, c := newServer(t, kestratest.WithFlows(helloFlow))
	ctx := ctxT(t)
	ct, body := multipartBody(t, part{name: "fileContent", value: "print(1)", filename: "main.py"})
	res, err := c.CreateNamespaceFileWithBodyWithResponse(ctx, "main", "company.team", &api.CreateNamespaceFileParams{Path: "/scripts/main.py"}, ct, body)
	if err != nil || res.StatusCode() != 200 {
		t.Fatalf("upload: %v %d %s", err, res.StatusCode(), res.Body)
	}
	get, _ := c.GetFileContentWithResponse(ctx, "main", "company.team", &api.GetFileContentParams{Path: "/scripts/main.py"})
	if get.StatusCode() != 200 || string(get.Body) != "print(1)" {
		t.Fatalf("read: %d %q", get.StatusCode(), get.Body)
	}
	dir, _ := c.ListNamespaceDirectoryFilesWithResponse(ctx, "main", "company.team", &api.ListNamespaceDirectoryFilesParams{Path: "/scripts"})
	if dir.StatusCode() != 200 || len(*dir.JSON200) != 1 || (*dir.JSON200)[0].FileName != "main.py" {
		t.Fatalf("list: %s", dir.Body)
	}
	root, _ := c.ListNamespaceDirectoryFilesWithResponse(ctx, "main", "company.team", nil)
	if len(*root.JSON200) != 1 || (*root.JSON200)[0].Type != api.FileTypeDirectory {
		t.Fatalf("root: %s", root.Body)
	}
	stats, _ := c.GetFileMetadatasWithResponse(ctx, "main", "company.team", &api.GetFileMetadatasParams{Path: "/scripts/main.py"})
	if stats.StatusCode() != 200 || stats.JSON200.Size != 8 {
		t.Fatalf("stats: %s", stats.Body)
	}
	search, _ := c.SearchNamespaceFilesWithResponse(ctx, "main", "company.team", &api.SearchNamespaceFilesParams{Q: "main"})
	if len(*search.JSON200) != 1 {
		t.Fatalf("search: %s", search.Body)
	}
	mv, _ := c.MoveFileDirectoryWithResponse(ctx, "main", "company.team", &api.MoveFileDirectoryParams{From: "/scripts", To: "/src"})
	if mv.StatusCode() != 200 {
		t.Fatalf("move: %d", mv.StatusCode())
	}
	if g, _ := c.GetFileContentWithResponse(ctx, "main", "company.team", &api.GetFileContentParams{Path: "/src/main.py"}); g.StatusCode() != 200 {
		t.Fatalf("read moved: %d", g.StatusCode())
	}
	mk, _ := c.CreateNamespaceDirectoryWithResponse(ctx, "main", "company.team", &api.CreateNamespaceDirectoryParams{Path: "/empty/dir"})
	if mk.StatusCode() != 200 {
		t.Fatalf("mkdir: %d", mk.StatusCode())
	}
	rm, _ := c.DeleteFileDirectoryWithResponse(ctx, "main", "company.team", &api.DeleteFileDirectoryParams{Path: "/src"})
	if rm.StatusCode() != 200 {
		t.Fatalf("delete: %d", rm.StatusCode())
	}
	if g, _ := c.GetFileContentWithResponse(ctx, "main", "company.team", &api.GetFileContentParams{Path: "/src/main.py"}); g.StatusCode() != 404 {
		t.Fatalf("read deleted: %d", g.StatusCode())
	}
	ct, body = multipartBody(t, part{name: "fileContent", value: "x", filename: "f.yml"})
	if res, _ := c.CreateNamespaceFileWithBodyWithResponse(ctx, "main", "company.team", &api.CreateNamespaceFileParams{Path: "/_flows/f.yml"}, ct, body); res.StatusCode() != 422 {
		t.Fatalf("_flows path: %d", res.StatusCode())
	}

	// The document requires `filters` (see its description): an empty list
	// is sent as `filters=`, real filters go as bracketed keys.
	ns, _ := c.SearchNamespacesWithResponse(ctx, "main", &api.SearchNamespacesParams{})
	if ns.StatusCode() != 200 || ns.JSON200.Total != 2 { // company and company.team
		t.Fatalf("namespaces: %d %s", ns.StatusCode(), ns.Body)
	}
	ns, _ = c.SearchNamespacesWithResponse(ctx, "main", &api.SearchNamespacesParams{Filters: api.Filters{}.Where(api.FilterFieldQuery, api.FilterOpEquals, "team")})
	if ns.StatusCode() != 200 || ns.JSON200.Total != 1 || ns.JSON200.Results[0].ID != "company.team" {
		t.Fatalf("namespaces with q: %d %s", ns.StatusCode(), ns.Body)
	}
	one, _ := c.GetNamespaceWithResponse(ctx, "main", "company")
	if one.StatusCode() != 200 || one.JSON200.ID != "company" {
		t.Fatalf("namespace: %s", one.Body)
	}
}

func TestGetConfiguration(t *testing.T) {
	srv, c := newServer(t, kestratest.WithBasicAuth("admin@example.com", "Secret123"))
	res, err := c.GetConfigurationWithResponse(ctxT(t))
	if err != nil || res.StatusCode() != 200 {
		t.Fatalf("configs must stay open without credentials: %v %v", err, res.StatusCode())
	}
	cfg := res.JSON200
	if cfg.Version != kestratest.Version || cfg.Edition != api.EditionOSS || cfg.URL != srv.URL || !cfg.IsBasicAuthInitialized {
		t.Fatalf("config: %s", res.Body)
	}
}

func TestLogs(t *testing.T) {
	_, c := newServer(t, kestratest.WithFlows(`id: logs
namespace: company.team
tasks:
  - id: many
    type: io.kestra.plugin.core.log.Log
    level: DEBUG
    message:
      - "first {{ inputs.who }}"
      - "second
        line"
  - id: warn
    type: io.kestra.plugin.core.log.Log
    level: WARN
    message: careful
inputs:
  - id: who
    type: STRING
    defaults: you
`))
	ctx := ctxT(t)
	id := run(t, c, "company.team", "logs", waitParams()).JSON200.ID
	list, _ := c.ListLogsFromExecutionWithResponse(ctx, "main", id, nil)
	if list.StatusCode() != 200 || len(*list.JSON200) != 3 {
		t.Fatalf("list: %s", list.Body)
	}
	l0 := (*list.JSON200)[0]
	if l0.Message != "first you" || l0.TaskID != "many" || l0.Level != api.LevelDebug || l0.Timestamp.IsZero() || *l0.AttemptNumber != 0 {
		t.Fatalf("first line: %s", list.Body)
	}
	warn, _ := c.ListLogsFromExecutionWithResponse(ctx, "main", id, nil, addQuery("minLevel", "WARN"))
	if len(*warn.JSON200) != 1 {
		t.Fatalf("minLevel: %s", warn.Body)
	}

	dl, _ := c.DownloadLogsFromExecutionWithResponse(ctx, "main", id, nil)
	if dl.StatusCode() != 200 || dl.HTTPResponse.Header.Get("Content-Disposition") != `attachment; filename="`+id+`.log"` {
		t.Fatalf("download: %d %v", dl.StatusCode(), dl.HTTPResponse.Header)
	}
	lines := strings.Split(string(dl.Body), "\n")
	if len(lines) != 3 || strings.HasSuffix(string(dl.Body), "\n") {
		t.Fatalf("download body: %q", dl.Body)
	}
	ts, level, msg := strings.Fields(lines[2])[0], strings.Fields(lines[2])[1], strings.SplitN(lines[2], " ", 3)[2]
	if _, err := time.Parse(time.RFC3339Nano, ts); err != nil || level != "WARN" || msg != "careful" {
		t.Fatalf("line format: %q", lines[2])
	}
	if dl, _ := c.DownloadLogsFromExecutionWithResponse(ctx, "main", "nope", nil); dl.StatusCode() != 404 {
		t.Fatalf("download unknown: %d", dl.StatusCode())
	}

	search, _ := c.SearchLogsWithResponse(ctx, "main", nil, addQuery("filters[level][EQUALS]", "WARN", "filters[flowId][EQUALS]", "logs"))
	if search.StatusCode() != 200 || search.JSON200.Total != 1 {
		t.Fatalf("search: %s", search.Body)
	}
	del, _ := c.DeleteLogsFromExecutionWithResponse(ctx, "main", id, &api.DeleteLogsFromExecutionParams{MinLevel: api.LevelWarn})
	if del.StatusCode() != 200 {
		t.Fatalf("delete: %d", del.StatusCode())
	}
	list, _ = c.ListLogsFromExecutionWithResponse(ctx, "main", id, nil)
	if len(*list.JSON200) != 2 {
		t.Fatalf("after deleting WARN+: %s", list.Body)
	}
	delFlow, _ := c.DeleteLogsFromFlowWithResponse(ctx, "main", "company.team", "logs", &api.DeleteLogsFromFlowParams{TriggerID: "t"})
	if delFlow.StatusCode() != 200 {
		t.Fatalf("delete by flow: %d", delFlow.StatusCode())
	}
	list, _ = c.ListLogsFromExecutionWithResponse(ctx, "main", id, nil)
	if len(*list.JSON200) != 0 {
		t.Fatalf("after deleting the flow's logs: %s", list.Body)
	}
	m, _ := c.SearchByExecutionWithResponse(ctx, "main", id, nil)
	if m.StatusCode() != 200 || m.JSON200.Total != 0 {
		t.Fatalf("metrics: %s", m.Body)
	}
}

// A replay from a task run is the one case kestratest answers 501, with
// its reason.
func TestReplayFromTaskRunAnswers501(t *testing.T) {
	_, c := newServer(t, kestratest.WithFlows(helloFlow))
	e := run(t, c, "company.team", "hello", waitParams())
	res, err := c.ReplayExecutionWithResponse(ctxT(t), "main", e.JSON200.ID, &api.ReplayExecutionParams{TaskRunID: "x"})
	if err != nil {
		t.Fatal(err)
	}
	if msg := errorMessage(t, res.Body); res.StatusCode() != 501 || !strings.Contains(msg, "replayExecution") || !strings.Contains(msg, "taskRunId") {
		t.Fatalf("%d %s", res.StatusCode(), res.Body)
	}
}

func TestRequestValidation(t *testing.T) {
	srv, c := newServer(t, kestratest.WithFlows(helloFlow))
	// A parameter of the wrong type: 422, as Micronaut's conversion error.
	res := rawGet(t, srv, "/api/v1/main/executions/search?page=abc")
	if res.StatusCode != 422 {
		t.Fatalf("page=abc: %d", res.StatusCode)
	}
	var body struct{ Message string }
	_ = json.NewDecoder(res.Body).Decode(&body)
	res.Body.Close()
	if !strings.Contains(body.Message, "Failed to convert argument [page] for value [abc]") {
		t.Fatalf("message: %q", body.Message)
	}
	// A missing required parameter: 400.
	res = rawGet(t, srv, "/api/v1/main/executions?namespace=company.team")
	res.Body.Close()
	if res.StatusCode != 400 {
		t.Fatalf("missing flowId: %d", res.StatusCode)
	}
	// An unknown route: 404 marked with the edition header.
	res = rawGet(t, srv, "/api/v1/main/nothing/here")
	res.Body.Close()
	if res.StatusCode != 404 || res.Header.Get("X-Kestra-Edition") != "OSS" {
		t.Fatalf("unknown route: %d %v", res.StatusCode, res.Header)
	}
	// wait must be a boolean.
	ct, b := multipartBody(t)
	ex, _ := c.CreateExecutionWithBodyWithResponse(ctxT(t), "main", "company.team", "hello", nil, ct, b, addQuery("wait", "maybe"))
	if ex.StatusCode() != 422 {
		t.Fatalf("wait=maybe: %d %s", ex.StatusCode(), ex.Body)
	}
	// createExecution only takes multipart bodies.
	ex, _ = c.CreateExecutionWithBodyWithResponse(ctxT(t), "main", "company.team", "hello", nil, "application/json", strings.NewReader(`{}`))
	if ex.StatusCode() != 415 {
		t.Fatalf("json inputs: %d %s", ex.StatusCode(), ex.Body)
	}
	// No body at all is fine.
	ex, _ = c.CreateExecutionWithBodyWithResponse(ctxT(t), "main", "company.team", "hello", nil, "", nil)
	if ex.StatusCode() != 200 {
		t.Fatalf("no body: %d %s", ex.StatusCode(), ex.Body)
	}
}
