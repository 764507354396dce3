package ion

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"runtime"
	"strings"
	"testing"
	"testing/iotest"
)

// textSymbolTable returns a text symbol table of n symbols, appended to
// the current one when appends is set.
func textSymbolTable(n int, appends bool) string {
	var b strings.Builder
	b.WriteString("$ion_symbol_table::{")
	if appends {
		b.WriteString("imports:$ion_symbol_table,")
	}
	b.WriteString("symbols:[")
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `"s%d"`, i)
	}
	b.WriteString("]}\n")
	return b.String()
}

// binarySymbolTableOf returns a binary symbol table (no version marker)
// whose symbols list holds the encoded strings syms.
func binarySymbolTableOf(syms []byte, appends bool) []byte {
	var fields []byte
	if appends {
		fields = append(fields, 0x86, 0x71, 0x03) // imports: $ion_symbol_table
	}
	fields = append(fields, 0x87) // symbols:
	fields = append(fields, binaryValue(0xB0, syms)...)
	annotated := cat(varUInt(1), []byte{0x83}, binaryValue(0xD0, fields)) // $ion_symbol_table::
	return binaryValue(0xE0, annotated)
}

// binaryAliasedTable returns $10::{symbols:[syms...]}.
func binaryAliasedTable(syms []byte) []byte {
	return binaryValue(0xE0, cat(varUInt(1), []byte{0x8A}, binaryValue(0xD0, cat([]byte{0x87}, binaryValue(0xB0, syms)))))
}

// binaryValue returns a binary value of type tag (high nibble) and body.
func binaryValue(tag byte, body []byte) []byte {
	if len(body) < 14 {
		return append([]byte{tag | byte(len(body))}, body...)
	}
	return cat([]byte{tag | 0x0E}, varUInt(uint64(len(body))), body)
}

func binaryStrings(n int) []byte {
	var b []byte
	for i := range n {
		b = append(b, binaryValue(0x80, fmt.Appendf(nil, "s%d", i))...)
	}
	return b
}

// binaryAnnotated returns the struct {name: a::a::...::1} with n
// annotations (symbol 4, "name").
func binaryAnnotated(n int) []byte {
	v := binaryValue(0xE0, cat(varUInt(uint64(n)), bytes.Repeat([]byte{0x84}, n), []byte{0x21, 1}))
	return binary(binaryValue(0xD0, cat([]byte{0x84}, v))...)
}

func textAnnotated(n int) string { return "{a:" + strings.Repeat("x::", n) + "1}\n" }

