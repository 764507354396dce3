package emitter

import (
	"bytes"
	"errors"
	"log/slog"
	"math"
	"reflect"
	"strings"
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
		// Binary seeds: NUL and control bytes, invalid UTF-8, a BOM, a
		// truncated escape, deep nesting.
		"::{\"outputs\":{\"\x00\":\"\x01\x7f\"}}::",
		"::{\"outputs\":{\"k\":\"\xff\xfe\xc3\x28\xed\xa0\x80\"}}::",
		"\xef\xbb\xbf::{\"outputs\":{}}::",
		"::{\"logs\":[{\"level\":\"INFO\",\"message\":\"\\u12\"}]}::",
		"::{\"outputs\":" + strings.Repeat("[", 1001) + strings.Repeat("]", 1001) + "}::",
		"\x00\x01\x02\x03\xff::{}::\r\n",
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

// hostileHolder and hostileMarshaler are the containers FuzzHostileValue
// wraps values in, besides maps, slices and pointers.
type hostileHolder struct {
	V any    `json:"v"`
	S string `json:"s,omitempty"`
}

type hostileMarshaler []byte

func (m hostileMarshaler) MarshalJSON() ([]byte, error) { return m, nil }

// buildHostile turns fuzz bytes into a value: each op byte wraps the value
// built so far n times (n is the next byte plus one) in a map, a slice,
// a struct, a pointer, a long-keyed map (once, twice per input at most), a cycle back to the first map, or a
// MarshalJSON returning raw bytes. That reaches deep chains, cycles, long
// keys and invalid JSON from a few bytes.
func buildHostile(data []byte) (v any, attr slog.Attr) {
	var first map[string]any
	total, groups, longKeys := 0, 0, 0
	for len(data) >= 2 && total < 1100 {
		op, n := data[0]%9, int(data[1])+1
		if op == 5 {
			n = 1 // one long key, of up to 255*250 characters
		}
		keyLen := int(data[1]) * 250
		data = data[2:]
		total += n
		for range n {
			switch op {
			case 0:
				m := map[string]any{"m": v}
				if first == nil {
					first = m
				}
				v = m
			case 1:
				v = []any{v, nil}
			case 2:
				v = hostileHolder{V: v}
			case 3:
				v = &hostileHolder{V: v}
			case 4:
				p := new(any)
				*p = v
				v = p
			case 5:
				// Two long keys at most, or the value's text grows to
				// gigabytes and the fuzzer reports a hang.
				if longKeys++; longKeys > 2 {
					keyLen = 1
				}
				v = map[string]any{strings.Repeat("k", keyLen): v}
			case 6:
				if first != nil {
					first["loop"] = v // a cycle through everything since
				}
			case 7:
				raw := hostileMarshaler(append([]byte(nil), data...))
				v = []any{raw, v}
			case 8:
				groups++
			}
		}
	}
	attr = slog.Any("v", v)
	for range groups {
		attr = slog.Group("g", attr)
	}
	return v, attr
}

// FuzzHostileValue builds values from arbitrary bytes (deep, cyclic, with
// long keys or invalid MarshalJSON output) and sends them through every
// path: Format, Outputs or OutputPairs (one per input) must return nil or
// an error wrapping ErrInvalid or ErrTooLarge, never crash, and a line they
// write must parse; the Logger must write one line the server accepts. The
// seeds are binary and text (a text seed's bytes are read as ops too).
func FuzzHostileValue(f *testing.F) {
	f.Add([]byte{0, 255, 0, 255, 0, 255, 0, 255, 6, 0})  // a 1000-deep map chain with a cycle
	f.Add([]byte{2, 255, 2, 255, 2, 255, 2, 255, 2, 10}) // a struct chain beyond the limit
	f.Add([]byte{3, 10, 4, 10, 1, 10})                   // pointers, interfaces and slices mixed
	f.Add([]byte{5, 205, 5, 195})                        // a key over the limit, one under
	f.Add([]byte{8, 255, 8, 255, 8, 255, 8, 255, 8, 10}) // groups beyond the limit
	f.Add([]byte{7, 0, '{', '"', 'a', '"', ':', '}'})    // invalid MarshalJSON output
	f.Add([]byte("\x07\x00[[[[[[[[[[[[1]]]]]]]]]]]]"))
	f.Add([]byte(`{"outputs":{"a":[1,2,{"b":"\u00e9"}]}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		v, attr := buildHostile(data)
		// One of the three writers of outputs per input (they share the
		// encoder; running all three made the target slow), chosen by the
		// input, and the Logger always.
		var out bytes.Buffer
		e := New(&out, &out)
		var err error
		switch len(data) % 3 {
		case 0:
			var line string
			line, err = Format(Message{Outputs: map[string]any{"v": v}})
			out.WriteString(line)
		case 1:
			err = e.Outputs(map[string]any{"v": v})
		case 2:
			err = e.OutputPairs("v", v)
		}
		if err == nil {
			if _, err := Parse(out.String()); err != nil {
				t.Fatalf("Parse(%d): %v", len(data)%3, err)
			}
		} else if out.Len() != 0 || !errors.Is(err, ErrInvalid) && !errors.Is(err, ErrTooLarge) {
			t.Fatalf("writer %d wrote %d bytes and failed: %v", len(data)%3, out.Len(), err)
		}
		out.Reset()
		e.Logger().Info("hostile", attr)
		if m, err := Parse(out.String()); err != nil || len(m.Logs) != 1 {
			t.Fatalf("Logger line: %v %.200q", err, out.String())
		}
	})
}
