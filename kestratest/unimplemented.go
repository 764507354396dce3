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

// Operations added to the document in issue 9 (coverage): 501 until
// kestratest emulates them.

func (h *handlers) AggregateMetricsFromFlow(w http.ResponseWriter, r *http.Request, tenant api.Tenant, namespace api.TriggerNamespace, flowID api.TriggerFlowID, metric api.MetricName, params api.AggregateMetricsFromFlowParams) {
	h.notEmulated(w, r)
}

func (h *handlers) AggregateMetricsFromTask(w http.ResponseWriter, r *http.Request, tenant api.Tenant, namespace api.TriggerNamespace, flowID api.TriggerFlowID, taskID api.TaskIDPath, metric api.MetricName, params api.AggregateMetricsFromTaskParams) {
	h.notEmulated(w, r)
}

func (h *handlers) ListFlowMetrics(w http.ResponseWriter, r *http.Request, tenant api.Tenant, namespace api.TriggerNamespace, flowID api.TriggerFlowID) {
	h.notEmulated(w, r)
}

func (h *handlers) ListTaskMetrics(w http.ResponseWriter, r *http.Request, tenant api.Tenant, namespace api.TriggerNamespace, flowID api.TriggerFlowID, taskID api.TaskIDPath) {
	h.notEmulated(w, r)
}

func (h *handlers) ListTasksWithMetrics(w http.ResponseWriter, r *http.Request, tenant api.Tenant, namespace api.TriggerNamespace, flowID api.TriggerFlowID) {
	h.notEmulated(w, r)
}

func (h *handlers) CreateNamespace(w http.ResponseWriter, r *http.Request, tenant api.Tenant) {
	h.notEmulated(w, r)
}

func (h *handlers) AutocompleteNamespaces(w http.ResponseWriter, r *http.Request, tenant api.Tenant) {
	h.notEmulated(w, r)
}

func (h *handlers) DeleteNamespace(w http.ResponseWriter, r *http.Request, tenant api.Tenant, id api.NamespaceID) {
	h.notEmulated(w, r)
}

func (h *handlers) UpdateNamespace(w http.ResponseWriter, r *http.Request, tenant api.Tenant, id api.NamespaceID) {
	h.notEmulated(w, r)
}

func (h *handlers) InheritedVariables(w http.ResponseWriter, r *http.Request, tenant api.Tenant, id api.NamespaceID) {
	h.notEmulated(w, r)
}

func (h *handlers) ListNamespaceCredentials(w http.ResponseWriter, r *http.Request, tenant api.Tenant, namespace api.NamespaceName, params api.ListNamespaceCredentialsParams) {
	h.notEmulated(w, r)
}

func (h *handlers) CreateNamespaceCredential(w http.ResponseWriter, r *http.Request, tenant api.Tenant, namespace api.NamespaceName) {
	h.notEmulated(w, r)
}

func (h *handlers) GetInheritedCredentials(w http.ResponseWriter, r *http.Request, tenant api.Tenant, namespace api.NamespaceName) {
	h.notEmulated(w, r)
}

func (h *handlers) DeleteNamespaceCredential(w http.ResponseWriter, r *http.Request, tenant api.Tenant, namespace api.NamespaceName, name api.CredentialName) {
	h.notEmulated(w, r)
}

func (h *handlers) GetNamespaceCredential(w http.ResponseWriter, r *http.Request, tenant api.Tenant, namespace api.NamespaceName, name api.CredentialName) {
	h.notEmulated(w, r)
}

func (h *handlers) UpdateNamespaceCredential(w http.ResponseWriter, r *http.Request, tenant api.Tenant, namespace api.NamespaceName, name api.CredentialName) {
	h.notEmulated(w, r)
}

func (h *handlers) TestNamespaceConnection(w http.ResponseWriter, r *http.Request, tenant api.Tenant, namespace api.NamespaceName, name api.CredentialName) {
	h.notEmulated(w, r)
}

func (h *handlers) ExportNamespaceFiles(w http.ResponseWriter, r *http.Request, tenant api.Tenant, namespace api.NamespaceName) {
	h.notEmulated(w, r)
}

func (h *handlers) GetFileRevisions(w http.ResponseWriter, r *http.Request, tenant api.Tenant, namespace api.NamespaceName, params api.GetFileRevisionsParams) {
	h.notEmulated(w, r)
}

func (h *handlers) GetInheritedSecrets(w http.ResponseWriter, r *http.Request, tenant api.Tenant, namespace api.NamespaceName) {
	h.notEmulated(w, r)
}

func (h *handlers) PutSecrets(w http.ResponseWriter, r *http.Request, tenant api.Tenant, namespace api.NamespaceName) {
	h.notEmulated(w, r)
}

func (h *handlers) DeleteSecret(w http.ResponseWriter, r *http.Request, tenant api.Tenant, namespace api.NamespaceName, key api.SecretKey) {
	h.notEmulated(w, r)
}

func (h *handlers) PatchSecret(w http.ResponseWriter, r *http.Request, tenant api.Tenant, namespace api.NamespaceName, key api.SecretKey) {
	h.notEmulated(w, r)
}

func (h *handlers) GetTaskRunOutputs(w http.ResponseWriter, r *http.Request, tenant api.Tenant, executionID api.ExecutionID, taskRunID api.TaskRunIDPath) {
	h.notEmulated(w, r)
}
