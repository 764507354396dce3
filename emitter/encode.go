package emitter

import (
	"bytes"
	"encoding"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math"
	"math/big"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"
)

// Limits of the server's JSON parser (Jackson's StreamReadConstraints) that a
// line must respect, or the server rejects it.
const (
	// maxDepth is the deepest nesting of objects and arrays, the line's own
	// object counting as 1.
	maxDepth = 1000
	// maxStringLen is the longest string value, in UTF-16 code units.
	maxStringLen = 20_000_000
	// maxNameLenFormat is the longest object key Format writes, in UTF-16
	// code units: Jackson 2.16+ defaults to 50 000 (current Kestra raises it
	// to maxStringLen, older releases do not).
	maxNameLenFormat = 50_000
	// maxNumberLen is the longest number token.
	maxNumberLen = 1000
)

// encoder writes compact JSON whose every byte is printable ASCII: all
// non-ASCII characters are escaped as \uXXXX (surrogate pairs above U+FFFF),
// as Python's json.dumps does. That keeps a line free of U+0085, U+2028 and
// U+2029 (which end a match of the server's pattern) and immune to the Docker
// runner's decoding of 16 KiB chunks, which corrupts multi-byte characters
// cut at a chunk boundary.
type encoder struct {
	buf []byte

	// Scratch stacks of the key/value pairs of the maps being written (a
	// nested map uses the part above its parent's); high is the longest
	// each has been since the encoder was pooled, the part to clear.
	anyPairs         []pair[any]
	strs             []pair[string]
	anyHigh, strHigh int

	indirect int     // pointers and interfaces followed on the current path
	path     refPath // containers on the current path, from cycleCheckFrom on
}

var encoderPool = sync.Pool{New: func() any { return &encoder{buf: make([]byte, 0, 256)} }}

func getEncoder() *encoder { return encoderPool.Get().(*encoder) }

func putEncoder(e *encoder) {
	// Do not keep huge buffers (a 10 MiB output) alive in the pool.
	if cap(e.buf) > 64<<10 || cap(e.anyPairs) > 1024 || cap(e.strs) > 1024 {
		return
	}
	e.buf = e.buf[:0]
	// Do not keep the caller's keys and values alive.
	clear(e.anyPairs[:e.anyHigh])
	clear(e.strs[:e.strHigh])
	e.anyPairs, e.strs, e.anyHigh, e.strHigh = e.anyPairs[:0], e.strs[:0], 0, 0
	e.path.reset()
	e.indirect = 0
	encoderPool.Put(e)
}

func invalidf(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrInvalid, fmt.Sprintf(format, args...))
}

// hexDigits are lowercase, like Python's json.dumps.
const hexDigits = "0123456789abcdef"

// safeASCII[b] is true for the bytes that go into a JSON string as they are.
var safeASCII = func() (t [utf8.RuneSelf]bool) {
	for b := 0x20; b < utf8.RuneSelf; b++ {
		t[b] = b != '"' && b != '\\' && b != 0x7f
	}
	return t
}()

func appendU4(b []byte, r rune) []byte {
	return append(b, '\\', 'u', hexDigits[r>>12&0xf], hexDigits[r>>8&0xf], hexDigits[r>>4&0xf], hexDigits[r&0xf])
}

// appendString appends s as a JSON string. Invalid UTF-8 bytes become
// U+FFFD, one per byte, as with encoding/json. limit is the longest
// accepted length in UTF-16 code units.
func appendString(b []byte, s string, limit int) ([]byte, error) {
	if len(s) > limit && utf16Len(s) > limit {
		return b, fmt.Errorf("%w: a string of %d UTF-16 units exceeds the server's limit of %d", ErrTooLarge, utf16Len(s), limit)
	}
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if safeASCII[c] {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			default:
				b = appendU4(b, rune(c))
			}
			i++
			start = i
			continue
		}
		b = append(b, s[start:i]...)
		r, size := utf8.DecodeRuneInString(s[i:])
		if r >= 0x10000 {
			r -= 0x10000
			b = appendU4(b, 0xd800+(r>>10))
			b = appendU4(b, 0xdc00+(r&0x3ff))
		} else {
			// Also covers invalid bytes: DecodeRuneInString returns U+FFFD, size 1.
			b = appendU4(b, r)
		}
		i += size
		start = i
	}
	b = append(b, s[start:]...)
	return append(b, '"'), nil
}

