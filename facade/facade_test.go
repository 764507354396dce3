package facade_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/kestra-go/kestra-go/api"
	"github.com/kestra-go/kestra-go/facade"
	"github.com/kestra-go/kestra-go/kestratest"
)

// quickstartFlow is the flow YAML kept with the quickstart example.
func quickstartFlow(t testing.TB) string {
	t.Helper()
	b, err := os.ReadFile("../examples/quickstart/flow.yaml")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

const (
	failFlow = `id: failing
namespace: company.team
tasks:
  - id: before
    type: io.kestra.plugin.core.log.Log
    message: about to fail
  - id: explode
    type: io.kestra.plugin.core.execution.Fail
    errorMessage: "boom: {{ inputs.reason }}"
inputs:
  - id: reason
    type: STRING
    defaults: no reason
`
	pauseFlow = `id: pausing
namespace: company.team
tasks:
  - id: wait
    type: io.kestra.plugin.core.flow.Pause
    pauseDuration: PT0.3S
  - id: after
    type: io.kestra.plugin.core.log.Log
    message: resumed
`
	requiredFlow = `id: needs-input
namespace: company.team
inputs:
  - id: count
    type: INT
    required: true
tasks:
  - id: log
    type: io.kestra.plugin.core.log.Log
    message: "{{ inputs.count }}"
`
)

// newServer starts a kestratest server closed with the test.
func newServer(t testing.TB, opts ...kestratest.Option) *kestratest.Server {
	t.Helper()
	srv := kestratest.NewServer(opts...)
	t.Cleanup(srv.Close)
	return srv
}

// newFlow returns a Flow for srv with fast retries and no environment.
func newFlow(t testing.TB, srv *kestratest.Server, opts ...facade.Option) *facade.Flow {
	t.Helper()
	base := []facade.Option{
		facade.WithHostname(srv.URL), facade.WithBasicAuth("", ""), facade.WithAPIToken(""), facade.WithTenant(""),
		facade.WithRetry(4, 2*time.Millisecond, 20*time.Millisecond),
		facade.WithCreateLookupWindow(50 * time.Millisecond),
	}
	f, err := facade.New(append(base, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func ctxFor(t testing.TB, d time.Duration) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	t.Cleanup(cancel)
	return ctx
}

// takes returns a Go-driven run that lasts d (less if the execution is
// killed) and succeeds; with logs it first logs "working".
func takes(d time.Duration, logs bool) kestratest.RunFunc {
	return func(ctx context.Context, r *kestratest.Run) error {
		if logs {
			r.Log("INFO", "working")
		}
		select {
		case <-time.After(d):
		case <-ctx.Done():
		}
		return nil
	}
}

// bind binds a Go-driven flow in tenant main.
func bind(srv *kestratest.Server, id string, run kestratest.RunFunc, inputs ...kestratest.InputDef) {
	srv.BindFlow("main", "company.team", id, run, inputs...)
}

func TestExecuteWaitsForTheEnd(t *testing.T) {
	srv := newServer(t, kestratest.WithFlows(quickstartFlow(t)))
	f := newFlow(t, srv)
	res, err := f.Execute(ctxFor(t, 10*time.Second), "company.team", "hello-kestra-go", map[string]any{"name": "Gopher", "count": 3})
	if err != nil {
		t.Fatal(err)
	}
	if res.Status != api.StateTypeSuccess || res.Err() != nil || res.Error != "" {
		t.Fatalf("status %s err %v error %q", res.Status, res.Err(), res.Error)
	}
	for _, want := range []string{" INFO Hello, Gopher!", " INFO count = 3", " WARN Done greeting Gopher (3 times)."} {
		if !strings.Contains(res.Log, want) {
			t.Errorf("log lacks %q:\n%s", want, res.Log)
		}
	}
	if len(res.Logs) != strings.Count(res.Log, "\n")+1 {
		t.Errorf("%d log entries for %d lines", len(res.Logs), strings.Count(res.Log, "\n")+1)
	}
	if res.Outputs["greeting"] != "Hello, Gopher!" {
		t.Errorf("outputs %v", res.Outputs)
	}
	if !strings.HasPrefix(res.URL, srv.URL+"/ui/main/executions/company.team/hello-kestra-go/"+res.ExecutionID) {
		t.Errorf("url %q", res.URL)
	}
	if res.Execution == nil || res.Execution.ID != res.ExecutionID || len(res.Execution.TaskRunList) == 0 {
		t.Errorf("execution %+v", res.Execution)
	}
	// One create, one event stream, one log read: no polling.
	counts := map[string]int{}
	for _, op := range []string{"createExecution", "followExecution", "listLogsFromExecution", "getExecution", ""} {
		counts[op] = srv.RequestCount(op)
	}
	if counts["createExecution"] != 1 || counts["followExecution"] != 1 || counts["listLogsFromExecution"] != 1 || counts[""] != 3 {
		t.Errorf("requests %v, want 3 in all", counts)
	}
}

// Python example 4: fire and forget.
func TestExecuteWithoutWaiting(t *testing.T) {
	srv := newServer(t, kestratest.WithFlows(quickstartFlow(t)))
	f := newFlow(t, srv)
	f.WaitForCompletion = false
	res, err := f.Execute(ctxFor(t, 5*time.Second), "company.team", "hello-kestra-go", map[string]any{"name": "x"})
	if err != nil {
		t.Fatal(err)
	}
	if res.Status != facade.StatusStarted || res.ExecutionID == "" || res.Log != "" || res.Err() != nil {
		t.Fatalf("%+v", res)
	}
	if n := srv.RequestCount(""); n != 1 {
		t.Errorf("%d requests, want 1", n)
	}
	exec, err := f.CheckStatus(ctxFor(t, 5*time.Second), res.ExecutionID)
	if err != nil || exec.ID != res.ExecutionID {
		t.Fatalf("CheckStatus: %v %+v", err, exec)
	}
}

// Inputs of every kind arrive converted by the server as their types expect.
func TestInputsAreSentInTheServersFormat(t *testing.T) {
	srv := newServer(t)
	got := make(chan map[string]any, 1)
	bind(srv, "typed", func(ctx context.Context, r *kestratest.Run) error {
		got <- r.Inputs()
		return nil
	},
		kestratest.InputDef{ID: "s", Type: "STRING"},
		kestratest.InputDef{ID: "i", Type: "INT"},
		kestratest.InputDef{ID: "fl", Type: "FLOAT"},
		kestratest.InputDef{ID: "b", Type: "BOOLEAN"},
		kestratest.InputDef{ID: "j", Type: "JSON"},
		kestratest.InputDef{ID: "arr", Type: "ARRAY"},
		kestratest.InputDef{ID: "dt", Type: "DATETIME"},
		kestratest.InputDef{ID: "myfile", Type: "FILE"},
	)
	f := newFlow(t, srv)
	when := time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)
	_, err := f.Execute(ctxFor(t, 5*time.Second), "company.team", "typed", map[string]any{
		"s":      "a b&c=d",
		"i":      42,
		"fl":     2.5,
		"b":      true,
		"j":      map[string]any{"k": []int{1, 2}},
		"arr":    []string{"x", "y"},
		"dt":     when,
		"myfile": facade.File{Name: "example.txt", Reader: strings.NewReader("file content"), ContentType: "text/plain"},
		"unused": nil,
	})
	if err != nil {
		t.Fatal(err)
	}
	in := <-got
	if in["s"] != "a b&c=d" || fmt.Sprint(in["i"]) != "42" || fmt.Sprint(in["fl"]) != "2.5" || in["b"] != true {
		t.Errorf("scalars %v", in)
	}
	if fmt.Sprint(in["j"]) != "map[k:[1 2]]" || fmt.Sprint(in["arr"]) != "[x y]" {
		t.Errorf("json/array %#v %#v", in["j"], in["arr"])
	}
	if !strings.Contains(fmt.Sprint(in["dt"]), "2026-03-04T05:06:07") {
		t.Errorf("datetime %#v", in["dt"])
	}
	if u := fmt.Sprint(in["myfile"]); !strings.HasPrefix(u, "kestra://") || !strings.HasSuffix(u, "example.txt") {
		t.Errorf("file %q", u)
	}
}

// Python example 2 (labels from inputs) plus explicit labels, with values
// that string formatting would break.
func TestLabelsFromInputsAreEscaped(t *testing.T) {
	srv := newServer(t, kestratest.WithFlows(quickstartFlow(t)))
	f := newFlow(t, srv, facade.WithLabels("team", "data & ops"))
	f.LabelsFromInputs = true
	odd := "a b&c=d#e+f/g?h:i"
	res, err := f.Execute(ctxFor(t, 5*time.Second), "company.team", "hello-kestra-go", map[string]any{"name": odd, "tags": []string{"p", "q"}})
	if err != nil {
		t.Fatal(err)
	}
	labels := map[string]string{}
	for _, l := range res.Execution.Labels {
		labels[l.Key] = l.Value
	}
	if labels["name"] != odd || labels["tags"] != `["p","q"]` || labels["team"] != "data & ops" ||
		labels[facade.CorrelationLabel] != res.CorrelationID || res.CorrelationID == "" {
		t.Errorf("labels %v (correlation %q)", labels, res.CorrelationID)
	}
}

func TestTenantResolution(t *testing.T) {
	srv := newServer(t, kestratest.WithTenants("main", "acme"))
	if _, err := srv.DeployFlow("acme", quickstartFlow(t)); err != nil {
		t.Fatal(err)
	}
	ctx := ctxFor(t, 10*time.Second)

	f := newFlow(t, srv, facade.WithTenant("acme"))
	res, err := f.Execute(ctx, "company.team", "hello-kestra-go", nil)
	if err != nil || res.Status != api.StateTypeSuccess || !strings.Contains(res.URL, "/ui/acme/") {
		t.Fatalf("explicit tenant: %v %+v", err, res)
	}

	t.Setenv(facade.EnvTenant, "acme")
	f = newFlow(t, srv) // newFlow clears Tenant: the environment applies
	if res, err := f.Execute(ctx, "company.team", "hello-kestra-go", nil); err != nil || res.Status != api.StateTypeSuccess {
		t.Fatalf("KESTRA_TENANT: %v", err)
	}

	t.Setenv(facade.EnvTenant, "")
	f = newFlow(t, srv) // default "main": the flow is not there
	if _, err := f.Execute(ctx, "company.team", "hello-kestra-go", nil); !errors.Is(err, facade.ErrNotFound) {
		t.Fatalf("tenant main: %v, want not found", err)
	}
}

// pathRecorder records request paths going through a Flow's HTTP client.
type pathRecorder struct {
	mu    sync.Mutex
	paths []string
	next  http.RoundTripper
}

func (p *pathRecorder) RoundTrip(r *http.Request) (*http.Response, error) {
	p.mu.Lock()
	p.paths = append(p.paths, r.URL.EscapedPath())
	p.mu.Unlock()
	return p.next.RoundTrip(r)
}

func TestLegacyRoutes(t *testing.T) {
	srv := newServer(t, kestratest.WithLegacyRoutes(), kestratest.WithFlows(quickstartFlow(t)))
	rec := &pathRecorder{next: http.DefaultTransport}
	f := newFlow(t, srv, facade.WithLegacyRoutes(), facade.WithHTTPClient(&http.Client{Transport: rec}))
	res, err := f.Execute(ctxFor(t, 5*time.Second), "company.team", "hello-kestra-go", nil)
	if err != nil || res.Status != api.StateTypeSuccess {
		t.Fatalf("%v %+v", err, res)
	}
	// Actions too: the tenant segment is removed from their routes.
	if _, err := f.Replay(ctxFor(t, 5*time.Second), res.ExecutionID, nil); err != nil {
		t.Errorf("replay on legacy routes: %v", err)
	}
	rec.mu.Lock()
	defer rec.mu.Unlock()
	for _, p := range rec.paths {
		if strings.Contains(p, "/main/") || !strings.HasPrefix(p, "/api/v1/") {
			t.Errorf("path %q has a tenant", p)
		}
	}
	if !slices.Contains(rec.paths, "/api/v1/executions/company.team/hello-kestra-go") ||
		!slices.Contains(rec.paths, "/api/v1/executions/"+res.ExecutionID+"/actions/replay") {
		t.Errorf("paths %q", rec.paths)
	}
}

func TestCheckStatusAndGetLogs(t *testing.T) {
	srv := newServer(t, kestratest.WithFlows(quickstartFlow(t)))
	f := newFlow(t, srv)
	ctx := ctxFor(t, 10*time.Second)
	res, err := f.Execute(ctx, "company.team", "hello-kestra-go", nil)
	if err != nil {
		t.Fatal(err)
	}
	exec, err := f.CheckStatus(ctx, res.ExecutionID)
	if err != nil || exec.State.Current != api.StateTypeSuccess {
		t.Fatalf("CheckStatus: %v %+v", err, exec)
	}
	text, err := f.GetLogs(ctx, res.ExecutionID)
	if err != nil {
		t.Fatal(err)
	}
	// The log built from the JSON entries is the server's own download.
	if text != res.Log {
		t.Errorf("GetLogs:\n%s\nResult.Log:\n%s", text, res.Log)
	}
	if _, err := f.CheckStatus(ctx, "nope"); !errors.Is(err, facade.ErrNotFound) {
		t.Errorf("unknown execution: %v", err)
	}
}

// startedExecution starts the quickstart flow without waiting and returns
// its id.
func startedExecution(t *testing.T, srv *kestratest.Server) string {
	t.Helper()
	f := newFlow(t, srv, facade.WithWait(false))
	res, err := f.Execute(ctxFor(t, 10*time.Second), "company.team", "hello-kestra-go", nil)
	if err != nil {
		t.Fatal(err)
	}
	return res.ExecutionID
}

// Each retryable status is retried, and each honours Retry-After.
func TestEachRetryStatusIsRetried(t *testing.T) {
	for _, code := range []int{408, 429, 500, 502, 503, 504} {
		t.Run(fmt.Sprint(code), func(t *testing.T) {
			t.Parallel()
			srv := newServer(t, kestratest.WithFlows(quickstartFlow(t)))
			f := newFlow(t, srv)
			id := startedExecution(t, srv)
			srv.ResetCounts()
			srv.InjectFault(kestratest.Fault{Operation: "getExecution", Status: code})
			srv.InjectFault(kestratest.Fault{Operation: "getExecution", Status: code, RetryAfter: time.Second})
			start := time.Now()
			if _, err := f.CheckStatus(ctxFor(t, 10*time.Second), id); err != nil {
				t.Fatal(err)
			}
			if n := srv.RequestCount("getExecution"); n != 3 {
				t.Errorf("%d requests, want 3", n)
			}
			// The backoff alone is a few ms; the server asked for a second.
			if waited := time.Since(start); waited < 900*time.Millisecond {
				t.Errorf("succeeded after %v: Retry-After: 1 not honoured", waited)
			}
		})
	}
}

func TestReadRetriesOnResetNotOnDefiniteAnswers(t *testing.T) {
	srv := newServer(t, kestratest.WithFlows(quickstartFlow(t)))
	f := newFlow(t, srv)
	ctx := ctxFor(t, 10*time.Second)
	id := startedExecution(t, srv)
	// Transport failures of a read are retried too.
	srv.InjectFault(kestratest.Fault{Operation: "getExecution", Reset: true, Count: 3})
	if _, err := f.CheckStatus(ctx, id); err != nil {
		t.Errorf("connection reset: %v", err)
	}
	// Not retried: a definite answer.
	srv.ResetCounts()
	srv.InjectFault(kestratest.Fault{Operation: "getExecution", Status: 400})
	if _, err := f.CheckStatus(ctx, id); err == nil || srv.RequestCount("getExecution") != 1 {
		t.Errorf("400: %v after %d requests", err, srv.RequestCount("getExecution"))
	}
}

func TestRetryAfterIsHonoured(t *testing.T) {
	srv := newServer(t, kestratest.WithFlows(quickstartFlow(t)))
	f := newFlow(t, srv)
	ctx := ctxFor(t, 10*time.Second)
	id := startedExecution(t, srv)
	// A Retry-After beyond the context's deadline fails at once instead of
	// sleeping into the deadline.
	srv.InjectFault(kestratest.Fault{Operation: "getExecution", Status: 503, RetryAfter: time.Hour})
	short, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	start := time.Now()
	_, err := f.CheckStatus(short, id)
	if !errors.Is(err, facade.ErrFailedExponentialBackoff) || time.Since(start) > time.Second {
		t.Errorf("long Retry-After: %v after %v", err, time.Since(start))
	}
	// On a create, Retry-After delays the search and the resend.
	srv.ResetCounts()
	srv.InjectFault(kestratest.Fault{Operation: "createExecution", Status: 429, RetryAfter: time.Second})
	start = time.Now()
	res, err := f.Execute(ctx, "company.team", "hello-kestra-go", nil)
	if err != nil || res.Status != api.StateTypeSuccess {
		t.Fatalf("create after 429: %v", err)
	}
	if waited := time.Since(start); waited < 900*time.Millisecond {
		t.Errorf("create resent after %v, Retry-After said 1s", waited)
	}
	if n := srv.RequestCount("createExecution"); n != 2 {
		t.Errorf("%d creates, want 2", n)
	}
}

// A Retry-After HTTP date (kestratest sends seconds; this tiny handler is the
// only non-kestratest server in these tests).
func TestRetryAfterHTTPDate(t *testing.T) {
	var calls atomic.Int32
	hs := newTinyServer(t, func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) == 1 {
			w.Header().Set("Retry-After", time.Now().Add(2*time.Second).UTC().Format(http.TimeFormat))
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		w.Header().Set("Content-Type", "text/plain")
		_, _ = io.WriteString(w, "2026-01-01T00:00:00Z INFO hi")
	})
	f, _ := facade.New(facade.WithHostname(hs), facade.WithRetry(3, time.Millisecond, 5*time.Millisecond))
	start := time.Now()
	text, err := f.GetLogs(ctxFor(t, 10*time.Second), "x")
	if err != nil || text != "2026-01-01T00:00:00Z INFO hi" {
		t.Fatalf("%q %v", text, err)
	}
	// The date has one-second resolution: at least ~1 s is left of the 2 s.
	if waited := time.Since(start); waited < 900*time.Millisecond {
		t.Errorf("retried after %v", waited)
	}
}

func newTinyServer(t testing.TB, h http.HandlerFunc) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &http.Server{Handler: h}
	go func() { _ = s.Serve(l) }()
	t.Cleanup(func() { _ = s.Close() })
	return "http://" + l.Addr().String()
}

