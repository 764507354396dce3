package emitter

import (
	"encoding/json"
	"io"
	"testing"
	"time"
)

// The benchmarks write into io.Discard. Each *Floor benchmark is the
// reference of the issue: encoding/json marshalling the same message plus
// one Write (the "::" framing appended to a reused buffer). benchcmp/run.sh
// compares them with the Python client's loop.

func reportRate(b *testing.B) {
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "msgs/s")
}

// benchFloor runs the floor of a benchmark: encoding/json marshals the
// message that msg builds, and one Write sends it framed in "::".
func benchFloor(b *testing.B, msg func() any) {
	var buf []byte
	b.ReportAllocs()
	for b.Loop() {
		j, err := json.Marshal(msg())
		if err != nil {
			b.Fatal(err)
		}
		buf = append(append(append(buf[:0], "::"...), j...), "::\n"...)
		_, _ = io.Discard.Write(buf)
	}
	reportRate(b)
}

var benchOutputs = map[string]any{"rows": 42, "table": "orders", "ok": true}

// BenchmarkOutputs builds the map in the loop, as the Python client's loop
// builds its dict: what a program pays per call.
func BenchmarkOutputs(b *testing.B) {
	e := New(io.Discard, io.Discard)
	b.ReportAllocs()
	for b.Loop() {
		if err := e.Outputs(map[string]any{"rows": 42, "table": "orders", "ok": true}); err != nil {
			b.Fatal(err)
		}
	}
	reportRate(b)
}

// BenchmarkOutputsPrebuilt sends one map built once.
func BenchmarkOutputsPrebuilt(b *testing.B) {
	e := New(io.Discard, io.Discard)
	b.ReportAllocs()
	for b.Loop() {
		if err := e.Outputs(benchOutputs); err != nil {
			b.Fatal(err)
		}
	}
	reportRate(b)
}

// BenchmarkOutputPairs sends the same outputs through the map-free form.
func BenchmarkOutputPairs(b *testing.B) {
	e := New(io.Discard, io.Discard)
	b.ReportAllocs()
	for b.Loop() {
		if err := e.OutputPairs("rows", 42, "table", "orders", "ok", true); err != nil {
			b.Fatal(err)
		}
	}
	reportRate(b)
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
	e := New(io.Discard, io.Discard)
	b.ReportAllocs()
	for b.Loop() {
		if err := e.Counter("rows", 42, map[string]string{"table": "orders"}); err != nil {
			b.Fatal(err)
		}
	}
	reportRate(b)
}

func BenchmarkCounterPrebuilt(b *testing.B) {
	e := New(io.Discard, io.Discard)
	b.ReportAllocs()
	for b.Loop() {
		if err := e.Counter("rows", 42, benchTags); err != nil {
			b.Fatal(err)
		}
	}
	reportRate(b)
}

// BenchmarkGaugeFraction is a counter-like metric whose value is not whole
// (the whole-float fast path does not apply).
func BenchmarkGaugeFraction(b *testing.B) {
	e := New(io.Discard, io.Discard)
	b.ReportAllocs()
	for b.Loop() {
		if err := e.Gauge("load", 0.734, benchTags); err != nil {
			b.Fatal(err)
		}
	}
	reportRate(b)
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
	for b.Loop() {
		l.Info("hello", "rows", 42)
	}
	reportRate(b)
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
