package emitter

import (
	"bytes"
	"encoding/json"
	"errors"
	"log/slog"
	"math"
	"math/big"
	"runtime"
	"strings"
	"testing"
)

type textKey string

func (k textKey) MarshalText() ([]byte, error) { return []byte(k), nil }

type rawMarshaler string

func (r rawMarshaler) MarshalJSON() ([]byte, error) { return []byte(r), nil }

// The key limit is the same on every path a key can take.
func TestKeyLimitEveryPath(t *testing.T) {
	paths := map[string]func(key string) any{
		"map[string]any":       func(k string) any { return map[string]any{k: 1} },
		"map[string]string":    func(k string) any { return map[string]string{k: "v"} },
		"map of TextMarshaler": func(k string) any { return map[textKey]int{textKey(k): 1} },
		"map inside a struct":  func(k string) any { return struct{ M map[string]int }{M: map[string]int{k: 1}} },
		"MarshalJSON":          func(k string) any { return rawMarshaler(`{"` + k + `":1}`) },
		"json.RawMessage":      func(k string) any { return json.RawMessage(`{"` + k + `":1}`) },
	}
	// Escaped characters count as one UTF-16 unit each, however they are
	// written.
	keys := map[string]string{
		"ascii":   strings.Repeat("k", maxNameLenFormat),
		"escapes": strings.Repeat(`"`, maxNameLenFormat/2) + strings.Repeat("é", maxNameLenFormat/2),
	}
	for name, build := range paths {
		for kname, key := range keys {
			if name == "MarshalJSON" || name == "json.RawMessage" {
				b, _ := json.Marshal(key)
				key = string(b[1 : len(b)-1])
			}
			if _, err := Format(Message{Outputs: map[string]any{"v": build(key)}}); err != nil {
				t.Errorf("%s, %s key at the limit: %v", name, kname, err)
			}
			long := key + "k"
			if _, err := Format(Message{Outputs: map[string]any{"v": build(long)}}); !errors.Is(err, ErrTooLarge) {
				t.Errorf("%s, %s key over the limit: %v, want ErrTooLarge", name, kname, err)
			}
		}
	}
	tags := map[string]string{strings.Repeat("t", maxNameLenFormat+1): "v"}
	if err := New(&bytes.Buffer{}, nil).Counter("c", 1, tags); !errors.Is(err, ErrTooLarge) {
		t.Errorf("tag key over the limit: %v", err)
	}
}

// Struct nesting (through encoding/json) is limited exactly as map nesting.
func TestStructDepthLimit(t *testing.T) {
	chain := func(n int) any {
		var v any
		for range n {
			v = valueNode{Next: v}
		}
		return v
	}
	// outputs is depth 2, its value the first struct at depth 3.
	ok := chain(maxDepth - 2)
	line, err := Format(Message{Outputs: map[string]any{"v": ok}})
	if err != nil {
		t.Fatalf("depth %d: %v", maxDepth, err)
	}
	if _, err := Parse(line); err != nil {
		t.Fatalf("Parse at depth %d: %v", maxDepth, err)
	}
	if _, err := Format(Message{Outputs: map[string]any{"v": chain(maxDepth - 1)}}); !errors.Is(err, ErrTooLarge) {
		t.Fatalf("depth %d: %v, want ErrTooLarge", maxDepth+1, err)
	}
	// Embedded structs are inlined by encoding/json: they add no nesting.
	type inner struct{ A, B int }
	type outer struct {
		inner
		C int
	}
	got, err := Format(Message{Outputs: map[string]any{"v": outer{inner{1, 2}, 3}}})
	if err != nil || got != `::{"outputs":{"v":{"A":1,"B":2,"C":3}}}::` {
		t.Fatalf("embedded struct: %s, %v", got, err)
	}
	// A MarshalJSON result nested one level too deep.
	deep := rawMarshaler(strings.Repeat("[", maxDepth-1) + strings.Repeat("]", maxDepth-1))
	if _, err := Format(Message{Outputs: map[string]any{"v": deep}}); !errors.Is(err, ErrTooLarge) {
		t.Fatalf("deep MarshalJSON: %v, want ErrTooLarge", err)
	}
}

// A value shared by two branches is not a cycle.
func TestSharedValueIsNotACycle(t *testing.T) {
	shared := &chainNode{}
	m := map[string]any{"x": 1}
	s := []any{1}
	v := map[string]any{"a": shared, "b": shared, "c": m, "d": m, "e": s, "f": s,
		"g": struct{ A, B *chainNode }{shared, shared}}
	// Deep enough that the encoder records its path.
	for range cycleCheckFrom + 10 {
		v = map[string]any{"v": v, "w": m}
	}
	if _, err := Format(Message{Outputs: v}); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	New(&out, nil, WithoutLogTime()).Logger().Info("m", "v", v)
	if strings.Contains(out.String(), "!ERROR") {
		t.Fatalf("logged %s", out.String())
	}
}