func TestGiveUpAfterConfiguredAttempts(t *testing.T) {
	srv := newServer(t, kestratest.WithFlows(quickstartFlow(t)))
	f := newFlow(t, srv, facade.WithRetry(3, time.Millisecond, 5*time.Millisecond))
	f.WaitForCompletion = false
	ctx := ctxFor(t, 10*time.Second)
	res, err := f.Execute(ctx, "company.team", "hello-kestra-go", nil)
	if err != nil {
		t.Fatal(err)
	}
	srv.ResetCounts()
	srv.InjectFault(kestratest.Fault{Operation: "getExecution", Status: 503, Count: 10})
	_, err = f.CheckStatus(ctx, res.ExecutionID)
	var ae *facade.APIError
	if !errors.Is(err, facade.ErrFailedExponentialBackoff) || !errors.As(err, &ae) || ae.StatusCode != 503 {
		t.Fatalf("err %v", err)
	}
	if n := srv.RequestCount("getExecution"); n != 3 {
		t.Errorf("%d attempts, want 3", n)
	}
}

// Python examples 5 and 6: credentials set on the object or in the
// environment; a 401 is immediate and never shows the password.
func TestAuthentication(t *testing.T) {
	srv := newServer(t, kestratest.WithBasicAuth("admin@example.com", "Admin1234"), kestratest.WithFlows(quickstartFlow(t)))
	ctx := ctxFor(t, 10*time.Second)

	f := newFlow(t, srv)
	f.Password = "Wrong-Secret-99"
	f.User = "admin@example.com"
	_, err := f.Execute(ctx, "company.team", "hello-kestra-go", nil)
	var ae *facade.APIError
	if !errors.Is(err, facade.ErrUnauthorized) || !errors.As(err, &ae) || ae.StatusCode != 401 {
		t.Fatalf("wrong password: %v", err)
	}
	if strings.Contains(err.Error(), "Wrong-Secret-99") || strings.Contains(fmt.Sprintf("%+v", ae), "Wrong-Secret-99") {
		t.Errorf("error shows the password: %v", err)
	}
	if n := srv.RequestCount("createExecution"); n != 1 {
		t.Errorf("401 retried: %d requests", n)
	}

	// Example 5: overwrite user and password on the object.
	f.User, f.Password = "admin@example.com", "Admin1234"
	if res, err := f.Execute(ctx, "company.team", "hello-kestra-go", map[string]any{"name": "value"}); err != nil || res.Status != api.StateTypeSuccess {
		t.Fatalf("example 5: %v", err)
	}

	// Example 6: hostname, user and password from the environment.
	t.Setenv(facade.EnvHostname, srv.URL)
	t.Setenv(facade.EnvUser, "admin@example.com")
	t.Setenv(facade.EnvPassword, "Admin1234")
	t.Setenv(facade.EnvAPIToken, "")
	t.Setenv(facade.EnvTenant, "")
	env, err := facade.New()
	if err != nil {
		t.Fatal(err)
	}
	if res, err := env.Execute(ctx, "company.team", "hello-kestra-go", map[string]any{"name": "value"}); err != nil || res.Status != api.StateTypeSuccess {
		t.Fatalf("example 6: %v", err)
	}
}

