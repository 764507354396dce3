package kestratest_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/kestra-go/kestra-go/api"
	"github.com/kestra-go/kestra-go/kestratest"
)

// The tests of this file check the rules the server applies, each citing
// where the server (or the facts document) states it.

// Execution.newExecution (core/src/main/java/io/kestra/core/models/
// executions/Execution.java) adds system.correlationId=<id> to every
// execution created without one; a replay keeps its original's.
func TestCorrelationIDLabel(t *testing.T) {
	_, c := newServer(t, kestratest.WithFlows(helloFlow))
	ctx := ctxT(t)
	res := run(t, c, "company.team", "hello", waitParams())
	if res.StatusCode() != 200 {
		t.Fatalf("%d %s", res.StatusCode(), res.Body)
	}
	e := res.JSON200
	if got := labelMap(e.Labels)["system.correlationId"]; got != e.ID {
		t.Fatalf("correlation label %q, want the execution id %s", got, e.ID)
	}
	rep, _ := c.ReplayExecutionWithResponse(ctx, "main", e.ID, nil)
	if rep.StatusCode() != 200 {
		t.Fatalf("replay: %d %s", rep.StatusCode(), rep.Body)
	}
	if got := labelMap(rep.JSON200.Labels); rep.JSON200.ID == e.ID || got["system.correlationId"] != e.ID || got["system.replay"] != "true" {
		t.Fatalf("replay labels %v (id %s), want the original's correlation id %s", got, rep.JSON200.ID, e.ID)
	}
	own := run(t, c, "company.team", "hello", &api.CreateExecutionParams{Labels: []string{"system.correlationId:mine"}})
	if got := labelMap(own.JSON200.Labels); got["system.correlationId"] != "mine" || len(own.JSON200.Labels) != 1 {
		t.Fatalf("client correlation label: %v", got)
	}
}

// 2.0 flows carry draft; a draft revision is skipped by executions started
// without an explicit revision (the 2.0 document's Flow.draft).
func TestFlowDraft(t *testing.T) {
	_, c := newServer(t)
	ctx := ctxT(t)
	deploy(t, c, "main", helloFlow)
	draftSrc := strings.Replace(helloFlow, "Hello {{", "Draft {{", 1)
	up, err := c.UpdateFlowWithBodyWithResponse(ctx, "main", "company.team", "hello", &api.UpdateFlowParams{Draft: true}, "application/x-yaml", strings.NewReader(draftSrc))
	if err != nil || up.StatusCode() != 200 {
		t.Fatalf("update as draft: %v %d %s", err, up.StatusCode(), up.Body)
	}
	var flow map[string]any
	_ = json.Unmarshal(up.Body, &flow)
	if flow["draft"] != true || flow["revision"] != float64(2) {
		t.Fatalf("draft revision: %s", up.Body)
	}
	got, _ := c.GetFlowWithResponse(ctx, "main", "company.team", "hello", &api.GetFlowParams{Revision: 1})
	if !bytes.Contains(got.Body, []byte(`"draft":false`)) {
		t.Fatalf("revision 1 without draft:false: %s", got.Body)
	}
	latest := run(t, c, "company.team", "hello", waitParams())
	if latest.StatusCode() != 200 || latest.JSON200.FlowRevision != 1 {
		t.Fatalf("execution without revision ran %d (want 1, the latest non-draft): %s", latest.JSON200.FlowRevision, latest.Body)
	}
	explicit := run(t, c, "company.team", "hello", &api.CreateExecutionParams{Revision: 2, Wait: true})
	if explicit.StatusCode() != 200 || explicit.JSON200.FlowRevision != 2 {
		t.Fatalf("execution of revision 2: %s", explicit.Body)
	}
}

