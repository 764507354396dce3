package ion

import (
	"errors"
	"io"
	"math"
	"math/big"
	"path/filepath"
	"strings"
	"testing"
	"testing/iotest"
	"time"
)

// Files of the shapes Kestra and its plugins write that are not rows of
// structs (testdata/kestra, written by hand after the writers: see the
// facts on FileSerde, plugin-serdes CsvToIon and KV values).

func kestraFile(name string) string { return filepath.Join("testdata", "kestra", name) }

func TestReadCsvWithoutHeader(t *testing.T) {
	// plugin-serdes CsvToIon with header: false writes one list of
	// strings per CSV row.
	want := [][]string{
		{"1", "Alice", "alice@example.com", "2024-01-01"},
		{"2", "Bob", "", "2024-02-29"},
		{"3", `Zoë "Z"`, "z@example.com", ""},
	}
	for _, opts := range [][]Option{nil, {WithoutFastPath()}} {
		rows, err := ReadFile[[]string](kestraFile("csv_no_header.ion"), opts...)
		if err != nil || len(rows) != len(want) {
			t.Fatalf("ReadFile[[]string]: %v, %v", rows, err)
		}
		for i := range want {
			if strings.Join(rows[i], "|") != strings.Join(want[i], "|") {
				t.Errorf("row %d = %q, want %q", i, rows[i], want[i])
			}
		}
		anyRows, err := ReadFile[any](kestraFile("csv_no_header.ion"), opts...)
		if err != nil || len(anyRows) != 3 || !sameValue(anyRows[0], []any{"1", "Alice", "alice@example.com", "2024-01-01"}) {
			t.Errorf("ReadFile[any]: %v, %v", anyRows, err)
		}
		// Read keeps its map rows and says what to call instead.
		_, err = Read(kestraFile("csv_no_header.ion"), opts...)
		var e *Error
		if !errors.Is(err, ErrNotStruct) || !errors.As(err, &e) || e.Row != 0 || !strings.Contains(err.Error(), "ion.ReadFile[any]") {
			t.Errorf("Read of list rows: %v", err)
		}
	}
	// With a header: maps of strings, which Read reads.
	type person struct{ ID, Name string }
	people, err := ReadFile[person](kestraFile("csv_header.ion"))
	if err != nil || len(people) != 2 || people[1] != (person{"2", "Bob"}) {
		t.Errorf("csv with header: %v, %v", people, err)
	}
}

func TestReadKVValues(t *testing.T) {
	// A KV value in internal storage is one bare value.
	paris := time.Date(1987, 6, 17, 0, 0, 0, 0, time.UTC)
	for file, want := range map[string]any{
		"kv_string.ion":   "kestra",
		"kv_int.ion":      int64(42),
		"kv_bool.ion":     true,
		"kv_decimal.ion":  24000.0,
		"kv_duration.ion": 1.5,
		"kv_map.ion":      map[string]any{"a": int64(1), "b": []any{true, nil}, "c": "x"},
		"kv_list.ion":     []any{int64(1), 2.5, "three"},
		"kv_instant.ion":  time.Date(2024, 4, 21, 13, 43, 24, 340e6, time.UTC),
		"kv_date.ion":     paris,
	} {
		for _, opts := range [][]Option{nil, {WithoutFastPath()}} {
			got, err := ReadFile[any](kestraFile(file), opts...)
			if err != nil || len(got) != 1 || !sameValue(got[0], want) {
				t.Errorf("%s: %v, %v; want %v", file, got, err, want)
			}
		}
	}
	s, err := ReadFile[string](kestraFile("kv_string.ion"))
	if err != nil || len(s) != 1 || s[0] != "kestra" {
		t.Errorf("ReadFile[string]: %v, %v", s, err)
	}
	d, err := ReadFile[time.Duration](kestraFile("kv_duration.ion"))
	if err != nil || len(d) != 1 || d[0] != 1500*time.Millisecond {
		t.Errorf("ReadFile[time.Duration]: %v, %v", d, err)
	}
	if _, err := ReadFile[int](kestraFile("kv_string.ion")); err == nil || !strings.Contains(err.Error(), "cannot store string") {
		t.Errorf("a string into an int: %v", err)
	}
}

func TestReadFileSerdeTypes(t *testing.T) {
	// One top-level value per line of every Java type FileSerde writes.
	big1, _ := new(big.Int).SetString("123456789012345678901234567890", 10)
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Fatal(err)
	}
	plus2 := time.FixedZone("", 2*3600)
	want := []any{
		int64(42), int64(math.MinInt64), big1, 1.5, 100.0, 1e10, math.NaN(), math.Inf(1), math.Inf(-1),
		24000.0, 100.0, 1000.0, "King", "café é 😀", true,
		map[string]any{"id": int64(1), "value": "value1"}, []any{int64(1), int64(2), int64(3)}, []byte("hi"),
		time.Date(2024, 4, 21, 13, 43, 24, 340e6, time.UTC), time.Date(2008, 12, 25, 15, 30, 0, 123e6, time.UTC),
		time.Date(1987, 6, 17, 0, 0, 0, 0, time.UTC), time.Date(2024, 4, 21, 13, 43, 24, 340e6, time.UTC),
		time.Date(2024, 4, 21, 13, 43, 24, 340e6, plus2), time.Date(2024, 4, 21, 13, 43, 24, 340e6, paris),
		time.Date(0, 1, 1, 13, 43, 24, 340e6, time.FixedZone("", -(5*3600+1800))), time.Date(0, 1, 1, 15, 30, 0, 123456e3, time.UTC),
		2.0, "SUCCESS",
		map[string]any{"key": []any{int64(1), 1.0, "s", time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC), nil}},
	}
	for _, opts := range [][]Option{nil, {WithoutFastPath()}} {
		got, err := ReadFile[any](kestraFile("fileserde_types.ion"), opts...)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != len(want) {
			t.Fatalf("%d values, want %d", len(got), len(want))
		}
		for i := range want {
			if !sameValue(got[i], want[i]) {
				t.Errorf("value %d: %s, want %s", i, dump(got[i]), dump(want[i]))
			}
		}
	}
	// Typed: the Instant line into a time.Time, the decimal exactly.
	dec, err := ReadFile[*Decimal](kestraFile("kv_decimal.ion"))
	if err != nil || dec[0].String() != "24000.000000" {
		t.Errorf("ReadFile[*Decimal]: %v, %v", dec, err)
	}
}

// TestReadErrorOfInput: a reader failing after complete rows gives the
// same outcome through every whole-input read (no rows, the reader's
// error) and through the streaming ones (the rows, then the error).
func TestReadErrorOfInput(t *testing.T) {
	boom := errors.New("boom")
	in := func() io.Reader {
		return io.MultiReader(strings.NewReader("{a:1}\n{a:2}\n"), iotest.ErrReader(boom))
	}
	rows, err := ReadAll(in())
	if rows != nil || !errors.Is(err, boom) {
		t.Errorf("ReadAll: %v, %v", rows, err)
	}
	anys, err := readAll[any](in(), newConfig(nil))
	if anys != nil || !errors.Is(err, boom) {
		t.Errorf("readAll[any]: %v, %v", anys, err)
	}
	n := 0
	for _, err := range Values[map[string]int](in()) {
		if err != nil {
			if !errors.Is(err, boom) || n != 2 {
				t.Errorf("Values: %d rows, then %v", n, err)
			}
			break
		}
		n++
	}
}
