package kestratest

import (
	"fmt"
	"net/http"
	"sort"
	"strings"

	"github.com/kestra-go/kestra-go/api"
	"github.com/kestra-go/kestra-go/kestratest/internal/flowdef"
)

func readYAMLBody(r *http.Request) (string, *apiError) {
	b, aerr := readBody(r)
	if aerr != nil {
		return "", aerr
	}
	return string(b), nil
}

// readFlow reads and parses a flow YAML body (422 when it is not a flow).
func readFlow(r *http.Request) (*flowDef, *apiError) {
	src, aerr := readYAMLBody(r)
	if aerr != nil {
		return nil, aerr
	}
	f, err := parseFlow(src)
	if err != nil {
		return nil, flowParseError(err)
	}
	return f, nil
}

func flowParseError(err error) *apiError {
	msg := flowConstraints(err)
	return &apiError{status: 422, message: "Invalid entity: " + msg, slug: "invalid-entity", detail: msg,
		errors: []problemError{{Detail: msg, Path: "flow"}}}
}

func (h *handlers) CreateFlow(w http.ResponseWriter, r *http.Request, tenant api.Tenant, params api.CreateFlowParams) {
	ts, f := withBody(h, w, r, tenant, readFlow)
	if ts == nil {
		return
	}
	if ts.getFlow(f.Namespace, f.ID, 0, false) != nil {
		msg := fmt.Sprintf("Flow id '%s' already exists in namespace '%s'", f.ID, f.Namespace)
		if h.s.cfg.problemDetails {
			h.s.writeError(w, r, &apiError{status: 409, slug: "entity-already-exists", detail: msg})
		} else {
			h.s.writeError(w, r, &apiError{status: 422, message: "Invalid entity: flow.id: " + msg, slug: "invalid-entity", detail: msg})
		}
		return
	}
	f.Draft = bool(params.Draft)
	f = ts.putFlow(f)
	writeJSON(w, 200, f.toJSON(tenant, true))
}

func (h *handlers) UpdateFlow(w http.ResponseWriter, r *http.Request, tenant api.Tenant, namespace api.NamespaceName, id api.FlowID, params api.UpdateFlowParams) {
	ts := h.store(w, r, tenant)
	if ts == nil {
		return
	}
	if ts.getFlow(namespace, id, 0, false) == nil {
		h.s.writeError(w, r, errNotFound("Requested Flow is not found."))
		return
	}
	f, aerr := readFlow(r)
	if aerr != nil {
		h.s.writeError(w, r, aerr)
		return
	}
	if f.ID != id || f.Namespace != namespace {
		h.s.writeError(w, r, &apiError{status: 422, message: "Illegal argument: Flow id and namespace can't be changed (path " + namespace + "." + id + ", source " + f.Namespace + "." + f.ID + ")",
			slug: "invalid-argument", detail: "Flow id and namespace can't be changed"})
		return
	}
	f.Draft = bool(params.Draft)
	f = ts.putFlow(f)
	writeJSON(w, 200, f.toJSON(tenant, true))
}

func (h *handlers) GetFlow(w http.ResponseWriter, r *http.Request, tenant api.Tenant, namespace api.NamespaceName, id api.FlowID, params api.GetFlowParams) {
	ts := h.store(w, r, tenant)
	if ts == nil {
		return
	}
	rev := revision(params.Revision)
	f := ts.getFlow(namespace, id, rev, params.AllowDeleted)
	if f == nil {
		h.s.writeError(w, r, errNotFound("Requested Flow is not found."))
		return
	}
	writeJSON(w, 200, f.toJSON(tenant, params.Source))
}

