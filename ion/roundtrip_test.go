package ion

import (
	"bytes"
	"fmt"
	"math"
	"math/big"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

// The round-trip property: every Go value the Writer accepts, written and
// decoded back into the same Go type, is equal (time.Time to the
// millisecond in UTC, as Kestra stores an Instant), through every way of
// decoding: ReadFile (sections), Values and Decoder.Decode (streaming),
// the library path, and DecodeRow of the maps Read returns with
// ExactDecimals.

type rtInner struct {
	S string           `ion:"s"`
	N *int32           `ion:"n"`
	L []float64        `ion:"l"`
	M map[string]int16 `ion:"m"`
}

type rtRow struct {
	I      int
	I8     int8
	I16    int16
	I32    int32
	I64    int64
	U      uint
	U8     uint8
	U16    uint16
	U32    uint32
	U64    uint64
	F32    float32
	F64    float64
	S      string
	B      []byte
	Bool   bool
	T      time.Time
	D      time.Duration
	Ds     []time.Duration
	Big    *big.Int
	Dec    *Decimal
	Inner  rtInner
	PInner *rtInner
	List   []rtInner
	Map    map[string]rtInner
	Arr    [3]int64
	Any    any
	Name   string `ion:"first name"`
	Skip   string `ion:"-"`
}

type gen struct{ r *rand.Rand }

func (g gen) pick(n int) int { return g.r.IntN(n) }

func (g gen) int64() int64 {
	switch g.pick(6) {
	case 0:
		return []int64{0, 1, -1, math.MaxInt64, math.MinInt64, 255, 256, -256}[g.pick(8)]
	case 1:
		return g.r.Int64N(1000) - 500
	}
	return int64(g.r.Uint64())
}

func (g gen) uint64() uint64 {
	if g.pick(4) == 0 {
		return []uint64{0, 1, math.MaxUint64, math.MaxInt64, math.MaxInt64 + 1}[g.pick(5)]
	}
	return g.r.Uint64() >> g.pick(64)
}

func (g gen) float64() float64 {
	switch g.pick(5) {
	case 0:
		return []float64{0, math.Copysign(0, -1), math.NaN(), math.Inf(1), math.Inf(-1), math.MaxFloat64,
			math.SmallestNonzeroFloat64, -math.MaxFloat64, 0.1, 1.5, 100}[g.pick(11)]
	case 1:
		return float64(g.r.Int64N(1e6)) / 100
	}
	return math.Float64frombits(g.r.Uint64())
}

func (g gen) float32() float32 {
	if g.pick(3) == 0 {
		return float32(g.float64())
	}
	return math.Float32frombits(g.r.Uint32())
}

func (g gen) string() string {
	pieces := []string{"", "a", "King", "é", "😀", "\x00", "\t", "\n", "\r", "\"", "'", "\\", "\u0085", "\u2028",
		"\x7f", "LocalDateTime::", "2024-04-21T13:43:24Z", "{a:1}", " ", "null", "$10", "'''"}
	var b strings.Builder
	for range g.pick(6) {
		if g.pick(4) == 0 {
			b.WriteRune(rune(g.r.IntN(0xD7FF)))
		} else {
			b.WriteString(pieces[g.pick(len(pieces))])
		}
	}
	return b.String()
}

func (g gen) bytes() []byte {
	switch g.pick(4) {
	case 0:
		return nil
	case 1:
		return []byte{}
	}
	b := make([]byte, g.pick(40))
	for i := range b {
		b[i] = byte(g.r.Uint32())
	}
	return b
}

func (g gen) time() time.Time {
	// Years 1 to 9999, the range of Ion timestamps.
	lo := time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC).Unix()
	hi := time.Date(9999, 12, 31, 23, 59, 59, 0, time.UTC).Unix()
	t := time.Unix(lo+g.r.Int64N(hi-lo), g.r.Int64N(1e9))
	if g.pick(3) == 0 {
		t = t.In(time.FixedZone("", (g.pick(48)-24)*1800))
	}
	if g.pick(5) == 0 {
		t = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC) // midnight: Kestra reads it as a LocalDate
	}
	return t
}

func (g gen) bigInt() *big.Int {
	if g.pick(5) == 0 {
		return nil
	}
	n := new(big.Int)
	for range g.pick(4) + 1 {
		n.Lsh(n, 64).Or(n, new(big.Int).SetUint64(g.r.Uint64()>>g.pick(64)))
	}
	if g.pick(2) == 0 {
		n.Neg(n)
	}
	return n
}