// Error messages carry the reason ErrorController.jsonError puts first
// (webserver/src/main/java/io/kestra/webserver/controllers/ErrorController.java),
// which depends on the exception the server throws.
func TestErrorReasonPrefixes(t *testing.T) {
	srv, c := newServer(t, kestratest.WithFlows(helloFlow))
	ctx := ctxT(t)
	flow, _ := c.GetFlowWithResponse(ctx, "main", "company.team", "nope", nil)
	badSort, _ := c.SearchExecutionsWithResponse(ctx, "main", &api.SearchExecutionsParams{Sort: api.Sort{"id"}})
	badSort3, _ := c.SearchExecutionsWithResponse(ctx, "main", &api.SearchExecutionsParams{Sort: api.Sort{"id:asc:x"}})
	badKey, _ := c.SetKeyValueWithTextBodyWithResponse(ctx, "main", "company.team", "-bad", `1`)
	badValue, _ := c.SetKeyValueWithTextBodyWithResponse(ctx, "main", "company.team", "k", `{x`)
	badTTL, _ := c.SetKeyValueWithTextBodyWithResponse(ctx, "main", "company.team", "k", `1`, setHeader("ttl", "P1W"))
	forbidden := rawGet(t, srv, "/api/v1/main/namespaces/company.team/files?path=/_flows/x.yml")
	for _, tc := range []struct {
		name   string
		status int
		body   []byte
		want   string
	}{
		{"unknown flow (NoSuchElementException)", flow.StatusCode(), flow.Body, "Not Found: Requested Flow is not found."},
		{"sort without ':' (PageableUtils, HttpStatusException)", badSort.StatusCode(), badSort.Body, "Unprocessable Entity: Invalid sort parameter"},
		{"sort with two ':'", badSort3.StatusCode(), badSort3.Body, "Unprocessable Entity: Invalid sort parameter"},
		{"KV key (IllegalArgumentException)", badKey.StatusCode(), badKey.Body, "Illegal argument: Key must start with an alphanumeric character"},
		{"KV value (KVController, IllegalArgumentException)", badValue.StatusCode(), badValue.Body, "Illegal argument: Invalid JSON value for: {x"},
		{"KV ttl (Duration.parse, unmapped exception)", badTTL.StatusCode(), badTTL.Body, "Internal server error: Text cannot be parsed to a Duration"},
		{"flows folder (NamespaceFileController.forbiddenPathsGuard)", forbidden.StatusCode, readAll(t, forbidden), "Illegal argument: Forbidden path: /_flows/x.yml"},
	} {
		wantStatus := map[string]int{"Not Found": 404, "Unprocessable Entity": 422, "Illegal argument": 422, "Internal server error": 500}[strings.SplitN(tc.want, ":", 2)[0]]
		if tc.status != wantStatus || !strings.HasPrefix(errorMessage(t, tc.body), tc.want) {
			t.Errorf("%s: %d %s, want %d %q", tc.name, tc.status, tc.body, wantStatus, tc.want)
		}
	}
}

// A search whose start date is after its end date is a 422 (facts §15:
// ExecutionControllerTest.badDate), with filters or the legacy parameters.
func TestSearchStartAfterEnd(t *testing.T) {
	srv, c := newServer(t)
	ctx := ctxT(t)
	later, earlier := time.Date(2026, 5, 2, 0, 0, 0, 0, time.UTC), time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC)
	bad := api.Filters{}.WhereTime(api.FilterFieldStartDate, api.FilterOpGreaterThanOrEqualTo, later).
		WhereTime(api.FilterFieldEndDate, api.FilterOpLessThanOrEqualTo, earlier)
	res, err := c.SearchExecutionsWithResponse(ctx, "main", &api.SearchExecutionsParams{Filters: bad})
	if err != nil || res.StatusCode() != 422 || errorMessage(t, res.Body) != "Illegal argument: Start date must be before End Date" {
		t.Fatalf("executions: %v %d %s", err, res.StatusCode(), res.Body)
	}
	logs, _ := c.SearchLogsWithResponse(ctx, "main", &api.SearchLogsParams{Filters: bad})
	if logs.StatusCode() != 422 {
		t.Fatalf("logs: %d %s", logs.StatusCode(), logs.Body)
	}
	legacy := rawGet(t, srv, "/api/v1/main/executions/search?startDate=2026-05-02T00:00:00Z&endDate=2026-05-01T00:00:00Z")
	if legacy.StatusCode != 422 {
		t.Fatalf("legacy parameters: %d %s", legacy.StatusCode, readAll(t, legacy))
	}
	same := api.Filters{}.WhereTime(api.FilterFieldStartDate, api.FilterOpGreaterThanOrEqualTo, earlier).
		WhereTime(api.FilterFieldEndDate, api.FilterOpLessThanOrEqualTo, earlier)
	if ok, _ := c.SearchExecutionsWithResponse(ctx, "main", &api.SearchExecutionsParams{Filters: same}); ok.StatusCode() != 200 {
		t.Fatalf("equal dates: %d %s", ok.StatusCode(), ok.Body)
	}
}

