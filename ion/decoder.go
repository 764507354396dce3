package ion

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math/big"
	"reflect"
	"time"

	ionlib "github.com/amazon-ion/ion-go/ion"
)

// A Decoder reads rows from a stream of Ion values, text or binary. Plain
// text as Kestra writes it is parsed by this package's own parser; from the
// first value that parser does not handle (binary Ion, symbol tables,
// comments, long strings, s-expressions, unknown annotations, symbol IDs and
// a few rarer forms), the rest of the stream is read with the Ion library.
// Rows returned are never reused by the Decoder. A Decoder is not safe for
// concurrent use.
type Decoder struct {
	src     io.Reader
	c       config
	buf     []byte
	pos     int   // start of unread data in buf
	end     int   // end of data in buf
	base    int64 // stream offset of buf[0]
	line    int   // line number at buf[0]
	eof     bool
	win     int   // end of the complete lines in buf, valid while > pos
	scan    int   // buf[pos:scan] has no newline (where to search next)
	retries int   // parse attempts of the current row
	tried   int   // bytes buffered at the last attempt without a newline (see lineless)
	rerr    error // read error from src, reported after the buffered data
	remain  int64 // bytes src still holds when known (a section), else -1
	// ra, raEnd: for a section of a ReaderAt, the ReaderAt and the
	// section's end in it.
	ra       io.ReaderAt
	raEnd    int64
	row      int
	fastRows int // rows read by the fast path (for tests)
	// valOff and valLine: where the value read last starts (-1 and 0
	// when unknown).
	valOff  int64
	valLine int
	valPos  int     // its position in buf (fast path), else -1
	tgt     *target // the last struct target, reused for the next value of its type
	p       fastParser

	lib     *libWalker
	libBase int64
	// When the library takes over at the start of a value (not a version
	// marker, symbol table or comment), libRow, libLine are that value's
	// row and line, so a non-struct there can be reported with its
	// position; libLine is 0 otherwise.
	libRow  int
	libLine int
	// section: the Decoder reads one section of a larger input (see
	// readSections) and returns errStop, with the position in pos, where
	// it would hand the input to the library or met a read error.
	section bool
	err     error // sticky
}

const minRead = 64 << 10

// lineless is how many bytes without a newline a Decoder buffers before it
// parses them anyway (a variable so that tests can cut anywhere).
var lineless = minRead

// NewDecoder returns a Decoder reading from r.
func NewDecoder(r io.Reader, opts ...Option) *Decoder {
	return newDecoder(r, newConfig(opts))
}

func newDecoder(r io.Reader, c config) *Decoder {
	d := &Decoder{src: r, c: c, line: 1, remain: -1}
	d.p = fastParser{c: &d.c, intern: map[string]string{}}
	if d.c.noFastPath {
		d.fallback()
	}
	return d
}

// fill reads more input, growing the buffer when it is full.
func (d *Decoder) fill() {
	d.win = 0
	if d.pos > 0 {
		d.line += bytes.Count(d.buf[:d.pos], []byte{'\n'})
		n := copy(d.buf, d.buf[d.pos:d.end])
		d.base += int64(d.pos)
		d.scan = max(0, d.scan-d.pos)
		d.end = n
		d.pos = 0
	}
	if len(d.buf)-d.end < minRead/2 {
		size := max(2*len(d.buf), minRead)
		if d.remain >= 0 {
			// A section of known length: no more than it holds, and
			// for a long line, its length (found by reading ahead
			// without keeping the bytes) rather than doubling, which
			// allocates twice the line in buffers.
			if d.ra != nil {
				next := d.raEnd - d.remain
				if nl := indexNewline(d.ra, next, d.raEnd); nl >= 0 {
					if need := int64(d.end) + nl - next + 1 + minRead/2; need > int64(len(d.buf)) {
						size = int(need)
					}
				}
			}
			size = int(min(int64(size), max(int64(d.end)+d.remain+1, int64(minRead))))
		}
		nb := make([]byte, size)
		copy(nb, d.buf[:d.end])
		d.buf = nb
	}
	// Read until a line ends or half a buffer came in: a live stream gets
	// each row as soon as its line is complete, a slow reader returning a
	// few bytes at a time does not cost a parse attempt per call.
	want := d.end + min(minRead/2, lineless)
	for empty := 0; ; {
		n, err := d.src.Read(d.buf[d.end:])
		if d.remain >= 0 {
			d.remain -= int64(n)
		}
		newData := d.buf[d.end : d.end+n]
		d.end += n
		if err != nil {
			d.eof = true
			if err != io.EOF {
				d.rerr = err
			}
			return
		}
		if n > 0 && (d.end >= want || bytes.IndexByte(newData, '\n') >= 0) {
			return
		}
		if n == 0 {
			if empty++; empty >= 100 {
				d.eof, d.rerr = true, io.ErrNoProgress
				return
			}
		}
	}
}

