package facade

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"slices"
	"time"

	sse "github.com/tmaxmax/go-sse"

	"github.com/kestra-go/kestra-go/api"
)

// IsTerminal reports whether the server considers an execution in state s
// ended: FAILED, WARNING, SUCCESS, KILLED, CANCELLED, RETRIED, SKIPPED or
// RESUBMITTED (Kestra's State.Type.isTerminated). PAUSED, QUEUED,
// BREAKPOINT and unknown names are not. It is s.IsTerminal(), the one home
// of the rule (package api), kept for the callers of this package.
func IsTerminal(s api.StateType) bool { return s.IsTerminal() }

// SSE event kinds, carried in the event's id field.
const (
	eventProgress = "progress"
	eventEnd      = "end"
)

func acceptEventStream(_ context.Context, req *http.Request) error {
	req.Header.Set("Accept", "text/event-stream")
	return nil
}

var errStreamEnded = errors.New("execution stream ended before the execution did")

// errEOF replaces io.EOF under the event parser: go-sse dispatches an event
// still missing its blank line when the input ends with io.EOF, and any
// other error makes it drop that event, as the SSE standard requires.
var errEOF = errors.New("end of event stream")

// completeEvents hides io.EOF from the event parser (see errEOF).
type completeEvents struct{ r io.Reader }

func (c completeEvents) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	if err == io.EOF {
		err = errEOF
	}
	return n, err
}

// streamEvent is what the follow goroutine reports to the wait loop.
type streamEvent struct {
	kind streamEventKind
	exec *api.Execution
	// running are the tasks a progress event says run now (its exec is
	// light, without task runs).
	running []string
	err     error
}

type streamEventKind int

const (
	streamConnected streamEventKind = iota // headers of an event stream arrived
	streamProgress                         // a state (light: id, flow, state)
	streamEnd                              // a valid end: this execution, terminal
	streamBadEnd                           // an end to distrust: read the status
	streamClosed                           // the stream is over (err says why)
)

// execHead is the part of a progress event the wait needs; decoding only it
// keeps large task run lists from being materialised for every event.
type execHead struct {
	ID        string    `json:"id"`
	Namespace string    `json:"namespace"`
	FlowID    string    `json:"flowId"`
	State     api.State `json:"state"`
}

// execProgress is a progress event's head with the task runs' states, read
// only for a progress handler (it costs an allocation per task run).
type execProgress struct {
	execHead
	TaskRunList []taskHead `json:"taskRunList"`
}

// taskHead is the part of a task run the progress display needs.
type taskHead struct {
	TaskID string `json:"taskId"`
	State  struct {
		Current api.StateType `json:"current"`
	} `json:"state"`
}

// running are the ids of the tasks h's execution runs now.
func (h *execProgress) running() []string {
	var ids []string
	if h.State.Current.IsTerminal() {
		return nil
	}
	for _, tr := range h.TaskRunList {
		ids = addRunning(ids, tr.TaskID, tr.State.Current)
	}
	return ids
}

// follow reads the execution's event stream and reports to out until the
// stream ends or ctx does. It drops events of other executions, events the
// stream cut short and events that do not decode.
func (c *call) follow(ctx context.Context, id string, out chan<- streamEvent) {
	send := func(e streamEvent) bool {
		select {
		case out <- e:
			return true
		case <-ctx.Done():
			return false
		}
	}
	resp, err := c.api.FollowExecution(withRetryMode(ctx, retryNever), c.tenant, id, acceptEventStream)
	if err != nil {
		send(streamEvent{kind: streamClosed, err: err})
		return
	}
	if err := c.checkRaw("followExecution", resp); err != nil {
		send(streamEvent{kind: streamClosed, err: err})
		return
	}
	defer resp.Body.Close()
	if mt, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type")); mt != "text/event-stream" {
		send(streamEvent{kind: streamClosed, err: fmt.Errorf("execution stream answered %q, not an event stream", mt)})
		return
	}
	if !send(streamEvent{kind: streamConnected}) {
		return
	}
	readExecutionStream(resp.Body, id, c.set.maxEventSize, c.set.progressHandler != nil, send)
}

