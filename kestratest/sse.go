package kestratest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"time"

	"github.com/kestra-go/kestra-go/api"
)

// sseWriter writes events the way Micronaut does for Kestra: only `id:`
// (the event kind) and one `data:` line, then a blank line.
type sseWriter struct {
	w        http.ResponseWriter
	rc       *http.ResponseController
	sent     int
	cutAfter int
	// check validates each event's data (WithResponseValidation).
	check func(kind string, data []byte)
}

func (s *Server) newSSEWriter(w http.ResponseWriter, r *http.Request, schema string) *sseWriter {
	w.Header().Set("Content-Type", "text/event-stream")
	w.WriteHeader(http.StatusOK)
	sw := &sseWriter{w: w, rc: http.NewResponseController(w)}
	if n, ok := r.Context().Value(ctxCutSSE).(int); ok {
		sw.cutAfter = n
	}
	if report := s.cfg.responseValidation; report != nil {
		sw.check = func(kind string, data []byte) {
			if kind == "start" {
				return // a placeholder on the real server too
			}
			if err := validateJSON(schema, data); err != nil {
				report(fmt.Errorf("event %q of %s does not match the OpenAPI document: %w", kind, r.URL.Path, err))
			}
		}
	}
	return sw
}

// send writes one event; with an injected CutSSEAfter fault, it cuts the
// connection once the allowed events are out.
func (sw *sseWriter) send(kind string, data []byte) {
	if sw.check != nil {
		sw.check(kind, data)
	}
	buf := make([]byte, 0, len(data)+32)
	buf = append(buf, "id: "...)
	buf = append(buf, kind...)
	buf = append(buf, "\ndata: "...)
	buf = append(buf, data...)
	buf = append(buf, "\n\n"...)
	if _, err := sw.w.Write(buf); err != nil {
		panic(http.ErrAbortHandler)
	}
	_ = sw.rc.Flush()
	sw.sent++
	if sw.cutAfter > 0 && sw.sent >= sw.cutAfter {
		panic(http.ErrAbortHandler)
	}
}

// cut aborts the response: the client sees the chunked body end without
// its terminator (as when the real server aborts a stream).
func cut() { panic(http.ErrAbortHandler) }

// followExecution streams an execution: `start` (placeholder), `progress`
// with the current execution and each change, `end` with the final state,
// then the stream completes. An already-ended execution gets start + end.
// An unknown execution gets 200 + start, then the stream is cut after the
// WithUnknownExecutionCut delay unless the execution appears meanwhile.
func (s *Server) followExecution(w http.ResponseWriter, r *http.Request, ts *tenantStore, id string) {
	topic := ts.execTopic(id)
	sub := ts.broker.subscribe(topic)
	defer ts.broker.unsubscribe(topic, sub)

	sw := s.newSSEWriter(w, r, "Execution")
	placeholder, _ := json.Marshal(map[string]any{"id": id, "labels": []any{}, "deleted": false})
	sw.send("start", placeholder)

	snap, state, ok := ts.getExecution(id)
	if !ok {
		deadline := time.Now().Add(s.cfg.unknownExecutionCut)
		for !ok {
			if time.Now().After(deadline) || !s.sleepCtx(r.Context(), 20*time.Millisecond) {
				s.log.Debug("follow: unknown execution, cutting the stream", "execution", id)
				cut()
			}
			snap, state, ok = ts.getExecution(id)
		}
	}
	if state.IsTerminal() {
		sw.send("end", snap)
		return
	}
	sw.send("progress", snap)
	for {
		select {
		case <-sub.notify:
			for _, ev := range sub.drain() {
				if ev.terminal {
					sw.send("end", ev.data)
					return
				}
				sw.send("progress", ev.data)
			}
		case <-r.Context().Done():
			return
		case <-s.ctx.Done():
			cut()
		}
	}
}

// followLogs streams log lines: `start` with an empty entry, then every
// stored line, then new lines as they come. Like the real server it never
// ends by itself: the client closes it (or the server closes).
func (s *Server) followLogs(w http.ResponseWriter, r *http.Request, ts *tenantStore, id string, keep func(logEntry) bool) {
	topic := ts.logTopic(id)
	sub := ts.broker.subscribe(topic)
	defer ts.broker.unsubscribe(topic, sub)

	sw := s.newSSEWriter(w, r, "FollowLogEvent")
	sw.send("start", []byte(`{"attemptNumber":null,"deleted":false}`))
	lines, last := ts.logsOf(id)
	for _, l := range lines {
		if keep(l) {
			b, _ := json.Marshal(&l)
			sw.send("progress", b)
		}
	}
	for {
		select {
		case <-sub.notify:
			for _, ev := range sub.drain() {
				if ev.seq <= last {
					continue // already sent by the backfill
				}
				if keep(*ev.log) {
					sw.send("progress", ev.data)
				}
			}
		case <-r.Context().Done():
			return
		case <-s.ctx.Done():
			cut()
		}
	}
}

// validateJSON checks JSON data against a schema of the document.
func validateJSON(schema string, data []byte) error {
	doc, _, err := loadSpec()
	if err != nil {
		return err
	}
	ref := doc.Components.Schemas[schema]
	if ref == nil || ref.Value == nil {
		return fmt.Errorf("no schema %s in the document", schema)
	}
	var v any
	if err := json.Unmarshal(data, &v); err != nil {
		return err
	}
	return ref.Value.VisitJSON(v)
}

// followDependencies streams the state of an execution and of the
// executions that depend on it (ExecutionStatusEvent, the event id being
// the execution id); kestratest runs no subflows, so only the followed
// execution is sent, at subscription and on every state change, and the
// stream completes when it ends. An unknown execution is a 404.
func (s *Server) followDependencies(w http.ResponseWriter, r *http.Request, ts *tenantStore, id string) {
	topic := ts.execTopic(id)
	sub := ts.broker.subscribe(topic)
	defer ts.broker.unsubscribe(topic, sub)
	snap, _, ok := ts.getExecution(id)
	if !ok {
		s.writeError(w, r, executionNotFound(id))
		return
	}
	sw := s.newSSEWriter(w, r, "ExecutionStatusEvent")
	last := api.StateType("")
	send := func(snap []byte) bool {
		var e execution
		if json.Unmarshal(snap, &e) != nil {
			return false
		}
		if e.State.Current != last {
			last = e.State.Current
			b, _ := json.Marshal(map[string]any{"executionId": e.ID, "tenantId": ts.name, "namespace": e.Namespace, "flowId": e.FlowID, "state": e.State})
			sw.send(e.ID, b)
		}
		return e.State.Current.IsTerminal()
	}
	if send(snap) {
		return
	}
	for {
		select {
		case <-sub.notify:
			for _, ev := range sub.drain() {
				if send(ev.data) {
					return
				}
			}
		case <-r.Context().Done():
			return
		case <-s.ctx.Done():
			cut()
		}
	}
}