// limitCases: inputs just within the limits (valid, read alike by both
// paths) and just beyond (an error wrapping ErrLimit on every path).
func limitCases() (within, beyond map[string][]byte) {
	rowAfterTable := []byte("{a:$10}\n")
	return map[string][]byte{
			"text annotations":        []byte(textAnnotated(maxAnnotations)),
			"text quoted annotations": []byte("{a:" + strings.Repeat("'x y'::", maxAnnotations) + "1}\n"),
			"binary annotations":      binaryAnnotated(maxAnnotations),
			"text symbols":            append([]byte(textSymbolTable(maxSymbols, false)), rowAfterTable...),
			"text symbols, appended":  append([]byte(textSymbolTable(maxSymbols/2, false)+textSymbolTable(maxSymbols/2, true)), rowAfterTable...),
			"text symbols, replaced":  append([]byte(textSymbolTable(maxSymbols/2+1, false)+textSymbolTable(maxSymbols/2+1, false)), rowAfterTable...),
			"text symbols, new stream": append([]byte(textSymbolTable(maxSymbols/2+1, false)+"$ion_1_0\n"+
				textSymbolTable(maxSymbols/2+1, true)), rowAfterTable...),
			"text appends":   append([]byte(strings.Repeat(textSymbolTable(1, true), maxImports)), rowAfterTable...),
			"binary symbols": binary(cat(binarySymbolTableOf(binaryStrings(maxSymbols), false), []byte{0xD2, 0x84, 0x20})...),
			"binary symbols, new stream": cat(binary(binarySymbolTableOf(binaryStrings(maxSymbols/2+1), false)...),
				binary(binarySymbolTableOf(binaryStrings(maxSymbols/2+1), true)...), []byte{0xD2, 0x84, 0x20}),
			"binary appends": binary(cat(bytes.Repeat(binarySymbolTableOf(binaryStrings(1), true), maxImports), []byte{0xD2, 0x84, 0x20})...),
			// $10 is not $ion_symbol_table: a struct with a long list.
			"text, annotated like a table": append([]byte(textSymbolTable(1, false)+"$10"+
				strings.TrimPrefix(textSymbolTable(maxSymbols+1, false), "$ion_symbol_table")), rowAfterTable...),
			"binary, annotated like a table": binary(cat(binarySymbolTableOf(binaryStrings(1), false),
				binaryAliasedTable(binaryStrings(maxSymbols+1)), []byte{0xD2, 0x84, 0x20})...),
		}, map[string][]byte{
			"text annotations":        []byte(textAnnotated(maxAnnotations + 1)),
			"text quoted annotations": []byte("{a:" + strings.Repeat("'x y'::", maxAnnotations+1) + "1}\n"),
			"text annotations, later row": []byte("{a:1}\n{b:x::y::2}\n" + strings.Repeat("a::", maxAnnotations) +
				"/* comment */ '\\x61' /**/ :: {a:1}\n"),
			"binary annotations":       binaryAnnotated(maxAnnotations + 1),
			"text symbols":             append([]byte(textSymbolTable(maxSymbols+1, false)), rowAfterTable...),
			"text symbols, appended":   append([]byte(textSymbolTable(maxSymbols/2+1, false)+textSymbolTable(maxSymbols/2, true)), rowAfterTable...),
			"text symbols, escaped":    append([]byte("'\\x24ion_symbol_table'"+strings.TrimPrefix(textSymbolTable(maxSymbols+1, false), "$ion_symbol_table")), rowAfterTable...),
			"text symbols, $3":         append([]byte("$3"+strings.TrimPrefix(textSymbolTable(maxSymbols+1, false), "$ion_symbol_table")), rowAfterTable...),
			"text appends":             append([]byte(strings.Repeat(textSymbolTable(1, true), maxImports+1)), rowAfterTable...),
			"text appends, no symbols": []byte(strings.Repeat("$ion_symbol_table::{imports:$3}\n", maxImports+1) + "{a:1}\n"),
			"binary symbols":           binary(cat(binarySymbolTableOf(binaryStrings(maxSymbols+1), false), []byte{0xD2, 0x84, 0x20})...),
			"binary symbols, appended": binary(cat(binarySymbolTableOf(binaryStrings(maxSymbols), false),
				binarySymbolTableOf(binaryStrings(1), true), []byte{0xD2, 0x84, 0x20})...),
			"binary appends": binary(cat(bytes.Repeat(binarySymbolTableOf(binaryStrings(1), true), maxImports+1), []byte{0xD2, 0x84, 0x20})...),
			// $10 is $ion_symbol_table: the library takes the struct for a
			// symbol table.
			"text symbols, aliased": append([]byte(`$ion_symbol_table::{symbols:["$ion_symbol_table"]}`+"\n$10"+
				strings.TrimPrefix(textSymbolTable(maxSymbols+1, false), "$ion_symbol_table")), rowAfterTable...),
			"binary symbols, aliased": binary(cat(binarySymbolTableOf(binaryValue(0x80, []byte("$ion_symbol_table")), false),
				binaryAliasedTable(binaryStrings(maxSymbols+1)), []byte{0xD2, 0x84, 0x20})...),
		}
}

// smallReads returns a reader of in one byte at a time, or for a large
// input (a table of 100,000 symbols) half of what is asked.
func smallReads(in []byte) io.Reader {
	if len(in) < 64<<10 {
		return iotest.OneByteReader(bytes.NewReader(in))
	}
	return iotest.HalfReader(bytes.NewReader(in))
}

func TestLimits(t *testing.T) {
	within, beyond := limitCases()
	for name, in := range within {
		// Both paths, and they agree (differential's other reads would
		// cost seconds on tables of 100,000 symbols).
		fast, err := ReadAll(bytes.NewReader(in))
		ref, rerr := ReadAll(bytes.NewReader(in), WithoutFastPath())
		if err != nil || rerr != nil || !sameRows(fast, ref) {
			t.Errorf("%s: %v, %v; or the paths differ", name, err, rerr)
		}
	}
	for name, in := range beyond {
		for how, read := range map[string]func() error{
			"ReadAll":          func() error { _, err := ReadAll(bytes.NewReader(in)); return err },
			"ReadAll/library":  func() error { _, err := ReadAll(bytes.NewReader(in), WithoutFastPath()); return err },
			"Rows/small reads": func() error { return firstErr(Rows(smallReads(in))) },
			"Values[any]":      func() error { return firstErr(Values[any](bytes.NewReader(in))) },
		} {
			if len(in) > 64<<10 && how != "ReadAll" && how != "Rows/small reads" {
				continue // the other ways on the small inputs: a large one takes long under -race
			}
			err := read()
			var e *Error
			if !errors.Is(err, ErrLimit) || !errors.As(err, &e) || e.Offset < 0 {
				t.Errorf("%s, %s: %v, want an *Error with an offset wrapping ErrLimit", name, how, err)
			}
		}
	}
}