// utf16Len is the length of s in Java chars (invalid bytes count one each).
func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		if r >= 0x10000 {
			n += 2
		} else {
			n++
		}
	}
	return n
}

func (e *encoder) str(s string) error {
	var err error
	e.buf, err = appendString(e.buf, s, maxStringLen)
	return err
}

func (e *encoder) key(s string) error {
	var err error
	e.buf, err = appendString(e.buf, s, maxNameLenFormat)
	if err == nil {
		e.buf = append(e.buf, ':')
	}
	return err
}

// appendFloat writes f as encoding/json does, but always with a fraction or
// an exponent, so that Jackson reads a Double and never an Integer.
func appendFloat(b []byte, f float64, bits int) ([]byte, error) {
	// Whole numbers below 2^53 (counts, most metric values): every integer
	// there is a float64, so the shortest form is the integer itself.
	if bits == 64 && f == math.Trunc(f) && f > -(1<<53) && f < 1<<53 && (f != 0 || !math.Signbit(f)) {
		return append(strconv.AppendInt(b, int64(f), 10), '.', '0'), nil
	}
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return b, invalidf("%v is not a JSON number (the server rejects the line)", f)
	}
	abs := math.Abs(f)
	format := byte('f')
	if abs != 0 {
		if bits == 64 && (abs < 1e-6 || abs >= 1e21) || bits == 32 && (float32(abs) < 1e-6 || float32(abs) >= 1e21) {
			format = 'e'
		}
	}
	start := len(b)
	b = strconv.AppendFloat(b, f, format, -1, bits)
	if format == 'e' {
		// 1e-07 -> 1e-7, as encoding/json does.
		if n := len(b); n-start >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
			b[n-2] = b[n-1]
			b = b[:n-1]
		}
		return b, nil
	}
	if bytes.IndexByte(b[start:], '.') < 0 {
		b = append(b, '.', '0')
	}
	return b, nil
}

// appendSeconds writes a non-negative duration as an exact decimal number of
// seconds: an integer when it is whole, else with up to nine fraction digits.
func appendSeconds(b []byte, d time.Duration) []byte {
	if d < 0 {
		b = append(b, '-')
	}
	u := uint64(d)
	if d < 0 {
		u = uint64(-(d + 1)) + 1
	}
	b = strconv.AppendUint(b, u/1e9, 10)
	frac := u % 1e9
	if frac == 0 {
		return b
	}
	var digits [9]byte
	for i := 8; i >= 0; i-- {
		digits[i] = byte('0' + frac%10)
		frac /= 10
	}
	n := 9
	for digits[n-1] == '0' {
		n--
	}
	b = append(b, '.')
	return append(b, digits[:n]...)
}

var (
	jsonMarshalerType = reflect.TypeFor[json.Marshaler]()
	textMarshalerType = reflect.TypeFor[encoding.TextMarshaler]()
)

