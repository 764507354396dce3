package facade_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/kestra-go/kestra-go/api"
	"github.com/kestra-go/kestra-go/facade"
	"github.com/kestra-go/kestra-go/kestratest"
)

// proxy puts a misbehaving front in front of a kestratest server: edit may
// rewrite each answer (nil: pass it on).
func proxy(t *testing.T, srv *kestratest.Server, edit func(r *http.Request, resp *http.Response) error) string {
	t.Helper()
	target, _ := url.Parse(srv.URL)
	rp := httputil.NewSingleHostReverseProxy(target)
	rp.FlushInterval = -1 // event streams pass at once
	if edit != nil {
		rp.ModifyResponse = func(resp *http.Response) error { return edit(resp.Request, resp) }
	}
	front := httptest.NewServer(rp)
	t.Cleanup(front.Close)
	return front.URL
}

func isSearch(r *http.Request) bool {
	return r.Method == http.MethodGet && strings.HasSuffix(r.URL.Path, "/executions/search")
}

func isCreate(r *http.Request) bool {
	return r.Method == http.MethodPost && strings.Count(strings.TrimPrefix(r.URL.Path, "/api/v1/main/executions/"), "/") == 1 &&
		strings.HasPrefix(r.URL.Path, "/api/v1/main/executions/")
}

// hideYoungerThan makes searches miss executions created less than lag ago,
// as a search index that lags behind does.
func hideYoungerThan(lag time.Duration) func(*http.Request, *http.Response) error {
	return func(r *http.Request, resp *http.Response) error {
		if !isSearch(r) || resp.StatusCode != 200 {
			return nil
		}
		var page struct {
			Results []map[string]any `json:"results"`
			Total   int              `json:"total"`
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err := json.Unmarshal(b, &page); err != nil {
			return err
		}
		kept := []map[string]any{}
		for _, e := range page.Results {
			hs, _ := e["state"].(map[string]any)["histories"].([]any)
			if len(hs) == 0 {
				continue
			}
			created, _ := time.Parse(time.RFC3339Nano, hs[0].(map[string]any)["date"].(string))
			if time.Since(created) >= lag {
				kept = append(kept, e)
			}
		}
		page.Results, page.Total = kept, len(kept)
		b, _ = json.Marshal(page)
		resp.Body = io.NopCloser(bytes.NewReader(b))
		resp.ContentLength = int64(len(b))
		resp.Header.Set("Content-Length", fmt.Sprint(len(b)))
		return nil
	}
}

// With the default lookup window, a create answered 502 after the server
// created the execution is never duplicated, whatever the search index lag
// up to 2 s, nor is one whose 200 a proxy cut or emptied.
func TestCreateNeverDuplicatedUnderIndexLag(t *testing.T) {
	type tc struct {
		name   string
		lag    time.Duration
		fault  *kestratest.Fault
		answer func(resp *http.Response) // rewrites the create's answer
	}
	var cases []tc
	for _, lag := range []time.Duration{0, 300 * time.Millisecond, time.Second, 2 * time.Second} {
		cases = append(cases, tc{name: fmt.Sprintf("502, lag %v", lag), lag: lag,
			fault: &kestratest.Fault{Operation: "createExecution", Status: 502, AfterHandle: true}})
	}
	for name, body := range map[string]string{
		"cut body": "", "null": "null", "{}": "{}", `empty id`: `{"id":""}`, `dot-dot id`: `{"id":".."}`,
		"dot id": `{"id":".","namespace":"company.team","flowId":"hello-kestra-go"}`,
	} {
		cases = append(cases, tc{name: "200 " + name + ", lag 1.5s", lag: 1500 * time.Millisecond, answer: func(resp *http.Response) {
			full, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			b := []byte(body)
			if name == "cut body" {
				b = full[:len(full)/2]
			}
			resp.Body = io.NopCloser(bytes.NewReader(b))
			resp.ContentLength = int64(len(b))
			resp.Header.Set("Content-Length", fmt.Sprint(len(b)))
		}})
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			srv := newServer(t, kestratest.WithFlows(quickstartFlow(t)))
			var badPaths atomic.Int32
			lagged := hideYoungerThan(c.lag)
			front := proxy(t, srv, func(r *http.Request, resp *http.Response) error {
				if strings.Contains(r.URL.Path, "//") || strings.Contains(r.URL.Path, "/.") {
					badPaths.Add(1)
				}
				if c.answer != nil && isCreate(r) && resp.StatusCode == 200 {
					c.answer(resp)
				}
				return lagged(r, resp)
			})
			if c.fault != nil {
				srv.InjectFault(*c.fault)
			}
			// Default retry and lookup settings: the defaults are under test.
			f, err := facade.New(facade.WithHostname(front), facade.WithBasicAuth("", ""), facade.WithAPIToken(""), facade.WithTenant(""))
			if err != nil {
				t.Fatal(err)
			}
			res, err := f.Execute(ctxFor(t, 30*time.Second), "company.team", "hello-kestra-go", nil)
			if err != nil {
				t.Fatal(err)
			}
			if execs := srv.Executions("main"); len(execs) != 1 || execs[0].ID != res.ExecutionID {
				t.Fatalf("%d executions, want exactly the one returned (%s)", len(execs), res.ExecutionID)
			}
			if res.Status != api.StateTypeSuccess {
				t.Errorf("status %s", res.Status)
			}
			if n := srv.RequestCount("createExecution"); n != 1 {
				t.Errorf("%d creates", n)
			}
			if n := badPaths.Load(); n != 0 {
				t.Errorf("%d requests on a path built from an unusable id", n)
			}
		})
	}
}

