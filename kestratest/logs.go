package kestratest

import (
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/kestra-go/kestra-go/api"
	"github.com/kestra-go/kestra-go/internal/javatime"
)

func (h *handlers) FollowLogsFromExecution(w http.ResponseWriter, r *http.Request, tenant api.Tenant, executionID api.ExecutionID, _ api.FollowLogsFromExecutionParams) {
	ts := h.store(w, r, tenant)
	if ts == nil {
		return
	}
	keep, aerr := logFilter(r.URL.Query())
	if aerr != nil {
		h.s.writeError(w, r, aerr)
		return
	}
	h.s.followLogs(w, r, ts, executionID, keep)
}

// logLegacyParams are the 1.x log query parameters, read as filters when
// the query has no filters[...] (a 2.0 server takes only filters on the
// logs of an execution; its delete still takes these).
var logLegacyParams = map[string]filter{
	"minLevel":  {field: "level", op: "GREATER_THAN_OR_EQUAL_TO"},
	"taskId":    {field: "taskId", op: "EQUALS"},
	"taskRunId": {field: "taskRunId", op: "EQUALS"},
	"attempt":   {field: "attemptNumber", op: "EQUALS"},
}

// logFilter reads the filters of a query on the logs of one execution
// (filters[...] checked as the server checks a LOG search, or the 1.x
// parameters) and returns which lines they keep. A field or value the
// server refuses is a 400, whatever lines there are.
func logFilter(q url.Values) (func(logEntry) bool, *apiError) {
	fs, aerr := parseFilters(q, api.FilterResourceLog, logLegacyParams)
	if aerr != nil {
		return nil, aerr
	}
	if _, aerr := fs.matchLog(&logEntry{}); aerr != nil {
		return nil, aerr
	}
	return func(l logEntry) bool {
		ok, _ := fs.matchLog(&l)
		return ok
	}, nil
}

func (h *handlers) ListLogsFromExecution(w http.ResponseWriter, r *http.Request, tenant api.Tenant, executionID api.ExecutionID, _ api.ListLogsFromExecutionParams) {
	ts := h.store(w, r, tenant)
	if ts == nil {
		return
	}
	keep, aerr := logFilter(r.URL.Query())
	if aerr != nil {
		h.s.writeError(w, r, aerr)
		return
	}
	lines, _ := ts.logsOf(executionID)
	out := make([]logEntry, 0, len(lines))
	for _, l := range lines {
		if keep(l) {
			out = append(out, l)
		}
	}
	writeJSON(w, 200, out)
}

func (h *handlers) DownloadLogsFromExecution(w http.ResponseWriter, r *http.Request, tenant api.Tenant, executionID api.ExecutionID, _ api.DownloadLogsFromExecutionParams) {
	ts, _, state := h.snapshot(w, r, tenant, executionID)
	if ts == nil {
		return
	}
	keep, aerr := logFilter(r.URL.Query())
	if aerr != nil {
		h.s.writeError(w, r, aerr)
		return
	}
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
			stamp = javatime.FormatInstant(time.Time(*l.Timestamp))
		}
		b.WriteString(stamp + " " + l.Level + " " + l.Message)
	}
	w.Header().Set("Content-Type", "text/plain")
	w.Header().Set("Content-Disposition", fmt.Sprintf("attachment; filename=%q", executionID+".log"))
	if !state.IsTerminal() {
		w.Header().Set("Cache-Control", "no-cache")
	}
	w.Header().Set("Content-Length", strconv.Itoa(b.Len()))
	w.WriteHeader(200)
	_, _ = io.WriteString(w, b.String())
}

func (h *handlers) SearchLogs(w http.ResponseWriter, r *http.Request, tenant api.Tenant, params api.SearchLogsParams) {
	ts, fs := h.search(w, r, tenant, api.FilterResourceLog, logLegacyParams)
	if ts == nil {
		return
	}
	ts.mu.Lock()
	var all []logEntry
	for _, lines := range ts.logs {
		all = append(all, lines...)
	}
	ts.mu.Unlock()
	var out []logEntry
	if _, aerr := fs.matchLog(&logEntry{}); aerr != nil { // a bad value, whatever the lines
		h.s.writeError(w, r, aerr)
		return
	}
	for _, l := range all {
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
	// CursorOrOffsetPagedResults: its `type` is @NotNull in the server.
	win := paginate(len(out), params.Page, params.Size)
	res := out[win.from:win.to]
	if res == nil {
		res = []logEntry{}
	}
	writeJSON(w, 200, map[string]any{"results": res, "total": len(out), "type": "OFFSET"})
}

func (h *handlers) DeleteLogsFromExecution(w http.ResponseWriter, r *http.Request, tenant api.Tenant, executionID api.ExecutionID, params api.DeleteLogsFromExecutionParams) {
	ts := h.store(w, r, tenant)
	if ts == nil {
		return
	}
	match, aerr := logFilter(r.URL.Query())
	if aerr != nil {
		h.s.writeError(w, r, aerr)
		return
	}
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
