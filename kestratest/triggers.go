package kestratest

import (
	"encoding/csv"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/kestra-go/kestra-go/api"
)

// json is the TriggerState (ts.mu held).
func (st *triggerState) json() map[string]any {
	m := map[string]any{"namespace": st.namespace, "flowId": st.flowID, "triggerId": st.triggerID,
		"updatedAt": jtime(st.updated), "disabled": st.disabled, "locked": false}
	if b := st.backfill; b != nil {
		bm := map[string]any{"start": jtime(b.start), "end": jtime(b.end), "currentDate": jtime(b.current), "paused": b.paused}
		if len(b.inputs) > 0 {
			bm["inputs"] = b.inputs
		}
		if len(b.labels) > 0 {
			bm["labels"] = b.labels
		}
		m["backfill"] = bm
	}
	return m
}

// changeTrigger applies fn to a trigger's state under the lock and answers
// the new state (404 unknown trigger, fn's error).
func (h *handlers) changeTrigger(w http.ResponseWriter, r *http.Request, tenant, ns, flowID, triggerID string, fn triggerChange) {
	ts := h.store(w, r, tenant)
	if ts == nil {
		return
	}
	t := ts.findTrigger(ns, flowID, triggerID)
	if t == nil {
		h.s.writeError(w, r, triggerNotFound(ns, flowID, triggerID))
		return
	}
	ts.mu.Lock()
	aerr := fn(t)
	if aerr == nil {
		t.state.updated = time.Now()
	}
	out := t.state.json()
	ts.mu.Unlock()
	if aerr != nil {
		h.s.writeError(w, r, aerr)
		return
	}
	writeJSON(w, 200, out)
}

func (fs filterSet) matchTrigger(t *triggerWithState) (bool, *apiError) {
	return fs.all(func(f filter) (bool, *apiError) {
		switch f.field {
		case "namespace":
			return matchString(f.op, t.state.namespace, f.value)
		case "flowId":
			return matchString(f.op, t.state.flowID, f.value)
		case "triggerId":
			return matchString(f.op, t.state.triggerID, f.value)
		case "q":
			q := strings.ToLower(f.value)
			return strings.Contains(strings.ToLower(t.state.triggerID), q) || strings.Contains(strings.ToLower(t.state.flowID), q) ||
				strings.Contains(strings.ToLower(t.state.namespace), q), nil
		case "startDate", "endDate":
			// The trigger's date: when its state last changed.
			d := jtime(t.state.updated)
			return matchTime(f.op, &d, f.value)
		case "triggerState":
			state := "ENABLED"
			if t.state.disabled {
				state = "DISABLED"
			}
			return matchString(f.op, state, f.value)
		case "scope", "workerId":
			return true, nil
		}
		return false, invalidFilters("Filter field " + f.field + " is not supported by kestratest on triggers")
	})
}

// matchTriggers returns the triggers a request's filters match.
func (h *handlers) matchTriggers(w http.ResponseWriter, r *http.Request, tenant string) (*tenantStore, []triggerWithState) {
	ts, fs := h.search(w, r, tenant, api.FilterResourceTrigger, nil)
	if ts == nil {
		return nil, nil
	}
	return ts, h.filterTriggers(w, r, ts, fs)
}

func (h *handlers) filterTriggers(w http.ResponseWriter, r *http.Request, ts *tenantStore, fs filterSet) []triggerWithState {
	out := []triggerWithState{}
	for _, t := range ts.triggerStates() {
		ok, aerr := fs.matchTrigger(&t)
		if aerr != nil {
			h.s.writeError(w, r, aerr)
			return nil
		}
		if ok {
			out = append(out, t)
		}
	}
	return out
}

func (h *handlers) SearchTriggers(w http.ResponseWriter, r *http.Request, tenant api.Tenant, params api.SearchTriggersParams) {
	ts, list := h.matchTriggers(w, r, tenant)
	if ts == nil || list == nil {
		return
	}
	ts.mu.Lock()
	out := make([]map[string]any, 0, len(list))
	for _, t := range list {
		tr := map[string]any{"id": t.trigger.ID, "type": t.trigger.Type, "disabled": t.trigger.Disabled}
		if t.trigger.Description != "" {
			tr["description"] = t.trigger.Description
		}
		out = append(out, map[string]any{"trigger": tr, "state": t.state.json()})
	}
	ts.mu.Unlock()
	writePage(w, out, params.Page, params.Size)
}

func (h *handlers) SearchTriggersForFlow(w http.ResponseWriter, r *http.Request, tenant api.Tenant, namespace string, flowID string, params api.SearchTriggersForFlowParams) {
	ts := h.store(w, r, tenant)
	if ts == nil {
		return
	}
	list := ts.triggerStates()
	ts.mu.Lock()
	out := []map[string]any{}
	for _, t := range list {
		if t.state.namespace == namespace && t.state.flowID == flowID &&
			(params.Q == "" || strings.Contains(strings.ToLower(t.state.triggerID), strings.ToLower(params.Q))) {
			out = append(out, t.state.json())
		}
	}
	ts.mu.Unlock()
	writePage(w, out, params.Page, params.Size)
}

