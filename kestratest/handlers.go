package kestratest

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/kestra-go/kestra-go/api"
)

// handlers implements the generated api.ServerInterface. The embedded
// interface is nil: it only provides the methods of operations added to the
// document later, which ServeHTTP answers 501 before they can be reached.
type handlers struct {
	api.ServerInterface
	s *Server
}

var _ api.ServerInterface = (*handlers)(nil)

// store returns the tenant's store; the tenant was checked by ServeHTTP.
func (h *handlers) store(w http.ResponseWriter, r *http.Request, tenant string) *tenantStore {
	ts := h.s.tenant(tenant)
	if ts == nil {
		h.s.writeError(w, r, errBadRequest("Tenant must be 'main' for OSS version"))
	}
	return ts
}

func executionNotFound(id string) *apiError {
	return errNotFound(fmt.Sprintf("Execution with id '%s' not found", id))
}

// execution returns the tenant's store and the record of an execution; when
// either is missing it answers (400 tenant, 404 execution) and returns nils.
func (h *handlers) execution(w http.ResponseWriter, r *http.Request, tenant, id string) (*tenantStore, *execRecord) {
	ts := h.store(w, r, tenant)
	if ts == nil {
		return nil, nil
	}
	rec := ts.record(id)
	if rec == nil {
		h.s.writeError(w, r, executionNotFound(id))
		return nil, nil
	}
	return ts, rec
}

// snapshot returns the tenant's store, the JSON snapshot and the state of an
// execution; when either is missing it answers and returns a nil store.
func (h *handlers) snapshot(w http.ResponseWriter, r *http.Request, tenant, id string) (*tenantStore, []byte, string) {
	ts := h.store(w, r, tenant)
	if ts == nil {
		return nil, nil, ""
	}
	snap, state, ok := ts.getExecution(id)
	if !ok {
		h.s.writeError(w, r, executionNotFound(id))
		return nil, nil, ""
	}
	return ts, snap, state
}

// flowOf returns the flow revision an execution ran, or answers 404.
func (h *handlers) flowOf(w http.ResponseWriter, r *http.Request, ts *tenantStore, rec *execRecord) *flowDef {
	f := ts.getFlow(rec.e.Namespace, rec.e.FlowID, rec.e.FlowRevision, true)
	if f == nil {
		h.s.writeError(w, r, errNotFound("Requested Flow is not found."))
	}
	return f
}

// search returns the tenant's store and the filters of a search request
// (legacy: its flat parameters); on an error it answers and returns a nil
// store.
func (h *handlers) search(w http.ResponseWriter, r *http.Request, tenant string, legacy map[string]filter) (*tenantStore, filterSet) {
	ts := h.store(w, r, tenant)
	if ts == nil {
		return nil, nil
	}
	fs, aerr := parseFilters(r.URL.Query(), legacy)
	if aerr != nil {
		h.s.writeError(w, r, aerr)
		return nil, nil
	}
	return ts, fs
}

// writeExecution answers 200 with the current JSON of execution id.
func writeExecution(w http.ResponseWriter, ts *tenantStore, id string) {
	snap, _, _ := ts.getExecution(id)
	writeRawJSON(w, 200, snap)
}

// decodeJSON decodes a JSON request body into v; a body that does not
// decode is 422, as Micronaut's JSON binding answers.
func decodeJSON(r *http.Request, v any) *apiError {
	if err := json.NewDecoder(r.Body).Decode(v); err != nil {
		return &apiError{status: 422, message: "Invalid JSON: " + err.Error(), slug: "invalid-json", detail: err.Error()}
	}
	return nil
}

// revision reads an optional revision parameter; 0 means the latest.
func revision(p *int32) int {
	if p == nil {
		return 0
	}
	return int(*p)
}

// writePage answers a PagedResults {results, total} with the requested
// page of all (1-based page, default size 10).
func writePage[T any](w http.ResponseWriter, all []T, page, size *int32) {
	win := paginate(len(all), page, size)
	res := all[win.from:win.to]
	if res == nil {
		res = []T{}
	}
	writeJSON(w, 200, map[string]any{"results": res, "total": len(all)})
}

// ------------------------------------------------------------------ config

