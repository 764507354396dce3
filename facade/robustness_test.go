package facade_test

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"runtime"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/kestra-go/kestra-go/api"
	"github.com/kestra-go/kestra-go/facade"
	"github.com/kestra-go/kestra-go/kestratest"
)

// streamCounter serves srv and counts the event streams (…/follow
// requests) its handlers are still serving: the server-side view of the
// streams a client left open.
type streamCounter struct {
	srv           http.Handler
	open, opened  atomic.Int32
	logs, execute atomic.Int32
}

func (c *streamCounter) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if strings.HasSuffix(r.URL.Path, "/follow") {
		c.open.Add(1)
		c.opened.Add(1)
		if strings.Contains(r.URL.Path, "/logs/") {
			c.logs.Add(1)
		} else {
			c.execute.Add(1)
		}
		defer c.open.Add(-1)
	}
	c.srv.ServeHTTP(w, r)
}

// eventually polls cond for up to 30 s: a precondition, not a timing
// assertion, so the bound only has to outlast a loaded machine.
func eventually(cond func() bool) bool {
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if cond() {
			return true
		}
	}
	return cond()
}

// Every stream Execute opens (the execution's and the never-ending log
// stream) is closed by the time it returns, whether the execution ended, the
// stream dropped, or the caller cancelled; and repeated calls leave no
// goroutines behind.
func TestNoStreamOrGoroutineOutlivesExecute(t *testing.T) {
	srv := newServer(t)
	started := make(chan struct{}, 1)
	bind(srv, "forever", func(ctx context.Context, r *kestratest.Run) error {
		r.Log("INFO", "running")
		started <- struct{}{}
		<-ctx.Done()
		return ctx.Err()
	})
	bind(srv, "brief", takes(50*time.Millisecond, true)) // long enough for both streams to be open on the server
	counter := &streamCounter{srv: srv}
	hs := httptest.NewServer(counter)
	t.Cleanup(func() {
		hs.CloseClientConnections() // ends streams a failing client left open
		hs.Close()
	})
	tr := http.DefaultTransport.(*http.Transport).Clone()
	t.Cleanup(tr.CloseIdleConnections)
	var lines atomic.Int32
	f := newFlow(t, srv, facade.WithHostname(hs.URL), facade.WithHTTPClient(&http.Client{Transport: tr}),
		facade.WithPollInterval(20*time.Millisecond),
		facade.WithLogHandler(func(api.LogEntry) { lines.Add(1) }))
	ctx := ctxFor(t, time.Minute)

	closed := func(step string) {
		t.Helper()
		if !eventually(func() bool { return counter.open.Load() == 0 }) {
			t.Fatalf("%s: %d event streams still open on the server after Execute returned", step, counter.open.Load())
		}
	}
	run := func() {
		t.Helper()
		res, err := f.Execute(ctx, "company.team", "brief", nil)
		if err != nil || res.Status != api.StateTypeSuccess {
			t.Fatalf("%v %+v", err, res)
		}
		closed("ended execution")
	}

	run() // warm up the connection pool before counting goroutines
	tr.CloseIdleConnections()
	hs.CloseClientConnections()
	time.Sleep(50 * time.Millisecond)
	base := runtime.NumGoroutine()

	const n = 20
	for range n {
		run()
	}
	// A dropped execution stream (then polling) must still close the log stream.
	srv.InjectFault(kestratest.Fault{Operation: "followExecution", CutSSEAfter: 2})
	run()
	// Cancelled mid-wait: both streams are closed too.
	cctx, cancel := context.WithCancel(ctx)
	streams := counter.execute.Load()
	go func() {
		<-started
		// Cancel once Execute is waiting (its create answered).
		eventually(func() bool { return counter.execute.Load() > streams })
		cancel()
	}()
	res, err := f.Execute(cctx, "company.team", "forever", nil)
	if !errors.Is(err, context.Canceled) || res == nil {
		t.Fatalf("cancelled: %v %+v", err, res)
	}
	closed("cancelled wait")
	if _, err := f.Kill(ctx, res.ExecutionID); err != nil {
		t.Fatal(err)
	}

	if got := counter.execute.Load(); got < n+3 {
		t.Errorf("%d execution streams opened for %d waits", got, n+3)
	}
	if got := counter.logs.Load(); got < n+3 {
		t.Errorf("%d log streams opened for %d waits", got, n+3)
	}
	if lines.Load() == 0 {
		t.Error("the log handler was never called")
	}
	tr.CloseIdleConnections()
	hs.CloseClientConnections()
	// A leak would be at least one goroutine per call (n+2 calls).
	if !eventually(func() bool { return runtime.NumGoroutine() <= base+5 }) {
		buf := make([]byte, 1<<20)
		t.Errorf("%d goroutines after %d calls, %d before:\n%s", runtime.NumGoroutine(), n+2, base, buf[:runtime.Stack(buf, true)])
	}
}

