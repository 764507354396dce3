package ion

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"math/big"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"testing/iotest"
)

// Hostile inputs run in a child process (the test binary re-executed with
// ION_HOSTILE set): an out-of-memory or stack overflow cannot be caught in
// the test's own process. The child reads the input every way the package
// offers, prints what each returned and how much it allocated; the parent
// fails if the child crashed or allocated beyond the case's budget. Without
// the race detector, the child also runs under `ulimit -v`, so that an
// allocation of a declared length kills it even when the machine could
// serve it.

// binary returns a binary Ion stream: the version marker, then b.
func binary(b ...byte) []byte { return append([]byte{0xE0, 1, 0, 0xEA}, b...) }

// varUInt encodes n as a binary Ion VarUInt.
func varUInt(n uint64) []byte {
	var b []byte
	for {
		b = append([]byte{byte(n & 0x7F)}, b...)
		n >>= 7
		if n == 0 {
			break
		}
	}
	b[len(b)-1] |= 0x80
	return b
}

func cat(parts ...[]byte) []byte { return bytes.Join(parts, nil) }

// binaryTimestamp returns a binary struct {name: timestamp} whose timestamp
// (2000-01-01T00:00:00Z) has a fraction with a coefficient of 1 followed by
// zeros bytes (and the exponent that keeps the fraction below one).
func binaryTimestamp(zeros int) []byte {
	coef := append([]byte{1}, make([]byte, zeros)...)
	exp := len(new(big.Int).SetBytes(coef).String()) // digits
	// The exponent -exp as a VarInt: 7 bits a byte, the sign in the first.
	var e []byte
	for v := exp; v > 0 || len(e) == 0; v >>= 7 {
		e = append([]byte{byte(v & 0x7F)}, e...)
	}
	if e[0]&0x40 != 0 {
		e = append([]byte{0}, e...)
	}
	e[0] |= 0x40
	e[len(e)-1] |= 0x80
	body := cat([]byte{0x80, 0x0F, 0xD0, 0x81, 0x81, 0x80, 0x80, 0x80}, e, coef)
	ts := cat([]byte{0x6E}, varUInt(uint64(len(body))), body)
	return cat(binary(0xDE), varUInt(uint64(1+len(ts))), []byte{0x85}, ts) // {version: ...}
}

// nestedBinaryLists returns depth binary lists, each holding the next.
func nestedBinaryLists(depth int) []byte {
	headers := make([][]byte, depth) // innermost first
	size := uint64(1)                // int 0
	for i := range headers {
		if size < 14 {
			headers[i] = []byte{0xB0 | byte(size)}
		} else {
			headers[i] = cat([]byte{0xBE}, varUInt(size))
		}
		size += uint64(len(headers[i]))
	}
	out := binary()
	for i := depth - 1; i >= 0; i-- {
		out = append(out, headers[i]...)
	}
	return append(out, 0x20)
}

type hostileCase struct {
	input []byte
	ok    bool  // the input is valid: reading must succeed
	limit int64 // budget for the bytes allocated by all the reads together
	// sys, when set, bounds the memory the child obtains from the system
	// over all its reads (its inputs included), running with
	// GOMEMLIMIT=256MiB, so that the collector keeps the heap near what
	// is live.
	sys uint64
}