// value appends any Go value. depth is the nesting depth of the container
// that holds v.
func (e *encoder) value(v any, depth int) error {
	switch v := v.(type) {
	case nil:
		e.buf = append(e.buf, "null"...)
	case string:
		return e.str(v)
	case bool:
		e.buf = strconv.AppendBool(e.buf, v)
	case int:
		e.buf = strconv.AppendInt(e.buf, int64(v), 10)
	case int64:
		e.buf = strconv.AppendInt(e.buf, v, 10)
	case int32:
		e.buf = strconv.AppendInt(e.buf, int64(v), 10)
	case int16:
		e.buf = strconv.AppendInt(e.buf, int64(v), 10)
	case int8:
		e.buf = strconv.AppendInt(e.buf, int64(v), 10)
	case uint:
		e.buf = strconv.AppendUint(e.buf, uint64(v), 10)
	case uint64:
		e.buf = strconv.AppendUint(e.buf, v, 10)
	case uint32:
		e.buf = strconv.AppendUint(e.buf, uint64(v), 10)
	case uint16:
		e.buf = strconv.AppendUint(e.buf, uint64(v), 10)
	case uint8:
		e.buf = strconv.AppendUint(e.buf, uint64(v), 10)
	case float64:
		var err error
		e.buf, err = appendFloat(e.buf, v, 64)
		return err
	case float32:
		var err error
		e.buf, err = appendFloat(e.buf, float64(v), 32)
		return err
	case json.Number:
		return e.number(string(v))
	case *big.Int:
		if v == nil {
			e.buf = append(e.buf, "null"...)
			return nil
		}
		// 3,400 bits hold at least 1,023 digits: such an int is refused
		// before Go formats it (in more than linear time).
		if v.BitLen() > 3400 {
			return fmt.Errorf("%w: a number of more than %d digits exceeds the server's limit", ErrTooLarge, maxNumberLen)
		}
		start := len(e.buf)
		e.buf = v.Append(e.buf, 10)
		if n := len(e.buf) - start; n > maxNumberLen {
			return fmt.Errorf("%w: a number of %d digits exceeds the server's limit of %d", ErrTooLarge, n, maxNumberLen)
		}
	case map[string]any:
		return e.mapAny(v, depth+1)
	case []any:
		return e.within(v, depth, func() error {
			return writeSlice(e, v, depth+1, func(x any) error { return e.value(x, depth+1) })
		})
	case map[string]string:
		if v == nil {
			e.buf = append(e.buf, "null"...) // as encoding/json; metric tags write {} instead
			return nil
		}
		return e.mapString(v, depth+1)
	case []string:
		return writeSlice(e, v, depth+1, e.str)
	case time.Time:
		if y := v.Year(); y < 0 || y >= 10000 {
			return invalidf("time %v: year outside of [0,9999]", v)
		}
		e.buf = append(e.buf, '"')
		e.buf = v.AppendFormat(e.buf, time.RFC3339Nano)
		e.buf = append(e.buf, '"')
	default:
		return e.reflectValue(reflect.ValueOf(v), depth)
	}
	return nil
}

func errDepth() error {
	return fmt.Errorf("%w: nesting deeper than the server's limit of %d", ErrTooLarge, maxDepth)
}

func (e *encoder) number(s string) error {
	if !isJSONNumber(s) {
		return invalidf("json.Number %q is not a JSON number", s)
	}
	if len(s) > maxNumberLen {
		return fmt.Errorf("%w: a number of %d characters exceeds the server's limit of %d", ErrTooLarge, len(s), maxNumberLen)
	}
	e.buf = append(e.buf, s...)
	return nil
}

func (e *encoder) mapAny(m map[string]any, depth int) error {
	if m == nil {
		e.buf = append(e.buf, "null"...)
		return nil
	}
	return e.within(m, depth, func() error {
		return writeMap(e, m, depth, func(v any) error { return e.value(v, depth) }, &e.anyPairs, &e.anyHigh)
	})
}

// outputsObject writes the top-level outputs map (depth 2). Unlike mapAny
// it never records m for cycle detection (a top-level map is below
// cycleCheckFrom), so that m itself does not escape: a map literal built for
// the call can then stay on the caller's stack.
func (e *encoder) outputsObject(m map[string]any) error {
	return writeMap(e, m, 2, func(v any) error { return e.value(v, 2) }, &e.anyPairs, &e.anyHigh)
}

func (e *encoder) mapString(m map[string]string, depth int) error {
	return writeMap(e, m, depth, e.str, &e.strs, &e.strHigh)
}

// writeSlice writes s as an array (null when nil), each element written by
// val; depth is the array's nesting depth.
func writeSlice[V any](e *encoder, s []V, depth int, val func(V) error) error {
	if s == nil {
		e.buf = append(e.buf, "null"...)
		return nil
	}
	return writeElems(e, len(s), depth, func(i int) error { return val(s[i]) })
}

// writeElems writes an array of n elements, element i written by val(i).
func writeElems(e *encoder, n, depth int, val func(int) error) error {
	if depth > maxDepth {
		return errDepth()
	}
	e.buf = append(e.buf, '[')
	for i := range n {
		if i > 0 {
			e.buf = append(e.buf, ',')
		}
		if err := val(i); err != nil {
			return err
		}
	}
	e.buf = append(e.buf, ']')
	return nil
}

