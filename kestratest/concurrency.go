package kestratest

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/kestra-go/kestra-go/api"
	"github.com/kestra-go/kestra-go/kestratest/internal/domain"
)

// Flow concurrency limits (`concurrency: {limit: N, behavior: QUEUE|CANCEL|FAIL}`):
// a run takes one of its flow's N slots before it starts; when none is
// free it waits QUEUED (behavior QUEUE, the default), or ends CANCELLED or
// FAILED at once. unqueueExecution and forceRunExecution take a QUEUED
// execution out of the queue; concurrency-limit answers the counters.

const stateQueued = api.StateTypeQueued

// concurrency returns the flow's limit (0: none) and behavior.
func (f *flowDef) concurrency() (int, string) {
	c, _ := f.Raw["concurrency"].(map[string]any)
	if c == nil {
		return 0, ""
	}
	limit := 0
	switch v := c["limit"].(type) {
	case int:
		limit = v
	case float64:
		limit = int(v)
	case string:
		limit, _ = strconv.Atoi(v)
	}
	behavior, _ := c["behavior"].(string)
	if behavior == "" {
		behavior = "QUEUE"
	}
	return limit, strings.ToUpper(behavior)
}

// takeSlot waits for a slot of the flow's concurrency limit. It returns
// false and the state to end in when the execution does not run.
func (s *Server) takeSlot(ctx context.Context, ts *tenantStore, rec *execRecord, f *flowDef) (api.StateType, bool) {
	limit, behavior := f.concurrency()
	if limit <= 0 {
		return "", true
	}
	key := flowKey(f.Namespace, f.ID)
	queued := false
	for {
		ts.mu.Lock()
		if ts.slots[key] < limit {
			ts.slots[key]++
			rec.holdsSlot = true
			ts.mu.Unlock()
			return "", true
		}
		freed := ts.slotFreed
		ts.mu.Unlock()
		switch behavior {
		case "CANCEL":
			return api.StateTypeCancelled, false
		case "FAIL":
			return stateFailed, false
		}
		if !queued {
			ts.update(rec.e.ID, func(e *execution) { e.State.set(stateQueued, time.Now()) })
			queued = true
		}
		select {
		case <-freed:
		case st := <-rec.release:
			if st.IsTerminal() {
				return st, false
			}
			// Out of the queue: it runs, and counts, whatever the limit.
			ts.mu.Lock()
			ts.slots[key]++
			rec.holdsSlot = true
			ts.mu.Unlock()
			return "", true
		case <-ctx.Done():
			return stateKilled, false
		}
	}
}

// releaseSlot gives the run's slot back and wakes the queued runs.
func (s *Server) releaseSlot(ts *tenantStore, rec *execRecord, f *flowDef) {
	if !rec.holdsSlot {
		return
	}
	ts.mu.Lock()
	key := flowKey(f.Namespace, f.ID)
	if ts.slots[key] > 0 {
		ts.slots[key]--
	}
	ts.wakeQueuedLocked()
	ts.mu.Unlock()
}

// wakeQueuedLocked wakes every run waiting for a slot (ts.mu held).
func (ts *tenantStore) wakeQueuedLocked() {
	close(ts.slotFreed)
	ts.slotFreed = make(chan struct{})
}

// releaseQueued takes a QUEUED execution out of its queue, to run (st "")
// or to end in st; 409 when it is not queued.
func releaseQueued(ts *tenantStore, id string, st api.StateType) ([]byte, error) {
	rec := ts.record(id)
	if rec == nil {
		return nil, executionNotFound(id)
	}
	snap, state, _ := ts.getExecution(id)
	if state != stateQueued {
		return nil, domain.Conflict("Execution is not queued, current state is " + string(state))
	}
	select {
	case rec.release <- st:
	default:
	}
	return snap, nil
}