// A 429 is a refusal: the create is resent after the delay, with no search.
func TestCreate429IsResentWithoutSearch(t *testing.T) {
	t.Parallel()
	srv := newServer(t, kestratest.WithFlows(quickstartFlow(t)))
	srv.InjectFault(kestratest.Fault{Operation: "createExecution", Status: 429, RetryAfter: time.Millisecond})
	f := newFlow(t, srv, facade.WithWait(false))
	if _, err := f.Execute(ctxFor(t, 10*time.Second), "company.team", "hello-kestra-go", nil); err != nil {
		t.Fatal(err)
	}
	if c, s, n := srv.RequestCount("createExecution"), srv.RequestCount("searchExecutions"), len(srv.Executions("main")); c != 2 || s != 0 || n != 1 {
		t.Errorf("%d creates, %d searches, %d executions; want 2, 0, 1", c, s, n)
	}
}

// Credentials never leave the configured origin: a redirect to another port
// of the same host arrives without Authorization; an https to http redirect
// is refused before anything is sent.
func TestRedirectsKeepCredentialsAtTheOrigin(t *testing.T) {
	t.Parallel()
	var leaked atomic.Value
	leaked.Store("")
	other := newTinyServer(t, func(w http.ResponseWriter, r *http.Request) {
		if a := r.Header.Get("Authorization"); a != "" {
			leaked.Store(a)
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"id":"e1","namespace":"ns","flowId":"f","state":{"current":"SUCCESS"}}`)
	})
	redirector := newTinyServer(t, func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, other+r.URL.RequestURI(), http.StatusFound)
	})
	for _, auth := range []facade.Option{facade.WithBasicAuth("admin@example.com", "Secret123"), facade.WithAPIToken("tok-secret")} {
		f, _ := facade.New(facade.WithHostname(redirector), auth)
		e, err := f.CheckStatus(ctxFor(t, 5*time.Second), "e1")
		if err != nil || e.ID != "e1" {
			t.Fatalf("same host, other port: %v", err)
		}
		if a := leaked.Load().(string); a != "" {
			t.Errorf("credentials sent to another port: %q", a)
		}
	}

	var plain atomic.Int32
	cleartext := newTinyServer(t, func(w http.ResponseWriter, r *http.Request) { plain.Add(1) })
	tls := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, cleartext+r.URL.RequestURI(), http.StatusTemporaryRedirect)
	}))
	t.Cleanup(tls.Close)
	f, _ := facade.New(facade.WithHostname(tls.URL), facade.WithHTTPClient(tls.Client()), facade.WithAPIToken("tok-secret"))
	_, err := f.CheckStatus(ctxFor(t, 5*time.Second), "e1")
	if !errors.Is(err, facade.ErrInsecureRedirect) {
		t.Errorf("https to http: %v, want ErrInsecureRedirect", err)
	}
	if n := plain.Load(); n != 0 {
		t.Errorf("%d requests reached the clear-text server", n)
	}
}

// sseServer answers the follow route with the given raw stream, and the
// status route with state.
func sseServer(t *testing.T, stream string, state string, polls *atomic.Int32) string {
	return newTinyServer(t, func(w http.ResponseWriter, r *http.Request) {
		switch {
		case strings.HasSuffix(r.URL.Path, "/follow"):
			w.Header().Set("Content-Type", "text/event-stream")
			_, _ = io.WriteString(w, stream)
		case strings.Contains(r.URL.Path, "/logs/"):
			w.Header().Set("Content-Type", "application/json")
			_, _ = io.WriteString(w, `[]`)
		default:
			polls.Add(1)
			w.Header().Set("Content-Type", "application/json")
			fmt.Fprintf(w, `{"id":"e1","namespace":"ns","flowId":"f","state":{"current":%q}}`, state)
		}
	})
}

// The wait believes an end event only for its own execution and with an
// ended state, never an event cut before its blank line: otherwise it reads
// the status.
func TestEndEventsAreChecked(t *testing.T) {
	t.Parallel()
	for name, stream := range map[string]string{
		"another execution": "id: end\ndata: {\"id\":\"e2\",\"state\":{\"current\":\"SUCCESS\"}}\n\n",
		"not ended":         "id: end\ndata: {\"id\":\"e1\",\"state\":{\"current\":\"RUNNING\"}}\n\n",
		"cut before blank":  "id: end\ndata: {\"id\":\"e1\",\"state\":{\"current\":\"SUCCESS\"}}\n",
		"undecodable":       "id: end\ndata: {\"id\":\"e1\",\"state\":\n\n",
	} {
		var polls atomic.Int32
		f, _ := facade.New(facade.WithHostname(sseServer(t, stream, "FAILED", &polls)), facade.WithPollInterval(10*time.Millisecond))
		res, err := f.Wait(ctxFor(t, 5*time.Second), "e1")
		if err != nil || res.Status != api.StateTypeFailed || polls.Load() == 0 {
			t.Errorf("%s: %v, status %s after %d status reads; want the status read's FAILED", name, err, res.Status, polls.Load())
		}
	}
}

// A stream whose headers never come is given up for polling after
// PollInterval, not after the guard interval.
func TestStreamWithoutHeadersFallsBackToPolling(t *testing.T) {
	t.Parallel()
	release := make(chan struct{})
	t.Cleanup(func() { close(release) })
	var polls atomic.Int32
	url := newTinyServer(t, func(w http.ResponseWriter, r *http.Request) {
		switch {
		case strings.HasSuffix(r.URL.Path, "/follow"):
			select { // hang before the headers
			case <-release:
			case <-r.Context().Done():
			}
		case strings.Contains(r.URL.Path, "/logs/"):
			_, _ = io.WriteString(w, `[]`)
		default:
			polls.Add(1)
			w.Header().Set("Content-Type", "application/json")
			_, _ = io.WriteString(w, `{"id":"e1","namespace":"ns","flowId":"f","state":{"current":"SUCCESS"}}`)
		}
	})
	f, _ := facade.New(facade.WithHostname(url), facade.WithPollInterval(20*time.Millisecond), facade.WithGuardInterval(time.Hour))
	res, err := f.Wait(ctxFor(t, 5*time.Second), "e1")
	if err != nil || res.Status != api.StateTypeSuccess || polls.Load() != 1 {
		t.Errorf("%v %s after %d status reads", err, res.Status, polls.Load())
	}
}

// A body that does not decode is not retried.
func TestDecodeErrorsAreNotRetried(t *testing.T) {
	t.Parallel()
	var n atomic.Int32
	url := newTinyServer(t, func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"id":"e1","state":{"current":"SUCCESS","startDate":"not a date"}}`)
	})
	f, _ := facade.New(facade.WithHostname(url))
	if _, err := f.CheckStatus(ctxFor(t, 5*time.Second), "e1"); err == nil || n.Load() != 1 {
		t.Errorf("err %v after %d requests, want an error after 1", err, n.Load())
	}
}

