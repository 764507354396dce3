package ion

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"math/big"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"testing/iotest"
	"time"
)

// sameValue compares two results exactly: same Go types, float bits (NaN
// equal to NaN, -0 distinct from 0), instants, offsets and zone names,
// decimal text.
func sameValue(a, b any) bool {
	switch x := a.(type) {
	case nil:
		return b == nil
	case bool, int64, string:
		return a == b
	case float64:
		y, ok := b.(float64)
		return ok && (math.Float64bits(x) == math.Float64bits(y) || (math.IsNaN(x) && math.IsNaN(y)))
	case *big.Int:
		y, ok := b.(*big.Int)
		return ok && x.Cmp(y) == 0
	case *Decimal:
		y, ok := b.(*Decimal)
		return ok && x.String() == y.String()
	case time.Time:
		y, ok := b.(time.Time)
		if !ok || !x.Equal(y) {
			return false
		}
		xn, xo := x.Zone()
		yn, yo := y.Zone()
		return xn == yn && xo == yo && x.Location().String() == y.Location().String()
	case []byte:
		y, ok := b.([]byte)
		return ok && bytes.Equal(x, y)
	case []any:
		y, ok := b.([]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for i := range x {
			if !sameValue(x[i], y[i]) {
				return false
			}
		}
		return true
	case map[string]any:
		y, ok := b.(map[string]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for k, v := range x {
			w, ok := y[k]
			if !ok || !sameValue(v, w) {
				return false
			}
		}
		return true
	case Annotated:
		y, ok := b.(Annotated)
		return ok && strings.Join(x.Annotations, "::") == strings.Join(y.Annotations, "::") && sameValue(x.Value, y.Value)
	}
	panic(fmt.Sprintf("sameValue: unexpected type %T", a))
}

func sameRows(a, b []map[string]any) bool {
	if len(a) != len(b) || (a == nil) != (b == nil) {
		return false
	}
	for i := range a {
		if !sameValue(a[i], b[i]) {
			return false
		}
	}
	return true
}

// dump renders rows deterministically for failure messages.
func dump(v any) string {
	switch x := v.(type) {
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		var b strings.Builder
		b.WriteString("{")
		for i, k := range keys {
			if i > 0 {
				b.WriteString(", ")
			}
			fmt.Fprintf(&b, "%q: %s", k, dump(x[k]))
		}
		return b.String() + "}"
	case []map[string]any:
		var b strings.Builder
		for _, r := range x {
			b.WriteString(dump(r) + "\n")
		}
		return b.String()
	case []any:
		parts := make([]string, len(x))
		for i, e := range x {
			parts[i] = dump(e)
		}
		return "[" + strings.Join(parts, ", ") + "]"
	case time.Time:
		return "time(" + x.Format(time.RFC3339Nano) + " " + x.Location().String() + ")"
	case string:
		return fmt.Sprintf("%q", x)
	case *Decimal:
		return "dec(" + x.String() + ")"
	default:
		return fmt.Sprintf("%T(%v)", v, v)
	}
}

var lineRE = regexp.MustCompile(`line \d+, `)

var optionSets = map[string][]Option{
	"default": nil,
	"exact":   {ExactDecimals()},
	"all":     {ExactDecimals(), KeepAnnotations(), ParseISOStrings(), LocalLocation(time.FixedZone("X", 3600))},
}

// differential reads data with the fast path and with the library only and
// reports any difference in rows or in success.
func differential(t *testing.T, name string, data []byte, opts []Option) {
	t.Helper()
	differentialIn(t, name, data, opts, []int{1, 2, 3, 7, -1, -2, -3, -7})
}

// differentialIn is differential with the section reads given: worker
// counts, negative for the input in memory rather than read at offsets.
func differentialIn(t *testing.T, name string, data []byte, opts []Option, sectionWorkers []int) {
	t.Helper()
	fast, ferr := ReadAll(bytes.NewReader(data), opts...)
	ref, rerr := ReadAll(bytes.NewReader(data), append(append([]Option{}, opts...), WithoutFastPath())...)
	if (ferr == nil) != (rerr == nil) {
		t.Fatalf("%s: fast err %v, library err %v\ninput %q", name, ferr, rerr, data)
	}
	if ferr == nil && !sameRows(fast, ref) {
		t.Fatalf("%s: results differ\ninput %q\nfast:\n%s\nlibrary:\n%s", name, data, dump(fast), dump(ref))
	}
	// The parallel read in sections far smaller than in real use, read in
	// place or through a ReaderAt (here after 3 bytes that are not part of
	// the input); in one section, with the value caches in use from the
	// first row.
	defer func(n int) { cacheAfterRows = n }(cacheAfterRows)
	for _, workers := range sectionWorkers {
		in := append([]byte("xyz"), data...)
		var inMemory []byte
		if workers < 0 {
			workers, inMemory = -workers, in
		}
		cacheAfterRows = 16
		if workers == 1 {
			cacheAfterRows = 0
		}
		rows, err := readSections[map[string]any](bytes.NewReader(in), inMemory, 3, int64(len(data)), newConfig(opts), workers)
		if (err == nil) != (rerr == nil) {
			t.Fatalf("%s: %d sections: err %v, library err %v\ninput %q", name, workers, err, rerr, data)
		}
		if err == nil && !sameRows(rows, ref) {
			t.Fatalf("%s: %d sections: results differ\ninput %q\nsections:\n%s\nlibrary:\n%s", name, workers, data, dump(rows), dump(ref))
		}
		if err != nil && ferr.Error() != err.Error() {
			t.Fatalf("%s: %d sections: error %q, sequential %q", name, workers, err, ferr)
		}
	}
	// Any top-level value, as ReadFile[any] reads them.
	fa, fe := readAll[any](bytes.NewReader(data), newConfig(opts))
	ra, re := readAll[any](bytes.NewReader(data), newConfig(append(append([]Option{}, opts...), WithoutFastPath())))
	if (fe == nil) != (re == nil) {
		t.Fatalf("%s: any values: fast err %v, library err %v\ninput %q", name, fe, re, data)
	}
	if fe == nil && !sameValue(toAnys(fa), toAnys(ra)) {
		t.Fatalf("%s: any values differ\ninput %q\nfast:\n%s\nlibrary:\n%s", name, data, dump(fa), dump(ra))
	}
	// And the streaming Decoder (no arena), which must also agree.
	d := NewDecoder(bytes.NewReader(data), opts...)
	var rows []map[string]any
	var err error
	for {
		var m map[string]any
		if m, err = d.Next(); err != nil {
			break
		}
		rows = append(rows, m)
	}
	if err == io.EOF {
		err = nil
		if rows == nil {
			rows = []map[string]any{}
		}
	}
	if (err == nil) != (rerr == nil) || (err == nil && !sameRows(rows, ref)) {
		t.Fatalf("%s: Decoder: err %v, library err %v", name, err, rerr)
	}
	// The streaming Decoder cannot count lines before a library error.
	if err != nil && lineRE.ReplaceAllString(ferr.Error(), "") != lineRE.ReplaceAllString(err.Error(), "") {
		t.Fatalf("%s: Decoder error %q, ReadAll %q", name, err, ferr)
	}
}

func toAnys(v []any) any { return v }

func fixtureFiles(t *testing.T) []string {
	files, err := filepath.Glob("testdata/*.ion")
	kestra, err2 := filepath.Glob("testdata/kestra/*.ion")
	if err != nil || err2 != nil || len(files) < 10 || len(kestra) < 10 {
		t.Fatalf("fixtures: %v %v %v", files, err, err2)
	}
	return append(files, kestra...)
}

func TestDifferentialFixtures(t *testing.T) {
	for _, f := range fixtureFiles(t) {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for on, opts := range optionSets {
			differential(t, f+"/"+on, data, opts)
			// Each line on its own too, so a fallback early in a file
			// does not hide later lines from the fast path.
			for i, line := range bytes.Split(data, []byte("\n")) {
				differential(t, fmt.Sprintf("%s:%d/%s", f, i+1, on), line, opts)
			}
		}
	}
}

// TestExactFloat checks the fast decimal conversion against strconv on
// random decimals and floats of every length the fast path accepts.
func TestExactFloat(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 200_000; i++ {
		digits := 1 + r.IntN(15)
		mant := r.Uint64N(uint64(math.Pow10(digits)))
		exp := r.IntN(45) - 22
		neg := r.IntN(2) == 0
		f, ok := exactFloat(mant, digits, exp, neg)
		if !ok {
			t.Fatalf("exactFloat(%d, %d, %d) refused", mant, digits, exp)
		}
		text := fmt.Sprintf("%de%d", mant, exp)
		if neg {
			text = "-" + text
		}
		want, err := strconv.ParseFloat(text, 64)
		if err != nil || math.Float64bits(f) != math.Float64bits(want) {
			t.Fatalf("%s: got %v, want %v (%v)", text, f, want, err)
		}
	}
	// And through the parser, against the library walk.
	var b strings.Builder
	for i := 0; i < 2000; i++ {
		ip := r.Uint64N(1_000_000_000)
		fp := r.Uint64N(1_000_000)
		fmt.Fprintf(&b, "{d:%d.%06d,e:%d.%de%d,f:-%d.%d,g:%dd%d}\n", ip, fp, ip%1000, fp, r.IntN(60)-30, ip, fp, ip, r.IntN(60)-30)
	}
	differential(t, "random numbers", []byte(b.String()), nil)
}

// TestBinaryMarkerInsideText: only a stream's first bytes can start binary
// Ion. Bytes that look like a binary version marker after text (whitespace
// or a row) are text, refused by the Ion library reading the whole stream;
// the fast path once handed them to a fresh library reader, which took them
// for a second, empty binary stream (0 rows and no error, or a value made
// of the bytes after them), found by FuzzDecode.
func TestBinaryMarkerInsideText(t *testing.T) {
	for _, in := range []string{
		" \xe0\x01\x00\xea",
		"{a:1}\n\xe0\x01\x00\xea",
		"{a:1} \xe0\x01\x00\xea\x20",
		"{a:1}\n\xe0\x01\x00\xea\x21\x05",
	} {
		data := []byte(in)
		differentialIn(t, "default", data, nil, []int{1, 3, -1, -7})
		for _, opts := range [][]Option{nil, {WithoutFastPath()}} {
			_, err := ReadAll(bytes.NewReader(data), opts...)
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("%q (library only %v): err %v, want an *Error", in, opts != nil, err)
			}
			at := int64(strings.IndexByte(in, 0xe0))
			if e.Offset != at || !strings.Contains(e.Error(), fmt.Sprintf("(offset %d)", at)) {
				t.Errorf("%q (library only %v): %v, want offset %d in the error and its message", in, opts != nil, err, at)
			}
		}
	}
	// At the start, the same bytes are binary Ion: an empty stream.
	rows, err := ReadAll(bytes.NewReader([]byte("\xe0\x01\x00\xea")))
	if err != nil || len(rows) != 0 {
		t.Fatalf("binary version marker alone: %v, %v; want no rows, no error", rows, err)
	}
}

// TestAnnotationAfterSpaceOrComment: Ion allows whitespace and comments
// between an annotation and its ::, so 'abc' ::1 and abc /*c*/ ::1 are the
// int 1 annotated abc. At the top level the fast path once returned the
// symbol as a value of its own and failed on the :: after it.
func TestAnnotationAfterSpaceOrComment(t *testing.T) {
	for _, in := range []string{
		"'abc' ::1",
		"abc /*c*/ ::1",
		"'abc' /*c*/ :: 1",
		"'abc'\n::1\n",
		"{a:1}\n'abc' ::1\n{b:2}\n",
		"abc\t//c\n::1",
	} {
		data := []byte(in)
		differentialIn(t, "all", data, optionSets["all"], []int{1, 3, -1, -7})
		for _, r := range []io.Reader{bytes.NewReader(data), iotest.OneByteReader(bytes.NewReader(data))} {
			var got []any
			for v, err := range Values[any](r, KeepAnnotations()) {
				if err != nil {
					t.Fatalf("%q: %v", in, err)
				}
				got = append(got, v)
			}
			want := Annotated{Annotations: []string{"abc"}, Value: int64(1)}
			if i := len(got) - 1 - bytes.Count(data, []byte("{b:")); i < 0 || !sameValue(got[i], want) {
				t.Fatalf("%q: %s, want the annotated int %s", in, dump(got), dump(want))
			}
		}
	}
}

// TestQuotedVersionMarker: at the top level, a symbol with the text
// $ion_1_0 that is not the version marker itself ('$ion_1_0', '\x24ion_1_0')
// is no value: Ion readers ignore these pseudo version markers (ion-java
// since its PR 184), and so does the library walk. The fast path once
// returned it as a string row. Inside a container it is a plain symbol.
func TestQuotedVersionMarker(t *testing.T) {
	for _, in := range []string{
		"'$ion_1_0'",
		"'$ion_1_0'\n{a:1}\n",
		"{a:1}\n'$ion_1_0' {b:2}\n",
		"'\\x24ion_1_0'\n{a:1}\n",
		"{a:'$ion_1_0'}\n['$ion_1_0']\n",
	} {
		data := []byte(in)
		differentialIn(t, "all", data, optionSets["all"], []int{1, 3, -1, -7})
		got, err := readAll[any](bytes.NewReader(data), newConfig(nil))
		if err != nil {
			t.Fatalf("%q: %v", in, err)
		}
		for _, v := range got {
			if v == "$ion_1_0" {
				t.Fatalf("%q: %s, a top-level '$ion_1_0' read as a value", in, dump(got))
			}
		}
		if want := strings.Count(in, "{") + strings.Count(in, "["); len(got) != want {
			t.Fatalf("%q: %s, want %d values", in, dump(got), want)
		}
	}
}

// TestStreamWithoutNewlines: values need not be on lines of their own
// (ion-java's default text writer separates top-level values by spaces;
// old files use CRs). A Decoder used to buffer such a stream whole before
// its first row, so Rows held the entire stream; it now parses long
// stretches without a newline as they come, in bounded memory.
func TestStreamWithoutNewlines(t *testing.T) {
	for _, sep := range []string{" ", "\r"} {
		const rows = 400_000 // 2.4 MB
		data := bytes.Repeat([]byte("{a:1}"+sep), rows)
		d := NewDecoder(iotest.HalfReader(bytes.NewReader(data)))
		n, maxBuf := 0, 0
		for {
			if _, err := d.Next(); err != nil {
				if err != io.EOF {
					t.Fatal(err)
				}
				break
			}
			n++
			maxBuf = max(maxBuf, cap(d.buf))
		}
		if n != rows || maxBuf > 4*minRead {
			t.Errorf("separator %q: %d rows, buffer up to %d bytes; want %d rows, at most %d bytes", sep, n, maxBuf, rows, 4*minRead)
		}
	}
	// Cut anywhere: parse after every byte read, and compare with the
	// library on every fixture with its newlines replaced, and on values
	// whose end is only known from what follows.
	defer func(n int) { lineless = n }(lineless)
	lineless = 1
	inputs := []string{
		"abc ::1 'abc' ::2 abc /*c*/ ::3 1 2 -3 1.5 2e0 nan +inf -inf",
		`"a" "b" 'c' {a:1}{b:2} [1][2] null.int null true {{aGk=}} {{}}`,
		"2024-01-01T00:00Z 2024-01-01 2024-01-01T LocalDate::\"2024-01-01\" LocalDate :: \"2024-01-02\"",
		"{a:1} '$ion_1_0' {b:2} $ion_1_0 {c:3} '''long''' '''er''' {d:4}",
	}
	for _, f := range fixtureFiles(t) {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		inputs = append(inputs, strings.ReplaceAll(string(data), "\n", " "), strings.ReplaceAll(string(data), "\n", "\r"))
	}
	for _, in := range inputs {
		want, werr := readAll[any](strings.NewReader(in), newConfig([]Option{WithoutFastPath()}))
		for _, r := range []io.Reader{iotest.OneByteReader(strings.NewReader(in)), iotest.HalfReader(strings.NewReader(in))} {
			var got []any
			var err error
			for v, e := range Values[any](r) {
				if err = e; e != nil {
					break
				}
				got = append(got, v)
			}
			if (err == nil) != (werr == nil) || (err == nil && !sameValue(toAnys(got), toAnys(want))) {
				t.Fatalf("%.80q: streamed %s (%v), library %s (%v)", in, dump(got), err, dump(want), werr)
			}
		}
	}
}
