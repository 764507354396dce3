package kestratest

import (
	"net/http"

	"github.com/kestra-go/kestra-go/api"
)

// A bulk action on executions, shared by its by-ids form (a JSON array of
// ids: any id that does not qualify is a 400 BulkErrorResponse and nothing
// is done, as ExecutionController's *ByIds) and its by-query form (the
// executions the filters match; those that do not qualify are skipped).
// The answer carries both the 1.x BulkResponse count and the 2.0
// AsyncOperation fields; the work is done before answering.
type bulkAction struct {
	name string
	// check gives the reason an execution does not qualify ("" when it
	// does); found is false for an unknown id.
	check func(state api.StateType, found bool) string
	// act does the action on one execution and reports success.
	act func(ts *tenantStore, id string) bool
}

func (h *handlers) killAction() bulkAction {
	return bulkAction{"kill", func(state api.StateType, found bool) string {
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
	}}
}

func (h *handlers) resumeAction() bulkAction {
	return bulkAction{"resume", func(state api.StateType, found bool) string {
		if !found || !state.IsPaused() {
			return "execution not found or not paused"
		}
		return ""
	}, func(ts *tenantStore, id string) bool { return h.s.resume(ts, id) == nil }}
}

func (h *handlers) restartAction() bulkAction {
	return bulkAction{"restart", func(state api.StateType, found bool) string {
		if !found || (state != stateFailed && state != stateKilled) {
			return "execution not found or not failed"
		}
		return ""
	}, func(ts *tenantStore, id string) bool {
		_, aerr := h.s.restartExecution(ts, id, 0)
		return aerr == nil
	}}
}

// replayAction replays on the original revision, or the latest one.
func (h *handlers) replayAction(latest bool) bulkAction {
	rev := 0
	if latest {
		rev = -1
	}
	return bulkAction{"replay", func(state api.StateType, found bool) string {
		if !found || !state.IsTerminal() {
			return "execution not found or not terminated"
		}
		return ""
	}, func(ts *tenantStore, id string) bool {
		_, aerr := h.replay(ts, id, rev, nil)
		return aerr == nil
	}}
}

func (h *handlers) deleteAction(includeRunning, logs, storage bool) bulkAction {
	return bulkAction{"delete", func(state api.StateType, found bool) string {
		if !found || (!state.IsTerminal() && !includeRunning) {
			return "execution not found or not terminated"
		}
		return ""
	}, func(ts *tenantStore, id string) bool { return ts.removeExecution(id, logs, storage) }}
}

func (h *handlers) changeStatusAction(want api.StateType) bulkAction {
	return bulkAction{"change-status", func(state api.StateType, found bool) string {
		switch {
		case !found:
			return "execution not found"
		case !state.IsTerminal():
			return "execution not terminated"
		case !want.IsTerminal():
			return "the new status is not a terminal state"
		}
		return ""
	}, func(ts *tenantStore, id string) bool {
		_, aerr := changeStatus(ts, id, want)
		return aerr == nil
	}}
}

func (h *handlers) pauseAction() bulkAction {
	return bulkAction{"pause", func(state api.StateType, found bool) string {
		if !found || (state != stateRunning && state != stateCreated) {
			return "execution not found or not running"
		}
		return ""
	}, func(ts *tenantStore, id string) bool {
		_, aerr := requestPause(ts, id)
		return aerr == nil
	}}
}

// queuedAction: force-run (st "") or unqueue to st.
func (h *handlers) releaseAction(name string, st api.StateType) bulkAction {
	return bulkAction{name, func(state api.StateType, found bool) string {
		if !found || state != stateQueued {
			return "execution not found or not queued"
		}
		return ""
	}, func(ts *tenantStore, id string) bool {
		_, aerr := releaseQueued(ts, id, st)
		return aerr == nil
	}}
}

func (h *handlers) labelsAction(labels []label) bulkAction {
	return bulkAction{"labels", func(state api.StateType, found bool) string {
		if !found || !state.IsTerminal() {
			return "execution not found or not terminated"
		}
		return ""
	}, func(ts *tenantStore, id string) bool {
		_, aerr := setLabels(ts, id, labels)
		return aerr == nil
	}}
}

// byIDs answers a by-ids action on the ids of the JSON body.
func (h *handlers) byIDs(w http.ResponseWriter, r *http.Request, tenant string, a bulkAction) {
	ts, ids := withBody(h, w, r, tenant, readIDs)
	if ts == nil {
		return
	}
	h.onIDs(w, r, ts, ids, a)
}

