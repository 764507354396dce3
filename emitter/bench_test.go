package emitter

import (
	"encoding/json"
	"io"
	"os"
	"testing"
	"time"
)

// The benchmarks write into io.Discard. Each *Floor benchmark is the
// reference of the issue: encoding/json marshalling the same message plus
// one Write (the "::" framing appended to a reused buffer). benchcmp/run.sh
// compares them with the Python client's loop.

// startRate is called before a benchmark's loop; the function it returns
// reports, after the loop, the messages per second and the process CPU time
// per message (cpu-ns/op, which benchcmp compares with the Python side's
// CPU time as load on a shared machine disturbs it less than wall time).
func startRate(b *testing.B) func() {
	start := cpuNanos()
	return func() {
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "msgs/s")
		if start != 0 {
			b.ReportMetric(float64(cpuNanos()-start)/float64(b.N), "cpu-ns/op")
		}
	}
}

// benchEmit runs send in a loop with an Emitter writing to w.
func benchEmit(b *testing.B, w io.Writer, send func(e *Emitter) error) {
	e := New(w, w)
	b.ReportAllocs()
	report := startRate(b)
	for b.Loop() {
		if err := send(e); err != nil {
			b.Fatal(err)
		}
	}
	report()
}

// benchFloor runs the floor of a benchmark: encoding/json marshals the
// message that msg builds, and one Write sends it framed in "::".
func benchFloor(b *testing.B, msg func() any) {
	var buf []byte
	b.ReportAllocs()
	report := startRate(b)
	for b.Loop() {
		j, err := json.Marshal(msg())
		if err != nil {
			b.Fatal(err)
		}
		buf = append(append(append(buf[:0], "::"...), j...), "::\n"...)
		_, _ = io.Discard.Write(buf)
	}
	report()
}

var benchOutputs = map[string]any{"rows": 42, "table": "orders", "ok": true}

// BenchmarkOutputs builds the map in the loop, as the Python client's loop
// builds its dict: what a program pays per call.
func BenchmarkOutputs(b *testing.B) {
	benchEmit(b, io.Discard, func(e *Emitter) error { return e.Outputs(map[string]any{"rows": 42, "table": "orders", "ok": true}) })
}

// BenchmarkOutputsPrebuilt sends one map built once.
func BenchmarkOutputsPrebuilt(b *testing.B) {
	benchEmit(b, io.Discard, func(e *Emitter) error { return e.Outputs(benchOutputs) })
}

// BenchmarkOutputsDevNull is BenchmarkOutputs into an *os.File on
// /dev/null: each call is one write system call, which a program writing to
// os.Stdout pays (Python's print, on a pipe, buffers instead).
func BenchmarkOutputsDevNull(b *testing.B) {
	f, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	benchEmit(b, f, func(e *Emitter) error {
		return e.Outputs(map[string]any{"rows": 42, "table": "orders", "ok": true})
	})
}

// BenchmarkOutputPairs sends the same outputs through the map-free form.
func BenchmarkOutputPairs(b *testing.B) {
	benchEmit(b, io.Discard, func(e *Emitter) error { return e.OutputPairs("rows", 42, "table", "orders", "ok", true) })
}

// BenchmarkOutputsFloor builds its map in the loop; it is the floor of the
// Outputs, OutputsPrebuilt and OutputPairs rows of benchcmp.
func BenchmarkOutputsFloor(b *testing.B) {
	benchFloor(b, func() any {
		return map[string]any{"outputs": map[string]any{"rows": 42, "table": "orders", "ok": true}}
	})
}

var benchTags = map[string]string{"table": "orders"}

// BenchmarkCounter builds the tags in the loop, as the Python loop does.
func BenchmarkCounter(b *testing.B) {
	benchEmit(b, io.Discard, func(e *Emitter) error { return e.Counter("rows", 42, map[string]string{"table": "orders"}) })
}

func BenchmarkCounterPrebuilt(b *testing.B) {
	benchEmit(b, io.Discard, func(e *Emitter) error { return e.Counter("rows", 42, benchTags) })
}

// BenchmarkGaugeFraction is a counter-like metric whose value is not whole
// (the whole-float fast path does not apply).
func BenchmarkGaugeFraction(b *testing.B) {
	benchEmit(b, io.Discard, func(e *Emitter) error { return e.Gauge("load", 0.734, benchTags) })
}

type floorMetric struct {
	Name  string            `json:"name"`
	Type  string            `json:"type"`
	Value float64           `json:"value"`
	Tags  map[string]string `json:"tags"`
}

type floorMetrics struct {
	Metrics []floorMetric `json:"metrics"`
}

func BenchmarkCounterFloor(b *testing.B) {
	benchFloor(b, func() any {
		return floorMetrics{Metrics: []floorMetric{{"rows", "counter", 42, map[string]string{"table": "orders"}}}}
	})
}

func BenchmarkLoggerInfo(b *testing.B) {
	l := New(io.Discard, io.Discard).Logger()
	b.ReportAllocs()
	report := startRate(b)
	for b.Loop() {
		l.Info("hello", "rows", 42)
	}
	report()
}

type floorLog struct {
	Level   string `json:"level"`
	Message string `json:"message"`
}

type floorLogs struct {
	Logs []floorLog `json:"logs"`
}

// BenchmarkLoggerInfoFloor marshals the finished message text: it leaves
// out slog's own work (caller, time, attributes), so it is a strict floor.
func BenchmarkLoggerInfoFloor(b *testing.B) {
	benchFloor(b, func() any { return floorLogs{Logs: []floorLog{{"INFO", "2026-01-02T03:04:05.000Z - hello rows=42"}}} })
}

func BenchmarkFormat(b *testing.B) {
	m := Message{Outputs: benchOutputs}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Format(m); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkParse reads lines as Format writes them: the server's view of a
// small message of each kind.
func BenchmarkParse(b *testing.B) {
	for _, bm := range []struct {
		name string
		msg  Message
	}{
		{"outputs+counter", Message{Outputs: benchOutputs, Metrics: []Metric{{Name: "rows", Type: MetricCounter, Value: 42, Tags: benchTags}}}},
		{"timer", Message{Metrics: []Metric{{Name: "load", Type: MetricTimer, Duration: 1234567 * time.Microsecond, Tags: benchTags}}}},
		{"log", Message{Logs: []Log{{LogInfo, "2026-01-02T03:04:05.000Z - hello rows=42"}}}},
	} {
		line, err := Format(bm.msg)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(bm.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(line)))
			for b.Loop() {
				if _, err := Parse(line); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