// Log lines have millisecond timestamps, as Logback events (facts §15).
func TestLogTimestampsMilliseconds(t *testing.T) {
	srv, c := newServer(t, kestratest.WithFlows(helloFlow))
	ctx := ctxT(t)
	res := run(t, c, "company.team", "hello", waitParams())
	logs, _ := c.ListLogsFromExecutionWithResponse(ctx, "main", res.JSON200.ID, nil)
	if logs.StatusCode() != 200 || len(*logs.JSON200) == 0 {
		t.Fatalf("logs: %s", logs.Body)
	}
	for _, l := range *logs.JSON200 {
		if l.Timestamp.Nanosecond()%1_000_000 != 0 {
			t.Errorf("timestamp %v is finer than milliseconds", l.Timestamp)
		}
	}
	dl := rawGet(t, srv, "/api/v1/main/logs/"+res.JSON200.ID+"/download")
	line := regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{3})?Z [A-Z]+ `)
	for _, l := range strings.Split(string(readAll(t, dl)), "\n") {
		if !line.MatchString(l) {
			t.Errorf("download line %q: not a millisecond Instant", l)
		}
	}
}

// Only the content types an operation declares are accepted: flows take
// application/x-yaml (FlowController), KV values text/plain or
// application/json (KVController), namespace files multipart/form-data.
func TestDeclaredContentTypesOnly(t *testing.T) {
	srv, c := newServer(t)
	ctx := ctxT(t)
	for _, ct := range []string{"application/json", "text/yaml", "application/yaml", "text/plain"} {
		res, _ := c.CreateFlowWithBodyWithResponse(ctx, "main", nil, ct, strings.NewReader(helloFlow))
		if res.StatusCode() != 415 || !strings.HasPrefix(errorMessage(t, res.Body), "Unsupported Media Type: Content Type ["+ct+"] not allowed") {
			t.Errorf("createFlow as %s: %d %s", ct, res.StatusCode(), res.Body)
		}
	}
	if res, _ := c.CreateFlowWithBodyWithResponse(ctx, "main", nil, "application/x-yaml; charset=utf-8", strings.NewReader(helloFlow)); res.StatusCode() != 200 {
		t.Fatalf("createFlow as x-yaml with a charset: %d %s", res.StatusCode(), res.Body)
	}
	// A body without Content-Type is JSON to Micronaut.
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, srv.URL+"/api/v1/main/flows/validate", strings.NewReader(helloFlow))
	noType, err := srv.Client().Do(req)
	if err != nil || noType.StatusCode != 415 {
		t.Fatalf("validateFlows without Content-Type: %v %v", err, noType.StatusCode)
	}
	noType.Body.Close()
	kv, _ := c.SetKeyValueWithBodyWithResponse(ctx, "main", "company.team", "k", "application/xml", strings.NewReader(`1`))
	if kv.StatusCode() != 415 {
		t.Errorf("setKeyValue as xml: %d %s", kv.StatusCode(), kv.Body)
	}
	for _, ct := range []string{"text/plain", "application/json"} {
		if kv, _ := c.SetKeyValueWithBodyWithResponse(ctx, "main", "company.team", "k", ct, strings.NewReader(`1`)); kv.StatusCode() != 200 {
			t.Errorf("setKeyValue as %s: %d %s", ct, kv.StatusCode(), kv.Body)
		}
	}
	file, _ := c.CreateNamespaceFileWithBodyWithResponse(ctx, "main", "company.team", &api.CreateNamespaceFileParams{Path: "/a.txt"}, "application/octet-stream", strings.NewReader("x"))
	if file.StatusCode() != 415 {
		t.Errorf("createNamespaceFile as octet-stream: %d %s", file.StatusCode(), file.Body)
	}
}

// KV values follow KVController.setKeyValue: the body is read with
// JacksonMapper.ofIon().readTree, i.e. the first Ion value of the text.
func TestKVValueRule(t *testing.T) {
	_, c := newServer(t)
	ctx := ctxT(t)
	for _, tc := range []struct{ body, want string }{
		{`"my-value"`, `{"type":"STRING","value":"my-value"}`},
		{`bare`, `{"type":"STRING","value":"bare"}`},
		{`hello world`, `{"type":"STRING","value":"hello"}`}, // only the first value counts
		{`my-value`, `{"type":"STRING","value":"my"}`},       // a dash ends an Ion symbol
		{`'quoted symbol'`, `{"type":"STRING","value":"quoted symbol"}`},
		{`1_000`, `{"type":"NUMBER","value":1000}`},
		{`{ "a" : [1, 2] }`, `{"type":"JSON","value":{"a":[1,2]}}`},
		{`{a: 1, b: [x, "y"]}`, `{"type":"JSON","value":{"a":1,"b":["x","y"]}}`},
		{`2026-01-01T10:00Z`, `{"type":"DATETIME","value":"2026-01-01T10:00:00Z"}`},
		{`2026-01-02`, `{"type":"DATE","value":"2026-01-02"}`},
		{`false`, `{"type":"BOOLEAN","value":false}`},
	} {
		set, _ := c.SetKeyValueWithTextBodyWithResponse(ctx, "main", "company.team", "k", tc.body)
		get, _ := c.GetKeyValueWithResponse(ctx, "main", "company.team", "k")
		if set.StatusCode() != 200 || string(get.Body) != tc.want {
			t.Errorf("%q: set %d, get %s, want %s", tc.body, set.StatusCode(), get.Body, tc.want)
		}
	}
	for _, body := range []string{`{not json`, `null`, `"unterminated`, `)`} {
		set, _ := c.SetKeyValueWithTextBodyWithResponse(ctx, "main", "company.team", "k", body)
		if set.StatusCode() != 422 || errorMessage(t, set.Body) != "Illegal argument: Invalid JSON value for: "+body {
			t.Errorf("%q: %d %s, want 422", body, set.StatusCode(), set.Body)
		}
	}
}

