package kestratest

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/kestra-go/kestra-go/api"
)

func (h *handlers) KillExecution(w http.ResponseWriter, r *http.Request, tenant api.Tenant, executionID api.ExecutionID, params api.KillExecutionParams) {
	ts, rec := h.execution(w, r, tenant, executionID)
	if ts == nil {
		return
	}
	cascade := params.IsOnKillCascade == nil || *params.IsOnKillCascade
	snap, ended := ts.kill(rec)
	if ended && !cascade {
		h.s.writeError(w, r, errConflict("Execution is already finished, can't kill it"))
		return
	}
	w.Header().Set("Content-Type", "text/json")
	w.Header().Set("Content-Length", strconv.Itoa(len(snap)))
	w.WriteHeader(200)
	_, _ = w.Write(snap)
}

func (h *handlers) SetLabelsOnTerminatedExecution(w http.ResponseWriter, r *http.Request, tenant api.Tenant, executionID api.ExecutionID) {
	ts := h.store(w, r, tenant)
	if ts == nil {
		return
	}
	var body []label
	if aerr := decodeJSON(r, &body); aerr != nil {
		h.s.writeError(w, r, aerr)
		return
	}
	for _, l := range body {
		if strings.HasPrefix(l.Key, "system.") {
			h.s.writeError(w, r, errIllegalArgument("System labels can only be set by Kestra itself, offending label: "+l.Key+"="+l.Value))
			return
		}
	}
	var notEnded, found bool
	snap, found := ts.update(executionID, func(e *execution) {
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
		e.Labels = mergeLabels(kept, body)
	})
	switch {
	case !found:
		h.s.writeError(w, r, executionNotFound(executionID))
	case notEnded:
		h.s.writeError(w, r, errBadRequest("The execution is not terminated"))
	default:
		writeRawJSON(w, 200, snap)
	}
}

func (h *handlers) ResumeExecution(w http.ResponseWriter, r *http.Request, tenant api.Tenant, executionID api.ExecutionID) {
	ts := h.store(w, r, tenant)
	if ts == nil {
		return
	}
	if aerr := h.s.resume(ts, executionID); aerr != nil {
		h.s.writeError(w, r, aerr)
		return
	}
	writeExecution(w, ts, executionID)
}

// resume wakes a PAUSED execution (409 when it is not paused).
func (s *Server) resume(ts *tenantStore, id string) *apiError {
	rec := ts.record(id)
	if rec == nil {
		return executionNotFound(id)
	}
	_, state, _ := ts.getExecution(id)
	if state != statePaused {
		return errConflict("Execution is not paused, can't resume it")
	}
	select {
	case rec.resume <- struct{}{}:
	default:
	}
	return nil
}

func (h *handlers) UpdateExecutionStatus(w http.ResponseWriter, r *http.Request, tenant api.Tenant, executionID api.ExecutionID, params api.UpdateExecutionStatusParams) {
	ts := h.store(w, r, tenant)
	if ts == nil {
		return
	}
	want := params.Status
	var aerr *apiError
	snap, ok := ts.update(executionID, func(e *execution) {
		switch {
		case !e.State.Current.IsTerminal():
			aerr = errIllegalArgument("You can only change the status of a terminated execution")
		case !want.IsTerminal():
			aerr = errIllegalArgument("You can only change the status of an execution to a terminal state")
		case want == e.State.Current:
			aerr = errIllegalArgument("The execution is already in state " + string(want))
		default:
			e.State.set(want, time.Now())
		}
	})
	switch {
	case !ok:
		h.s.writeError(w, r, executionNotFound(executionID))
	case aerr != nil:
		h.s.writeError(w, r, aerr)
	default:
		writeRawJSON(w, 200, snap)
	}
}

func (h *handlers) ReplayExecution(w http.ResponseWriter, r *http.Request, tenant api.Tenant, executionID api.ExecutionID, params api.ReplayExecutionParams) {
	h.replayOne(w, r, tenant, executionID, params.TaskRunID, params.Revision, false)
}

