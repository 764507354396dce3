package kestratest

import (
	"bufio"
	"bytes"
	"encoding/json"
	"net/http"
	"path"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/kestra-go/kestra-go/api"
)

func (h *handlers) FindDistinctFieldValues(w http.ResponseWriter, r *http.Request, tenant api.Tenant, params api.FindDistinctFieldValuesParams) {
	ts, matched := h.matchExecutions(w, r, tenant)
	if ts == nil {
		return
	}
	set := map[string]bool{}
	for _, e := range matched {
		switch params.Field {
		case api.FilterFieldNamespace:
			set[e.Namespace] = true
		case api.FilterFieldFlowID:
			set[e.FlowID] = true
		case api.FilterFieldState:
			set[string(e.State.Current)] = true
		case api.FilterFieldLabels:
			for _, l := range e.Labels {
				set[l.Key+":"+l.Value] = true
			}
		case api.FilterFieldExecutionID:
			set[e.ID] = true
		default:
			h.s.writeError(w, r, errIllegalArgument("Field "+string(params.Field)+" has no distinct values"))
			return
		}
	}
	out := make([]string, 0, len(set))
	for v := range set {
		out = append(out, v)
	}
	sort.Strings(out)
	if params.Size > 0 && len(out) > params.Size {
		out = out[:params.Size]
	}
	writeJSON(w, 200, out)
}

func (h *handlers) ExportExecutions(w http.ResponseWriter, r *http.Request, tenant api.Tenant, params api.ExportExecutionsParams) {
	ts, matched := h.matchExecutions(w, r, tenant)
	if ts == nil {
		return
	}
	_ = sortExecutions(matched, []string{"state.startDate:desc"})
	rows := [][]string{{"id", "namespace", "flowId", "flowRevision", "state", "startDate", "endDate", "duration", "labels"}}
	for _, e := range matched {
		var start, end string
		if e.State.StartDate != nil {
			start = e.State.StartDate.String()
		}
		if e.State.EndDate != nil {
			end = e.State.EndDate.String()
		}
		labels := make([]string, 0, len(e.Labels))
		for _, l := range e.Labels {
			labels = append(labels, l.Key+":"+l.Value)
		}
		rows = append(rows, []string{e.ID, e.Namespace, e.FlowID, strconv.Itoa(e.FlowRevision), string(e.State.Current), start, end, e.State.Duration, strings.Join(labels, ",")})
	}
	writeCSV(w, "executions.csv", rows)
}

func (h *handlers) GetFlowFromExecution(w http.ResponseWriter, r *http.Request, tenant api.Tenant, namespace api.TriggerNamespace, flowID api.TriggerFlowID, params api.GetFlowFromExecutionParams) {
	ts, f := h.flow(w, r, tenant, namespace, flowID, params.Revision, true)
	if ts == nil {
		return
	}
	writeJSON(w, 200, f.toJSON(tenant, false))
}

func (h *handlers) ListExecutableDistinctNamespaces(w http.ResponseWriter, r *http.Request, tenant api.Tenant) {
	ts := h.store(w, r, tenant)
	if ts == nil {
		return
	}
	writeJSON(w, 200, flowNamespaces(ts, ""))
}

// flowNamespaces returns the namespaces of the live flows containing q.
func flowNamespaces(ts *tenantStore, q string) []string {
	out := []string{}
	for _, f := range ts.liveFlows() {
		if (len(out) == 0 || out[len(out)-1] != f.Namespace) && strings.Contains(f.Namespace, q) {
			out = append(out, f.Namespace) // liveFlows is sorted by namespace
		}
	}
	return out
}

func (h *handlers) ListFlowExecutionsByNamespace(w http.ResponseWriter, r *http.Request, tenant api.Tenant, namespace api.NamespaceName) {
	h.ListFlowsByNamespace(w, r, tenant, namespace)
}

func (h *handlers) ResumeExecutionFromBreakpoint(w http.ResponseWriter, r *http.Request, tenant api.Tenant, executionID api.ExecutionID, params api.ResumeExecutionFromBreakpointParams) {
	ts := h.store(w, r, tenant)
	if ts == nil {
		return
	}
	_, state, ok := ts.getExecution(executionID)
	switch {
	case !ok:
		h.s.writeError(w, r, executionNotFound(executionID))
	default:
		// kestratest runs no debug breakpoints: no execution is ever in
		// BREAKPOINT, and the server refuses to resume any other state.
		h.s.writeError(w, r, errConflict("Execution is not stopped at a breakpoint, current state is "+string(state)))
	}
}