func TestBearerTokenWinsOverBasicAuth(t *testing.T) {
	srv := newServer(t, kestratest.WithBearerToken("tok-123456"), kestratest.WithFlows(quickstartFlow(t)))
	f := newFlow(t, srv, facade.WithBasicAuth("someone@example.com", "Nope12345"), facade.WithAPIToken("tok-123456"))
	if res, err := f.Execute(ctxFor(t, 5*time.Second), "company.team", "hello-kestra-go", nil); err != nil || res.Status != api.StateTypeSuccess {
		t.Fatalf("%v", err)
	}
}

func TestDefiniteErrors(t *testing.T) {
	for _, problem := range []bool{false, true} {
		t.Run(fmt.Sprintf("problem=%v", problem), func(t *testing.T) {
			opts := []kestratest.Option{kestratest.WithFlows(quickstartFlow(t), requiredFlow)}
			if problem {
				opts = append(opts, kestratest.WithProblemDetails())
			}
			srv := newServer(t, opts...)
			f := newFlow(t, srv)
			ctx := ctxFor(t, 5*time.Second)
			check := func(name string, err error, sentinel error, status int) {
				t.Helper()
				var ae *facade.APIError
				if !errors.Is(err, sentinel) || !errors.As(err, &ae) || ae.StatusCode != status || ae.Message == "" {
					t.Errorf("%s: %v", name, err)
					return
				}
				if problem && (ae.Type == "" || ae.Title == "") {
					t.Errorf("%s: problem fields missing: %+v", name, ae)
				}
			}
			_, err := f.Execute(ctx, "company.team", "no-such-flow", nil)
			check("unknown flow", err, facade.ErrNotFound, 404)

			if err := srv.SetFlowDisabled("main", "company.team", "hello-kestra-go", true); err != nil {
				t.Fatal(err)
			}
			_, err = f.Execute(ctx, "company.team", "hello-kestra-go", nil)
			check("disabled flow", err, facade.ErrConflict, 409)

			_, err = f.Execute(ctx, "company.team", "needs-input", nil)
			check("missing input", err, facade.ErrInvalid, 422)
			_, err = f.Execute(ctx, "company.team", "needs-input", map[string]any{"count": "abc"})
			check("bad input", err, facade.ErrInvalid, 422)

			if n := srv.RequestCount("createExecution"); n != 4 {
				t.Errorf("%d creates for 4 definite errors", n)
			}
			if n := srv.RequestCount("searchExecutions"); n != 0 {
				t.Errorf("definite errors searched %d times", n)
			}
		})
	}
}

