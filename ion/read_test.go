package ion

import (
	"bytes"
	"errors"
	"io"
	"math"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/iotest"
	"time"
	_ "time/tzdata" // so Europe/Paris loads on any machine

	ionlib "github.com/amazon-ion/ion-go/ion"
	"github.com/kestra-go/kestra-go/ion/internal/benchdata"
)

func mustRead(t *testing.T, name string, opts ...Option) []map[string]any {
	t.Helper()
	rows, err := Read(filepath.Join("testdata", name), opts...)
	if err != nil {
		t.Fatalf("Read(%s): %v", name, err)
	}
	return rows
}

func wantTime(t *testing.T, what string, got any, want time.Time) {
	t.Helper()
	g, ok := got.(time.Time)
	if !ok {
		t.Fatalf("%s: got %T %v, want time.Time %v", what, got, got, want)
	}
	gn, go_ := g.Zone()
	wn, wo := want.Zone()
	if !g.Equal(want) || go_ != wo || gn != wn || g.Location().String() != want.Location().String() {
		t.Errorf("%s: got %v (%s), want %v (%s)", what, g, g.Location(), want, want.Location())
	}
}

func TestReadEmployees(t *testing.T) {
	rows := mustRead(t, "employees.ion")
	if len(rows) != 3 {
		t.Fatalf("got %d rows", len(rows))
	}
	r := rows[0]
	if r["first_name"] != "Steven" || r["salary"] != 24000.0 || r["employee_id"] != 100.0 {
		t.Errorf("row 0 = %v", dump(r))
	}
	if v, ok := r["commission_pct"]; !ok || v != nil {
		t.Errorf("commission_pct = %v, %v; want a present nil", v, ok)
	}
	wantTime(t, "hire_date", r["hire_date"], time.Date(1987, 6, 17, 0, 0, 0, 0, time.UTC))
	if rows[2]["commission_pct"] != 0.4 {
		t.Errorf("commission_pct = %v", rows[2]["commission_pct"])
	}

	exact := mustRead(t, "employees.ion", ExactDecimals())
	d, ok := exact[0]["salary"].(*Decimal)
	if !ok || d.String() != "24000.000000" {
		t.Errorf("exact salary = %T %v", exact[0]["salary"], exact[0]["salary"])
	}
	loc := time.FixedZone("Somewhere", -3*3600)
	local := mustRead(t, "employees.ion", LocalLocation(loc))
	wantTime(t, "hire_date in loc", local[0]["hire_date"], time.Date(1987, 6, 17, 0, 0, 0, 0, loc))
}

func TestReadAnnotations(t *testing.T) {
	rows := mustRead(t, "annotations.ion")
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Fatal(err)
	}
	plus2 := time.FixedZone("", 2*3600)
	r := rows[0]
	wantTime(t, "Instant", r["instant"], time.Date(2024, 4, 21, 13, 43, 24, 340e6, time.UTC))
	wantTime(t, "OffsetDateTime", r["offset"], time.Date(2024, 4, 21, 13, 43, 24, 340e6, plus2))
	wantTime(t, "ZonedDateTime", r["zoned"], time.Date(2024, 4, 21, 13, 43, 24, 340e6, paris))
	wantTime(t, "LocalDateTime", r["local"], time.Date(2024, 4, 21, 13, 43, 24, 340e6, time.UTC))
	wantTime(t, "LocalDate", r["date"], time.Date(1987, 6, 17, 0, 0, 0, 0, time.UTC))
	wantTime(t, "OffsetTime", r["otime"], time.Date(0, 1, 1, 13, 43, 24, 340e6, time.FixedZone("", -(5*3600+30*60))))
	wantTime(t, "LocalTime", r["ltime"], time.Date(0, 1, 1, 15, 30, 0, 123456000, time.UTC))

	r = rows[1]
	wantTime(t, "zoned UTC", r["zoned_utc"], time.Date(2024, 4, 21, 13, 43, 24, 0, time.UTC))
	wantTime(t, "unknown region", r["zoned_nowhere"], time.Date(2024, 4, 21, 13, 43, 24, 0, time.FixedZone("Nowhere/Atlantis", 3*3600)))
	wantTime(t, "minute", r["minute"], time.Date(2024, 4, 21, 13, 43, 0, 0, time.UTC))
	wantTime(t, "year 12345", r["big_year"], time.Date(12345, 1, 1, 0, 0, 0, 0, time.UTC))
	wantTime(t, "nanos", r["nanos"], time.Date(0, 1, 1, 0, 0, 0, 1, time.UTC))
	wantTime(t, "ms timestamp", r["ts_ms"], time.Date(2024, 4, 21, 13, 43, 24, 340e6, time.UTC))
	wantTime(t, "offset timestamp", r["ts_offset"], time.Date(2024, 4, 21, 13, 43, 24, 0, time.FixedZone("", 5*3600+30*60)))
	wantTime(t, "-00:00 timestamp", r["ts_unknown"], time.Date(2024, 4, 21, 13, 43, 24, 0, time.UTC))
	wantTime(t, "minute timestamp", r["ts_minute"], time.Date(2024, 4, 21, 13, 43, 0, 0, time.UTC))
	wantTime(t, "day timestamp with T", r["ts_day_t"], time.Date(2024, 4, 21, 0, 0, 0, 0, time.UTC))
	wantTime(t, "ns timestamp", r["ts_nanos"], time.Date(2024, 4, 21, 13, 43, 24, 123456789, time.FixedZone("", -8*3600)))
}

