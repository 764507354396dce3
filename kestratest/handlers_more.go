package kestratest

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"path"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/kestra-go/kestra-go/api"
)

// ------------------------------------------------------------------ executions (more)

func (h *handlers) SearchExecutionsByFlowID(w http.ResponseWriter, r *http.Request, tenant api.Tenant, params api.SearchExecutionsByFlowIDParams) {
	ts := h.store(w, r, tenant)
	if ts == nil {
		return
	}
	var matched []execution
	for _, e := range ts.executions() {
		if e.Namespace == params.Namespace && e.FlowID == params.FlowID {
			e.TaskRunList = nil
			matched = append(matched, e)
		}
	}
	_ = sortExecutions(matched, []string{"state.startDate:desc"})
	writePage(w, matched, params.Page, params.Size)
}

func (h *handlers) GetLatestExecutions(w http.ResponseWriter, r *http.Request, tenant api.Tenant) {
	ts := h.store(w, r, tenant)
	if ts == nil {
		return
	}
	refs, aerr := readFlowRefs(r)
	if aerr != nil {
		h.s.writeError(w, r, aerr)
		return
	}
	all := ts.executions()
	_ = sortExecutions(all, []string{"state.startDate:desc"})
	out := []map[string]any{}
	for _, ref := range refs {
		for _, e := range all {
			if e.Namespace == ref.Namespace && e.FlowID == ref.ID {
				out = append(out, map[string]any{"id": e.ID, "namespace": e.Namespace, "flowId": e.FlowID,
					"startDate": e.State.StartDate, "status": e.State.Current})
				break
			}
		}
	}
	writeJSON(w, 200, out)
}

func (h *handlers) ValidateNewExecutionInputs(w http.ResponseWriter, r *http.Request, tenant api.Tenant, namespace api.NamespaceName, id api.FlowID, params api.ValidateNewExecutionInputsParams) {
	ts := h.store(w, r, tenant)
	if ts == nil {
		return
	}
	if _, aerr := parseQueryLabels(params.Labels); aerr != nil {
		h.s.writeError(w, r, aerr)
		return
	}
	rev := revision(params.Revision)
	f := ts.getFlow(namespace, id, rev, false)
	if f == nil {
		h.s.writeError(w, r, errNotFound("Requested Flow is not found."))
		return
	}
	given, _, aerr := readInputParts(r)
	if aerr != nil {
		h.s.writeError(w, r, aerr)
		return
	}
	perInput := map[string][]map[string]any{}
	if _, _, verr := resolveInputs(ts, f, "validation-"+newID(), given); verr != nil {
		for _, pe := range verr.errors {
			inputID := strings.TrimPrefix(pe.Path, "inputs.")
			perInput[inputID] = append(perInput[inputID], map[string]any{"message": pe.Detail})
		}
	}
	inputs := []map[string]any{}
	for _, in := range f.Inputs {
		errs := perInput[in.ID]
		if errs == nil {
			errs = []map[string]any{}
		}
		_, given := given[in.ID]
		inputs = append(inputs, map[string]any{
			"input":     map[string]any{"id": in.ID, "type": in.Type, "required": in.Required},
			"enabled":   true,
			"isDefault": !given && in.HasDefaults,
			"errors":    errs,
		})
	}
	writeJSON(w, 200, []map[string]any{{"id": f.ID, "namespace": f.Namespace, "inputs": inputs, "checks": []any{}}})
}

func (h *handlers) ResumeExecution(w http.ResponseWriter, r *http.Request, tenant api.Tenant, executionID api.ExecutionID) {
	ts := h.store(w, r, tenant)
	if ts == nil {
		return
	}
	if aerr := h.s.resume(ts, executionID); aerr != nil {
		h.s.writeError(w, r, aerr)
		return
	}
	writeExecution(w, ts, executionID)
}

// resume wakes a PAUSED execution (409 when it is not paused).
func (s *Server) resume(ts *tenantStore, id string) *apiError {
	rec := ts.record(id)
	if rec == nil {
		return executionNotFound(id)
	}
	_, state, _ := ts.getExecution(id)
	if state != statePaused {
		return errConflict("Execution is not paused, can't resume it")
	}
	select {
	case rec.resume <- struct{}{}:
	default:
	}
	return nil
}

