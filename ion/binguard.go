package ion

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
)

// Binary Ion declares the length of every value before its bytes, and the
// Ion library allocates a top-level value's declared length before reading
// it (bitstream.readN): a 30-byte file declaring a 2^46-byte decimal runs
// the process out of memory. Inside a container the library checks each
// length against the container's end, so it is enough that every top-level
// value is really there before the library sees it: binaryGuard passes a
// binary stream on one top-level value at a time, once that value's bytes
// have arrived (its buffer grows with the bytes read, never with a declared
// length), and fails on a value the input ends before.

// ErrTruncated is wrapped by the error for binary Ion whose value declares
// more bytes than the input holds (a cut or forged file).
var ErrTruncated = errors.New("binary Ion value longer than the input")

// maxBinaryLength bounds one declared length: 2^56 bytes is beyond any
// input, and a VarUInt of more than 8 bytes would overflow the arithmetic.
const maxBinaryLength = 1 << 56

// libraryInput prepares r, the rest of a stream from offset off, for the
// Ion library. At offset 0 it is binary Ion when it starts as the library
// detects it (E0 .. .. EA), and is then passed through a binaryGuard.
// Anywhere else the stream is text (this package's parser reads only text,
// and hands over past the first byte only in text), so bytes that look like
// a binary version marker there are text the library must refuse, as it
// does reading the whole stream; a space in front keeps the library from
// switching to binary, and shift (-1 then) corrects its offsets. Text goes
// through a textGuard.
func libraryInput(r io.Reader, off int64) (in io.Reader, shift int64) {
	br := bufio.NewReader(r)
	head, _ := br.Peek(4)
	if len(head) == 4 && head[0] == 0xE0 && head[3] == 0xEA {
		if off == 0 {
			return &binaryGuard{src: br}, 0
		}
		return &textGuard{src: io.MultiReader(strings.NewReader(" "), br)}, -1
	}
	return &textGuard{src: br}, 0
}

type binaryGuard struct {
	src     *bufio.Reader
	buf     bytes.Buffer // the current top-level value
	pending []byte       // what is left of it to hand out
	off     int64        // stream offset of the next value
	err     error
	ctx     symbolContext // see binlimits.go
}

func (g *binaryGuard) Read(p []byte) (int, error) {
	if len(g.pending) == 0 {
		if g.err != nil {
			return 0, g.err
		}
		if err := g.load(); err != nil {
			g.err = err
			if len(g.pending) == 0 {
				return 0, err
			}
		}
	}
	n := copy(p, g.pending)
	g.pending = g.pending[n:]
	return n, nil
}

// load reads the next top-level value (type descriptor, length, bytes)
// into buf.
func (g *binaryGuard) load() error {
	if g.buf.Cap() > 1<<20 {
		g.buf = bytes.Buffer{} // do not keep a large row's buffer for small ones
	}
	g.buf.Reset()
	start := g.off
	tag, err := g.src.ReadByte()
	if err != nil {
		return err // io.EOF between values: the end
	}
	g.buf.WriteByte(tag)
	length, err := g.header(tag)
	if err != nil {
		g.pending = g.buf.Bytes()
		if msg, ok := err.(truncatedMsg); ok {
			return &truncatedError{offset: start, msg: string(msg)}
		}
		return err
	}
	head := int64(g.buf.Len())
	n, err := io.CopyN(&g.buf, g.src, length)
	g.off = start + head + n
	if err != nil {
		if err == io.EOF {
			return &truncatedError{offset: start, msg: fmt.Sprintf("the value declares %d bytes, the input ends after %d", length, n)}
		}
		return err
	}
	if err := g.checkLimits(g.buf.Bytes(), start); err != nil {
		return err // the value withheld: the library fails before it
	}
	g.pending = g.buf.Bytes()
	return nil
}

// header returns the length of the value whose type descriptor is tag,
// reading its length VarUInt (if any) into buf.
func (g *binaryGuard) header(tag byte) (int64, error) {
	if tag == 0xE0 { // a version marker: E0 major minor EA
		return 3, nil
	}
	n, varLength := descriptorLength(tag)
	if varLength {
		return g.varUInt()
	}
	return n, nil
}

// descriptorLength is the body length a type descriptor gives (none for
// bools and nulls, else its low nibble), or varLength when a VarUInt length
// follows it.
func descriptorLength(tag byte) (n int64, varLength bool) {
	t, l := tag>>4, tag&0x0F
	switch {
	case t == 0x1, l == 0x0F:
		return 0, false
	case l == 0x0E, t == 0xD && l == 1:
		return 0, true
	}
	return int64(l), false
}

func (g *binaryGuard) varUInt() (int64, error) {
	var v int64
	for i := 0; ; i++ {
		c, err := g.src.ReadByte()
		if err == io.EOF {
			return 0, truncatedMsg("a length ends with the input")
		}
		if err != nil {
			return 0, err
		}
		g.buf.WriteByte(c)
		if v > maxBinaryLength>>7 {
			return 0, truncatedMsg("a declared length exceeds 2^56 bytes")
		}
		v = v<<7 | int64(c&0x7F)
		if c&0x80 != 0 {
			return v, nil
		}
	}
}

// truncatedError is ErrTruncated at a stream offset.
type truncatedError struct {
	offset int64
	msg    string
}

func (e *truncatedError) Error() string { return ErrTruncated.Error() + ": " + e.msg }
func (e *truncatedError) Unwrap() error { return ErrTruncated }

type truncatedMsg string

func (m truncatedMsg) Error() string { return string(m) }