// replayOne answers replayExecution and, withInputs, replayExecutionWithinputs
// (inputs read from the multipart body instead of the original ones).
func (h *handlers) replayOne(w http.ResponseWriter, r *http.Request, tenant, executionID string, taskRunID string, rev int, withInputs bool) {
	ts := h.store(w, r, tenant)
	if ts == nil {
		return
	}
	if taskRunID != "" {
		h.s.writeError(w, r, errNotImplemented(operationOf(r), "a replay from a task run (taskRunId) is not emulated"))
		return
	}
	var given map[string]rawInput
	if withInputs {
		var aerr *apiError
		if given, _, aerr = readInputParts(r); aerr != nil {
			h.s.writeError(w, r, aerr)
			return
		}
	}
	rec, aerr := h.replay(ts, executionID, revision(rev), given)
	if aerr != nil {
		h.s.writeError(w, r, aerr)
		return
	}
	writeRawJSON(w, 200, rec.initial) // as created, like the server
}

// readIDs reads a JSON array of ids (bulk by-ids bodies).
func readIDs(r *http.Request) ([]string, *apiError) {
	var ids []string
	if aerr := decodeJSON(r, &ids); aerr != nil {
		return nil, aerr
	}
	return ids, nil
}

func bulkInvalid(msg string) *apiError {
	return &apiError{status: 400, message: msg, slug: "bulk-validation-failed", detail: msg}
}

func (h *handlers) KillExecutionsByIds(w http.ResponseWriter, r *http.Request, tenant api.Tenant) {
	h.bulkExecutions(w, r, tenant, "kill", func(state api.StateType, found bool) string {
		switch {
		case !found:
			return "execution not found"
		case state.IsTerminal():
			return "execution already finished"
		}
		return ""
	}, func(ts *tenantStore, id string) bool {
		rec := ts.record(id)
		if rec != nil {
			ts.kill(rec)
		}
		return rec != nil
	})
}

// bulkExecutions answers a by-ids action. check gives the reason an
// execution does not qualify ("" when it does); the first such id is a 400
// and nothing is done. Otherwise act runs on each id, and the answer counts
// the ids it succeeded on.
func (h *handlers) bulkExecutions(w http.ResponseWriter, r *http.Request, tenant, action string, check func(state api.StateType, found bool) string, act func(ts *tenantStore, id string) bool) {
	ts, ids := withBody(h, w, r, tenant, readIDs)
	if ts == nil {
		return
	}
	for _, id := range ids {
		_, state, found := ts.getExecution(id)
		if reason := check(state, found); reason != "" {
			h.s.writeError(w, r, bulkInvalid("invalid bulk "+action+": "+reason+": "+id))
			return
		}
	}
	n := 0
	for _, id := range ids {
		if act(ts, id) {
			n++
		}
	}
	writeJSON(w, 200, map[string]any{"count": n})
}

func (h *handlers) ResumeExecutionsByIds(w http.ResponseWriter, r *http.Request, tenant api.Tenant) {
	h.bulkExecutions(w, r, tenant, "resume", func(state api.StateType, found bool) string {
		if !found || state != statePaused {
			return "execution not found or not paused"
		}
		return ""
	}, func(ts *tenantStore, id string) bool { return h.s.resume(ts, id) == nil })
}

func (h *handlers) DeleteExecutionsByIds(w http.ResponseWriter, r *http.Request, tenant api.Tenant, params api.DeleteExecutionsByIdsParams) {
	includeRunning := params.IncludeNonTerminated
	logs := params.DeleteLogs == nil || *params.DeleteLogs
	storage := params.DeleteStorage == nil || *params.DeleteStorage
	h.bulkExecutions(w, r, tenant, "delete", func(state api.StateType, found bool) string {
		if !found || (!state.IsTerminal() && !includeRunning) {
			return "execution not found or not terminated"
		}
		return ""
	}, func(ts *tenantStore, id string) bool { return ts.removeExecution(id, logs, storage) })
}

