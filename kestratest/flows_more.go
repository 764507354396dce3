package kestratest

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"path"
	"sort"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/kestra-go/kestra-go/api"
	"github.com/kestra-go/kestra-go/kestratest/internal/flowdef"
)

func (h *handlers) BulkUpdateFlows(w http.ResponseWriter, r *http.Request, tenant api.Tenant, params api.BulkUpdateFlowsParams) {
	ts, src := withBody(h, w, r, tenant, readYAMLBody)
	if ts == nil {
		return
	}
	flows, aerr := syncFlows(ts, src, params.Namespace, params.AllowNamespaceChild, params.Delete == nil || *params.Delete)
	if aerr != nil {
		h.s.writeError(w, r, aerr)
		return
	}
	out := []map[string]any{}
	for _, f := range flows {
		out = append(out, map[string]any{"tenantId": tenant, "namespace": f.Namespace, "id": f.ID, "revision": f.Revision, "deleted": false})
	}
	writeJSON(w, 200, out)
}

// matchFlows returns the live flows a request's filters match.
func (h *handlers) matchFlows(w http.ResponseWriter, r *http.Request, tenant string) (*tenantStore, []*flowDef) {
	ts, filters := h.search(w, r, tenant, api.FilterResourceFlow, flowLegacyParams)
	if ts == nil {
		return nil, nil
	}
	matched := []*flowDef{}
	for _, f := range ts.liveFlows() {
		ok, aerr := filters.matchFlow(f)
		if aerr != nil {
			h.s.writeError(w, r, aerr)
			return nil, nil
		}
		if ok {
			matched = append(matched, f)
		}
	}
	return ts, matched
}

// flowsByQuery applies fn to the flows the query matches and answers the
// count.
func (h *handlers) flowsByQuery(w http.ResponseWriter, r *http.Request, tenant string, fn func(ts *tenantStore, ns, id string) bool) {
	if aerr := h.refuseLegacyParams(r, flowLegacyParams); aerr != nil {
		h.s.writeError(w, r, aerr)
		return
	}
	ts, matched := h.matchFlows(w, r, tenant)
	if ts == nil {
		return
	}
	refs := make([]flowRef, 0, len(matched))
	for _, f := range matched {
		refs = append(refs, flowRef{f.Namespace, f.ID})
	}
	writeFlowCount(w, ts, refs, fn)
}

func (h *handlers) setDisabled(disabled bool) func(ts *tenantStore, ns, id string) bool {
	return func(ts *tenantStore, ns, id string) bool {
		return h.s.SetFlowDisabled(ts.name, ns, id, disabled) == nil
	}
}

func deleteFlow(ts *tenantStore, ns, id string) bool { return ts.deleteFlow(ns, id) }

func (h *handlers) DeleteFlowsByQuery(w http.ResponseWriter, r *http.Request, tenant api.Tenant, params api.DeleteFlowsByQueryParams) {
	h.flowsByQuery(w, r, tenant, deleteFlow)
}

func (h *handlers) DisableFlowsByQuery(w http.ResponseWriter, r *http.Request, tenant api.Tenant, params api.DisableFlowsByQueryParams) {
	h.flowsByQuery(w, r, tenant, h.setDisabled(true))
}

func (h *handlers) EnableFlowsByQuery(w http.ResponseWriter, r *http.Request, tenant api.Tenant, params api.EnableFlowsByQueryParams) {
	h.flowsByQuery(w, r, tenant, h.setDisabled(false))
}

func (h *handlers) ListDeprecated(w http.ResponseWriter, r *http.Request, tenant api.Tenant, params api.ListDeprecatedParams) {
	ts := h.store(w, r, tenant)
	if ts == nil {
		return
	}
	out := []map[string]any{}
	for _, f := range ts.liveFlows() {
		if params.Namespace != "" && f.Namespace != params.Namespace {
			continue
		}
		var deprecated []map[string]any
		for _, t := range f.Tasks {
			// The pre-0.17 io.kestra.core.tasks.* names are deprecated
			// aliases of the current types.
			if current, ok := taskAliases[t.Type]; ok {
				deprecated = append(deprecated, map[string]any{"taskId": t.ID, "taskType": t.Type, "replacement": current})
			}
		}
		if len(deprecated) > 0 {
			out = append(out, map[string]any{"namespace": f.Namespace, "flowId": f.ID, "revision": f.Revision, "deprecatedTasks": deprecated})
		}
	}
	writeJSON(w, 200, out)
}

func (h *handlers) ListDistinctNamespaces(w http.ResponseWriter, r *http.Request, tenant api.Tenant, params api.ListDistinctNamespacesParams) {
	ts := h.store(w, r, tenant)
	if ts == nil {
		return
	}
	writeJSON(w, 200, flowNamespaces(ts, params.Q))
}