func hostileCases() map[string]hostileCase {
	big46 := varUInt(1 << 46)
	return map[string]hostileCase{
		// The 30-byte file: a decimal declaring 2^46 bytes.
		"binary-decimal-2^46": {input: cat(binary(0x5E), big46, bytes.Repeat([]byte{1}, 30-4-1-len(big46)))},
		"binary-string-2^46":  {input: cat(binary(0x8E), big46, []byte("abc"))},
		"binary-blob-2^46":    {input: cat(binary(0xAE), big46, []byte("abc"))},
		// A struct declaring 2^46 bytes, holding a string declaring 2^45:
		// the library checks the string against the struct's length only.
		"binary-struct-2^46":        {input: cat(binary(0xDE), big46, []byte{0x84, 0x8E}, varUInt(1<<45), []byte("abc"))},
		"binary-sorted-struct-2^46": {input: cat(binary(0xD1), big46, []byte{0x84, 0x21, 1})},
		"binary-annotation-2^46":    {input: cat(binary(0xEE), big46, []byte{0x81, 0x84, 0x21, 1})},
		"binary-list-2^46":          {input: cat(binary(0xBE), big46, []byte{0x21, 1})},
		"binary-varuint-overflow":   {input: cat(binary(0x8E), bytes.Repeat([]byte{0x7F}, 20), []byte{0xFF})},
		"binary-length-cut":         {input: binary(0x8E, 0x7F)},
		"binary-nop-pad-2^46":       {input: cat(binary(0x0E), big46)},
		"binary-repeated-markers":   {input: cat(binary(0xD0), binary(0xDE), varUInt(1<<40))},
		"binary-deep-100000":        {input: nestedBinaryLists(100_000), limit: 64 << 20},
		"text-deep-100000":          {input: []byte("{a:" + strings.Repeat("[", 100_000)), limit: 64 << 20},
		"text-import-max-id":        {input: []byte(`$ion_symbol_table::{imports:[{name:"x",version:1,max_id:1152921504606846976}]} {a:$10}`)},
		"text-decimal-exponent":     {input: []byte("{a:1d2147483647,b:1d-2147483648}\n"), ok: true},
		"text-long-fraction":        {input: []byte("{a:2024-01-01T00:00:00." + strings.Repeat("1", 100_000) + "Z}\n"), ok: true, limit: 64 << 20},
		// A long int where the library reads (after a comment): the
		// library's text reader converts it before the walk can refuse
		// it, in quadratic time (seconds and gigabytes for a million
		// digits) unless textGuard stops it.
		// A binary timestamp's fraction: the library turns its
		// coefficient into decimal digits, in more than linear time (a
		// second for one of a megabyte, seconds for 4 MB).
		// An annotation wrapper of 3 bytes whose annotations declare 2^21:
		// the library read the rest of the input as annotation IDs.
		"binary-annotation-underflow": {input: cat(binary(0xEE, 0x83, 0x7F, 0x7F, 0xFF), bytes.Repeat([]byte{0x81}, 3<<20)), limit: 24 << 20},
		"binary-timestamp-1MB":        {input: binaryTimestamp(1 << 20), limit: 16 << 20},
		"binary-timestamp-4KB":        {input: binaryTimestamp(maxTimestampBytes - 20), ok: true},
		"text-long-int-after-comment": {input: []byte("/* c */ {a:" + strings.Repeat("7", 1_000_000) + "}\n"), limit: 16 << 20},
		// Large rows: each read path may allocate (garbage included) a
		// small multiple of the row's size in the result: 12x for a
		// string (the Ion library alone takes 5x), 12x for a list of a
		// million small ints (whose result holds 16 bytes per item, 16 MB;
		// the fast path takes 2.5x, the Ion library's reader alone
		// allocates about 110 bytes per int, 160 with -race).
		"text-unclosed-string": {input: []byte(`{a:"` + strings.Repeat("x", 2<<20)), limit: 12 * 2 << 20},
		"text-2MB-string":      {input: []byte(`{a:"` + strings.Repeat("x", 2<<20) + "\"}\n"), ok: true, limit: 12 * 2 << 20},
		"text-2MB-list":        {input: []byte(`{a:[` + strings.Repeat("1,", 1<<20) + "1]}\n"), ok: true, limit: 12 * 16 << 20},
		// Beyond the limits of limits.go: the Ion library alone holds
		// about 90 bytes per text annotation (3 bytes), 240 per binary one
		// (1 byte), 60 to 120 per symbol, and appended tables cost it
		// quadratic time and memory. The largest case runs under a memory
		// limit: the library would hold 1.2 GB for it.
		"text-annotations-10M":    {input: []byte(textAnnotated(10_000_000)), limit: 96 << 20, sys: 384 << 20},
		"text-annotations-1M":     {input: []byte(textAnnotated(1_000_000)), limit: 16 << 20},
		"binary-annotations-1M":   {input: binaryAnnotated(1_000_000), limit: 16 << 20},
		"text-symbols-1M":         {input: []byte(textSymbolTable(1_000_000, false) + "{a:$10}\n"), limit: 48 << 20},
		"binary-symbols-1M":       {input: binary(binarySymbolTableOf(binaryStrings(1_000_000), false)...), limit: 48 << 20},
		"text-appended-tables":    {input: []byte(strings.Repeat(textSymbolTable(1, true), 20_000) + "{a:$10}\n"), limit: 64 << 20},
		"binary-appended-tables":  {input: binary(bytes.Repeat(binarySymbolTableOf(binaryStrings(1), true), 100_000)...), limit: 64 << 20},
		"text-annotations-spread": {input: []byte("{a:[" + strings.Repeat(strings.Repeat("x::", maxAnnotations)+"1,", 300) + "1]}\n"), ok: true, limit: 64 << 20},
	}
}