func (h *handlers) GetConfiguration(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, 200, map[string]any{
		"uuid":                   "00000000-0000-0000-0000-00006b657374",
		"version":                h.s.cfg.version,
		"edition":                "OSS",
		"commitId":               "kestratest",
		"url":                    h.s.URL,
		"systemNamespace":        "system",
		"hiddenLabelsPrefixes":   []string{"system."},
		"isBasicAuthInitialized": h.s.cfg.basicAuth,
		"isAiEnabled":            false,
	})
}

// ------------------------------------------------------------------ executions

func (h *handlers) CreateExecution(w http.ResponseWriter, r *http.Request, tenant api.Tenant, namespace api.NamespaceName, id api.FlowID, params api.CreateExecutionParams) {
	ts := h.store(w, r, tenant)
	if ts == nil {
		return
	}
	labels, aerr := parseQueryLabels(params.Labels)
	if aerr != nil {
		h.s.writeError(w, r, aerr)
		return
	}
	given, warnings, aerr := readInputParts(r)
	if aerr != nil {
		h.s.writeError(w, r, aerr)
		return
	}
	opt := startOptions{labels: labels, scheduleDate: params.ScheduleDate}
	if params.Kind != nil {
		opt.kind = string(*params.Kind)
	}
	rev := revision(params.Revision)
	wait := params.Wait != nil && *params.Wait
	rec, aerr := h.s.startExecution(ts, namespace, id, rev, given, opt)
	if aerr != nil {
		h.s.writeError(w, r, aerr)
		return
	}
	for _, warn := range warnings {
		h.s.emitLog(ts, namespace, id, rec.e.ID, "", "", "WARN", warn)
	}
	var snap []byte
	if wait {
		// Subscribe before reading, so that no terminal update is missed.
		topic := ts.execTopic(rec.e.ID)
		sub := ts.broker.subscribe(topic)
		defer ts.broker.unsubscribe(topic, sub)
		var state string
		snap, state, _ = ts.getExecution(rec.e.ID)
	waitLoop:
		for !isTerminal(state) {
			select {
			case <-sub.notify:
				for _, ev := range sub.drain() {
					snap = ev.data
					if ev.terminal {
						break waitLoop
					}
				}
			case <-r.Context().Done():
				return
			case <-rec.done:
				snap, state, _ = ts.getExecution(rec.e.ID)
			}
		}
	} else {
		snap, _, _ = ts.getExecution(rec.e.ID)
	}
	// ExecutionResponse is the execution plus its UI link.
	url := fmt.Sprintf("%s/ui/%s/executions/%s/%s/%s", h.s.URL, tenant, namespace, id, rec.e.ID)
	out := make([]byte, 0, len(snap)+len(url)+10)
	out = append(out, snap[:len(snap)-1]...)
	out = append(out, `,"url":`...)
	out = append(out, mustJSON(url)...)
	out = append(out, '}')
	writeRawJSON(w, 200, out)
}

// readInputParts reads a createExecution body: one part per input, named
// after the input id; file parts are FILE inputs. The deprecated form (a
// part named "files" whose filename is the input id) is accepted with a
// warning, as the server does.
func readInputParts(r *http.Request) (map[string]rawInput, []string, *apiError) {
	given := map[string]rawInput{}
	ct := r.Header.Get("Content-Type")
	if ct == "" || r.Body == nil || r.ContentLength == 0 {
		return given, nil, nil
	}
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil || mt != "multipart/form-data" {
		msg := fmt.Sprintf("Content Type [%s] not allowed. Allowed types: [multipart/form-data]", ct)
		return nil, nil, &apiError{status: 415, message: "Unsupported Media Type: " + msg, slug: "unsupported-media-type", detail: msg}
	}
	mr, err := r.MultipartReader()
	if err != nil {
		return nil, nil, &apiError{status: 400, message: "Bad Request: " + err.Error(), slug: "bad-request", detail: err.Error()}
	}
	var warnings []string
	for {
		p, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, nil, &apiError{status: 400, message: "Bad Request: malformed multipart body: " + err.Error(), slug: "bad-request", detail: "malformed multipart body: " + err.Error()}
		}
		in, err := readPart(p)
		if err != nil {
			return nil, nil, &apiError{status: 400, message: "Bad Request: " + err.Error(), slug: "bad-request", detail: err.Error()}
		}
		name := p.FormName()
		if name == "files" && in.isFile {
			name = in.filename
			warnings = append(warnings, fmt.Sprintf("Using a deprecated way to upload a FILE input. You must set the input '%s' using its name as the part name instead of 'files'.", name))
		}
		if name != "" {
			given[name] = in // the last part with a name wins
		}
	}
	return given, warnings, nil
}