// TestLimitsAfterRows: the rows before the value beyond a limit are read,
// and the error names the value's row and where the limit was crossed.
func TestLimitsAfterRows(t *testing.T) {
	in := "{a:1}\n{b:x::y::2}\n" + textAnnotated(maxAnnotations+1)
	var rows int
	var err error
	for _, err = range Rows(strings.NewReader(in)) {
		if err != nil {
			break
		}
		rows++
	}
	var e *Error
	start := int64(strings.LastIndexByte(in[:len(in)-1], '\n') + 1)
	if rows != 2 || !errors.As(err, &e) || e.Row != 2 || e.Offset <= start {
		t.Fatalf("%d rows, %v; want 2 rows, then an error in row 2, past byte %d", rows, err, start)
	}
}

// TestTextGuardLookalikes: "::", symbol tables and version markers inside
// strings, comments, lobs and s-expressions are not counted, and the
// annotations of consecutive values are counted apart.
func TestTextGuardLookalikes(t *testing.T) {
	many := strings.Repeat("x::", 2*maxAnnotations)
	table := strings.TrimSuffix(textSymbolTable(maxSymbols+1, false), "\n")
	for name, in := range map[string]string{
		"string":                 `{a:"` + many + `"}`,
		"long string":            `{a:'''` + many + `''' '''\''''` + many + `'''}`,
		"quoted symbol":          `{a:'` + many + `'}`,
		"field name":             `{'` + many + `':1}`,
		"comments":               "{a:1 /* " + many + " */, // " + many + "\n b:2}",
		"clob":                   `{a:{{"` + many + `"}}, b:{{'''` + many + `'''}}}`,
		"s-expression":           "{a:(" + strings.Repeat("x::a y::b ", maxAnnotations) + ")}",
		"list":                   "{a:[" + strings.Repeat("x::y::1,", maxAnnotations) + "]}",
		"rows":                   strings.Repeat("{a:x::1}\n", maxAnnotations+1),
		"table in a string":      `{a:"` + table + `"}`,
		"table not at the top":   "{a:" + table + "}",
		"table annotated second": "x::" + table + "\n{a:1}",
		"operators":              "{a:(" + strings.Repeat("+ - / ", maxAnnotations) + ")}",
	} {
		differentialIn(t, name, []byte(in), nil, []int{1})
		for _, opts := range [][]Option{nil, {WithoutFastPath()}} {
			if _, err := ReadAll(strings.NewReader(in), opts...); errors.Is(err, ErrLimit) {
				t.Errorf("%s (library only %v): %v", name, opts != nil, err)
			}
		}
	}
}

// TestLimitsMemory: refusing a value beyond a limit costs about the bytes
// read up to it; the library alone took 262 MB for the 3 MB of text
// annotations, 225 MB for the 1 MB of binary ones and 263 MB for the
// 9 MB symbol table.
func TestLimitsMemory(t *testing.T) {
	for name, c := range map[string]struct {
		in     []byte
		budget uint64
	}{
		"text, a million annotations":   {[]byte(textAnnotated(1_000_000)), 12 << 20},
		"binary, a million annotations": {binaryAnnotated(1_000_000), 12 << 20},
		"text, a million symbols":       {[]byte(textSymbolTable(1_000_000, false)), 40 << 20},
		"binary, a million symbols":     {binary(binarySymbolTableOf(binaryStrings(1_000_000), false)...), 40 << 20},
	} {
		for _, opts := range [][]Option{nil, {WithoutFastPath()}} {
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			_, err := ReadAll(bytes.NewReader(c.in), opts...)
			runtime.ReadMemStats(&after)
			if !errors.Is(err, ErrLimit) {
				t.Fatalf("%s: %v, want ErrLimit", name, err)
			}
			budget := c.budget
			if raceEnabled {
				budget *= 2 // the race detector's builds allocate more
			}
			if got := after.TotalAlloc - before.TotalAlloc; got > budget {
				t.Errorf("%s (library only %v): %.1f MB allocated for %.1f MB of input, budget %.1f MB", name, opts != nil,
					float64(got)/(1<<20), float64(len(c.in))/(1<<20), float64(budget)/(1<<20))
			}
		}
	}
}

// TestLibraryMessageClipped: the library writes the whole symbol table
// into the message for a symbol ID beyond it; the *Error keeps 512 bytes.
func TestLibraryMessageClipped(t *testing.T) {
	in := textSymbolTable(maxSymbols, false) + "{a:$999999}\n"
	for _, opts := range [][]Option{nil, {WithoutFastPath()}} {
		_, err := ReadAll(strings.NewReader(in), opts...)
		var e *Error
		if !errors.As(err, &e) || len(err.Error()) > 600 || !strings.Contains(err.Error(), "999999") || !strings.Contains(err.Error(), "more bytes)") {
			t.Fatalf("%.700v: want an *Error of at most 600 bytes naming the symbol ID", err)
		}
	}
}
