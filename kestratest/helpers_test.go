package kestratest_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/kestra-go/kestra-go/api"
	"github.com/kestra-go/kestra-go/kestratest"
	"github.com/kestra-go/kestra-go/openapi"
)

// newServer starts a server whose every response is validated against the
// OpenAPI document (a mismatch fails the test) and a client for it.
func newServer(t testing.TB, opts ...kestratest.Option) (*kestratest.Server, *api.ClientWithResponses) {
	t.Helper()
	opts = append([]kestratest.Option{kestratest.WithResponseValidation(func(err error) {
		t.Errorf("response validation: %v", err)
	})}, opts...)
	srv := kestratest.NewServer(opts...)
	t.Cleanup(srv.Close)
	c, err := api.NewClientWithResponses(srv.URL, api.WithHTTPClient(srv.Client()))
	if err != nil {
		t.Fatal(err)
	}
	return srv, c
}

func ctxT(t testing.TB) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// part is one multipart input: a value, or a file when filename is set.
type part struct{ name, value, filename string }

func multipartBody(t testing.TB, parts ...part) (string, io.Reader) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for _, p := range parts {
		var w io.Writer
		var err error
		if p.filename != "" {
			w, err = mw.CreateFormFile(p.name, p.filename)
		} else {
			w, err = mw.CreateFormField(p.name)
		}
		if err != nil {
			t.Fatal(err)
		}
		_, _ = io.WriteString(w, p.value)
	}
	if err := mw.Close(); err != nil {
		t.Fatal(err)
	}
	return mw.FormDataContentType(), &buf
}

// deploy creates a flow through the API.
func deploy(t testing.TB, c *api.ClientWithResponses, tenant, src string) {
	t.Helper()
	res, err := c.CreateFlowWithBodyWithResponse(ctxT(t), tenant, nil, "application/x-yaml", strings.NewReader(src))
	if err != nil {
		t.Fatal(err)
	}
	if res.StatusCode() != 200 {
		t.Fatalf("createFlow: %d %s", res.StatusCode(), res.Body)
	}
}

// run creates an execution and returns the decoded answer.
func run(t testing.TB, c *api.ClientWithResponses, ns, id string, params *api.CreateExecutionParams, parts ...part) *api.CreateExecutionResponse {
	t.Helper()
	ct, body := multipartBody(t, parts...)
	res, err := c.CreateExecutionWithBodyWithResponse(ctxT(t), "main", ns, id, params, ct, body)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func waitParams() *api.CreateExecutionParams {
	w := true
	return &api.CreateExecutionParams{Wait: w}
}

// sseEvent is one parsed server-sent event.
type sseEvent struct{ id, data string }

// readEvents parses an event stream until EOF or an error, returning the
// events and the terminating error (nil for a clean end).
func readEvents(r io.Reader) ([]sseEvent, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	var out []sseEvent
	var cur sseEvent
	for sc.Scan() {
		line := sc.Text()
		switch {
		case line == "":
			out = append(out, cur)
			cur = sseEvent{}
		case strings.HasPrefix(line, "id: "):
			cur.id = strings.TrimPrefix(line, "id: ")
		case strings.HasPrefix(line, "data: "):
			cur.data = strings.TrimPrefix(line, "data: ")
		}
	}
	return out, sc.Err()
}

func decodeExec(t testing.TB, data string) api.Execution {
	t.Helper()
	var e api.Execution
	if err := json.Unmarshal([]byte(data), &e); err != nil {
		t.Fatalf("decode execution %q: %v", data, err)
	}
	return e
}

func rawGet(t testing.TB, srv *kestratest.Server, path string, hdr ...string) *http.Response {
	t.Helper()
	req, err := http.NewRequestWithContext(ctxT(t), http.MethodGet, srv.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	res, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// addQuery is a RequestEditorFn adding raw query values (e.g. Kestra's
// `filters[...]` parameters, which the generated client cannot express).
func addQuery(kv ...string) api.RequestEditorFn {
	return func(_ context.Context, req *http.Request) error {
		q := req.URL.Query()
		for i := 0; i+1 < len(kv); i += 2 {
			q.Add(kv[i], kv[i+1])
		}
		req.URL.RawQuery = q.Encode()
		return nil
	}
}

// errorMessage decodes a 1.x error body's message.
func errorMessage(t testing.TB, body []byte) string {
	t.Helper()
	var e struct {
		Message string `json:"message"`
	}
	if err := json.Unmarshal(body, &e); err != nil {
		t.Fatalf("error body %q is not JSON: %v", body, err)
	}
	return e.Message
}

func ptr[T any](v T) *T { return &v }

var specDoc = sync.OnceValues(func() (*openapi3.T, error) {
	return openapi3.NewLoader().LoadFromData(openapi.Spec())
})

// checkEventData validates the data of every progress/end event against a
// schema of the document (the start placeholder is not a full object, on
// the real server either).
func checkEventData(t testing.TB, events []sseEvent, schema string) {
	t.Helper()
	doc, err := specDoc()
	if err != nil {
		t.Fatal(err)
	}
	ref := doc.Components.Schemas[schema]
	if ref == nil {
		t.Fatalf("no schema %s", schema)
	}
	for _, e := range events {
		if e.id == "start" {
			continue
		}
		var v any
		if err := json.Unmarshal([]byte(e.data), &v); err != nil {
			t.Fatalf("event %s: %v", e.id, err)
		}
		if err := ref.Value.VisitJSON(v); err != nil {
			t.Errorf("event %s does not match %s: %v", e.id, schema, err)
		}
	}
}

// labelMap returns labels as a map (key -> value).
func labelMap(labels []api.Label) map[string]string {
	m := make(map[string]string, len(labels))
	for _, l := range labels {
		m[l.Key] = l.Value
	}
	return m
}
