package ion

import (
	"errors"
	"fmt"
	"strconv"
	"unicode/utf8"
)

// The Ion library keeps a value's annotations, a symbol table's symbols and
// its imports in memory, at several times their size in the input (about
// 90 bytes per 3-byte text annotation, 240 per 1-byte binary one, 60 to 120
// per symbol), and each appended symbol table copies the list of the
// imports before it, so that n appends cost n² time and memory (a 1 MB
// binary file of appends allocated 238 GB). The guards in front of the
// library (textGuard, binaryGuard) count these before the library reads
// them and refuse what exceeds the limits below: far beyond what Kestra
// (one annotation, no symbol table in text, one table of its field names
// in binary) or ion-java writes.
const (
	// maxAnnotations bounds the annotations of one value (ion-c's reader
	// takes 10 by default).
	maxAnnotations = 1000
	// maxSymbols bounds the local symbols of a symbol table context (a
	// table and the tables appended to it).
	maxSymbols = 100_000
	// maxImports bounds the tables a symbol table context imports, each
	// appended table counting as one: the library looks every symbol up
	// in each imported table in turn (1000 made reading symbols in text
	// 16 times slower, 100 make it 2.6 times slower).
	maxImports = 100
	// maxNumberDigits bounds the digits of an int or of a decimal's
	// coefficient. Go's big.Int parses decimal digits in quadratic time
	// (one int of 1,000,000 digits takes seconds and allocates gigabytes),
	// so a small file of long numbers would stall a reader. The bound is
	// ten times Jackson's default limit for a number in the JSON Kestra
	// reads (1,000).
	maxNumberDigits = 10_000
	// maxTimestampBytes bounds a binary timestamp. Its fraction is a
	// decimal whose coefficient takes the bytes left after the date, and
	// the library turns that coefficient into decimal digits to read the
	// fraction, in time that grows faster than its length (a timestamp of
	// 4 MB takes seconds). A timestamp needs about 20 bytes; 4096 bytes
	// hold a fraction of about 10,000 digits, the bound for numbers.
	maxTimestampBytes = 4096
)

// ErrLimit is wrapped by the error for input beyond one of the limits this
// package sets to keep hostile input from taking unbounded memory or time
// (in Go's number parsing or in the Ion library): an int or decimal of more
// than 10,000 digits, a binary timestamp of more than 4096 bytes, more than
// 1000 annotations on a value, more than 100,000 local symbols or 100
// imported (or appended) tables in a symbol table context.
var ErrLimit = errors.New("input beyond a limit of this reader")

var (
	errNumberDigits  = fmt.Errorf("%w: number of more than %d digits", ErrLimit, maxNumberDigits)
	errLongTimestamp = fmt.Errorf("%w: binary timestamp of more than %d bytes", ErrLimit, maxTimestampBytes)
)

// limitError is a limit's error at a byte offset counted from where the
// guard started.
type limitError struct {
	offset int64
	err    error
}

func (e *limitError) Error() string { return e.err.Error() }
func (e *limitError) Unwrap() error { return e.err }

func annotationsError(off int64) error {
	return &limitError{offset: off, err: fmt.Errorf("%w: a value has more than %d annotations", ErrLimit, maxAnnotations)}
}

// symbolContext counts the symbols and imports of the symbol table context
// in effect, which a version marker or a table that does not append ends.
type symbolContext struct {
	symbols, imports int
	// aliased: a local symbol has the text $ion_symbol_table, so that a
	// struct annotated with its symbol ID is a symbol table too (the
	// library compares the annotation's text).
	aliased bool
}

// table accounts for a symbol table of syms symbols and imps imported
// tables, appended to the context or replacing it (aliased: one of its
// symbols is $ion_symbol_table), and reports whether the context stays
// within the limits.
func (c *symbolContext) table(syms, imps int, appends, aliased bool, off int64) error {
	if appends {
		c.symbols += syms
		c.imports += imps + 1
		c.aliased = c.aliased || aliased
	} else {
		*c = symbolContext{syms, imps, aliased}
	}
	return c.check(off)
}

// isSymbolID reports whether b is a symbol ID written in text: $ and
// digits.
func isSymbolID(b []byte) bool {
	if len(b) < 2 || b[0] != '$' {
		return false
	}
	for _, c := range b[1:] {
		if !isDigit(c) {
			return false
		}
	}
	return true
}

func (c symbolContext) check(off int64) error {
	switch {
	case c.symbols > maxSymbols:
		return &limitError{offset: off, err: fmt.Errorf("%w: symbol tables declare more than %d symbols", ErrLimit, maxSymbols)}
	case c.imports > maxImports:
		return &limitError{offset: off, err: fmt.Errorf("%w: symbol tables import or append more than %d tables", ErrLimit, maxImports)}
	}
	return nil
}

// maxMessage bounds the text of a library error in an *Error: the library
// puts the whole symbol table in some messages (a symbol ID beyond the
// table: 900 KB of message for a table of 100,000 symbols).
const maxMessage = 512

// clipMessage returns err, with its text cut to maxMessage bytes when it
// is longer (errors.Is and errors.As still see err).
func clipMessage(err error) error {
	if len(err.Error()) <= maxMessage {
		return err
	}
	return clippedError{err}
}

type clippedError struct{ err error }

func (e clippedError) Error() string {
	s := e.err.Error() // computed now: offsets in it may have moved since
	if len(s) <= maxMessage {
		return s
	}
	cut := maxMessage
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "... (" + strconv.Itoa(len(s)-cut) + " more bytes)"
}

func (e clippedError) Unwrap() error { return e.err }
