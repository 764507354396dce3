package facade_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/kestra-go/kestra-go/api"
	"github.com/kestra-go/kestra-go/facade"
	"github.com/kestra-go/kestra-go/kestratest"
)

// Wait follows an execution started earlier to its end with the stream and
// one log read, and returns the same Result as Execute.
func TestWaitForAnExecutionStartedEarlier(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	bind(srv, "slow", takes(200*time.Millisecond, true))
	start := newFlow(t, srv, facade.WithWait(false))
	ctx := ctxFor(t, 10*time.Second)
	started, err := start.Execute(ctx, "company.team", "slow", nil)
	if err != nil {
		t.Fatal(err)
	}
	srv.ResetCounts()
	res, err := newFlow(t, srv).Wait(ctx, started.ExecutionID)
	if err != nil {
		t.Fatal(err)
	}
	if res.Status != api.StateTypeSuccess || res.Namespace != "company.team" || res.FlowID != "slow" ||
		len(res.Logs) == 0 || res.URL == "" || res.Err() != nil {
		t.Errorf("result %+v", res)
	}
	if n, f, l := srv.RequestCount(""), srv.RequestCount("followExecution"), srv.RequestCount("listLogsFromExecution"); n != 2 || f != 1 || l != 1 {
		t.Errorf("%d requests (%d follow, %d logs), want the stream and the log read", n, f, l)
	}
	// An ended execution: the stream's end event answers at once.
	again, err := newFlow(t, srv).Wait(ctx, started.ExecutionID)
	if err != nil || again.Status != api.StateTypeSuccess {
		t.Errorf("wait on an ended execution: %v %+v", err, again)
	}
}

func TestWaitUnknownExecution(t *testing.T) {
	t.Parallel()
	srv := newServer(t, kestratest.WithUnknownExecutionCut(20*time.Millisecond))
	_, err := newFlow(t, srv).Wait(ctxFor(t, 10*time.Second), "no-such-execution")
	if !errors.Is(err, facade.ErrNotFound) {
		t.Errorf("err %v, want ErrNotFound", err)
	}
}

// On timeout, the Result holds the last state seen, not the creation state.
func TestTimeoutKeepsTheLastStateSeen(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	bind(srv, "forever", func(ctx context.Context, r *kestratest.Run) error {
		<-ctx.Done()
		return ctx.Err()
	})
	seenRunning := make(chan struct{})
	var once sync.Once
	f := newFlow(t, srv, facade.WithStateHandler(func(c facade.StateChange) {
		if c.State == api.StateTypeRunning {
			once.Do(func() { close(seenRunning) })
		}
	}))
	ctx, cancel := context.WithCancel(context.Background())
	var res *facade.Result
	var err error
	done := make(chan struct{})
	go func() { res, err = f.Execute(ctx, "company.team", "forever", nil); close(done) }()
	select {
	case <-seenRunning:
	case <-time.After(30 * time.Second):
		t.Fatal("the wait never saw RUNNING")
	}
	cancel()
	<-done
	if !errors.Is(err, context.Canceled) || res == nil || res.Status != api.StateTypeRunning {
		t.Fatalf("Execute: %v, status %v", err, res)
	}

	wctx, wcancel := context.WithTimeout(context.Background(), time.Second) // long enough to see the first event on a loaded machine
	defer wcancel()
	wres, err := f.Wait(wctx, res.ExecutionID)
	if !errors.Is(err, context.DeadlineExceeded) || wres.Status != api.StateTypeRunning || wres.FlowID != "forever" {
		t.Errorf("Wait: %v, result %+v", err, wres)
	}
}

// The state handler sees every transition once, in order, including the
// ones between two observations (PAUSED and back to RUNNING).
func TestStateHandlerSeesEveryTransition(t *testing.T) {
	t.Parallel()
	srv := newServer(t, kestratest.WithFlows(pauseFlow))
	var mu sync.Mutex
	var seen []api.StateType
	f := newFlow(t, srv, facade.WithStateHandler(func(c facade.StateChange) {
		mu.Lock()
		seen = append(seen, c.State)
		mu.Unlock()
	}))
	res, err := f.Execute(ctxFor(t, 10*time.Second), "company.team", "pausing", nil)
	if err != nil {
		t.Fatal(err)
	}
	var want []api.StateType
	for _, h := range res.Execution.State.Histories {
		if len(want) == 0 || want[len(want)-1] != h.State {
			want = append(want, h.State)
		}
	}
	mu.Lock()
	defer mu.Unlock()
	if !slices.Equal(seen, want) || !slices.Contains(seen, api.StateTypePaused) {
		t.Errorf("handler saw %v, the server recorded %v", seen, want)
	}
}

// The create's answer is read as the server sent it: no field is lost on
// the way (the kind was, when fields were copied by hand).
func TestCreateAnswerKeepsEveryField(t *testing.T) {
	t.Parallel()
	url := newTinyServer(t, func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"id":"e1","namespace":"ns","flowId":"f","flowRevision":3,"kind":"TEST","originalId":"e0",`+
			`"parentId":"p1","traceParent":"00-abc-def-01","labels":[{"key":"a","value":"b"}],`+
			`"state":{"current":"CREATED","histories":[]},"url":"/ui/main/executions/ns/f/e1"}`)
	})
	f, _ := facade.New(facade.WithHostname(url), facade.WithWait(false))
	res, err := f.Execute(ctxFor(t, 5*time.Second), "ns", "f", nil)
	if err != nil {
		t.Fatal(err)
	}
	e := res.Execution
	if e.Kind != api.ExecutionKindTest || e.OriginalID != "e0" || e.ParentID != "p1" || e.TraceParent != "00-abc-def-01" ||
		e.FlowRevision != 3 || len(e.Labels) != 1 || res.URL != url+"/ui/main/executions/ns/f/e1" {
		t.Errorf("create answer lost fields: %+v, url %s", e, res.URL)
	}
}

// The progress handler tells which task runs now (the quickstart flow's
// 0.3 s Sleep), on both server generations, and ends with no task.
func TestProgressHandlerSeesTheRunningTask(t *testing.T) {
	t.Parallel()
	for _, major := range []int{2, 1} {
		t.Run(fmt.Sprint("major", major), func(t *testing.T) {
			t.Parallel()
			srv := newServer(t, kestratest.WithMajorVersion(major), kestratest.WithFlows(quickstartFlow(t)))
			var mu sync.Mutex
			var seen []facade.Progress
			f := newFlow(t, srv, facade.WithProgressHandler(func(p facade.Progress) {
				mu.Lock()
				seen = append(seen, p)
				mu.Unlock()
			}))
			res, err := f.Execute(ctxFor(t, 20*time.Second), "company.team", "hello-kestra-go", nil)
			if err != nil || res.Status != api.StateTypeSuccess {
				t.Fatalf("%v %+v", err, res)
			}
			mu.Lock()
			defer mu.Unlock()
			think := false
			for i, p := range seen {
				if p.ExecutionID != res.ExecutionID {
					t.Errorf("progress of %q", p.ExecutionID)
				}
				think = think || slices.Contains(p.RunningTasks, "think")
				if i > 0 && p.State == seen[i-1].State && slices.Equal(p.RunningTasks, seen[i-1].RunningTasks) {
					t.Errorf("progress %d repeats %+v", i, p)
				}
			}
			if !think {
				t.Errorf("never saw the task think running: %+v", seen)
			}
			if last := seen[len(seen)-1]; last.State != api.StateTypeSuccess || len(last.RunningTasks) != 0 {
				t.Errorf("last progress %+v, want SUCCESS and no task", last)
			}
		})
	}
}