func readPart(p *multipart.Part) (rawInput, error) {
	defer func() { _ = p.Close() }()
	b, err := io.ReadAll(p)
	if err != nil {
		return rawInput{}, fmt.Errorf("read part %q: %w", p.FormName(), err)
	}
	if fn := p.FileName(); fn != "" {
		return rawInput{isFile: true, filename: fn, data: b}, nil
	}
	return rawInput{value: string(b)}, nil
}

func (h *handlers) GetExecution(w http.ResponseWriter, r *http.Request, tenant api.Tenant, executionID api.ExecutionID) {
	if ts, snap, _ := h.snapshot(w, r, tenant, executionID); ts != nil {
		writeRawJSON(w, 200, snap)
	}
}

func (h *handlers) DeleteExecution(w http.ResponseWriter, r *http.Request, tenant api.Tenant, executionID api.ExecutionID, params api.DeleteExecutionParams) {
	ts := h.store(w, r, tenant)
	if ts == nil {
		return
	}
	if !ts.removeExecution(executionID, params.DeleteLogs == nil || *params.DeleteLogs, params.DeleteStorage == nil || *params.DeleteStorage) {
		h.s.writeError(w, r, executionNotFound(executionID))
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (h *handlers) KillExecution(w http.ResponseWriter, r *http.Request, tenant api.Tenant, executionID api.ExecutionID, params api.KillExecutionParams) {
	ts, rec := h.execution(w, r, tenant, executionID)
	if ts == nil {
		return
	}
	cascade := params.IsOnKillCascade == nil || *params.IsOnKillCascade
	snap, ended := ts.kill(rec)
	if ended && !cascade {
		h.s.writeError(w, r, errConflict("Execution is already finished, can't kill it"))
		return
	}
	w.Header().Set("Content-Type", "text/json")
	w.Header().Set("Content-Length", strconv.Itoa(len(snap)))
	w.WriteHeader(200)
	_, _ = w.Write(snap)
}

func (h *handlers) SetLabelsOnTerminatedExecution(w http.ResponseWriter, r *http.Request, tenant api.Tenant, executionID api.ExecutionID) {
	ts := h.store(w, r, tenant)
	if ts == nil {
		return
	}
	var body []label
	if aerr := decodeJSON(r, &body); aerr != nil {
		h.s.writeError(w, r, aerr)
		return
	}
	for _, l := range body {
		if strings.HasPrefix(l.Key, "system.") {
			h.s.writeError(w, r, errUnprocessable("System labels can only be set by Kestra itself, offending label: "+l.Key+"="+l.Value))
			return
		}
	}
	var notEnded, found bool
	snap, found := ts.update(executionID, func(e *execution) {
		if !isTerminal(e.State.Current) {
			notEnded = true
			return
		}
		kept := []label{}
		for _, l := range e.Labels {
			if strings.HasPrefix(l.Key, "system.") {
				kept = append(kept, l)
			}
		}
		e.Labels = mergeLabels(kept, body)
	})
	switch {
	case !found:
		h.s.writeError(w, r, executionNotFound(executionID))
	case notEnded:
		h.s.writeError(w, r, errBadRequest("The execution is not terminated"))
	default:
		writeRawJSON(w, 200, snap)
	}
}

func (h *handlers) SearchExecutions(w http.ResponseWriter, r *http.Request, tenant api.Tenant, params api.SearchExecutionsParams) {
	ts, filters := h.search(w, r, tenant, executionLegacyParams)
	if ts == nil {
		return
	}
	all := ts.executions()
	matched := make([]execution, 0, len(all))
	for _, e := range all {
		ok, aerr := filters.matchExecution(&e)
		if aerr != nil {
			h.s.writeError(w, r, aerr)
			return
		}
		if ok {
			e.TaskRunList = nil // search answers light executions
			matched = append(matched, e)
		}
	}
	sortSpec := params.Sort
	if len(sortSpec) == 0 {
		sortSpec = []string{"state.startDate:desc"}
	}
	if aerr := sortExecutions(matched, sortSpec); aerr != nil {
		h.s.writeError(w, r, aerr)
		return
	}
	writePage(w, matched, params.Page, params.Size)
}

type window struct{ from, to int }

func paginate(n int, page, size *int32) window {
	p, sz := 1, 10
	if page != nil && *page > 0 {
		p = int(*page)
	}
	if size != nil && *size > 0 {
		sz = int(*size)
	}
	from := (p - 1) * sz
	if from > n {
		from = n
	}
	to := from + sz
	if to > n {
		to = n
	}
	return window{from, to}
}

func sortExecutions(list []execution, spec []string) *apiError {
	type key struct {
		field string
		desc  bool
	}
	var keys []key
	for _, s := range spec {
		for _, part := range strings.Split(s, ",") {
			f, dir, ok := strings.Cut(part, ":")
			if !ok {
				return errUnprocessable("Invalid sort parameter, must be 'field:asc' or 'field:desc'")
			}
			keys = append(keys, key{f, dir != "asc"})
		}
	}
	val := func(e *execution, f string) string {
		switch f {
		case "id":
			return e.ID
		case "namespace":
			return e.Namespace
		case "flowId":
			return e.FlowID
		case "state.current":
			return e.State.Current
		case "state.endDate":
			if e.State.EndDate != nil {
				return javaInstantSortable(time.Time(*e.State.EndDate))
			}
			return ""
		default: // state.startDate and anything else
			if e.State.StartDate != nil {
				return javaInstantSortable(time.Time(*e.State.StartDate))
			}
			return ""
		}
	}
	sort.SliceStable(list, func(i, j int) bool {
		for _, k := range keys {
			a, b := val(&list[i], k.field), val(&list[j], k.field)
			if a == b {
				continue
			}
			if k.desc {
				return a > b
			}
			return a < b
		}
		return false
	})
	return nil
}

func javaInstantSortable(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000000000") }

// ------------------------------------------------------------------ follow

func (h *handlers) FollowExecution(w http.ResponseWriter, r *http.Request, tenant api.Tenant, executionID api.ExecutionID) {
	ts := h.store(w, r, tenant)
	if ts == nil {
		return
	}
	h.s.followExecution(w, r, ts, executionID)
}

func (h *handlers) FollowLogsFromExecution(w http.ResponseWriter, r *http.Request, tenant api.Tenant, executionID api.ExecutionID) {
	ts := h.store(w, r, tenant)
	if ts == nil {
		return
	}
	h.s.followLogs(w, r, ts, executionID)
}

// ------------------------------------------------------------------ logs

// logFilter reads the 1.x log query parameters (minLevel, taskId,
// taskRunId, attempt) and the 2.0 filters (level, taskId).
func logFilter(q url.Values) func(logEntry) bool {
	minLevel := strings.ToUpper(q.Get("minLevel"))
	taskID := q.Get("taskId")
	taskRunID := q.Get("taskRunId")
	attempt := q.Get("attempt")
	for k, v := range q {
		switch k {
		case "filters[level][EQUALS]", "filters[level][GREATER_THAN_OR_EQUAL_TO]":
			minLevel = strings.ToUpper(v[0])
		case "filters[taskId][EQUALS]":
			taskID = v[0]
		}
	}
	return func(l logEntry) bool {
		if minLevel != "" && levelRank[l.Level] < levelRank[minLevel] {
			return false
		}
		if taskID != "" && l.TaskID != taskID {
			return false
		}
		if taskRunID != "" && l.TaskRunID != taskRunID {
			return false
		}
		if attempt != "" && (l.AttemptNumber == nil || strconv.Itoa(*l.AttemptNumber) != attempt) {
			return false
		}
		return true
	}
}

func (h *handlers) ListLogsFromExecution(w http.ResponseWriter, r *http.Request, tenant api.Tenant, executionID api.ExecutionID) {
	ts := h.store(w, r, tenant)
	if ts == nil {
		return
	}
	keep := logFilter(r.URL.Query())
	lines, _ := ts.logsOf(executionID)
	out := make([]logEntry, 0, len(lines))
	for _, l := range lines {
		if keep(l) {
			out = append(out, l)
		}
	}
	writeJSON(w, 200, out)
}

func (h *handlers) DownloadLogsFromExecution(w http.ResponseWriter, r *http.Request, tenant api.Tenant, executionID api.ExecutionID) {
	ts, _, state := h.snapshot(w, r, tenant, executionID)
	if ts == nil {
		return
	}
	keep := logFilter(r.URL.Query())
	lines, _ := ts.logsOf(executionID)
	var b strings.Builder
	first := true
	for _, l := range lines {
		if !keep(l) {
			continue
		}
		if !first {
			b.WriteByte('\n')
		}
		first = false
		stamp := ""
		if l.Timestamp != nil {
			stamp = javaInstant(time.Time(*l.Timestamp))
		}
		b.WriteString(stamp + " " + l.Level + " " + l.Message)
	}
	w.Header().Set("Content-Type", "text/plain")
	w.Header().Set("Content-Disposition", fmt.Sprintf("attachment; filename=%q", executionID+".log"))
	if !isTerminal(state) {
		w.Header().Set("Cache-Control", "no-cache")
	}
	w.Header().Set("Content-Length", strconv.Itoa(b.Len()))
	w.WriteHeader(200)
	_, _ = io.WriteString(w, b.String())
}

// ------------------------------------------------------------------ flows

func readYAMLBody(r *http.Request) (string, *apiError) {
	b, err := io.ReadAll(io.LimitReader(r.Body, 16<<20))
	if err != nil {
		return "", &apiError{status: 400, message: "Bad Request: " + err.Error(), slug: "bad-request", detail: err.Error()}
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
	msg := strings.TrimPrefix(err.Error(), errInvalidFlow.Error()+": ")
	return &apiError{status: 422, message: "Invalid entity: " + msg, slug: "invalid-entity", detail: msg,
		errors: []problemError{{Detail: msg, Path: "flow"}}}
}

func (h *handlers) CreateFlow(w http.ResponseWriter, r *http.Request, tenant api.Tenant, params api.CreateFlowParams) {
	ts := h.store(w, r, tenant)
	if ts == nil {
		return
	}
	f, aerr := readFlow(r)
	if aerr != nil {
		h.s.writeError(w, r, aerr)
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
	f = ts.putFlow(f)
	writeJSON(w, 200, f.toJSON(tenant, true))
}

func (h *handlers) GetFlow(w http.ResponseWriter, r *http.Request, tenant api.Tenant, namespace api.NamespaceName, id api.FlowID, params api.GetFlowParams) {
	ts := h.store(w, r, tenant)
	if ts == nil {
		return
	}
	rev := revision(params.Revision)
	f := ts.getFlow(namespace, id, rev, params.AllowDeleted != nil && *params.AllowDeleted)
	if f == nil {
		h.s.writeError(w, r, errNotFound("Requested Flow is not found."))
		return
	}
	writeJSON(w, 200, f.toJSON(tenant, params.Source != nil && *params.Source))
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
	ts, filters := h.search(w, r, tenant, flowLegacyParams)
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
		if !ok {
			h.s.writeError(w, r, errUnprocessable("Invalid sort parameter, must be 'field:asc' or 'field:desc'"))
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

// ------------------------------------------------------------------ KV

var (
	ionSymbol   = regexp.MustCompile(`^[A-Za-z_$][A-Za-z0-9_$]*$`)
	ionDate     = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)
	kvKeyFormat = regexp.MustCompile(`^[a-zA-Z0-9][a-zA-Z0-9._-]*$`)
)

// inferKV parses a KV body as the server does (Ion, a superset of JSON) and
// infers the stored type.
func inferKV(body string) (json.RawMessage, string, bool) {
	t := strings.TrimSpace(body)
	var v any
	if err := json.Unmarshal([]byte(t), &v); err == nil {
		switch v.(type) {
		case string:
			return json.RawMessage(t), "STRING", true
		case float64:
			return json.RawMessage(t), "NUMBER", true
		case bool:
			return json.RawMessage(t), "BOOLEAN", true
		case map[string]any, []any:
			return json.RawMessage(t), "JSON", true
		}
		return nil, "", false // null
	}
	// Ion values that are not JSON: timestamps, dates and bare symbols.
	if tm, err := time.Parse(time.RFC3339Nano, t); err == nil {
		return mustJSON(javaInstant(tm)), "DATETIME", true
	}
	if ionDate.MatchString(t) {
		return mustJSON(t), "DATE", true
	}
	if ionSymbol.MatchString(t) {
		return mustJSON(t), "STRING", true
	}
	return nil, "", false
}

// kvEntryJSON is a KVEntry as the key listings answer it.
func kvEntryJSON(ns, key string, e *kvEntry) map[string]any {
	m := map[string]any{"namespace": ns, "key": key, "creationDate": jtime(e.created), "updateDate": jtime(e.updated)}
	if e.description != "" {
		m["description"] = e.description
	}
	if e.expires != nil {
		m["expirationDate"] = jtime(*e.expires)
	}
	return m
}

// sortKVEntries orders kvEntryJSON items by namespace, then key.
func sortKVEntries(out []map[string]any) {
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i]["namespace"].(string)+"\x00"+out[i]["key"].(string), out[j]["namespace"].(string)+"\x00"+out[j]["key"].(string)
		return a < b
	})
}

func (h *handlers) SetKeyValue(w http.ResponseWriter, r *http.Request, tenant api.Tenant, namespace api.NamespaceName, key api.Key) {
	ts := h.store(w, r, tenant)
	if ts == nil {
		return
	}
	if !kvKeyFormat.MatchString(key) {
		h.s.writeError(w, r, errUnprocessable("Key must start with an alphanumeric character and contain only alphanumeric characters, dots, underscores or hyphens"))
		return
	}
	b, err := io.ReadAll(io.LimitReader(r.Body, 16<<20))
	if err != nil {
		h.s.writeError(w, r, errBadRequest(err.Error()))
		return
	}
	val, typ, ok := inferKV(string(b))
	if !ok {
		h.s.writeError(w, r, errUnprocessable("Invalid JSON value for: "+key))
		return
	}
	now := time.Now()
	var expires *time.Time
	if ttl := r.Header.Get("ttl"); ttl != "" {
		d, err := parseISODuration(ttl)
		if err != nil {
			h.s.writeError(w, r, errUnprocessable("Invalid ttl: "+ttl))
			return
		}
		e := now.Add(d)
		expires = &e
	}
	ts.mu.Lock()
	m := ts.kv[namespace]
	if m == nil {
		m = map[string]*kvEntry{}
		ts.kv[namespace] = m
	}
	entry := &kvEntry{value: val, typ: typ, description: r.Header.Get("description"), created: now, updated: now, expires: expires, revision: 1}
	if old := m[key]; old != nil {
		entry.created = old.created
		entry.revision = old.revision + 1
	}
	m[key] = entry
	ts.mu.Unlock()
	w.WriteHeader(200)
}

func (h *handlers) GetKeyValue(w http.ResponseWriter, r *http.Request, tenant api.Tenant, namespace api.NamespaceName, key api.Key) {
	ts := h.store(w, r, tenant)
	if ts == nil {
		return
	}
	ts.mu.Lock()
	e := ts.kv[namespace][key]
	ts.mu.Unlock()
	if e == nil {
		h.s.writeError(w, r, errNotFound(fmt.Sprintf("No value found for key '%s' in namespace '%s'", key, namespace)))
		return
	}
	if e.expired(time.Now()) {
		h.s.writeError(w, r, errGone(fmt.Sprintf("The requested value has expired (key '%s' in namespace '%s')", key, namespace)))
		return
	}
	writeJSON(w, 200, map[string]any{"type": e.typ, "value": e.value})
}

func (h *handlers) DeleteKeyValue(w http.ResponseWriter, r *http.Request, tenant api.Tenant, namespace api.NamespaceName, key api.Key) {
	ts := h.store(w, r, tenant)
	if ts == nil {
		return
	}
	ts.mu.Lock()
	_, ok := ts.kv[namespace][key]
	delete(ts.kv[namespace], key)
	ts.mu.Unlock()
	writeJSON(w, 200, ok)
}

func (h *handlers) ListAllKeys(w http.ResponseWriter, r *http.Request, tenant api.Tenant, params api.ListAllKeysParams) {
	ts, filters := h.search(w, r, tenant, nil)
	if ts == nil {
		return
	}
	type item struct {
		ns, key string
		e       *kvEntry
	}
	var items []item
	now := time.Now()
	ts.mu.Lock()
	for ns, m := range ts.kv {
		for k, e := range m {
			if !e.expired(now) {
				items = append(items, item{ns, k, e})
			}
		}
	}
	ts.mu.Unlock()
	var out []map[string]any
	for _, it := range items {
		ok, aerr := filters.matchKV(it.ns, it.key)
		if aerr != nil {
			h.s.writeError(w, r, aerr)
			return
		}
		if !ok {
			continue
		}
		out = append(out, kvEntryJSON(it.ns, it.key, it.e))
	}
	sortKVEntries(out)
	writePage(w, out, params.Page, params.Size)
}

// operationOf returns the operationId ServeHTTP found for r.
func operationOf(r *http.Request) string {
	op, _ := r.Context().Value(ctxOperation).(string)
	return op
}
