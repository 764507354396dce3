package emitter

import (
	"fmt"
	"strings"
	"sync"
	"unicode/utf8"
)

// This file is a JSON reader with the behaviour of the server's Jackson
// ObjectMapper: strict JSON (no NaN, comments, single quotes, unquoted names,
// leading zeros or trailing commas), whitespace limited to space, tab, CR and
// LF, duplicate keys kept in order (the decoder applies last-wins), Jackson's
// StreamReadConstraints (nesting 1000, strings and names 20 000 000 UTF-16
// units, numbers 1000 characters), and only the FIRST value read: whatever
// follows it is ignored (FAIL_ON_TRAILING_TOKENS is off).

type jkind uint8

const (
	jNull jkind = iota
	jFalse
	jTrue
	jNumber
	jString
	jArray
	jObject
)

var jkindNames = [...]string{"null", "false", "true", "number", "string", "array", "object"}

func (k jkind) String() string { return jkindNames[k] }

// jvalue is a parsed JSON value. For numbers s is the token text and float
// tells whether it has a fraction or an exponent. kids are the members of an
// object, or the elements of an array (with empty keys): one field for both
// keeps the value small, which makes parsing faster.
type jvalue struct {
	kind  jkind
	float bool
	s     string
	kids  []jmember
}

type jmember struct {
	key string
	val jvalue
}

// scalarText is Jackson's getValueAsString/String coercion for scalars: the
// string itself, the number as written, "true" or "false".
func (v *jvalue) scalarText() (string, bool) {
	switch v.kind {
	case jString, jNumber:
		return v.s, true
	case jTrue:
		return "true", true
	case jFalse:
		return "false", true
	}
	return "", false
}

const (
	maxParseNameLen = maxStringLen // current Kestra raises Jackson's name limit to the string limit
)

// A jparser reads one payload. The tree it builds lives only until the
// payload is decoded into a Message (which copies what it keeps), so the
// children of all containers are carved from slabs that the pool reuses
// across calls; members and elements of open containers are collected on
// scratch stacks and copied to the slab once the container is complete, so
// each container costs one exact-size slot and no slice growth.
type jparser struct {
	s     string
	i     int
	depth int

	root jvalue    // the payload's value (kept here so it does not escape)
	open []jmember // scratch: members and elements of the open containers
	slab []jmember // where the children of complete containers are kept
}

var parserPool = sync.Pool{New: func() any { return new(jparser) }}

// maxPooledSlab bounds the slabs a pooled parser keeps (a huge payload's
// slabs are left to the garbage collector).
const maxPooledSlab = 4096

func getParser(s string) *jparser {
	p := parserPool.Get().(*jparser)
	p.s, p.i, p.depth = s, 0, 0
	return p
}

// putParser drops the parser's references to the payload and pools it.
func putParser(p *jparser) {
	p.s, p.root = "", jvalue{}
	clear(p.open[:cap(p.open)])
	clear(p.slab)
	if cap(p.slab) > maxPooledSlab || cap(p.open) > maxPooledSlab {
		return
	}
	p.open, p.slab = p.open[:0], p.slab[:0]
	parserPool.Put(p)
}

// noKids keeps empty containers non-nil.
var noKids = []jmember{}

// closeContainer moves the children of the container that started at
// p.open[base] to the slab and returns them. A full slab is replaced by a
// new one; children carved from it earlier keep it alive.
func (p *jparser) closeContainer(base int) []jmember {
	src := p.open[base:]
	if cap(p.slab)-len(p.slab) < len(src) {
		p.slab = make([]jmember, 0, max(64, 2*cap(p.slab), len(src)))
	}
	n := len(p.slab)
	p.slab = append(p.slab, src...)
	p.open = p.open[:base] // putParser clears the stale entries
	return p.slab[n:len(p.slab):len(p.slab)]
}

type syntaxError struct {
	off int
	msg string
}

func (e *syntaxError) Error() string { return fmt.Sprintf("JSON at offset %d: %s", e.off, e.msg) }

func (p *jparser) fail(format string, args ...any) error {
	return &syntaxError{off: p.i, msg: fmt.Sprintf(format, args...)}
}

func (p *jparser) ws() {
	for p.i < len(p.s) {
		switch p.s[p.i] {
		case ' ', '\t', '\n', '\r':
			p.i++
		default:
			return
		}
	}
}

