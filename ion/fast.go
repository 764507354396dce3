package ion

import (
	"encoding/base64"
	"errors"
	"hash/maphash"
	"math"
	"math/big"
	"strconv"
	"time"
	"unicode/utf8"
	"unsafe"
)

// The fast path: a parser for the plain Ion text Kestra writes. It handles
// structs, lists, strings and quoted symbols with the usual escapes, unquoted
// symbols, ints, decimals, floats, nan/±inf, timestamps written to second or
// finer precision (up to nanoseconds) or as dates, blobs, null and typed
// nulls, and single Kestra time annotations on strings. For anything else it
// returns errFallback without side effects, and the caller hands the rest of
// the stream to the Ion library. It never reports syntax errors itself, so
// every error message about malformed Ion comes from the library.

var (
	errFallback = errors.New("not handled by the fast path")
	errMore     = errors.New("value continues past the buffered input")
)

const maxDepth = 1000 // the library walk errors beyond this; the fast path falls back before

type fastParser struct {
	c       *config
	b       []byte
	i       int
	intern  map[string]string
	scratch []byte
	width   int // field count of the previous row, a size hint
	// shapes holds the field names of the previous struct at depths 0 and
	// 1: rows usually repeat them in the same order, so comparing bytes
	// with them is cheaper than scanning a name and looking it up.
	shapes [2][]shapeName
	// arena, when useArena, receives the bytes of short string values, one
	// allocation per 16 KiB (after the first few) instead of one per
	// string. Only whole-input reads use it, and not for the fields a
	// struct target ignores: all values are kept there, so no string can
	// pin much unrelated data, while a streaming caller keeping one field
	// per row could.
	arena    []byte
	useArena bool
	vc       *valueCache // see strValue; allocated after cacheAfterRows rows
	rows     int         // rows parsed
	items    itemStack   // the items of the lists being parsed
	bx       *boxSet     // see boxes.go
}

func (p *fastParser) str(b []byte) string {
	n := len(b)
	if !p.useArena || n > 512 {
		return string(b)
	}
	if n == 0 {
		return ""
	}
	if len(p.arena)+n > cap(p.arena) {
		// Blocks grow from 1 to 16 KiB, so a small input does not pay
		// for a large one.
		p.arena = make([]byte, 0, min(16<<10, max(1<<10, 2*cap(p.arena))))
	}
	off := len(p.arena)
	p.arena = append(p.arena, b...)
	// The arena's bytes are never written again once appended.
	return unsafe.String(&p.arena[off], n)
}

// A shapeName is a field name of the previous struct; ident says that the
// name may also be written unquoted (an identifier that is not a keyword).
type shapeName struct {
	s     string
	ident bool
}

// name returns the field name for b, the k-th field of a struct at depth.
func (p *fastParser) name(b []byte, depth, k int) string {
	if depth < len(p.shapes) {
		sh := p.shapes[depth]
		if k < len(sh) && sh[k].s == string(b) {
			return sh[k].s
		}
		s := p.internName(b)
		if k < len(sh) {
			sh[k] = shapeName{s, isIdentifier(s)}
		} else if k == len(sh) {
			p.shapes[depth] = append(sh, shapeName{s, isIdentifier(s)})
		}
		return s
	}
	return p.internName(b)
}

// shapeIdent reads the k-th field name of a struct at depth when it is,
// unquoted, the previous struct's k-th name: one comparison instead of a
// scan of the name and a comparison.
func (p *fastParser) shapeIdent(depth, k int) (string, bool) {
	if depth >= len(p.shapes) || k >= len(p.shapes[depth]) {
		return "", false
	}
	sh := p.shapes[depth][k]
	end := p.i + len(sh.s)
	if !sh.ident || end >= len(p.b) || string(p.b[p.i:end]) != sh.s || isIdentPart(p.b[end]) {
		return "", false
	}
	p.i = end
	return sh.s, true
}

// isIdentifier reports whether s can be written as an unquoted field name
// the fast path reads as s.
func isIdentifier(s string) bool {
	if s == "" || !isIdentStart(s[0]) || s[0] == '$' {
		return false
	}
	for i := 1; i < len(s); i++ {
		if !isIdentPart(s[i]) {
			return false
		}
	}
	switch s {
	case "null", "true", "false", "nan":
		return false
	}
	return true
}

