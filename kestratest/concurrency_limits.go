package kestratest

// Handlers of the concurrency-limit resource and of the queue actions
// (force-run, unqueue) of an execution; the queue itself is the engine's
// (concurrency.go).

import (
	"net/http"

	"github.com/kestra-go/kestra-go/api"
)

func (h *handlers) ForceRunExecution(w http.ResponseWriter, r *http.Request, tenant api.Tenant, executionID api.ExecutionID) {
	h.queuedAction(w, r, tenant, executionID, "")
}

func (h *handlers) UnqueueExecution(w http.ResponseWriter, r *http.Request, tenant api.Tenant, executionID api.ExecutionID, params api.UnqueueExecutionParams) {
	h.queuedAction(w, r, tenant, executionID, params.State)
}

func (h *handlers) queuedAction(w http.ResponseWriter, r *http.Request, tenant, id string, st api.StateType) {
	ts := h.store(w, r, tenant)
	if ts == nil {
		return
	}
	snap, aerr := releaseQueued(ts, id, st)
	if aerr != nil {
		h.s.writeError(w, r, aerr)
		return
	}
	writeRawJSON(w, 200, snap)
}

// concurrencyLimitJSON is a ConcurrencyLimit (ts.mu held).
func (ts *tenantStore) concurrencyLimitJSONLocked(ns, id string) map[string]any {
	return map[string]any{"tenantId": ts.name, "namespace": ns, "flowId": id, "running": ts.slots[flowKey(ns, id)]}
}

func (h *handlers) SearchConcurrencyLimits(w http.ResponseWriter, r *http.Request, tenant api.Tenant) {
	ts := h.store(w, r, tenant)
	if ts == nil {
		return
	}
	out := []map[string]any{}
	for _, f := range ts.liveFlows() {
		if limit, _ := f.concurrency(); limit > 0 {
			ts.mu.Lock()
			out = append(out, ts.concurrencyLimitJSONLocked(f.Namespace, f.ID))
			ts.mu.Unlock()
		}
	}
	writePage(w, out, 0, 0)
}

func (h *handlers) UpdateConcurrencyLimit(w http.ResponseWriter, r *http.Request, tenant api.Tenant, namespace api.TriggerNamespace, flowID api.TriggerFlowID) {
	ts := h.store(w, r, tenant)
	if ts == nil {
		return
	}
	var body api.ConcurrencyLimit
	if aerr := decodeJSON(r, &body); aerr != nil {
		h.s.writeError(w, r, aerr)
		return
	}
	f := ts.getFlow(namespace, flowID, 0, false)
	if f == nil {
		h.s.writeError(w, r, errNotFound("Requested Flow is not found."))
		return
	}
	if limit, _ := f.concurrency(); limit <= 0 {
		h.s.writeError(w, r, errNotFound("No concurrency limit for flow "+namespace+"."+flowID))
		return
	}
	if body.Running < 0 {
		h.s.writeError(w, r, errIllegalArgument("running must not be negative"))
		return
	}
	ts.mu.Lock()
	ts.slots[flowKey(namespace, flowID)] = body.Running
	ts.wakeQueuedLocked()
	out := ts.concurrencyLimitJSONLocked(namespace, flowID)
	ts.mu.Unlock()
	writeJSON(w, 200, out)
}
