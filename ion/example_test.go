package ion_test

import (
	"fmt"
	"io"
	"log"
	"os"
	"strings"
	"time"

	"github.com/kestra-go/kestra-go/ion"
)

// Reading a Kestra result file (for example a query's output, downloaded
// from internal storage) in five lines.
func Example() {
	rows, err := ion.Read("testdata/employees.ion")
	if err != nil {
		log.Fatal(err)
	}
	for _, row := range rows {
		fmt.Println(row["first_name"], row["salary"], row["commission_pct"], row["hire_date"].(time.Time).Format(time.DateOnly))
	}
	// Output:
	// Steven 24000 <nil> 1987-06-17
	// Neena 17000 <nil> 1989-09-21
	// John 14000 0.4 1996-10-01
}

// Streaming a file larger than memory, one row at a time.
func ExampleRows() {
	f, err := os.Open("testdata/employees.ion")
	if err != nil {
		log.Fatal(err)
	}
	defer f.Close()
	total := 0.0
	for row, err := range ion.Rows(f) {
		if err != nil {
			log.Fatal(err)
		}
		total += row["salary"].(float64)
	}
	fmt.Println(total)
	// Output: 55000
}

// Decoding rows into a struct, with exact decimals.
func ExampleDecoder_Decode() {
	type Employee struct {
		Name    string       `ion:"first_name"`
		ID      int          `ion:"employee_id"` // 100.000000 is an exact int
		Salary  *ion.Decimal `ion:"salary"`
		Manager *int         `ion:"manager_id"` // null -> nil
		Hired   time.Time    `ion:"hire_date"`
	}
	f, err := os.Open("testdata/employees.ion")
	if err != nil {
		log.Fatal(err)
	}
	defer f.Close()
	d := ion.NewDecoder(f, ion.ExactDecimals())
	for {
		var e Employee
		err := d.Decode(&e)
		if err == io.EOF {
			break
		}
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(e.Name, e.ID, e.Salary, e.Manager != nil, e.Hired.Format(time.DateOnly))
	}
	// Output:
	// Steven 100 24000.000000 false 1987-06-17
	// Neena 101 17000.000000 true 1989-09-21
	// John 145 14000.000000 true 1996-10-01
}

// Writing rows for the next Kestra task, with the Java types Kestra expects.
func ExampleWriter() {
	at := time.Date(2024, 4, 21, 13, 43, 24, 340_000_000, time.FixedZone("", 2*3600))
	w := ion.NewWriter(os.Stdout)
	err := w.Write(map[string]any{
		"id":      1,
		"price":   1.5,
		"total":   ion.MustParseDecimal("24000.000000"),
		"at":      at, // an Instant
		"day":     ion.LocalDate(at),
		"local":   ion.LocalDateTime(at),
		"offset":  ion.OffsetDateTime(at),
		"tags":    []string{"a", "b"},
		"comment": nil,
	})
	if err != nil {
		log.Fatal(err)
	}
	if err := w.Flush(); err != nil {
		log.Fatal(err)
	}
	// Output:
	// {at:2024-04-21T11:43:24.340Z,comment:null,day:2024-04-21,id:1,local:LocalDateTime::"2024-04-21T13:43:24.34",offset:OffsetDateTime::"2024-04-21T13:43:24.34+02:00",price:1.5e0,tags:["a","b"],total:24000.000000}
}

// The Python client's conversion of ISO-looking strings, for parity.
func ExampleParseISOStrings() {
	in := `{created:"2024-04-21T13:43:24Z",code:"2024"}`
	rows, err := ion.ReadAll(strings.NewReader(in), ion.ParseISOStrings())
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%T %T\n", rows[0]["created"], rows[0]["code"])
	// Output: time.Time string
}

// Errors say where the problem is.
func ExampleError() {
	in := "{id:1,at:LocalDateTime::\"2024-04-21T13:43:24\"}\n{id:2,at:LocalDateTime::\"not a date\"}\n"
	_, err := ion.ReadAll(strings.NewReader(in))
	fmt.Println(err)
	// Output: ion: row 1 (line 2, byte 47), field at: invalid LocalDateTime "not a date"
}

// Reading rows straight into structs, and files whose values are not
// structs: a header-less CSV conversion (one list per row) and a KV value.
func ExampleReadFile() {
	type Employee struct {
		Name   string    `ion:"first_name"`
		Salary float64   `ion:"salary"`
		Hired  time.Time `ion:"hire_date"`
	}
	people, err := ion.ReadFile[Employee]("testdata/employees.ion")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(people[0].Name, people[0].Salary, people[0].Hired.Format(time.DateOnly))

	csv, err := ion.ReadFile[[]string]("testdata/kestra/csv_no_header.ion")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(len(csv), csv[1])

	kv, err := ion.ReadFile[any]("testdata/kestra/kv_string.ion")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(kv[0])
	// Output:
	// Steven 24000 1987-06-17
	// 3 [2 Bob  2024-02-29]
	// kestra
}

// Streaming typed values; durations read back as they were written.
func ExampleValues() {
	type Step struct {
		Name string        `ion:"name"`
		Took time.Duration `ion:"took"`
	}
	var out strings.Builder
	w := ion.NewWriter(&out)
	for _, s := range []Step{{"extract", 2 * time.Second}, {"load", 1500 * time.Millisecond}} {
		if err := w.Write(s); err != nil {
			log.Fatal(err)
		}
	}
	if err := w.Flush(); err != nil {
		log.Fatal(err)
	}
	fmt.Print(out.String())
	for s, err := range ion.Values[Step](strings.NewReader(out.String())) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(s.Name, s.Took)
	}
	// Output:
	// {name:"extract",took:2.000000000}
	// {name:"load",took:1.500000000}
	// extract 2s
	// load 1.5s
}