func (h *handlers) DisableTriggerByID(w http.ResponseWriter, r *http.Request, tenant api.Tenant) {
	var body api.TriggerDisable
	if aerr := decodeJSON(r, &body); aerr != nil {
		h.s.writeError(w, r, aerr)
		return
	}
	h.changeTrigger(w, r, tenant, body.Namespace, body.FlowID, body.TriggerID, setTriggerDisabled(body.Disabled))
}

func (h *handlers) RestartTrigger(w http.ResponseWriter, r *http.Request, tenant api.Tenant, namespace api.TriggerNamespace, flowID api.TriggerFlowID, triggerID api.TriggerID) {
	// The scheduler evaluates a restarted trigger again from now: its
	// state is reset (disabled and backfill kept).
	h.changeTrigger(w, r, tenant, namespace, flowID, triggerID, func(*triggerWithState) error { return nil })
}

func (h *handlers) UnlockTrigger(w http.ResponseWriter, r *http.Request, tenant api.Tenant, namespace api.TriggerNamespace, flowID api.TriggerFlowID, triggerID api.TriggerID) {
	h.changeTrigger(w, r, tenant, namespace, flowID, triggerID, unlockTrigger)
}

func (h *handlers) DeleteTrigger(w http.ResponseWriter, r *http.Request, tenant api.Tenant, namespace api.TriggerNamespace, flowID api.TriggerFlowID, triggerID api.TriggerID) {
	ts := h.store(w, r, tenant)
	if ts == nil {
		return
	}
	if ts.findTrigger(namespace, flowID, triggerID) == nil {
		h.s.writeError(w, r, triggerNotFound(namespace, flowID, triggerID))
		return
	}
	ts.mu.Lock()
	delete(ts.triggers, triggerKey(namespace, flowID, triggerID)) // back to its declared state
	ts.mu.Unlock()
	w.WriteHeader(http.StatusNoContent)
}

func (h *handlers) CreateBackfill(w http.ResponseWriter, r *http.Request, tenant api.Tenant) {
	var body api.CreateBackfillRequest
	if aerr := decodeJSON(r, &body); aerr != nil {
		h.s.writeError(w, r, aerr)
		return
	}
	h.changeTrigger(w, r, tenant, body.Namespace, body.FlowID, body.TriggerID, func(t *triggerWithState) error {
		return createBackfill(t, body.Backfill)
	})
}

// oneTrigger answers an action on the trigger named by a TriggerRef body.
func (h *handlers) oneTrigger(w http.ResponseWriter, r *http.Request, tenant string, fn triggerChange) {
	var ref api.TriggerRef
	if aerr := decodeJSON(r, &ref); aerr != nil {
		h.s.writeError(w, r, aerr)
		return
	}
	h.changeTrigger(w, r, tenant, ref.Namespace, ref.FlowID, ref.TriggerID, fn)
}

func (h *handlers) DeleteBackfill(w http.ResponseWriter, r *http.Request, tenant api.Tenant) {
	h.oneTrigger(w, r, tenant, deleteBackfill)
}

func (h *handlers) PauseBackfill(w http.ResponseWriter, r *http.Request, tenant api.Tenant) {
	h.oneTrigger(w, r, tenant, pauseBackfill(true))
}

func (h *handlers) UnpauseBackfill(w http.ResponseWriter, r *http.Request, tenant api.Tenant) {
	h.oneTrigger(w, r, tenant, pauseBackfill(false))
}

// onTriggers applies fn to each trigger (those it refuses are skipped) and
// answers how many changed.
func (h *handlers) onTriggers(w http.ResponseWriter, ts *tenantStore, list []triggerWithState, fn triggerChange) {
	n := 0
	ts.mu.Lock()
	for i := range list {
		if fn(&list[i]) == nil {
			list[i].state.updated = time.Now()
			n++
		}
	}
	ts.mu.Unlock()
	writeBulk(w, n)
}

// byTriggers answers a bulk action on the triggers of a []TriggerRef body.
func (h *handlers) byTriggers(w http.ResponseWriter, r *http.Request, tenant string, fn triggerChange) {
	ts, refs := withBody(h, w, r, tenant, readTriggerRefs)
	if ts == nil {
		return
	}
	h.onTriggers(w, ts, ts.refTriggers(refs), fn)
}

func readTriggerRefs(r *http.Request) ([]api.TriggerRef, *apiError) {
	var refs []api.TriggerRef
	return refs, decodeJSON(r, &refs)
}

// byTriggerQuery answers a bulk action on the triggers the query matches.
func (h *handlers) byTriggerQuery(w http.ResponseWriter, r *http.Request, tenant string, fn triggerChange) {
	ts, list := h.matchTriggers(w, r, tenant)
	if ts == nil || list == nil {
		return
	}
	h.onTriggers(w, ts, list, fn)
}

func (h *handlers) DeleteBackfillByQuery(w http.ResponseWriter, r *http.Request, tenant api.Tenant, params api.DeleteBackfillByQueryParams) {
	h.byTriggerQuery(w, r, tenant, deleteBackfill)
}