// The server's terminal set ends a wait (the Python client waits forever on
// RETRIED and SKIPPED); only SUCCESS and WARNING are not errors.
func TestEveryTerminalStateEndsTheWait(t *testing.T) {
	srv := newServer(t)
	f := newFlow(t, srv)
	for _, state := range []string{"SUCCESS", "WARNING", "FAILED", "KILLED", "CANCELLED", "RETRIED", "SKIPPED", "RESUBMITTED"} {
		bind(srv, "ends-"+strings.ToLower(state), func(ctx context.Context, r *kestratest.Run) error {
			r.Log("INFO", "ending "+state)
			r.SetState(state)
			return nil
		})
		res, err := f.Execute(ctxFor(t, 5*time.Second), "company.team", "ends-"+strings.ToLower(state), nil)
		if err != nil {
			t.Fatalf("%s: %v", state, err)
		}
		if string(res.Status) != state {
			t.Errorf("status %s, want %s", res.Status, state)
		}
		wantErr := state != "SUCCESS" && state != "WARNING"
		var ee *facade.ExecutionError
		if got := errors.As(res.Err(), &ee); got != wantErr || (wantErr && (ee.Status != state || res.Error == "")) {
			t.Errorf("%s: Err() = %v, Error %q", state, res.Err(), res.Error)
		}
	}
}