// A Retry-After of a day is capped: the retry comes after the cap.
func TestRetryAfterIsCapped(t *testing.T) {
	t.Parallel()
	var n atomic.Int32
	url := newTinyServer(t, func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1) == 1 {
			w.Header().Set("Retry-After", "86400")
			w.WriteHeader(503)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"id":"e1","state":{"current":"SUCCESS"}}`)
	})
	f, _ := facade.New(facade.WithHostname(url), facade.WithMaxRetryAfter(50*time.Millisecond))
	start := time.Now()
	if _, err := f.CheckStatus(ctxFor(t, 10*time.Second), "e1"); err != nil || n.Load() != 2 {
		t.Errorf("err %v after %d requests", err, n.Load())
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("retried after %v, the cap is 50 ms", d)
	}
}

// A read whose answer a proxy cut short is retried like a reset (the body is
// read whole before decoding), and succeeds when the server answers again.
func TestCutReadIsRetried(t *testing.T) {
	t.Parallel()
	var n atomic.Int32
	url := newTinyServer(t, func(w http.ResponseWriter, r *http.Request) {
		body := `{"id":"e1","namespace":"ns","flowId":"f","state":{"current":"SUCCESS"}}`
		w.Header().Set("Content-Type", "application/json")
		if n.Add(1) == 1 {
			w.Header().Set("Content-Length", fmt.Sprint(len(body)))
			_, _ = io.WriteString(w, body[:10])
			rc := http.NewResponseController(w)
			_ = rc.Flush() // the status, headers and the first bytes leave
			if c, _, err := rc.Hijack(); err == nil {
				_ = c.Close()
			}
			return
		}
		_, _ = io.WriteString(w, body)
	})
	f, _ := facade.New(facade.WithHostname(url), facade.WithRetry(3, time.Millisecond, time.Millisecond))
	e, err := f.CheckStatus(ctxFor(t, 5*time.Second), "e1")
	if err != nil || e.State.Current != api.StateTypeSuccess || n.Load() != 2 {
		t.Errorf("%v %+v after %d requests", err, e, n.Load())
	}
}
