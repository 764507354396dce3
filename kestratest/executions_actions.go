package kestratest

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"

	"github.com/kestra-go/kestra-go/api"
	"github.com/kestra-go/kestra-go/kestratest/internal/flowdef"
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
	if aerr := checkUserLabels(body); aerr != nil {
		h.s.writeError(w, r, aerr)
		return
	}
	snap, aerr := setLabels(ts, executionID, body)
	if aerr != nil {
		h.s.writeError(w, r, aerr)
		return
	}
	writeRawJSON(w, 200, snap)
}

// checkUserLabels refuses system labels in labels a client sets.
func checkUserLabels(labels []label) *apiError {
	for _, l := range labels {
		if strings.HasPrefix(l.Key, "system.") {
			return errIllegalArgument("System labels can only be set by Kestra itself, offending label: " + l.Key + "=" + l.Value)
		}
	}
	return nil
}

func (h *handlers) ResumeExecution(w http.ResponseWriter, r *http.Request, tenant api.Tenant, executionID api.ExecutionID) {
	ts, f, e := h.executionAndFlow(w, r, tenant, executionID)
	if ts == nil {
		return
	}
	// The paused Pause task's onResume inputs, validated and converted as
	// the execution's own inputs are (422 for a bad value).
	if inputs := pausedInputs(f, e); len(inputs) > 0 && e.State.Current.IsPaused() {
		given, _, aerr := readInputParts(r)
		if aerr != nil {
			h.s.writeError(w, r, aerr)
			return
		}
		pause := *f
		pause.Inputs = inputs
		values, _, err := resolveInputs(ts, &pause, e.ID, given)
		if err != nil {
			h.s.writeError(w, r, err)
			return
		}
		if rec := ts.record(executionID); rec != nil {
			ts.mu.Lock()
			rec.resumeInputs = values
			ts.mu.Unlock()
		}
	}
	if aerr := h.s.resume(ts, executionID); aerr != nil {
		h.s.writeError(w, r, aerr)
		return
	}
	writeExecution(w, ts, executionID)
}

// pausedInputs returns the onResume inputs of the execution's paused
// Pause task, if any.
func pausedInputs(f *flowDef, e *execution) []flowdef.Input {
	for _, tr := range e.TaskRunList {
		if !tr.State.Current.IsPaused() {
			continue
		}
		for _, t := range f.Tasks {
			if t.ID == tr.TaskID {
				inputs, _ := flowdef.ParseInputs(t.Props["onResume"])
				return inputs
			}
		}
	}
	return nil
}

func (h *handlers) UpdateExecutionStatus(w http.ResponseWriter, r *http.Request, tenant api.Tenant, executionID api.ExecutionID, params api.UpdateExecutionStatusParams) {
	ts := h.store(w, r, tenant)
	if ts == nil {
		return
	}
	snap, aerr := changeStatus(ts, executionID, params.Status)
	if aerr != nil {
		h.s.writeError(w, r, aerr)
		return
	}
	writeRawJSON(w, 200, snap)
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
		h.notEmulated(w, r, "a replay from a task run (taskRunId) is not emulated")
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

func (h *handlers) PauseExecution(w http.ResponseWriter, r *http.Request, tenant api.Tenant, executionID api.ExecutionID) {
	ts := h.store(w, r, tenant)
	if ts == nil {
		return
	}
	snap, aerr := requestPause(ts, executionID)
	if aerr != nil {
		h.s.writeError(w, r, aerr)
		return
	}
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

func (h *handlers) replay(ts *tenantStore, id string, rev int, given map[string]rawInput) (*execRecord, error) {
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