func TestReadEscapesAndNames(t *testing.T) {
	rows := mustRead(t, "escapes.ion")
	r := rows[0]
	if r["ascii_escaped"] != r["utf8"] || r["utf8"] != "café € 😀" {
		t.Errorf("escaped %q vs raw %q", r["ascii_escaped"], r["utf8"])
	}
	if r["controls"] != "tab\there\nnl\r\x00\a\b\v\f\\\"\x7f\u0085\x1f" {
		t.Errorf("controls = %q", r["controls"])
	}
	if r["slashes"] != "/?'" {
		t.Errorf("slashes = %q", r["slashes"])
	}
	for name, want := range map[string]int64{"null": 1, "true": 2, "nan": 3, "$12": 4, "": 5, "double quoted": 7, "esc'aped": 8} {
		if r[name] != want {
			t.Errorf("field %q = %v, want %d", name, r[name], want)
		}
	}
	if rows[1]["été"] != "été" || rows[1]["escaped_newline"] != "one two" {
		t.Errorf("row 1 = %v", dump(rows[1]))
	}
}

func TestReadTypes(t *testing.T) {
	rows := mustRead(t, "types.ion")
	for i, v := range rows[0]["nulls"].([]any) {
		if v != nil {
			t.Errorf("nulls[%d] = %v", i, v)
		}
	}
	if !sameValue(rows[0]["bools"], []any{true, false}) {
		t.Errorf("bools = %v", rows[0]["bools"])
	}
	big1, _ := new(big.Int).SetString("9223372036854775808", 10)
	big2, _ := new(big.Int).SetString("-123456789012345678901234567890", 10)
	wantInts := []any{int64(0), int64(0), int64(42), int64(-7), int64(math.MaxInt64), int64(math.MinInt64), big1, big2}
	if !sameValue(rows[1]["ints"], wantInts) {
		t.Errorf("ints = %v", dump(rows[1]["ints"]))
	}
	wantFloats := []any{1.5, 100.0, 1e10, 0.0, math.Copysign(0, -1), math.NaN(), math.Inf(1), math.Inf(-1), math.Inf(1), 2.5e-3}
	if !sameValue(rows[1]["floats"], wantFloats) {
		t.Errorf("floats = %v", dump(rows[1]["floats"]))
	}
	wantDec := []any{100.0, 0.000123, 100.0, 1000.0, 123e-10, math.Copysign(0, -1), 150.0, 12345678901234567890.123456789}
	if !sameValue(rows[2]["decimals"], wantDec) {
		t.Errorf("decimals = %v", dump(rows[2]["decimals"]))
	}
	if !sameValue(rows[2]["symbols"], []any{"abc", "$dollar_ok", "quoted sym"}) {
		t.Errorf("symbols = %v", dump(rows[2]["symbols"]))
	}
	if !sameValue(rows[2]["blobs"], []any{[]byte("hi"), []byte{}, []byte("hello")}) {
		t.Errorf("blobs = %v", dump(rows[2]["blobs"]))
	}
	if rows[3]["dup"] != int64(2) {
		t.Errorf("repeated field: got %v, want the last value 2", rows[3]["dup"])
	}
	nested := rows[3]["nested"].(map[string]any)
	if !sameValue(nested["a"], []any{int64(1), map[string]any{"b": []any{[]any{}, map[string]any{}}}, "x"}) {
		t.Errorf("nested = %v", dump(nested))
	}
	if rows[4]["sym_value"] != "SUCCESS" || rows[4]["tabbed"] != int64(3) {
		t.Errorf("row 4 = %v", dump(rows[4]))
	}
	exact := mustRead(t, "types.ion", ExactDecimals())
	var texts []string
	for _, d := range exact[2]["decimals"].([]any) {
		texts = append(texts, d.(*Decimal).String())
	}
	if got := strings.Join(texts, " "); got != "100.000000 1.23d-4 100. 1d3 1.23d-8 -0d-1 15d1 12345678901234567890.123456789" {
		t.Errorf("exact decimals = %s", got)
	}
}

