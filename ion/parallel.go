package ion

import (
	"bytes"
	"errors"
	"io"
	"os"
	"reflect"
	"runtime"
	"slices"
	"sync"
)

// ReadAll keeps every row, so it can parse a large input on several cores:
// the input is cut after newlines into one section per core, and each
// section is parsed by the fast path on its own, through its own Decoder and
// buffer. The rows of section i+1 are used only if section i was parsed to
// its very end (so its last value ended before the cut); at the first value
// a section cannot parse, reading continues there sequentially with a
// Decoder (fast path, then library fallback), and the later sections are
// dropped. The result is therefore the same as a sequential read, which the
// tests check with deliberately tiny sections.
//
// Inputs that can be read at any offset (files, bytes and strings readers)
// are not copied into memory first, so that reading holds the result and a
// buffer per worker, not the whole input too (for a large file, fresh
// memory for the input costs as much time as parsing a good part of it).
// Other readers are read into memory, and the sections read from there.

const (
	minParallelBytes = 4 << 20 // below this, one section
	maxWorkers       = 8
)

// readAll reads every value of r into a []T: the one path of Read,
// ReadAll and ReadFile.
func readAll[T any](r io.Reader, c config) ([]T, error) {
	if !c.noFastPath {
		if ra, base, size, ok := readerAtSize(r); ok {
			return readSections[T](ra, nil, base, size, c, parallelism())
		}
	}
	data, err := readInput(r)
	if err != nil {
		// Report the read error after the values that were complete,
		// as the Decoder does.
		return decodeAll[T](newDecoder(io.MultiReader(bytes.NewReader(data), errReader{err}), c))
	}
	return readData[T](data, c)
}

// readData reads values from an input held in memory. Strings are copied
// out of data, which can be dropped afterwards.
func readData[T any](data []byte, c config) ([]T, error) {
	if c.noFastPath {
		rows, err := decodeAll[T](newDecoder(bytes.NewReader(data), c))
		return rows, withLine(err, data)
	}
	workers := 1
	if len(data) >= minParallelBytes && !bytes.HasPrefix(data, binaryMarker) {
		workers = parallelism()
	}
	return readSections[T](bytes.NewReader(data), data, 0, int64(len(data)), c, workers)
}

func parallelism() int { return min(runtime.GOMAXPROCS(0), maxWorkers) }

// decodeNext reads the next value of d as a T: maps through Next, any
// through next, everything else through Decode.
func decodeNext[T any](d *Decoder) (T, error) {
	var v T
	switch p := any(&v).(type) {
	case *map[string]any:
		m, err := d.Next()
		*p = m
		return v, err
	case *any:
		if d.err != nil {
			return v, d.err
		}
		x, err := d.next(nil)
		if err != nil && err != io.EOF {
			d.err = err
		}
		*p = x
		return v, err
	}
	return v, d.decodeValue(reflect.ValueOf(&v).Elem())
}

func decodeAll[T any](d *Decoder) ([]T, error) {
	d.p.useArena = true
	rows := []T{}
	for {
		v, err := decodeNext[T](d)
		if err == io.EOF {
			return rows, nil
		}
		if err != nil {
			return nil, err
		}
		rows = append(rows, v)
	}
}

// withLine adds the line number to an error the library reported with a
// byte offset, when the whole text input is at hand.
func withLine(err error, data []byte) error {
	var e *Error
	if errors.As(err, &e) && e.Line == 0 && e.Offset >= 0 && e.Offset <= int64(len(data)) &&
		!bytes.HasPrefix(data, binaryMarker) {
		e.Line = 1 + bytes.Count(data[:e.Offset], []byte{'\n'})
	}
	return err
}

// readInput reads all of r, into a buffer of the right size when r can tell
// its length (bytes and strings readers, regular files).
func readInput(r io.Reader) ([]byte, error) {
	size := 0
	switch v := r.(type) {
	case interface{ Len() int }:
		size = v.Len()
	case *os.File:
		if fi, err := v.Stat(); err == nil && fi.Mode().IsRegular() {
			size = int(min(fi.Size(), 1<<40))
		}
	}
	if size <= 0 {
		return io.ReadAll(r)
	}
	buf := bytes.NewBuffer(make([]byte, 0, size+bytes.MinRead))
	_, err := buf.ReadFrom(r)
	return buf.Bytes(), err
}

// readerAtSize reports the ReaderAt behind r, where r's unread data starts
// and its length, for regular files and in-memory readers; it leaves r's
// position at its end when ok.
func readerAtSize(r io.Reader) (ra io.ReaderAt, base, size int64, ok bool) {
	rs, isRS := r.(interface {
		io.ReaderAt
		io.Seeker
	})
	if !isRS {
		return nil, 0, 0, false
	}
	if f, isFile := r.(*os.File); isFile {
		if fi, err := f.Stat(); err != nil || !fi.Mode().IsRegular() {
			return nil, 0, 0, false
		}
	}
	cur, err := rs.Seek(0, io.SeekCurrent)
	if err != nil {
		return nil, 0, 0, false
	}
	end, err := rs.Seek(0, io.SeekEnd)
	if err != nil {
		return nil, 0, 0, false
	}
	var head [4]byte
	n, _ := rs.ReadAt(head[:], cur)
	if end-cur >= minParallelBytes && !bytes.HasPrefix(head[:n], binaryMarker) {
		return rs, cur, end - cur, true
	}
	if _, err := rs.Seek(cur, io.SeekStart); err != nil {
		// Not for the types above; sections read it right anyway.
		return rs, cur, end - cur, true
	}
	return nil, 0, 0, false
}