// fallback hands the unread input and the rest of the stream to the library.
func (d *Decoder) fallback() {
	var rest io.Reader = d.src
	if d.pos < d.end {
		rest = io.MultiReader(bytes.NewReader(d.buf[d.pos:d.end]), d.src)
	}
	if d.rerr != nil {
		rest = io.MultiReader(bytes.NewReader(d.buf[d.pos:d.end]), errReader{d.rerr})
	}
	d.libBase = d.base + int64(d.pos)
	if d.pos < d.end && startsValue(d.buf[d.pos:d.end]) {
		d.libRow = d.row
		d.libLine = d.line + bytes.Count(d.buf[:d.pos], []byte{'\n'})
	}
	in, shift := libraryInput(rest, d.libBase)
	d.libBase += shift
	d.lib = &libWalker{c: &d.c, r: ionlib.NewReader(in)}
	d.buf = nil
}

// startsValue reports whether text Ion b (after whitespace) begins with a
// value, possibly annotated, rather than with something the library reads
// before the next value: a comment, a version marker or symbol table ($...),
// or binary Ion.
func startsValue(b []byte) bool {
	switch c := b[0]; {
	case c == '/' || c == '$' || c >= 0x80:
		return false
	case c == '\'':
		return len(b) > 1 && b[1] != '$'
	default:
		return c > ' '
	}
}

type errReader struct{ err error }

func (e errReader) Read([]byte) (int, error) { return 0, e.err }

// Next returns the next row, or io.EOF after the last one. A top-level
// value that is not a struct is an error wrapping [ErrNotStruct] (use
// [Decoder.Decode], [Values] or [ReadFile] to read any value). After an
// error, every later call returns the same error.
func (d *Decoder) Next() (map[string]any, error) {
	if d.err != nil {
		return nil, d.err
	}
	v, err := d.next(nil)
	if err != nil {
		if err != io.EOF {
			d.err = err
		}
		return nil, err
	}
	m, ok := v.(map[string]any)
	if !ok {
		d.err = d.valueErr(notStruct(v))
		return nil, d.err
	}
	return m, nil
}

// notStruct is the error for a top-level value v that is not a struct.
func notStruct(v any) error {
	return fmt.Errorf("%w (it is %s): ion.ReadFile[any], ion.Values[any] and Decoder.Decode read any value", ErrNotStruct, kindOf(v))
}

func kindOf(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case bool:
		return "a bool"
	case int64, *big.Int:
		return "an int"
	case float64, *Decimal:
		return "a number"
	case string:
		return "text"
	case []byte:
		return "a blob"
	case []any:
		return "a list"
	case time.Time:
		return "a time"
	case Annotated:
		return "an annotated value"
	}
	return fmt.Sprintf("%T", v)
}