// onIDs checks every id (400 for the first that does not qualify), then
// acts on each.
func (h *handlers) onIDs(w http.ResponseWriter, r *http.Request, ts *tenantStore, ids []string, a bulkAction) {
	for _, id := range ids {
		_, state, found := ts.getExecution(id)
		if reason := a.check(state, found); reason != "" {
			h.s.writeError(w, r, bulkInvalid("invalid bulk "+a.name+": "+reason+": "+id))
			return
		}
	}
	writeBulk(w, actOn(ts, ids, a))
}

func actOn(ts *tenantStore, ids []string, a bulkAction) int {
	n := 0
	for _, id := range ids {
		if a.act(ts, id) {
			n++
		}
	}
	return n
}

// byQuery answers a by-query action on the executions the query's filters
// (or legacy flat parameters) match and that qualify.
func (h *handlers) byQuery(w http.ResponseWriter, r *http.Request, tenant string, a bulkAction) {
	if aerr := h.refuseLegacyParams(r, executionLegacyParams); aerr != nil {
		h.s.writeError(w, r, aerr)
		return
	}
	ts, matched := h.matchExecutions(w, r, tenant)
	if ts == nil {
		return
	}
	var ids []string
	for _, e := range matched {
		if a.check(e.State.Current, true) == "" {
			ids = append(ids, e.ID)
		}
	}
	writeBulk(w, actOn(ts, ids, a))
}

// refuseLegacyParams: a 2.0 server refuses a mutating by-query request
// that carries a flat (1.x) filter parameter, so that a request meant to
// act on a few executions never acts on all of them
// (webserver/src/main/java/io/kestra/webserver/filter/LegacyQueryParameterFilter.java,
// kestra#18246); 1.x servers ([WithMajorVersion](1)) still read them.
func (h *handlers) refuseLegacyParams(r *http.Request, legacy map[string]filter) *apiError {
	if h.s.cfg.majorVersion == 1 {
		return nil
	}
	q := r.URL.Query()
	for name := range legacy {
		if _, ok := q[name]; ok {
			msg := "Legacy query parameter '" + name + "' is not supported on bulk actions, use filters[" + name + "][<operation>]"
			return &apiError{status: 400, message: "Bad Request: " + msg, slug: "invalid-query-parameter", detail: msg}
		}
	}
	return nil
}

// matchExecutions returns the executions a search request's filters match
// (unsorted); on an error it answers and returns a nil store.
func (h *handlers) matchExecutions(w http.ResponseWriter, r *http.Request, tenant string) (*tenantStore, []execution) {
	ts, filters := h.search(w, r, tenant, api.FilterResourceExecution, executionLegacyParams)
	if ts == nil {
		return nil, nil
	}
	var matched []execution
	for _, e := range ts.executions() {
		ok, aerr := filters.matchExecution(&e)
		if aerr != nil {
			h.s.writeError(w, r, aerr)
			return nil, nil
		}
		if ok {
			matched = append(matched, e)
		}
	}
	return ts, matched
}

// writeBulk answers a bulk action done on n items.
func writeBulk(w http.ResponseWriter, n int) {
	writeJSON(w, 200, map[string]any{"count": n, "operationId": newID(), "totalItems": n})
}

func (h *handlers) KillExecutionsByIds(w http.ResponseWriter, r *http.Request, tenant api.Tenant) {
	h.byIDs(w, r, tenant, h.killAction())
}

func (h *handlers) KillExecutionsByQuery(w http.ResponseWriter, r *http.Request, tenant api.Tenant, params api.KillExecutionsByQueryParams) {
	h.byQuery(w, r, tenant, h.killAction())
}

func (h *handlers) ResumeExecutionsByIds(w http.ResponseWriter, r *http.Request, tenant api.Tenant) {
	h.byIDs(w, r, tenant, h.resumeAction())
}

func (h *handlers) ResumeExecutionsByQuery(w http.ResponseWriter, r *http.Request, tenant api.Tenant, params api.ResumeExecutionsByQueryParams) {
	h.byQuery(w, r, tenant, h.resumeAction())
}

func (h *handlers) RestartExecutionsByIds(w http.ResponseWriter, r *http.Request, tenant api.Tenant) {
	h.byIDs(w, r, tenant, h.restartAction())
}

func (h *handlers) RestartExecutionsByQuery(w http.ResponseWriter, r *http.Request, tenant api.Tenant, params api.RestartExecutionsByQueryParams) {
	h.byQuery(w, r, tenant, h.restartAction())
}