func TestFailureIsDescribed(t *testing.T) {
	srv := newServer(t, kestratest.WithFlows(failFlow))
	f := newFlow(t, srv)
	res, err := f.Execute(ctxFor(t, 5*time.Second), "company.team", "failing", map[string]any{"reason": "disk full"})
	if err != nil {
		t.Fatal(err)
	}
	if res.Status != api.StateTypeFailed {
		t.Fatalf("status %s", res.Status)
	}
	if !strings.Contains(res.Error, "explode") || !strings.Contains(res.Error, "boom: disk full") {
		t.Errorf("Error %q", res.Error)
	}
	var ee *facade.ExecutionError
	if !errors.As(res.Err(), &ee) || !slices.Equal(ee.FailedTasks, []string{"explode"}) || len(ee.ErrorLines) == 0 ||
		!strings.Contains(ee.ErrorLines[0], "[explode] boom: disk full") {
		t.Errorf("Err() = %#v", res.Err())
	}
}

func TestPausedKeepsWaiting(t *testing.T) {
	srv := newServer(t, kestratest.WithFlows(pauseFlow))
	f := newFlow(t, srv)
	res, err := f.Execute(ctxFor(t, 10*time.Second), "company.team", "pausing", nil)
	if err != nil {
		t.Fatal(err)
	}
	paused := false
	for _, h := range res.Execution.State.Histories {
		paused = paused || h.State == api.StateTypePaused
	}
	if res.Status != api.StateTypeSuccess || !paused || !strings.Contains(res.Log, "resumed") {
		t.Errorf("status %s, went through PAUSED: %v, log %q", res.Status, paused, res.Log)
	}
}

