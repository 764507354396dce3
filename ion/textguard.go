package ion

import "io"

// The Ion library's text reader converts an int or a decimal as soon as it
// reads one, with math/big, in time quadratic in its digits: a file of a
// few megabytes holding one long number stalls it for minutes before the
// library walk can refuse the number (checkDigits). The fast path refuses
// such numbers before parsing them, but what it hands to the library
// (after a comment, a symbol table...) reached the library unchecked.
// textGuard passes text Ion on to the library and fails where an int or a
// decimal of more than maxNumberDigits significant digits ends, before
// the library has its last byte. Floats (strconv reads them in linear
// time), timestamps, radix ints and the digits of strings, symbols,
// comments and lobs pass, as on the fast path.

type textGuard struct {
	src   io.Reader
	state guardState
	back  guardState // the state a string returns to: plain text or a lob
	count int        // quotes in a row in a long string
	prev  byte       // the last byte of plain text
	num   numScan
	err   error
}

type guardState uint8

const (
	gText      guardState = iota
	gShort                // "..."
	gShortEsc             // after a backslash in "..."
	gSym                  // '...'
	gSymEsc               // after a backslash in '...'
	gLong                 // '''...'''
	gLongEsc              // after a backslash in '''...'''
	gQuote                // after a ' (a quoted symbol or a long string starts)
	gQuotes               // after ''
	gSlash                // after a / in plain text
	gLine                 // a // comment
	gBlock                // a /* comment */
	gBlockStar            // after a * in a block comment
	gBrace                // after a { in plain text
	gLob                  // {{ ... }}
	gLobBrace             // after a } in a lob
	gNumber               // an int or a decimal (see numScan)
	gOtherNum             // a float, timestamp or radix int, to its end
)

// numScan follows the number being read.
type numScan struct {
	n       int  // bytes so far
	digits  int  // significant digits so far
	nonzero bool // a digit other than 0 seen
	sign    bool // starts with -
	plain   bool // digits only so far (a timestamp starts with 4 of them)
}

func (g *textGuard) Read(p []byte) (int, error) {
	if g.err != nil {
		return 0, g.err
	}
	n, err := g.src.Read(p)
	for i, c := range p[:n] {
		if !g.step(c) {
			g.err = errNumberDigits
			if i == 0 {
				return 0, g.err
			}
			return i, nil
		}
	}
	if err == io.EOF && g.state == gNumber && g.num.digits > maxNumberDigits {
		g.err = errNumberDigits
		return n, nil // the error comes with the next call, at the end
	}
	return n, err
}

// step moves past c; false means c ends a number that is too long.
func (g *textGuard) step(c byte) bool {
	switch g.state {
	case gShort, gSym:
		end := byte('"')
		if g.state == gSym {
			end = '\''
		}
		switch c {
		case '\\':
			g.state++ // to the Esc state that follows
		case end:
			g.state, g.prev = g.back, c
		}
	case gShortEsc, gSymEsc, gLongEsc:
		g.state--
	case gLong:
		switch c {
		case '\\':
			g.state, g.count = gLongEsc, 0
		case '\'':
			if g.count++; g.count == 3 {
				g.state, g.prev = g.back, c
			}
		default:
			g.count = 0
		}
	case gQuote:
		if c == '\'' {
			g.state = gQuotes
		} else {
			g.state = gSym
			return g.step(c)
		}
	case gQuotes:
		if c == '\'' {
			g.state, g.count = gLong, 0
		} else {
			g.state, g.prev = g.back, '\'' // '' : an empty quoted symbol
			return g.step(c)
		}
	case gLine:
		if c == '\n' || c == '\r' {
			g.state = gText
		}
	case gBlock, gBlockStar:
		switch {
		case c == '/' && g.state == gBlockStar:
			g.state = gText
		case c == '*':
			g.state = gBlockStar
		default:
			g.state = gBlock
		}
	case gLob, gLobBrace:
		switch {
		case c == '}' && g.state == gLobBrace:
			g.state = gText
		case c == '}':
			g.state = gLobBrace
		case c == '"':
			g.state, g.back = gShort, gLob
		case c == '\'':
			g.state, g.back = gQuote, gLob
		default:
			g.state = gLob
		}
	case gSlash:
		switch c {
		case '/':
			g.state = gLine
		case '*':
			g.state = gBlock
		default:
			g.state = gText
			return g.text(c)
		}
	case gBrace:
		if c == '{' {
			g.state = gLob
		} else {
			g.state = gText
			return g.text(c)
		}
	case gNumber:
		ok, end := g.number(c)
		if !end || !ok {
			return ok
		}
		g.state = gText
		return g.text(c)
	case gOtherNum:
		if !isIdentPart(c) && c != '-' && c != '+' && c != ':' && c != '.' {
			g.state = gText
			return g.text(c)
		}
	default:
		return g.text(c)
	}
	return true
}

// text handles c in plain text.
func (g *textGuard) text(c byte) bool {
	prev := g.prev
	g.prev = c
	switch {
	case c == '"':
		g.state, g.back = gShort, gText
	case c == '\'':
		g.state, g.back = gQuote, gText
	case c == '/':
		g.state = gSlash
	case c == '{':
		g.state = gBrace
	case (isDigit(c) || c == '-') && !isIdentPart(prev) && prev != '.':
		g.state = gNumber
		g.num = numScan{sign: c == '-', plain: c != '-'}
		ok, _ := g.number(c)
		return ok
	}
	return true
}

// number follows c in a number; end says the number ended before c (ok
// false then when it was too long).
func (g *textGuard) number(c byte) (ok, end bool) {
	s := &g.num
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
		g.state = gOtherNum
		return true, false
	case c == 'd' || c == 'D': // a decimal's exponent
		g.state = gOtherNum
		return s.digits <= maxNumberDigits, false
	}
	return s.digits <= maxNumberDigits, true
}
