package ion

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math/big"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"testing/iotest"
	"time"

	ionlib "github.com/amazon-ion/ion-go/ion"
)

// The fuzz targets start from text seeds (every fixture, whole and line by
// line) and binary seeds: binary Ion written by the Ion library with every
// type, annotations, symbol tables, repeated version markers, and forged
// length headers (the hostile cases small enough for a corpus). The binary
// seeds are also committed under testdata/fuzz/<target>, written by
// ION_WRITE_CORPUS=1 go test -run TestWriteFuzzCorpus ./ion/.

func addSeeds(f *testing.F) {
	for _, pattern := range []string{"testdata/*.ion", "testdata/kestra/*.ion"} {
		files, _ := filepath.Glob(pattern)
		for _, name := range files {
			data, err := os.ReadFile(name)
			if err != nil {
				f.Fatal(err)
			}
			f.Add(data)
			for _, line := range bytes.Split(data, []byte("\n")) {
				f.Add(line)
			}
		}
	}
	for _, seed := range binarySeeds(f) {
		f.Add(seed)
	}
}

// binarySeeds returns binary Ion inputs for the fuzz corpora.
func binarySeeds(tb testing.TB) [][]byte {
	var seeds [][]byte
	write := func(fn func(w ionlib.Writer) error) {
		var buf bytes.Buffer
		w := ionlib.NewBinaryWriter(&buf)
		if err := fn(w); err != nil {
			tb.Fatal(err)
		}
		if err := w.Finish(); err != nil {
			tb.Fatal(err)
		}
		seeds = append(seeds, buf.Bytes())
	}
	name := func(w ionlib.Writer, n string) error { return w.FieldName(ionlib.NewSymbolTokenFromString(n)) }
	// A row with every type.
	write(func(w ionlib.Writer) error {
		big1, _ := new(big.Int).SetString("-123456789012345678901234567890", 10)
		steps := []func() error{
			w.BeginStruct,
			func() error { return name(w, "int") }, func() error { return w.WriteInt(-7) },
			func() error { return name(w, "big") }, func() error { return w.WriteBigInt(big1) },
			func() error { return name(w, "float") }, func() error { return w.WriteFloat(1.5) },
			func() error { return name(w, "dec") }, func() error { return w.WriteDecimal(ionlib.MustParseDecimal("24000.000000")) },
			func() error { return name(w, "str") }, func() error { return w.WriteString("café \x00 😀") },
			func() error { return name(w, "sym") }, func() error { return w.WriteSymbolFromString("SUCCESS") },
			func() error { return name(w, "bool") }, func() error { return w.WriteBool(true) },
			func() error { return name(w, "null") }, func() error { return w.WriteNullType(ionlib.IntType) },
			func() error { return name(w, "blob") }, func() error { return w.WriteBlob([]byte{0, 1, 255}) },
			func() error { return name(w, "clob") }, func() error { return w.WriteClob([]byte("clob")) },
			func() error { return name(w, "day") }, func() error {
				return w.WriteTimestamp(ionlib.NewDateTimestamp(time.Date(1987, 6, 17, 0, 0, 0, 0, time.UTC), ionlib.TimestampPrecisionDay))
			},
			func() error { return name(w, "at") }, func() error {
				return w.WriteTimestamp(ionlib.NewTimestampWithFractionalSeconds(time.Date(2024, 4, 21, 13, 43, 24, 340e6, time.UTC), ionlib.TimestampPrecisionNanosecond, ionlib.TimezoneUTC, 3))
			},
			func() error { return name(w, "local") }, func() error { return w.Annotation(ionlib.NewSymbolTokenFromString("LocalDateTime")) },
			func() error { return w.WriteString("2024-04-21T13:43:24.34") },
			func() error { return name(w, "other") }, func() error {
				return w.Annotations(ionlib.NewSymbolTokenFromString("a"), ionlib.NewSymbolTokenFromString("b"))
			},
			func() error { return w.WriteInt(1) },
			func() error { return name(w, "list") }, w.BeginList, func() error { return w.WriteInt(1) }, w.BeginSexp,
			func() error { return w.WriteSymbolFromString("x") }, w.EndSexp, w.BeginStruct, w.EndStruct, w.EndList,
			w.EndStruct,
		}
		for _, s := range steps {
			if err := s(); err != nil {
				return err
			}
		}
		return nil
	})
	// Top-level values that are not structs: a list row, a bare string.
	write(func(w ionlib.Writer) error {
		if err := w.BeginList(); err != nil {
			return err
		}
		for _, s := range []string{"1", "Alice", ""} {
			if err := w.WriteString(s); err != nil {
				return err
			}
		}
		if err := w.EndList(); err != nil {
			return err
		}
		return w.WriteString("kestra")
	})
	// Two streams (two version markers and symbol tables), as Kestra 2.0's
	// per-row FileSerde.write.
	seeds = append(seeds, append(append([]byte{}, seeds[0]...), seeds[1]...))
	// Forged lengths.
	for _, name := range []string{"binary-decimal-2^46", "binary-string-2^46", "binary-struct-2^46",
		"binary-sorted-struct-2^46", "binary-annotation-2^46", "binary-list-2^46", "binary-varuint-overflow",
		"binary-length-cut", "binary-nop-pad-2^46", "binary-repeated-markers"} {
		seeds = append(seeds, hostileCases()[name].input)
	}
	seeds = append(seeds, nestedBinaryLists(50))
	// Cut copies of the first row.
	for _, n := range []int{5, 9, 20, len(seeds[0]) / 2, len(seeds[0]) - 1} {
		seeds = append(seeds, seeds[0][:n])
	}
	return seeds
}