func (h *handlers) ValidateResumeExecutionInputs(w http.ResponseWriter, r *http.Request, tenant api.Tenant, executionID api.ExecutionID) {
	ts, f, e := h.executionAndFlow(w, r, tenant, executionID)
	if ts == nil {
		return
	}
	if !e.State.Current.IsPaused() {
		h.s.writeError(w, r, errConflict("Execution is not paused, can't resume it"))
		return
	}
	// The inputs of the paused Pause task (onResume).
	var onResume any
	for _, tr := range e.TaskRunList {
		if tr.State.Current.IsPaused() {
			for _, t := range f.Tasks {
				if t.ID == tr.TaskID {
					onResume = t.Props["onResume"]
				}
			}
		}
	}
	inputs, _ := parseInputs(onResume)
	if len(inputs) == 0 {
		w.WriteHeader(http.StatusNoContent)
		return
	}
	given, _, aerr := readInputParts(r)
	if aerr != nil {
		h.s.writeError(w, r, aerr)
		return
	}
	pause := *f
	pause.Inputs = inputs
	writeJSON(w, 200, []map[string]any{inputsValidation(ts, &pause, given)})
}

func (h *handlers) UpdateTaskRunState(w http.ResponseWriter, r *http.Request, tenant api.Tenant, executionID api.ExecutionID) {
	ts := h.store(w, r, tenant)
	if ts == nil {
		return
	}
	var body api.TaskRunStateChange
	if aerr := decodeJSON(r, &body); aerr != nil {
		h.s.writeError(w, r, aerr)
		return
	}
	var aerr *apiError
	snap, ok := ts.update(executionID, func(e *execution) {
		// ExecutionService.markAs: only on an ended (or paused) execution.
		if !e.State.Current.IsTerminal() && !e.State.Current.IsPaused() {
			aerr = errConflict("Execution must be terminated or paused to change a task run state, current state is " + string(e.State.Current))
			return
		}
		tr := e.taskRun(body.TaskRunID)
		if tr == nil {
			aerr = errNotFound("No task run found with id " + body.TaskRunID)
			return
		}
		now := time.Now()
		tr.State.set(body.State, now)
		if n := len(tr.Attempts); n > 0 {
			tr.Attempts[n-1].State.set(body.State, now)
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

func (h *handlers) PreviewFileFromExecution(w http.ResponseWriter, r *http.Request, tenant api.Tenant, executionID api.ExecutionID, params api.PreviewFileFromExecutionParams) {
	b, ok := h.executionFile(w, r, tenant, executionID, params.Path)
	if !ok {
		return
	}
	ext := strings.TrimPrefix(path.Ext(params.Path), ".")
	maxRows := params.MaxRows
	if maxRows <= 0 {
		maxRows = 100
	}
	if !utf8.Valid(b) {
		writeJSON(w, 200, map[string]any{"extension": ext, "type": "DEFAULT", "content": nil, "truncated": false})
		return
	}
	var lines []string
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(make([]byte, 64<<10), len(b)+1)
	truncated := false
	for sc.Scan() {
		if len(lines) == maxRows {
			truncated = true
			break
		}
		lines = append(lines, sc.Text())
	}
	if ext == "ion" || ext == "jsonl" {
		rows := make([]any, 0, len(lines))
		for _, l := range lines {
			var v any
			if json.Unmarshal([]byte(l), &v) != nil {
				v = l
			}
			rows = append(rows, v)
		}
		writeJSON(w, 200, map[string]any{"extension": ext, "type": "LIST", "content": rows, "truncated": truncated})
		return
	}
	writeJSON(w, 200, map[string]any{"extension": ext, "type": "TEXT", "content": strings.Join(lines, "\n"), "truncated": truncated})
}

func (h *handlers) FollowDependenciesExecutions(w http.ResponseWriter, r *http.Request, tenant api.Tenant, executionID api.ExecutionID, params api.FollowDependenciesExecutionsParams) {
	ts := h.store(w, r, tenant)
	if ts == nil {
		return
	}
	h.s.followDependencies(w, r, ts, executionID)
}

func (h *handlers) GetExecutionFlowGraph(w http.ResponseWriter, r *http.Request, tenant api.Tenant, executionID api.ExecutionID, params api.GetExecutionFlowGraphParams) {
	ts, rec := h.execution(w, r, tenant, executionID)
	if ts == nil {
		return
	}
	if f := h.flowOf(w, r, ts, rec); f != nil {
		writeJSON(w, 200, flowGraph(f))
	}
}
