package api_test

import (
	"encoding/json"
	"os"
	"reflect"
	"testing"
	"time"

	"github.com/kestra-go/kestra-go/api"
)

// executionJSON is an execution as the server sends it after a run that
// failed in its second task: fields this client does not model (tenantId,
// deleted, kind, task run outputs) included, null fields omitted.
var executionJSON = func() string {
	b, err := os.ReadFile("testdata/execution.json")
	if err != nil {
		panic(err)
	}
	return string(b)
}()

func TestDecodeExecution(t *testing.T) {
	var e api.ExecutionResponse
	if err := json.Unmarshal([]byte(executionJSON), &e); err != nil {
		t.Fatal(err)
	}
	if e.ID != "4Xy8pXZcvyR1mfSD3Bq0Yb" || e.Namespace != "company.team" || e.FlowID != "hello" || e.FlowRevision != 3 {
		t.Errorf("identity: %+v", e)
	}
	if e.URL != "http://localhost:8080/ui/main/executions/company.team/hello/4Xy8pXZcvyR1mfSD3Bq0Yb" {
		t.Errorf("url %v", e.URL)
	}

	s := e.State
	if s.Current != api.StateTypeFailed || len(s.Histories) != 3 || s.Histories[1].State != api.StateTypeRunning {
		t.Errorf("state %+v", s)
	}
	wantStart := time.Date(2026, 5, 1, 10, 0, 0, 101e6, time.UTC)
	if !s.StartDate.Equal(wantStart) || !s.Histories[0].Date.Equal(wantStart) {
		t.Errorf("startDate %v, first history %v", s.StartDate, s.Histories[0].Date)
	}
	if !s.EndDate.Equal(time.Date(2026, 5, 1, 10, 0, 4, 251e6, time.UTC)) {
		t.Errorf("endDate %v", s.EndDate)
	}
	if s.Duration != "PT4.15S" {
		t.Errorf("duration %v", s.Duration)
	}

	// Inputs keep their JSON types.
	want := map[string]any{
		"greeting": "hello world",
		"count":    float64(42),
		"ratio":    0.5,
		"enabled":  true,
		"tags":     []any{"a", "b"},
		"config":   map[string]any{"retries": float64(3), "mode": "fast"},
		"data":     "kestra:///company/team/hello/executions/4Xy8pXZcvyR1mfSD3Bq0Yb/inputs/data/rows.csv",
	}
	if !reflect.DeepEqual(e.Inputs, want) {
		t.Errorf("inputs %#v", e.Inputs)
	}
	if e.Outputs["result"] != "done" || e.Outputs["rows"] != float64(2) {
		t.Errorf("outputs %#v", e.Outputs)
	}
	if len(e.Labels) != 3 || e.Labels[0] != (api.Label{Key: "team", Value: "data"}) {
		t.Errorf("labels %+v", e.Labels)
	}
	if !e.Metadata.OriginalCreatedDate.Equal(time.Date(2026, 5, 1, 10, 0, 0, 100e6, time.UTC)) ||
		e.Metadata.AttemptNumber != 1 {
		t.Errorf("metadata %+v", e.Metadata)
	}

	if e.Kind != api.ExecutionKindNormal {
		t.Errorf("kind %v", e.Kind)
	}

	if len(e.TaskRunList) != 2 {
		t.Fatalf("%d task runs", len(e.TaskRunList))
	}
	tr := e.TaskRunList[1]
	if tr.TaskID != "each" || tr.Value != "b" || tr.Iteration == nil || *tr.Iteration != 1 ||
		tr.ParentTaskRunID != "2kcP8UHY3EfJWVSmPE7Xd5" || tr.State.Current != api.StateTypeFailed {
		t.Errorf("second task run %+v", tr)
	}
	att := e.TaskRunList[0].Attempts
	if len(att) != 1 || att[0].State.Current != api.StateTypeSuccess || att[0].WorkerID == "" {
		t.Errorf("attempts %+v", att)
	}

	// The same document decodes as a plain Execution (getExecution's answer).
	var plain api.Execution
	if err := json.Unmarshal([]byte(executionJSON), &plain); err != nil {
		t.Fatal(err)
	}
	if plain.ID != e.ID || plain.State.Current != e.State.Current || len(plain.TaskRunList) != 2 {
		t.Errorf("as Execution: %+v", plain)
	}
}

// TestDecodeUnknownState checks that a state name this client does not know
// (from an older or newer server) decodes instead of failing.
func TestDecodeUnknownState(t *testing.T) {
	var s api.State
	if err := json.Unmarshal([]byte(`{"current":"SOME_FUTURE_STATE","histories":[{"state":"SOME_FUTURE_STATE","date":"2026-05-01T10:00:00Z"}]}`), &s); err != nil {
		t.Fatal(err)
	}
	if s.Current != "SOME_FUTURE_STATE" || s.Current.Valid() {
		t.Errorf("current %q valid=%v", s.Current, s.Current.Valid())
	}
}

func TestDecodeLogEntryWithNullAttempt(t *testing.T) {
	var logs []api.LogEntry
	doc := `[{"namespace":"company.team","flowId":"hello","taskId":"say","executionId":"4Xy8pXZcvyR1mfSD3Bq0Yb",
		"taskRunId":"2kcP8UHY3EfJWVSmPE7Xd5","attemptNumber":null,"timestamp":"2026-05-01T10:00:00.123456Z",
		"level":"INFO","thread":"worker-1","message":"hello world","deleted":false,"executionKind":"NORMAL"}]`
	if err := json.Unmarshal([]byte(doc), &logs); err != nil {
		t.Fatal(err)
	}
	l := logs[0]
	if l.AttemptNumber != nil || l.Level != api.LevelInfo || l.Message != "hello world" {
		t.Errorf("log entry %+v", l)
	}
	if l.Timestamp.Nanosecond() != 123456000 {
		t.Errorf("timestamp %v", l.Timestamp)
	}
}

// BenchmarkDecodeExecution measures decoding one execution document (the
// size of a small two-task run), the work done for each polled or streamed
// execution.
func BenchmarkDecodeExecution(b *testing.B) {
	data := []byte(executionJSON)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		var e api.Execution
		if err := json.Unmarshal(data, &e); err != nil {
			b.Fatal(err)
		}
	}
}