// Bodies over the limit are refused with 413, whether their length is
// declared or not, and never stored cut (the 16 MiB cut of earlier
// versions stored a 20 MB flow truncated).
func TestBodyLimit(t *testing.T) {
	srv, c := newServer(t, kestratest.WithMaxRequestSize(1<<20))
	ctx := ctxT(t)
	big := helloFlow + "description: " + strings.Repeat("x", 2<<20) + "\n"
	res, _ := c.CreateFlowWithBodyWithResponse(ctx, "main", nil, "application/x-yaml", strings.NewReader(big))
	if res.StatusCode() != 413 || !strings.HasPrefix(errorMessage(t, res.Body), "Request Entity Too Large: ") {
		t.Fatalf("declared length: %d %s", res.StatusCode(), res.Body)
	}
	// No Content-Length: the limit is met while reading.
	pr, pw := io.Pipe()
	go func() { _, _ = io.WriteString(pw, big); _ = pw.Close() }()
	chunked, _ := c.CreateFlowWithBodyWithResponse(ctx, "main", nil, "application/x-yaml", pr)
	if chunked.StatusCode() != 413 {
		t.Fatalf("chunked: %d %s", chunked.StatusCode(), chunked.Body)
	}
	var mp bytes.Buffer
	mw := multipart.NewWriter(&mp)
	fw, _ := mw.CreateFormFile("fileContent", "big.bin")
	_, _ = fw.Write(bytes.Repeat([]byte{0}, 2<<20))
	_ = mw.Close()
	pr2, pw2 := io.Pipe()
	go func() { _, _ = pw2.Write(mp.Bytes()); _ = pw2.Close() }()
	file, _ := c.CreateNamespaceFileWithBodyWithResponse(ctx, "main", "company.team", &api.CreateNamespaceFileParams{Path: "/big.bin"}, mw.FormDataContentType(), pr2)
	if file.StatusCode() != 413 {
		t.Fatalf("namespace file: %d %s", file.StatusCode(), file.Body)
	}
	if got, _ := c.GetFlowWithResponse(ctx, "main", "company.team", "hello", nil); got.StatusCode() != 404 {
		t.Fatalf("a refused flow was stored: %d", got.StatusCode())
	}
	// Under the limit, a body is kept whole.
	near := helloFlow + "description: " + strings.Repeat("z", 1<<20-len(helloFlow)-64) + "\n"
	created, _ := c.CreateFlowWithBodyWithResponse(ctx, "main", nil, "application/x-yaml", strings.NewReader(near))
	got, _ := c.GetFlowWithResponse(ctx, "main", "company.team", "hello", &api.GetFlowParams{Source: true})
	var fl struct{ Source string }
	_ = json.Unmarshal(got.Body, &fl)
	if created.StatusCode() != 200 || fl.Source != near {
		t.Fatalf("flow just under the limit: %d, stored %d bytes of %d", created.StatusCode(), len(fl.Source), len(near))
	}
	_ = srv
	// The default limit keeps a 20 MB body whole (past the old 16 MiB cut).
	_, c2 := newServer(t)
	huge := bytes.Repeat([]byte("0123456789abcdef"), 20<<20/16)
	var mp2 bytes.Buffer
	mw2 := multipart.NewWriter(&mp2)
	fw2, _ := mw2.CreateFormFile("fileContent", "huge.bin")
	_, _ = fw2.Write(huge)
	_ = mw2.Close()
	up, _ := c2.CreateNamespaceFileWithBodyWithResponse(ctx, "main", "company.team", &api.CreateNamespaceFileParams{Path: "/huge.bin"}, mw2.FormDataContentType(), &mp2)
	back, _ := c2.GetFileContentWithResponse(ctx, "main", "company.team", &api.GetFileContentParams{Path: "/huge.bin"})
	if up.StatusCode() != 200 || !bytes.Equal(back.Body, huge) {
		t.Fatalf("20 MB file: %d, read back %d bytes of %d", up.StatusCode(), len(back.Body), len(huge))
	}
}