// pairs writes alternating keys and values as an object in their order;
// depth is the object's nesting depth.
func (e *encoder) pairs(kv []any, depth int) error {
	if len(kv)%2 != 0 {
		return invalidf("%d arguments: want key/value pairs", len(kv))
	}
	n := len(kv) / 2
	for i := 0; i < len(kv); i += 2 {
		k, ok := kv[i].(string)
		if !ok {
			return invalidf("key %d is a %T, want a string", i/2, kv[i])
		}
		if n <= 32 {
			for j := 0; j < i; j += 2 {
				if kv[j].(string) == k {
					return invalidf("key %q given twice", k)
				}
			}
		}
	}
	if n > 32 {
		start := len(e.strs)
		for i := 0; i < len(kv); i += 2 {
			e.strs = append(e.strs, pair[string]{k: kv[i].(string)})
		}
		e.strHigh = max(e.strHigh, len(e.strs))
		ks := e.strs[start:]
		sortPairs(ks)
		for i := 1; i < len(ks); i++ {
			if ks[i].k == ks[i-1].k {
				e.strs = e.strs[:start]
				return invalidf("key %q given twice", ks[i].k)
			}
		}
		e.strs = e.strs[:start]
	}
	if depth > maxDepth {
		return errDepth()
	}
	e.buf = append(e.buf, '{')
	for i := 0; i < len(kv); i += 2 {
		if i > 0 {
			e.buf = append(e.buf, ',')
		}
		if err := e.key(kv[i].(string)); err != nil {
			return err
		}
		if err := e.value(kv[i+1], depth); err != nil {
			return err
		}
	}
	e.buf = append(e.buf, '}')
	return nil
}

// pair is a map entry collected for sorting.
type pair[V any] struct {
	k string
	v V
}

// writeMap writes m as an object with sorted keys, each value written by
// val; depth is the object's nesting depth. The entries are collected in
// one pass over the map (no lookups afterwards) onto the scratch stack
// *scratch, whose high-water mark is kept in *high, so that a map costs no
// allocation; one entry needs no sort.
func writeMap[V any](e *encoder, m map[string]V, depth int, val func(V) error, scratch *[]pair[V], high *int) error {
	if depth > maxDepth {
		return errDepth()
	}
	switch len(m) {
	case 0:
		e.buf = append(e.buf, "{}"...)
		return nil
	case 1:
		e.buf = append(e.buf, '{')
		for k, v := range m {
			if err := e.key(k); err != nil {
				return err
			}
			if err := val(v); err != nil {
				return err
			}
		}
		e.buf = append(e.buf, '}')
		return nil
	}
	start := len(*scratch)
	for k, v := range m {
		*scratch = append(*scratch, pair[V]{k, v})
	}
	*high = max(*high, len(*scratch))
	ps := (*scratch)[start:]
	sortPairs(ps)
	e.buf = append(e.buf, '{')
	for i := range ps {
		if i > 0 {
			e.buf = append(e.buf, ',')
		}
		if err := e.key(ps[i].k); err != nil {
			return err
		}
		// ps may move if val's nested maps grow the scratch: index it anew.
		if err := val((*scratch)[start+i].v); err != nil {
			return err
		}
	}
	*scratch = (*scratch)[:start]
	e.buf = append(e.buf, '}')
	return nil
}

// keyLess is a < b, deciding on the first byte without a call when it can.
func keyLess(a, b string) bool {
	if len(a) > 0 && len(b) > 0 && a[0] != b[0] {
		return a[0] < b[0]
	}
	return a < b
}

// sortPairs sorts by key: insertion sort for the small maps of most
// messages, slices.SortFunc beyond.
func sortPairs[V any](ps []pair[V]) {
	if len(ps) > 12 {
		slices.SortFunc(ps, func(a, b pair[V]) int { return strings.Compare(a.k, b.k) })
		return
	}
	for i := 1; i < len(ps); i++ {
		for j := i; j > 0 && keyLess(ps[j].k, ps[j-1].k); j-- {
			ps[j], ps[j-1] = ps[j-1], ps[j]
		}
	}
}

