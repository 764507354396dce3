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

// Operations added to the document in issue 9 (coverage): 501 until
// kestratest emulates them.

func (h *handlers) DeleteExecutionsByQuery(w http.ResponseWriter, r *http.Request, tenant api.Tenant, params api.DeleteExecutionsByQueryParams) {
	h.notEmulated(w, r)
}

func (h *handlers) UpdateExecutionsStatusByIds(w http.ResponseWriter, r *http.Request, tenant api.Tenant, params api.UpdateExecutionsStatusByIdsParams) {
	h.notEmulated(w, r)
}

func (h *handlers) UpdateExecutionsStatusByQuery(w http.ResponseWriter, r *http.Request, tenant api.Tenant, params api.UpdateExecutionsStatusByQueryParams) {
	h.notEmulated(w, r)
}

func (h *handlers) FindDistinctFieldValues(w http.ResponseWriter, r *http.Request, tenant api.Tenant, params api.FindDistinctFieldValuesParams) {
	h.notEmulated(w, r)
}

func (h *handlers) ExportExecutions(w http.ResponseWriter, r *http.Request, tenant api.Tenant, params api.ExportExecutionsParams) {
	h.notEmulated(w, r)
}

func (h *handlers) GetFlowFromExecution(w http.ResponseWriter, r *http.Request, tenant api.Tenant, namespace api.TriggerNamespace, flowID api.TriggerFlowID, params api.GetFlowFromExecutionParams) {
	h.notEmulated(w, r)
}

func (h *handlers) ForceRunByIds(w http.ResponseWriter, r *http.Request, tenant api.Tenant) {
	h.notEmulated(w, r)
}

func (h *handlers) ForceRunExecutionsByQuery(w http.ResponseWriter, r *http.Request, tenant api.Tenant, params api.ForceRunExecutionsByQueryParams) {
	h.notEmulated(w, r)
}

func (h *handlers) KillExecutionsByQuery(w http.ResponseWriter, r *http.Request, tenant api.Tenant, params api.KillExecutionsByQueryParams) {
	h.notEmulated(w, r)
}

func (h *handlers) SetLabelsOnTerminatedExecutionsByIds(w http.ResponseWriter, r *http.Request, tenant api.Tenant) {
	h.notEmulated(w, r)
}

func (h *handlers) SetLabelsOnTerminatedExecutionsByQuery(w http.ResponseWriter, r *http.Request, tenant api.Tenant, params api.SetLabelsOnTerminatedExecutionsByQueryParams) {
	h.notEmulated(w, r)
}

func (h *handlers) ListExecutableDistinctNamespaces(w http.ResponseWriter, r *http.Request, tenant api.Tenant) {
	h.notEmulated(w, r)
}

func (h *handlers) ListFlowExecutionsByNamespace(w http.ResponseWriter, r *http.Request, tenant api.Tenant, namespace api.NamespaceName) {
	h.notEmulated(w, r)
}

func (h *handlers) PauseExecutionsByIds(w http.ResponseWriter, r *http.Request, tenant api.Tenant) {
	h.notEmulated(w, r)
}

func (h *handlers) PauseExecutionsByQuery(w http.ResponseWriter, r *http.Request, tenant api.Tenant, params api.PauseExecutionsByQueryParams) {
	h.notEmulated(w, r)
}

func (h *handlers) ReplayExecutionsByQuery(w http.ResponseWriter, r *http.Request, tenant api.Tenant, params api.ReplayExecutionsByQueryParams) {
	h.notEmulated(w, r)
}

func (h *handlers) RestartExecutionsByQuery(w http.ResponseWriter, r *http.Request, tenant api.Tenant, params api.RestartExecutionsByQueryParams) {
	h.notEmulated(w, r)
}

func (h *handlers) ResumeExecutionsByQuery(w http.ResponseWriter, r *http.Request, tenant api.Tenant, params api.ResumeExecutionsByQueryParams) {
	h.notEmulated(w, r)
}