// convErr is a conversion error (not a syntax error) inside a row, with the
// path of the field, built while unwinding.
type convErr struct {
	path string
	err  error
}

func (e *convErr) Error() string { return e.path + ": " + e.err.Error() }

// withKey and withIndex add the field name or list index that contains a
// conversion error to its path.
func withKey(err error, key string) error { return withPathStep(err, key, -1) }

func withIndex(err error, i int) error { return withPathStep(err, "", i) }

func withPathStep(err error, key string, i int) error {
	var ce *convErr
	if !errors.As(err, &ce) {
		return err // a syntax error or errMore/errFallback: no path
	}
	if i >= 0 {
		key = "[" + strconv.Itoa(i) + "]"
	}
	if ce.path == "" || ce.path[0] == '[' {
		ce.path = key + ce.path
	} else {
		ce.path = key + "." + ce.path
	}
	return ce
}

func isWS(c byte) bool { return c == ' ' || c == '\n' || c == '\t' || c == '\r' }

func isIdentStart(c byte) bool { return identChar[c] == 1 }

func isIdentPart(c byte) bool { return identChar[c] != 0 }

// identChar is 1 for the bytes that start an identifier, 2 for the other
// bytes that continue one, 0 for the rest.
var identChar = func() (t [256]byte) {
	for c := range 256 {
		switch {
		case (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '$':
			t[c] = 1
		case c >= '0' && c <= '9':
			t[c] = 2
		}
	}
	return t
}()

func (p *fastParser) skipWS() error {
	if p.i < len(p.b) && p.b[p.i] > ' ' {
		return nil // the usual case, no whitespace
	}
	for p.i < len(p.b) {
		if !isWS(p.b[p.i]) {
			return nil
		}
		p.i++
	}
	return errMore
}

func (p *fastParser) structure(depth, hint int) (map[string]any, error) {
	if depth >= maxDepth {
		return nil, errFallback
	}
	p.i++ // '{'
	m := make(map[string]any, hint)
	if err := p.skipWS(); err != nil {
		return nil, err
	}
	if p.b[p.i] == '}' {
		p.i++
		return m, nil
	}
	for k := 0; ; k++ {
		key, err := p.fieldName(depth, k)
		if err != nil {
			return nil, err
		}
		if err := p.skipWS(); err != nil {
			return nil, err
		}
		if p.b[p.i] != ':' {
			return nil, errFallback
		}
		p.i++
		if p.i >= len(p.b) {
			return nil, errMore
		}
		if p.b[p.i] == ':' {
			return nil, errFallback
		}
		v, err := p.value(depth + 1)
		if err != nil {
			return nil, withKey(err, key)
		}
		m[key] = v // repeated names: the last one wins, as in Kestra (Jackson)
		if done, err := p.next('}'); err != nil {
			return nil, err
		} else if done {
			return m, nil
		}
	}
}

// next reads what follows a struct field or a list item: the closing
// bracket (done), or a comma and whitespace up to the next field or item.
// A trailing comma, which Ion allows, goes to the library like the other
// rarer forms.
func (p *fastParser) next(closing byte) (done bool, err error) {
	if err := p.skipWS(); err != nil {
		return false, err
	}
	switch p.b[p.i] {
	case closing:
		p.i++
		return true, nil
	case ',':
		p.i++
		if err := p.skipWS(); err != nil {
			return false, err
		}
		if p.b[p.i] == closing {
			return false, errFallback
		}
		return false, nil
	}
	return false, errFallback
}

func (p *fastParser) fieldName(depth, k int) (string, error) {
	if err := p.skipWS(); err != nil {
		return "", err
	}
	c := p.b[p.i]
	switch {
	case c == '"':
		b, err := p.text('"')
		if err != nil {
			return "", err
		}
		if len(b) > 0 && b[0] == '$' {
			return "", errFallback // the library resolves "$n" field names as symbol IDs
		}
		return p.name(b, depth, k), nil
	case c == '\'':
		if p.i+2 < len(p.b) && p.b[p.i+1] == '\'' && p.b[p.i+2] == '\'' {
			return "", errFallback
		}
		if p.i+2 >= len(p.b) {
			return "", errMore
		}
		b, err := p.text('\'')
		if err != nil {
			return "", err
		}
		return p.name(b, depth, k), nil
	case isIdentStart(c) && c != '$':
		if s, ok := p.shapeIdent(depth, k); ok {
			return s, nil
		}
		start := p.i
		for p.i < len(p.b) && isIdentPart(p.b[p.i]) {
			p.i++
		}
		if p.i >= len(p.b) {
			return "", errMore
		}
		id := p.b[start:p.i]
		switch string(id) {
		case "null", "true", "false", "nan":
			return "", errFallback
		}
		return p.name(id, depth, k), nil
	}
	return "", errFallback
}

func (p *fastParser) internName(b []byte) string {
	if s, ok := p.intern[string(b)]; ok {
		return s
	}
	s := string(b)
	if len(p.intern) < 4096 {
		p.intern[s] = s
	}
	return s
}

func (p *fastParser) value(depth int) (any, error) {
	if err := p.skipWS(); err != nil {
		return nil, err
	}
	c := p.b[p.i]
	switch {
	case c == '{':
		if p.i+1 >= len(p.b) {
			return nil, errMore
		}
		if p.b[p.i+1] == '{' {
			return p.blob()
		}
		return p.structure(depth, 0)
	case c == '[':
		return p.list(depth)
	case c == '"':
		b, err := p.text('"')
		if err != nil {
			return nil, err
		}
		if p.c.isoStrings {
			if t, ok := p.c.isoString(bstr(b)); ok {
				return p.boxTime(t), nil
			}
		}
		return p.strValue(b), nil
	case c == '\'':
		if p.i+2 >= len(p.b) {
			return nil, errMore
		}
		if p.b[p.i+1] == '\'' && p.b[p.i+2] == '\'' {
			return nil, errFallback
		}
		b, err := p.text('\'')
		if err != nil {
			return nil, err
		}
		if err := p.notAnnotation(); err != nil {
			return nil, err
		}
		if depth == 0 && len(b) > 0 && b[0] == '$' {
			// At the top level '$ion_1_0' is no value (Ion ignores such
			// pseudo version markers): the library knows these names.
			return nil, errFallback
		}
		return p.strValue(b), nil
	case isDigit(c):
		return p.number()
	case c == '-':
		if p.i+1 >= len(p.b) {
			return nil, errMore
		}
		if isDigit(p.b[p.i+1]) {
			return p.number()
		}
		return p.inf(-1)
	case c == '+':
		return p.inf(1)
	case isIdentStart(c):
		return p.symbol()
	}
	return nil, errFallback
}

func (p *fastParser) inf(sign int) (any, error) {
	if p.i+4 >= len(p.b) {
		return nil, errMore
	}
	if string(p.b[p.i+1:p.i+4]) != "inf" || !p.stop(p.b[p.i+4]) {
		return nil, errFallback
	}
	p.i += 4
	return math.Inf(sign), nil
}

// notAnnotation checks what follows a quoted symbol at p.i: after
// whitespace, :: makes it an annotation ('a' :: 1, Ion allows whitespace
// and comments before the ::) and a comment may come before one, so both
// go to the library, as does a symbol that ends the buffered input
// (errMore: the :: may be on the next line). Inside a container next
// would refuse them too; at the top level nothing else would.
func (p *fastParser) notAnnotation() error {
	for j := p.i; j < len(p.b); j++ {
		switch p.b[j] {
		case ' ', '\t', '\r', '\n':
			continue
		case ':', '/':
			return errFallback
		}
		return nil
	}
	return errMore
}

// stop reports whether c may follow a scalar here; anything else (including
// the characters Ion also allows there) sends the value to the library.
func (p *fastParser) stop(c byte) bool {
	return c == ',' || c == '}' || c == ']' || isWS(c)
}

func (p *fastParser) list(depth int) (any, error) {
	if depth >= maxDepth {
		return nil, errFallback
	}
	p.i++ // '['
	if err := p.skipWS(); err != nil {
		return nil, err
	}
	if p.b[p.i] == ']' {
		p.i++
		return []any{}, nil
	}
	// Items go on p.items and are copied out once the count is known,
	// so that each list is one allocation of its exact size.
	base := p.items.len()
	for {
		v, err := p.value(depth + 1)
		if err != nil {
			i := p.items.len() - base
			p.items.drop(base)
			return nil, withIndex(err, i)
		}
		p.items.push(v)
		if done, err := p.next(']'); err != nil {
			p.items.drop(base)
			return nil, err
		} else if done {
			return p.boxList(p.items.pop(base)), nil
		}
	}
}

// symbol handles keywords, typed nulls, unquoted symbols and annotations.
func (p *fastParser) symbol() (any, error) {
	start := p.i
	for p.i < len(p.b) && isIdentPart(p.b[p.i]) {
		p.i++
	}
	if p.i >= len(p.b) {
		return nil, errMore
	}
	id := p.b[start:p.i]
	c := p.b[p.i]
	if c == '.' && string(id) == "null" {
		p.i++
		ts := p.i
		for p.i < len(p.b) && isIdentPart(p.b[p.i]) {
			p.i++
		}
		if p.i >= len(p.b) {
			return nil, errMore
		}
		switch string(p.b[ts:p.i]) {
		case "null", "bool", "int", "float", "decimal", "timestamp", "symbol", "string",
			"blob", "clob", "list", "struct", "sexp":
		default:
			return nil, errFallback
		}
		if !p.stop(p.b[p.i]) {
			return nil, errFallback
		}
		return nil, nil
	}
	// An annotation? (whitespace may come before the ::)
	j := p.i
	for j < len(p.b) && isWS(p.b[j]) {
		j++
	}
	if j+1 >= len(p.b) {
		return nil, errMore
	}
	if p.b[j] == '/' {
		return nil, errFallback // a comment, maybe before :: (a /*c*/ :: 1)
	}
	if p.b[j] == ':' && p.b[j+1] == ':' {
		ann := bstr(id) // not kept: only compared and formatted
		if !isTimeAnnotation(ann) {
			return nil, errFallback
		}
		p.i = j + 2
		if err := p.skipWS(); err != nil {
			return nil, err
		}
		if p.b[p.i] != '"' {
			return nil, errFallback
		}
		s, err := p.text('"')
		if err != nil {
			return nil, err
		}
		// A time annotation on a string: what convertText does with it.
		// The text is not kept (the value is a time, or an error that
		// copies it), so it may stay in the input or scratch buffer.
		t, err := p.c.annotatedTime(ann, bstr(s))
		if err != nil {
			return nil, &convErr{err: err}
		}
		return p.boxTime(t), nil
	}
	if !p.stop(c) {
		return nil, errFallback
	}
	switch string(id) {
	case "null":
		return nil, nil
	case "true":
		return true, nil
	case "false":
		return false, nil
	case "nan":
		return math.NaN(), nil
	}
	if id[0] == '$' {
		return nil, errFallback // symbol IDs and system symbols: the library resolves them
	}
	return p.strValue(id), nil
}

// plainText is true for the bytes a short string or quoted symbol holds as
// they are: printable ASCII but the quotes and the backslash.
var plainText = func() (t [256]bool) {
	for c := ' '; c < 0x7f; c++ {
		t[c] = c != '"' && c != '\'' && c != '\\'
	}
	return t
}()

// text reads a short string or quoted symbol starting at the opening quote
// and returns its decoded bytes: a slice of the input or, when it has
// escapes, of p.scratch, valid until the next call.
func (p *fastParser) text(q byte) ([]byte, error) {
	p.i++
	start := p.i
	b := p.b
	i := p.i
	for i < len(b) {
		c := b[i]
		if plainText[c] {
			i++
			continue
		}
		if c == q {
			p.i = i + 1
			return b[start:i], nil
		}
		if c == '\\' {
			break
		}
		if c < 0x20 {
			return nil, errFallback
		}
		if c >= 0x80 {
			r, n := utf8.DecodeRune(b[i:])
			if r == utf8.RuneError && n <= 1 {
				if !utf8.FullRune(b[i:]) {
					return nil, errMore
				}
				return nil, errFallback
			}
			i += n
			continue
		}
		i++
	}
	if i >= len(b) {
		return nil, errMore
	}
	// Escapes: decode into scratch.
	out := append(p.scratch[:0], b[start:i]...)
	for i < len(b) {
		c := b[i]
		switch {
		case c == q:
			p.scratch = out
			p.i = i + 1
			return out, nil
		case c == '\\':
			if i+1 >= len(b) {
				return nil, errMore
			}
			e := b[i+1]
			i += 2
			switch e {
			case '0':
				out = append(out, 0)
			case 'a':
				out = append(out, '\a')
			case 'b':
				out = append(out, '\b')
			case 't':
				out = append(out, '\t')
			case 'n':
				out = append(out, '\n')
			case 'f':
				out = append(out, '\f')
			case 'r':
				out = append(out, '\r')
			case 'v':
				out = append(out, '\v')
			case '?', '/', '\'', '"', '\\':
				out = append(out, e)
			case '\n':
				// escaped newline: nothing
			case 'x', 'u', 'U':
				n := 2
				if e == 'u' {
					n = 4
				} else if e == 'U' {
					n = 8
				}
				if i+n > len(b) {
					return nil, errMore
				}
				var r rune
				for k := 0; k < n; k++ {
					h := b[i+k]
					var d byte
					switch {
					case h >= '0' && h <= '9':
						d = h - '0'
					case h >= 'a' && h <= 'f':
						d = h - 'a' + 10
					case h >= 'A' && h <= 'F':
						d = h - 'A' + 10
					default:
						return nil, errFallback
					}
					r = r<<4 | rune(d)
				}
				i += n
				if !utf8.ValidRune(r) {
					return nil, errFallback // surrogates and beyond U+10FFFF
				}
				out = utf8.AppendRune(out, r)
			default:
				return nil, errFallback
			}
		case c < 0x20:
			return nil, errFallback
		case c >= 0x80:
			r, n := utf8.DecodeRune(b[i:])
			if r == utf8.RuneError && n <= 1 {
				if !utf8.FullRune(b[i:]) {
					return nil, errMore
				}
				return nil, errFallback
			}
			out = append(out, b[i:i+n]...)
			i += n
		default:
			out = append(out, c)
			i++
		}
	}
	return nil, errMore
}

func (p *fastParser) blob() (any, error) {
	i := p.i + 2
	b := p.b
	start := i
	clean := true // no whitespace inside
	for i < len(b) && b[i] != '}' {
		c := b[i]
		switch {
		case c == ' ':
			clean = false
		case (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || isDigit(c) || c == '+' || c == '/' || c == '=':
		default:
			if c == '\n' || c == '\r' || c == '\t' {
				if i+1 >= len(b) {
					return nil, errMore
				}
			}
			return nil, errFallback
		}
		i++
	}
	if i+1 >= len(b) {
		return nil, errMore
	}
	if b[i+1] != '}' {
		return nil, errFallback
	}
	enc := b[start:i]
	if !clean {
		enc = make([]byte, 0, len(enc))
		for _, c := range b[start:i] {
			if c != ' ' {
				enc = append(enc, c)
			}
		}
	}
	out, err := base64.StdEncoding.DecodeString(string(enc))
	if err != nil {
		return nil, errFallback
	}
	p.i = i + 2
	if out == nil {
		out = []byte{}
	}
	return out, nil
}

func bstr(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	return unsafe.String(&b[0], len(b))
}

// number parses an int, decimal, float or timestamp at p.i.
func (p *fastParser) number() (any, error) {
	b := p.b
	i := p.i
	if i+4 < len(b) && isDigit(b[i]) && isDigit(b[i+1]) && isDigit(b[i+2]) && isDigit(b[i+3]) &&
		(b[i+4] == '-' || b[i+4] == 'T') {
		return p.timestamp()
	}
	if i+4 >= len(b) {
		// Might still be a timestamp once more input is seen.
		k := i
		for k < len(b) && isDigit(b[k]) {
			k++
		}
		if k == len(b) {
			return nil, errMore
		}
	}
	start := i
	neg := false
	if b[i] == '-' {
		neg = true
		i++
	}
	ds := i
	var mant uint64
	for i < len(b) && isDigit(b[i]) {
		mant = mant*10 + uint64(b[i]-'0')
		i++
	}
	nd := i - ds
	if nd == 0 {
		return nil, errFallback
	}
	if b[ds] == '0' && nd > 1 {
		return nil, errFallback // leading zeros: the library's error
	}
	if i >= len(b) {
		return nil, errMore
	}
	kind := 'i'
	fd := 0   // fraction digits
	exp := 0  // written exponent
	sig := nd // significant digits in mant
	if b[i] == '.' {
		kind = 'd'
		i++
		fs := i
		for i < len(b) && isDigit(b[i]) {
			if sig < 19 {
				mant = mant*10 + uint64(b[i]-'0')
			}
			sig++
			i++
		}
		fd = i - fs
		if i >= len(b) {
			return nil, errMore
		}
	}
	switch b[i] {
	case 'e', 'E', 'd', 'D':
		if b[i] == 'e' || b[i] == 'E' {
			kind = 'f'
		} else {
			kind = 'd'
		}
		i++
		eneg := false
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			eneg = b[i] == '-'
			i++
		}
		es := i
		for i < len(b) && isDigit(b[i]) {
			exp = exp*10 + int(b[i]-'0')
			i++
		}
		if i >= len(b) {
			return nil, errMore
		}
		if i == es || i-es > 6 {
			return nil, errFallback
		}
		if eneg {
			exp = -exp
		}
	}
	if !p.stop(b[i]) {
		return nil, errFallback
	}
	text := b[start:i]
	if kind != 'f' && nd+fd > maxNumberDigits && significantDigits(text) > maxNumberDigits {
		return nil, errNumberDigits // before the library parses it, in quadratic time
	}
	switch kind {
	case 'i':
		p.i = i
		if nd <= 18 {
			v := int64(mant)
			if neg {
				v = -v
			}
			return p.intValue(v), nil
		}
		if v, err := strconv.ParseInt(bstr(text), 10, 64); err == nil {
			return v, nil
		}
		n, ok := new(big.Int).SetString(string(text), 10)
		if !ok {
			return nil, errFallback
		}
		return n, nil
	case 'f':
		if f, ok := exactFloat(mant, sig, exp-fd, neg); ok {
			p.i = i
			return p.floatValue(f), nil
		}
		f, err := strconv.ParseFloat(bstr(text), 64)
		if err != nil {
			var ne *strconv.NumError
			if !errors.As(err, &ne) || ne.Err != strconv.ErrRange {
				return nil, errFallback
			}
		}
		p.i = i
		return p.floatValue(f), nil
	default:
		if p.c.intDecimals && !p.c.exactDecimals {
			// An integer target: up to 15 digits, the float64 is the
			// value exactly whenever the value is an integer.
			if f, ok := exactFloat(mant, sig, exp-fd, neg); ok {
				p.i = i
				return p.floatValue(f), nil
			}
		}
		if p.c.exactDecimals || p.c.intDecimals {
			d, err := ParseDecimal(string(text))
			if err != nil {
				return nil, errFallback
			}
			p.i = i
			return d, nil
		}
		f, ok := exactFloat(mant, sig, exp-fd, neg)
		if !ok {
			var err error
			if f, err = decimalFloat(bstr(text)); err != nil {
				return nil, errFallback
			}
		}
		p.i = i
		return p.floatValue(f), nil
	}
}

var pow10 = [...]float64{1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
	1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22}

// exactFloat converts mant×10^exp when both mant and 10^|exp| are exact
// float64 values, so that one IEEE multiplication or division rounds
// correctly: the same result as strconv.ParseFloat, without parsing again.
func exactFloat(mant uint64, digits, exp int, neg bool) (float64, bool) {
	if digits > 15 || exp < -22 || exp > 22 {
		return 0, false
	}
	f := float64(mant)
	if exp < 0 {
		f /= pow10[-exp]
	} else {
		f *= pow10[exp]
	}
	if neg {
		f = -f
	}
	return f, true
}

func dig2(b []byte, i int) (int, bool) {
	if !isDigit(b[i]) || !isDigit(b[i+1]) {
		return 0, false
	}
	return int(b[i]-'0')*10 + int(b[i+1]-'0'), true
}

// tsParts are the fields of an Ion timestamp.
type tsParts struct {
	y, mo, d, h, mi, sec, ns int
	kind                     timestampKind
	off                      int
}

func (c *config) tsTime(t tsParts) time.Time {
	return c.ionTimestamp(t.y, t.mo, t.d, t.h, t.mi, t.sec, t.ns, t.kind, t.off)
}

// timestamp parses a timestamp at p.i, boxed (dates from the cache).
func (p *fastParser) timestamp() (any, error) {
	t, err := p.timestampParts()
	if err != nil {
		return nil, err
	}
	if t.kind == tsDate {
		return p.dateValue(t.y, t.mo, t.d), nil
	}
	return p.boxTime(p.c.tsTime(t)), nil
}

// timestampParts parses yyyy-mm-dd[T] or yyyy-mm-ddThh:mm[:ss[.f{1,9}]](Z|±hh:mm).
func (p *fastParser) timestampParts() (tsParts, error) {
	b := p.b
	i := p.i
	if i+11 > len(b) {
		return tsParts{}, errMore
	}
	if b[i+4] != '-' || b[i+7] != '-' {
		return tsParts{}, errFallback
	}
	y := int(b[i]-'0')*1000 + int(b[i+1]-'0')*100 + int(b[i+2]-'0')*10 + int(b[i+3]-'0')
	mo, ok1 := dig2(b, i+5)
	d, ok2 := dig2(b, i+8)
	if !ok1 || !ok2 || y < 1 || mo < 1 || mo > 12 || d < 1 || d > daysIn(y, mo) {
		return tsParts{}, errFallback
	}
	i += 10
	if b[i] == 'T' {
		i++
		if i >= len(b) {
			return tsParts{}, errMore
		}
		if !isDigit(b[i]) {
			if p.stop(b[i]) {
				p.i = i
				return tsParts{y: y, mo: mo, d: d, kind: tsDate}, nil
			}
			return tsParts{}, errFallback
		}
	} else {
		if !p.stop(b[i]) {
			return tsParts{}, errFallback
		}
		p.i = i
		return tsParts{y: y, mo: mo, d: d, kind: tsDate}, nil
	}
	// hh:mm
	if i+6 > len(b) {
		return tsParts{}, errMore
	}
	h, ok1 := dig2(b, i)
	mi, ok2 := dig2(b, i+3)
	if !ok1 || !ok2 || b[i+2] != ':' || h > 23 || mi > 59 {
		return tsParts{}, errFallback
	}
	i += 5
	sec, ns := 0, 0
	if b[i] == ':' {
		if i+4 > len(b) {
			return tsParts{}, errMore
		}
		var ok bool
		if sec, ok = dig2(b, i+1); !ok || sec > 59 {
			return tsParts{}, errFallback
		}
		i += 3
		if b[i] == '.' {
			i++
			fs := i
			scale := 100000000
			for i < len(b) && isDigit(b[i]) {
				ns += int(b[i]-'0') * scale
				scale /= 10
				i++
			}
			if i >= len(b) {
				return tsParts{}, errMore
			}
			if i == fs || i-fs > 9 {
				return tsParts{}, errFallback
			}
		}
	}
	if i >= len(b) {
		return tsParts{}, errMore
	}
	kind := tsUTC
	off := 0
	switch b[i] {
	case 'Z':
		i++
	case '+', '-':
		if i+7 > len(b) {
			return tsParts{}, errMore
		}
		oh, ok1 := dig2(b, i+1)
		om, ok2 := dig2(b, i+4)
		if !ok1 || !ok2 || b[i+3] != ':' || oh > 23 || om > 59 {
			return tsParts{}, errFallback
		}
		off = (oh*60 + om) * 60
		switch {
		case off == 0 && b[i] == '-':
			kind = tsUnknown
		case off != 0:
			kind = tsOffset
			if b[i] == '-' {
				off = -off
			}
		}
		i += 6
	default:
		return tsParts{}, errFallback
	}
	if i >= len(b) {
		return tsParts{}, errMore
	}
	if !p.stop(b[i]) {
		return tsParts{}, errFallback
	}
	p.i = i
	return tsParts{y, mo, d, h, mi, sec, ns, kind, off}, nil
}

// Boxing a value into an interface allocates it (16 bytes for a string
// header, 8 for a float64 or an int64 of 256 or more), and a string value
// also needs its bytes. Kestra rows repeat many values (names, codes,
// enum-like columns, department ids), so the parser keeps small
// direct-mapped caches of recently boxed values and hands out the same
// interface value again: strings and numbers are immutable, so sharing is
// invisible to callers. A value that is not repeated just replaces the
// slot's previous one, so the caches cost a hash and a compare, and their
// memory is fixed (they keep at most their slots' values alive).
const (
	strCacheSlots = 2048
	maxCachedStr  = 40 // longer strings are rarely repeated
	numCacheSlots = 256
)

type valueCache struct {
	strs   [strCacheSlots]strSlot
	floats [numCacheSlots]numSlot
	ints   [numCacheSlots]numSlot
	dates  [numCacheSlots]numSlot
}

type strSlot struct {
	s string
	v any
}

type numSlot struct {
	bits uint64
	v    any
}

var strSeed = maphash.MakeSeed()

// cacheAfterRows: a small input does not pay for the caches (about 80 KB).
// A variable so that the differential tests can use them from the first row.
var cacheAfterRows = 16

func (p *fastParser) cache() *valueCache {
	if p.vc == nil && p.rows >= cacheAfterRows {
		p.vc = new(valueCache)
	}
	return p.vc
}

// strValue returns the string value for b, boxed.
func (p *fastParser) strValue(b []byte) any {
	if len(b) == 0 {
		return ""
	}
	if len(b) > maxCachedStr {
		return p.boxString(p.str(b))
	}
	vc := p.cache()
	if vc == nil {
		return p.boxString(p.str(b))
	}
	slot := &vc.strs[maphash.Bytes(strSeed, b)%strCacheSlots]
	if slot.s == string(b) {
		if slot.v == nil {
			slot.v = p.boxString(slot.s)
		}
		return slot.v
	}
	s := p.str(b)
	slot.s, slot.v = s, p.boxString(s)
	return slot.v
}

// strText returns the string for b, shared through the string cache.
func (p *fastParser) strText(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	vc := p.cache()
	if len(b) > maxCachedStr || vc == nil {
		return p.str(b)
	}
	slot := &vc.strs[maphash.Bytes(strSeed, b)%strCacheSlots]
	if slot.s == string(b) { // an empty slot never matches: b is not empty
		return slot.s
	}
	s := p.str(b)
	slot.s, slot.v = s, nil // boxed only when strValue needs it
	return s
}

func numSlotIndex(bits uint64) uint64 { return (bits * 0x9E3779B97F4A7C15) >> 56 }

// floatValue returns f boxed.
func (p *fastParser) floatValue(f float64) any {
	bits := math.Float64bits(f)
	if bits < 256 {
		return f // the runtime boxes these without allocating
	}
	vc := p.cache()
	if vc == nil {
		return p.boxFloat(f)
	}
	slot := &vc.floats[numSlotIndex(bits)]
	if slot.v == nil || slot.bits != bits {
		slot.bits, slot.v = bits, p.boxFloat(f)
	}
	return slot.v
}

// intValue returns n boxed.
func (p *fastParser) intValue(n int64) any {
	if uint64(n) < 256 {
		return n
	}
	vc := p.cache()
	if vc == nil {
		return p.boxInt(n)
	}
	slot := &vc.ints[numSlotIndex(uint64(n))]
	if slot.v == nil || slot.bits != uint64(n) {
		slot.bits, slot.v = uint64(n), p.boxInt(n)
	}
	return slot.v
}

// dateValue returns the boxed time.Time of a date-precision Ion timestamp.
func (p *fastParser) dateValue(y, mo, d int) any {
	vc := p.cache()
	if vc == nil {
		return p.boxTime(p.c.ionTimestamp(y, mo, d, 0, 0, 0, 0, tsDate, 0))
	}
	key := uint64(y)<<9 | uint64(mo)<<5 | uint64(d)
	slot := &vc.dates[numSlotIndex(key)]
	if slot.v == nil || slot.bits != key {
		slot.bits, slot.v = key, p.boxTime(p.c.ionTimestamp(y, mo, d, 0, 0, 0, 0, tsDate, 0))
	}
	return slot.v
}