// parseFirstValue parses the JSON value at the start of s, ignoring the
// rest of s, and calls use with it. The value is valid only during the call.
func parseFirstValue(s string, use func(*jvalue) error) error {
	p := getParser(s)
	defer putParser(p)
	p.ws()
	var err error
	if p.root, err = p.value(); err != nil {
		return err
	}
	return use(&p.root)
}

func (p *jparser) value() (jvalue, error) {
	if p.i >= len(p.s) {
		return jvalue{}, p.fail("unexpected end of input")
	}
	switch c := p.s[p.i]; {
	case c == '{':
		return p.container(jObject)
	case c == '[':
		return p.container(jArray)
	case c == '"':
		s, err := p.str(maxStringLen)
		return jvalue{kind: jString, s: s}, err
	case c == '-' || (c >= '0' && c <= '9'):
		return p.number()
	case c == 't':
		return p.literal("true", jTrue)
	case c == 'f':
		return p.literal("false", jFalse)
	case c == 'n':
		return p.literal("null", jNull)
	default:
		return jvalue{}, p.fail("unexpected character %q", c)
	}
}

func (p *jparser) literal(word string, k jkind) (jvalue, error) {
	if !strings.HasPrefix(p.s[p.i:], word) {
		return jvalue{}, p.fail("unrecognized token")
	}
	p.i += len(word)
	// Jackson reads "truex" as one unrecognized token.
	if p.i < len(p.s) && isIdentChar(p.s[p.i]) {
		return jvalue{}, p.fail("unrecognized token")
	}
	return jvalue{kind: k}, nil
}

func isIdentChar(c byte) bool {
	return c == '_' || c == '$' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= utf8.RuneSelf
}

func (p *jparser) number() (jvalue, error) {
	start := p.i
	end, ok := scanNumber(p.s, p.i)
	if !ok {
		p.i = end
		return jvalue{}, p.fail("malformed number")
	}
	// Jackson rejects a number glued to a letter or digit ("01", "1x").
	if end < len(p.s) && (isIdentChar(p.s[end]) || p.s[end] == '.') {
		p.i = end
		return jvalue{}, p.fail("malformed number")
	}
	p.i = end
	text := p.s[start:end]
	isFloat := strings.ContainsAny(text, ".eE")
	n := len(text)
	if !isFloat && text[0] == '-' {
		n--
	}
	if n > maxNumberLen {
		return jvalue{}, fmt.Errorf("%w: number of %d characters exceeds the limit of %d", ErrTooLarge, n, maxNumberLen)
	}
	return jvalue{kind: jNumber, s: text, float: isFloat}, nil
}

func (p *jparser) enter() error {
	p.depth++
	if p.depth > maxDepth {
		return fmt.Errorf("%w: nesting depth exceeds %d", ErrTooLarge, maxDepth)
	}
	return nil
}

// container reads an object or an array (kind jObject or jArray) at p.i.
func (p *jparser) container(kind jkind) (jvalue, error) {
	closer, what := byte(']'), "array"
	if kind == jObject {
		closer, what = '}', "object"
	}
	if err := p.enter(); err != nil {
		return jvalue{}, err
	}
	p.i++ // { or [
	p.ws()
	if p.i < len(p.s) && p.s[p.i] == closer {
		p.i++
		p.depth--
		return jvalue{kind: kind, kids: noKids}, nil
	}
	base := len(p.open)
	for {
		var m jmember
		if kind == jObject {
			k, err := p.memberName()
			if err != nil {
				return jvalue{}, err
			}
			m.key = k
		}
		val, err := p.value()
		if err != nil {
			return jvalue{}, err
		}
		m.val = val
		p.open = append(p.open, m)
		done, err := p.afterItem(closer, what)
		if err != nil {
			return jvalue{}, err
		}
		if done {
			return jvalue{kind: kind, kids: p.closeContainer(base)}, nil
		}
	}
}

// memberName reads `"name" :` and the whitespace after it.
func (p *jparser) memberName() (string, error) {
	if p.i >= len(p.s) || p.s[p.i] != '"' {
		return "", p.fail("expected a double-quoted field name")
	}
	k, err := p.str(maxParseNameLen)
	if err != nil {
		return "", err
	}
	p.ws()
	if p.i >= len(p.s) || p.s[p.i] != ':' {
		return "", p.fail("expected ':'")
	}
	p.i++
	p.ws()
	return k, nil
}

