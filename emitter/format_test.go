package emitter

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/big"
	"net/netip"
	"strings"
	"testing"
	"time"
)

func TestFormatGolden(t *testing.T) {
	ts := time.Date(2026, 1, 2, 3, 4, 5, 600_000_000, time.FixedZone("x", 3600))
	tests := []struct {
		name string
		msg  Message
		want string
	}{
		{"empty", Message{}, `::{}::`},
		{"empty outputs", Message{Outputs: map[string]any{}}, `::{"outputs":{}}::`},
		{"outputs sorted, floats keep a fraction", Message{Outputs: map[string]any{
			"b": 1, "a": 1.0, "c": 2.5, "d": float32(0.1), "e": 1e21, "f": 1e-7, "g": math.Copysign(0, -1), "h": nil, "i": true,
			"j": []any{"x", int64(-3), uint8(7)}, "k": map[string]any{"z": "y"},
		}}, `::{"outputs":{"a":1.0,"b":1,"c":2.5,"d":0.1,"e":1e+21,"f":1e-7,"g":-0.0,"h":null,"i":true,"j":["x",-3,7],"k":{"z":"y"}}}::`},
		{"non-ASCII escaped", Message{Outputs: map[string]any{"é": "ü\u0085\u2028\u2029😀\x00\x1f\x7f\n\r\t\"\\/"}},
			`::{"outputs":{"\u00e9":"\u00fc\u0085\u2028\u2029\ud83d\ude00\u0000\u001f\u007f\n\r\t\"\\/"}}::`},
		{"invalid UTF-8 becomes U+FFFD per byte", Message{Outputs: map[string]any{"k\xff": "a\xc3\x28b"}},
			`::{"outputs":{"k\ufffd":"a\ufffd(b"}}::`},
		{"counter", Message{Metrics: []Metric{{Name: "rows", Type: MetricCounter, Value: 42}}},
			`::{"metrics":[{"name":"rows","type":"counter","value":42.0,"tags":{}}]}::`},
		{"timer seconds", Message{Metrics: []Metric{
			{Name: "t", Type: MetricTimer, Duration: 1500 * time.Millisecond, Tags: map[string]string{"b": "2", "a": "1"}},
			{Name: "t", Type: MetricTimer, Duration: time.Hour},
			{Name: "t", Type: MetricTimer, Duration: time.Nanosecond},
		}}, `::{"metrics":[{"name":"t","type":"timer","value":1.5,"tags":{"a":"1","b":"2"}},{"name":"t","type":"timer","value":3600,"tags":{}},{"name":"t","type":"timer","value":0.000000001,"tags":{}}]}::`},
		{"gauge with timestamp and description", Message{Metrics: []Metric{{Name: "g", Type: MetricGauge, Value: -1.25, Timestamp: ts, Description: "d"}}},
			`::{"metrics":[{"name":"g","type":"gauge","value":-1.25,"tags":{},"timestamp":"2026-01-02T02:04:05.6Z","description":"d"}]}::`},
		{"logs", Message{Logs: []Log{{LogInfo, "hello"}, {LogTrace, ""}}},
			`::{"logs":[{"level":"INFO","message":"hello"},{"level":"TRACE","message":""}]}::`},
		{"assets object", Message{Assets: &AssetSet{
			Inputs:  []AssetRef{{ID: "src", Namespace: "company.team", Type: "TABLE"}, {ID: "raw"}},
			Outputs: []Asset{{ID: "orders", Type: "TABLE", DisplayName: "Orders", Metadata: map[string]any{"system": "postgres"}}},
		}}, `::{"assets":{"inputs":[{"id":"src","namespace":"company.team","type":"TABLE"},{"id":"raw"}],"outputs":[{"id":"orders","type":"TABLE","displayName":"Orders","metadata":{"system":"postgres"}}]}}::`},
		{"assets empty object", Message{Assets: &AssetSet{}}, `::{"assets":{"inputs":[],"outputs":[]}}::`},
		{"assets list", Message{Assets: &AssetSet{Shape: AssetsList, Outputs: []Asset{{ID: "f.csv", Type: "FILE"}}}},
			`::{"assets":[{"id":"f.csv","type":"FILE"}]}::`},
		{"all kinds in order", Message{Assets: &AssetSet{Shape: AssetsList}, Logs: []Log{}, Metrics: []Metric{}, Outputs: map[string]any{}},
			`::{"outputs":{},"metrics":[],"logs":[],"assets":[]}::`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Format(tt.msg)
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("Format:\n got %s\nwant %s", got, tt.want)
			}
			if _, err := Parse(got); err != nil {
				t.Errorf("Parse(Format): %v", err)
			}
			b, err := AppendFormat([]byte("x"), tt.msg)
			if err != nil || string(b) != "x"+tt.want {
				t.Errorf("AppendFormat = %q, %v", b, err)
			}
		})
	}
}

type point struct {
	X    float64 `json:"x"`
	Name string  `json:"name"`
}

type ipKeyed map[netip.Addr]int

