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
	"time"
)

func TestWriterFormat(t *testing.T) {
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2024, 4, 21, 13, 43, 24, 340_123_456, paris)
	type Inner struct {
		A int `ion:"a"`
	}
	type Row struct {
		ID      int64          `ion:"id"`
		Name    string         `ion:"first name"`
		Score   float64        `ion:"score"`
		Small   float32        `ion:"small"`
		Salary  *Decimal       `ion:"salary"`
		Big     *big.Int       `ion:"big"`
		At      time.Time      `ion:"at"`
		Day     LocalDate      `ion:"day"`
		Local   LocalDateTime  `ion:"local"`
		Offset  OffsetDateTime `ion:"offset"`
		Zoned   ZonedDateTime  `ion:"zoned"`
		LTime   LocalTime      `ion:"ltime"`
		OTime   OffsetTime     `ion:"otime"`
		Blob    []byte         `ion:"blob"`
		Nil     *Inner         `ion:"nil"`
		Inner   Inner          `ion:"inner"`
		List    []any          `ion:"list"`
		Skip    string         `ion:"-"`
		Empty   string         `ion:"empty,omitempty"`
		Dur     time.Duration  `ion:"dur"`
		Special map[string]any `ion:"special"`
	}
	row := Row{
		ID: 42, Name: "Ada \"the\" \\ first\n\t\x01\x7f\u0085é😀", Score: 1.5, Small: 0.25,
		Salary: MustParseDecimal("24000.000000"), Big: new(big.Int).Lsh(big.NewInt(1), 70),
		At: at, Day: LocalDate(at), Local: LocalDateTime(at), Offset: OffsetDateTime(at.In(time.FixedZone("", 7200))),
		Zoned: ZonedDateTime(at), LTime: LocalTime(at), OTime: OffsetTime(at.In(time.FixedZone("", -19800))),
		Blob: []byte("hi"), Inner: Inner{A: 1}, List: []any{nil, true, math.NaN(), math.Inf(1), math.Inf(-1), 1e10, -2.5e-7, 100.0, "x"},
		Skip: "no", Dur: 1500 * time.Millisecond,
		Special: map[string]any{"null": 1, "$12": 2, "": 3, "it's": 4, "b": Annotated{Annotations: []string{"Custom"}, Value: "v"}},
	}
	var buf bytes.Buffer
	w := NewWriter(&buf)
	if err := w.Write(row); err != nil {
		t.Fatal(err)
	}
	if err := w.Write(map[string]any{"z": 1, "a": []int{1, 2}}); err != nil {
		t.Fatal(err)
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	want := `{id:42,'first name':"Ada \"the\" \\ first\n\t\x01\x7f\x85é😀",score:1.5e0,small:2.5e-1,` +
		`salary:24000.000000,big:1180591620717411303424,at:2024-04-21T11:43:24.340Z,day:2024-04-21,` +
		`local:LocalDateTime::"2024-04-21T13:43:24.340123456",offset:OffsetDateTime::"2024-04-21T13:43:24.340123456+02:00",` +
		`zoned:ZonedDateTime::"2024-04-21T13:43:24.340123456+02:00[Europe/Paris]",ltime:LocalTime::"13:43:24.340123456",` +
		`otime:OffsetTime::"06:13:24.340123456-05:30",blob:{{aGk=}},nil:null,inner:{a:1},` +
		`list:[null,true,nan,+inf,-inf,1e10,-2.5e-7,1e2,"x"],dur:1.500000000,` +
		`special:{'':3,'$12':2,b:Custom::"v",'it\'s':4,'null':1}}` + "\n" +
		`{a:[1,2],z:1}` + "\n"
	if buf.String() != want {
		t.Errorf("got\n%s\nwant\n%s", buf.String(), want)
	}
}

func TestWriterErrors(t *testing.T) {
	w := NewWriter(&bytes.Buffer{})
	for name, row := range map[string]any{
		"nil":         nil,
		"nil pointer": (*struct{})(nil),
		"bad utf8":    map[string]any{"s": "a\xffb"},
		"bad key":     map[int]any{1: 2},
		"channel":     map[string]any{"c": make(chan int)},
		"year 10000":  map[string]any{"t": time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)},
		"nested bad":  map[string]any{"a": []any{map[string]any{"b": func() {}}}},
	} {
		err := w.Write(row)
		if err == nil {
			t.Errorf("%s: no error", name)
		}
		if name == "nested bad" && !strings.Contains(err.Error(), "a[0].b") {
			t.Errorf("%s: %v does not name the field", name, err)
		}
	}
	if err := w.Flush(); err != nil {
		t.Errorf("a refused row must not break the writer: %v", err)
	}
}