// writeFlowsZip answers the sources of flows as a ZIP archive, one
// <namespace>.<id>.yml file each, as FlowController's exports.
func writeFlowsZip(w http.ResponseWriter, flows []*flowDef) {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range flows {
		fw, err := zw.Create(f.Namespace + "." + f.ID + ".yml")
		if err == nil {
			_, _ = io.WriteString(fw, f.Source)
		}
	}
	_ = zw.Close()
	w.Header().Set("Content-Type", "application/octet-stream")
	w.Header().Set("Content-Disposition", `attachment; filename="flows.zip"`)
	w.Header().Set("Content-Length", strconv.Itoa(buf.Len()))
	w.WriteHeader(200)
	_, _ = w.Write(buf.Bytes())
}

func (h *handlers) ExportFlowsByIds(w http.ResponseWriter, r *http.Request, tenant api.Tenant) {
	ts, refs := withBody(h, w, r, tenant, readFlowRefs)
	if ts == nil {
		return
	}
	var flows []*flowDef
	for _, ref := range refs {
		if f := ts.getFlow(ref.Namespace, ref.ID, 0, false); f != nil {
			flows = append(flows, f)
		}
	}
	writeFlowsZip(w, flows)
}

func (h *handlers) ExportFlowsByQuery(w http.ResponseWriter, r *http.Request, tenant api.Tenant, params api.ExportFlowsByQueryParams) {
	if ts, matched := h.matchFlows(w, r, tenant); ts != nil {
		writeFlowsZip(w, matched)
	}
}

func (h *handlers) ExportFlows(w http.ResponseWriter, r *http.Request, tenant api.Tenant, params api.ExportFlowsParams) {
	ts, matched := h.matchFlows(w, r, tenant)
	if ts == nil {
		return
	}
	rows := [][]string{{"id", "namespace", "revision", "description", "disabled", "labels"}}
	for _, f := range matched {
		labels := make([]string, 0, len(f.Labels))
		for _, l := range f.Labels {
			labels = append(labels, l.Key+":"+l.Value)
		}
		rows = append(rows, []string{f.ID, f.Namespace, strconv.Itoa(f.Revision), f.Description, strconv.FormatBool(f.Disabled), strings.Join(labels, ",")})
	}
	writeCSV(w, "flows.csv", rows)
}

// readFlowSource reads and parses a flow YAML body.
func readFlowSource(r *http.Request) (*flowDef, *apiError) { return readFlow(r) }