func (h *handlers) UnqueueExecutionsByIds(w http.ResponseWriter, r *http.Request, tenant api.Tenant, params api.UnqueueExecutionsByIdsParams) {
	h.notEmulated(w, r)
}

func (h *handlers) UnqueueExecutionsByQuery(w http.ResponseWriter, r *http.Request, tenant api.Tenant, params api.UnqueueExecutionsByQueryParams) {
	h.notEmulated(w, r)
}

func (h *handlers) TriggerExecutionByPutWebhook(w http.ResponseWriter, r *http.Request, tenant api.Tenant, namespace api.NamespaceName, id api.FlowID, key api.WebhookKey) {
	h.notEmulated(w, r)
}

func (h *handlers) TriggerExecutionByGetWebhookWithPath(w http.ResponseWriter, r *http.Request, tenant api.Tenant, namespace api.NamespaceName, id api.FlowID, key api.WebhookKey, path api.WebhookPath) {
	h.notEmulated(w, r)
}

func (h *handlers) TriggerExecutionByPostWebhookWithPath(w http.ResponseWriter, r *http.Request, tenant api.Tenant, namespace api.NamespaceName, id api.FlowID, key api.WebhookKey, path api.WebhookPath) {
	h.notEmulated(w, r)
}

func (h *handlers) TriggerExecutionByPutWebhookWithPath(w http.ResponseWriter, r *http.Request, tenant api.Tenant, namespace api.NamespaceName, id api.FlowID, key api.WebhookKey, path api.WebhookPath) {
	h.notEmulated(w, r)
}

func (h *handlers) EvalTaskRunExpression(w http.ResponseWriter, r *http.Request, tenant api.Tenant, executionID api.ExecutionID, taskRunID api.TaskRunIDPath) {
	h.notEmulated(w, r)
}

func (h *handlers) ForceRunExecution(w http.ResponseWriter, r *http.Request, tenant api.Tenant, executionID api.ExecutionID) {
	h.notEmulated(w, r)
}

func (h *handlers) ResumeExecutionFromBreakpoint(w http.ResponseWriter, r *http.Request, tenant api.Tenant, executionID api.ExecutionID, params api.ResumeExecutionFromBreakpointParams) {
	h.notEmulated(w, r)
}

func (h *handlers) ValidateResumeExecutionInputs(w http.ResponseWriter, r *http.Request, tenant api.Tenant, executionID api.ExecutionID) {
	h.notEmulated(w, r)
}

func (h *handlers) UpdateTaskRunState(w http.ResponseWriter, r *http.Request, tenant api.Tenant, executionID api.ExecutionID) {
	h.notEmulated(w, r)
}

func (h *handlers) UnqueueExecution(w http.ResponseWriter, r *http.Request, tenant api.Tenant, executionID api.ExecutionID, params api.UnqueueExecutionParams) {
	h.notEmulated(w, r)
}

func (h *handlers) PreviewFileFromExecution(w http.ResponseWriter, r *http.Request, tenant api.Tenant, executionID api.ExecutionID, params api.PreviewFileFromExecutionParams) {
	h.notEmulated(w, r)
}

func (h *handlers) FollowDependenciesExecutions(w http.ResponseWriter, r *http.Request, tenant api.Tenant, executionID api.ExecutionID, params api.FollowDependenciesExecutionsParams) {
	h.notEmulated(w, r)
}

func (h *handlers) GetExecutionFlowGraph(w http.ResponseWriter, r *http.Request, tenant api.Tenant, executionID api.ExecutionID, params api.GetExecutionFlowGraphParams) {
	h.notEmulated(w, r)
}

func (h *handlers) SearchConcurrencyLimits(w http.ResponseWriter, r *http.Request, tenant api.Tenant) {
	h.notEmulated(w, r)
}