func TestWriteFuzzCorpus(t *testing.T) {
	if os.Getenv("ION_WRITE_CORPUS") == "" {
		t.Skip("writes the binary seeds to testdata/fuzz when ION_WRITE_CORPUS is set")
	}
	for _, target := range []string{"FuzzRead", "FuzzRows", "FuzzDecode"} {
		dir := filepath.Join("testdata", "fuzz", target)
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		for i, seed := range binarySeeds(t) {
			body := fmt.Sprintf("go test fuzz v1\n[]byte(%q)\n", seed)
			if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("binary-%02d", i)), []byte(body), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
}

// checkErr fails unless err is nil, io.EOF or an *Error.
func checkErr(t *testing.T, err error) {
	t.Helper()
	var e *Error
	if err != nil && err != io.EOF && !errors.As(err, &e) {
		t.Fatalf("error %v (%T) is not an *Error", err, err)
	}
}

// FuzzRead feeds arbitrary bytes to the whole-input readers: they must
// never panic, errors must be *Error values, and the fast path must agree
// with the library walk (maps and any values, sequential and in sections).
func FuzzRead(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, name := range []string{"default", "all"} {
			// Half of the section reads of the fixture tests (one and
			// several workers, read in place and at offsets): the fuzz
			// target runs 40,000 inputs in make test.
			differentialIn(t, name, data, optionSets[name], []int{1, 3, -1, -7})
		}
		_, err := ReadAll(bytes.NewReader(data))
		checkErr(t, err)
	})
}

// FuzzRows streams arbitrary bytes through Rows and Values[any], fed a
// byte (parsed after each, newline or not) or half a buffer at a time:
// same results as the whole-input read.
func FuzzRows(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		all, allErr := ReadAll(bytes.NewReader(data))
		var rows []map[string]any
		var err error
		// Cut anywhere: the Decoder parses after every byte, as it does
		// a long stretch of a stream without a newline.
		lineless = 1
		for row, e := range Rows(iotest.OneByteReader(bytes.NewReader(data))) {
			if err = e; e != nil {
				break
			}
			rows = append(rows, row)
		}
		lineless = minRead
		checkErr(t, err)
		if (err == nil) != (allErr == nil) || (err == nil && len(rows) != len(all)) {
			t.Fatalf("Rows: %d rows, err %v; ReadAll: %d rows, err %v", len(rows), err, len(all), allErr)
		}
		if err == nil && len(rows) > 0 && !sameRows(rows, all) {
			t.Fatalf("Rows and ReadAll differ:\n%s\n%s", dump(rows), dump(all))
		}
		anys, anyErr := readAll[any](bytes.NewReader(data), newConfig(nil))
		var vals []any
		err = nil
		for v, e := range Values[any](iotest.HalfReader(bytes.NewReader(data))) {
			if err = e; e != nil {
				break
			}
			vals = append(vals, v)
		}
		checkErr(t, err)
		if (err == nil) != (anyErr == nil) || (err == nil && len(vals) > 0 && !sameValue(vals, toAnys(anys))) {
			t.Fatalf("Values[any]: %s, err %v; readAll: %s, err %v", dump(vals), err, dump(anys), anyErr)
		}
	})
}