// readExecutionStream reads the events of execution id's stream from r and
// passes the ones to act on to send, until the stream ends (a final
// streamClosed), an end event is accepted, or send returns false. It drops
// events of other executions, events cut before their blank line and events
// that do not decode; an end event that is not this execution's, or not in
// an ended state, is passed as streamBadEnd. withTasks reads the running
// tasks of progress events too.
func readExecutionStream(r io.Reader, id string, maxEventSize int, withTasks bool, send func(streamEvent) bool) {
	for ev, err := range sse.Read(completeEvents{r}, &sse.ReadConfig{MaxEventSize: maxEventSize}) {
		if err != nil {
			if errors.Is(err, errEOF) {
				err = errStreamEnded
			}
			send(streamEvent{kind: streamClosed, err: fmt.Errorf("read execution stream: %w", err)})
			return
		}
		switch ev.LastEventID {
		case eventProgress:
			var p execProgress
			var err error
			if withTasks {
				err = json.Unmarshal([]byte(ev.Data), &p)
			} else {
				err = json.Unmarshal([]byte(ev.Data), &p.execHead)
			}
			if err != nil || p.ID != id {
				continue
			}
			if !send(streamEvent{kind: streamProgress, exec: &api.Execution{ID: p.ID, Namespace: p.Namespace, FlowID: p.FlowID, State: p.State}, running: p.running()}) {
				return
			}
		case eventEnd:
			var e api.Execution
			kind := streamEnd
			if json.Unmarshal([]byte(ev.Data), &e) != nil || e.ID != id || !e.State.Current.IsTerminal() {
				kind = streamBadEnd
			}
			if !send(streamEvent{kind: kind, exec: &e}) || kind == streamEnd {
				return
			}
		}
		// start is a placeholder; unknown kinds are ignored
	}
	// sse.Read always ends with an error (errEOF at the latest).
}

// maxGuardInterval caps the doubling delay between guard reads.
const maxGuardInterval = 5 * time.Minute

// maxStreamTries bounds how many times a wait opens the event stream when
// streams keep failing without delivering anything.
const maxStreamTries = 3

// waitState is one wait's view of its execution.
type waitState struct {
	id       string
	last     *api.Execution // last seen (possibly light)
	states   stateTracker
	progress progressTracker
}

// observe records an execution read whole (a status read, an end event).
func (w *waitState) observe(e *api.Execution) {
	w.last = mergeSeen(w.last, e)
	w.states.observe(e)
	w.progress.observe(e.ID, e.State.Current, runningTasks(e))
}

// observeLight records a progress event: a light execution and the tasks
// it runs.
func (w *waitState) observeLight(e *api.Execution, running []string) {
	w.last = mergeSeen(w.last, e)
	w.states.observe(e)
	w.progress.observe(e.ID, e.State.Current, running)
}

// mergeSeen keeps what is known of the execution when a light view (a
// progress event) follows a full one.
func mergeSeen(prev, e *api.Execution) *api.Execution {
	if prev == nil || e.TaskRunList != nil || prev.TaskRunList == nil {
		return e
	}
	cp := *prev
	cp.State = e.State
	return &cp
}

// wait returns the execution once it has ended. It follows the event stream
// and reads the status as a guard (slowly) or, while no stream works, as the
// fallback (every PollInterval). On failure it returns the last execution
// seen with the error.
func (c *call) wait(ctx context.Context, w *waitState) (*api.Execution, error) {
	if w.last != nil && w.last.State.Current.IsTerminal() {
		return w.last, nil
	}
	fctx, cancel := context.WithCancel(ctx)
	defer cancel()
	events := make(chan streamEvent, 16)
	streamTries, streamUp, streamOpen, streamUseful := 1, false, true, false
	go c.follow(fctx, w.id, events)

	polls := make(chan pollResult, 1)
	polling := false
	guard := c.set.guardInterval
	// Until the stream's headers arrive, the timer is the fallback poll.
	timer := time.NewTimer(c.poll)
	defer timer.Stop()
	pollNow := func() {
		if !polling {
			polling = true
			timer.Stop()
			go func() { polls <- c.poll1(fctx, w.id) }()
		}
	}
	for {
		select {
		case <-ctx.Done():
			return w.last, fmt.Errorf("wait for execution %s: %w", w.id, ctx.Err())
		case ev := <-events:
			switch ev.kind {
			case streamConnected:
				streamUp = true
				if !polling {
					timer.Reset(guard)
				}
			case streamProgress:
				streamUseful = true
				w.observeLight(ev.exec, ev.running)
			case streamEnd:
				w.observe(ev.exec)
				return ev.exec, nil
			case streamBadEnd:
				pollNow()
			case streamClosed:
				streamUp, streamOpen = false, false
				pollNow()
			}
		case <-timer.C:
			pollNow()
		case r := <-polls:
			polling = false
			if r.err != nil {
				return w.last, fmt.Errorf("wait for execution %s: %w", w.id, r.err)
			}
			w.observe(r.exec)
			if r.exec.State.Current.IsTerminal() {
				return r.exec, nil
			}
			if !streamOpen && (streamUseful || streamTries < maxStreamTries) {
				// The server answers again: follow it again.
				streamTries++
				streamOpen, streamUseful = true, false
				go c.follow(fctx, w.id, events)
			}
			if streamUp {
				// The race the guard covers is at subscription time, so
				// later reads only defend against a stalled stream:
				// spread them out (reads grow with the log of the run time).
				guard = min(2*guard, max(maxGuardInterval, c.set.guardInterval))
				timer.Reset(guard)
			} else {
				timer.Reset(c.poll)
			}
		}
	}
}

