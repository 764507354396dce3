package kestratest_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/kestra-go/kestra-go/api"
	"github.com/kestra-go/kestra-go/kestratest"
)

func TestFaultStatusWithRetryAfterAndCount(t *testing.T) {
	srv, c := newServer(t, kestratest.WithFlows(helloFlow))
	srv.InjectFault(kestratest.Fault{Operation: "getFlow", Status: 503, RetryAfter: 1500 * time.Millisecond, Count: 2})
	ctx := ctxT(t)
	for i := 0; i < 2; i++ {
		res, err := c.GetFlowWithResponse(ctx, "main", "company.team", "hello", nil)
		if err != nil {
			t.Fatal(err)
		}
		if res.StatusCode() != 503 || res.HTTPResponse.Header.Get("Retry-After") != "2" {
			t.Fatalf("try %d: %d %v", i, res.StatusCode(), res.HTTPResponse.Header)
		}
	}
	// Other operations are not affected, and the third call succeeds.
	if res, _ := c.ListFlowsByNamespaceWithResponse(ctx, "main", "company.team"); res.StatusCode() != 200 {
		t.Fatalf("other operation: %d", res.StatusCode())
	}
	if res, _ := c.GetFlowWithResponse(ctx, "main", "company.team", "hello", nil); res.StatusCode() != 200 {
		t.Fatalf("after the fault: %d", res.StatusCode())
	}
	if srv.RequestCount("getFlow") != 3 || srv.RequestCount("listFlowsByNamespace") != 1 || srv.RequestCount("") != 4 {
		t.Fatalf("counts: %d %d %d", srv.RequestCount("getFlow"), srv.RequestCount("listFlowsByNamespace"), srv.RequestCount(""))
	}
	srv.ResetCounts()
	if srv.RequestCount("") != 0 || srv.RequestCount("getFlow") != 0 {
		t.Fatal("ResetCounts")
	}
	// An operation-less fault applies to anything, 429 without Retry-After.
	srv.InjectFault(kestratest.Fault{Status: 429})
	if res, _ := c.GetConfigurationWithResponse(ctx); res.StatusCode() != 429 || res.HTTPResponse.Header.Get("Retry-After") != "" {
		t.Fatalf("any-operation fault: %d", res.StatusCode())
	}
}

