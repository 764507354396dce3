package kestratest_test

import (
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kestra-go/kestra-go/api"
	"github.com/kestra-go/kestra-go/kestratest"
)

const benchFlow = `id: bench
namespace: company.team
inputs:
  - id: i
    type: INT
tasks:
  - id: log
    type: io.kestra.plugin.core.log.Log
    message: "run {{ inputs.i }}"
  - id: out
    type: io.kestra.plugin.core.output.OutputValues
    values:
      double: "{{ inputs.i * 2 }}"
`

// pooledClient is an API client keeping enough idle connections for many
// concurrent calls.
func pooledClient(t testing.TB, srv *kestratest.Server) *api.ClientWithResponses {
	t.Helper()
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConns, tr.MaxIdleConnsPerHost = 2000, 2000
	c, err := api.NewClientWithResponses(srv.URL, api.WithHTTPClient(&http.Client{Transport: tr}))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(tr.CloseIdleConnections)
	return c
}

// runConcurrent starts n executions at once (wait=true) and checks each result.
func runConcurrent(t testing.TB, c *api.ClientWithResponses, n int) {
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			ct, body := multipartBody(t, part{name: "i", value: fmt.Sprint(i)})
			res, err := c.CreateExecutionWithBodyWithResponse(ctxT(t), "main", "company.team", "bench", waitParams(), ct, body)
			switch {
			case err != nil:
				errs <- err
			case res.JSON200 == nil || res.JSON200.State.Current != api.StateTypeSuccess:
				errs <- fmt.Errorf("execution %d: %d %s", i, res.StatusCode(), res.Body)
			}
		}(i)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
}

// Many executions at once, each followed and read concurrently, under -race.
func TestManyConcurrentExecutions(t *testing.T) {
	srv, _ := newServer(t, kestratest.WithFlows(benchFlow, sleepyFlow))
	c := pooledClient(t, srv)
	const n = 200
	var wg sync.WaitGroup
	errs := make(chan error, 3*n)
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			flow := "bench"
			if i%10 == 0 {
				flow = "sleepy"
			}
			ct, body := multipartBody(t, part{name: "i", value: fmt.Sprint(i)})
			res, err := c.CreateExecutionWithBodyWithResponse(ctxT(t), "main", "company.team", flow, nil, ct, body)
			if err != nil || res.JSON200 == nil {
				errs <- fmt.Errorf("create %d: %v", i, err)
				return
			}
			fr, err := c.FollowExecutionWithResponse(ctxT(t), "main", res.JSON200.ID)
			if err != nil {
				errs <- err
				return
			}
			events, err := readEvents(strings.NewReader(string(fr.Body)))
			if err != nil || len(events) < 2 || events[len(events)-1].id != "end" ||
				!strings.Contains(events[len(events)-1].data, `"current":"SUCCESS"`) {
				errs <- fmt.Errorf("follow %d: %v %d events", i, err, len(events))
				return
			}
			if _, err := c.ListLogsFromExecutionWithResponse(ctxT(t), "main", res.JSON200.ID, nil); err != nil {
				errs <- err
			}
		}(i)
	}
	// Meanwhile, searches and reads of the same tenant.
	for i := 0; i < 20; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := c.SearchExecutionsWithResponse(ctxT(t), "main", nil); err != nil {
				errs <- err
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	if got := len(srv.Executions("main")); got != n {
		t.Fatalf("%d executions, want %d", got, n)
	}
}

// BenchmarkConcurrentExecutions measures 1,000 executions started at once
// through the HTTP API (multipart create with wait=true, two tasks each:
// a log line and rendered output values) until all have ended.
func BenchmarkConcurrentExecutions(b *testing.B) {
	srv := kestratest.NewServer(kestratest.WithFlows(benchFlow))
	defer srv.Close()
	c := pooledClient(b, srv)
	const batch = 1000
	b.ResetTimer()
	start := time.Now()
	for i := 0; i < b.N; i++ {
		runConcurrent(b, c, batch)
	}
	b.ReportMetric(float64(batch*b.N)/time.Since(start).Seconds(), "executions/s")
	b.ReportMetric(float64(time.Since(start).Milliseconds())/float64(b.N), "ms/1000-executions")
}

// A follower that never reads must not slow executions down: the broker
// queues for it instead of blocking the engine.
func TestStalledFollowerDoesNotBlockExecutions(t *testing.T) {
	var msgs strings.Builder
	for i := 0; i < 3000; i++ {
		fmt.Fprintf(&msgs, "      - %q\n", strings.Repeat("x", 1000))
	}
	flow := "id: noisy\nnamespace: company.team\ntasks:\n  - id: log\n    type: io.kestra.plugin.core.log.Log\n    message:\n" + msgs.String()
	_, c := newServer(t, kestratest.WithFlows(flow))
	id := run(t, c, "company.team", "noisy", &api.CreateExecutionParams{ScheduleDate: time.Now().Add(200 * time.Millisecond)}).JSON200.ID
	// Follow the logs and the execution, and never read either stream.
	logStream, err := c.FollowLogsFromExecution(ctxT(t), "main", id, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer logStream.Body.Close()
	execStream, err := c.FollowExecution(ctxT(t), "main", id)
	if err != nil {
		t.Fatal(err)
	}
	defer execStream.Body.Close()
	e := waitState(t, c, id, api.StateTypeSuccess)
	if e.State.Current != api.StateTypeSuccess {
		t.Fatal(e.State.Current)
	}
	logs, _ := c.ListLogsFromExecutionWithResponse(ctxT(t), "main", id, nil)
	if len(*logs.JSON200) != 3000 {
		t.Fatalf("%d lines", len(*logs.JSON200))
	}
}

// Close returns even when a client stopped reading an open stream.
func TestCloseWithAStalledReader(t *testing.T) {
	var msgs strings.Builder
	for i := 0; i < 3000; i++ {
		fmt.Fprintf(&msgs, "      - %q\n", strings.Repeat("y", 1000))
	}
	srv := kestratest.NewServer(kestratest.WithFlows("id: noisy\nnamespace: company.team\ntasks:\n  - id: log\n    type: io.kestra.plugin.core.log.Log\n    message:\n" + msgs.String()))
	c, _ := api.NewClientWithResponses(srv.URL)
	res := run(t, c, "company.team", "noisy", waitParams())
	follow, err := c.FollowLogsFromExecution(ctxT(t), "main", res.JSON200.ID, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer follow.Body.Close()
	time.Sleep(100 * time.Millisecond) // let the server fill the socket buffers
	done := make(chan struct{})
	go func() { srv.Close(); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("Close blocked on a stalled reader")
	}
}