// Every sleep of the facade (retry delays, Retry-After, the polling
// interval) ends when the context is cancelled: the delays here are an hour.
func TestEverySleepEndsOnCancel(t *testing.T) {
	hour := kestratest.Fault{Status: 503, RetryAfter: time.Hour, Count: 100}
	with := func(f kestratest.Fault, op string) kestratest.Fault { f.Operation = op; return f }
	cases := []struct {
		name   string
		faults []kestratest.Fault
		opts   []facade.Option
		// sleeping reports, from the server's counts, that the call is now
		// in the sleep under test.
		sleeping func(*kestratest.Server) bool
		call     func(context.Context, *facade.Flow, string) error
		want     error
	}{
		{
			name:     "read retry (Retry-After)",
			faults:   []kestratest.Fault{with(hour, "getExecution")},
			sleeping: func(s *kestratest.Server) bool { return s.RequestCount("getExecution") >= 1 },
			call: func(ctx context.Context, f *facade.Flow, id string) error {
				_, err := f.CheckStatus(ctx, id)
				return err
			},
		},
		{
			name:     "log download retry (Retry-After)",
			faults:   []kestratest.Fault{with(hour, "downloadLogsFromExecution")},
			sleeping: func(s *kestratest.Server) bool { return s.RequestCount("downloadLogsFromExecution") >= 1 },
			call: func(ctx context.Context, f *facade.Flow, id string) error {
				_, err := f.GetLogs(ctx, id)
				return err
			},
		},
		{
			name:     "read retry (backoff)",
			faults:   []kestratest.Fault{{Operation: "getExecution", Status: 500, Count: 100}},
			opts:     []facade.Option{facade.WithRetry(5, time.Hour, time.Hour), facade.WithRetryWindow(3 * time.Hour)},
			sleeping: func(s *kestratest.Server) bool { return s.RequestCount("getExecution") >= 1 },
			call: func(ctx context.Context, f *facade.Flow, id string) error {
				_, err := f.CheckStatus(ctx, id)
				return err
			},
		},
		{
			name:     "create retry after an ambiguous failure",
			faults:   []kestratest.Fault{{Operation: "createExecution", Status: 502, AfterHandle: true, RetryAfter: time.Hour}},
			sleeping: func(s *kestratest.Server) bool { return s.RequestCount("createExecution") >= 1 },
			call: func(ctx context.Context, f *facade.Flow, _ string) error {
				_, err := f.Execute(ctx, "company.team", "hello-kestra-go", nil)
				return err
			},
			want: facade.ErrCreateOutcomeUnknown,
		},
		{
			name: "search retry after an ambiguous create",
			faults: []kestratest.Fault{
				{Operation: "createExecution", Status: 502, AfterHandle: true},
				with(hour, "searchExecutions"),
			},
			sleeping: func(s *kestratest.Server) bool { return s.RequestCount("searchExecutions") >= 1 },
			call: func(ctx context.Context, f *facade.Flow, _ string) error {
				_, err := f.Execute(ctx, "company.team", "hello-kestra-go", nil)
				return err
			},
			want: facade.ErrCreateOutcomeUnknown,
		},
		{
			name:     "polling interval after the stream failed",
			faults:   []kestratest.Fault{{Operation: "followExecution", Status: 404, Count: 100}},
			opts:     []facade.Option{facade.WithPollInterval(time.Hour)},
			sleeping: func(s *kestratest.Server) bool { return s.RequestCount("getExecution") >= 1 },
			call: func(ctx context.Context, f *facade.Flow, _ string) error {
				_, err := f.Execute(ctx, "company.team", "forever", nil)
				return err
			},
		},
		{
			name:     "guard interval while following",
			opts:     []facade.Option{facade.WithGuardInterval(time.Hour)},
			sleeping: func(s *kestratest.Server) bool { return s.RequestCount("followExecution") >= 1 },
			call: func(ctx context.Context, f *facade.Flow, _ string) error {
				_, err := f.Execute(ctx, "company.team", "forever", nil)
				return err
			},
		},
		{
			name:     "log read retry after the end",
			faults:   []kestratest.Fault{with(hour, "listLogsFromExecution")},
			sleeping: func(s *kestratest.Server) bool { return s.RequestCount("listLogsFromExecution") >= 1 },
			call: func(ctx context.Context, f *facade.Flow, _ string) error {
				_, err := f.Execute(ctx, "company.team", "hello-kestra-go", nil)
				return err
			},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv := newServer(t, kestratest.WithFlows(quickstartFlow(t)))
			bind(srv, "forever", func(ctx context.Context, r *kestratest.Run) error {
				<-ctx.Done()
				return ctx.Err()
			})
			f := newFlow(t, srv, append([]facade.Option{facade.WithRetry(5, 2*time.Millisecond, 20*time.Millisecond)}, tc.opts...)...)
			start := newFlow(t, srv, facade.WithWait(false))
			res, err := start.Execute(ctxFor(t, 10*time.Second), "company.team", "hello-kestra-go", nil)
			if err != nil {
				t.Fatal(err)
			}
			srv.ResetCounts()
			for _, fault := range tc.faults {
				srv.InjectFault(fault)
			}
			ctx, cancel := context.WithCancel(context.Background()) // no deadline: only the cancel can end the sleep
			defer cancel()
			done := make(chan error, 1)
			go func() { done <- tc.call(ctx, f, res.ExecutionID) }()
			if !eventually(func() bool { return tc.sleeping(srv) }) {
				t.Fatal("the call never reached the sleep under test")
			}
			time.Sleep(20 * time.Millisecond)
			cancel()
			select {
			case err := <-done:
				if !errors.Is(err, context.Canceled) {
					t.Errorf("err %v, want context.Canceled", err)
				}
				if tc.want != nil && !errors.Is(err, tc.want) {
					t.Errorf("err %v, want %v", err, tc.want)
				}
			case <-time.After(5 * time.Second):
				t.Fatal("the call did not return within 5 s of the cancel")
			}
		})
	}
}