func (h *handlers) UpdateExecutionStatus(w http.ResponseWriter, r *http.Request, tenant api.Tenant, executionID api.ExecutionID, params api.UpdateExecutionStatusParams) {
	ts := h.store(w, r, tenant)
	if ts == nil {
		return
	}
	want := string(params.Status)
	var aerr *apiError
	snap, ok := ts.update(executionID, func(e *execution) {
		switch {
		case !isTerminal(e.State.Current):
			aerr = errUnprocessable("You can only change the status of a terminated execution")
		case !isTerminal(want):
			aerr = errUnprocessable("You can only change the status of an execution to a terminal state")
		case want == e.State.Current:
			aerr = errUnprocessable("The execution is already in state " + want)
		default:
			e.State.set(want, time.Now())
		}
	})
	switch {
	case !ok:
		h.s.writeError(w, r, executionNotFound(executionID))
	case aerr != nil:
		h.s.writeError(w, r, aerr)
	default:
		writeRawJSON(w, 200, snap)
	}
}

func (h *handlers) ReplayExecution(w http.ResponseWriter, r *http.Request, tenant api.Tenant, executionID api.ExecutionID, params api.ReplayExecutionParams) {
	h.replayOne(w, r, tenant, executionID, params.TaskRunID, params.Revision, false)
}

// replayOne answers replayExecution and, withInputs, replayExecutionWithinputs
// (inputs read from the multipart body instead of the original ones).
func (h *handlers) replayOne(w http.ResponseWriter, r *http.Request, tenant, executionID string, taskRunID *string, rev *int32, withInputs bool) {
	ts := h.store(w, r, tenant)
	if ts == nil {
		return
	}
	if taskRunID != nil && *taskRunID != "" {
		h.s.writeError(w, r, errNotImplemented(operationOf(r)+" from a task run (taskRunId)"))
		return
	}
	var given map[string]rawInput
	if withInputs {
		var aerr *apiError
		if given, _, aerr = readInputParts(r); aerr != nil {
			h.s.writeError(w, r, aerr)
			return
		}
	}
	rec, aerr := h.replay(ts, executionID, revision(rev), given)
	if aerr != nil {
		h.s.writeError(w, r, aerr)
		return
	}
	writeExecution(w, ts, rec.e.ID)
}

func (h *handlers) GetFlowFromExecutionByID(w http.ResponseWriter, r *http.Request, tenant api.Tenant, executionID api.ExecutionID) {
	ts, rec := h.execution(w, r, tenant, executionID)
	if ts == nil {
		return
	}
	if f := h.flowOf(w, r, ts, rec); f != nil {
		writeJSON(w, 200, f.toJSON(tenant, false))
	}
}

func (h *handlers) DownloadFileFromExecution(w http.ResponseWriter, r *http.Request, tenant api.Tenant, executionID api.ExecutionID, params api.DownloadFileFromExecutionParams) {
	ts := h.store(w, r, tenant)
	if ts == nil {
		return
	}
	b, aerr := h.s.executionFile(ts, executionID, params.Path)
	if aerr != nil {
		h.s.writeError(w, r, aerr)
		return
	}
	w.Header().Set("Content-Type", "application/octet-stream")
	w.Header().Set("Content-Disposition", fmt.Sprintf("attachment; filename=%q", path.Base(params.Path)))
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	w.WriteHeader(200)
	_, _ = w.Write(b)
}

// executionFile reads a kestra:// file of an execution; other prefixes are
// refused with 422 as the server does.
func (s *Server) executionFile(ts *tenantStore, execID, uri string) ([]byte, *apiError) {
	if ts.record(execID) == nil {
		return nil, executionNotFound(execID)
	}
	if !strings.HasPrefix(uri, "kestra://") || !strings.Contains(uri, "/executions/"+execID+"/") {
		return nil, errUnprocessable("Invalid prefix path")
	}
	b, ok := ts.getFile(uri)
	if !ok {
		return nil, errNotFound("File not found: " + uri)
	}
	return b, nil
}

func (h *handlers) GetFileMetadatasFromExecution(w http.ResponseWriter, r *http.Request, tenant api.Tenant, executionID api.ExecutionID, params api.GetFileMetadatasFromExecutionParams) {
	ts := h.store(w, r, tenant)
	if ts == nil {
		return
	}
	b, aerr := h.s.executionFile(ts, executionID, params.Path)
	if aerr != nil {
		h.s.writeError(w, r, aerr)
		return
	}
	writeJSON(w, 200, map[string]any{"size": len(b)})
}

func (h *handlers) GetTaskOutputsInformation(w http.ResponseWriter, r *http.Request, tenant api.Tenant, executionID api.ExecutionID) {
	ts, snap, _ := h.snapshot(w, r, tenant, executionID)
	if ts == nil {
		return
	}
	var e execution
	_ = json.Unmarshal(snap, &e)
	out := []map[string]any{}
	for _, tr := range e.TaskRunList {
		if len(tr.Outputs) > 0 {
			out = append(out, map[string]any{"taskId": tr.TaskID, "taskRunId": tr.ID, "inline": true})
		}
	}
	writeJSON(w, 200, out)
}

