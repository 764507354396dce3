package facade_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/kestra-go/kestra-go/api"
	"github.com/kestra-go/kestra-go/facade"
	"github.com/kestra-go/kestra-go/kestratest"
)

// Deploy a flow from its YAML source: created the first time, updated after.
func ExampleFlow_Deploy() {
	srv := kestratest.NewServer()
	defer srv.Close()
	f, _ := facade.New(facade.WithHostname(srv.URL))
	ctx := context.Background()

	for _, src := range []string{exampleFlow, exampleFlow + "description: now documented\n"} {
		d, err := f.Deploy(ctx, src)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(d.Namespace, d.ID, d.Revision, d.Created)
	}
	// Output:
	// company.team myflow 1 true
	// company.team myflow 2 false
}

// Iterate over every execution matching typed filters, all pages.
func ExampleFlow_SearchExecutions() {
	srv := kestratest.NewServer(kestratest.WithFlows(exampleFlow))
	defer srv.Close()
	f, _ := facade.New(facade.WithHostname(srv.URL))
	ctx := context.Background()
	for _, p := range []string{"a", "b", "c"} {
		if _, err := f.Execute(ctx, "company.team", "myflow", map[string]any{"param": p}); err != nil {
			log.Fatal(err)
		}
	}

	filters := api.Filters{}.
		Where(api.FilterFieldNamespace, api.FilterOpEquals, "company.team").
		WhereIn(api.FilterFieldState, "SUCCESS", "WARNING")
	for e, err := range f.SearchExecutions(ctx, filters) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(e.FlowID, e.State.Current, e.Inputs["param"])
	}
	// Output:
	// myflow SUCCESS a
	// myflow SUCCESS b
	// myflow SUCCESS c
}

// The latest execution of a flow.
func ExampleFlow_LatestExecution() {
	srv := kestratest.NewServer(kestratest.WithFlows(exampleFlow))
	defer srv.Close()
	f, _ := facade.New(facade.WithHostname(srv.URL))
	ctx := context.Background()
	for _, p := range []string{"first", "second"} {
		if _, err := f.Execute(ctx, "company.team", "myflow", map[string]any{"param": p}); err != nil {
			log.Fatal(err)
		}
	}

	latest, err := f.LatestExecution(ctx, "company.team", "myflow")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(latest.Inputs["param"], latest.State.Current, len(latest.TaskRunList))
	// Output:
	// second SUCCESS 2
}

// An execution's log entries, typed.
func ExampleFlow_Logs() {
	srv := kestratest.NewServer(kestratest.WithFlows(exampleFlow))
	defer srv.Close()
	f, _ := facade.New(facade.WithHostname(srv.URL), facade.WithWait(false))
	ctx := context.Background()
	res, err := f.Execute(ctx, "company.team", "myflow", map[string]any{"param": "logged"})
	if err != nil {
		log.Fatal(err)
	}
	if _, err := f.Wait(ctx, res.ExecutionID); err != nil {
		log.Fatal(err)
	}

	logs, err := f.Logs(ctx, res.ExecutionID)
	if err != nil {
		log.Fatal(err)
	}
	for _, e := range logs {
		fmt.Println(e.Level, e.TaskID, e.Message, !e.Timestamp.IsZero())
	}
	// Output:
	// INFO hello param is logged true
}

// The generated client of f.API() shares the Flow's server, credentials and
// retries; ResponseError types the answers it did not retry.
func ExampleFlow_ResponseError() {
	srv := kestratest.NewServer()
	defer srv.Close()
	f, _ := facade.New(facade.WithHostname(srv.URL))
	ctx := context.Background()

	c, tenant, err := f.API()
	if err != nil {
		log.Fatal(err)
	}
	resp, err := c.GetFlowWithResponse(ctx, tenant, "company.team", "missing", &api.GetFlowParams{})
	if err != nil {
		log.Fatal(err) // transport failures, after the retries
	}
	err = f.ResponseError("getFlow", resp)
	fmt.Println(errors.Is(err, facade.ErrNotFound), err)
	// Output:
	// true HTTP 404: Not Found: Requested Flow is not found.
}