func TestFormatValueTypes(t *testing.T) {
	type myString string
	type myMap map[string]int
	big1 := new(big.Int).Lsh(big.NewInt(1), 70)
	ts := time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		v    any
		want string
	}{
		{myString("é"), `"\u00e9"`},
		{myMap{"b": 2, "a": 1}, `{"a":1,"b":2}`},
		{map[int]string{10: "x", 2: "y"}, `{"10":"x","2":"y"}`},
		{ipKeyed{netip.MustParseAddr("10.0.0.1"): 1}, `{"10.0.0.1":1}`},
		{[]byte("hi"), `"aGk="`},
		{[2]int{1, 2}, `[1,2]`},
		{[]string{"a", "ß"}, `["a","\u00df"]`},
		{point{X: 1, Name: "ü"}, `{"x":1,"name":"\u00fc"}`}, // structs go through encoding/json
		{&point{X: 2.5}, `{"x":2.5,"name":""}`},
		{(*point)(nil), `null`},
		{json.Number("1e3"), `1e3`},
		{json.RawMessage(`{"a":"\u00e9ü"}`), `{"a":"\u00e9\u00fc"}`},
		{big1, `1180591620717411303424`},
		{ts, `"2026-05-01T12:00:00Z"`},
		{netip.MustParseAddr("::1"), `"::1"`},
		{map[string]string{"k": "v"}, `{"k":"v"}`},
		// nil maps and slices are null, as with encoding/json.
		{map[string]string(nil), `null`},
		{map[string]any(nil), `null`},
		{[]any(nil), `null`},
		{[]string(nil), `null`},
		{[]any{}, `[]`},
		{[]any{nil, []string{}, map[string]any{}}, `[null,[],{}]`},
	}
	for _, tt := range tests {
		got, err := Format(Message{Outputs: map[string]any{"v": tt.v}})
		if err != nil {
			t.Errorf("%T: %v", tt.v, err)
			continue
		}
		want := `::{"outputs":{"v":` + tt.want + `}}::`
		if got != want {
			t.Errorf("%T:\n got %s\nwant %s", tt.v, got, want)
		}
	}
}

func TestFormatErrors(t *testing.T) {
	deep := map[string]any{}
	cur := deep
	for range maxDepth { // outputs at depth 2 + 1000 more levels
		next := map[string]any{}
		cur["a"] = next
		cur = next
	}
	cyclic := &struct{ P any }{}
	cyclic.P = cyclic
	tests := []struct {
		name string
		msg  Message
		want error
	}{
		{"NaN output", Message{Outputs: map[string]any{"x": math.NaN()}}, ErrInvalid},
		{"Inf output", Message{Outputs: map[string]any{"x": []any{math.Inf(1)}}}, ErrInvalid},
		{"NaN in struct", Message{Outputs: map[string]any{"x": point{X: math.NaN()}}}, ErrInvalid},
		{"channel", Message{Outputs: map[string]any{"x": make(chan int)}}, ErrInvalid},
		{"func", Message{Outputs: map[string]any{"x": func() {}}}, ErrInvalid},
		{"complex", Message{Outputs: map[string]any{"x": 1i}}, ErrInvalid},
		{"float map key", Message{Outputs: map[string]any{"x": map[float64]int{1: 1}}}, ErrInvalid},
		{"bad json.Number", Message{Outputs: map[string]any{"x": json.Number("01")}}, ErrInvalid},
		{"too deep", Message{Outputs: deep}, ErrTooLarge},
		{"pointer cycle", Message{Outputs: map[string]any{"x": cyclic}}, ErrInvalid},
		{"number too long", Message{Outputs: map[string]any{"x": json.Number(strings.Repeat("9", 1001))}}, ErrTooLarge},
		{"key too long", Message{Outputs: map[string]any{strings.Repeat("k", maxNameLenFormat+1): 1}}, ErrTooLarge},
		{"empty metric name", Message{Metrics: []Metric{{Type: MetricCounter, Value: 1}}}, ErrInvalid},
		{"unknown metric type", Message{Metrics: []Metric{{Name: "x", Type: "Counter"}}}, ErrInvalid},
		{"NaN counter", Message{Metrics: []Metric{{Name: "x", Type: MetricCounter, Value: math.NaN()}}}, ErrInvalid},
		{"Inf gauge", Message{Metrics: []Metric{{Name: "x", Type: MetricGauge, Value: math.Inf(-1)}}}, ErrInvalid},
		{"negative timer", Message{Metrics: []Metric{{Name: "x", Type: MetricTimer, Duration: -time.Second}}}, ErrInvalid},
		{"timestamp year", Message{Metrics: []Metric{{Name: "x", Type: MetricCounter, Timestamp: time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)}}}, ErrInvalid},
		{"lowercase level", Message{Logs: []Log{{Level: "info", Message: "x"}}}, ErrInvalid},
		{"WARNING level", Message{Logs: []Log{{Level: "WARNING", Message: "x"}}}, ErrInvalid},
		{"empty level", Message{Logs: []Log{{Message: "x"}}}, ErrInvalid},
		{"asset without id", Message{Assets: &AssetSet{Outputs: []Asset{{Type: "TABLE"}}}}, ErrInvalid},
		{"asset bad id", Message{Assets: &AssetSet{Outputs: []Asset{{ID: "-x", Type: "TABLE"}}}}, ErrInvalid},
		{"asset long id", Message{Assets: &AssetSet{Outputs: []Asset{{ID: strings.Repeat("a", 151), Type: "TABLE"}}}}, ErrInvalid},
		{"asset bad namespace", Message{Assets: &AssetSet{Outputs: []Asset{{ID: "a", Namespace: "Company", Type: "T"}}}}, ErrInvalid},
		{"asset without type", Message{Assets: &AssetSet{Outputs: []Asset{{ID: "a"}}}}, ErrInvalid},
		{"input bad id", Message{Assets: &AssetSet{Inputs: []AssetRef{{ID: ""}}}}, ErrInvalid},
		{"list shape with inputs", Message{Assets: &AssetSet{Shape: AssetsList, Inputs: []AssetRef{{ID: "a"}}}}, ErrInvalid},
		{"unknown shape", Message{Assets: &AssetSet{Shape: 7}}, ErrInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			line, err := Format(tt.msg)
			if !errors.Is(err, tt.want) {
				t.Fatalf("Format = %q, %v; want error %v", line, err, tt.want)
			}
		})
	}
	// The deepest accepted nesting is exactly the server's limit.
	delete(cur, "a")
	shallower := map[string]any{}
	cur = shallower
	for range maxDepth - 2 {
		next := map[string]any{}
		cur["a"] = next
		cur = next
	}
	line, err := Format(Message{Outputs: shallower})
	if err != nil {
		t.Fatalf("depth %d: %v", maxDepth, err)
	}
	if _, err := Parse(line); err != nil {
		t.Fatalf("Parse at depth %d: %v", maxDepth, err)
	}
	if _, err := Parse(strings.Replace(line, "{}", `{"a":{}}`, 1)); !errors.Is(err, ErrTooLarge) {
		t.Fatalf("Parse at depth %d: %v, want ErrTooLarge", maxDepth+1, err)
	}
}

