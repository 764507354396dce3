package emitter

import (
	"bytes"
	"fmt"
	"math"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"
)

// hostile are strings that break naive protocol lines.
var hostile = []string{
	"", "plain", "line\nbreak", "carriage\rreturn", "crlf\r\n", "nel\u0085x", "ls\u2028x", "ps\u2029x",
	"::", "}::", "::{", "::{}::", "}::\n::{", `"quoted"`, `back\slash`, "nul\x00byte", "\x01\x1f\x7f",
	"tab\tform\fbs\b", "invalid\xff\xfeutf8", "truncated\xc3", "surrogate\xed\xa0\x80", "é ü ß 日本 😀 \U0010FFFF",
	"\ufeffbom", "\ufffd", strings.Repeat("long✓\u2028", 6_000),
}

// fixUTF8 is what a string becomes on the server: each invalid byte is U+FFFD.
func fixUTF8(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		b.WriteRune(r)
		i += size
	}
	return b.String()
}

// serverView maps a Go value to what Parse returns for it.
func serverView(v any) any {
	switch v := v.(type) {
	case string:
		return fixUTF8(v)
	case int:
		return int64(v)
	case map[string]any:
		out := make(map[string]any, len(v))
		for k, x := range v {
			out[fixUTF8(k)] = serverView(x)
		}
		return out
	case []any:
		out := make([]any, len(v))
		for i, x := range v {
			out[i] = serverView(x)
		}
		return out
	}
	return v
}

func serverTags(tags map[string]string) map[string]string {
	if len(tags) == 0 {
		return nil
	}
	out := make(map[string]string, len(tags))
	for k, v := range tags {
		out[fixUTF8(k)] = fixUTF8(v)
	}
	return out
}

// checkLine asserts that a line is one line of printable ASCII.
func checkLine(t *testing.T, line string) {
	t.Helper()
	for i := 0; i < len(line); i++ {
		if c := line[i]; c < 0x20 || c >= 0x7f {
			t.Fatalf("byte %#x at offset %d of the line", c, i)
		}
	}
}

func deepMap(depth int, leaf any) map[string]any {
	m := map[string]any{"leaf": leaf}
	for range depth - 1 {
		m = map[string]any{"k\n}::": m}
	}
	return m
}

func TestRoundTripHostile(t *testing.T) {
	for i, s := range hostile {
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			msg := Message{
				Outputs: map[string]any{
					s:        s,
					"k" + s:  []any{s, 1, 2.5, true, nil, map[string]any{s: s}},
					"nested": deepMap(900, s),
				},
				Metrics: []Metric{
					{Name: s + "c", Type: MetricCounter, Value: 3, Tags: map[string]string{s: s, "k": s}},
					{Name: s + "t", Type: MetricTimer, Duration: 1234567891 * time.Nanosecond, Tags: map[string]string{s + "x": s}},
					{Name: s + "g", Type: MetricGauge, Value: -0.5, Description: s},
				},
				Logs: []Log{{LogTrace, s}, {LogDebug, s}, {LogInfo, s}, {LogWarn, s}, {LogError, s}},
				Assets: &AssetSet{
					Inputs:  []AssetRef{{ID: "in.put-1", Namespace: "company.team", Type: s + "T"}, {ID: "in2"}},
					Outputs: []Asset{{ID: "out_1", Type: s + "T", DisplayName: s, Description: s, Metadata: map[string]any{s: s}}},
				},
			}
			line, err := Format(msg)
			if err != nil {
				t.Fatal(err)
			}
			checkLine(t, line)
			got, err := Parse(line)
			if err != nil {
				t.Fatal(err)
			}
			if want := serverView(msg.Outputs); !reflect.DeepEqual(got.Outputs, want) {
				t.Errorf("outputs differ")
			}
			for i, m := range msg.Metrics {
				m.Name = fixUTF8(m.Name)
				m.Description = fixUTF8(m.Description)
				m.Tags = serverTags(m.Tags)
				if !reflect.DeepEqual(got.Metrics[i], m) {
					t.Errorf("metric %d: got %#v, want %#v", i, got.Metrics[i], m)
				}
			}
			for i, l := range msg.Logs {
				if got.Logs[i] != (Log{l.Level, fixUTF8(l.Message)}) {
					t.Errorf("log %d: got %q", i, got.Logs[i].Message)
				}
			}
			a := got.Assets
			wantInputs := []AssetRef{{ID: "in.put-1", Namespace: "company.team", Type: fixUTF8(s + "T")}, {ID: "in2"}}
			if a.Shape != AssetsObject || !reflect.DeepEqual(a.Inputs, wantInputs) || a.Outputs[0].Type != fixUTF8(s+"T") ||
				a.Outputs[0].DisplayName != fixUTF8(s) || a.Outputs[0].Description != fixUTF8(s) ||
				!reflect.DeepEqual(a.Outputs[0].Metadata, serverView(map[string]any{s: s})) {
				t.Errorf("assets differ: %#v", a)
			}
			// The Emitter writes each kind on its own line; each line parses.
			var out bytes.Buffer
			if err := New(&out, &out).Send(msg); err != nil {
				t.Fatal(err)
			}
			lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
			if len(lines) != 6 { // outputs, 3 metrics, logs, assets
				t.Fatalf("%d lines, want 6", len(lines))
			}
			for _, l := range lines {
				checkLine(t, l)
				if _, err := Parse(l + "\n"); err != nil {
					t.Fatal(err)
				}
			}
		})
	}
}

