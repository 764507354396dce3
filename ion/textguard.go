package ion

import (
	"io"
	"strconv"
)

// textGuard passes Ion text on to the library while counting, outside
// strings, symbols, comments and lobs, the annotations of each value, the
// symbols and imports of each top-level symbol table (see limits.go) and
// the digits of each int and decimal, and fails before the library reads
// past a limit. It tokenizes no more than that needs: a symbol word or
// quoted symbol followed by "::" is an annotation, any other token ends the
// run of annotations it starts.
//
// Numbers: the library converts an int or a decimal as soon as it reads
// one, with math/big, in time quadratic in its digits (one int of a million
// digits took 4 s and 2.1 GB per read), before the library walk could
// refuse it; the fast path refuses such numbers before parsing them
// (maxNumberDigits), and the guard does the same for what the library
// reads: it fails at the byte that ends an int or decimal of too many
// significant digits, before the library has it. Floats (strconv reads them
// in linear time), timestamps and radix ints pass, as on the fast path.
type textGuard struct {
	src io.Reader
	off int64 // stream offset (from the guard's start) of the next byte from src
	err error

	st      guardState
	ret     guardState // where a string or quote started: normal or in a lob
	esc     bool       // the previous byte was a backslash (strings, quoted symbols)
	quotes  int        // quotes in a row inside a long string
	star    bool       // the previous byte of a block comment was '*'
	depth   int
	anns    int  // annotations of the value being read
	pending bool // a symbol ended: an annotation if "::" follows, else a value
	// word: the text of the last symbol (the first maxWord bytes); quoted
	// and escaped say how it was written, long that it was cut.
	word         []byte
	quoted, escd bool
	long         bool
	firstIsTable bool // the first annotation of the top-level value is $ion_symbol_table
	inTable      bool // inside a top-level symbol table
	tableSyms    int  // its symbols (and the imports, which few tables have)
	elemSeen     bool // an element of the current list at depth 2 was counted
	tableImps    int  // its imported tables
	tableAppends bool // it imports $ion_symbol_table: it is appended to the context
	tableAliased bool // one of its symbols may be $ion_symbol_table
	capture      bool // the string being read is a symbol of the table: into word
	ctx          symbolContext
	num          numScan // the number being read (gsNumber)
}

// numScan follows an int, decimal, float, timestamp or radix int.
type numScan struct {
	n       int  // bytes so far
	digits  int  // significant digits so far
	nonzero bool // a digit other than 0 seen
	sign    bool // starts with -
	plain   bool // digits only so far (a timestamp starts with 4 of them)
	other   bool // a float, timestamp or radix int: no limit, read to its end
}

// next follows c in the number; end says the number ended before c, and ok
// false that it was an int or decimal of too many digits.
func (s *numScan) next(c byte) (ok, end bool) {
	if s.other {
		return true, !isIdentPart(c) && c != '-' && c != '+' && c != ':' && c != '.'
	}
	s.n++
	lead := 1 // the bytes before a radix letter: 0, or -0
	if s.sign {
		lead = 2
	}
	switch {
	case isDigit(c):
		if c != '0' || s.nonzero {
			s.nonzero = true
			s.digits++
		}
		return true, false
	case c == '-' && s.n == 1:
		return true, false
	case c == '_' || c == '.':
		s.plain = false
		return true, false
	case (c == '-' || c == 'T') && s.plain && s.n == 5, // a timestamp
		(c == 'x' || c == 'X' || c == 'b' || c == 'B') && s.n == lead+1 && !s.nonzero, // 0x1F, 0b101
		c == 'e' || c == 'E': // a float
		s.other = true
		return true, false
	case c == 'd' || c == 'D': // a decimal's exponent
		s.other = true
		return s.digits <= maxNumberDigits, false
	}
	return s.digits <= maxNumberDigits, true
}

type guardState uint8

const (
	gsNormal guardState = iota
	gsSymbol            // an identifier
	gsNumber            // a number, timestamp or other word starting with a digit or '-' (see numScan)
	gsColon             // after ':'
	gsSlash             // after '/'
	gsLineComment
	gsBlockComment
	gsBrace  // after '{'
	gsString // in "..."
	gsQuote1 // after one '
	gsQuote2 // after ''
	gsQuoted // in '...'
	gsLong   // in '''...'''
	gsLob    // in {{ ... }}
	gsLobEnd // in a lob, after '}'
)

// maxWord: enough for the symbols the guard looks for, escaped.
const maxWord = 200