func TestFormatASCIIOnly(t *testing.T) {
	var sb strings.Builder
	for r := rune(0); r < 0x3000; r++ {
		sb.WriteRune(r)
	}
	sb.WriteString("\U0001F600\U0010FFFF\xff\xfe")
	s := sb.String()
	line, err := Format(Message{Outputs: map[string]any{s: s}, Logs: []Log{{LogInfo, s}},
		Metrics: []Metric{{Name: s, Type: MetricCounter, Tags: map[string]string{s: s}}}})
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < len(line); i++ {
		if c := line[i]; c < 0x20 || c >= 0x7f {
			t.Fatalf("byte %#x at %d is not printable ASCII", c, i)
		}
	}
	m, err := Parse(line)
	if err != nil {
		t.Fatal(err)
	}
	want := strings.ToValidUTF8(s[:len(s)-2], "") + "\ufffd\ufffd"
	if m.Outputs[want] != want || m.Logs[0].Message != want || m.Metrics[0].Name != want || m.Metrics[0].Tags[want] != want {
		t.Fatal("round trip changed the text")
	}
}

// A 10 MiB output map is still one valid line, written in one Write.
func TestLargeOutputsOneLine(t *testing.T) {
	outputs := map[string]any{}
	chunk := strings.Repeat("0123456789abcdef", 640) + "é\u2028\n}::😀" // ~10 KiB
	for i := range 1030 {
		outputs[fmt.Sprintf("k%04d\u0085", i)] = chunk
	}
	var w countingWriter
	e := New(&w, &w)
	if err := e.Outputs(outputs); err != nil {
		t.Fatal(err)
	}
	if w.writes != 1 {
		t.Fatalf("%d writes, want 1", w.writes)
	}
	line := w.buf.String()
	if len(line) < 10<<20 {
		t.Fatalf("line is %d bytes, want a 10 MiB+ line", len(line))
	}
	if strings.Count(line, "\n") != 1 || !strings.HasSuffix(line, "\n") {
		t.Fatal("not exactly one line")
	}
	m, err := Parse(line)
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Outputs) != len(outputs) {
		t.Fatalf("%d outputs, want %d", len(m.Outputs), len(outputs))
	}
	for k, v := range outputs {
		if m.Outputs[k] != v {
			t.Fatalf("output %q changed", k)
		}
	}
	// A string beyond Jackson's 20M-character limit is refused, not written.
	w = countingWriter{}
	err = e.Outputs(map[string]any{"big": strings.Repeat("x", maxStringLen+1)})
	if !errors.Is(err, ErrTooLarge) || w.writes != 0 {
		t.Fatalf("oversized string: %v, %d writes", err, w.writes)
	}
	// With a size limit, a large message is refused.
	small := New(&w, &w, WithMaxMessageSize(1<<20))
	if err := small.Outputs(outputs); !errors.Is(err, ErrTooLarge) || w.writes != 0 {
		t.Fatalf("WithMaxMessageSize: %v, %d writes", err, w.writes)
	}
	if err := small.Outputs(map[string]any{"ok": 1}); err != nil || w.writes != 1 {
		t.Fatalf("small message under the limit: %v", err)
	}
}