func (h *handlers) DeleteFlow(w http.ResponseWriter, r *http.Request, tenant api.Tenant, namespace api.NamespaceName, id api.FlowID) {
	ts := h.store(w, r, tenant)
	if ts == nil {
		return
	}
	if !ts.deleteFlow(namespace, id) {
		h.s.writeError(w, r, errNotFound("Requested Flow is not found."))
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (h *handlers) ListFlowsByNamespace(w http.ResponseWriter, r *http.Request, tenant api.Tenant, namespace api.NamespaceName) {
	ts := h.store(w, r, tenant)
	if ts == nil {
		return
	}
	out := []map[string]any{}
	for _, f := range ts.liveFlows() {
		if f.Namespace == namespace {
			out = append(out, f.toJSON(tenant, false))
		}
	}
	writeJSON(w, 200, out)
}

func (h *handlers) SearchFlows(w http.ResponseWriter, r *http.Request, tenant api.Tenant, params api.SearchFlowsParams) {
	ts, filters := h.search(w, r, tenant, api.FilterResourceFlow, flowLegacyParams)
	if ts == nil {
		return
	}
	var matched []*flowDef
	for _, f := range ts.liveFlows() {
		ok, aerr := filters.matchFlow(f)
		if aerr != nil {
			h.s.writeError(w, r, aerr)
			return
		}
		if ok {
			matched = append(matched, f)
		}
	}
	for _, s := range params.Sort {
		field, dir, ok := strings.Cut(s, ":")
		if !ok || strings.Contains(dir, ":") {
			h.s.writeError(w, r, errUnprocessable("Invalid sort parameter")) // PageableUtils.sort
			return
		}
		desc := dir != "asc"
		sort.SliceStable(matched, func(i, j int) bool {
			a, b := matched[i].ID, matched[j].ID
			if field == "namespace" {
				a, b = matched[i].Namespace, matched[j].Namespace
			}
			if desc {
				return a > b
			}
			return a < b
		})
	}
	page := paginate(len(matched), params.Page, params.Size)
	results := make([]map[string]any, 0, page.to-page.from)
	for _, f := range matched[page.from:page.to] {
		results = append(results, f.toJSON(tenant, false))
	}
	writeJSON(w, 200, map[string]any{"results": results, "total": len(matched)})
}

func (h *handlers) ListFlowRevisions(w http.ResponseWriter, r *http.Request, tenant api.Tenant, namespace api.NamespaceName, id api.FlowID, params api.ListFlowRevisionsParams) {
	ts := h.store(w, r, tenant)
	if ts == nil {
		return
	}
	ts.mu.Lock()
	revs := append([]*flowDef(nil), ts.flows[flowKey(namespace, id)]...)
	ts.mu.Unlock()
	allowDeleted := params.AllowDelete
	if len(revs) == 0 || (revs[len(revs)-1].Deleted && !allowDeleted) {
		h.s.writeError(w, r, errNotFound("Requested Flow is not found."))
		return
	}
	out := []map[string]any{}
	for _, f := range revs {
		if f.Deleted && !allowDeleted {
			continue
		}
		out = append(out, f.toJSON(tenant, true))
	}
	writeJSON(w, 200, out)
}

func (h *handlers) ValidateFlows(w http.ResponseWriter, r *http.Request, tenant api.Tenant) {
	ts, src := withBody(h, w, r, tenant, readYAMLBody)
	if ts == nil {
		return
	}
	out := []map[string]any{}
	for i, doc := range flowdef.SplitDocuments(src) {
		v := map[string]any{"index": i}
		f, err := parseFlow(doc)
		if err != nil {
			v["constraints"] = flowConstraints(err)
		} else {
			v["flow"], v["namespace"] = f.ID, f.Namespace
			var unknown []string
			for _, t := range f.Tasks {
				if !isSupportedTask(t.Type) {
					unknown = append(unknown, fmt.Sprintf("task %q: type %s is not emulated by kestratest", t.ID, t.Type))
				}
			}
			if len(unknown) > 0 {
				v["warnings"] = unknown
			}
		}
		out = append(out, v)
	}
	writeJSON(w, 200, out)
}

func isSupportedTask(t string) bool {
	if a, ok := taskAliases[t]; ok {
		t = a
	}
	for _, s := range supportedTaskTypes {
		if s == t {
			return true
		}
	}
	return false
}

func (h *handlers) UpdateFlowsInNamespace(w http.ResponseWriter, r *http.Request, tenant api.Tenant, namespace api.NamespaceName, params api.UpdateFlowsInNamespaceParams) {
	ts, src := withBody(h, w, r, tenant, readYAMLBody)
	if ts == nil {
		return
	}
	flows, aerr := syncFlows(ts, src, namespace, false, params.Delete == nil || *params.Delete)
	if aerr != nil {
		h.s.writeError(w, r, aerr)
		return
	}
	out := []map[string]any{}
	for _, f := range flows {
		out = append(out, f.toJSON(tenant, true))
	}
	writeJSON(w, 200, out)
}

// syncFlows deploys the flows of a multi-document YAML source. With a
// namespace, every flow must be in it (or below it, with allowChild), and
// with del the flows of that namespace missing from the source are
// deleted, as FlowController.bulkUpdateOrCreate does. Nothing is stored
// when one flow is invalid.
func syncFlows(ts *tenantStore, src, namespace string, allowChild, del bool) ([]*flowDef, *apiError) {
	var flows []*flowDef
	keep := map[string]bool{}
	inScope := func(ns string) bool {
		return namespace == "" || ns == namespace || (allowChild && strings.HasPrefix(ns, namespace+"."))
	}
	for _, doc := range flowdef.SplitDocuments(src) {
		f, err := parseFlow(doc)
		if err != nil {
			return nil, flowParseError(err)
		}
		if !inScope(f.Namespace) {
			return nil, errInvalidEntity(fmt.Sprintf("flow.namespace: flow namespace is invalid (%s is not %s)", f.Namespace, namespace))
		}
		flows = append(flows, f)
		keep[flowKey(f.Namespace, f.ID)] = true
	}
	for i, f := range flows {
		flows[i] = ts.putFlow(f)
	}
	if del && namespace != "" {
		for _, f := range ts.liveFlows() {
			if inScope(f.Namespace) && !keep[flowKey(f.Namespace, f.ID)] {
				ts.deleteFlow(f.Namespace, f.ID)
			}
		}
	}
	return flows, nil
}

// readFlowRefs reads a JSON array of {namespace, id}.
func readFlowRefs(r *http.Request) ([]struct{ Namespace, ID string }, *apiError) {
	var refs []struct{ Namespace, ID string }
	if aerr := decodeJSON(r, &refs); aerr != nil {
		return nil, aerr
	}
	return refs, nil
}

func (h *handlers) bulkFlows(w http.ResponseWriter, r *http.Request, tenant string, fn func(ts *tenantStore, ns, id string) bool) {
	ts, refs := withBody(h, w, r, tenant, readFlowRefs)
	if ts == nil {
		return
	}
	writeFlowCount(w, ts, refs, fn)
}

// flowRef names a flow (the body of the flow by-ids actions).
type flowRef = struct{ Namespace, ID string }

// writeFlowCount applies fn to each flow and answers how many it changed.
func writeFlowCount(w http.ResponseWriter, ts *tenantStore, refs []flowRef, fn func(ts *tenantStore, ns, id string) bool) {
	n := 0
	for _, ref := range refs {
		if fn(ts, ref.Namespace, ref.ID) {
			n++
		}
	}
	writeJSON(w, 200, map[string]any{"count": n})
}

func (h *handlers) EnableFlowsByIds(w http.ResponseWriter, r *http.Request, tenant api.Tenant) {
	h.bulkFlows(w, r, tenant, func(ts *tenantStore, ns, id string) bool {
		return h.s.SetFlowDisabled(ts.name, ns, id, false) == nil
	})
}

func (h *handlers) DisableFlowsByIds(w http.ResponseWriter, r *http.Request, tenant api.Tenant) {
	h.bulkFlows(w, r, tenant, func(ts *tenantStore, ns, id string) bool {
		return h.s.SetFlowDisabled(ts.name, ns, id, true) == nil
	})
}

func (h *handlers) DeleteFlowsByIds(w http.ResponseWriter, r *http.Request, tenant api.Tenant) {
	h.bulkFlows(w, r, tenant, func(ts *tenantStore, ns, id string) bool { return ts.deleteFlow(ns, id) })
}