func (h *handlers) ReplayExecutionsByIds(w http.ResponseWriter, r *http.Request, tenant api.Tenant, params api.ReplayExecutionsByIdsParams) {
	h.byIDs(w, r, tenant, h.replayAction(bool(params.LatestRevision)))
}

func (h *handlers) ReplayExecutionsByQuery(w http.ResponseWriter, r *http.Request, tenant api.Tenant, params api.ReplayExecutionsByQueryParams) {
	h.byQuery(w, r, tenant, h.replayAction(bool(params.LatestRevision)))
}

func (h *handlers) DeleteExecutionsByIds(w http.ResponseWriter, r *http.Request, tenant api.Tenant, params api.DeleteExecutionsByIdsParams) {
	h.byIDs(w, r, tenant, h.deleteAction(params.IncludeNonTerminated, params.DeleteLogs == nil || *params.DeleteLogs, params.DeleteStorage == nil || *params.DeleteStorage))
}

func (h *handlers) DeleteExecutionsByQuery(w http.ResponseWriter, r *http.Request, tenant api.Tenant, params api.DeleteExecutionsByQueryParams) {
	h.byQuery(w, r, tenant, h.deleteAction(params.IncludeNonTerminated, params.DeleteLogs == nil || *params.DeleteLogs, params.DeleteStorage == nil || *params.DeleteStorage))
}

func (h *handlers) UpdateExecutionsStatusByIds(w http.ResponseWriter, r *http.Request, tenant api.Tenant, params api.UpdateExecutionsStatusByIdsParams) {
	h.byIDs(w, r, tenant, h.changeStatusAction(api.StateType(params.NewStatus)))
}

func (h *handlers) UpdateExecutionsStatusByQuery(w http.ResponseWriter, r *http.Request, tenant api.Tenant, params api.UpdateExecutionsStatusByQueryParams) {
	h.byQuery(w, r, tenant, h.changeStatusAction(api.StateType(params.NewStatus)))
}

func (h *handlers) PauseExecutionsByIds(w http.ResponseWriter, r *http.Request, tenant api.Tenant) {
	h.byIDs(w, r, tenant, h.pauseAction())
}

func (h *handlers) PauseExecutionsByQuery(w http.ResponseWriter, r *http.Request, tenant api.Tenant, params api.PauseExecutionsByQueryParams) {
	h.byQuery(w, r, tenant, h.pauseAction())
}

func (h *handlers) ForceRunByIds(w http.ResponseWriter, r *http.Request, tenant api.Tenant) {
	h.byIDs(w, r, tenant, h.releaseAction("force-run", ""))
}

func (h *handlers) ForceRunExecutionsByQuery(w http.ResponseWriter, r *http.Request, tenant api.Tenant, params api.ForceRunExecutionsByQueryParams) {
	h.byQuery(w, r, tenant, h.releaseAction("force-run", ""))
}

func (h *handlers) UnqueueExecutionsByIds(w http.ResponseWriter, r *http.Request, tenant api.Tenant, params api.UnqueueExecutionsByIdsParams) {
	h.byIDs(w, r, tenant, h.releaseAction("unqueue", params.State))
}

func (h *handlers) UnqueueExecutionsByQuery(w http.ResponseWriter, r *http.Request, tenant api.Tenant, params api.UnqueueExecutionsByQueryParams) {
	h.byQuery(w, r, tenant, h.releaseAction("unqueue", params.NewState))
}

func (h *handlers) SetLabelsOnTerminatedExecutionsByIds(w http.ResponseWriter, r *http.Request, tenant api.Tenant) {
	ts := h.store(w, r, tenant)
	if ts == nil {
		return
	}
	var body struct {
		Labels []label  `json:"executionLabels"`
		IDs    []string `json:"executionsId"`
	}
	if aerr := decodeJSON(r, &body); aerr != nil {
		h.s.writeError(w, r, aerr)
		return
	}
	if aerr := checkUserLabels(body.Labels); aerr != nil {
		h.s.writeError(w, r, aerr)
		return
	}
	h.onIDs(w, r, ts, body.IDs, h.labelsAction(body.Labels))
}

func (h *handlers) SetLabelsOnTerminatedExecutionsByQuery(w http.ResponseWriter, r *http.Request, tenant api.Tenant, params api.SetLabelsOnTerminatedExecutionsByQueryParams) {
	var labels []label
	if aerr := decodeJSON(r, &labels); aerr != nil {
		h.s.writeError(w, r, aerr)
		return
	}
	if aerr := checkUserLabels(labels); aerr != nil {
		h.s.writeError(w, r, aerr)
		return
	}
	h.byQuery(w, r, tenant, h.labelsAction(labels))
}