// A create refused with a retryable status on every attempt gives up with
// ErrFailedExponentialBackoff wrapping the last *APIError, after proving
// (by searching its correlation label) that nothing was created.
func TestCreateGivesUp(t *testing.T) {
	srv := newServer(t, kestratest.WithFlows(quickstartFlow(t)))
	f := newFlow(t, srv, facade.WithRetry(3, time.Millisecond, 5*time.Millisecond))
	srv.InjectFault(kestratest.Fault{Operation: "createExecution", Status: 503, Count: 100})
	_, err := f.Execute(ctxFor(t, 10*time.Second), "company.team", "hello-kestra-go", nil)
	var ae *facade.APIError
	if !errors.Is(err, facade.ErrFailedExponentialBackoff) || errors.Is(err, facade.ErrCreateOutcomeUnknown) ||
		!errors.As(err, &ae) || ae.StatusCode != 503 {
		t.Fatalf("err %v", err)
	}
	if n := srv.RequestCount("createExecution"); n != 3 {
		t.Errorf("%d creates, want 3", n)
	}
	if n := srv.RequestCount("searchExecutions"); n < 3 {
		t.Errorf("%d searches; each ambiguous failure must be searched before giving up", n)
	}
	if n := len(srv.Executions("main")); n != 0 {
		t.Errorf("%d executions exist", n)
	}
}