func (g gen) decimal() *Decimal {
	if g.pick(5) == 0 {
		return nil
	}
	n := g.bigInt()
	if n == nil {
		n = big.NewInt(0)
	}
	return newDecimal(n, int32(g.pick(61)-30))
}

func (g gen) inner() rtInner {
	in := rtInner{S: g.string()}
	if g.pick(2) == 0 {
		n := int32(g.int64())
		in.N = &n
	}
	if g.pick(3) != 0 {
		in.L = []float64{}
		for range g.pick(4) {
			in.L = append(in.L, g.float64())
		}
	}
	if g.pick(3) != 0 {
		in.M = map[string]int16{}
		for range g.pick(4) {
			in.M[g.string()] = int16(g.int64())
		}
	}
	return in
}

func (g gen) any(depth int) any {
	switch g.pick(8) {
	case 0:
		return nil
	case 1:
		return g.int64()
	case 2:
		return g.float64()
	case 3:
		return g.string()
	case 4:
		return g.pick(2) == 0
	case 5:
		return append([]byte{}, g.bytes()...) // a nil []byte would come back as nil
	case 6:
		if depth < 3 {
			l := []any{}
			for range g.pick(4) {
				l = append(l, g.any(depth+1))
			}
			return l
		}
	case 7:
		if depth < 3 {
			m := map[string]any{}
			for range g.pick(4) {
				m[g.string()] = g.any(depth + 1)
			}
			return m
		}
	}
	return g.string()
}

func (g gen) row() rtRow {
	r := rtRow{
		I: int(g.int64()), I8: int8(g.int64()), I16: int16(g.int64()), I32: int32(g.int64()), I64: g.int64(),
		U: uint(g.uint64()), U8: uint8(g.uint64()), U16: uint16(g.uint64()), U32: uint32(g.uint64()), U64: g.uint64(),
		F32: g.float32(), F64: g.float64(), S: g.string(), B: g.bytes(), Bool: g.pick(2) == 0,
		T: g.time(), D: time.Duration(g.int64()), Big: g.bigInt(), Dec: g.decimal(), Inner: g.inner(),
		Arr: [3]int64{g.int64(), g.int64(), g.int64()}, Any: g.any(0), Name: g.string(),
	}
	if g.pick(3) == 0 {
		r.D = time.Duration(g.r.Int64N(1e6)) * []time.Duration{time.Nanosecond, time.Millisecond, time.Second}[g.pick(3)]
	}
	for range g.pick(3) {
		r.Ds = append(r.Ds, time.Duration(g.int64()))
	}
	if g.pick(2) == 0 {
		in := g.inner()
		r.PInner = &in
	}
	for range g.pick(3) {
		r.List = append(r.List, g.inner())
	}
	if g.pick(2) == 0 {
		r.Map = map[string]rtInner{}
		for range g.pick(3) {
			r.Map[g.string()] = g.inner()
		}
	}
	return r
}

// kestraTime is what reading gives back for a written time.Time.
func kestraTime(t time.Time) time.Time { return t.UTC().Truncate(time.Millisecond) }

// sameGo compares decoded Go values exactly: types, nil-ness, float bits
// (any NaN equal to any NaN), instants and locations, big numbers by value,
// decimals by their text (so scale counts).
func sameGo(a, b reflect.Value) bool {
	if a.IsValid() != b.IsValid() {
		return false
	}
	if !a.IsValid() {
		return true
	}
	if a.Type() != b.Type() {
		return false
	}
	switch a.Type() {
	case timeType:
		x, y := a.Interface().(time.Time), b.Interface().(time.Time)
		return x.Equal(y) && x.Location().String() == y.Location().String()
	case bigIntType:
		x, y := a.Interface().(*big.Int), b.Interface().(*big.Int)
		return (x == nil) == (y == nil) && (x == nil || x.Cmp(y) == 0)
	case decimalType:
		x, y := a.Interface().(*Decimal), b.Interface().(*Decimal)
		return (x == nil) == (y == nil) && (x == nil || x.String() == y.String())
	}
	switch a.Kind() {
	case reflect.Float32, reflect.Float64:
		x, y := a.Float(), b.Float()
		return (math.IsNaN(x) && math.IsNaN(y)) || math.Float64bits(x) == math.Float64bits(y)
	case reflect.Pointer, reflect.Interface:
		if a.IsNil() || b.IsNil() {
			return a.IsNil() == b.IsNil()
		}
		return sameGo(a.Elem(), b.Elem())
	case reflect.Slice:
		if a.IsNil() != b.IsNil() {
			return false
		}
		fallthrough
	case reflect.Array:
		if a.Len() != b.Len() {
			return false
		}
		for i := range a.Len() {
			if !sameGo(a.Index(i), b.Index(i)) {
				return false
			}
		}
		return true
	case reflect.Map:
		if a.IsNil() != b.IsNil() || a.Len() != b.Len() {
			return false
		}
		for _, k := range a.MapKeys() {
			if !sameGo(a.MapIndex(k), b.MapIndex(k)) {
				return false
			}
		}
		return true
	case reflect.Struct:
		for i := range a.NumField() {
			if a.Type().Field(i).IsExported() && !sameGo(a.Field(i), b.Field(i)) {
				return false
			}
		}
		return true
	}
	return a.Interface() == b.Interface()
}