// The event stream is cut: the wait falls back to polling the status.
func TestStreamDropFallsBackToPolling(t *testing.T) {
	srv := newServer(t)
	bind(srv, "slow", takes(300*time.Millisecond, false))
	f := newFlow(t, srv, facade.WithPollInterval(20*time.Millisecond))
	for _, fault := range []kestratest.Fault{
		{Operation: "followExecution", CutSSEAfter: 2},        // start + first progress, then cut
		{Operation: "followExecution", Status: 404},           // no stream at all (an old server)
		{Operation: "followExecution", Reset: true, Count: 3}, // net/http itself resends an idempotent GET once
	} {
		srv.ResetCounts()
		srv.InjectFault(fault)
		res, err := f.Execute(ctxFor(t, 5*time.Second), "company.team", "slow", nil)
		if err != nil || res.Status != api.StateTypeSuccess {
			t.Fatalf("%+v: %v %+v", fault, err, res)
		}
		if n := srv.RequestCount("getExecution"); n < 1 {
			t.Errorf("%+v: no polling after the stream failed", fault)
		}
	}
}

// The server creates the execution, then answers 502: the client finds the
// execution by its correlation label instead of creating a second one.
func TestCreateNeverDuplicated(t *testing.T) {
	cases := []struct {
		name    string
		fault   kestratest.Fault
		creates int
	}{
		{"502 after create", kestratest.Fault{Operation: "createExecution", Status: 502, AfterHandle: true}, 1},
		{"500 after create", kestratest.Fault{Operation: "createExecution", Status: 500, AfterHandle: true}, 1},
		{"503 before create", kestratest.Fault{Operation: "createExecution", Status: 503}, 2},
		{"reset before create", kestratest.Fault{Operation: "createExecution", Reset: true}, 2},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv := newServer(t, kestratest.WithFlows(quickstartFlow(t)))
			f := newFlow(t, srv)
			srv.InjectFault(tc.fault)
			in, _ := os.Open("../examples/quickstart/flow.yaml") // a seekable file input: resendable
			defer in.Close()
			res, err := f.Execute(ctxFor(t, 10*time.Second), "company.team", "hello-kestra-go", map[string]any{"name": "once", "attachment": in})
			if err != nil {
				t.Fatal(err)
			}
			if res.Status != api.StateTypeSuccess {
				t.Errorf("status %s", res.Status)
			}
			execs := srv.Executions("main")
			if len(execs) != 1 || execs[0].ID != res.ExecutionID {
				t.Fatalf("%d executions exist, want exactly 1 (%s)", len(execs), res.ExecutionID)
			}
			if n := srv.RequestCount("createExecution"); n != tc.creates {
				t.Errorf("%d creates, want %d", n, tc.creates)
			}
			if n := srv.RequestCount("searchExecutions"); n < 1 {
				t.Errorf("no search after an ambiguous failure")
			}
		})
	}
}