// Namespaces, flow ids and execution ids reach the server as single, escaped
// path segments: odd characters cannot redirect a request to another route.
func TestIDsAreEscaped(t *testing.T) {
	srv := newServer(t, kestratest.WithFlows(quickstartFlow(t)))
	rec := &pathRecorder{next: http.DefaultTransport}
	f := newFlow(t, srv, facade.WithHTTPClient(&http.Client{Transport: rec}))
	ctx := ctxFor(t, 10*time.Second)
	for _, tc := range []struct{ ns, flow, path string }{
		{"company.team", "a b?c&d:e/f", "/api/v1/main/executions/company.team/a%20b%3Fc&d:e%2Ff"},
		{"x/../company.team", "hello-kestra-go", "/api/v1/main/executions/x%2F..%2Fcompany.team/hello-kestra-go"},
		{"company.team/hello-kestra-go?", "x", "/api/v1/main/executions/company.team%2Fhello-kestra-go%3F/x"},
		{"company.team", "hello-kestra-go#frag", "/api/v1/main/executions/company.team/hello-kestra-go%23frag"},
	} {
		_, err := f.Execute(ctx, tc.ns, tc.flow, nil)
		if !errors.Is(err, facade.ErrNotFound) {
			t.Errorf("%q/%q: %v, want not found", tc.ns, tc.flow, err)
		}
		rec.mu.Lock()
		last := rec.paths[len(rec.paths)-1]
		rec.mu.Unlock()
		if last != tc.path {
			t.Errorf("%q/%q: sent %q, want %q", tc.ns, tc.flow, last, tc.path)
		}
	}
	if n := len(srv.Executions("main")); n != 0 {
		t.Errorf("%d executions created through odd ids", n)
	}
	for _, id := range []string{"a/b?c", "../x", "x y&z"} {
		if _, err := f.CheckStatus(ctx, id); !errors.Is(err, facade.ErrNotFound) {
			t.Errorf("CheckStatus(%q): %v, want not found", id, err)
		}
	}
	rec.mu.Lock()
	defer rec.mu.Unlock()
	for _, want := range []string{"/api/v1/main/executions/a%2Fb%3Fc", "/api/v1/main/executions/..%2Fx", "/api/v1/main/executions/x%20y&z"} {
		if !slices.Contains(rec.paths, want) {
			t.Errorf("no request to %q in %q", want, rec.paths)
		}
	}
}

// Secrets never appear in errors, even when a server (or a proxy) echoes the
// request's credentials back in its error body, in any error format.
func TestErrorsNeverShowSecrets(t *testing.T) {
	const (
		user     = "admin@example.com"
		password = "Pa55-word-secret"
		token    = "tok-very-secret-123"
	)
	basic := base64.StdEncoding.EncodeToString([]byte(user + ":" + password))
	for _, format := range []string{"message", "problem", "text"} {
		echo := newTinyServer(t, func(w http.ResponseWriter, r *http.Request) {
			_, _ = io.Copy(io.Discard, r.Body)
			u, p, _ := r.BasicAuth()
			leak := fmt.Sprintf("denied for %s (password %s) with header %q", u, p, r.Header.Get("Authorization"))
			switch format {
			case "message":
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(http.StatusForbidden)
				_, _ = fmt.Fprintf(w, `{"message":%q,"_embedded":{"errors":[{"message":%q,"path":"auth"}]}}`, leak, leak)
			case "problem":
				w.Header().Set("Content-Type", "application/problem+json")
				w.WriteHeader(http.StatusForbidden)
				_, _ = fmt.Fprintf(w, `{"type":"about:blank","title":%q,"status":403,"detail":%q,"errors":[{"detail":%q}]}`, leak, leak, leak)
			default:
				w.Header().Set("Content-Type", "text/plain")
				w.WriteHeader(http.StatusForbidden)
				_, _ = io.WriteString(w, leak)
			}
		})
		for _, auth := range []facade.Option{facade.WithBasicAuth(user, password), facade.WithAPIToken(token)} {
			f, err := facade.New(facade.WithHostname(echo), facade.WithBasicAuth("", ""), facade.WithAPIToken(""), auth)
			if err != nil {
				t.Fatal(err)
			}
			ctx := ctxFor(t, 5*time.Second)
			_, err1 := f.Execute(ctx, "ns", "flow", map[string]any{"a": "b"})
			_, err2 := f.CheckStatus(ctx, "id")
			_, err3 := f.GetLogs(ctx, "id")
			for i, err := range []error{err1, err2, err3} {
				var ae *facade.APIError
				if !errors.As(err, &ae) || !errors.Is(err, facade.ErrForbidden) {
					t.Fatalf("%s call %d: %v", format, i, err)
				}
				text := err.Error() + fmt.Sprintf(" %+v %#v", ae, ae)
				for _, secret := range []string{password, token, basic} {
					if strings.Contains(text, secret) {
						t.Errorf("%s call %d: error shows a secret: %s", format, i, text)
					}
				}
			}
		}
	}
}