func TestReadFallbackFeatures(t *testing.T) {
	rows := mustRead(t, "fallback.ion")
	if len(rows) != 4 {
		t.Fatalf("got %d rows: %s", len(rows), dump(rows))
	}
	r := rows[0]
	if r["long"] != "long string" || r["hex"] != int64(31) || r["bin"] != int64(5) || r["under"] != int64(1000) ||
		r["custom"] != "kept" || string(r["clob"].([]byte)) != "clob text" {
		t.Errorf("row 0 = %s", dump(r))
	}
	if !sameValue(r["sexp"], []any{"a", "b", []any{"c", int64(1)}}) {
		t.Errorf("sexp = %s", dump(r["sexp"]))
	}
	wantTime(t, "first annotation wins", r["multi"], time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC))
	if rows[2]["name_from_table"] != "field from symbol table" || rows[3]["multi"] != "line value" {
		t.Errorf("rows = %s", dump(rows))
	}
	kept := mustRead(t, "fallback.ion", KeepAnnotations())
	if !sameValue(kept[0]["custom"], Annotated{Annotations: []string{"Custom"}, Value: "kept"}) {
		t.Errorf("KeepAnnotations: %s", dump(kept[0]["custom"]))
	}
	// A time annotation on a non-string value is like any other annotation.
	if a, ok := kept[1]["ann_on_ts"].(Annotated); !ok || a.Annotations[0] != "LocalDate" {
		t.Errorf("annotated timestamp = %#v", kept[1]["ann_on_ts"])
	}
}

func TestReadEmpty(t *testing.T) {
	for _, in := range []string{"", "\n\n  \n", "$ion_1_0\n"} {
		rows, err := ReadAll(strings.NewReader(in))
		if err != nil || rows == nil || len(rows) != 0 {
			t.Errorf("ReadAll(%q) = %v, %v; want an empty non-nil slice", in, rows, err)
		}
	}
	rows := mustRead(t, "empty.ion")
	if rows == nil || len(rows) != 0 {
		t.Errorf("empty.ion: %v", rows)
	}
}