func (h *handlers) DeleteBackfillByIds(w http.ResponseWriter, r *http.Request, tenant api.Tenant) {
	h.byTriggers(w, r, tenant, deleteBackfill)
}

func (h *handlers) PauseBackfillByQuery(w http.ResponseWriter, r *http.Request, tenant api.Tenant, params api.PauseBackfillByQueryParams) {
	h.byTriggerQuery(w, r, tenant, pauseBackfill(true))
}

func (h *handlers) PauseBackfillByIds(w http.ResponseWriter, r *http.Request, tenant api.Tenant) {
	h.byTriggers(w, r, tenant, pauseBackfill(true))
}

func (h *handlers) UnpauseBackfillByQuery(w http.ResponseWriter, r *http.Request, tenant api.Tenant, params api.UnpauseBackfillByQueryParams) {
	h.byTriggerQuery(w, r, tenant, pauseBackfill(false))
}

func (h *handlers) UnpauseBackfillByIds(w http.ResponseWriter, r *http.Request, tenant api.Tenant) {
	h.byTriggers(w, r, tenant, pauseBackfill(false))
}

func (h *handlers) DeleteTriggersByQuery(w http.ResponseWriter, r *http.Request, tenant api.Tenant) {
	ts := h.store(w, r, tenant)
	if ts == nil {
		return
	}
	// This operation reads its filters from a JSON body of QueryFilter
	// objects, not from the query.
	var body struct {
		Filters []struct {
			Field     string `json:"field"`
			Operation string `json:"operation"`
			Value     any    `json:"value"`
		} `json:"filters"`
	}
	if aerr := decodeJSON(r, &body); aerr != nil {
		h.s.writeError(w, r, aerr)
		return
	}
	var fs filterSet
	for _, f := range body.Filters {
		v := fmt.Sprint(f.Value)
		if list, ok := f.Value.([]any); ok {
			parts := make([]string, len(list))
			for i, item := range list {
				parts[i] = fmt.Sprint(item)
			}
			v = strings.Join(parts, ",")
		}
		fs = append(fs, filter{field: f.Field, op: f.Operation, value: v})
	}
	list := h.filterTriggers(w, r, ts, fs)
	if list == nil {
		return
	}
	h.onTriggers(w, ts, list, resetTrigger(ts))
}

func (h *handlers) DeleteTriggersByIds(w http.ResponseWriter, r *http.Request, tenant api.Tenant) {
	ts := h.store(w, r, tenant)
	if ts == nil {
		return
	}
	h.byTriggers(w, r, tenant, resetTrigger(ts))
}

func (h *handlers) DisabledTriggersByQuery(w http.ResponseWriter, r *http.Request, tenant api.Tenant, params api.DisabledTriggersByQueryParams) {
	h.byTriggerQuery(w, r, tenant, setTriggerDisabled(params.Disabled == nil || *params.Disabled))
}

func (h *handlers) DisabledTriggersByIds(w http.ResponseWriter, r *http.Request, tenant api.Tenant) {
	ts := h.store(w, r, tenant)
	if ts == nil {
		return
	}
	var body api.SetTriggersDisabledRequest
	if aerr := decodeJSON(r, &body); aerr != nil {
		h.s.writeError(w, r, aerr)
		return
	}
	h.onTriggers(w, ts, ts.refTriggers(body.Triggers), setTriggerDisabled(body.Disabled))
}

func (h *handlers) UnlockTriggersByQuery(w http.ResponseWriter, r *http.Request, tenant api.Tenant, params api.UnlockTriggersByQueryParams) {
	h.byTriggerQuery(w, r, tenant, unlockTrigger)
}

func (h *handlers) UnlockTriggersByIds(w http.ResponseWriter, r *http.Request, tenant api.Tenant) {
	h.byTriggers(w, r, tenant, unlockTrigger)
}

func (h *handlers) ExportTriggers(w http.ResponseWriter, r *http.Request, tenant api.Tenant, params api.ExportTriggersParams) {
	ts, list := h.matchTriggers(w, r, tenant)
	if ts == nil || list == nil {
		return
	}
	rows := [][]string{{"namespace", "flowId", "triggerId", "type", "disabled", "updatedAt", "backfill"}}
	ts.mu.Lock()
	for _, t := range list {
		rows = append(rows, []string{t.state.namespace, t.state.flowID, t.state.triggerID, t.trigger.Type,
			strconv.FormatBool(t.state.disabled), jtime(t.state.updated).String(), strconv.FormatBool(t.state.backfill != nil)})
	}
	ts.mu.Unlock()
	writeCSV(w, "triggers.csv", rows)
}

// writeCSV answers rows as a text/csv attachment.
func writeCSV(w http.ResponseWriter, filename string, rows [][]string) {
	var b strings.Builder
	cw := csv.NewWriter(&b)
	_ = cw.WriteAll(rows)
	w.Header().Set("Content-Type", "text/csv")
	w.Header().Set("Content-Disposition", fmt.Sprintf("attachment; filename=%q", filename))
	w.Header().Set("Content-Length", strconv.Itoa(b.Len()))
	w.WriteHeader(200)
	_, _ = w.Write([]byte(b.String()))
}
