package kestratest

import (
	"net/http"

	"github.com/kestra-go/kestra-go/api"
)

// Operations kestratest does not emulate answer 501 Not Implemented with a
// message naming the operation (see the package documentation).

func (h *handlers) SearchTriggers(w http.ResponseWriter, r *http.Request, tenant api.Tenant, params api.SearchTriggersParams) {
	h.s.writeError(w, r, errNotImplemented(operationOf(r)))
}

func (h *handlers) DisableTriggerByID(w http.ResponseWriter, r *http.Request, tenant api.Tenant) {
	h.s.writeError(w, r, errNotImplemented(operationOf(r)))
}

func (h *handlers) SearchTriggersForFlow(w http.ResponseWriter, r *http.Request, tenant api.Tenant, namespace string, flowID string, params api.SearchTriggersForFlowParams) {
	h.s.writeError(w, r, errNotImplemented(operationOf(r)))
}

func (h *handlers) RestartTrigger(w http.ResponseWriter, r *http.Request, tenant api.Tenant, namespace api.TriggerNamespace, flowID api.TriggerFlowID, triggerID api.TriggerID) {
	h.s.writeError(w, r, errNotImplemented(operationOf(r)))
}

func (h *handlers) UnlockTrigger(w http.ResponseWriter, r *http.Request, tenant api.Tenant, namespace api.TriggerNamespace, flowID api.TriggerFlowID, triggerID api.TriggerID) {
	h.s.writeError(w, r, errNotImplemented(operationOf(r)))
}
