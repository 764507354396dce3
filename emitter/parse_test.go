package emitter

import (
	"errors"
	"math"
	"math/big"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestParseMatching(t *testing.T) {
	const ok = `::{"outputs":{"a":1}}::`
	tests := []struct {
		line string
		want error // nil: matches and parses
	}{
		{ok, nil},
		{ok + "\n", nil},
		{ok + "\r", nil},
		{ok + "\r\n", nil},
		{ok + "\u0085", nil},
		{ok + "\u2028", nil},
		{ok + "\u2029", nil},
		{ok + "\n\n", ErrNotProtocol},
		{ok + "\r\r", ErrNotProtocol},
		{ok + "\n\r", ErrNotProtocol},
		{ok + " ", ErrNotProtocol},
		{" " + ok, ErrNotProtocol},
		{"\t" + ok, ErrNotProtocol},
		{"x" + ok, ErrNotProtocol},
		{"\ufeff" + ok, ErrNotProtocol},
		{`::{}::`, nil},
		{`::{::`, ErrNotProtocol},
		{`::}::`, ErrNotProtocol},
		{`:{}::`, ErrNotProtocol},
		{`::{}:`, ErrNotProtocol},
		{`::[1]::`, ErrNotProtocol},
		{`{"outputs":{}}`, ErrNotProtocol},
		{"::{\"outputs\":{\"a\":\"x\u0085y\"}}::", ErrNotProtocol},
		{"::{\"outputs\":{\"a\":\"x\u2028y\"}}::", ErrNotProtocol},
		{"::{\"outputs\":{\"a\":\"x\u2029y\"}}::", ErrNotProtocol},
		{"::{\"outputs\":{\"a\":\"x\ny\"}}::", ErrNotProtocol},
		{"::{\"outputs\":{\"a\":\"x\ry\"}}::", ErrNotProtocol},
		{"::{\"outputs\":\n{}}::", ErrNotProtocol},
		// U+0085 and U+2028 are found after invalid UTF-8 too.
		{"::{\"outputs\":{\"a\":\"\xe2\xc2\x85\"}}::", ErrNotProtocol},
		{"::{\"outputs\":{\"a\":\"\xf0\xe2\x80\xa8\"}}::", ErrNotProtocol},
		{"::{\"outputs\":{\"a\":\"\xe2\x80\"}}::", nil}, // a cut U+2028 is not a terminator
		// Matched, but raw control characters are not JSON.
		{"::{\"outputs\":{\"a\":\"x\x00y\"}}::", ErrRejected},
		{"::{\"outputs\":{\"a\":\"x\x0by\"}}::", ErrRejected},
		{"::{\"outputs\":{\"a\":\"x\x1fy\"}}::", ErrRejected},
		// DEL and other non-ASCII characters are fine raw.
		{"::{\"outputs\":{\"a\":\"x\x7fyé\"}}::", nil},
		// A tab is JSON whitespace.
		{"::{\t\"outputs\" :\t{ } }::", nil},
		// Greedy: the payload runs to the last }:: and trailing text is ignored.
		{`::{"outputs":{"a":1}}:: ::{"outputs":{"b":2}}::`, nil},
		{`::{"outputs":{"a":1}} garbage ]] {{ }::`, nil},
		{`::{"outputs":{"a":1}}` + "\xff" + `}::`, nil},
		{`::{"outputs":{"a":1}` + "\xff" + `}::`, ErrRejected},
		{`::{"outputs":{"a":1}::`, ErrRejected},
		{`::{"outputs":{"a":1}}}::`, nil},
	}
	for _, tt := range tests {
		_, err := Parse(tt.line)
		if tt.want == nil && err != nil || tt.want != nil && !errors.Is(err, tt.want) {
			t.Errorf("Parse(%q) = %v, want %v", tt.line, err, tt.want)
		}
	}
	m, _ := Parse(`::{"outputs":{"a":1}}:: ::{"outputs":{"b":2}}::`)
	if !reflect.DeepEqual(m.Outputs, map[string]any{"a": int64(1)}) {
		t.Errorf("two frames: got %v, want only the first", m.Outputs)
	}
}

func TestParseJSONStrictness(t *testing.T) {
	rejected := []string{
		`{"outputs":{"a":NaN}}`,
		`{"outputs":{"a":Infinity}}`,
		`{"outputs":{"a":-Infinity}}`,
		`{"outputs":{"a":01}}`,
		`{"outputs":{"a":-}}`,
		`{"outputs":{"a":1.}}`,
		`{"outputs":{"a":.5}}`,
		`{"outputs":{"a":+1}}`,
		`{"outputs":{"a":1e}}`,
		`{"outputs":{"a":0x10}}`,
		`{"outputs":{'a':1}}`,
		`{"outputs":{a:1}}`,
		`{"outputs":{"a":'x'}}`,
		`{"outputs":{"a":1,}}`,
		`{"outputs":{"a":[1,]}}`,
		`{"outputs":{"a":1 /* c */}}`,
		`{"outputs":{"a":"\x"}}`,
		`{"outputs":{"a":"\u12"}}`,
		`{"outputs":{"a":tru}}`,
		`{"outputs":{"a":truex}}`,
		`{"outputs":{"a":nul}}`,
		`{"outputs":{"a" 1}}`,
		`{"outputs":{"a":1 "b":2}}`,
		`{"outputs":{"a":1}`,
		`{"x":[1,{]}`,                                         // unknown keys are still parsed
		`{"outputs":{"a":` + strings.Repeat("1", 1001) + `}}`, // number length limit
		"{\"outputs\":{\"a\":1\x0c}}",                         // form feed is not whitespace
		`{"outputs":[1]}`,
		`{"outputs":"x"}`,
		`{"outputs":1}`,
		`{"outputs":[],"outputs":{}}`, // every duplicate must be valid
	}
	for _, p := range rejected {
		if m, err := Parse("::" + p + "::"); !errors.Is(err, ErrRejected) {
			t.Errorf("Parse(%s) = %+v, %v; want ErrRejected", p, m, err)
		}
	}
	accepted := map[string]map[string]any{
		`{"outputs":{"a":1,"a":2}}`:                                 {"a": int64(2)},
		`{"outputs":{"a":1},"outputs":{"b":2}}`:                     {"b": int64(2)},
		`{"Outputs":{"a":1},"outputs":{"b":2}}`:                     {"b": int64(2)},
		`{"outputs":null}`:                                          nil,
		`{"outputs":{"a":-0,"b":-0.0,"c":1E2,"d":1e400}}`:           {"a": int64(0), "b": math.Copysign(0, -1), "c": 100.0, "d": math.Inf(1)},
		`{"outputs":{"big":123456789012345678901234567890}}`:        {"big": mustBig("123456789012345678901234567890")},
		`{"outputs":{"s":"\u00e9\ud83d\ude00\ud800x\udc00\/\b\f"}}`: {"s": "é😀\ufffdx\ufffd/\b\f"},
		`{"outputs":{"s":"` + "\xff" + `"}}`:                        {"s": "\ufffd"},
		`{"outputs":{"n":[null,true,false,{}]}}`:                    {"n": []any{nil, true, false, map[string]any{}}},
		`{"otlp":{"x":1},"encryptedOutputs":5,"outputs":{}}`:        {},
		`{"outputs":{"a":` + strings.Repeat("1", 1000) + `}}`:       {"a": mustBig(strings.Repeat("1", 1000))},
	}
	for p, want := range accepted {
		m, err := Parse("::" + p + "::")
		if err != nil {
			t.Errorf("Parse(%s): %v", p, err)
			continue
		}
		if !reflect.DeepEqual(m.Outputs, want) {
			t.Errorf("Parse(%s).Outputs = %#v, want %#v", p, m.Outputs, want)
		}
	}
}

func mustBig(s string) *big.Int {
	b, _ := new(big.Int).SetString(s, 10)
	return b
}

func TestParseMetrics(t *testing.T) {
	tests := []struct {
		metric string
		want   Metric
	}{
		{`{"name":"c","type":"counter","value":42,"tags":{}}`, Metric{Name: "c", Type: MetricCounter, Value: 42}},
		{`{"type":"gauge","value":"2.5","name":"g"}`, Metric{Name: "g", Type: MetricGauge, Value: 2.5}},
		{`{"name":"c","type":"counter","value":" 1e3 "}`, Metric{Name: "c", Type: MetricCounter, Value: 1000}},
		{`{"name":"c","type":"counter","value":"1.5f"}`, Metric{Name: "c", Type: MetricCounter, Value: 1.5}},
		{`{"name":"c","type":"counter","value":"0x1.8p1"}`, Metric{Name: "c", Type: MetricCounter, Value: 3}},
		{`{"name":"c","type":"counter","value":".5"}`, Metric{Name: "c", Type: MetricCounter, Value: 0.5}},
		{`{"name":"c","type":"counter","value":"-Infinity"}`, Metric{Name: "c", Type: MetricCounter, Value: math.Inf(-1)}},
		{`{"name":5,"type":"counter","value":1}`, Metric{Name: "5", Type: MetricCounter, Value: 1}},
		// The first non-null "type" is the discriminator; later fields still last-win.
		{`{"type":null,"name":"a","type":"counter","value":1,"value":2,"type":"timer"}`, Metric{Name: "a", Type: MetricCounter, Value: 2}},
		{`{"name":"c","type":"counter","value":1,"tags":{"s":"x","i":1,"f":1.50,"b":true,"n":null}}`,
			Metric{Name: "c", Type: MetricCounter, Value: 1, Tags: map[string]string{"s": "x", "i": "1", "f": "1.50", "b": "true"}}},
		{`{"name":"c","type":"counter","value":1,"unknown":{"x":[1]},"timestamp":"2026-01-02T03:04:05.5+01:00","description":"d"}`,
			Metric{Name: "c", Type: MetricCounter, Value: 1, Timestamp: time.Date(2026, 1, 2, 2, 4, 5, 5e8, time.UTC), Description: "d"}},
		{`{"name":"c","type":"counter","value":1,"timestamp":1700000000}`, Metric{Name: "c", Type: MetricCounter, Value: 1, Timestamp: time.Unix(1700000000, 0).UTC()}},
		{`{"name":"c","type":"counter","value":1,"timestamp":"1700000000.25"}`, Metric{Name: "c", Type: MetricCounter, Value: 1, Timestamp: time.Unix(1700000000, 25e7).UTC()}},
		// Timers: integer = seconds, decimal = seconds, numeric string = seconds, ISO-8601.
		{`{"name":"t","type":"timer","value":90}`, Metric{Name: "t", Type: MetricTimer, Duration: 90 * time.Second}},
		{`{"name":"t","type":"timer","value":1.5}`, Metric{Name: "t", Type: MetricTimer, Duration: 1500 * time.Millisecond}},
		{`{"name":"t","type":"timer","value":1.0000000019}`, Metric{Name: "t", Type: MetricTimer, Duration: time.Second + 1}},
		{`{"name":"t","type":"timer","value":-1.5}`, Metric{Name: "t", Type: MetricTimer, Duration: -1500 * time.Millisecond}},
		{`{"name":"t","type":"timer","value":1e2}`, Metric{Name: "t", Type: MetricTimer, Duration: 100 * time.Second}},
		{`{"name":"t","type":"timer","value":1e100}`, Metric{Name: "t", Type: MetricTimer, Duration: 0}}, // DecimalUtils' scale cut-off
		{`{"name":"t","type":"timer","value":"2.5"}`, Metric{Name: "t", Type: MetricTimer, Duration: 2500 * time.Millisecond}},
		{`{"name":"t","type":"timer","value":" 7 "}`, Metric{Name: "t", Type: MetricTimer, Duration: 7 * time.Second}},
		{`{"name":"t","type":"timer","value":"PT1.5S"}`, Metric{Name: "t", Type: MetricTimer, Duration: 1500 * time.Millisecond}},
		{`{"name":"t","type":"timer","value":"pt10m"}`, Metric{Name: "t", Type: MetricTimer, Duration: 10 * time.Minute}},
		{`{"name":"t","type":"timer","value":"P1DT2H3M4,5S"}`, Metric{Name: "t", Type: MetricTimer, Duration: 26*time.Hour + 3*time.Minute + 4500*time.Millisecond}},
		{`{"name":"t","type":"timer","value":"-PT-0.5S"}`, Metric{Name: "t", Type: MetricTimer, Duration: 500 * time.Millisecond}},
		{`{"name":"t","type":"timer","value":"P2D"}`, Metric{Name: "t", Type: MetricTimer, Duration: 48 * time.Hour}},
		{`{"name":"t","type":"timer","value":9223372036854775807}`, Metric{Name: "t", Type: MetricTimer, Duration: math.MaxInt64}}, // clamped
	}
	for _, tt := range tests {
		m, err := Parse(`::{"metrics":[` + tt.metric + `]}::`)
		if err != nil {
			t.Errorf("%s: %v", tt.metric, err)
			continue
		}
		if len(m.Metrics) != 1 || !reflect.DeepEqual(m.Metrics[0], tt.want) {
			t.Errorf("%s:\n got %#v\nwant %#v", tt.metric, m.Metrics, tt.want)
		}
	}
	nan, err := Parse(`::{"metrics":[{"name":"c","type":"counter","value":"NaN"}]}::`)
	if err != nil || !math.IsNaN(nan.Metrics[0].Value) {
		t.Errorf(`"NaN" string value: %v %v`, nan, err)
	}

	rejected := []string{
		`{"name":"c","value":1}`,
		`{"name":"c","type":"Counter","value":1}`,
		`{"name":"c","type":"histogram","value":1}`,
		`{"name":"c","type":["counter"],"value":1}`,
		`{"name":"c","type":"counter","value":NaN}`,
		`{"name":"c","type":"counter","value":true}`,
		`{"name":"c","type":"counter","value":"abc"}`,
		`{"name":"c","type":"counter","value":"1_0"}`,
		`{"name":"c","type":"counter","value":[1]}`,
		`{"name":"c","type":"counter","value":1,"tags":{"a":{"b":"c"}}}`,
		`{"name":"c","type":"counter","value":1,"tags":{"a":["x"]}}`,
		`{"name":"c","type":"counter","value":1,"tags":["a"]}`,
		`{"name":"c","type":"counter","value":1,"tags":""}`,
		`{"name":{"x":1},"type":"counter","value":1}`,
		`{"type":"counter","value":1}`,
		`{"name":null,"type":"counter","value":1}`,
		`{"name":"c","type":"counter"}`,
		`{"name":"c","type":"counter","value":""}`,
		`{"name":"c","type":"counter","value":1,"timestamp":"yesterday"}`,
		`{"name":"t","type":"timer","value":"1e5"}`,
		`{"name":"t","type":"timer","value":"PT"}`,
		`{"name":"t","type":"timer","value":"P"}`,
		`{"name":"t","type":"timer","value":"1.2.3"}`,
		`{"name":"t","type":"timer","value":"PT1.1234567891S"}`,
		`{"name":"t","type":"timer","value":true}`,
		`{"name":"t","type":"timer","value":99999999999999999999}`,
		`{"name":"t","type":"timer","value":""}`,
		`"counter"`,
		`null`,
	}
	for _, r := range rejected {
		if m, err := Parse(`::{"metrics":[` + r + `],"outputs":{"a":1}}::`); !errors.Is(err, ErrRejected) {
			t.Errorf("%s: got %+v, %v; want ErrRejected", r, m, err)
		}
	}
	if _, err := Parse(`::{"metrics":{"name":"c","type":"counter","value":1}}::`); !errors.Is(err, ErrRejected) {
		t.Errorf("metrics object: %v", err)
	}
}

func TestParseLogs(t *testing.T) {
	tests := []struct {
		logs string
		want []Log
	}{
		{`[{"level":"INFO","message":"m"}]`, []Log{{LogInfo, "m"}}},
		{`[{"level":"ERROR","message":"a"},{"level":"WARN","message":"b"},{"level":"DEBUG","message":"c"},{"level":"TRACE","message":"d"}]`,
			[]Log{{LogError, "a"}, {LogWarn, "b"}, {LogDebug, "c"}, {LogTrace, "d"}}},
		{`[{"level":0,"message":"a"},{"level":4,"message":"b"},{"level":"2","message":"c"},{"level":" WARN ","message":"d"},{"level":" 0 ","message":"e"}]`,
			[]Log{{LogError, "a"}, {LogTrace, "b"}, {LogInfo, "c"}, {LogWarn, "d"}, {LogError, "e"}}},
		{`[{"level":"INFO","message":5},{"level":"INFO","message":true},{"level":"INFO","message":null},{"level":"INFO"}]`,
			[]Log{{LogInfo, "5"}, {LogInfo, "true"}, {LogInfo, ""}, {LogInfo, ""}}},
		// A null or missing level drops the entry alone.
		{`[{"message":"x"},{"level":null,"message":"y"},null,{"level":"INFO","message":"z","extra":[1]}]`, []Log{{LogInfo, "z"}}},
		{`[]`, []Log{}},
		{`null`, nil},
	}
	for _, tt := range tests {
		m, err := Parse(`::{"logs":` + tt.logs + `}::`)
		if err != nil {
			t.Errorf("%s: %v", tt.logs, err)
			continue
		}
		if !reflect.DeepEqual(m.Logs, tt.want) {
			t.Errorf("%s:\n got %#v\nwant %#v", tt.logs, m.Logs, tt.want)
		}
	}
	rejected := []string{
		`[{"level":"info","message":"m"}]`,
		`[{"level":"WARNING","message":"m"}]`,
		`[{"level":"FATAL","message":"m"}]`,
		`[{"level":"CRITICAL","message":"m"}]`,
		`[{"level":"","message":"m"}]`,
		`[{"level":5,"message":"m"}]`,
		`[{"level":-1,"message":"m"}]`,
		`[{"level":1.0,"message":"m"}]`,
		`[{"level":"5","message":"m"}]`,
		`[{"level":"01","message":"m"}]`, // a leading zero is not an ordinal (Jackson 2.17+)
		`[{"level":" ","message":"m"}]`,
		`[{"level":"+1","message":"m"}]`,
		`[{"level":true,"message":"m"}]`,
		`[{"level":["INFO"],"message":"m"}]`,
		`[{"level":"INFO","message":{"a":1}}]`,
		`[{"level":"INFO","message":["a"]}]`,
		`["INFO m"]`,
		`{"level":"INFO","message":"m"}`,
		`"x"`,
	}
	for _, r := range rejected {
		if m, err := Parse(`::{"outputs":{"a":1},"logs":` + r + `}::`); !errors.Is(err, ErrRejected) {
			t.Errorf("%s: got %+v, %v; want ErrRejected", r, m, err)
		}
	}
}

func TestParseAssets(t *testing.T) {
	m, err := Parse(`::{"assets":{"inputs":[{"id":"src","namespace":"ns","type":"x"}],"outputs":[{"type":"TABLE","id":"t","system":"pg","metadata":{"a":1},"name":"orders","displayName":"T"}]}}::`)
	if err != nil {
		t.Fatal(err)
	}
	want := &AssetSet{Shape: AssetsObject,
		Inputs:  []AssetRef{{ID: "src", Namespace: "ns", Type: "x"}},
		Outputs: []Asset{{ID: "t", Type: "TABLE", DisplayName: "T", Metadata: map[string]any{"a": int64(1), "name": "orders"}}},
	}
	// "system" came before "metadata", whose setter replaced the map.
	if !reflect.DeepEqual(m.Assets, want) {
		t.Errorf("object shape:\n got %#v\nwant %#v", m.Assets, want)
	}
	m, err = Parse(`::{"assets":[{"id":"f","type":"FILE","path":"/x"}]}::`)
	if err != nil {
		t.Fatal(err)
	}
	want = &AssetSet{Shape: AssetsList, Outputs: []Asset{{ID: "f", Type: "FILE", Metadata: map[string]any{"path": "/x"}}}}
	if !reflect.DeepEqual(m.Assets, want) {
		t.Errorf("list shape:\n got %#v\nwant %#v", m.Assets, want)
	}
	m, err = Parse(`::{"assets":{"inputs":null}}::`)
	if err != nil || !reflect.DeepEqual(m.Assets, &AssetSet{}) {
		t.Errorf("null inputs: %#v %v", m.Assets, err)
	}
	for _, r := range []string{`"x"`, `5`, `{"inputs":{}}`, `{"outputs":[{"id":"a"}]}`, `[{"id":"a","type":"T","metadata":[1]}]`, `[1]`, `{"inputs":["a"]}`} {
		if _, err := Parse(`::{"assets":` + r + `}::`); !errors.Is(err, ErrRejected) {
			t.Errorf("assets %s: %v, want ErrRejected", r, err)
		}
	}
}

func TestParseISODurationAgainstGo(t *testing.T) {
	// Cases with a time.ParseDuration equivalent.
	cases := map[string]string{"PT0S": "0s", "PT1H": "1h", "PT-1H30M": "-30m", "PT0.000000001S": "1ns", "PT1M-1S": "59s", "-PT1M": "-1m"}
	for iso, gos := range cases {
		got, ok := parseISODuration(iso)
		want, _ := time.ParseDuration(gos)
		if !ok || got != want {
			t.Errorf("%s: got %v %v, want %v", iso, got, ok, want)
		}
	}
	for _, bad := range []string{"", "P", "PT", "P1H", "PT1D", "1S", "PT1.S1", "PT.5S", "P1.5D", "PTS", "PT1H1H", "P1DT", "P+-1D"} {
		if d, ok := parseISODuration(bad); ok {
			t.Errorf("%q: accepted as %v", bad, d)
		}
	}
}