func TestFaultHang(t *testing.T) {
	srv, c := newServer(t, kestratest.WithFlows(helloFlow))
	srv.InjectFault(kestratest.Fault{Operation: "getFlow", Hang: true})
	ctx, cancel := context.WithTimeout(ctxT(t), 150*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := c.GetFlowWithResponse(ctx, "main", "company.team", "hello", nil)
	if !errors.Is(err, context.DeadlineExceeded) || time.Since(start) < 100*time.Millisecond {
		t.Fatalf("hang: %v after %v", err, time.Since(start))
	}
}

func TestFaultHangIsCutByClose(t *testing.T) {
	srv := kestratest.NewServer()
	c, err := api.NewClientWithResponses(srv.URL, api.WithHTTPClient(srv.Client()))
	if err != nil {
		t.Fatal(err)
	}
	srv.InjectFault(kestratest.Fault{Hang: true})
	done := make(chan error, 1)
	go func() {
		_, err := c.GetConfigurationWithResponse(context.Background())
		done <- err
	}()
	for srv.RequestCount("") == 0 {
		time.Sleep(time.Millisecond)
	}
	srv.Close()
	if err := <-done; err == nil {
		t.Fatal("the hanging request was answered")
	}
}

func TestFaultReset(t *testing.T) {
	srv, c := newServer(t, kestratest.WithFlows(helloFlow))
	srv.InjectFault(kestratest.Fault{Operation: "createExecution", Reset: true})
	ct, body := multipartBody(t)
	_, err := c.CreateExecutionWithBodyWithResponse(ctxT(t), "main", "company.team", "hello", nil, ct, body)
	if err == nil {
		t.Fatal("no error after a reset")
	}
	if len(srv.Executions("main")) != 0 {
		t.Fatal("a reset request created an execution")
	}
}

func TestFaultAfterHandle(t *testing.T) {
	srv, c := newServer(t, kestratest.WithFlows(helloFlow))
	srv.InjectFault(kestratest.Fault{Operation: "createExecution", Status: 502, AfterHandle: true})
	res := run(t, c, "company.team", "hello", nil)
	if res.StatusCode() != 502 || !strings.Contains(errorMessage(t, res.Body), "Bad Gateway") {
		t.Fatalf("%d %s", res.StatusCode(), res.Body)
	}
	if n := len(srv.Executions("main")); n != 1 {
		t.Fatalf("the request was not handled: %d executions", n)
	}
}

func TestFaultCutSSEAfter(t *testing.T) {
	srv, c := newServer(t, kestratest.WithFlows(pauseFlow))
	id := run(t, c, "company.team", "pause", nil).JSON200.ID
	waitState(t, c, id, "PAUSED")
	srv.InjectFault(kestratest.Fault{Operation: "followExecution", CutSSEAfter: 2})
	fr, err := c.FollowExecution(ctxT(t), "main", id)
	if err != nil {
		t.Fatal(err)
	}
	defer fr.Body.Close()
	events, err := readEvents(fr.Body)
	if !errors.Is(err, io.ErrUnexpectedEOF) || len(events) != 2 || events[0].id != "start" || events[1].id != "progress" {
		t.Fatalf("err=%v events=%+v", err, events)
	}
	// The next follow is not cut: it ends with end once resumed.
	fr2, err := c.FollowExecution(ctxT(t), "main", id)
	if err != nil {
		t.Fatal(err)
	}
	defer fr2.Body.Close()
	ct, body := multipartBody(t)
	if rs, _ := c.ResumeExecutionWithBodyWithResponse(ctxT(t), "main", id, ct, body); rs.StatusCode() != 200 {
		t.Fatalf("resume: %d", rs.StatusCode())
	}
	events, err = readEvents(fr2.Body)
	if err != nil || events[len(events)-1].id != "end" {
		t.Fatalf("second follow: %v %+v", err, events)
	}
}

func TestCloseCutsOpenStreams(t *testing.T) {
	srv := kestratest.NewServer(kestratest.WithFlows(pauseFlow))
	c, err := api.NewClientWithResponses(srv.URL, api.WithHTTPClient(srv.Client()))
	if err != nil {
		t.Fatal(err)
	}
	if res := run(t, c, "company.team", "pause", nil); res.StatusCode() != 200 {
		t.Fatalf("create: %d %s", res.StatusCode(), res.Body)
	}
	logs, err := c.FollowLogsFromExecution(ctxT(t), "main", "whatever", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer logs.Body.Close()
	done := make(chan error, 1)
	go func() {
		_, err := io.ReadAll(logs.Body)
		done <- err
	}()
	srv.Close()
	select {
	case err := <-done:
		if err == nil {
			t.Fatal("the logs stream ended cleanly at Close")
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Close did not cut the logs stream")
	}
	for _, e := range srv.Executions("main") {
		if e.State.Current != "KILLED" {
			t.Fatalf("execution left %s by Close", e.State.Current)
		}
	}
}

// Every status a proxy or an overloaded server answers, as the generated
// client sees it: the status, the 1.x error message, and the request counted.
func TestFaultStatuses(t *testing.T) {
	srv, c := newServer(t, kestratest.WithFlows(helloFlow))
	ctx := ctxT(t)
	for _, status := range []int{408, 429, 500, 502, 503, 504} {
		srv.ResetCounts()
		srv.InjectFault(kestratest.Fault{Operation: "getExecution", Status: status, RetryAfter: time.Second})
		res, err := c.GetExecutionWithResponse(ctx, "main", "anything")
		if err != nil {
			t.Fatal(err)
		}
		want := http.StatusText(status) + ": fault injected by kestratest"
		if res.StatusCode() != status || errorMessage(t, res.Body) != want || res.HTTPResponse.Header.Get("Retry-After") != "1" {
			t.Errorf("%d: got %d %q %v", status, res.StatusCode(), res.Body, res.HTTPResponse.Header)
		}
		// The fault is used up: the next call reaches the operation (404).
		if res, _ := c.GetExecutionWithResponse(ctx, "main", "anything"); res.StatusCode() != 404 {
			t.Errorf("%d: the fault applied twice: %d", status, res.StatusCode())
		}
		if n := srv.RequestCount("getExecution"); n != 2 {
			t.Errorf("%d: %d requests counted, want 2", status, n)
		}
	}
}