type pollResult struct {
	exec *api.Execution
	err  error
}

func (c *call) poll1(ctx context.Context, id string) pollResult {
	e, err := c.getExecution(ctx, id)
	return pollResult{e, err}
}

// getExecution reads an execution (retried by the call's client) and
// checks that it is the one asked for.
func (c *call) getExecution(ctx context.Context, id string) (*api.Execution, error) {
	resp, err := c.api.GetExecutionWithResponse(ctx, c.tenant, id)
	if err != nil {
		return nil, fmt.Errorf("getExecution %s: %w", id, err)
	}
	if resp.JSON200 == nil {
		return nil, fmt.Errorf("getExecution %s: %w", id, c.apiError("getExecution", resp.HTTPResponse, resp.Body))
	}
	if resp.JSON200.ID != id {
		return nil, fmt.Errorf("getExecution %s: the server answered another execution", id)
	}
	return resp.JSON200, nil
}

// StateChange is one state transition of a waited execution, passed to the
// WithStateHandler callback.
type StateChange struct {
	// ExecutionID identifies the execution.
	ExecutionID string
	// State is the state entered.
	State api.StateType
	// Date is when the server recorded the transition (zero when the server
	// sent no state history).
	Date time.Time
}

// Progress is what a waited execution is doing, passed to the
// WithProgressHandler callback.
type Progress struct {
	// ExecutionID identifies the execution.
	ExecutionID string
	// State is the execution's current state.
	State api.StateType
	// RunningTasks are the ids of the tasks with a task run in state
	// RUNNING, each once, in the order of the execution's task runs; empty
	// between two tasks, before the first and once the execution has
	// ended.
	RunningTasks []string
}

// progressTracker passes Progress to the handler when it changed.
type progressTracker struct {
	h    func(Progress)
	last Progress
	seen bool
}

func (t *progressTracker) observe(id string, state api.StateType, running []string) {
	if t.h == nil {
		return
	}
	p := Progress{ExecutionID: id, State: state, RunningTasks: running}
	if t.seen && p.ExecutionID == t.last.ExecutionID && p.State == t.last.State && slices.Equal(p.RunningTasks, t.last.RunningTasks) {
		return
	}
	t.last, t.seen = p, true
	t.h(p)
}

// runningTasks are the ids of the tasks e runs now (none once it ended,
// whatever stale task runs say).
func runningTasks(e *api.Execution) []string {
	if e.State.Current.IsTerminal() {
		return nil
	}
	var ids []string
	for _, tr := range e.TaskRunList {
		ids = addRunning(ids, tr.TaskID, tr.State.Current)
	}
	return ids
}

// addRunning adds a task run's task to ids when it runs and is not there.
func addRunning(ids []string, taskID string, state api.StateType) []string {
	if state == api.StateTypeRunning && taskID != "" && !slices.Contains(ids, taskID) {
		ids = append(ids, taskID)
	}
	return ids
}

// stateTracker passes each state transition to the handler once, in order.
// It reads the state histories the server sends, so transitions that
// happened between two observations are passed too.
type stateTracker struct {
	h    func(StateChange)
	n    int // history entries passed
	last api.StateType
}

func (t *stateTracker) observe(e *api.Execution) {
	if t.h == nil || e == nil {
		return
	}
	hs := e.State.Histories
	if len(hs) > t.n {
		for _, h := range hs[t.n:] {
			if h.State != t.last {
				t.last = h.State
				t.h(StateChange{ExecutionID: e.ID, State: h.State, Date: h.Date})
			}
		}
		t.n = len(hs)
		return
	}
	if len(hs) == 0 && e.State.Current != "" && e.State.Current != t.last {
		t.last = e.State.Current
		t.h(StateChange{ExecutionID: e.ID, State: e.State.Current})
	}
}