// expected is what reading gives back for r: times as Kestra stores them;
// the ion:"-" field is not written; an untyped Any comes back as the Ion
// mapping gives it (ints int64, maps map[string]any: the types g.any uses).
func expected(r rtRow) rtRow {
	r.T = kestraTime(r.T)
	r.Skip = ""
	return r
}

// roundTrip checks rows through every decoding path; quick leaves out the
// file-based ones (for the fuzz target's speed).
func roundTrip(t *testing.T, rows []rtRow, quick bool) {
	t.Helper()
	var buf bytes.Buffer
	w := NewWriter(&buf)
	for _, r := range rows {
		if err := w.Write(r); err != nil {
			t.Fatalf("write %+v: %v", r, err)
		}
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	check := func(how string, got []rtRow, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v\nfile:\n%s", how, err, buf.String())
		}
		if len(got) != len(rows) {
			t.Fatalf("%s: %d rows, want %d", how, len(got), len(rows))
		}
		for i := range rows {
			if want := expected(rows[i]); !sameGo(reflect.ValueOf(got[i]), reflect.ValueOf(want)) {
				t.Fatalf("%s: row %d\n got %+v\nwant %+v\nline: %s", how, i, got[i], want, strings.Split(buf.String(), "\n")[i])
			}
		}
	}
	var got []rtRow
	var err error
	path := filepath.Join(t.TempDir(), "rt.ion")
	if !quick {
		if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
			t.Fatal(err)
		}
		got, err = ReadFile[rtRow](path)
		check("ReadFile", got, err)
		got, err = ReadFile[rtRow](path, WithoutFastPath())
		check("ReadFile/library", got, err)
	}
	got = nil
	for v, err := range Values[rtRow](bytes.NewReader(buf.Bytes())) {
		if err != nil {
			check("Values", nil, err)
		}
		got = append(got, v)
	}
	check("Values", got, nil)
	if quick {
		return // Values decodes as Decode does
	}
	got = nil
	d := NewDecoder(bytes.NewReader(buf.Bytes()))
	for {
		var v rtRow
		if err := d.Decode(&v); err != nil {
			if err.Error() != "EOF" {
				check("Decode", nil, err)
			}
			break
		}
		got = append(got, v)
	}
	check("Decode", got, nil)
	if d.fastRows != len(rows) {
		t.Errorf("the fast path read %d of the %d rows the Writer wrote", d.fastRows, len(rows))
	}
	maps, err := ReadAll(bytes.NewReader(buf.Bytes()), ExactDecimals())
	got = make([]rtRow, len(maps))
	for i, m := range maps {
		if err == nil {
			err = DecodeRow(m, &got[i])
		}
	}
	check("Read+DecodeRow", got, err)
}

func TestRoundTripProperty(t *testing.T) {
	g := gen{rand.New(rand.NewPCG(1, 2))}
	var rows []rtRow
	for range 300 {
		rows = append(rows, g.row())
	}
	roundTrip(t, rows, false)
	roundTrip(t, []rtRow{{}}, false) // every zero value
}

// FuzzRoundTrip runs the round-trip property on rows generated from the
// fuzzer's seed.
func FuzzRoundTrip(f *testing.F) {
	for i := range uint64(8) {
		f.Add(i, uint8(3))
	}
	f.Fuzz(func(t *testing.T, seed uint64, n uint8) {
		g := gen{rand.New(rand.NewPCG(seed, uint64(n)))}
		rows := make([]rtRow, n%2)
		for i := range rows {
			rows[i] = g.row()
		}
		roundTrip(t, rows, true)
	})
}