// afterItem reads what follows a member or element: a comma (more to come)
// or the container's closing character (done).
func (p *jparser) afterItem(closer byte, what string) (done bool, err error) {
	p.ws()
	if p.i >= len(p.s) {
		return false, p.fail("unexpected end of input in %s", what)
	}
	switch p.s[p.i] {
	case ',':
		p.i++
		p.ws()
		return false, nil
	case closer:
		p.i++
		p.depth--
		return true, nil
	}
	return false, p.fail("expected ',' or '%c'", closer)
}

func hexVal(c byte) rune {
	switch {
	case c >= '0' && c <= '9':
		return rune(c - '0')
	case c >= 'a' && c <= 'f':
		return rune(c - 'a' + 10)
	case c >= 'A' && c <= 'F':
		return rune(c - 'A' + 10)
	}
	return -1
}

func (p *jparser) u4(at int) rune {
	if at+4 > len(p.s) {
		return -1
	}
	var r rune
	for j := range 4 {
		h := hexVal(p.s[at+j])
		if h < 0 {
			return -1
		}
		r = r<<4 | h
	}
	return r
}

// str reads a string at p.i (on the opening quote). Invalid UTF-8 and lone
// surrogates become U+FFFD. limit is in UTF-16 units.
func (p *jparser) str(limit int) (string, error) {
	p.i++
	start := p.i
	// Fast path: plain ASCII without escapes.
	for p.i < len(p.s) {
		c := p.s[p.i]
		if c == '"' {
			s := p.s[start:p.i]
			p.i++
			if len(s) > limit {
				return "", fmt.Errorf("%w: string of %d characters exceeds the limit of %d", ErrTooLarge, len(s), limit)
			}
			return s, nil
		}
		if c == '\\' || c < 0x20 || c >= utf8.RuneSelf {
			break
		}
		p.i++
	}
	var b strings.Builder
	b.WriteString(p.s[start:p.i])
	units := p.i - start
	for {
		if p.i >= len(p.s) {
			return "", p.fail("unexpected end of input in string")
		}
		c := p.s[p.i]
		switch {
		case c == '"':
			p.i++
			if units > limit {
				return "", fmt.Errorf("%w: string of %d UTF-16 units exceeds the limit of %d", ErrTooLarge, units, limit)
			}
			return b.String(), nil
		case c < 0x20:
			return "", p.fail("unescaped control character %#x in string", c)
		case c < utf8.RuneSelf && c != '\\':
			b.WriteByte(c)
			p.i++
			units++
		case c >= utf8.RuneSelf:
			r, size := utf8.DecodeRuneInString(p.s[p.i:])
			b.WriteRune(r) // U+FFFD for an invalid byte
			p.i += size
			units++
			if r >= 0x10000 {
				units++
			}
		default: // backslash
			if p.i+1 >= len(p.s) {
				return "", p.fail("unexpected end of input in string")
			}
			e := p.s[p.i+1]
			p.i += 2
			units++
			switch e {
			case '"', '\\', '/':
				b.WriteByte(e)
			case 'b':
				b.WriteByte('\b')
			case 'f':
				b.WriteByte('\f')
			case 'n':
				b.WriteByte('\n')
			case 'r':
				b.WriteByte('\r')
			case 't':
				b.WriteByte('\t')
			case 'u':
				r := p.u4(p.i)
				if r < 0 {
					return "", p.fail("invalid \\u escape")
				}
				p.i += 4
				if r >= 0xd800 && r < 0xdc00 {
					// A high surrogate pairs with an immediately following low one.
					if p.i+6 <= len(p.s) && p.s[p.i] == '\\' && p.s[p.i+1] == 'u' {
						if lo := p.u4(p.i + 2); lo >= 0xdc00 && lo < 0xe000 {
							p.i += 6
							units++
							b.WriteRune(0x10000 + (r-0xd800)<<10 + (lo - 0xdc00))
							continue
						}
					}
					r = utf8.RuneError
				} else if r >= 0xdc00 && r < 0xe000 {
					r = utf8.RuneError
				}
				b.WriteRune(r)
			default:
				p.i--
				return "", p.fail("invalid escape \\%c", e)
			}
		}
	}
}
