package ion

import (
	"bytes"
	"errors"
	"io"
	"os"
	"runtime"
	"sync"
)

// ReadAll keeps every row, so it can parse a large input on several cores:
// the input is cut after newlines into one chunk per core, and each chunk is
// parsed by the fast path on its own. The rows of chunk i+1 are used only if
// chunk i was parsed to its very end (so its last value ended before the
// cut); at the first value a chunk cannot parse, reading continues there
// sequentially with a Decoder (fast path, then library fallback), and the
// later chunks are dropped. The result is therefore the same as a sequential
// read, which the tests check with deliberately tiny chunks.

const (
	minParallelBytes = 4 << 20 // below this, one chunk
	maxWorkers       = 8
)

func readAll(r io.Reader, c config) ([]map[string]any, error) {
	if c.noFastPath {
		return decodeAll(newDecoder(r, c))
	}
	data, err := readInput(r)
	if err != nil {
		// Report the read error after the rows that were complete, as
		// the Decoder does.
		return decodeAll(newDecoder(io.MultiReader(bytes.NewReader(data), errReader{err}), c))
	}
	return readData(data, c)
}

// readData reads rows from an input held in memory. Strings are copied out
// of data, which can be dropped afterwards.
func readData(data []byte, c config) ([]map[string]any, error) {
	if c.noFastPath {
		rows, err := decodeAll(newDecoder(bytes.NewReader(data), c))
		return rows, withLine(err, data)
	}
	workers := 1
	if len(data) >= minParallelBytes && !bytes.HasPrefix(data, []byte{0xE0, 1, 0, 0xEA}) {
		workers = min(runtime.GOMAXPROCS(0), maxWorkers)
	}
	return readChunks(data, c, workers)
}

func decodeAll(d *Decoder) ([]map[string]any, error) {
	d.p.useArena = true
	rows := []map[string]any{}
	for {
		m, err := d.Next()
		if err == io.EOF {
			return rows, nil
		}
		if err != nil {
			return nil, err
		}
		rows = append(rows, m)
	}
}

type chunkResult struct {
	rows     []map[string]any
	stop     int  // where parsing stopped (the chunk's end when complete)
	complete bool // parsed to the end of the chunk
	err      *convErr
}

// readChunks reads data in up to workers chunks.
func readChunks(data []byte, c config, workers int) ([]map[string]any, error) {
	bounds := []int{0}
	for k := 1; k < workers; k++ {
		from := max(k*len(data)/workers, bounds[len(bounds)-1])
		j := bytes.IndexByte(data[from:], '\n')
		if j < 0 {
			break
		}
		if b := from + j + 1; b < len(data) {
			bounds = append(bounds, b)
		}
	}
	bounds = append(bounds, len(data))
	results := make([]chunkResult, len(bounds)-1)
	var wg sync.WaitGroup
	for i := range results {
		wg.Go(func() { results[i] = parseChunk(data, bounds[i], bounds[i+1], &c) })
	}
	wg.Wait()

	if len(results) == 1 && results[0].complete && results[0].rows != nil {
		return results[0].rows, nil
	}
	n := 0
	for _, r := range results {
		n += len(r.rows)
	}
	rows := make([]map[string]any, 0, n)
	for _, r := range results {
		rows = append(rows, r.rows...)
		if r.complete {
			continue
		}
		line := 1 + bytes.Count(data[:r.stop], []byte{'\n'})
		if r.err != nil {
			return nil, &Error{Row: len(rows), Offset: int64(r.stop), Line: line, Path: r.err.path, Err: r.err.err}
		}
		d := newDecoder(bytes.NewReader(data[r.stop:]), c)
		d.row, d.base, d.line = len(rows), int64(r.stop), line
		rest, err := decodeAll(d)
		if err != nil {
			return nil, withLine(err, data)
		}
		return append(rows, rest...), nil
	}
	return rows, nil
}

func parseChunk(data []byte, start, end int, c *config) chunkResult {
	p := fastParser{c: c, intern: map[string]string{}, useArena: true, b: data[:end]}
	// Kestra writes one row per line: the line count is the row count,
	// so the slice is allocated once (bounded for inputs of blank lines).
	lines := bytes.Count(data[start:end], []byte{'\n'}) + 1
	rows := make([]map[string]any, 0, min(lines, (end-start)/16+1))
	i := start
	for {
		for i < end && isWS(data[i]) {
			i++
		}
		if i == end {
			return chunkResult{rows: rows, stop: end, complete: true}
		}
		p.i = i
		m, err := p.row()
		if err != nil {
			r := chunkResult{rows: rows, stop: i}
			var ce *convErr
			if errors.As(err, &ce) {
				r.err = ce
			}
			return r
		}
		rows = append(rows, m)
		i = p.i
	}
}

// withLine adds the line number to an error the library reported with a
// byte offset, when the whole text input is at hand.
func withLine(err error, data []byte) error {
	var e *Error
	if errors.As(err, &e) && e.Line == 0 && e.Offset >= 0 && e.Offset <= int64(len(data)) &&
		!bytes.HasPrefix(data, []byte{0xE0, 1, 0, 0xEA}) {
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