// Top-level values of every kind, written by the Writer, read back as
// their own Go types (Kestra files that are not rows of structs).
func TestRoundTripTopLevel(t *testing.T) {
	cases := []any{
		"kestra", int64(42), 1.5, true, []byte("hi"), time.Duration(1500 * time.Millisecond),
		[]string{"1", "John", "Doe"}, []any{int64(1), "a", nil}, map[string]int{"a": 1},
		kestraTime(time.Date(2024, 4, 21, 13, 43, 24, 340e6, time.UTC)), MustParseDecimal("24000.000000"),
	}
	for _, v := range cases {
		var buf bytes.Buffer
		w := NewWriter(&buf)
		if err := w.Write(v); err != nil {
			t.Fatal(err)
		}
		w.Flush()
		got := reflect.New(reflect.TypeOf(v))
		d := NewDecoder(&buf)
		if err := d.Decode(got.Interface()); err != nil {
			t.Fatalf("%T %v: %v (%q)", v, v, err, buf.String())
		}
		if !sameGo(got.Elem(), reflect.ValueOf(v)) {
			t.Errorf("%T: got %v, want %v (%q)", v, got.Elem(), v, buf.String())
		}
	}
}

func TestDurations(t *testing.T) {
	// Written as Kestra writes a java.time.Duration (DecimalUtils.toBigDecimal).
	for d, want := range map[time.Duration]string{
		2 * time.Second:          "2.000000000",
		1500 * time.Millisecond:  "1.500000000",
		-1500 * time.Millisecond: "-1.500000000",
		0:                        "0.0",
		time.Nanosecond:          "0.000000001",
		math.MinInt64:            "-9223372036854775808.000000000"[:0] + "-9223372036.854775808",
	} {
		if got := string(appendDuration(nil, d)); got != want {
			t.Errorf("%v written as %s, want %s", d, got, want)
		}
	}
	type R struct{ D time.Duration }
	// Read from what Kestra writes or accepts for a Duration.
	for text, want := range map[string]time.Duration{
		"2.000000000": 2 * time.Second, "1.500000000": 1500 * time.Millisecond, "0.0": 0, "2": 2 * time.Second,
		"1.5e0": 1500 * time.Millisecond, "-1.500000000": -1500 * time.Millisecond,
		"1.0000000019": time.Second + time.Nanosecond, // digits beyond nanoseconds are dropped
		`"PT1.5S"`:     1500 * time.Millisecond, `"1.5"`: 1500 * time.Millisecond, `" PT10M "`: 10 * time.Minute,
		`"P2DT3H4M"`: 51*time.Hour + 4*time.Minute, `"-PT6H3M"`: -(6*time.Hour + 3*time.Minute),
		`"PT-0.5S"`: -500 * time.Millisecond, `"pt1s"`: time.Second,
		"9223372036.854775807": math.MaxInt64, "1d2": 100 * time.Second,
	} {
		for _, opts := range [][]Option{nil, {WithoutFastPath()}} {
			var r R
			if err := NewDecoder(strings.NewReader("{D:"+text+"}"), opts...).Decode(&r); err != nil || r.D != want {
				t.Errorf("%s: got %v, %v; want %v", text, r.D, err, want)
			}
		}
	}
	for _, text := range []string{`"P"`, `"PT"`, `"1h"`, "9223372037.0", `"PT9999999999999H"`, "nan", "+inf", "true"} {
		var r R
		if err := NewDecoder(strings.NewReader("{D:" + text + "}")).Decode(&r); err == nil {
			t.Errorf("%s: read as %v, want an error", text, r.D)
		}
	}
}

func TestDurationIssueCase(t *testing.T) {
	// The issue: 2 s read back as 2 ns, 1.5 s failed.
	type R struct{ D time.Duration }
	path := filepath.Join(t.TempDir(), "d.ion")
	in := []R{{2 * time.Second}, {1500 * time.Millisecond}}
	if err := WriteFile(path, in); err != nil {
		t.Fatal(err)
	}
	got, err := ReadFile[R](path)
	if err != nil || fmt.Sprint(got) != fmt.Sprint(in) {
		t.Fatalf("got %v, %v; want %v", got, err, in)
	}
}
