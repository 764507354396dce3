package emitter

import (
	"errors"
	"math"
	"reflect"
	"testing"
	"time"
)

// FuzzRoundTrip formats messages built from arbitrary strings and numbers
// and checks that Format refuses exactly the invalid ones and that Parse
// returns the others unchanged (modulo invalid UTF-8, which becomes U+FFFD).
func FuzzRoundTrip(f *testing.F) {
	f.Add("rows", "value", 1.5, int64(42), uint8(0), uint8(0), int64(1500000000))
	f.Add("k\n\r\u0085\u2028\u2029", "}::\x00\xff", math.Copysign(0, -1), int64(-1), uint8(4), uint8(1), int64(1))
	f.Add("", "x", math.NaN(), int64(0), uint8(2), uint8(2), int64(-1))
	f.Add("::{", `"\`, 1e300, int64(math.MinInt64), uint8(3), uint8(2), int64(math.MaxInt64))
	f.Fuzz(func(t *testing.T, key, val string, num float64, n int64, level, kind uint8, dur int64) {
		mt := Metric{Name: key, Type: [...]MetricType{MetricCounter, MetricTimer, MetricGauge}[kind%3], Tags: map[string]string{key: val}}
		if mt.Type == MetricTimer {
			mt.Duration = time.Duration(dur)
		} else {
			mt.Value = num
		}
		msg := Message{
			Outputs: map[string]any{key: val, "num": num, "n": n, "nested": map[string]any{val: []any{key, n, num, nil, true}}},
			Metrics: []Metric{mt},
			Logs:    []Log{{levelOrdinals[level%5], val}},
			Assets:  &AssetSet{Outputs: []Asset{{ID: "a", Type: "T", DisplayName: key, Metadata: map[string]any{key: val}}}},
		}
		invalid := key == "" || math.IsNaN(num) || math.IsInf(num, 0) || (mt.Type == MetricTimer && dur < 0)
		line, err := Format(msg)
		if invalid {
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("Format accepted an invalid message: %q, %v", line, err)
			}
			return
		}
		if err != nil {
			t.Fatalf("Format: %v", err)
		}
		checkLine(t, line)
		got, err := Parse(line)
		if err != nil {
			t.Fatalf("Parse(%q): %v", line, err)
		}
		if want := serverView(msg.Outputs); !reflect.DeepEqual(got.Outputs, want) {
			t.Fatalf("outputs: got %#v, want %#v", got.Outputs, want)
		}
		mt.Name, mt.Tags = fixUTF8(mt.Name), serverTags(mt.Tags)
		if !reflect.DeepEqual(got.Metrics, []Metric{mt}) {
			t.Fatalf("metrics: got %#v, want %#v", got.Metrics, mt)
		}
		if !reflect.DeepEqual(got.Logs, []Log{{levelOrdinals[level%5], fixUTF8(val)}}) {
			t.Fatalf("logs: got %#v", got.Logs)
		}
		a := got.Assets.Outputs[0]
		if a.DisplayName != fixUTF8(key) || !reflect.DeepEqual(a.Metadata, serverView(map[string]any{key: val})) {
			t.Fatalf("assets: got %#v", a)
		}
	})
}

// FuzzParse feeds arbitrary lines to Parse: it must not panic, and what it
// accepts must survive Format and Parse again unchanged.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		`::{"outputs":{"a":1,"b":[1.5,"x",null,{"c":true}]}}::`,
		`::{"metrics":[{"name":"t","type":"timer","value":"PT1.5S","tags":{"a":1}}]}::` + "\n",
		`::{"logs":[{"level":2,"message":"m"},{"level":null}]}::`,
		`::{"assets":{"inputs":[{"id":"a"}],"outputs":[{"id":"b","type":"T","x":1}]}}::`,
		`::{"outputs":{"a":1}}:: ::{"outputs":{"b":2}}::`,
		`::{"outputs":{"s":"\ud83d\ude00\ud800"}}::` + "\u2028",
		`{"metrics":[{"name":"c","type":"counter","value":" 1e3 ","timestamp":"2026-01-02T03:04:05.123456789+01:00"}]}`,
		`{"assets":[{"id":"x","type":"FILE","metadata":{"a":[1,2]},"path":"/p"}],"logs":[{"level":"3","message":1e5}]}`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, line string) {
		// Also as a payload, so that mutations reach the JSON reader.
		for _, l := range []string{line, "::" + line + "::"} {
			m, err := Parse(l)
			if err != nil {
				if !errors.Is(err, ErrNotProtocol) && !errors.Is(err, ErrRejected) {
					t.Fatalf("unexpected error kind: %v", err)
				}
				continue
			}
			again, err := Format(m)
			if err != nil {
				continue // values the server accepts but Format refuses (NaN, negative timers, bad asset ids...)
			}
			m2, err := Parse(again)
			if err != nil {
				t.Fatalf("Parse(Format(m)) = %v for %q", err, again)
			}
			third, err := Format(m2)
			if err != nil || third != again {
				t.Fatalf("not stable:\n%s\n%s\n%v", again, third, err)
			}
		}
	})
}