// valueErr reports err at the start of the value read last.
func (d *Decoder) valueErr(err error) error {
	line := d.valLine
	if d.valPos >= 0 { // counted only now: per value, it would cost a scan of the buffer
		line = d.line + bytes.Count(d.buf[:d.valPos], []byte{'\n'})
	}
	return &Error{Row: d.row - 1, Offset: d.valOff, Line: line, Err: err}
}

// next reads the next top-level value. When into is not nil (a struct
// target), a top-level struct is stored there field by field, without a
// map, and the value returned is nil; any other value is returned. exact
// reads decimals as *Decimal whatever the options (for a target that
// needs the exact value).
func (d *Decoder) next(into *target) (any, error) {
	for d.lib == nil {
		// Skip whitespace between rows.
		for d.pos < d.end && isWS(d.buf[d.pos]) {
			d.pos++
		}
		if d.pos == d.end {
			if d.eof {
				if d.rerr != nil {
					return nil, d.stop(d.errAt(d.rerr, ""))
				}
				return nil, io.EOF
			}
			d.fill()
			continue
		}
		if d.buf[d.pos] >= 0x80 {
			// Binary Ion (or no text value): to the library now,
			// rather than after buffering up to a newline byte.
			if d.section {
				return nil, errStop
			}
			d.fallback()
			break
		}
		// Parse within the complete lines buffered (all of it at EOF).
		if d.eof {
			d.win = d.end
		} else if d.win <= d.pos {
			from := max(d.pos, d.scan)
			nl := bytes.LastIndexByte(d.buf[from:d.end], '\n')
			switch {
			case nl >= 0:
				d.win = from + nl + 1
			case d.remain < 0 && d.end-d.pos >= max(lineless, 2*d.tried):
				// No newline in a long stretch of a stream: values
				// separated by spaces (ion-java's default text writer
				// puts them all on one line) or by CRs. Parse what is
				// buffered rather than buffer the whole stream: the
				// fast path returns errMore for a value that reaches
				// the end of what it parses. Each attempt for the same
				// value waits for twice the bytes, so that a long
				// value is not parsed again and again.
				d.win, d.tried = d.end, d.end-d.pos
			default:
				d.scan = d.end
				d.fill()
				continue
			}
		}
		win := d.win
		d.p.b = d.buf[:win]
		d.p.i = d.pos
		v, err := d.p.top(into)
		switch {
		case err == nil:
			d.valOff, d.valLine, d.valPos = d.base+int64(d.pos), 0, d.pos
			d.retries, d.tried = 0, 0
			d.pos = d.p.i
			d.row++
			d.fastRows++
			return v, nil
		case err == errMore && d.rerr != nil:
			return nil, d.stop(d.errAt(d.rerr, ""))
		case err == errMore && !d.eof && d.retries < 64:
			// A value spanning lines: parse it again with more lines (a
			// value needing many attempts goes to the library instead).
			d.retries++
			d.scan = d.win
			d.fill()
		case err == errMore, err == errFallback:
			if d.section {
				return nil, errStop
			}
			d.fallback()
		default:
			var ce *convErr
			if errors.As(err, &ce) {
				return nil, d.errAt(ce.err, ce.path)
			}
			return nil, d.errAt(err, "")
		}
	}
	v, err := d.lib.next(into)
	if err == io.EOF {
		return nil, io.EOF
	}
	var ioe *ionlib.IOError
	if err != nil && errors.As(err, &ioe) {
		switch {
		case errors.Is(ioe.Err, ErrTruncated), errors.Is(ioe.Err, ErrLimit):
			err = ioe.Err
		case d.rerr != nil:
			err = d.rerr // the source's own error, for errors.Is
		}
	}
	// The library does not say where its values start: only the first
	// one, where it took over, has a known position.
	d.valOff, d.valLine, d.valPos = -1, 0, -1
	if d.libLine > 0 && d.row == d.libRow {
		d.valOff, d.valLine = d.libBase, d.libLine
	}
	if err != nil {
		path := ""
		var ce *convErr
		if errors.As(err, &ce) {
			path, err = ce.path, ce.err
		}
		e := &Error{Row: d.row, Offset: -1, Path: path, Err: clipMessage(err)}
		// The library reports offsets relative to where it started.
		if off, ok := libOffset(err, d.libBase); ok {
			e.Offset = off
		} else if d.valOff >= 0 && path != "" {
			e.Offset, e.Line = d.valOff, d.valLine
		}
		return nil, e
	}
	d.row++
	return v, nil
}

