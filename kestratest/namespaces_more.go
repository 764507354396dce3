package kestratest

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"sort"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/routers"

	"github.com/kestra-go/kestra-go/api"
)

// Operations the document marks Enterprise Edition only
// (x-kestra-enterprise): an open source server has no route for them, so
// kestratest, an open source double, answers as it does, before reading
// the request: 404 (an unknown route, with X-Kestra-Edition: OSS), or 405
// where the path exists for another method. The handlers below are never
// reached; they keep the build's interface check.

// enterpriseOnly returns the answer of an open source server to an
// Enterprise-only route, or nil for any other route.
func enterpriseOnly(route *routers.Route, method string) *apiError {
	if route == nil || route.Operation == nil || route.Operation.Extensions["x-kestra-enterprise"] != true {
		return nil
	}
	for m, op := range route.PathItem.Operations() {
		if m != method && op.Extensions["x-kestra-enterprise"] != true {
			return &apiError{status: 405, message: "Method Not Allowed", slug: "method-not-allowed", detail: "Method " + method + " not allowed"}
		}
	}
	return errNotFound("Page Not Found")
}

func (h *handlers) enterpriseOnly(w http.ResponseWriter, r *http.Request) {
	h.s.writeError(w, r, errNotFound("Page Not Found"))
}

func (h *handlers) CreateNamespace(w http.ResponseWriter, r *http.Request, tenant api.Tenant) {
	h.enterpriseOnly(w, r)
}

func (h *handlers) DeleteNamespace(w http.ResponseWriter, r *http.Request, tenant api.Tenant, id api.NamespaceID) {
	h.enterpriseOnly(w, r)
}

func (h *handlers) UpdateNamespace(w http.ResponseWriter, r *http.Request, tenant api.Tenant, id api.NamespaceID) {
	h.enterpriseOnly(w, r)
}

func (h *handlers) InheritedVariables(w http.ResponseWriter, r *http.Request, tenant api.Tenant, id api.NamespaceID) {
	h.enterpriseOnly(w, r)
}

func (h *handlers) ListNamespaceCredentials(w http.ResponseWriter, r *http.Request, tenant api.Tenant, namespace api.NamespaceName, params api.ListNamespaceCredentialsParams) {
	h.enterpriseOnly(w, r)
}

func (h *handlers) CreateNamespaceCredential(w http.ResponseWriter, r *http.Request, tenant api.Tenant, namespace api.NamespaceName) {
	h.enterpriseOnly(w, r)
}

func (h *handlers) GetInheritedCredentials(w http.ResponseWriter, r *http.Request, tenant api.Tenant, namespace api.NamespaceName) {
	h.enterpriseOnly(w, r)
}

func (h *handlers) DeleteNamespaceCredential(w http.ResponseWriter, r *http.Request, tenant api.Tenant, namespace api.NamespaceName, name api.CredentialName) {
	h.enterpriseOnly(w, r)
}

func (h *handlers) GetNamespaceCredential(w http.ResponseWriter, r *http.Request, tenant api.Tenant, namespace api.NamespaceName, name api.CredentialName) {
	h.enterpriseOnly(w, r)
}

func (h *handlers) UpdateNamespaceCredential(w http.ResponseWriter, r *http.Request, tenant api.Tenant, namespace api.NamespaceName, name api.CredentialName) {
	h.enterpriseOnly(w, r)
}

func (h *handlers) TestNamespaceConnection(w http.ResponseWriter, r *http.Request, tenant api.Tenant, namespace api.NamespaceName, name api.CredentialName) {
	h.enterpriseOnly(w, r)
}

func (h *handlers) PutSecrets(w http.ResponseWriter, r *http.Request, tenant api.Tenant, namespace api.NamespaceName) {
	h.enterpriseOnly(w, r)
}

func (h *handlers) DeleteSecret(w http.ResponseWriter, r *http.Request, tenant api.Tenant, namespace api.NamespaceName, key api.SecretKey) {
	h.enterpriseOnly(w, r)
}

func (h *handlers) PatchSecret(w http.ResponseWriter, r *http.Request, tenant api.Tenant, namespace api.NamespaceName, key api.SecretKey) {
	h.enterpriseOnly(w, r)
}

func (h *handlers) GetInheritedSecrets(w http.ResponseWriter, r *http.Request, tenant api.Tenant, namespace api.NamespaceName) {
	// Open source secrets come from the server's environment (SECRET_*
	// variables); kestratest has none.
	if h.store(w, r, tenant) != nil {
		writeJSON(w, 200, map[string]any{})
	}
}

func (h *handlers) AutocompleteNamespaces(w http.ResponseWriter, r *http.Request, tenant api.Tenant) {
	ts := h.store(w, r, tenant)
	if ts == nil {
		return
	}
	var body struct {
		Q   string   `json:"q"`
		IDs []string `json:"ids"`
	}
	if aerr := decodeJSON(r, &body); aerr != nil {
		h.s.writeError(w, r, aerr)
		return
	}
	set := map[string]bool{}
	for _, ns := range h.namespaces(ts) {
		if strings.Contains(strings.ToLower(ns), strings.ToLower(body.Q)) {
			set[ns] = true
		}
	}
	for _, id := range body.IDs {
		set[id] = true
	}
	out := make([]string, 0, len(set))
	for ns := range set {
		out = append(out, ns)
	}
	sort.Strings(out)
	writeJSON(w, 200, out)
}