func (h *handlers) UpdateConcurrencyLimit(w http.ResponseWriter, r *http.Request, tenant api.Tenant, namespace api.TriggerNamespace, flowID api.TriggerFlowID) {
	h.notEmulated(w, r)
}

func (h *handlers) BulkUpdateFlows(w http.ResponseWriter, r *http.Request, tenant api.Tenant, params api.BulkUpdateFlowsParams) {
	h.notEmulated(w, r)
}

func (h *handlers) DeleteFlowsByQuery(w http.ResponseWriter, r *http.Request, tenant api.Tenant, params api.DeleteFlowsByQueryParams) {
	h.notEmulated(w, r)
}

func (h *handlers) ListDeprecated(w http.ResponseWriter, r *http.Request, tenant api.Tenant, params api.ListDeprecatedParams) {
	h.notEmulated(w, r)
}

func (h *handlers) DisableFlowsByQuery(w http.ResponseWriter, r *http.Request, tenant api.Tenant, params api.DisableFlowsByQueryParams) {
	h.notEmulated(w, r)
}

func (h *handlers) ListDistinctNamespaces(w http.ResponseWriter, r *http.Request, tenant api.Tenant, params api.ListDistinctNamespacesParams) {
	h.notEmulated(w, r)
}

func (h *handlers) EnableFlowsByQuery(w http.ResponseWriter, r *http.Request, tenant api.Tenant, params api.EnableFlowsByQueryParams) {
	h.notEmulated(w, r)
}

func (h *handlers) ExportFlowsByIds(w http.ResponseWriter, r *http.Request, tenant api.Tenant) {
	h.notEmulated(w, r)
}

func (h *handlers) ExportFlowsByQuery(w http.ResponseWriter, r *http.Request, tenant api.Tenant, params api.ExportFlowsByQueryParams) {
	h.notEmulated(w, r)
}

func (h *handlers) ExportFlows(w http.ResponseWriter, r *http.Request, tenant api.Tenant, params api.ExportFlowsParams) {
	h.notEmulated(w, r)
}

func (h *handlers) Expressions(w http.ResponseWriter, r *http.Request, tenant api.Tenant, params api.ExpressionsParams) {
	h.notEmulated(w, r)
}

func (h *handlers) GenerateFlowGraphFromSource(w http.ResponseWriter, r *http.Request, tenant api.Tenant, params api.GenerateFlowGraphFromSourceParams) {
	h.notEmulated(w, r)
}

func (h *handlers) ImportFlows(w http.ResponseWriter, r *http.Request, tenant api.Tenant, params api.ImportFlowsParams) {
	h.notEmulated(w, r)
}

func (h *handlers) PreviewPolicies(w http.ResponseWriter, r *http.Request, tenant api.Tenant) {
	h.notEmulated(w, r)
}

func (h *handlers) SearchFlowsBySourceCode(w http.ResponseWriter, r *http.Request, tenant api.Tenant, params api.SearchFlowsBySourceCodeParams) {
	h.notEmulated(w, r)
}

func (h *handlers) ValidateTask(w http.ResponseWriter, r *http.Request, tenant api.Tenant, params api.ValidateTaskParams) {
	h.notEmulated(w, r)
}

func (h *handlers) ValidateTrigger(w http.ResponseWriter, r *http.Request, tenant api.Tenant) {
	h.notEmulated(w, r)
}

func (h *handlers) GetFlowDependencies(w http.ResponseWriter, r *http.Request, tenant api.Tenant, namespace api.NamespaceName, id api.FlowID, params api.GetFlowDependenciesParams) {
	h.notEmulated(w, r)
}

func (h *handlers) GenerateFlowGraph(w http.ResponseWriter, r *http.Request, tenant api.Tenant, namespace api.NamespaceName, id api.FlowID, params api.GenerateFlowGraphParams) {
	h.notEmulated(w, r)
}

func (h *handlers) DeleteRevisions(w http.ResponseWriter, r *http.Request, tenant api.Tenant, namespace api.NamespaceName, id api.FlowID, params api.DeleteRevisionsParams) {
	h.notEmulated(w, r)
}