// errStop ends a section Decoder's rows early (see Decoder.section).
var errStop = errors.New("section ends before its end")

func (d *Decoder) stop(err error) error {
	if d.section {
		return errStop
	}
	return err
}

func (d *Decoder) errAt(err error, path string) error {
	line := d.line + bytes.Count(d.buf[:d.pos], []byte{'\n'})
	return &Error{Row: d.row, Offset: d.base + int64(d.pos), Line: line, Path: path, Err: err}
}

// Decode reads the next top-level value, of any Ion type, into v: a
// non-nil pointer to a struct (fields matched by `ion:"name"` tags, see
// [DecodeRow]; a struct row is stored field by field, without a map), a
// map, a slice, a scalar or an interface value. It returns io.EOF after
// the last value. A value that does not fit v is an *[Error] naming the
// field. After an error, every later call returns the same error.
func (d *Decoder) Decode(v any) error {
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Pointer || rv.IsNil() {
		return fmt.Errorf("ion: decode into %T: need a non-nil pointer", v)
	}
	return d.decodeValue(rv.Elem())
}

// targetFor returns the target for dst (nil when dst is not a plain
// struct), reusing the previous one for the same type.
func (d *Decoder) targetFor(dst reflect.Value) *target {
	if d.tgt != nil && d.tgt.v.Type() == dst.Type() {
		d.tgt.v = dst
		return d.tgt
	}
	if t := targetFor(dst); t != nil {
		d.tgt = t
		return t
	}
	return nil
}

func (d *Decoder) decodeValue(dst reflect.Value) error {
	if d.err != nil {
		return d.err
	}
	into := d.targetFor(dst)
	e := exactNone
	if into == nil {
		e = needsExact(dst.Type())
	}
	mode := d.c.pushExact(e)
	v, err := d.next(into)
	d.c.popExact(mode)
	if err == nil && into == nil {
		if err = assign(dst, v, ""); err != nil {
			err = d.valueErr(err)
		}
	}
	if err != nil && err != io.EOF {
		d.err = err
	}
	return err
}

// libOffset moves the byte offset in the Ion library's error types, which
// counts from where the library took over, by base (so that the library's
// own message names the stream offset too), and returns it. It changes err:
// call it once per error (the Decoder's errors are sticky, so the library
// is not read again after one).
func libOffset(err error, base int64) (int64, bool) {
	var (
		se *ionlib.SyntaxError
		ee *ionlib.UnexpectedEOFError
		te *ionlib.UnexpectedTokenError
		re *ionlib.UnexpectedRuneError
		be *ionlib.InvalidTagByteError
		ve *ionlib.UnsupportedVersionError
		tr *truncatedError
		le *limitError
	)
	var off *uint64
	switch {
	case errors.As(err, &tr):
		return tr.offset + base, true // counted from the guard's start, which is base
	case errors.As(err, &le):
		return le.offset + base, true
	case errors.As(err, &se):
		off = &se.Offset
	case errors.As(err, &ee):
		off = &ee.Offset
	case errors.As(err, &te):
		off = &te.Offset
	case errors.As(err, &re):
		off = &re.Offset
	case errors.As(err, &be):
		off = &be.Offset
	case errors.As(err, &ve):
		off = &ve.Offset
	default:
		return 0, false
	}
	if base > 0 {
		*off += uint64(base)
	}
	return int64(*off), true
}