func TestEmitterMethods(t *testing.T) {
	var out, errw bytes.Buffer
	e := New(&out, &errw)
	check := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	check(e.Outputs(map[string]any{"rows": 42}))
	check(e.Outputs(nil))
	check(e.Counter("rows", 42, nil))
	check(e.Gauge("temp", 21.5, map[string]string{"room": "a"}))
	check(e.Timer("load", 1500*time.Millisecond, nil))
	check(e.Assets(AssetSet{Outputs: []Asset{{ID: "t", Type: "TABLE"}}}))
	check(e.Logs(Log{LogInfo, "a"}, Log{LogWarn, "b"}))
	check(e.Logs())
	want := `::{"outputs":{"rows":42}}::
::{"outputs":{}}::
::{"metrics":[{"name":"rows","type":"counter","value":42.0,"tags":{}}]}::
::{"metrics":[{"name":"temp","type":"gauge","value":21.5,"tags":{"room":"a"}}]}::
::{"metrics":[{"name":"load","type":"timer","value":1.5,"tags":{}}]}::
::{"assets":{"inputs":[],"outputs":[{"id":"t","type":"TABLE"}]}}::
::{"logs":[{"level":"INFO","message":"a"},{"level":"WARN","message":"b"}]}::
`
	if out.String() != want {
		t.Errorf("stdout:\n%s\nwant:\n%s", out.String(), want)
	}
	if errw.Len() != 0 {
		t.Errorf("stderr: %q", errw.String())
	}

	// Invalid input writes nothing and says why.
	out.Reset()
	for _, err := range []error{
		e.Counter("", 1, nil),
		e.Gauge("g", math.NaN(), nil),
		e.Timer("t", -time.Second, nil),
		e.Outputs(map[string]any{"x": math.Inf(1)}),
		e.Send(Message{Outputs: map[string]any{"ok": 1}, Logs: []Log{{Level: "info"}}}),
	} {
		if err == nil {
			t.Error("expected an error")
		}
	}
	if out.Len() != 0 {
		t.Errorf("wrote %q after errors", out.String())
	}
}

func TestTimeFunc(t *testing.T) {
	var out bytes.Buffer
	e := New(&out, &out)
	sentinel := fmt.Errorf("boom")
	err := e.TimeFunc("step", map[string]string{"k": "v"}, func() error {
		time.Sleep(1100 * time.Millisecond) // crosses a second boundary: the Python client's bug
		return sentinel
	})
	if err != sentinel && !strings.Contains(fmt.Sprint(err), "boom") {
		t.Fatalf("TimeFunc returned %v, want fn's error", err)
	}
	m, err := Parse(out.String())
	if err != nil {
		t.Fatal(err)
	}
	got := m.Metrics[0]
	if got.Type != MetricTimer || got.Name != "step" || got.Tags["k"] != "v" {
		t.Fatalf("got %#v", got)
	}
	if got.Duration < 1100*time.Millisecond || got.Duration > 30*time.Second {
		t.Fatalf("duration %v, want the wall time in seconds (>= 1.1s)", got.Duration)
	}
}

type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, fmt.Errorf("disk full") }

func TestWriteError(t *testing.T) {
	err := New(failingWriter{}, failingWriter{}).Counter("c", 1, nil)
	if err == nil || !strings.Contains(err.Error(), "disk full") || !strings.Contains(err.Error(), "stdout") {
		t.Fatalf("got %v", err)
	}
}

// Many goroutines share one Emitter over a writer that is not safe for
// concurrent use; run with -race. Every line must parse.
func TestConcurrentEmitters(t *testing.T) {
	var buf bytes.Buffer // deliberately unsynchronised: the Emitter must serialise
	e := New(&buf, &buf, WithWarningsOnStderr())
	const goroutines, each = 32, 100
	var wg sync.WaitGroup
	for g := range goroutines {
		wg.Go(func() {
			s := hostile[g%len(hostile)]
			if len(s) > 1000 {
				s = s[:1000]
			}
			for i := range each {
				var err error
				switch i % 5 {
				case 0:
					err = e.Outputs(map[string]any{"g": g, "i": i, "s": s})
				case 1:
					err = e.Counter("c", float64(i), map[string]string{"g": fmt.Sprint(g)})
				case 2:
					err = e.Timer("t", time.Duration(i)*time.Millisecond, nil)
				case 3:
					e.Logger().Info(s, "g", g, "i", i)
				case 4:
					e.Logger().Warn(s, "g", g)
				}
				if err != nil {
					t.Error(err)
				}
			}
		})
	}
	wg.Wait()
	lines := strings.Split(strings.TrimSuffix(buf.String(), "\n"), "\n")
	if len(lines) != goroutines*each {
		t.Fatalf("%d lines, want %d", len(lines), goroutines*each)
	}
	for _, l := range lines {
		if _, err := Parse(l); err != nil {
			t.Fatalf("%v: %q", err, l)
		}
	}
}
