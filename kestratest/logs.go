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
	h.s.followLogs(w, r, ts, executionID)
}

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

func (h *handlers) ListLogsFromExecution(w http.ResponseWriter, r *http.Request, tenant api.Tenant, executionID api.ExecutionID, _ api.ListLogsFromExecutionParams) {
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

func (h *handlers) DownloadLogsFromExecution(w http.ResponseWriter, r *http.Request, tenant api.Tenant, executionID api.ExecutionID, _ api.DownloadLogsFromExecutionParams) {
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
	ts, fs := h.search(w, r, tenant, api.FilterResourceLog, nil)
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