func TestReadCorrupted(t *testing.T) {
	tests := []struct {
		file     string
		row      int
		offset   int64 // -1: any
		line     int   // 0: not checked
		path     string
		contains string
	}{
		{"corrupted_truncated.ion", 1, 32, 2, "", "unexpected end of input"},
		{"corrupted_unterminated_string.ion", 1, -1, 2, "", "unexpected rune"},
		{"corrupted_garbage.ion", 1, 7, 2, "", "unexpected rune"},
		{"corrupted_bad_localdatetime.ion", 1, 50, 2, "at", `invalid LocalDateTime "not a date"`},
		{"corrupted_not_struct.ion", 1, -1, 0, "", "not a struct"},
		{"corrupted_unclosed_list.ion", 0, 24, 2, "", "unexpected"},
	}
	for _, tt := range tests {
		for _, opts := range [][]Option{nil, {WithoutFastPath()}} {
			rows, err := Read(filepath.Join("testdata", tt.file), opts...)
			var e *Error
			if !errors.As(err, &e) {
				t.Errorf("%s: got rows %v, err %v; want an *Error", tt.file, rows, err)
				continue
			}
			if rows != nil || e.Row != tt.row || !strings.Contains(err.Error(), tt.contains) || e.Path != tt.path {
				t.Errorf("%s: error %q: row %d path %q", tt.file, err, e.Row, e.Path)
			}
			if !strings.Contains(err.Error(), "row ") || (e.Offset < 0 && e.Path == "" && !strings.Contains(err.Error(), "not a struct")) {
				t.Errorf("%s: error %q does not say where", tt.file, err)
			}
			if tt.offset >= 0 && (len(opts) == 0 || e.Path == "") && e.Offset != tt.offset {
				t.Errorf("%s: offset %d, want %d", tt.file, e.Offset, tt.offset)
			}
			if tt.line > 0 && (len(opts) == 0 || e.Path == "") && e.Line != tt.line {
				t.Errorf("%s: line %d, want %d", tt.file, e.Line, tt.line)
			}
		}
	}
	_, err := Read(filepath.Join("testdata", "corrupted_not_struct.ion"))
	if !errors.Is(err, ErrNotStruct) {
		t.Errorf("not a struct: %v does not wrap ErrNotStruct", err)
	}
	if _, err := Read(filepath.Join("testdata", "no-such-file.ion")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing file: %v", err)
	}
	// Streaming yields the good rows, then the error.
	f, err := os.Open(filepath.Join("testdata", "corrupted_bad_localdatetime.ion"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var n int
	var last error
	for row, err := range Rows(f) {
		if err != nil {
			last = err
			break
		}
		if row["id"] != int64(1) {
			t.Errorf("row = %v", row)
		}
		n++
	}
	if n != 1 || last == nil {
		t.Errorf("Rows: %d rows, error %v", n, last)
	}
}

// binaryRows writes two rows as binary Ion with the library's writer, as
// two separate streams (two version markers, two symbol tables), the way
// Kestra's newest per-row FileSerde.write would.
func binaryRows(t *testing.T) []byte {
	var out bytes.Buffer
	for i := int64(1); i <= 2; i++ {
		w := ionlib.NewBinaryWriter(&out)
		must := func(err error) {
			if err != nil {
				t.Fatal(err)
			}
		}
		must(w.BeginStruct())
		must(w.FieldName(ionlib.NewSymbolTokenFromString("id")))
		must(w.WriteInt(i))
		must(w.FieldName(ionlib.NewSymbolTokenFromString("salary")))
		must(w.WriteDecimal(ionlib.MustParseDecimal("24000.000000")))
		must(w.FieldName(ionlib.NewSymbolTokenFromString("hired")))
		must(w.WriteTimestamp(ionlib.NewDateTimestamp(time.Date(1987, 6, 17, 0, 0, 0, 0, time.UTC), ionlib.TimestampPrecisionDay)))
		must(w.FieldName(ionlib.NewSymbolTokenFromString("at")))
		must(w.Annotation(ionlib.NewSymbolTokenFromString("LocalDateTime")))
		must(w.WriteString("2024-04-21T13:43:24.34"))
		must(w.FieldName(ionlib.NewSymbolTokenFromString("tags")))
		must(w.BeginList())
		must(w.WriteSymbolFromString("a"))
		must(w.WriteNull())
		must(w.WriteBlob([]byte{1, 2}))
		must(w.EndList())
		must(w.EndStruct())
		must(w.Finish())
	}
	return out.Bytes()
}

func TestReadBinary(t *testing.T) {
	data := binaryRows(t)
	if !bytes.HasPrefix(data, []byte{0xE0, 1, 0, 0xEA}) || bytes.Count(data, []byte{0xE0, 1, 0, 0xEA}) != 2 {
		t.Fatalf("not two binary streams: % x", data)
	}
	rows, err := ReadAll(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]any{
		"salary": 24000.0, "hired": time.Date(1987, 6, 17, 0, 0, 0, 0, time.UTC),
		"at": time.Date(2024, 4, 21, 13, 43, 24, 340e6, time.UTC), "tags": []any{"a", nil, []byte{1, 2}},
	}
	for i, r := range rows {
		want["id"] = int64(i + 1)
		if !sameValue(r, want) {
			t.Errorf("row %d = %s", i, dump(r))
		}
	}
	if len(rows) != 2 {
		t.Errorf("got %d rows", len(rows))
	}
	differential(t, "binary", data, nil)
	// Truncated binary is an error, not a short result.
	if _, err := ReadAll(bytes.NewReader(data[:len(data)-3])); err == nil {
		t.Error("truncated binary: no error")
	}
}

func TestReadOptions(t *testing.T) {
	in := `{a:"2024-04-21T13:43:24Z",b:"2024-04-21T13:43:24.123456+02:00",c:"2024-04-21T13:43:24",d:"20240421",e:"2024-13-21T13:43:24",f:"2024-04-21",g:LocalDateTime::"2024-04-21T13:43:24"}`
	rows, err := ReadAll(strings.NewReader(in))
	if err != nil || rows[0]["a"] != "2024-04-21T13:43:24Z" {
		t.Fatalf("default: strings must stay strings: %v %v", rows, err)
	}
	rows, err = ReadAll(strings.NewReader(in), ParseISOStrings())
	if err != nil {
		t.Fatal(err)
	}
	r := rows[0]
	wantTime(t, "Z", r["a"], time.Date(2024, 4, 21, 13, 43, 24, 0, time.UTC))
	wantTime(t, "+02:00", r["b"], time.Date(2024, 4, 21, 13, 43, 24, 123456000, time.FixedZone("", 7200)))
	wantTime(t, "naive", r["c"], time.Date(2024, 4, 21, 13, 43, 24, 0, time.UTC))
	for _, k := range []string{"d", "e", "f"} {
		if _, ok := r[k].(string); !ok {
			t.Errorf("%s = %v, want the string kept", k, r[k])
		}
	}
	wantTime(t, "annotated", r["g"], time.Date(2024, 4, 21, 13, 43, 24, 0, time.UTC))
}

// TestReadBufferBoundaries reads generated rows and rows longer than the
// read buffer through readers returning one byte or half of the buffer at a
// time, and compares with the library walk.
func TestReadBufferBoundaries(t *testing.T) {
	var buf bytes.Buffer
	if err := benchdata.Write(&buf, 500); err != nil {
		t.Fatal(err)
	}
	long := strings.Repeat("x\\u00e9y", 40000)
	buf.WriteString(`{id:"long",text:"` + long + `",list:[` + strings.Repeat("1.5e0,", 20000) + `2]}` + "\n")
	buf.WriteString("{multi:\n[1,\n2]\n,\nz:3}\n{last:1}")
	data := buf.Bytes()
	want, err := ReadAll(bytes.NewReader(data), WithoutFastPath())
	if err != nil {
		t.Fatal(err)
	}
	for name, r := range map[string]io.Reader{
		"whole": bytes.NewReader(data),
		"one":   iotest.OneByteReader(bytes.NewReader(data)),
		"half":  iotest.HalfReader(bytes.NewReader(data)),
	} {
		d := NewDecoder(r)
		var got []map[string]any
		for {
			m, err := d.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			got = append(got, m)
		}
		if !sameRows(got, want) {
			t.Errorf("%s: rows differ", name)
		}
		if d.fastRows != len(want) {
			t.Errorf("%s: fast path read %d of %d rows", name, d.fastRows, len(want))
		}
	}
	// A read error is reported, not taken for the end of the file.
	_, err = ReadAll(iotest.TimeoutReader(iotest.HalfReader(bytes.NewReader(data))))
	if !errors.Is(err, iotest.ErrTimeout) {
		t.Errorf("read error: got %v", err)
	}
}

func TestDecodeStruct(t *testing.T) {
	type Employee struct {
		ID        int            `ion:"employee_id"`
		FirstName string         `ion:"first_name"`
		Salary    *Decimal       `ion:"salary"`
		Pct       *float64       `ion:"commission_pct"`
		Hired     time.Time      `ion:"hire_date"`
		Manager   *int           `ion:"manager_id"`
		Email     string         // matched case-insensitively
		Ignored   string         `ion:"-"`
		Missing   []string       `ion:"missing"`
		Dept      uint8          `ion:"department_id"`
		Extra     map[string]any `ion:"nope"`
	}
	f, err := os.Open(filepath.Join("testdata", "employees.ion"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	d := NewDecoder(f, ExactDecimals())
	var got []Employee
	for {
		var e Employee
		err := d.Decode(&e)
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, e)
	}
	if len(got) != 3 {
		t.Fatalf("got %d", len(got))
	}
	e := got[0]
	if e.ID != 100 || e.FirstName != "Steven" || e.Salary.String() != "24000.000000" || e.Pct != nil ||
		!e.Hired.Equal(time.Date(1987, 6, 17, 0, 0, 0, 0, time.UTC)) || e.Manager != nil || e.Email != "SKING" || e.Dept != 90 {
		t.Errorf("employee 0 = %+v", e)
	}
	if got[1].Manager == nil || *got[1].Manager != 100 || got[2].Pct == nil || *got[2].Pct != 0.4 {
		t.Errorf("employees 1, 2 = %+v %+v", got[1], got[2])
	}

	var bad struct {
		N int `ion:"n"`
	}
	err = DecodeRow(map[string]any{"n": 100.5}, &bad)
	if err == nil || !strings.Contains(err.Error(), "field n") {
		t.Errorf("100.5 into int: %v", err)
	}
	var small struct {
		N int8 `ion:"n"`
	}
	if err := DecodeRow(map[string]any{"n": int64(300)}, &small); err == nil {
		t.Error("300 into int8: no error")
	}
	if err := DecodeRow(map[string]any{"n": 1}, bad); err == nil {
		t.Error("non-pointer: no error")
	}
	var m map[string]any
	if err := DecodeRow(map[string]any{"n": int64(1)}, &m); err != nil || m["n"] != int64(1) {
		t.Errorf("into map: %v %v", m, err)
	}
}

// TestReadAllParallel reads an input large enough for the parallel path,
// with a value spanning lines and one the fast path hands to the library in
// the middle, and compares with the streaming Decoder.
func TestReadAllParallel(t *testing.T) {
	var buf bytes.Buffer
	if err := benchdata.Write(&buf, 6000); err != nil {
		t.Fatal(err)
	}
	half := buf.Len() // a row boundary
	buf.WriteString("{multi:\n[1,\n2],\nz:(sexp here)}\n")
	if err := benchdata.Write(&buf, 6000); err != nil {
		t.Fatal(err)
	}
	data := buf.Bytes()
	if len(data) < minParallelBytes {
		t.Fatalf("only %d bytes", len(data))
	}
	var want []map[string]any
	for row, err := range Rows(bytes.NewReader(data)) {
		if err != nil {
			t.Fatal(err)
		}
		want = append(want, row)
	}
	for _, workers := range []int{1, 2, 4, 8} {
		got, err := readSections[map[string]any](bytes.NewReader(data), data, 0, int64(len(data)), newConfig(nil), workers)
		if err != nil || !sameRows(got, want) {
			t.Fatalf("%d workers: %d rows (want %d), %v", workers, len(got), len(want), err)
		}
	}
	got, err := ReadAll(bytes.NewReader(data))
	if err != nil || !sameRows(got, want) || len(got) != 12001 {
		t.Fatalf("ReadAll: %d rows, %v", len(got), err)
	}
	// Read from a file and ReadAll from a reader already partly read go
	// through sections read at offsets, not through memory.
	path := filepath.Join(t.TempDir(), "big.ion")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	got, err = Read(path)
	if err != nil || !sameRows(got, want) {
		t.Fatalf("Read: %d rows, %v", len(got), err)
	}
	r := bytes.NewReader(append([]byte("{skipped:1}\n"), data...))
	if _, err := r.Seek(12, io.SeekStart); err != nil {
		t.Fatal(err)
	}
	got, err = ReadAll(r)
	if err != nil || !sameRows(got, want) || r.Len() != 0 {
		t.Fatalf("ReadAll after a first row: %d rows, %v, %d bytes left", len(got), err, r.Len())
	}
	for _, workers := range []int{1, 2, 4, 8} {
		got, err := readSections[map[string]any](bytes.NewReader(data), nil, 0, int64(len(data)), newConfig(nil), workers)
		if err != nil || !sameRows(got, want) {
			t.Fatalf("%d sections: %d rows (want %d), %v", workers, len(got), len(want), err)
		}
	}
	// An error in a later section is reported with its position in the file.
	bad := append(append([]byte{}, data[:half]...), []byte("{id:9,at:LocalDate::\"1987-13-01\"}\n")...)
	bad = append(bad, data[half:]...)
	if err := os.WriteFile(path, bad, 0o644); err != nil {
		t.Fatal(err)
	}
	_, err = Read(path)
	_, err2 := readSections[map[string]any](bytes.NewReader(bad), nil, 0, int64(len(bad)), newConfig(nil), 4)
	_, err3 := readSections[map[string]any](bytes.NewReader(bad), bad, 0, int64(len(bad)), newConfig(nil), 4)
	for _, err := range []error{err, err2, err3} {
		var e *Error
		if !errors.As(err, &e) || e.Row != 6000 || e.Offset != int64(half) || e.Path != "at" ||
			e.Line != 1+bytes.Count(bad[:half], []byte("\n")) {
			t.Fatalf("error %v (%+v)", err, e)
		}
	}
}

// TestReadNotStructPosition checks that a top-level value that is not a
// struct is reported with its row, byte offset and line, whatever it is.
func TestReadNotStructPosition(t *testing.T) {
	for _, v := range []string{"[1,2,3]", `"text"`, "42", "-1.5e0", "2024-01-01", "true", "null", "null.struct",
		"abc", "Custom::[1]", "'sym'", "{{aGk=}}", "(a b)", "'''long'''"} {
		in := "{id:1}\n  " + v + "\n{id:3}\n"
		_, err := ReadAll(strings.NewReader(in))
		var e *Error
		if !errors.As(err, &e) || !errors.Is(err, ErrNotStruct) || e.Row != 1 || e.Offset != 9 || e.Line != 2 {
			t.Errorf("ReadAll(%q): %v", in, err)
			continue
		}
		var last error
		for _, err := range Rows(strings.NewReader(in)) {
			last = err
		}
		if !errors.As(last, &e) || e.Offset != 9 || e.Line != 2 {
			t.Errorf("Rows(%q): %v", in, last)
		}
	}
	// After a version marker or symbol table the value's position is not
	// known (the library does not tell), but the row is.
	_, err := ReadAll(strings.NewReader("{id:1}\n$ion_1_0 [1]\n"))
	var e *Error
	if !errors.As(err, &e) || !errors.Is(err, ErrNotStruct) || e.Row != 1 || !strings.Contains(err.Error(), "row 1") {
		t.Errorf("after a version marker: %v", err)
	}
}

// TestReadErrorPath checks the field path of a conversion error deep in a
// row, on the fast path and through the library.
func TestReadErrorPath(t *testing.T) {
	in := "{id:1}\n{a:{b:[1,{c:[[LocalDate::\"1987-13-01\"]]}]}}\n"
	for _, opts := range [][]Option{nil, {WithoutFastPath()}} {
		_, err := ReadAll(strings.NewReader(in), opts...)
		var e *Error
		if !errors.As(err, &e) || e.Row != 1 || e.Path != "a.b[1].c[0][0]" ||
			!strings.Contains(err.Error(), `field a.b[1].c[0][0]: invalid LocalDate "1987-13-01"`) {
			t.Errorf("opts %d: %v", len(opts), err)
		}
	}
}

// A top-level value that does not fit T is reported for its row, not as
// a field.
func TestTopLevelMismatchMessage(t *testing.T) {
	t.Parallel()
	err := firstErr(Values[int](strings.NewReader("1.5\n")))
	if err == nil || err.Error() != "ion: row 0 (line 1, byte 0): cannot store float64 1.5 in int" {
		t.Errorf("got %v", err)
	}
}