// KV values keep their type: the JSON encoding is done for the caller.
func ExampleKV() {
	srv := kestratest.NewServer()
	defer srv.Close()
	f, _ := facade.New(facade.WithHostname(srv.URL))
	ctx := context.Background()

	type limits struct {
		Max  int      `json:"max"`
		Tags []string `json:"tags"`
	}
	if err := f.SetKV(ctx, "company.team", "version", "1.10"); err != nil { // a string, not the number 1.1
		log.Fatal(err)
	}
	if err := f.SetKV(ctx, "company.team", "limits", limits{Max: 3, Tags: []string{"a"}}, facade.WithTTL(time.Hour)); err != nil {
		log.Fatal(err)
	}

	v, err := facade.KV[string](ctx, f, "company.team", "version")
	fmt.Println(v, err)
	var l limits
	typ, err := f.GetKV(ctx, "company.team", "limits", &l)
	fmt.Println(typ, l.Max, l.Tags, err)
	_, err = facade.KV[string](ctx, f, "company.team", "missing")
	fmt.Println(errors.Is(err, facade.ErrNotFound))
	deleted, err := f.DeleteKV(ctx, "company.team", "version")
	fmt.Println(deleted, err)
	deleted, err = f.DeleteKV(ctx, "company.team", "version") // not an error: it was not set
	fmt.Println(deleted, err)
	// Output:
	// 1.10 <nil>
	// JSON 3 [a] <nil>
	// true
	// true <nil>
	// false <nil>
}

// The newest few executions, in one request however long the history.
func ExampleNewestFirst() {
	srv := kestratest.NewServer(kestratest.WithFlows(exampleFlow))
	defer srv.Close()
	f, _ := facade.New(facade.WithHostname(srv.URL))
	ctx := context.Background()
	for _, p := range []string{"a", "b", "c"} {
		if _, err := f.Execute(ctx, "company.team", "myflow", map[string]any{"param": p}); err != nil {
			log.Fatal(err)
		}
	}

	for e, err := range f.SearchExecutions(ctx, nil, facade.NewestFirst(), facade.Limit(2)) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(e.Inputs["param"])
	}
	// Output:
	// c
	// b
}

// Link to an execution in the Kestra UI, by the server's rule.
func ExampleFlow_ExecutionURL() {
	f, _ := facade.New(facade.WithHostname("https://kestra.example.com/"), facade.WithTenant("acme"))
	fmt.Println(f.ExecutionURL("company.team", "myflow", "4Xv8Bq2mZ0lYk3y9cQn1aZ"))
	// Output:
	// https://kestra.example.com/ui/acme/executions/company.team/myflow/4Xv8Bq2mZ0lYk3y9cQn1aZ
}

// Upload a namespace file and read it back, streamed both ways.
func ExampleFlow_UploadFile() {
	srv := kestratest.NewServer()
	defer srv.Close()
	f, _ := facade.New(facade.WithHostname(srv.URL))
	ctx := context.Background()

	if err := f.UploadFile(ctx, "company.team", "/scripts/hello.py", strings.NewReader("print('hello')\n")); err != nil {
		log.Fatal(err)
	}
	var b bytes.Buffer
	n, err := f.DownloadFile(ctx, "company.team", "/scripts/hello.py", &b)
	fmt.Println(n, err, b.String())
	// Output:
	// 15 <nil> print('hello')
}

// SearchExecutions walks every page (250 executions, pages of 100), and
// stops fetching when the loop stops.
func TestSearchExecutionsIteratesAllPages(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	bind(srv, "quick", takes(0, false))
	f := newFlow(t, srv, facade.WithWait(false))
	ctx := ctxFor(t, 30*time.Second)
	for range 250 {
		if _, err := f.Execute(ctx, "company.team", "quick", nil); err != nil {
			t.Fatal(err)
		}
	}
	srv.ResetCounts()
	seen := map[string]bool{}
	for e, err := range f.SearchExecutions(ctx, api.Filters{}.Where(api.FilterFieldFlowID, api.FilterOpEquals, "quick")) {
		if err != nil {
			t.Fatal(err)
		}
		seen[e.ID] = true
	}
	if len(seen) != 250 || srv.RequestCount("searchExecutions") != 3 {
		t.Errorf("%d executions in %d searches, want 250 in 3", len(seen), srv.RequestCount("searchExecutions"))
	}
	srv.ResetCounts()
	for range f.SearchExecutions(ctx, nil) {
		break
	}
	if n := srv.RequestCount("searchExecutions"); n != 1 {
		t.Errorf("%d searches after an early break", n)
	}
	srv.InjectFault(kestratest.Fault{Operation: "searchExecutions", Status: 400})
	for _, err := range f.SearchExecutions(ctx, nil) {
		var ae *facade.APIError
		if !errors.As(err, &ae) || ae.StatusCode != 400 {
			t.Errorf("a refused search: %v, want the 400", err)
		}
		break
	}
}