// fuzzRow is a struct target with fields of many kinds.
type fuzzRow struct {
	ID       int64          `ion:"id"`
	Name     string         `ion:"name"`
	Salary   float64        `ion:"salary"`
	Exact    *Decimal       `ion:"dec"`
	Big      *big.Int       `ion:"big"`
	At       time.Time      `ion:"at"`
	D        time.Duration  `ion:"d"`
	Tags     []string       `ion:"tags"`
	Nested   *fuzzRow       `ion:"nested"`
	Extra    map[string]any `ion:"extra"`
	Any      any            `ion:"any"`
	Blob     []byte         `ion:"blob"`
	Flag     bool           `ion:"flag"`
	Small    int8           `ion:"small"`
	Unsigned uint32         `ion:"u"`
}

// FuzzDecode decodes arbitrary bytes into structs, directly (field by
// field) on the fast path and through the library: both must give the
// same values or both fail, and agree with DecodeRow of the map rows.
func FuzzDecode(f *testing.F) {
	addSeeds(f)
	f.Add([]byte(`{id:1,name:"x",salary:100.000000,dec:1.50,big:123456789012345678901234567890,at:2024-01-01T00:00:00Z,d:1.5,tags:["a"],nested:{id:2},extra:{a:1},any:[1],blob:{{aGk=}},flag:true,small:-3,u:7}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		decode := func(opts ...Option) ([]fuzzRow, error) {
			var out []fuzzRow
			for v, err := range Values[fuzzRow](bytes.NewReader(data), opts...) {
				if err != nil {
					return out, err
				}
				out = append(out, v)
			}
			return out, nil
		}
		fast, ferr := decode()
		lib, lerr := decode(WithoutFastPath())
		checkErr(t, ferr)
		checkErr(t, lerr)
		if (ferr == nil) != (lerr == nil) || !sameGo(reflect.ValueOf(fast), reflect.ValueOf(lib)) {
			t.Fatalf("fast %+v (%v), library %+v (%v)\ninput %q", fast, ferr, lib, lerr, data)
		}
		// In sections, as ReadFile reads large files (tiny sections here).
		for _, workers := range []int{1, 3} {
			rows, err := readSections[fuzzRow](bytes.NewReader(data), data, 0, int64(len(data)), newConfig(nil), workers)
			if (err == nil) != (ferr == nil) || (err == nil && !sameGo(reflect.ValueOf(rows), reflect.ValueOf(append([]fuzzRow{}, fast...)))) {
				t.Fatalf("%d sections: %+v (%v); Values %+v (%v)\ninput %q", workers, rows, err, fast, ferr, data)
			}
		}
		if ferr != nil {
			return
		}
		maps, err := ReadAll(bytes.NewReader(data), ExactDecimals())
		if err != nil {
			return // not all struct rows: Values reads them, ReadAll does not
		}
		for i, m := range maps {
			var r fuzzRow
			if err := DecodeRow(m, &r); err != nil {
				t.Fatalf("row %d: Values decoded it, DecodeRow: %v", i, err)
			}
			// Interface fields keep *Decimal from ExactDecimals maps,
			// float64 when decoded directly: compare the typed ones.
			want := fast[i]
			r.Any, r.Extra, want.Any, want.Extra = nil, nil, nil, nil
			for n := r.Nested; n != nil; n = n.Nested {
				n.Any, n.Extra = nil, nil
			}
			for n := want.Nested; n != nil; n = n.Nested {
				n.Any, n.Extra = nil, nil
			}
			if !sameGo(reflect.ValueOf(r), reflect.ValueOf(want)) {
				t.Fatalf("row %d: DecodeRow %+v, Values %+v", i, r, fast[i])
			}
		}
	})
}