func (h *handlers) GetTaskFromFlow(w http.ResponseWriter, r *http.Request, tenant api.Tenant, namespace api.NamespaceName, id api.FlowID, taskID string, params api.GetTaskFromFlowParams) {
	h.notEmulated(w, r)
}

func (h *handlers) GetFlowDependenciesFromNamespace(w http.ResponseWriter, r *http.Request, tenant api.Tenant, namespace api.NamespaceName, params api.GetFlowDependenciesFromNamespaceParams) {
	h.notEmulated(w, r)
}

func (h *handlers) CreateBackfill(w http.ResponseWriter, r *http.Request, tenant api.Tenant) {
	h.notEmulated(w, r)
}

func (h *handlers) DeleteBackfill(w http.ResponseWriter, r *http.Request, tenant api.Tenant) {
	h.notEmulated(w, r)
}

func (h *handlers) DeleteBackfillByQuery(w http.ResponseWriter, r *http.Request, tenant api.Tenant, params api.DeleteBackfillByQueryParams) {
	h.notEmulated(w, r)
}

func (h *handlers) DeleteBackfillByIds(w http.ResponseWriter, r *http.Request, tenant api.Tenant) {
	h.notEmulated(w, r)
}

func (h *handlers) PauseBackfill(w http.ResponseWriter, r *http.Request, tenant api.Tenant) {
	h.notEmulated(w, r)
}

func (h *handlers) PauseBackfillByQuery(w http.ResponseWriter, r *http.Request, tenant api.Tenant, params api.PauseBackfillByQueryParams) {
	h.notEmulated(w, r)
}

func (h *handlers) PauseBackfillByIds(w http.ResponseWriter, r *http.Request, tenant api.Tenant) {
	h.notEmulated(w, r)
}

func (h *handlers) UnpauseBackfill(w http.ResponseWriter, r *http.Request, tenant api.Tenant) {
	h.notEmulated(w, r)
}

func (h *handlers) UnpauseBackfillByQuery(w http.ResponseWriter, r *http.Request, tenant api.Tenant, params api.UnpauseBackfillByQueryParams) {
	h.notEmulated(w, r)
}

func (h *handlers) UnpauseBackfillByIds(w http.ResponseWriter, r *http.Request, tenant api.Tenant) {
	h.notEmulated(w, r)
}

func (h *handlers) DeleteTriggersByQuery(w http.ResponseWriter, r *http.Request, tenant api.Tenant) {
	h.notEmulated(w, r)
}

func (h *handlers) DeleteTriggersByIds(w http.ResponseWriter, r *http.Request, tenant api.Tenant) {
	h.notEmulated(w, r)
}

func (h *handlers) ExportTriggers(w http.ResponseWriter, r *http.Request, tenant api.Tenant, params api.ExportTriggersParams) {
	h.notEmulated(w, r)
}

func (h *handlers) DisabledTriggersByQuery(w http.ResponseWriter, r *http.Request, tenant api.Tenant, params api.DisabledTriggersByQueryParams) {
	h.notEmulated(w, r)
}

func (h *handlers) DisabledTriggersByIds(w http.ResponseWriter, r *http.Request, tenant api.Tenant) {
	h.notEmulated(w, r)
}

func (h *handlers) UnlockTriggersByQuery(w http.ResponseWriter, r *http.Request, tenant api.Tenant, params api.UnlockTriggersByQueryParams) {
	h.notEmulated(w, r)
}

func (h *handlers) UnlockTriggersByIds(w http.ResponseWriter, r *http.Request, tenant api.Tenant) {
	h.notEmulated(w, r)
}

func (h *handlers) DeleteTrigger(w http.ResponseWriter, r *http.Request, tenant api.Tenant, namespace api.TriggerNamespace, flowID api.TriggerFlowID, triggerID api.TriggerID) {
	h.notEmulated(w, r)
}

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