func TestLatestExecutionOfAFlowWithoutAny(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	bind(srv, "never", takes(0, false))
	_, err := newFlow(t, srv).LatestExecution(ctxFor(t, 5*time.Second), "company.team", "never")
	if !errors.Is(err, facade.ErrNotFound) {
		t.Errorf("err %v, want ErrNotFound", err)
	}
}

func TestDeployRefusesAnInvalidSource(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	f := newFlow(t, srv)
	ctx := ctxFor(t, 5*time.Second)
	if _, err := f.Deploy(ctx, "id: x\nnamespace: company.team\n"); !errors.Is(err, facade.ErrInvalid) {
		t.Errorf("a flow without tasks: %v, want ErrInvalid", err)
	}
	if _, err := f.Deploy(ctx, "tasks: []\n"); !errors.Is(err, facade.ErrInvalidID) {
		t.Errorf("a source without id: %v, want ErrInvalidID", err)
	}
	if _, err := f.Deploy(ctx, ":\n\t- ["); err == nil {
		t.Error("not YAML: no error")
	}
}

// An upload whose request never left the client is resent from the start
// when the content can seek back.
func TestUploadIsResentWhenRefused(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	f := newFlow(t, srv)
	ctx := ctxFor(t, 5*time.Second)
	srv.InjectFault(kestratest.Fault{Operation: "createNamespaceFile", Status: 429})
	if err := f.UploadFile(ctx, "company.team", "/a.txt", strings.NewReader("content")); err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if _, err := f.DownloadFile(ctx, "company.team", "/a.txt", &b); err != nil || b.String() != "content" {
		t.Errorf("%v %q", err, b.String())
	}
	if _, err := f.DownloadFile(ctx, "company.team", "/missing.txt", &b); !errors.Is(err, facade.ErrNotFound) {
		t.Errorf("missing file: %v", err)
	}
}

// NewestFirst and Limit read only what is wanted: the newest few of a long
// history in one small request, on both server generations.
func TestSearchNewestFirstWithLimit(t *testing.T) {
	t.Parallel()
	for _, major := range []int{2, 1} {
		t.Run(fmt.Sprint("major", major), func(t *testing.T) {
			t.Parallel()
			srv := newServer(t, kestratest.WithMajorVersion(major))
			bind(srv, "quick", takes(0, false))
			f := newFlow(t, srv, facade.WithWait(false))
			ctx := ctxFor(t, 30*time.Second)
			var ids []string
			for range 130 {
				res, err := f.Execute(ctx, "company.team", "quick", nil)
				if err != nil {
					t.Fatal(err)
				}
				ids = append(ids, res.ExecutionID)
				time.Sleep(time.Millisecond) // distinct start dates
			}
			srv.ResetCounts()
			var got []string
			for e, err := range f.SearchExecutions(ctx, nil, facade.NewestFirst(), facade.Limit(3)) {
				if err != nil {
					t.Fatal(err)
				}
				got = append(got, e.ID)
			}
			want := []string{ids[129], ids[128], ids[127]}
			if fmt.Sprint(got) != fmt.Sprint(want) {
				t.Errorf("newest 3: %v, want %v", got, want)
			}
			if n := srv.RequestCount("searchExecutions"); n != 1 {
				t.Errorf("%d searches for the newest 3, want 1", n)
			}
			// A limit above a page: pages of 100, stopped at the limit.
			srv.ResetCounts()
			n := 0
			for _, err := range f.SearchExecutions(ctx, nil, facade.Limit(120)) {
				if err != nil {
					t.Fatal(err)
				}
				n++
			}
			if n != 120 || srv.RequestCount("searchExecutions") != 2 {
				t.Errorf("%d executions in %d searches, want 120 in 2", n, srv.RequestCount("searchExecutions"))
			}
		})
	}
}