func (h *handlers) PauseExecution(w http.ResponseWriter, r *http.Request, tenant api.Tenant, executionID api.ExecutionID) {
	ts, rec := h.execution(w, r, tenant, executionID)
	if ts == nil {
		return
	}
	snap, state, _ := ts.getExecution(executionID)
	if state != stateRunning && state != stateCreated {
		h.s.writeError(w, r, errConflict("Execution is not running, can't pause it"))
		return
	}
	// The engine pauses before the next task, as the executor does.
	rec.pauseRequested.Store(true)
	writeRawJSON(w, 200, snap)
}

func (h *handlers) RestartExecution(w http.ResponseWriter, r *http.Request, tenant api.Tenant, executionID api.ExecutionID, params api.RestartExecutionParams) {
	ts := h.store(w, r, tenant)
	if ts == nil {
		return
	}
	rev := revision(params.Revision)
	rec, aerr := h.s.restartExecution(ts, executionID, rev)
	if aerr != nil {
		h.s.writeError(w, r, aerr)
		return
	}
	writeRawJSON(w, 200, rec.initial) // as created, like the server
}

func (h *handlers) RestartExecutionsByIds(w http.ResponseWriter, r *http.Request, tenant api.Tenant) {
	h.bulkExecutions(w, r, tenant, "restart", func(state api.StateType, found bool) string {
		if !found || (state != stateFailed && state != stateKilled) {
			return "execution not found or not failed"
		}
		return ""
	}, func(ts *tenantStore, id string) bool {
		_, aerr := h.s.restartExecution(ts, id, 0)
		return aerr == nil
	})
}

// replay starts a new execution of the flow of execution id with the given
// inputs (nil: the original ones), on flow revision rev (0: the original
// execution's, negative: the latest).
func (h *handlers) replay(ts *tenantStore, id string, rev int, given map[string]rawInput) (*execRecord, *apiError) {
	snap, _, ok := ts.getExecution(id)
	if !ok {
		return nil, executionNotFound(id)
	}
	var orig execution
	_ = json.Unmarshal(snap, &orig)
	switch {
	case rev == 0:
		rev = orig.FlowRevision
	case rev < 0:
		rev = 0 // startExecution: latest
	}
	if given == nil {
		// The same (converted) inputs, sent again as text.
		given = map[string]rawInput{}
		for k, v := range orig.Inputs {
			if s, ok := v.(string); ok {
				given[k] = rawInput{value: s}
			} else {
				given[k] = rawInput{value: string(mustJSON(v))}
			}
		}
	}
	labels := mergeLabels(orig.Labels, []label{{Key: "system.replay", Value: "true"}})
	nrec, aerr := h.s.startExecution(ts, orig.Namespace, orig.FlowID, rev, given, startOptions{labels: labels, kind: orig.Kind, originalID: orig.OriginalID})
	if aerr != nil {
		return nil, aerr
	}
	ts.update(id, func(e *execution) {
		e.Labels = mergeLabels(e.Labels, []label{{Key: "system.replayed", Value: "true"}})
	})
	return nrec, nil
}

func (h *handlers) ReplayExecutionWithinputs(w http.ResponseWriter, r *http.Request, tenant api.Tenant, executionID api.ExecutionID, params api.ReplayExecutionWithinputsParams) {
	h.replayOne(w, r, tenant, executionID, params.TaskRunID, params.Revision, true)
}

func (h *handlers) ReplayExecutionsByIds(w http.ResponseWriter, r *http.Request, tenant api.Tenant, params api.ReplayExecutionsByIdsParams) {
	rev := 0 // the original execution's revision
	if params.LatestRevision {
		rev = -1
	}
	h.bulkExecutions(w, r, tenant, "replay", func(state api.StateType, found bool) string {
		if !found || !state.IsTerminal() {
			return "execution not found or not terminated"
		}
		return ""
	}, func(ts *tenantStore, id string) bool {
		_, aerr := h.replay(ts, id, rev, nil)
		return aerr == nil
	})
}