// TestRoundTrip: what the writer writes, Read gives back, through the fast
// path, identical to the library walk.
func TestRoundTrip(t *testing.T) {
	paris, _ := time.LoadLocation("Europe/Paris")
	at := time.Date(2024, 4, 21, 13, 43, 24, 340_000_000, paris)
	ns := time.Date(2024, 4, 21, 13, 43, 24, 123_456_789, time.FixedZone("", -3600))
	big1, _ := new(big.Int).SetString("-123456789012345678901234567890", 10)
	rows := []map[string]any{
		{"int": int64(-7), "big": big1, "f": 1.25, "nan": math.NaN(), "inf": math.Inf(-1), "negzero": math.Copysign(0, -1),
			"s": "tab\t\"q\" \x00 \u0085 \u2028 é 😀", "empty": "", "b": []byte{0, 1, 255}, "nil": nil, "t": true},
		{"instant": at, "day": LocalDate(at), "local": LocalDateTime(ns), "offset": OffsetDateTime(ns),
			"zoned": ZonedDateTime(at), "ltime": LocalTime(ns), "otime": OffsetTime(ns)},
		{"list": []any{int64(1), []any{}, map[string]any{"x": []any{"y", nil}}}, "nested": map[string]any{"deep": map[string]any{"er": int64(1)}},
			"weird keys": map[string]any{"null": int64(1), "$1": int64(2), "": int64(3), "a'b": int64(4), "é": int64(5)}},
		{"dec": MustParseDecimal("24000.000000"), "dec2": MustParseDecimal("1.23d-8"), "dec3": MustParseDecimal("100.")},
	}
	want := []map[string]any{
		rows[0],
		{"instant": at.UTC(), "day": time.Date(2024, 4, 21, 0, 0, 0, 0, time.UTC),
			"local": time.Date(2024, 4, 21, 13, 43, 24, 123_456_789, time.UTC), "offset": ns, "zoned": at,
			"ltime": time.Date(0, 1, 1, 13, 43, 24, 123_456_789, time.UTC), "otime": time.Date(0, 1, 1, 13, 43, 24, 123_456_789, ns.Location())},
		rows[2],
		rows[3],
	}
	var buf bytes.Buffer
	w := NewWriter(&buf)
	for _, r := range rows {
		if err := w.Write(r); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if n := bytes.Count(buf.Bytes(), []byte("\n")); n != len(rows) {
		t.Fatalf("%d lines for %d rows:\n%s", n, len(rows), buf.String())
	}
	d := NewDecoder(bytes.NewReader(buf.Bytes()), ExactDecimals())
	var got []map[string]any
	for row, err := range rowsOf(d) {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, row)
	}
	if d.fastRows != len(rows) {
		t.Errorf("fast path read %d of %d rows written by Writer", d.fastRows, len(rows))
	}
	if !sameRows(got, want) {
		t.Errorf("round trip:\n%s\nwant\n%s\nfile:\n%s", dump(got), dump(want), buf.String())
	}
	differential(t, "writer output", buf.Bytes(), []Option{ExactDecimals()})

	// WriteFile + Read, with structs.
	type R struct {
		A int       `ion:"a"`
		T time.Time `ion:"t"`
	}
	path := filepath.Join(t.TempDir(), "out.ion")
	if err := WriteFile(path, []R{{1, at}, {2, at}}); err != nil {
		t.Fatal(err)
	}
	back, err := Read(path)
	if err != nil || len(back) != 2 || back[1]["a"] != int64(2) {
		t.Fatalf("WriteFile/Read: %v %v", back, err)
	}
	if err := WriteFile(filepath.Join(t.TempDir(), "no", "dir.ion"), []R{}); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("WriteFile in a missing directory: %v", err)
	}
}

func rowsOf(d *Decoder) func(func(map[string]any, error) bool) {
	return func(yield func(map[string]any, error) bool) {
		for {
			m, err := d.Next()
			if err != nil {
				if err != io.EOF {
					yield(nil, err)
				}
				return
			}
			if !yield(m, nil) {
				return
			}
		}
	}
}