// Namespace file paths: ".." is refused anywhere (the server's storage
// parentTraversalGuard), "/" is not a file, and a file never replaces a
// directory (nor is made one).
func TestNamespaceFilePaths(t *testing.T) {
	srv, c := newServer(t)
	ctx := ctxT(t)
	put := func(p string) *api.CreateNamespaceFileResponse {
		ct, body := multipartBody(t, part{name: "fileContent", value: "data", filename: "f"})
		res, err := c.CreateNamespaceFileWithBodyWithResponse(ctx, "main", "company.team", &api.CreateNamespaceFileParams{Path: p}, ct, body)
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	for _, p := range []string{"/", "", "/../etc/passwd", "/a/../b.txt", "..", "/a/..", "/_flows"} {
		if res := put(p); res.StatusCode() != 422 || !strings.HasPrefix(errorMessage(t, res.Body), "Illegal argument: ") {
			t.Errorf("create %q: %d %s", p, res.StatusCode(), res.Body)
		}
	}
	if res := rawGet(t, srv, "/api/v1/main/namespaces/company.team/files?path=/a/../b.txt"); res.StatusCode != 422 {
		t.Errorf("read with '..': %d", res.StatusCode)
	}
	if d, _ := c.CreateNamespaceDirectoryWithResponse(ctx, "main", "company.team", &api.CreateNamespaceDirectoryParams{Path: "/dir"}); d.StatusCode() != 200 {
		t.Fatalf("mkdir: %d %s", d.StatusCode(), d.Body)
	}
	if res := put("/dir"); res.StatusCode() != 422 {
		t.Errorf("a file over a directory: %d %s", res.StatusCode(), res.Body)
	}
	if res := put("/dir/x.txt"); res.StatusCode() != 200 {
		t.Fatalf("file in dir: %d %s", res.StatusCode(), res.Body)
	}
	if res := put("/dir/x.txt/y.txt"); res.StatusCode() != 422 {
		t.Errorf("a file under a file: %d %s", res.StatusCode(), res.Body)
	}
	if d, _ := c.CreateNamespaceDirectoryWithResponse(ctx, "main", "company.team", &api.CreateNamespaceDirectoryParams{Path: "/dir/x.txt"}); d.StatusCode() != 422 {
		t.Errorf("a directory over a file: %d %s", d.StatusCode(), d.Body)
	}
	list := rawGet(t, srv, "/api/v1/main/namespaces/company.team/files/directory?path=/dir")
	if b := readAll(t, list); !bytes.Contains(b, []byte(`"fileName":"x.txt"`)) || !bytes.Contains(b, []byte(`"type":"File"`)) {
		t.Errorf("listing after the refusals: %s", b)
	}
	if res := put("/other.txt"); res.StatusCode() != 200 {
		t.Fatal(res.StatusCode())
	}
	mv, _ := c.MoveFileDirectoryWithResponse(ctx, "main", "company.team", &api.MoveFileDirectoryParams{From: "/other.txt", To: "/dir"})
	if mv.StatusCode() != 500 || !strings.Contains(errorMessage(t, mv.Body), "already exists") {
		t.Errorf("move onto an existing entry: %d %s", mv.StatusCode(), mv.Body)
	}
	for _, p := range []string{"/", "/dir/../other.txt"} {
		del, _ := c.DeleteFileDirectoryWithResponse(ctx, "main", "company.team", &api.DeleteFileDirectoryParams{Path: p})
		if del.StatusCode() != 422 {
			t.Errorf("delete %q: %d %s", p, del.StatusCode(), del.Body)
		}
	}
}

func setHeader(k, v string) api.RequestEditorFn {
	return func(_ context.Context, req *http.Request) error {
		req.Header.Set(k, v)
		return nil
	}
}

func readAll(t testing.TB, res *http.Response) []byte {
	t.Helper()
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