func TestCreateOutcomeUnknown(t *testing.T) {
	srv := newServer(t, kestratest.WithFlows(quickstartFlow(t)))
	f := newFlow(t, srv)
	srv.InjectFault(kestratest.Fault{Operation: "createExecution", Status: 502, AfterHandle: true})
	srv.InjectFault(kestratest.Fault{Operation: "searchExecutions", Status: 500, Count: 100})
	_, err := f.Execute(ctxFor(t, 10*time.Second), "company.team", "hello-kestra-go", nil)
	var ue *facade.CreateOutcomeUnknownError
	if !errors.Is(err, facade.ErrCreateOutcomeUnknown) || !errors.As(err, &ue) || ue.CorrelationID == "" {
		t.Fatalf("err %v", err)
	}
	srv.ClearFaults()
	execs := srv.Executions("main")
	if len(execs) != 1 || srv.RequestCount("createExecution") != 1 {
		t.Fatalf("%d executions after %d creates", len(execs), srv.RequestCount("createExecution"))
	}
	found := false
	for _, l := range execs[0].Labels {
		found = found || (l.Key == facade.CorrelationLabel && l.Value == ue.CorrelationID)
	}
	if !found {
		t.Errorf("the execution does not carry the reported correlation id %s: %v", ue.CorrelationID, execs[0].Labels)
	}

	// Without correlation labels an ambiguous failure is never resolved.
	srv.ResetCounts()
	f = newFlow(t, srv, facade.WithCorrelationLabel(false))
	srv.InjectFault(kestratest.Fault{Operation: "createExecution", Status: 502, AfterHandle: true})
	_, err = f.Execute(ctxFor(t, 10*time.Second), "company.team", "hello-kestra-go", nil)
	if !errors.Is(err, facade.ErrCreateOutcomeUnknown) || srv.RequestCount("createExecution") != 1 || srv.RequestCount("searchExecutions") != 0 {
		t.Errorf("no correlation: %v", err)
	}
}

// A create that provably never left the client (connection refused) is
// retried until the attempts run out.
func TestCreateRetriedWhenNotSent(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	var dials atomic.Int32
	tr := &http.Transport{DialContext: func(ctx context.Context, network, a string) (net.Conn, error) {
		dials.Add(1)
		return (&net.Dialer{}).DialContext(ctx, network, a)
	}}
	f, _ := facade.New(facade.WithHostname("http://"+addr), facade.WithHTTPClient(&http.Client{Transport: tr}),
		facade.WithRetry(3, time.Millisecond, 5*time.Millisecond))
	_, err = f.Execute(ctxFor(t, 5*time.Second), "ns", "flow", map[string]any{"a": "b"})
	if !errors.Is(err, facade.ErrFailedExponentialBackoff) || errors.Is(err, facade.ErrCreateOutcomeUnknown) {
		t.Fatalf("err %v", err)
	}
	if n := dials.Load(); n != 3 {
		t.Errorf("%d dials, want 3", n)
	}
}

func TestCancellationMidWait(t *testing.T) {
	srv := newServer(t)
	started := make(chan struct{})
	bind(srv, "forever", func(ctx context.Context, r *kestratest.Run) error {
		close(started)
		<-ctx.Done()
		return ctx.Err()
	})
	f := newFlow(t, srv)
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		<-started
		time.Sleep(50 * time.Millisecond)
		cancel()
	}()
	res, err := f.Execute(ctx, "company.team", "forever", nil)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err %v", err)
	}
	if res == nil || res.ExecutionID == "" {
		t.Fatalf("no execution id after cancel: %+v", res)
	}
	if _, err := f.Kill(ctxFor(t, 5*time.Second), res.ExecutionID); err != nil {
		t.Errorf("kill: %v", err)
	}
}

func TestLiveLogs(t *testing.T) {
	srv := newServer(t, kestratest.WithFlows(quickstartFlow(t)))
	var mu sync.Mutex
	var lines []string
	var returned atomic.Bool
	f := newFlow(t, srv, facade.WithLogHandler(func(e api.LogEntry) {
		if returned.Load() {
			t.Error("log handler called after Execute returned")
		}
		mu.Lock()
		lines = append(lines, facade.FormatLog(e))
		mu.Unlock()
	}))
	res, err := f.Execute(ctxFor(t, 10*time.Second), "company.team", "hello-kestra-go", map[string]any{"name": "live"})
	returned.Store(true)
	if err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	if got := strings.Join(lines, "\n"); got != res.Log {
		t.Errorf("live lines:\n%s\nfull log:\n%s", got, res.Log)
	}
	if srv.RequestCount("followLogsFromExecution") != 1 {
		t.Errorf("log stream not used")
	}
}