func (h *handlers) SearchByExecution(w http.ResponseWriter, r *http.Request, tenant api.Tenant, executionID api.ExecutionID, params api.SearchByExecutionParams) {
	// The emulated tasks emit no metrics.
	if h.store(w, r, tenant) == nil {
		return
	}
	writeJSON(w, 200, map[string]any{"results": []any{}, "total": 0})
}

// readIDs reads a JSON array of ids (bulk by-ids bodies).
func readIDs(r *http.Request) ([]string, *apiError) {
	var ids []string
	if aerr := decodeJSON(r, &ids); aerr != nil {
		return nil, aerr
	}
	return ids, nil
}

func bulkInvalid(msg string) *apiError {
	return &apiError{status: 400, message: msg, slug: "bulk-validation-failed", detail: msg}
}

func (h *handlers) KillExecutionsByIds(w http.ResponseWriter, r *http.Request, tenant api.Tenant) {
	h.bulkExecutions(w, r, tenant, "kill", func(state string, found bool) string {
		switch {
		case !found:
			return "execution not found"
		case isTerminal(state):
			return "execution already finished"
		}
		return ""
	}, func(ts *tenantStore, id string) bool {
		rec := ts.record(id)
		if rec != nil {
			ts.kill(rec)
		}
		return rec != nil
	})
}

// bulkExecutions answers a by-ids action. check gives the reason an
// execution does not qualify ("" when it does); the first such id is a 400
// and nothing is done. Otherwise act runs on each id, and the answer counts
// the ids it succeeded on.
func (h *handlers) bulkExecutions(w http.ResponseWriter, r *http.Request, tenant, action string, check func(state string, found bool) string, act func(ts *tenantStore, id string) bool) {
	ts := h.store(w, r, tenant)
	if ts == nil {
		return
	}
	ids, aerr := readIDs(r)
	if aerr != nil {
		h.s.writeError(w, r, aerr)
		return
	}
	for _, id := range ids {
		_, state, found := ts.getExecution(id)
		if reason := check(state, found); reason != "" {
			h.s.writeError(w, r, bulkInvalid("invalid bulk "+action+": "+reason+": "+id))
			return
		}
	}
	n := 0
	for _, id := range ids {
		if act(ts, id) {
			n++
		}
	}
	writeJSON(w, 200, map[string]any{"count": n})
}

func (h *handlers) ResumeExecutionsByIds(w http.ResponseWriter, r *http.Request, tenant api.Tenant) {
	h.bulkExecutions(w, r, tenant, "resume", func(state string, found bool) string {
		if !found || state != statePaused {
			return "execution not found or not paused"
		}
		return ""
	}, func(ts *tenantStore, id string) bool { return h.s.resume(ts, id) == nil })
}

func (h *handlers) DeleteExecutionsByIds(w http.ResponseWriter, r *http.Request, tenant api.Tenant, params api.DeleteExecutionsByIdsParams) {
	includeRunning := params.IncludeNonTerminated != nil && *params.IncludeNonTerminated
	logs := params.DeleteLogs == nil || *params.DeleteLogs
	storage := params.DeleteStorage == nil || *params.DeleteStorage
	h.bulkExecutions(w, r, tenant, "delete", func(state string, found bool) string {
		if !found || (!isTerminal(state) && !includeRunning) {
			return "execution not found or not terminated"
		}
		return ""
	}, func(ts *tenantStore, id string) bool { return ts.removeExecution(id, logs, storage) })
}

// ------------------------------------------------------------------ logs (more)

func (h *handlers) SearchLogs(w http.ResponseWriter, r *http.Request, tenant api.Tenant, params api.SearchLogsParams) {
	ts, fs := h.search(w, r, tenant, nil)
	if ts == nil {
		return
	}
	keep := logFilter(r.URL.Query())
	ts.mu.Lock()
	var all []logEntry
	for _, lines := range ts.logs {
		all = append(all, lines...)
	}
	ts.mu.Unlock()
	var out []logEntry
	for _, l := range all {
		if !keep(l) {
			continue
		}
		ok, aerr := fs.matchLog(&l)
		if aerr != nil {
			h.s.writeError(w, r, aerr)
			return
		}
		if ok {
			out = append(out, l)
		}
	}
	desc := true
	for _, s := range params.Sort {
		if strings.HasSuffix(s, ":asc") {
			desc = false
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if desc {
			return out[i].seq > out[j].seq
		}
		return out[i].seq < out[j].seq
	})
	writePage(w, out, params.Page, params.Size)
}