func (h *handlers) ExportNamespaceFiles(w http.ResponseWriter, r *http.Request, tenant api.Tenant, namespace api.NamespaceName) {
	var buf bytes.Buffer
	if !h.files(w, r, tenant, namespace, func(m map[string]*nsFile) *apiError {
		paths := make([]string, 0, len(m))
		for p, f := range m {
			if !f.dir {
				paths = append(paths, p)
			}
		}
		sort.Strings(paths)
		zw := zip.NewWriter(&buf)
		for _, p := range paths {
			fw, err := zw.Create(strings.TrimPrefix(p, "/"))
			if err == nil {
				_, _ = fw.Write(m[p].data)
			}
		}
		_ = zw.Close()
		return nil
	}) {
		return
	}
	w.Header().Set("Content-Type", "application/octet-stream")
	w.Header().Set("Content-Disposition", `attachment; filename="`+namespace+`_files.zip"`)
	w.Header().Set("Cache-Control", "no-cache")
	w.Header().Set("Content-Length", strconv.Itoa(buf.Len()))
	w.WriteHeader(200)
	_, _ = io.Copy(w, &buf)
}

func (h *handlers) GetFileRevisions(w http.ResponseWriter, r *http.Request, tenant api.Tenant, namespace api.NamespaceName, params api.GetFileRevisionsParams) {
	p, aerr := optGuardedPath(params.Path)
	if aerr != nil {
		h.s.writeError(w, r, aerr)
		return
	}
	revs := []map[string]any{}
	if h.files(w, r, tenant, namespace, func(m map[string]*nsFile) *apiError {
		f := m[p]
		if f == nil {
			return errNotFound("File not found: " + p)
		}
		for i := 1; i <= f.revision; i++ {
			revs = append(revs, map[string]any{"revision": i})
		}
		return nil
	}) {
		writeJSON(w, 200, revs)
	}
}

// Metrics: the task types kestratest runs emit none, so the metric names
// and aggregations of a flow are empty (for a flow that exists).

func (h *handlers) withFlow(w http.ResponseWriter, r *http.Request, tenant, namespace, flowID string) bool {
	ts := h.store(w, r, tenant)
	if ts == nil {
		return false
	}
	if ts.getFlow(namespace, flowID, 0, true) == nil {
		h.s.writeError(w, r, errNotFound("Requested Flow is not found."))
		return false
	}
	return true
}

func (h *handlers) noMetricNames(w http.ResponseWriter, r *http.Request, tenant, namespace, flowID string) {
	if h.withFlow(w, r, tenant, namespace, flowID) {
		writeJSON(w, 200, []string{})
	}
}

func (h *handlers) noAggregations(w http.ResponseWriter, r *http.Request, tenant, namespace, flowID, aggregation string) {
	if h.withFlow(w, r, tenant, namespace, flowID) {
		writeJSON(w, 200, map[string]any{"groupBy": "day", "aggregations": []any{}})
	}
}

func (h *handlers) AggregateMetricsFromFlow(w http.ResponseWriter, r *http.Request, tenant api.Tenant, namespace api.TriggerNamespace, flowID api.TriggerFlowID, metric api.MetricName, params api.AggregateMetricsFromFlowParams) {
	h.noAggregations(w, r, tenant, namespace, flowID, string(params.Aggregation))
}

func (h *handlers) AggregateMetricsFromTask(w http.ResponseWriter, r *http.Request, tenant api.Tenant, namespace api.TriggerNamespace, flowID api.TriggerFlowID, taskID api.TaskIDPath, metric api.MetricName, params api.AggregateMetricsFromTaskParams) {
	h.noAggregations(w, r, tenant, namespace, flowID, string(params.Aggregation))
}

func (h *handlers) ListFlowMetrics(w http.ResponseWriter, r *http.Request, tenant api.Tenant, namespace api.TriggerNamespace, flowID api.TriggerFlowID) {
	h.noMetricNames(w, r, tenant, namespace, flowID)
}

func (h *handlers) ListTaskMetrics(w http.ResponseWriter, r *http.Request, tenant api.Tenant, namespace api.TriggerNamespace, flowID api.TriggerFlowID, taskID api.TaskIDPath) {
	h.noMetricNames(w, r, tenant, namespace, flowID)
}

func (h *handlers) ListTasksWithMetrics(w http.ResponseWriter, r *http.Request, tenant api.Tenant, namespace api.TriggerNamespace, flowID api.TriggerFlowID) {
	h.noMetricNames(w, r, tenant, namespace, flowID)
}

func (h *handlers) GetTaskRunOutputs(w http.ResponseWriter, r *http.Request, tenant api.Tenant, executionID api.ExecutionID, taskRunID api.TaskRunIDPath) {
	ts, snap, _ := h.snapshot(w, r, tenant, executionID)
	if ts == nil {
		return
	}
	var e execution
	_ = json.Unmarshal(snap, &e)
	tr := e.taskRun(taskRunID)
	if tr == nil {
		h.s.writeError(w, r, errNotFound("No task run found with id "+taskRunID))
		return
	}
	out := tr.Outputs
	if out == nil {
		out = map[string]any{}
	}
	writeJSON(w, 200, out)
}
