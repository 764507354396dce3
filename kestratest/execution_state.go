package kestratest

import (
	"fmt"
	"strings"
	"time"

	"github.com/kestra-go/kestra-go/api"
	"github.com/kestra-go/kestra-go/kestratest/internal/domain"
)

// The changes the API makes to an execution's state (labels, status,
// resume, pause), apart from their handlers (executions_actions.go); they
// return domain errors.

// executionNotFound is the server's miss of an execution id.
func executionNotFound(id string) error {
	return domain.NotFound(fmt.Sprintf("Execution with id '%s' not found", id))
}

// setLabels replaces the non-system labels of an ended execution.
func setLabels(ts *tenantStore, id string, labels []label) ([]byte, error) {
	var notEnded bool
	snap, found := ts.update(id, func(e *execution) {
		if !e.State.Current.IsTerminal() {
			notEnded = true
			return
		}
		kept := []label{}
		for _, l := range e.Labels {
			if strings.HasPrefix(l.Key, "system.") {
				kept = append(kept, l)
			}
		}
		e.Labels = mergeLabels(kept, labels)
	})
	switch {
	case !found:
		return nil, executionNotFound(id)
	case notEnded:
		return nil, domain.Precondition("The execution is not terminated")
	}
	return snap, nil
}

// resume wakes a PAUSED execution (409 when it is not paused).
func (s *Server) resume(ts *tenantStore, id string) error {
	rec := ts.record(id)
	if rec == nil {
		return executionNotFound(id)
	}
	_, state, _ := ts.getExecution(id)
	if state != statePaused {
		return domain.Conflict("Execution is not paused, can't resume it")
	}
	select {
	case rec.resume <- struct{}{}:
	default:
	}
	return nil
}

// changeStatus moves an ended execution to another terminal state.
func changeStatus(ts *tenantStore, id string, want api.StateType) ([]byte, error) {
	var aerr error
	snap, ok := ts.update(id, func(e *execution) {
		switch {
		case !e.State.Current.IsTerminal():
			aerr = domain.InvalidArgument("You can only change the status of a terminated execution")
		case !want.IsTerminal():
			aerr = domain.InvalidArgument("You can only change the status of an execution to a terminal state")
		case want == e.State.Current:
			aerr = domain.InvalidArgument("The execution is already in state " + string(want))
		default:
			e.State.set(want, time.Now())
		}
	})
	switch {
	case !ok:
		return nil, executionNotFound(id)
	case aerr != nil:
		return nil, aerr
	}
	return snap, nil
}

// requestPause asks a running execution to pause before its next task, as
// the executor does.
func requestPause(ts *tenantStore, id string) ([]byte, error) {
	rec := ts.record(id)
	if rec == nil {
		return nil, executionNotFound(id)
	}
	snap, state, _ := ts.getExecution(id)
	if state != stateRunning && state != stateCreated {
		return nil, domain.Conflict("Execution is not running, can't pause it")
	}
	rec.pauseRequested.Store(true)
	return snap, nil
}