func (h *handlers) DeleteLogsFromExecution(w http.ResponseWriter, r *http.Request, tenant api.Tenant, executionID api.ExecutionID, params api.DeleteLogsFromExecutionParams) {
	ts := h.store(w, r, tenant)
	if ts == nil {
		return
	}
	match := logFilter(r.URL.Query())
	ts.deleteLogs(executionID, func(l logEntry) bool { return !match(l) })
	w.WriteHeader(200)
}

func (h *handlers) DeleteLogsFromFlow(w http.ResponseWriter, r *http.Request, tenant api.Tenant, namespace api.NamespaceName, flowID string, params api.DeleteLogsFromFlowParams) {
	ts := h.store(w, r, tenant)
	if ts == nil {
		return
	}
	ts.mu.Lock()
	for id, lines := range ts.logs {
		var kept []logEntry
		for _, l := range lines {
			if !(l.Namespace == namespace && l.FlowID == flowID) {
				kept = append(kept, l)
			}
		}
		if len(kept) == 0 {
			delete(ts.logs, id)
		} else {
			ts.logs[id] = kept
		}
	}
	ts.mu.Unlock()
	w.WriteHeader(200)
}

// ------------------------------------------------------------------ flows (more)

func (h *handlers) ListFlowRevisions(w http.ResponseWriter, r *http.Request, tenant api.Tenant, namespace api.NamespaceName, id api.FlowID, params api.ListFlowRevisionsParams) {
	ts := h.store(w, r, tenant)
	if ts == nil {
		return
	}
	ts.mu.Lock()
	revs := append([]*flowDef(nil), ts.flows[flowKey(namespace, id)]...)
	ts.mu.Unlock()
	allowDeleted := params.AllowDelete != nil && *params.AllowDelete
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
	if h.store(w, r, tenant) == nil {
		return
	}
	src, aerr := readYAMLBody(r)
	if aerr != nil {
		h.s.writeError(w, r, aerr)
		return
	}
	out := []map[string]any{}
	for i, doc := range splitYAMLDocuments(src) {
		v := map[string]any{"index": i}
		f, err := parseFlow(doc)
		if err != nil {
			v["constraints"] = strings.TrimPrefix(err.Error(), errInvalidFlow.Error()+": ")
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
	ts := h.store(w, r, tenant)
	if ts == nil {
		return
	}
	src, aerr := readYAMLBody(r)
	if aerr != nil {
		h.s.writeError(w, r, aerr)
		return
	}
	var flows []*flowDef
	keep := map[string]bool{}
	for _, doc := range splitYAMLDocuments(src) {
		f, err := parseFlow(doc)
		if err != nil {
			h.s.writeError(w, r, flowParseError(err))
			return
		}
		if f.Namespace != namespace {
			h.s.writeError(w, r, errUnprocessable(fmt.Sprintf("Invalid entity: flow.namespace: flow namespace is invalid (%s is not %s)", f.Namespace, namespace)))
			return
		}
		flows = append(flows, f)
		keep[f.ID] = true
	}
	out := []map[string]any{}
	for _, f := range flows {
		out = append(out, ts.putFlow(f).toJSON(tenant, true))
	}
	if params.Delete == nil || *params.Delete {
		for _, f := range ts.liveFlows() {
			if f.Namespace == namespace && !keep[f.ID] {
				ts.deleteFlow(f.Namespace, f.ID)
			}
		}
	}
	writeJSON(w, 200, out)
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
	ts := h.store(w, r, tenant)
	if ts == nil {
		return
	}
	refs, aerr := readFlowRefs(r)
	if aerr != nil {
		h.s.writeError(w, r, aerr)
		return
	}
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

// ------------------------------------------------------------------ KV (more)

func (h *handlers) DeleteKeyValues(w http.ResponseWriter, r *http.Request, tenant api.Tenant, namespace api.NamespaceName) {
	ts := h.store(w, r, tenant)
	if ts == nil {
		return
	}
	var body struct {
		Keys []string `json:"keys"`
	}
	if aerr := decodeJSON(r, &body); aerr != nil {
		h.s.writeError(w, r, aerr)
		return
	}
	deleted := []string{}
	ts.mu.Lock()
	for _, k := range body.Keys {
		if _, ok := ts.kv[namespace][k]; ok {
			delete(ts.kv[namespace], k)
			deleted = append(deleted, k)
		}
	}
	ts.mu.Unlock()
	writeJSON(w, 200, map[string]any{"keys": deleted})
}

func (h *handlers) ListKeysWithInheritence(w http.ResponseWriter, r *http.Request, tenant api.Tenant, namespace api.NamespaceName) {
	ts := h.store(w, r, tenant)
	if ts == nil {
		return
	}
	now := time.Now()
	out := []map[string]any{}
	ts.mu.Lock()
	for ns, m := range ts.kv {
		if ns != namespace && !strings.HasPrefix(namespace, ns+".") {
			continue
		}
		for k, e := range m {
			if !e.expired(now) {
				out = append(out, kvEntryJSON(ns, k, e))
			}
		}
	}
	ts.mu.Unlock()
	sortKVEntries(out)
	writeJSON(w, 200, out)
}

// ------------------------------------------------------------------ namespaces

func (h *handlers) namespaces(ts *tenantStore) []string {
	set := map[string]bool{}
	for _, f := range ts.liveFlows() {
		set[f.Namespace] = true
	}
	ts.mu.Lock()
	for ns := range ts.kv {
		set[ns] = true
	}
	for ns := range ts.nsEntries {
		set[ns] = true
	}
	ts.mu.Unlock()
	// Parents of a namespace exist too.
	for ns := range set {
		for i := strings.Index(ns, "."); i >= 0; i = nextDot(ns, i) {
			set[ns[:i]] = true
		}
	}
	out := make([]string, 0, len(set))
	for ns := range set {
		out = append(out, ns)
	}
	sort.Strings(out)
	return out
}

func nextDot(s string, i int) int {
	j := strings.Index(s[i+1:], ".")
	if j < 0 {
		return -1
	}
	return i + 1 + j
}

func (h *handlers) SearchNamespaces(w http.ResponseWriter, r *http.Request, tenant api.Tenant, params api.SearchNamespacesParams) {
	ts, fs := h.search(w, r, tenant, nil)
	if ts == nil {
		return
	}
	var out []map[string]any
	for _, ns := range h.namespaces(ts) {
		ok, aerr := fs.matchNamespace(ns)
		if aerr != nil {
			h.s.writeError(w, r, aerr)
			return
		}
		if ok {
			out = append(out, map[string]any{"id": ns, "deleted": false})
		}
	}
	writePage(w, out, params.Page, params.Size)
}

func (h *handlers) GetNamespace(w http.ResponseWriter, r *http.Request, tenant api.Tenant, id string) {
	ts := h.store(w, r, tenant)
	if ts == nil {
		return
	}
	for _, ns := range h.namespaces(ts) {
		if ns == id {
			writeJSON(w, 200, map[string]any{"id": ns, "deleted": false})
			return
		}
	}
	h.s.writeError(w, r, errNotFound("Namespace not found: "+id))
}

// ------------------------------------------------------------------ namespace files

type nsFile struct {
	data    []byte
	dir     bool
	created time.Time
	updated time.Time
}

func cleanNSPath(p string) string {
	p = path.Clean("/" + p)
	return p
}

func (h *handlers) nsFiles(ts *tenantStore, ns string) map[string]*nsFile {
	m := ts.nsEntries[ns]
	if m == nil {
		m = map[string]*nsFile{"/": {dir: true, created: time.Now(), updated: time.Now()}}
		ts.nsEntries[ns] = m
	}
	return m
}

// mkdirAll creates dir and its missing parents in a namespace's files.
func mkdirAll(m map[string]*nsFile, dir string, now time.Time) {
	for d := dir; d != "/"; d = path.Dir(d) {
		if m[d] == nil {
			m[d] = &nsFile{dir: true, created: now, updated: now}
		}
	}
}

func fileAttributes(p string, f *nsFile) map[string]any {
	typ, size := "File", len(f.data)
	if f.dir {
		typ, size = "Directory", 0
	}
	name := path.Base(p)
	if p == "/" {
		name = ""
	}
	return map[string]any{"fileName": name, "type": typ, "size": size,
		"creationTime": f.created.UnixMilli(), "lastModifiedTime": f.updated.UnixMilli(), "metadata": map[string]string{}}
}

func forbiddenNSPath(p string) *apiError {
	if strings.HasPrefix(p, "/_flows") {
		return errUnprocessable("Forbidden path: " + p)
	}
	for _, part := range strings.Split(p, "/") {
		if len(part) > 255 {
			return errUnprocessable("File name too long: " + part)
		}
	}
	return nil
}

func (h *handlers) CreateNamespaceFile(w http.ResponseWriter, r *http.Request, tenant api.Tenant, namespace api.NamespaceName, params api.CreateNamespaceFileParams) {
	ts := h.store(w, r, tenant)
	if ts == nil {
		return
	}
	p := cleanNSPath(params.Path)
	if aerr := forbiddenNSPath(p); aerr != nil {
		h.s.writeError(w, r, aerr)
		return
	}
	file, _, err := r.FormFile("fileContent")
	if err != nil {
		h.s.writeError(w, r, errBadRequest("a file part named fileContent is required: "+err.Error()))
		return
	}
	defer func() { _ = file.Close() }()
	b, err := io.ReadAll(file)
	if err != nil {
		h.s.writeError(w, r, errBadRequest(err.Error()))
		return
	}
	now := time.Now()
	ts.mu.Lock()
	m := h.nsFiles(ts, namespace)
	mkdirAll(m, path.Dir(p), now)
	created := now
	if old := m[p]; old != nil {
		created = old.created
	}
	m[p] = &nsFile{data: b, created: created, updated: now}
	ts.mu.Unlock()
	w.WriteHeader(200)
}

func (h *handlers) GetFileContent(w http.ResponseWriter, r *http.Request, tenant api.Tenant, namespace api.NamespaceName, params api.GetFileContentParams) {
	ts := h.store(w, r, tenant)
	if ts == nil {
		return
	}
	p := cleanNSPath(params.Path)
	ts.mu.Lock()
	f := h.nsFiles(ts, namespace)[p]
	ts.mu.Unlock()
	if f == nil || f.dir {
		h.s.writeError(w, r, errNotFound("File not found: "+p))
		return
	}
	w.Header().Set("Content-Type", "application/octet-stream")
	w.Header().Set("Cache-Control", "no-cache")
	w.Header().Set("Content-Length", strconv.Itoa(len(f.data)))
	w.WriteHeader(200)
	_, _ = w.Write(f.data)
}

func optPath(p *api.OptionalFilePath) string {
	if p == nil || *p == "" {
		return "/"
	}
	return cleanNSPath(*p)
}

func (h *handlers) ListNamespaceDirectoryFiles(w http.ResponseWriter, r *http.Request, tenant api.Tenant, namespace api.NamespaceName, params api.ListNamespaceDirectoryFilesParams) {
	ts := h.store(w, r, tenant)
	if ts == nil {
		return
	}
	dir := optPath(params.Path)
	ts.mu.Lock()
	m := h.nsFiles(ts, namespace)
	d := m[dir]
	var out []map[string]any
	var names []string
	for p := range m {
		if p != "/" && path.Dir(p) == dir {
			names = append(names, p)
		}
	}
	sort.Strings(names)
	for _, p := range names {
		out = append(out, fileAttributes(p, m[p]))
	}
	ts.mu.Unlock()
	if d == nil || !d.dir {
		h.s.writeError(w, r, errNotFound("Directory not found: "+dir))
		return
	}
	if out == nil {
		out = []map[string]any{}
	}
	writeJSON(w, 200, out)
}

func (h *handlers) CreateNamespaceDirectory(w http.ResponseWriter, r *http.Request, tenant api.Tenant, namespace api.NamespaceName, params api.CreateNamespaceDirectoryParams) {
	ts := h.store(w, r, tenant)
	if ts == nil {
		return
	}
	dir := optPath(params.Path)
	if aerr := forbiddenNSPath(dir); aerr != nil {
		h.s.writeError(w, r, aerr)
		return
	}
	now := time.Now()
	ts.mu.Lock()
	m := h.nsFiles(ts, namespace)
	mkdirAll(m, dir, now)
	ts.mu.Unlock()
	w.WriteHeader(200)
}

func (h *handlers) GetFileMetadatas(w http.ResponseWriter, r *http.Request, tenant api.Tenant, namespace api.NamespaceName, params api.GetFileMetadatasParams) {
	ts := h.store(w, r, tenant)
	if ts == nil {
		return
	}
	p := optPath(params.Path)
	ts.mu.Lock()
	f := h.nsFiles(ts, namespace)[p]
	var attrs map[string]any
	if f != nil {
		attrs = fileAttributes(p, f)
	}
	ts.mu.Unlock()
	if f == nil {
		h.s.writeError(w, r, errNotFound("File not found: "+p))
		return
	}
	writeJSON(w, 200, attrs)
}

func (h *handlers) SearchNamespaceFiles(w http.ResponseWriter, r *http.Request, tenant api.Tenant, namespace api.NamespaceName, params api.SearchNamespaceFilesParams) {
	ts := h.store(w, r, tenant)
	if ts == nil {
		return
	}
	out := []string{}
	ts.mu.Lock()
	for p, f := range h.nsFiles(ts, namespace) {
		if !f.dir && strings.Contains(p, params.Q) {
			out = append(out, p)
		}
	}
	ts.mu.Unlock()
	sort.Strings(out)
	writeJSON(w, 200, out)
}

func (h *handlers) MoveFileDirectory(w http.ResponseWriter, r *http.Request, tenant api.Tenant, namespace api.NamespaceName, params api.MoveFileDirectoryParams) {
	ts := h.store(w, r, tenant)
	if ts == nil {
		return
	}
	from, to := cleanNSPath(params.From), cleanNSPath(params.To)
	if aerr := forbiddenNSPath(to); aerr != nil {
		h.s.writeError(w, r, aerr)
		return
	}
	ts.mu.Lock()
	m := h.nsFiles(ts, namespace)
	if m[from] == nil || from == "/" {
		ts.mu.Unlock()
		h.s.writeError(w, r, errNotFound("File not found: "+from))
		return
	}
	for p, f := range m {
		if p == from || strings.HasPrefix(p, from+"/") {
			delete(m, p)
			m[to+strings.TrimPrefix(p, from)] = f
		}
	}
	mkdirAll(m, path.Dir(to), time.Now())
	ts.mu.Unlock()
	w.WriteHeader(200)
}

func (h *handlers) DeleteFileDirectory(w http.ResponseWriter, r *http.Request, tenant api.Tenant, namespace api.NamespaceName, params api.DeleteFileDirectoryParams) {
	ts := h.store(w, r, tenant)
	if ts == nil {
		return
	}
	p := cleanNSPath(params.Path)
	ts.mu.Lock()
	m := h.nsFiles(ts, namespace)
	found := m[p] != nil
	for q := range m {
		if q != "/" && (q == p || strings.HasPrefix(q, p+"/")) {
			delete(m, q)
		}
	}
	ts.mu.Unlock()
	if !found {
		h.s.writeError(w, r, errNotFound("File not found: "+p))
		return
	}
	w.WriteHeader(200)
}

// ------------------------------------------------------------------ eval, pause, webhooks

func (h *handlers) EvalExpression(w http.ResponseWriter, r *http.Request, tenant api.Tenant, executionID api.ExecutionID) {
	ts, rec := h.execution(w, r, tenant, executionID)
	if ts == nil {
		return
	}
	f := h.flowOf(w, r, ts, rec)
	if f == nil {
		return
	}
	b, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err != nil {
		h.s.writeError(w, r, errBadRequest(err.Error()))
		return
	}
	out, err := renderString(string(b), renderContext(tenant, f, ts.copyExecution(rec)))
	if err != nil {
		writeJSON(w, 200, map[string]any{"error": err.Error()})
		return
	}
	writeJSON(w, 200, map[string]any{"result": out})
}

func (h *handlers) PauseExecution(w http.ResponseWriter, r *http.Request, tenant api.Tenant, executionID api.ExecutionID) {
	ts, rec := h.execution(w, r, tenant, executionID)
	if ts == nil {
		return
	}
	snap, state, _ := ts.getExecution(executionID)
	if state != stateRunning && state != stateCreated {
		h.s.writeError(w, r, errConflict("Execution is not running, can't pause it"))
		return
	}
	// The engine pauses before the next task, as the executor does.
	rec.pauseRequested.Store(true)
	writeRawJSON(w, 200, snap)
}

const webhookTrigger = "io.kestra.plugin.core.trigger.Webhook"

func (h *handlers) TriggerExecutionByGetWebhook(w http.ResponseWriter, r *http.Request, tenant api.Tenant, namespace api.NamespaceName, id api.FlowID, key api.WebhookKey) {
	h.webhook(w, r, tenant, namespace, id, key)
}

func (h *handlers) TriggerExecutionByPostWebhook(w http.ResponseWriter, r *http.Request, tenant api.Tenant, namespace api.NamespaceName, id api.FlowID, key api.WebhookKey) {
	h.webhook(w, r, tenant, namespace, id, key)
}

// webhook starts an execution of a flow whose Webhook trigger has this key;
// the trigger variables are body (JSON-decoded when possible), headers and
// parameters, as {{ trigger.body }} etc.
func (h *handlers) webhook(w http.ResponseWriter, r *http.Request, tenant, namespace, id, key string) {
	ts := h.store(w, r, tenant)
	if ts == nil {
		return
	}
	f := ts.getFlow(namespace, id, 0, false)
	if f == nil {
		h.s.writeError(w, r, errNotFound("Flow not found"))
		return
	}
	var triggerID string
	triggers, _ := f.raw["triggers"].([]any)
	for _, t := range triggers {
		m, _ := t.(map[string]any)
		typ, _ := m["type"].(string)
		k := fmt.Sprint(m["key"])
		if (typ == webhookTrigger || typ == "io.kestra.core.models.triggers.types.Webhook") && k == key {
			triggerID, _ = m["id"].(string)
		}
	}
	if triggerID == "" {
		h.s.writeError(w, r, errNotFound("Webhook not found"))
		return
	}
	b, err := io.ReadAll(io.LimitReader(r.Body, 16<<20))
	if err != nil {
		h.s.writeError(w, r, errBadRequest(err.Error()))
		return
	}
	var body any
	if len(b) > 0 {
		if json.Unmarshal(b, &body) != nil {
			body = string(b)
		}
	}
	headers := map[string]any{}
	for k, v := range r.Header {
		if strings.EqualFold(k, "Authorization") {
			continue
		}
		headers[k] = v
	}
	params := map[string]any{}
	for k, v := range r.URL.Query() {
		params[k] = v
	}
	trig := &execTrigger{ID: triggerID, Type: webhookTrigger, Variables: map[string]any{"body": body, "headers": headers, "parameters": params}}
	rec, aerr := h.s.startExecution(ts, namespace, id, 0, map[string]rawInput{}, startOptions{trigger: trig})
	if aerr != nil {
		h.s.writeError(w, r, aerr)
		return
	}
	snap, _, _ := ts.getExecution(rec.e.ID)
	var e execution
	_ = json.Unmarshal(snap, &e)
	writeJSON(w, 200, map[string]any{
		"tenantId": tenant, "id": e.ID, "namespace": e.Namespace, "flowId": e.FlowID, "flowRevision": e.FlowRevision,
		"trigger": e.Trigger, "outputs": map[string]any{}, "labels": e.Labels, "state": e.State,
		"url": fmt.Sprintf("%s/ui/%s/executions/%s/%s/%s", h.s.URL, tenant, namespace, id, e.ID),
	})
}

// ------------------------------------------------------------------ restart and replays

func (h *handlers) RestartExecution(w http.ResponseWriter, r *http.Request, tenant api.Tenant, executionID api.ExecutionID, params api.RestartExecutionParams) {
	ts := h.store(w, r, tenant)
	if ts == nil {
		return
	}
	rev := revision(params.Revision)
	rec, aerr := h.s.restartExecution(ts, executionID, rev)
	if aerr != nil {
		h.s.writeError(w, r, aerr)
		return
	}
	writeExecution(w, ts, rec.e.ID)
}

func (h *handlers) RestartExecutionsByIds(w http.ResponseWriter, r *http.Request, tenant api.Tenant) {
	h.bulkExecutions(w, r, tenant, "restart", func(state string, found bool) string {
		if !found || (state != stateFailed && state != stateKilled) {
			return "execution not found or not failed"
		}
		return ""
	}, func(ts *tenantStore, id string) bool {
		_, aerr := h.s.restartExecution(ts, id, 0)
		return aerr == nil
	})
}

// replay starts a new execution of the flow of execution id with the given
// inputs (nil: the original ones), on flow revision rev (0: the original
// execution's, negative: the latest).
func (h *handlers) replay(ts *tenantStore, id string, rev int, given map[string]rawInput) (*execRecord, *apiError) {
	snap, _, ok := ts.getExecution(id)
	if !ok {
		return nil, executionNotFound(id)
	}
	var orig execution
	_ = json.Unmarshal(snap, &orig)
	switch {
	case rev == 0:
		rev = orig.FlowRevision
	case rev < 0:
		rev = 0 // startExecution: latest
	}
	if given == nil {
		// The same (converted) inputs, sent again as text.
		given = map[string]rawInput{}
		for k, v := range orig.Inputs {
			if s, ok := v.(string); ok {
				given[k] = rawInput{value: s}
			} else {
				given[k] = rawInput{value: string(mustJSON(v))}
			}
		}
	}
	labels := mergeLabels(orig.Labels, []label{{Key: "system.replay", Value: "true"}})
	nrec, aerr := h.s.startExecution(ts, orig.Namespace, orig.FlowID, rev, given, startOptions{labels: labels, kind: orig.Kind, originalID: orig.OriginalID})
	if aerr != nil {
		return nil, aerr
	}
	ts.update(id, func(e *execution) {
		e.Labels = mergeLabels(e.Labels, []label{{Key: "system.replayed", Value: "true"}})
	})
	return nrec, nil
}

func (h *handlers) ReplayExecutionWithinputs(w http.ResponseWriter, r *http.Request, tenant api.Tenant, executionID api.ExecutionID, params api.ReplayExecutionWithinputsParams) {
	h.replayOne(w, r, tenant, executionID, params.TaskRunID, params.Revision, true)
}

func (h *handlers) ReplayExecutionsByIds(w http.ResponseWriter, r *http.Request, tenant api.Tenant, params api.ReplayExecutionsByIdsParams) {
	rev := 0 // the original execution's revision
	if params.LatestRevision != nil && *params.LatestRevision {
		rev = -1
	}
	h.bulkExecutions(w, r, tenant, "replay", func(state string, found bool) string {
		if !found || !isTerminal(state) {
			return "execution not found or not terminated"
		}
		return ""
	}, func(ts *tenantStore, id string) bool {
		_, aerr := h.replay(ts, id, rev, nil)
		return aerr == nil
	})
}