// readEveryWay reads data through every reading function of the package
// and reports each one's error ("" for success).
func readEveryWay(data []byte, dir string) map[string]pathResult {
	out := map[string]pathResult{}
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	last := ms.TotalAlloc
	res := func(name string, err error) {
		runtime.ReadMemStats(&ms)
		r := pathResult{Alloc: ms.TotalAlloc - last}
		if err != nil {
			r.Err = err.Error()
		}
		out[name] = r
		runtime.ReadMemStats(&ms)
		last = ms.TotalAlloc
	}
	path := filepath.Join(dir, "input.ion")
	if err := os.WriteFile(path, data, 0o600); err != nil {
		panic(err)
	}
	_, err := Read(path)
	res("Read", err)
	_, err = Read(path, WithoutFastPath())
	res("Read/library", err)
	_, err = ReadAll(bytes.NewReader(data))
	res("ReadAll", err)
	_, err = ReadAll(iotest.HalfReader(bytes.NewReader(data)))
	res("ReadAll/stream", err)
	res("Rows", firstErr(Rows(bytes.NewReader(data))))
	res("Rows/library", firstErr(Rows(bytes.NewReader(data), WithoutFastPath())))
	d := NewDecoder(iotest.OneByteReader(bytes.NewReader(data)))
	for {
		var row map[string]any
		if err = d.Decode(&row); err != nil {
			break
		}
	}
	if err == io.EOF {
		err = nil
	}
	res("Decoder.Decode", err)
	_, err = ReadFile[any](path)
	res("ReadFile[any]", err)
	res("Values[struct]", firstErr(Values[fuzzRow](bytes.NewReader(data))))
	res("Values[struct]/library", firstErr(Values[fuzzRow](bytes.NewReader(data), WithoutFastPath())))
	return out
}

func firstErr[V any](seq func(func(V, error) bool)) error {
	for _, err := range seq {
		if err != nil {
			return err
		}
	}
	return nil
}

type pathResult struct {
	Err   string
	Alloc uint64 // bytes allocated
}