func (h *handlers) Expressions(w http.ResponseWriter, r *http.Request, tenant api.Tenant, params api.ExpressionsParams) {
	ts, f := withBody(h, w, r, tenant, readFlowSource)
	if ts == nil {
		return
	}
	// What an expression of task params.TaskID (all tasks when empty) can
	// read: inputs, the outputs of the tasks before it, flow variables,
	// and the flow, execution and labels objects.
	var inputs, outputs, vars []string
	for _, in := range f.Inputs {
		inputs = append(inputs, "{{ inputs."+in.ID+" }}")
	}
	for _, t := range f.Tasks {
		if t.ID == params.TaskID {
			break
		}
		outputs = append(outputs, "{{ outputs."+t.ID+" }}")
	}
	if m, ok := f.Raw["variables"].(map[string]any); ok {
		for k := range m {
			vars = append(vars, "{{ vars."+k+" }}")
		}
		sort.Strings(vars)
	}
	writeJSON(w, 200, map[string]any{"categories": map[string]any{
		"inputs": nonNil(inputs), "outputs": nonNil(outputs), "vars": nonNil(vars),
		"flow":      []string{"{{ flow.id }}", "{{ flow.namespace }}", "{{ flow.revision }}", "{{ flow.tenantId }}"},
		"execution": []string{"{{ execution.id }}", "{{ execution.startDate }}", "{{ execution.originalId }}", "{{ execution.state }}"},
		"labels":    []string{"{{ labels }}"},
	}})
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func (h *handlers) GenerateFlowGraphFromSource(w http.ResponseWriter, r *http.Request, tenant api.Tenant, params api.GenerateFlowGraphFromSourceParams) {
	if ts, f := withBody(h, w, r, tenant, readFlowSource); ts != nil {
		writeJSON(w, 200, flowGraph(f))
	}
}

func (h *handlers) GenerateFlowGraph(w http.ResponseWriter, r *http.Request, tenant api.Tenant, namespace api.NamespaceName, id api.FlowID, params api.GenerateFlowGraphParams) {
	ts, f := h.flow(w, r, tenant, namespace, id, params.Revision, false)
	if ts == nil {
		return
	}
	writeJSON(w, 200, flowGraph(f))
}

func (h *handlers) ImportFlows(w http.ResponseWriter, r *http.Request, tenant api.Tenant, params api.ImportFlowsParams) {
	ts := h.store(w, r, tenant)
	if ts == nil {
		return
	}
	file, hdr, err := r.FormFile("fileUpload")
	if err != nil {
		h.s.writeError(w, r, bodyError(fmt.Errorf("a file part named fileUpload is required: %w", err)))
		return
	}
	defer func() { _ = file.Close() }()
	b, err := io.ReadAll(file)
	if err != nil {
		h.s.writeError(w, r, bodyError(err))
		return
	}
	// A ZIP archive of YAML files, or one YAML file of flows separated by ---.
	var docs []string
	if strings.HasSuffix(strings.ToLower(hdr.Filename), ".zip") {
		zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
		if err != nil {
			h.s.writeError(w, r, errIllegalArgument("Invalid ZIP archive: "+err.Error()))
			return
		}
		for _, zf := range zr.File {
			ext := strings.ToLower(path.Ext(zf.Name))
			if zf.FileInfo().IsDir() || (ext != ".yml" && ext != ".yaml") {
				continue
			}
			rc, err := zf.Open()
			if err != nil {
				continue
			}
			content, err := io.ReadAll(io.LimitReader(rc, h.s.cfg.maxRequestSize))
			_ = rc.Close()
			if err == nil {
				docs = append(docs, flowdef.SplitDocuments(string(content))...)
			}
		}
	} else {
		docs = flowdef.SplitDocuments(string(b))
	}
	invalid := []string{}
	for _, doc := range docs {
		f, err := parseFlow(doc)
		if err != nil {
			if params.FailOnError {
				h.s.writeError(w, r, flowParseError(err))
				return
			}
			invalid = append(invalid, flowConstraints(err))
			continue
		}
		ts.putFlow(f)
	}
	writeJSON(w, 200, invalid)
}

func (h *handlers) PreviewPolicies(w http.ResponseWriter, r *http.Request, tenant api.Tenant) {
	h.enterpriseOnly(w, r)
}

func (h *handlers) SearchFlowsBySourceCode(w http.ResponseWriter, r *http.Request, tenant api.Tenant, params api.SearchFlowsBySourceCodeParams) {
	ts := h.store(w, r, tenant)
	if ts == nil {
		return
	}
	out := []map[string]any{}
	for _, f := range ts.liveFlows() {
		if params.Namespace != "" && f.Namespace != params.Namespace && !strings.HasPrefix(f.Namespace, params.Namespace+".") {
			continue
		}
		var fragments []string
		for _, line := range strings.Split(f.Source, "\n") {
			if params.Q != "" && strings.Contains(strings.ToLower(line), strings.ToLower(params.Q)) {
				fragments = append(fragments, line)
			}
		}
		if len(fragments) > 0 || params.Q == "" {
			out = append(out, map[string]any{"model": f.toJSON(tenant, false), "fragments": nonNil(fragments)})
		}
	}
	writePage(w, out, params.Page, params.Size)
}

// validatePlugin answers the FlowValidation of one task or trigger
// definition: an id and a type are required; a type kestratest does not
// run is a warning.
func (h *handlers) validatePlugin(w http.ResponseWriter, r *http.Request, tenant, kind string, known func(string) bool) {
	ts := h.store(w, r, tenant)
	if ts == nil {
		return
	}
	b, aerr := readBody(r)
	if aerr != nil {
		h.s.writeError(w, r, aerr)
		return
	}
	var def map[string]any
	var err error
	if strings.Contains(r.Header.Get("Content-Type"), "yaml") {
		err = yaml.Unmarshal(b, &def)
	} else {
		err = json.Unmarshal(b, &def)
	}
	v := map[string]any{"index": 0}
	id, _ := def["id"].(string)
	typ, _ := def["type"].(string)
	switch {
	case err != nil:
		v["constraints"] = err.Error()
	case id == "":
		v["constraints"] = "id: must not be null"
	case typ == "":
		v["constraints"] = "type: must not be null"
	case !known(typ):
		v["warnings"] = []string{fmt.Sprintf("%s %q: type %s is not emulated by kestratest", kind, id, typ)}
	}
	writeJSON(w, 200, v)
}

func (h *handlers) ValidateTask(w http.ResponseWriter, r *http.Request, tenant api.Tenant, params api.ValidateTaskParams) {
	h.validatePlugin(w, r, tenant, "task", isSupportedTask)
}

func (h *handlers) ValidateTrigger(w http.ResponseWriter, r *http.Request, tenant api.Tenant) {
	h.validatePlugin(w, r, tenant, "trigger", func(t string) bool { return t == webhookTrigger || t == scheduleTrigger })
}

const subflowTask = "io.kestra.plugin.core.flow.Subflow"

// flowTopology is the FlowTopologyGraph of flows: nodes, and an edge from
// each flow to the flows its Subflow tasks start.
func flowTopology(tenant string, flows []*flowDef, all []*flowDef) map[string]any {
	uid := func(ns, id string) string { return tenant + "_" + ns + "_" + id }
	nodes := map[string]map[string]any{}
	var edges []map[string]any
	addNode := func(ns, id string) {
		nodes[uid(ns, id)] = map[string]any{"uid": uid(ns, id), "namespace": ns, "id": id}
	}
	for _, f := range flows {
		addNode(f.Namespace, f.ID)
	}
	for _, f := range all {
		for _, t := range f.Tasks {
			if t.Type != subflowTask && t.Type != "io.kestra.core.tasks.flows.Subflow" {
				continue
			}
			ns, _ := t.Props["namespace"].(string)
			id, _ := t.Props["flowId"].(string)
			_, fromIn := nodes[uid(f.Namespace, f.ID)]
			_, toIn := nodes[uid(ns, id)]
			if !fromIn && !toIn {
				continue
			}
			addNode(f.Namespace, f.ID)
			addNode(ns, id)
			edges = append(edges, map[string]any{"source": uid(f.Namespace, f.ID), "target": uid(ns, id), "relation": "FLOW_TASK"})
		}
	}
	list := make([]map[string]any, 0, len(nodes))
	for _, n := range nodes {
		list = append(list, n)
	}
	sort.Slice(list, func(i, j int) bool { return list[i]["uid"].(string) < list[j]["uid"].(string) })
	if edges == nil {
		edges = []map[string]any{}
	}
	return map[string]any{"nodes": list, "edges": edges}
}

func (h *handlers) GetFlowDependencies(w http.ResponseWriter, r *http.Request, tenant api.Tenant, namespace api.NamespaceName, id api.FlowID, params api.GetFlowDependenciesParams) {
	ts, f := h.flow(w, r, tenant, namespace, id, 0, false)
	if ts == nil {
		return
	}
	writeJSON(w, 200, flowTopology(tenant, []*flowDef{f}, ts.liveFlows()))
}

func (h *handlers) GetFlowDependenciesFromNamespace(w http.ResponseWriter, r *http.Request, tenant api.Tenant, namespace api.NamespaceName, params api.GetFlowDependenciesFromNamespaceParams) {
	ts := h.store(w, r, tenant)
	if ts == nil {
		return
	}
	var in []*flowDef
	all := ts.liveFlows()
	for _, f := range all {
		if f.Namespace == namespace {
			in = append(in, f)
		}
	}
	writeJSON(w, 200, flowTopology(tenant, in, all))
}

func (h *handlers) DeleteRevisions(w http.ResponseWriter, r *http.Request, tenant api.Tenant, namespace api.NamespaceName, id api.FlowID, params api.DeleteRevisionsParams) {
	ts := h.store(w, r, tenant)
	if ts == nil {
		return
	}
	drop := map[int]bool{}
	for _, rev := range params.Revisions {
		drop[rev] = true
	}
	ts.mu.Lock()
	k := flowKey(namespace, id)
	revs := ts.flows[k]
	var aerr *apiError
	switch {
	case len(revs) == 0:
		aerr = errNotFound("Requested Flow is not found.")
	case drop[revs[len(revs)-1].Revision]:
		aerr = errIllegalArgument("The last revision of a flow cannot be deleted")
	default:
		kept := revs[:0:0]
		for _, f := range revs {
			if !drop[f.Revision] {
				kept = append(kept, f)
			}
		}
		ts.flows[k] = kept
	}
	ts.mu.Unlock()
	if aerr != nil {
		h.s.writeError(w, r, aerr)
		return
	}
	w.WriteHeader(200)
}

func (h *handlers) GetTaskFromFlow(w http.ResponseWriter, r *http.Request, tenant api.Tenant, namespace api.NamespaceName, id api.FlowID, taskID string, params api.GetTaskFromFlowParams) {
	ts, f := h.flow(w, r, tenant, namespace, id, params.Revision, false)
	if ts == nil {
		return
	}
	for _, t := range f.Tasks {
		if t.ID == taskID {
			writeJSON(w, 200, t.Raw)
			return
		}
	}
	h.s.writeError(w, r, errNotFound("Unable to find task '"+taskID+"'"))
}
