package kestratest

import (
	"net/http"

	"github.com/kestra-go/kestra-go/api"
)

// Operations kestratest does not emulate answer 501 Not Implemented with a
// message naming the operation and the reason notEmulatedOperations gives
// (see the package documentation). Every method of api.ServerInterface is
// written out (no embedded interface): an operation added to the document
// is a build error until it gets a handler or a stub here.

// notEmulated answers 501 for the request's operation.
func (h *handlers) notEmulated(w http.ResponseWriter, r *http.Request) {
	op := operationOf(r)
	h.s.writeError(w, r, errNotImplemented(op, notEmulatedOperations[op]))
}

func (h *handlers) SearchTriggers(w http.ResponseWriter, r *http.Request, tenant api.Tenant, params api.SearchTriggersParams) {
	h.notEmulated(w, r)
}

func (h *handlers) DisableTriggerByID(w http.ResponseWriter, r *http.Request, tenant api.Tenant) {
	h.notEmulated(w, r)
}

func (h *handlers) SearchTriggersForFlow(w http.ResponseWriter, r *http.Request, tenant api.Tenant, namespace string, flowID string, params api.SearchTriggersForFlowParams) {
	h.notEmulated(w, r)
}

func (h *handlers) RestartTrigger(w http.ResponseWriter, r *http.Request, tenant api.Tenant, namespace api.TriggerNamespace, flowID api.TriggerFlowID, triggerID api.TriggerID) {
	h.notEmulated(w, r)
}

func (h *handlers) UnlockTrigger(w http.ResponseWriter, r *http.Request, tenant api.Tenant, namespace api.TriggerNamespace, flowID api.TriggerFlowID, triggerID api.TriggerID) {
	h.notEmulated(w, r)
}