func (g *textGuard) Read(p []byte) (int, error) {
	if g.err != nil {
		return 0, g.err
	}
	n, err := g.src.Read(p)
	for i := 0; i < n; i++ {
		if lerr := g.step(p[i], g.off+int64(i)); lerr != nil {
			g.err = lerr
			g.off += int64(i)
			if i == 0 {
				return 0, lerr
			}
			return i, nil // the bytes before the limit; the error next
		}
	}
	g.off += int64(n)
	if err == io.EOF && g.st == gsNumber && !g.num.other && g.num.digits > maxNumberDigits {
		g.err = errNumberDigits
		return n, nil // the error comes with the next call, at the end
	}
	return n, err
}

// step processes byte c at offset off.
func (g *textGuard) step(c byte, off int64) error {
	switch g.st {
	case gsNormal:
		return g.normal(c, off)
	case gsSymbol:
		if isIdentPart(c) {
			g.addWord(c)
			return nil
		}
		g.pending = true
		g.st = gsNormal
		return g.normal(c, off)
	case gsNumber:
		ok, end := g.num.next(c)
		if !ok {
			return errNumberDigits
		}
		if !end {
			return nil
		}
		g.st = gsNormal
		return g.normal(c, off)
	case gsColon:
		g.st = gsNormal
		if c == ':' {
			return g.annotation(off)
		}
		g.value()
		return g.normal(c, off)
	case gsSlash:
		switch c {
		case '/':
			g.st = gsLineComment
		case '*':
			g.st, g.star = gsBlockComment, false
		default:
			g.value() // an operator in an s-expression
			g.st = gsNormal
			return g.normal(c, off)
		}
	case gsLineComment:
		if c == '\n' || c == '\r' {
			g.st = gsNormal
		}
	case gsBlockComment:
		if c == '/' && g.star {
			g.st = gsNormal
		}
		g.star = c == '*'
	case gsBrace:
		g.st = gsNormal
		if c == '{' {
			g.value()
			g.st = gsLob
			return nil
		}
		table := g.depth == 0 && g.anns > 0 && g.firstIsTable
		g.value()
		if err := g.open(off); err != nil {
			return err
		}
		if table {
			g.inTable, g.tableSyms, g.tableImps, g.tableAppends, g.tableAliased = true, 0, 0, false, false
		}
		return g.normal(c, off)
	case gsString:
		switch {
		case g.esc:
			g.esc = false
		case c == '\\':
			g.esc, g.escd = true, true
		case c == '"':
			g.st = g.ret
			if g.capture {
				g.capture = false
				g.tableAliased = g.tableAliased || g.wordIs("$ion_symbol_table", false)
			}
			return nil
		}
		if g.capture {
			g.addWord(c)
		}
	case gsQuote1:
		if c == '\'' {
			g.st = gsQuote2
			return nil
		}
		g.symbolStarts()
		g.startWord(true)
		g.st = gsQuoted
		return g.step(c, off)
	case gsQuote2:
		if c == '\'' {
			if g.ret == gsNormal {
				g.value()
			}
			if g.inTable && g.depth == 2 {
				g.tableAliased = true // long strings are not followed: it may be
			}
			g.st, g.quotes, g.esc = gsLong, 0, false
			return nil
		}
		g.symbolStarts()
		g.startWord(true) // '': the empty symbol
		g.endQuoted()
		return g.step(c, off)
	case gsQuoted:
		switch {
		case g.esc:
			g.esc = false
		case c == '\\':
			g.esc, g.escd = true, true
		case c == '\'':
			g.endQuoted()
			return nil
		}
		g.addWord(c)
	case gsLong:
		switch {
		case g.esc:
			g.esc, g.quotes = false, 0
		case c == '\\':
			g.esc, g.quotes = true, 0
		case c == '\'':
			if g.quotes++; g.quotes == 3 {
				g.st = g.ret
			}
		default:
			g.quotes = 0
		}
	case gsLob:
		switch c {
		case '"':
			g.st, g.ret = gsString, gsLob
		case '\'':
			g.st, g.ret = gsQuote1, gsLob
		case '}':
			g.st = gsLobEnd
		}
	case gsLobEnd:
		if c == '}' {
			g.st = gsNormal
			return nil
		}
		g.st = gsLob
		return g.step(c, off)
	}
	return nil
}

func (g *textGuard) normal(c byte, off int64) error {
	if g.inTable && g.depth == 2 && !g.elemSeen && c > ' ' && c != ',' && c != '/' && c != ']' && c != ')' && c != '}' {
		g.elemSeen = true // an element of a list of symbols (or imports) starts
		if err := g.tableSymbol(off); err != nil {
			return err
		}
	}
	switch {
	case c <= ' ':
		// whitespace (other control bytes are the library's errors)
	case c == '"':
		g.value()
		g.st, g.ret = gsString, gsNormal
		if g.inTable && g.depth == 2 {
			g.startWord(true)
			g.capture = true
		}
	case c == '\'':
		g.st, g.ret = gsQuote1, gsNormal
	case c == '/':
		g.st = gsSlash
	case c == ':':
		g.st = gsColon
	case c == '{':
		g.st = gsBrace
	case c == '[' || c == '(':
		g.value()
		return g.open(off)
	case c == '}' || c == ']' || c == ')':
		g.value()
		return g.close(off)
	case c == ',':
		g.value()
		g.elemSeen = false
	case isIdentStart(c):
		g.symbolStarts()
		g.startWord(false)
		g.addWord(c)
		g.st = gsSymbol
	case isDigit(c) || c == '-':
		g.value() // '-' may also be an operator: it ends a number at once
		g.st, g.num = gsNumber, numScan{sign: c == '-', plain: c != '-'}
		g.num.next(c)
	default:
		g.value() // operators, bytes the library refuses
	}
	return nil
}