// reflectValue handles the types the fast path does not: named and
// composite types by kind; structs and types with their own JSON or text
// form through encoding/json, whose output is then made ASCII-only.
func (e *encoder) reflectValue(rv reflect.Value, depth int) error {
	if !rv.IsValid() {
		e.buf = append(e.buf, "null"...)
		return nil
	}
	t := rv.Type()
	if t.Implements(jsonMarshalerType) || t.Implements(textMarshalerType) ||
		(rv.Kind() != reflect.Pointer && reflect.PointerTo(t).Implements(jsonMarshalerType)) {
		return e.viaEncodingJSON(rv, depth)
	}
	switch rv.Kind() {
	case reflect.Bool:
		e.buf = strconv.AppendBool(e.buf, rv.Bool())
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		e.buf = strconv.AppendInt(e.buf, rv.Int(), 10)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		e.buf = strconv.AppendUint(e.buf, rv.Uint(), 10)
	case reflect.Float32, reflect.Float64:
		var err error
		e.buf, err = appendFloat(e.buf, rv.Float(), t.Bits())
		return err
	case reflect.String:
		if t == reflect.TypeFor[json.Number]() {
			return e.number(rv.String())
		}
		return e.str(rv.String())
	case reflect.Interface, reflect.Pointer:
		if rv.IsNil() {
			e.buf = append(e.buf, "null"...)
			return nil
		}
		return e.indirection(rv, depth)
	case reflect.Slice:
		if rv.IsNil() {
			e.buf = append(e.buf, "null"...)
			return nil
		}
		if t.Elem().Kind() == reflect.Uint8 && !reflect.PointerTo(t.Elem()).Implements(jsonMarshalerType) && !reflect.PointerTo(t.Elem()).Implements(textMarshalerType) {
			// []byte is base64 text, as with encoding/json.
			e.buf = append(e.buf, '"')
			e.buf = base64.StdEncoding.AppendEncode(e.buf, rv.Bytes())
			e.buf = append(e.buf, '"')
			return nil
		}
		return e.within(rv.Interface(), depth, func() error { return e.array(rv, depth+1) })
	case reflect.Array:
		return e.array(rv, depth+1)
	case reflect.Map:
		if rv.IsNil() {
			e.buf = append(e.buf, "null"...)
			return nil
		}
		return e.within(rv.Interface(), depth, func() error { return e.reflectMap(rv, depth+1) })
	case reflect.Struct:
		return e.viaEncodingJSON(rv, depth)
	default:
		return invalidf("a value of type %s cannot be represented in JSON", t)
	}
	return nil
}

// indirection writes what the non-nil pointer or interface rv points to:
// no JSON nesting, but one more step on the path.
func (e *encoder) indirection(rv reflect.Value, depth int) error {
	if e.indirect >= maxIndirections {
		return errIndirections()
	}
	return e.within(rv.Interface(), depth, func() error {
		e.indirect++
		err := e.value(rv.Elem().Interface(), depth)
		e.indirect--
		return err
	})
}

func (e *encoder) array(rv reflect.Value, depth int) error {
	return writeElems(e, rv.Len(), depth, func(i int) error { return e.value(rv.Index(i).Interface(), depth) })
}

// reflectMap writes a map whose keys are strings, integers or
// encoding.TextMarshalers (the rules of encoding/json), sorted by key text.
func (e *encoder) reflectMap(rv reflect.Value, depth int) error {
	if depth > maxDepth {
		return errDepth()
	}
	kt := rv.Type().Key()
	type kv struct {
		k string
		v reflect.Value
	}
	pairs := make([]kv, 0, rv.Len())
	iter := rv.MapRange()
	for iter.Next() {
		k := iter.Key()
		var ks string
		switch {
		case kt.Kind() == reflect.String:
			ks = k.String()
		case kt.Implements(textMarshalerType):
			if k.Kind() == reflect.Pointer && k.IsNil() {
				ks = ""
				break
			}
			text, err := k.Interface().(encoding.TextMarshaler).MarshalText()
			if err != nil {
				return invalidf("map key %v: %v", k, err)
			}
			ks = string(text)
		case kt.Kind() >= reflect.Int && kt.Kind() <= reflect.Int64:
			ks = strconv.FormatInt(k.Int(), 10)
		case kt.Kind() >= reflect.Uint && kt.Kind() <= reflect.Uintptr:
			ks = strconv.FormatUint(k.Uint(), 10)
		default:
			return invalidf("map key type %s: keys must be strings, integers or encoding.TextMarshalers", kt)
		}
		pairs = append(pairs, kv{ks, iter.Value()})
	}
	slices.SortFunc(pairs, func(a, b kv) int {
		switch {
		case a.k < b.k:
			return -1
		case a.k > b.k:
			return 1
		}
		return 0
	})
	e.buf = append(e.buf, '{')
	for i, p := range pairs {
		if i > 0 {
			e.buf = append(e.buf, ',')
		}
		if err := e.key(p.k); err != nil {
			return err
		}
		if err := e.value(p.v.Interface(), depth); err != nil {
			return err
		}
	}
	e.buf = append(e.buf, '}')
	return nil
}

