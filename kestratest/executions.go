package kestratest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"path"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/kestra-go/kestra-go/api"
	"github.com/kestra-go/kestra-go/kestratest/internal/domain"
)

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
	opt := startOptions{labels: labels, kind: string(params.Kind)}
	if !params.ScheduleDate.IsZero() {
		opt.scheduleDate = &params.ScheduleDate
	}
	rev := revision(params.Revision)
	wait := params.Wait
	rec, err := h.s.startExecution(ts, namespace, id, rev, given, opt)
	if err != nil {
		h.s.writeError(w, r, err)
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
		var state api.StateType
		snap, state, _ = ts.getExecution(rec.e.ID)
		done := rec.done
	waitLoop:
		for !state.IsTerminal() {
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
			case <-done:
				if s, st, ok := ts.getExecution(rec.e.ID); ok {
					snap, state = s, st
				} else {
					// Deleted while running: as on the server, nothing ends
					// the wait but the client (done stays closed: stop
					// selecting it, or this loop would spin).
					done = nil
				}
			}
		}
	} else {
		// The execution as created (CREATED, or the scheduled state), as
		// the server answers, however fast the run goes on.
		snap = rec.initial
	}
	if snap == nil {
		// Deleted by another request before it could be read.
		h.s.writeError(w, r, executionNotFound(rec.e.ID))
		return
	}
	writeJSON(w, 200, executionResponse(snap, h.s.URL, tenant))
}

// executionResponse is ExecutionController.ExecutionResponse: the
// execution plus its UI link <url>/ui/<tenant>/executions/<ns>/<flow>/<id>.
func executionResponse(snap []byte, base, tenant string) *execution {
	var e execution
	dec := json.NewDecoder(bytes.NewReader(snap))
	dec.UseNumber()    // numbers in inputs and outputs keep their digits
	_ = dec.Decode(&e) // the store's own JSON
	e.URL = fmt.Sprintf("%s/ui/%s/executions/%s/%s/%s", base, tenant, e.Namespace, e.FlowID, e.ID)
	return &e
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
			return nil, nil, bodyError(fmt.Errorf("malformed multipart body: %w", err))
		}
		in, err := readPart(p)
		if err != nil {
			return nil, nil, bodyError(err)
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

func (h *handlers) SearchExecutions(w http.ResponseWriter, r *http.Request, tenant api.Tenant, params api.SearchExecutionsParams) {
	ts, filters := h.search(w, r, tenant, api.FilterResourceExecution, executionLegacyParams)
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

func sortExecutions(list []execution, spec []string) *apiError {
	type key struct {
		field string
		desc  bool
	}
	var keys []key
	for _, s := range spec {
		for _, part := range strings.Split(s, ",") {
			f, dir, ok := strings.Cut(part, ":")
			if !ok || strings.Contains(dir, ":") {
				return errUnprocessable("Invalid sort parameter") // PageableUtils.sort
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
			return string(e.State.Current)
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

func (h *handlers) FollowExecution(w http.ResponseWriter, r *http.Request, tenant api.Tenant, executionID api.ExecutionID) {
	ts := h.store(w, r, tenant)
	if ts == nil {
		return
	}
	h.s.followExecution(w, r, ts, executionID)
}

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
	ts, refs := withBody(h, w, r, tenant, readFlowRefs)
	if ts == nil {
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
	writeJSON(w, 200, []map[string]any{inputsValidation(ts, f, given)})
}

// inputsValidation is the InputsValidation of f's inputs for these values.
func inputsValidation(ts *tenantStore, f *flowDef, given map[string]rawInput) map[string]any {
	perInput := map[string][]map[string]any{}
	var invalid *domain.Error
	if _, _, err := resolveInputs(ts, f, "validation-"+newID(), given); errors.As(err, &invalid) {
		for _, pe := range invalid.Problems {
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
	return map[string]any{"id": f.ID, "namespace": f.Namespace, "inputs": inputs, "checks": []any{}}
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
	b, ok := h.executionFile(w, r, tenant, executionID, params.Path)
	if !ok {
		return
	}
	w.Header().Set("Content-Type", "application/octet-stream")
	w.Header().Set("Content-Disposition", fmt.Sprintf("attachment; filename=%q", path.Base(params.Path)))
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	w.WriteHeader(200)
	_, _ = w.Write(b)
}

// executionFile reads a kestra:// file of an execution, or answers: 404
// for an unknown execution or file, 422 for another prefix as the server.
func (h *handlers) executionFile(w http.ResponseWriter, r *http.Request, tenant, execID, uri string) ([]byte, bool) {
	ts, _ := h.execution(w, r, tenant, execID)
	if ts == nil {
		return nil, false
	}
	if !strings.HasPrefix(uri, "kestra://") || !strings.Contains(uri, "/executions/"+execID+"/") {
		h.s.writeError(w, r, errIllegalArgument("Invalid prefix path"))
		return nil, false
	}
	b, ok := ts.getFile(uri)
	if !ok {
		h.s.writeError(w, r, errNotFound("File not found: "+uri))
	}
	return b, ok
}

func (h *handlers) GetFileMetadatasFromExecution(w http.ResponseWriter, r *http.Request, tenant api.Tenant, executionID api.ExecutionID, params api.GetFileMetadatasFromExecutionParams) {
	b, ok := h.executionFile(w, r, tenant, executionID, params.Path)
	if !ok {
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

func (h *handlers) EvalExpression(w http.ResponseWriter, r *http.Request, tenant api.Tenant, executionID api.ExecutionID) {
	h.eval(w, r, tenant, executionID, "")
}

func (h *handlers) EvalTaskRunExpression(w http.ResponseWriter, r *http.Request, tenant api.Tenant, executionID api.ExecutionID, taskRunID api.TaskRunIDPath) {
	h.eval(w, r, tenant, executionID, taskRunID)
}

// eval renders the body against an execution's context (and, with a task
// run id, checks that the task run exists: 404 otherwise).
func (h *handlers) eval(w http.ResponseWriter, r *http.Request, tenant, executionID, taskRunID string) {
	ts, f, e := h.executionAndFlow(w, r, tenant, executionID)
	if ts == nil {
		return
	}
	if taskRunID != "" && e.taskRun(taskRunID) == nil {
		h.s.writeError(w, r, errNotFound("No task run found with id "+taskRunID))
		return
	}
	b, aerr := readBody(r)
	if aerr != nil {
		h.s.writeError(w, r, aerr)
		return
	}
	out, err := renderString(string(b), renderContext(tenant, f, e))
	if err != nil {
		writeJSON(w, 200, map[string]any{"error": err.Error()})
		return
	}
	writeJSON(w, 200, map[string]any{"result": out})
}

// taskRun returns the task run with this id, or nil.
func (e *execution) taskRun(id string) *taskRun {
	for i := range e.TaskRunList {
		if e.TaskRunList[i].ID == id {
			return &e.TaskRunList[i]
		}
	}
	return nil
}