func (g *textGuard) startWord(quoted bool) {
	g.word, g.quoted, g.escd, g.long = g.word[:0], quoted, false, false
}

func (g *textGuard) addWord(c byte) {
	if len(g.word) < maxWord {
		g.word = append(g.word, c)
	} else {
		g.long = true
	}
}

func (g *textGuard) endQuoted() {
	g.st = g.ret
	if g.ret == gsNormal {
		g.pending = true
	}
}

// wordIs reports whether the last symbol's text is s (written unquoted
// when unquoted is set).
func (g *textGuard) wordIs(s string, unquoted bool) bool {
	if g.long || (unquoted && g.quoted) {
		return false
	}
	if !g.escd {
		return string(g.word) == s
	}
	text, ok := unescapeIon(g.word)
	return ok && text == s
}

// annotation counts the symbol before "::" at off.
func (g *textGuard) annotation(off int64) error {
	if !g.pending {
		return nil // a syntax error the library reports
	}
	g.pending = false
	g.anns++
	if g.anns == 1 && g.depth == 0 {
		// The library resolves $3 to $ion_symbol_table, and takes the
		// quoted form for a table too.
		g.firstIsTable = g.wordIs("$ion_symbol_table", false) || g.wordIs("$3", true) ||
			(g.ctx.aliased && !g.quoted && !g.long && isSymbolID(g.word))
	}
	if g.anns > maxAnnotations {
		return annotationsError(off)
	}
	return nil
}

// value is called where a token other than "::" starts: a symbol before it
// was a value (or a field name), and the annotations counted so far
// belonged to the value that starts or ended.
func (g *textGuard) value() {
	if g.pending {
		g.pending = false
		switch {
		case g.depth == 0 && g.anns == 0 && g.wordIs("$ion_1_0", true):
			g.ctx = symbolContext{} // a version marker
		case g.inTable && g.depth == 1 && (g.wordIs("$ion_symbol_table", true) || g.wordIs("$3", true)):
			g.tableAppends = true // imports:$ion_symbol_table
		}
	}
	g.anns, g.firstIsTable = 0, false
}

// symbolStarts is called where a symbol starts: an annotation or a value,
// which only what follows it tells. A symbol before it was a value.
func (g *textGuard) symbolStarts() {
	if g.pending {
		g.value()
	}
}

func (g *textGuard) open(off int64) error {
	g.depth++
	if !g.inTable {
		return nil
	}
	switch g.depth {
	case 2: // a list of symbols or imports
		g.elemSeen = false
	case 3: // an import
		if g.tableImps++; g.tableImps > maxImports {
			return symbolContext{imports: g.tableImps}.check(off)
		}
	}
	return nil
}

func (g *textGuard) close(off int64) error {
	if g.depth == 0 {
		return nil // the library's error
	}
	g.depth--
	if g.inTable && g.depth == 0 {
		g.inTable = false
		return g.ctx.table(g.tableSyms, g.tableImps, g.tableAppends, g.tableAliased, off)
	}
	return nil
}

func (g *textGuard) tableSymbol(off int64) error {
	if g.tableSyms++; g.tableSyms > maxSymbols {
		return symbolContext{symbols: g.tableSyms}.check(off)
	}
	return nil
}

// unescapeIon decodes the escapes of a quoted symbol's text (enough to
// compare it with ASCII text).
func unescapeIon(b []byte) (string, bool) {
	var out []byte
	for i := 0; i < len(b); i++ {
		c := b[i]
		if c != '\\' {
			out = append(out, c)
			continue
		}
		if i++; i >= len(b) {
			return "", false
		}
		n := 0
		switch b[i] {
		case 'x':
			n = 2
		case 'u':
			n = 4
		case 'U':
			n = 8
		case '\n':
			continue
		default:
			out = append(out, b[i]) // \' \\ \/ \? \" and controls: not in the words compared
			continue
		}
		if i+n >= len(b) {
			return "", false
		}
		v, err := strconv.ParseUint(string(b[i+1:i+1+n]), 16, 32)
		if err != nil {
			return "", false
		}
		out = append(out, string(rune(v))...)
		i += n
	}
	return string(out), true
}