// DeleteKV says whether the key was set; deleting twice is not an error.
func TestDeleteKV(t *testing.T) {
	t.Parallel()
	for _, major := range []int{2, 1} {
		t.Run(fmt.Sprint("major", major), func(t *testing.T) {
			t.Parallel()
			srv := newServer(t, kestratest.WithMajorVersion(major))
			f := newFlow(t, srv)
			ctx := ctxFor(t, 10*time.Second)
			if err := f.SetKV(ctx, "company.team", "k", 42); err != nil {
				t.Fatal(err)
			}
			if deleted, err := f.DeleteKV(ctx, "company.team", "k"); err != nil || !deleted {
				t.Errorf("first delete: %v %v, want true", deleted, err)
			}
			if _, err := facade.KV[int](ctx, f, "company.team", "k"); !errors.Is(err, facade.ErrNotFound) {
				t.Errorf("read after delete: %v, want ErrNotFound", err)
			}
			if deleted, err := f.DeleteKV(ctx, "company.team", "k"); err != nil || deleted {
				t.Errorf("second delete: %v %v, want false", deleted, err)
			}
			if _, err := f.DeleteKV(ctx, "company.team", ".."); !errors.Is(err, facade.ErrInvalidID) {
				t.Errorf("key ..: %v, want ErrInvalidID", err)
			}
			srv.InjectFault(kestratest.Fault{Operation: "deleteKeyValue", Status: 403})
			if _, err := f.DeleteKV(ctx, "company.team", "k"); !errors.Is(err, facade.ErrForbidden) {
				t.Errorf("a refused delete: %v, want ErrForbidden", err)
			}
		})
	}
}

// ExecutionURL follows the server's rule on the configured hostname, with
// the tenant, and matches the link Execute returns.
func TestExecutionURL(t *testing.T) {
	t.Parallel()
	srv := newServer(t, kestratest.WithTenants("main", "acme"))
	f := newFlow(t, srv, facade.WithTenant("acme"))
	srv.BindFlow("acme", "company.team", "quick", takes(0, false))
	res, err := f.Execute(ctxFor(t, 10*time.Second), "company.team", "quick", nil)
	if err != nil {
		t.Fatal(err)
	}
	got := f.ExecutionURL(res.Namespace, res.FlowID, res.ExecutionID)
	want := srv.URL + "/ui/acme/executions/company.team/quick/" + res.ExecutionID
	if got != want || res.URL != want {
		t.Errorf("ExecutionURL %q, Result.URL %q, want %q", got, res.URL, want)
	}
	legacy := newFlow(t, srv, facade.WithLegacyRoutes())
	if got := legacy.ExecutionURL("a b", "f", "x"); got != srv.URL+"/ui/executions/a%20b/f/x" {
		t.Errorf("legacy routes: %q", got)
	}
	if got := f.ExecutionURL("company.team", "quick", ""); got != "" {
		t.Errorf("no id: %q", got)
	}
	if got := (&facade.Flow{}).ExecutionURL("a", "b", "c"); got != "" {
		t.Errorf("a Flow not from New: %q", got)
	}
}

// A server that answers the same page whatever is asked ends a newest-first
// search with an error instead of being read forever; a KV delete answered
// with something else than a boolean is an error, not a deletion.
func TestSearchAndDeleteKVAgainstALyingServer(t *testing.T) {
	t.Parallel()
	var searches atomic.Int32
	url := newTinyServer(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if strings.HasSuffix(r.URL.Path, "/executions/search") {
			searches.Add(1)
			var b strings.Builder
			b.WriteString(`{"total":1000000,"results":[`)
			for i := range 100 {
				if i > 0 {
					b.WriteString(",")
				}
				fmt.Fprintf(&b, `{"id":"e%d","namespace":"ns","flowId":"f","state":{"current":"SUCCESS","histories":[]}}`, i)
			}
			b.WriteString("]}")
			_, _ = io.WriteString(w, b.String())
			return
		}
		_, _ = io.WriteString(w, `{"deleted":true}`)
	})
	f, err := facade.New(facade.WithHostname(url), facade.WithBasicAuth("", ""), facade.WithAPIToken(""), facade.WithTenant(""))
	if err != nil {
		t.Fatal(err)
	}
	ctx := ctxFor(t, 10*time.Second)
	n, failed := 0, false
	for _, err := range f.SearchExecutions(ctx, nil, facade.NewestFirst()) {
		if err != nil {
			failed = strings.Contains(err.Error(), "the previous page again")
			break
		}
		n++
	}
	if !failed || n != 100 || searches.Load() != 2 {
		t.Errorf("%d executions in %d searches, error seen %v; want 100 in 2 and the error", n, searches.Load(), failed)
	}
	searches.Store(0)
	failed = false
	for _, err := range f.SearchExecutions(ctx, nil) { // oldest first: the same
		if err != nil {
			failed = strings.Contains(err.Error(), "the previous page again")
		}
	}
	if !failed || searches.Load() != 2 {
		t.Errorf("oldest first: %d searches, error seen %v", searches.Load(), failed)
	}
	if deleted, err := f.DeleteKV(ctx, "ns", "k"); err == nil || deleted {
		t.Errorf("an object for a boolean: %v %v", deleted, err)
	}
}