// One Flow, many goroutines: one shared client, no data race.
func TestConcurrentExecute(t *testing.T) {
	srv := newServer(t)
	var runs atomic.Int32
	bind(srv, "quick", func(ctx context.Context, r *kestratest.Run) error {
		runs.Add(1)
		r.Log("INFO", "hi "+fmt.Sprint(r.Inputs()["n"]))
		return nil
	}, kestratest.InputDef{ID: "n", Type: "INT"})
	f := newFlow(t, srv)
	const n = 1000
	ctx := ctxFor(t, 2*time.Minute)
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			res, err := f.Execute(ctx, "company.team", "quick", map[string]any{"n": i})
			switch {
			case err != nil:
				errs <- err
			case res.Status != api.StateTypeSuccess || !strings.HasSuffix(res.Log, fmt.Sprintf("INFO hi %d", i)):
				errs <- fmt.Errorf("execution %d: %s %q", i, res.Status, res.Log)
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if runs.Load() != n || len(srv.Executions("main")) != n {
		t.Errorf("%d runs, %d executions, want %d", runs.Load(), len(srv.Executions("main")), n)
	}
}

// A create refused before the server handled it is resent, but not with a
// file input that was already read from a reader that cannot seek back.
func TestCreateWithConsumedFileInputIsNotResent(t *testing.T) {
	srv := newServer(t)
	bind(srv, "upload", func(ctx context.Context, r *kestratest.Run) error { return nil },
		kestratest.InputDef{ID: "data", Type: "FILE"})
	f := newFlow(t, srv)
	srv.InjectFault(kestratest.Fault{Operation: "createExecution", Status: 503})
	_, err := f.Execute(ctxFor(t, 10*time.Second), "company.team", "upload", map[string]any{
		"data": facade.File{Name: "once.bin", Reader: io.MultiReader(strings.NewReader("bytes"))},
	})
	var ae *facade.APIError
	if !errors.Is(err, facade.ErrInputNotReplayable) || !errors.As(err, &ae) || ae.StatusCode != 503 {
		t.Fatalf("err %v", err)
	}
	if n := len(srv.Executions("main")); n != 0 || srv.RequestCount("createExecution") != 1 {
		t.Errorf("%d executions after %d creates", n, srv.RequestCount("createExecution"))
	}
}

// A stream that stays silent (the server's follow race loses the end) is
// covered by the slow guard poll.
func TestGuardPollEndsASilentStream(t *testing.T) {
	srv := newServer(t, kestratest.WithFlows(quickstartFlow(t)))
	f := newFlow(t, srv, facade.WithGuardInterval(100*time.Millisecond))
	srv.InjectFault(kestratest.Fault{Operation: "followExecution", Hang: true})
	res, err := f.Execute(ctxFor(t, 10*time.Second), "company.team", "hello-kestra-go", nil)
	if err != nil || res.Status != api.StateTypeSuccess {
		t.Fatalf("%v %+v", err, res)
	}
	if n := srv.RequestCount("getExecution"); n < 1 {
		t.Errorf("no guard poll")
	}
}

func TestInvalidIDsAreRefusedWithoutRequest(t *testing.T) {
	srv := newServer(t)
	f := newFlow(t, srv)
	ctx := ctxFor(t, 5*time.Second)
	for _, id := range []string{"", ".", ".."} {
		if _, err := f.Execute(ctx, "company.team", id, nil); !errors.Is(err, facade.ErrInvalidID) {
			t.Errorf("Execute flow %q: %v, want ErrInvalidID", id, err)
		}
		if _, err := f.Execute(ctx, id, "flow", nil); !errors.Is(err, facade.ErrInvalidID) {
			t.Errorf("Execute namespace %q: %v, want ErrInvalidID", id, err)
		}
		if _, err := f.CheckStatus(ctx, id); !errors.Is(err, facade.ErrInvalidID) {
			t.Errorf("CheckStatus %q: %v, want ErrInvalidID", id, err)
		}
		if _, err := f.GetLogs(ctx, id); !errors.Is(err, facade.ErrInvalidID) {
			t.Errorf("GetLogs %q: %v, want ErrInvalidID", id, err)
		}
		if _, err := f.Kill(ctx, id); !errors.Is(err, facade.ErrInvalidID) {
			t.Errorf("Kill %q: %v, want ErrInvalidID", id, err)
		}
	}
	if n := srv.RequestCount(""); n != 0 {
		t.Errorf("%d requests reached the server, want 0", n)
	}
}

func TestAPIClientSharesTheFlowsSettings(t *testing.T) {
	srv := newServer(t, kestratest.WithBasicAuth("admin@kestra.io", "Admin1234"), kestratest.WithTenants("main", "acme"))
	f := newFlow(t, srv, facade.WithBasicAuth("admin@kestra.io", "Admin1234"), facade.WithTenant("acme"))
	c, tenant, err := f.API()
	if err != nil {
		t.Fatal(err)
	}
	if tenant != "acme" {
		t.Fatalf("tenant %q, want acme", tenant)
	}
	ctx := ctxFor(t, 5*time.Second)
	created, err := c.CreateFlowWithBodyWithResponse(ctx, tenant, nil, "application/x-yaml", strings.NewReader("id: deployed\nnamespace: company.team\ntasks:\n  - id: hi\n    type: io.kestra.plugin.core.log.Log\n    message: hi\n"))
	if err != nil {
		t.Fatal(err)
	}
	if created.StatusCode() != http.StatusOK {
		t.Fatalf("createFlow: HTTP %d %s (credentials not sent?)", created.StatusCode(), created.Body)
	}
	res, err := f.Execute(ctx, "company.team", "deployed", nil)
	if err != nil {
		t.Fatal(err)
	}
	if res.Status != api.StateTypeSuccess {
		t.Errorf("status %s, want SUCCESS", res.Status)
	}
	// The server keeps tenants apart: the flow is not in main.
	if got, err := c.GetFlowWithResponse(ctx, "main", "company.team", "deployed", nil); err != nil || got.StatusCode() != http.StatusNotFound {
		t.Errorf("flow visible in tenant main: %v %d", err, got.StatusCode())
	}
}