func TestHostileInputs(t *testing.T) {
	if name := os.Getenv("ION_HOSTILE"); name != "" {
		c := hostileCases()[name]
		rep := readEveryWay(c.input, t.TempDir())
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		rep["system"] = pathResult{Alloc: ms.Sys} // obtained from the system, at most
		b, _ := json.Marshal(rep)
		fmt.Printf("\nREPORT %s\n", b)
		return
	}
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	for name, c := range hostileCases() {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			args := []string{"-test.run=^TestHostileInputs$", "-test.count=1"}
			var cmd *exec.Cmd
			if raceEnabled {
				cmd = exec.Command(exe, args...)
			} else {
				// 4 GB of address space (the Go runtime reserves several
				// times its heap): a declared 2^40 bytes cannot be served.
				cmd = exec.Command("/bin/sh", append([]string{"-c", `ulimit -v 4000000 && exec "$0" "$@"`, exe}, args...)...)
			}
			cmd.Env = append(os.Environ(), "ION_HOSTILE="+name, "GOMAXPROCS=2")
			if c.sys > 0 {
				cmd.Env = append(cmd.Env, "GOMEMLIMIT=256MiB")
			}
			outb, err := cmd.CombinedOutput()
			output := string(outb)
			if err != nil {
				t.Fatalf("child crashed (%v):\n%s", err, tail(output, 3000))
			}
			_, js, found := strings.Cut(output, "\nREPORT ")
			if !found {
				t.Fatalf("no report:\n%s", tail(output, 3000))
			}
			js, _, _ = strings.Cut(js, "\n")
			var rep map[string]pathResult
			if err := json.Unmarshal([]byte(js), &rep); err != nil {
				t.Fatal(err)
			}
			limit := c.limit
			if limit == 0 {
				limit = 4 << 20
			}
			if sys := rep["system"].Alloc; c.sys > 0 && sys > c.sys {
				t.Errorf("the child obtained %.1f MB from the system, budget %.1f MB", float64(sys)/(1<<20), float64(c.sys)/(1<<20))
			}
			delete(rep, "system")
			for _, how := range slices.Sorted(maps.Keys(rep)) {
				r := rep[how]
				switch {
				case c.ok && r.Err != "":
					t.Errorf("%s: %s", how, r.Err)
				case !c.ok && r.Err == "":
					t.Errorf("%s: no error", how)
				}
				if r.Alloc > uint64(limit) {
					t.Errorf("%s allocated %.1f MB, budget %.1f MB", how, float64(r.Alloc)/(1<<20), float64(limit)/(1<<20))
				}
				t.Logf("%s: %.1f MB, %s", how, float64(r.Alloc)/(1<<20), r.Err)
			}
		})
	}
}

func tail(s string, n int) string {
	if len(s) > n {
		return "..." + s[len(s)-n:]
	}
	return s
}

// tlv returns a binary value of type t (high nibble) holding body.
func tlv(t byte, body []byte) []byte {
	if len(body) < 14 {
		return cat([]byte{t | byte(len(body))}, body)
	}
	return cat([]byte{t | 0x0E}, varUInt(uint64(len(body))), body)
}

// TestLongBinaryTimestamp: a binary timestamp longer than
// maxTimestampBytes is refused wherever it is (in lists, s-expressions,
// structs, annotation wrappers), before the library reads it.
func TestLongBinaryTimestamp(t *testing.T) {
	for _, size := range []int{20, maxTimestampBytes - 20, maxTimestampBytes + 1, 100_000} {
		row := binaryTimestamp(size)[4:] // {version: timestamp}
		ts := row[2:]
		if row[0] == 0xDE {
			_, k, _ := binVarUInt(row, 1)
			ts = row[k+1:]
		}
		n, _, _ := binVarUInt(ts, 1) // ts[0] is 0x6E
		long := n > maxTimestampBytes
		nested := tlv(0xB0, cat(tlv(0xC0, []byte{0x21, 1}), // [(1), a::{version: [ts]}]
			tlv(0xE0, cat([]byte{0x81, 0x84}, tlv(0xD0, cat([]byte{0x85}, tlv(0xB0, ts)))))))
		for _, in := range [][]byte{binary(row...), binary(nested...), binary(append(nested, ts...)...)} {
			for _, opts := range [][]Option{nil, {WithoutFastPath()}} {
				_, err := readAll[any](bytes.NewReader(in), newConfig(opts))
				if long != errors.Is(err, errLongTimestamp) || (!long && err != nil) {
					t.Fatalf("timestamp of %d bytes (%d in all): %v", len(ts), len(in), err)
				}
			}
		}
	}
}