// Groups are nested up to maxDepth; beyond, the record is still logged.
func TestLoggerGroupDepth(t *testing.T) {
	nest := func(n int) slog.Attr {
		a := slog.Int("leaf", 1)
		for range n {
			a = slog.Group("g", a)
		}
		return a
	}
	var out bytes.Buffer
	l := New(&out, nil, WithoutLogTime()).Logger()
	l.Info("m", nest(maxDepth))
	m, err := Parse(out.String())
	if err != nil || !strings.HasSuffix(m.Logs[0].Message, strings.Repeat("g.", maxDepth)+"leaf=1") {
		t.Fatalf("%d groups: %v %.100q", maxDepth, err, out.String())
	}
	out.Reset()
	l.Info("m", nest(maxDepth+1))
	m, err = Parse(out.String())
	if err != nil || !strings.HasSuffix(m.Logs[0].Message, `="!ERROR:groups nested deeper than 1000"`) {
		t.Fatalf("%d groups: %v %.100q", maxDepth+1, err, out.String())
	}
}

// A record whose text exceeds the server's string limit is cut, not lost.
func TestLoggerTruncatesHugeMessage(t *testing.T) {
	var out bytes.Buffer
	New(&out, nil, WithoutLogTime()).Logger().Info("m", "big", strings.Repeat("é", maxStringLen))
	m, err := Parse(out.String())
	if err != nil {
		t.Fatal(err)
	}
	msg := m.Logs[0].Message
	if !strings.HasSuffix(msg, truncatedMark) || utf16Len(msg) != maxStringLen {
		t.Fatalf("message of %d units, suffix %q", utf16Len(msg), msg[len(msg)-20:])
	}
}

func TestOutputPairs(t *testing.T) {
	var out bytes.Buffer
	e := New(&out, nil)
	if err := e.OutputPairs("rows", 42, "table", "orders", "ok", true, "nested", map[string]any{"b": 1, "a": []any{1.5}}); err != nil {
		t.Fatal(err)
	}
	// The order given is kept.
	if want := `::{"outputs":{"rows":42,"table":"orders","ok":true,"nested":{"a":[1.5],"b":1}}}::` + "\n"; out.String() != want {
		t.Fatalf("got %s want %s", out.String(), want)
	}
	m, err := Parse(out.String())
	if err != nil || m.Outputs["table"] != "orders" || m.Outputs["rows"] != int64(42) {
		t.Fatalf("Parse: %#v %v", m.Outputs, err)
	}
	out.Reset()
	if err := e.OutputPairs(); err != nil || out.String() != "::{\"outputs\":{}}::\n" {
		t.Fatalf("no pairs: %q %v", out.String(), err)
	}
	many := func(n int, dup bool) []any {
		var kv []any
		for i := range n {
			kv = append(kv, "k"+strings.Repeat("x", i), i)
		}
		if dup {
			kv = append(kv, "kxx", 0)
		}
		return kv
	}
	for name, kv := range map[string][]any{
		"odd":                 {"a", 1, "b"},
		"non-string key":      {1, 2},
		"duplicate":           {"a", 1, "b", 2, "a", 3},
		"duplicate, many":     many(40, true),
		"invalid value":       {"a", func() {}},
		"key over the limit":  {strings.Repeat("k", maxNameLenFormat+1), 1},
		"NaN":                 {"a", math.NaN()},
		"cycle":               {"a", cyclicMap()},
		"deep struct chain":   {"a", valueChainOf(maxDepth)},
		"duplicate, at start": {"a", 1, "a", 1},
	} {
		out.Reset()
		err := e.OutputPairs(kv...)
		if !errors.Is(err, ErrInvalid) && !errors.Is(err, ErrTooLarge) || out.Len() != 0 {
			t.Errorf("%s: %v, wrote %q", name, err, out.String())
		}
	}
	out.Reset()
	if err := e.OutputPairs(many(40, false)...); err != nil {
		t.Fatalf("40 distinct keys: %v", err)
	}
	if m, err := Parse(out.String()); err != nil || len(m.Outputs) != 40 {
		t.Fatalf("40 keys: %d, %v", len(m.Outputs), err)
	}
}

func valueChainOf(n int) any {
	var v any
	for range n {
		v = valueNode{Next: v}
	}
	return v
}

// A big.Int over the server's 1,000-digit limit is refused before it is
// formatted: a million-digit int would take a long time and megabytes to
// write only to be refused; one of 1,000 digits is written.
func TestBigIntOverLimitIsNotFormatted(t *testing.T) {
	huge := new(big.Int).Exp(big.NewInt(10), big.NewInt(1_000_000), nil)
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	before := ms.TotalAlloc
	_, err := Format(Message{Outputs: map[string]any{"n": huge}})
	runtime.ReadMemStats(&ms)
	if !errors.Is(err, ErrTooLarge) {
		t.Fatalf("10^1000000: %v, want ErrTooLarge", err)
	}
	if got := ms.TotalAlloc - before; got > 64<<10 {
		t.Errorf("refusing 10^1000000 allocated %d bytes: it was formatted", got)
	}
	max := new(big.Int).Sub(new(big.Int).Exp(big.NewInt(10), big.NewInt(maxNumberLen), nil), big.NewInt(1))
	if _, err := Format(Message{Outputs: map[string]any{"n": max}}); err != nil {
		t.Errorf("10^1000-1: %v", err)
	}
	over := new(big.Int).Exp(big.NewInt(10), big.NewInt(maxNumberLen), nil)
	if _, err := Format(Message{Outputs: map[string]any{"n": over}}); !errors.Is(err, ErrTooLarge) {
		t.Errorf("10^1000: %v, want ErrTooLarge", err)
	}
}
