package facade

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

// FuzzExecutionStream feeds arbitrary bytes as an execution's event stream:
// the reader never panics, always ends with streamClosed unless it accepted
// an end, and accepts an end only for this execution in an ended state.
func FuzzExecutionStream(f *testing.F) {
	for _, seed := range []string{
		"id: start\ndata: {\"id\":\"e1\"}\n\nid: progress\ndata: {\"id\":\"e1\",\"state\":{\"current\":\"RUNNING\"}}\n\nid: end\ndata: {\"id\":\"e1\",\"state\":{\"current\":\"SUCCESS\"}}\n\n",
		"id: end\ndata: {\"id\":\"e1\",\"state\":{\"current\":\"SUCCESS\"}}\n",
		"id: end\r\ndata: {\"id\":\"e2\",\"state\":{\"current\":\"FAILED\"}}\r\n\r\n",
		"id: end\rdata: {\"id\":\"e1\",\"state\":{\"current\":\"RUNNING\"}}\r\r",
		"\xef\xbb\xbfid: progress\ndata: {\"id\":\"e1\"\ndata: ,\"state\":{}}\n\n",
		"data: \x00\xff\xfe\n\n:comment\n\nretry: 10\n\n",
		"id: end\ndata: null\n\n",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, stream []byte) {
		var events []streamEvent
		readExecutionStream(bytes.NewReader(stream), "e1", 1<<16, len(stream)%2 == 0, func(e streamEvent) bool {
			events = append(events, e)
			return true
		})
		if len(events) == 0 {
			t.Fatal("no event: a stream always ends with streamClosed or an accepted end")
		}
		last := events[len(events)-1]
		for i, e := range events {
			switch e.kind {
			case streamEnd:
				if e.exec == nil || e.exec.ID != "e1" || !e.exec.State.Current.IsTerminal() || i != len(events)-1 {
					t.Fatalf("accepted end %+v at %d of %d", e.exec, i, len(events))
				}
			case streamProgress:
				if e.exec.ID != "e1" {
					t.Fatalf("progress of %q", e.exec.ID)
				}
			case streamClosed:
				if i != len(events)-1 {
					t.Fatal("events after streamClosed")
				}
			}
		}
		if last.kind != streamClosed && last.kind != streamEnd {
			t.Fatalf("the stream ended with kind %d", last.kind)
		}
		if !bytes.HasSuffix(stream, []byte("\n\n")) && !bytes.HasSuffix(stream, []byte("\r\r")) && !bytes.HasSuffix(stream, []byte("\r\n\r\n")) && last.kind == streamEnd && bytes.Count(stream, []byte("id: end")) == 1 && bytes.HasPrefix(stream, []byte("id: end")) && !bytes.Contains(stream, []byte("\n\n")) && !bytes.Contains(stream, []byte("\r\r")) {
			t.Fatal("accepted an end event cut before its blank line")
		}
	})
}

// The cost of reading the running tasks from a progress event (100 task
// runs): the head with its task runs (with a progress handler), side by
// side with the head alone (without).
func BenchmarkProgressEventHead(b *testing.B) {
	var buf bytes.Buffer
	buf.WriteString(`{"id":"e1","namespace":"ns","flowId":"f","state":{"current":"RUNNING","histories":[]},"taskRunList":[`)
	for i := range 100 {
		if i > 0 {
			buf.WriteString(",")
		}
		fmt.Fprintf(&buf, `{"id":"tr%d","taskId":"task%d","attempts":[{"state":{"current":"SUCCESS"}}],"outputs":{"value":"%s"},"state":{"current":"SUCCESS","histories":[{"state":"CREATED","date":"2026-12-01T10:00:00Z"},{"state":"RUNNING","date":"2026-12-01T10:00:01Z"}]}}`, i, i, strings.Repeat("x", 200))
	}
	buf.WriteString("]}")
	data := buf.Bytes()
	b.Run("withTasks", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		b.ReportAllocs()
		for b.Loop() {
			var p execProgress
			if err := json.Unmarshal(data, &p); err != nil || len(p.TaskRunList) != 100 {
				b.Fatal(err)
			}
			_ = p.running()
		}
	})
	b.Run("headOnly", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		b.ReportAllocs()
		for b.Loop() {
			var h execHead
			if err := json.Unmarshal(data, &h); err != nil {
				b.Fatal(err)
			}
		}
	})
}