// viaEncodingJSON marshals v with encoding/json and appends the result with
// every non-ASCII character escaped, checking the server's limits.
func (e *encoder) viaEncodingJSON(rv reflect.Value, depth int) error {
	// encoding/json has no nesting limit: a deep or cyclic value would
	// overflow the goroutine stack, which kills the program.
	if err := checkJSONShape(rv, depth); err != nil {
		return err
	}
	var out bytes.Buffer
	enc := json.NewEncoder(&out)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(rv.Interface()); err != nil {
		return invalidf("%v", err)
	}
	raw := bytes.TrimSuffix(out.Bytes(), []byte{'\n'})
	var err error
	e.buf, err = appendASCIIJSON(e.buf, raw, depth)
	return err
}

// appendASCIIJSON appends valid compact JSON, escaping non-ASCII characters
// (and invalid UTF-8 as U+FFFD) inside strings, and enforces the server's
// limits: depth, string values, object keys (as Format writes them, the
// same limit as for map keys) and numbers. depth is the nesting depth of the
// enclosing container. raw is compact (encoding/json's output), so a key is
// a string directly followed by ':'.
func appendASCIIJSON(b, raw []byte, depth int) ([]byte, error) {
	inString := false
	units := 0 // UTF-16 units of the current string
	numLen := 0
	for i := 0; i < len(raw); {
		c := raw[i]
		if inString {
			switch {
			case c == '\\':
				b = append(b, c, raw[i+1])
				// \uXXXX is one unit (a surrogate pair is two escapes), other
				// escapes one.
				if raw[i+1] == 'u' {
					b = append(b, raw[i+2:i+6]...)
					i += 6
				} else {
					i += 2
				}
				units++
				continue
			case c == '"':
				inString = false
				if i+1 < len(raw) && raw[i+1] == ':' {
					if units > maxNameLenFormat {
						return b, fmt.Errorf("%w: a key of %d UTF-16 units exceeds the server's limit of %d", ErrTooLarge, units, maxNameLenFormat)
					}
				} else if units > maxStringLen {
					return b, fmt.Errorf("%w: a string of %d UTF-16 units exceeds the server's limit of %d", ErrTooLarge, units, maxStringLen)
				}
			case c >= utf8.RuneSelf:
				r, size := utf8.DecodeRune(raw[i:])
				if r >= 0x10000 {
					r -= 0x10000
					b = appendU4(b, 0xd800+(r>>10))
					b = appendU4(b, 0xdc00+(r&0x3ff))
					units += 2
				} else {
					b = appendU4(b, r)
					units++
				}
				i += size
				continue
			case c < 0x20 || c == 0x7f:
				b = appendU4(b, rune(c))
				units++
				i++
				continue
			default:
				units++
			}
			b = append(b, c)
			i++
			continue
		}
		switch {
		case c == '"':
			inString = true
			units = 0
		case c == '{' || c == '[':
			depth++
			if depth > maxDepth {
				return b, errDepth()
			}
		case c == '}' || c == ']':
			depth--
		case c == '-' || c == '+' || c == '.' || (c >= '0' && c <= '9') || c == 'e' || c == 'E':
			numLen++
			if numLen > maxNumberLen {
				return b, fmt.Errorf("%w: a number exceeds the server's limit of %d characters", ErrTooLarge, maxNumberLen)
			}
			b = append(b, c)
			i++
			continue
		}
		numLen = 0
		b = append(b, c)
		i++
	}
	return b, nil
}

// isJSONNumber reports whether s is a number token of strict JSON.
func isJSONNumber(s string) bool {
	n, ok := scanNumber(s, 0)
	return ok && n == len(s)
}

// scanNumber scans a strict JSON number at s[i:] and returns its end.
func scanNumber(s string, i int) (int, bool) {
	if i < len(s) && s[i] == '-' {
		i++
	}
	switch {
	case i >= len(s):
		return i, false
	case s[i] == '0':
		i++
	case s[i] >= '1' && s[i] <= '9':
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
	default:
		return i, false
	}
	if i < len(s) && s[i] == '.' {
		i++
		d := i
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
		if i == d {
			return i, false
		}
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		d := i
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
		if i == d {
			return i, false
		}
	}
	return i, true
}