// Execute streams a file input: the server receives its first bytes while
// the reader has not ended yet (a client reading the file into memory first
// would wait for the end forever).
func TestExecuteStreamsFileInput(t *testing.T) {
	pr, pw := io.Pipe()
	seen := make(chan struct{})
	hs := newTinyServer(t, func(w http.ResponseWriter, r *http.Request) {
		var got []byte
		buf := make([]byte, 4096)
		signalled := false
		for {
			n, err := r.Body.Read(buf)
			got = append(got, buf[:n]...)
			if !signalled && strings.Contains(string(got), "first-chunk") {
				close(seen)
				signalled = true
			}
			if err != nil {
				break
			}
		}
		if !strings.Contains(string(got), "last-chunk") {
			w.WriteHeader(http.StatusBadRequest)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"id":"e1","namespace":"ns","flowId":"f","flowRevision":1,"originalId":"e1",`+
			`"state":{"current":"CREATED","histories":[]},"metadata":{"originalCreatedDate":"2026-01-01T00:00:00Z"}}`)
	})
	go func() {
		_, _ = pw.Write([]byte("first-chunk"))
		select {
		case <-seen:
			_, _ = pw.Write([]byte("last-chunk"))
			_ = pw.Close()
		case <-time.After(5 * time.Second):
			_ = pw.CloseWithError(errors.New("the server did not get the first chunk before the file ended: not streamed"))
		}
	}()
	f, err := facade.New(facade.WithHostname(hs), facade.WithWait(false), facade.WithBasicAuth("", ""), facade.WithAPIToken(""))
	if err != nil {
		t.Fatal(err)
	}
	res, err := f.Execute(ctxFor(t, 10*time.Second), "ns", "f", map[string]any{"data": facade.File{Name: "live.bin", Reader: pr}})
	if err != nil || res.ExecutionID != "e1" {
		t.Fatalf("%v %+v", err, res)
	}
}

// dialRefused returns an address nothing listens on.
func dialRefused(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	_ = l.Close()
	return "http://" + addr
}

// A create that provably never left the client sleeps its backoff delay
// before being resent; that sleep ends on cancel too.
func TestUnsentCreateSleepEndsOnCancel(t *testing.T) {
	f, err := facade.New(facade.WithHostname(dialRefused(t)), facade.WithRetry(5, time.Hour, time.Hour), facade.WithRetryWindow(3*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		_, err := f.Execute(ctx, "ns", "flow", nil)
		done <- err
	}()
	time.Sleep(100 * time.Millisecond)
	cancel()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) || errors.Is(err, facade.ErrCreateOutcomeUnknown) {
			t.Errorf("err %v, want context.Canceled (and not an unknown outcome: nothing was sent)", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Execute did not return within 5 s of the cancel")
	}
}

// When no attempt is left after an ambiguous failure, the searches of the
// lookup window decide: the execution they find is waited for; finding none
// gives ErrFailedExponentialBackoff (provably nothing created).
func TestCreateLastAttemptIsSettledBySearch(t *testing.T) {
	srv := newServer(t, kestratest.WithFlows(quickstartFlow(t)))
	f := newFlow(t, srv, facade.WithRetry(1, time.Millisecond, time.Millisecond))
	ctx := ctxFor(t, 10*time.Second)

	srv.InjectFault(kestratest.Fault{Operation: "createExecution", Status: 502, AfterHandle: true})
	res, err := f.Execute(ctx, "company.team", "hello-kestra-go", nil)
	if err != nil || res.Status != api.StateTypeSuccess {
		t.Fatalf("created, then 502: %v %+v", err, res)
	}
	if execs := srv.Executions("main"); len(execs) != 1 || execs[0].ID != res.ExecutionID {
		t.Fatalf("%d executions, want exactly the one returned", len(execs))
	}
	if c, s := srv.RequestCount("createExecution"), srv.RequestCount("searchExecutions"); c != 1 || s != 1 {
		t.Errorf("%d creates and %d searches, want 1 and 1", c, s)
	}

	srv.ResetCounts()
	srv.InjectFault(kestratest.Fault{Operation: "createExecution", Status: 502})
	_, err = f.Execute(ctx, "company.team", "hello-kestra-go", nil)
	var ae *facade.APIError
	if !errors.Is(err, facade.ErrFailedExponentialBackoff) || errors.Is(err, facade.ErrCreateOutcomeUnknown) ||
		!errors.As(err, &ae) || ae.StatusCode != 502 {
		t.Fatalf("refused with 502: %v", err)
	}
	if n := len(srv.Executions("main")); n != 1 {
		t.Errorf("%d executions, want still 1", n)
	}
	if c, s := srv.RequestCount("createExecution"), srv.RequestCount("searchExecutions"); c != 1 || s != 1 {
		t.Errorf("%d creates and %d searches, want 1 and 1", c, s)
	}
}

// A failed execution whose logs cannot be read still says what failed, and
// the error says why the log is missing.
func TestFailureDescribedWhenLogsUnreadable(t *testing.T) {
	srv := newServer(t, kestratest.WithFlows(failFlow))
	f := newFlow(t, srv)
	srv.InjectFault(kestratest.Fault{Operation: "listLogsFromExecution", Status: 400})
	res, err := f.Execute(ctxFor(t, 10*time.Second), "company.team", "failing", nil)
	var ae *facade.APIError
	if !errors.As(err, &ae) || ae.StatusCode != 400 || !strings.Contains(err.Error(), "logs could not be read") {
		t.Fatalf("err %v", err)
	}
	if res == nil || res.Status != api.StateTypeFailed || !strings.Contains(res.Error, "task explode failed") || res.Log != "" {
		t.Fatalf("result %+v", res)
	}
}

// A Flow not made by New is refused instead of retrying without limit and
// polling without pause.
func TestZeroFlowIsRefused(t *testing.T) {
	srv := newServer(t, kestratest.WithFlows(quickstartFlow(t)))
	f := &facade.Flow{Hostname: srv.URL, WaitForCompletion: true}
	ctx := ctxFor(t, 5*time.Second)
	if _, err := f.Execute(ctx, "company.team", "hello-kestra-go", nil); err == nil || !strings.Contains(err.Error(), "facade.New") {
		t.Errorf("Execute: %v", err)
	}
	if _, err := f.CheckStatus(ctx, "x"); err == nil {
		t.Error("CheckStatus accepted a zero Flow")
	}
	if _, _, err := f.API(); err == nil {
		t.Error("API accepted a zero Flow")
	}
	if n := srv.RequestCount(""); n != 0 {
		t.Errorf("%d requests sent", n)
	}
}

// While the stream works, guard reads are spread out (doubling delays): a
// run 15 times the guard interval makes about 4 reads, not 15.
func TestGuardReadsAreSpreadOut(t *testing.T) {
	srv := newServer(t)
	bind(srv, "long", takes(1550*time.Millisecond, false))
	f := newFlow(t, srv, facade.WithGuardInterval(100*time.Millisecond))
	res, err := f.Execute(ctxFor(t, 10*time.Second), "company.team", "long", nil)
	if err != nil || res.Status != api.StateTypeSuccess {
		t.Fatalf("%v %+v", err, res)
	}
	// Reads at 0.1, 0.3, 0.7 and 1.5 s; one per interval would be 15.
	if n := srv.RequestCount("getExecution"); n < 1 || n > 6 {
		t.Errorf("%d guard reads during a 1.55 s run with a 100 ms guard interval", n)
	}
}

// KESTRA_API_TOKEN from the environment wins over KESTRA_USER and
// KESTRA_PASSWORD (the Python client's order).
func TestEnvironmentTokenWins(t *testing.T) {
	srv := newServer(t, kestratest.WithBearerToken("env-token-123"), kestratest.WithFlows(quickstartFlow(t)))
	t.Setenv(facade.EnvHostname, srv.URL)
	t.Setenv(facade.EnvUser, "someone@example.com")
	t.Setenv(facade.EnvPassword, "Wrong12345")
	t.Setenv(facade.EnvAPIToken, "env-token-123")
	t.Setenv(facade.EnvTenant, "")
	f, err := facade.New()
	if err != nil {
		t.Fatal(err)
	}
	if f.APIToken != "env-token-123" || f.User != "someone@example.com" || f.Password != "Wrong12345" {
		t.Fatalf("environment not read: %+v", f)
	}
	if res, err := f.Execute(ctxFor(t, 10*time.Second), "company.team", "hello-kestra-go", nil); err != nil || res.Status != api.StateTypeSuccess {
		t.Fatalf("token from the environment: %v", err)
	}
	// Without the token the wrong basic credentials are sent: refused at once.
	f.APIToken = ""
	srv.ResetCounts()
	if _, err := f.Execute(ctxFor(t, 10*time.Second), "company.team", "hello-kestra-go", nil); !errors.Is(err, facade.ErrUnauthorized) || srv.RequestCount("") != 1 {
		t.Fatalf("basic auth against a token-only server: %v after %d requests", err, srv.RequestCount(""))
	}
}