var binaryMarker = []byte{0xE0, 1, 0, 0xEA}

// binaryAt reports whether binary Ion starts at off in r: lines mean
// nothing there. Only a stream's first bytes can start binary Ion (see
// libraryInput).
func binaryAt(r io.ReaderAt, off int64) bool {
	var head [4]byte
	n, _ := r.ReadAt(head[:], off)
	return bytes.HasPrefix(head[:n], binaryMarker)
}

type sectionResult[T any] struct {
	rows     []T
	stop     int64 // where parsing stopped (the section's end when complete)
	complete bool
	err      *Error // a conversion error at stop
}

// readSections reads the size bytes from base in r in up to workers
// sections; offsets in errors are relative to base. When data is not nil,
// it is r's content, and the Decoders parse it in place.
func readSections[T any](r io.ReaderAt, data []byte, base, size int64, c config, workers int) ([]T, error) {
	bounds := []int64{0}
	for k := 1; k < workers; k++ {
		from := max(int64(k)*size/int64(workers), bounds[len(bounds)-1])
		nl := indexNewline(r, base+from, base+size)
		if nl < 0 {
			break
		}
		if b := nl - base + 1; b < size {
			bounds = append(bounds, b)
		}
	}
	bounds = append(bounds, size)
	results := make([]sectionResult[T], len(bounds)-1)
	var wg sync.WaitGroup
	for i := range results {
		wg.Go(func() {
			results[i] = parseSection[T](sectionDecoder(r, data, base, bounds[i], bounds[i+1], c), bounds[i], bounds[i+1])
		})
	}
	wg.Wait()

	if len(results) == 1 && results[0].complete && results[0].rows != nil {
		return results[0].rows, nil
	}
	n := 0
	for _, s := range results {
		n += len(s.rows)
	}
	rows := make([]T, 0, n)
	for _, s := range results {
		rows = append(rows, s.rows...)
		if s.complete {
			continue
		}
		if s.err != nil {
			e := *s.err
			e.Row, e.Line = len(rows), countLines(r, base, e.Offset)
			return nil, &e
		}
		d := sectionDecoder(r, data, base, s.stop, size, c)
		d.row, d.line = len(rows), countLines(r, base, s.stop)
		rest, err := decodeAll[T](d)
		var e *Error
		if errors.As(err, &e) && e.Line == 0 && e.Offset >= 0 && e.Offset <= size && !(s.stop == 0 && binaryAt(r, base)) {
			e.Line = countLines(r, base, e.Offset)
		}
		if err != nil {
			return nil, err
		}
		return append(rows, rest...), nil
	}
	return rows, nil
}

// sectionDecoder returns a Decoder for the bytes from start to end (relative
// to base), reporting offsets relative to base.
func sectionDecoder(r io.ReaderAt, data []byte, base, start, end int64, c config) *Decoder {
	var d *Decoder
	if data != nil {
		// The whole section is the Decoder's buffer, already at EOF,
		// so it never reads or writes it.
		d = newDecoder(eofReader{}, c)
		d.buf, d.end, d.eof = data[base+start:base+end], int(end-start), true
	} else {
		d = newDecoder(io.NewSectionReader(r, base+start, end-start), c)
		d.remain = end - start
		d.ra, d.raEnd = r, base+end
	}
	d.base = start
	return d
}

type eofReader struct{}

func (eofReader) Read([]byte) (int, error) { return 0, io.EOF }

func parseSection[T any](d *Decoder, start, end int64) sectionResult[T] {
	d.section, d.p.useArena = true, true
	var rows []T
	for {
		m, err := decodeNext[T](d)
		if err != nil {
			return sectionEnd(d, rows, end, err)
		}
		rows = append(rows, m)
		if len(rows) == 64 {
			// Size the slice for the section once from the first
			// rows (bounded for inputs of tiny rows).
			est := (end - start) * 64 / max(1, d.base+int64(d.pos)-start)
			rows = slices.Grow(rows, int(min(est+est/8, (end-start)/16)))
		}
	}
}

func sectionEnd[T any](d *Decoder, rows []T, end int64, err error) sectionResult[T] {
	var e *Error
	switch {
	case err == io.EOF:
		return sectionResult[T]{rows: rows, stop: end, complete: true}
	case err != errStop && errors.As(err, &e):
		return sectionResult[T]{rows: rows, stop: e.Offset, err: e}
	}
	return sectionResult[T]{rows: rows, stop: d.base + int64(d.pos)}
}

// indexNewline returns the offset of the first '\n' in r from from to end,
// or -1 (also when r cannot be read: the section is then not cut there).
func indexNewline(r io.ReaderAt, from, end int64) int64 {
	buf := make([]byte, min(64<<10, max(0, end-from)))
	for from < end {
		n, err := r.ReadAt(buf[:min(int64(len(buf)), end-from)], from)
		if i := bytes.IndexByte(buf[:n], '\n'); i >= 0 {
			return from + int64(i)
		}
		if err != nil || n == 0 {
			return -1
		}
		from += int64(n)
	}
	return -1
}

// countLines returns the 1-based line number at offset off from base.
func countLines(r io.ReaderAt, base, off int64) int {
	buf := make([]byte, min(1<<20, max(0, off)))
	line := 1
	for pos := base; pos < base+off; {
		n, err := r.ReadAt(buf[:min(int64(len(buf)), base+off-pos)], pos)
		line += bytes.Count(buf[:n], []byte{'\n'})
		if err != nil || n == 0 {
			break
		}
		pos += int64(n)
	}
	return line
}
