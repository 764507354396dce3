package ion

import (
	"bufio"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"math"
	"math/big"
	"os"
	"reflect"
	"slices"
	"strconv"
	"time"
	"unicode/utf8"
)

// Time wrappers choose how [Writer] writes a time.Time, following the Java
// type Kestra would have (see the package documentation for the text).
// Convert a time.Time to one: ion.LocalDate(t). A plain time.Time is written
// as an Instant. Reading gives back time.Time for each of them.
type (
	// Instant is written as an Ion timestamp in UTC with millisecond
	// precision, as Kestra writes java.time.Instant: sub-millisecond
	// digits are dropped and the offset is not kept.
	Instant time.Time
	// LocalDate is written as a day-precision Ion timestamp of t's date
	// (in t's own location), as Kestra writes java.time.LocalDate.
	LocalDate time.Time
	// LocalDateTime is written as LocalDateTime::"2024-04-21T13:43:24.34":
	// t's wall clock, without offset.
	LocalDateTime time.Time
	// OffsetDateTime is written as OffsetDateTime::"2024-04-21T13:43:24.34+02:00".
	OffsetDateTime time.Time
	// ZonedDateTime is written as
	// ZonedDateTime::"2024-04-21T13:43:24.34+02:00[Europe/Paris]"; the
	// region is t.Location()'s name when it is one (not for UTC, Local or
	// unnamed fixed zones).
	ZonedDateTime time.Time
	// LocalTime is written as LocalTime::"15:30:00.123456" (t's wall clock).
	LocalTime time.Time
	// OffsetTime is written as OffsetTime::"13:43:24.34-05:30".
	OffsetTime time.Time
)

// A Writer writes rows as Ion text the way Kestra does (FileSerde): one
// value per line, no version marker, no spaces; ints as Ion ints, floats with
// an exponent (1.5e0; a bare 1.5 would be a decimal), NaN and infinities as
// nan, +inf and -inf, *[Decimal] as decimals, []byte as blobs, time.Time as
// a UTC millisecond timestamp (see [Instant] and the other time wrappers),
// maps (keys sorted) and structs (fields in order, `ion:"name,omitempty"`
// tags) as structs, slices and arrays as lists, [Annotated] values with their
// annotations, time.Duration as decimal seconds with nine fraction digits
// (as Kestra writes a java.time.Duration: 2s is 2.000000000).
// Strings are escaped as ion-java escapes them. Call Flush at the end.
type Writer struct {
	w   *bufio.Writer
	buf []byte
	err error
}

// NewWriter returns a Writer writing to w.
func NewWriter(w io.Writer) *Writer {
	return &Writer{w: bufio.NewWriter(w)}
}

// Write writes one top-level value followed by a newline: usually a row (a
// map with string keys or a struct, or a pointer to one), but any value
// the Writer takes can be a row, as in Kestra's files (a list per CSV row,
// a bare value in a KV file). A value that cannot be written is an error
// naming its field, and nothing of that row is written.
func (w *Writer) Write(row any) error {
	if w.err != nil {
		return w.err
	}
	rv := reflect.ValueOf(row)
	if !rv.IsValid() {
		return errors.New("ion: write row: nil") // Kestra's FileSerde skips null rows
	}
	for rv.Kind() == reflect.Pointer || rv.Kind() == reflect.Interface {
		if rv.IsNil() {
			return errors.New("ion: write row: nil")
		}
		rv = rv.Elem()
	}
	b, err := appendValue(w.buf[:0], rv, "", 0)
	if err != nil {
		return fmt.Errorf("ion: write row: %w", err)
	}
	b = append(b, '\n')
	w.buf = b
	if _, err := w.w.Write(b); err != nil {
		w.err = fmt.Errorf("ion: write: %w", err)
		return w.err
	}
	return nil
}

// Flush writes buffered data to the underlying writer.
func (w *Writer) Flush() error {
	if w.err != nil {
		return w.err
	}
	if err := w.w.Flush(); err != nil {
		w.err = fmt.Errorf("ion: write: %w", err)
	}
	return w.err
}

// WriteFile writes rows to a new file at path (see [Writer]).
func WriteFile[T any](path string, rows []T) error {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("ion: %w", err)
	}
	w := NewWriter(f)
	for _, r := range rows {
		if err := w.Write(r); err != nil {
			f.Close()
			return err
		}
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("ion: %w", err)
	}
	return nil
}

var (
	durationType  = reflect.TypeFor[time.Duration]()
	annotatedType = reflect.TypeFor[Annotated]()
	bigIntValType = reflect.TypeFor[big.Int]()
	decimalValTyp = reflect.TypeFor[Decimal]()
)

func isTimeKind(t reflect.Type) bool {
	switch t {
	case timeType, reflect.TypeFor[Instant](), reflect.TypeFor[LocalDate](), reflect.TypeFor[LocalDateTime](),
		reflect.TypeFor[OffsetDateTime](), reflect.TypeFor[ZonedDateTime](), reflect.TypeFor[LocalTime](),
		reflect.TypeFor[OffsetTime]():
		return true
	}
	return false
}

func fieldErr(path string, err error) error {
	if path == "" {
		return err
	}
	return fmt.Errorf("field %s: %w", path, err)
}

func appendValue(b []byte, v reflect.Value, path string, depth int) ([]byte, error) {
	if depth > maxDepth {
		return b, fieldErr(path, errTooDeep)
	}
	if !v.IsValid() {
		return append(b, "null"...), nil
	}
	if !v.CanInterface() {
		return b, fieldErr(path, errors.New("reached through an unexported embedded struct"))
	}
	t := v.Type()
	switch t {
	case bigIntType:
		if v.IsNil() {
			return append(b, "null"...), nil
		}
		return v.Interface().(*big.Int).Append(b, 10), nil
	case decimalType:
		if v.IsNil() {
			return append(b, "null"...), nil
		}
		return append(b, v.Interface().(*Decimal).String()...), nil
	case bigIntValType, decimalValTyp:
		if v.CanAddr() {
			return appendValue(b, v.Addr(), path, depth)
		}
		p := reflect.New(t)
		p.Elem().Set(v)
		return appendValue(b, p, path, depth)
	case durationType:
		return appendDuration(b, time.Duration(v.Int())), nil
	case annotatedType:
		a := v.Interface().(Annotated)
		for _, s := range a.Annotations {
			b = appendSymbol(b, s)
			b = append(b, "::"...)
		}
		return appendValue(b, reflect.ValueOf(a.Value), path, depth+1)
	case bytesType:
		if v.IsNil() {
			return append(b, "null"...), nil
		}
		b = append(b, "{{"...)
		b = base64.StdEncoding.AppendEncode(b, v.Bytes())
		return append(b, "}}"...), nil
	}
	if isTimeKind(t) {
		return appendTime(b, v, path)
	}
	switch t.Kind() {
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			return append(b, "null"...), nil
		}
		return appendValue(b, v.Elem(), path, depth+1)
	case reflect.Bool:
		return strconv.AppendBool(b, v.Bool()), nil
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return strconv.AppendInt(b, v.Int(), 10), nil
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return strconv.AppendUint(b, v.Uint(), 10), nil
	case reflect.Float32:
		return appendFloat(b, v.Float(), 32), nil
	case reflect.Float64:
		return appendFloat(b, v.Float(), 64), nil
	case reflect.String:
		return appendString(b, v.String(), '"', path)
	case reflect.Slice, reflect.Array:
		if t.Kind() == reflect.Slice && v.IsNil() {
			return append(b, "null"...), nil
		}
		b = append(b, '[')
		for i := 0; i < v.Len(); i++ {
			if i > 0 {
				b = append(b, ',')
			}
			var err error
			if b, err = appendValue(b, v.Index(i), path+"["+strconv.Itoa(i)+"]", depth+1); err != nil {
				return b, err
			}
		}
		return append(b, ']'), nil
	case reflect.Map:
		if t.Key().Kind() != reflect.String {
			return b, fieldErr(path, fmt.Errorf("map key type %s is not a string", t.Key()))
		}
		if v.IsNil() {
			return append(b, "null"...), nil
		}
		keys := v.MapKeys()
		slices.SortFunc(keys, func(x, y reflect.Value) int {
			if x.String() < y.String() {
				return -1
			}
			if x.String() > y.String() {
				return 1
			}
			return 0
		})
		b = append(b, '{')
		for i, k := range keys {
			if i > 0 {
				b = append(b, ',')
			}
			var err error
			if b, err = appendField(b, k.String(), v.MapIndex(k), path, depth); err != nil {
				return b, err
			}
		}
		return append(b, '}'), nil
	case reflect.Struct:
		b = append(b, '{')
		first := true
		for _, f := range structFields(t) {
			fv, err := v.FieldByIndexErr(f.index)
			if err != nil {
				continue // through a nil embedded pointer
			}
			if f.omit && fv.IsZero() {
				continue
			}
			if !first {
				b = append(b, ',')
			}
			first = false
			if b, err = appendField(b, f.name, fv, path, depth); err != nil {
				return b, err
			}
		}
		return append(b, '}'), nil
	}
	return b, fieldErr(path, fmt.Errorf("cannot write a %s", t))
}

func appendField(b []byte, name string, v reflect.Value, path string, depth int) ([]byte, error) {
	if !utf8.ValidString(name) {
		return b, fieldErr(path, fmt.Errorf("field name %q is not valid UTF-8", name))
	}
	b = appendSymbol(b, name)
	b = append(b, ':')
	return appendValue(b, v, joinPath(path, name), depth+1)
}

// appendSymbol writes a field name or annotation, quoted unless it is an
// identifier that cannot be mistaken for a keyword or a symbol ID.
func appendSymbol(b []byte, s string) []byte {
	if needsQuotes(s) {
		b, _ = appendString(b, s, '\'', "")
		return b
	}
	return append(b, s...)
}

func needsQuotes(s string) bool {
	if s == "" || s[0] == '$' || !isIdentStart(s[0]) {
		return true
	}
	for i := 1; i < len(s); i++ {
		if !isIdentPart(s[i]) {
			return true
		}
	}
	switch s {
	case "null", "true", "false", "nan":
		return true
	}
	return false
}

const hexDigits = "0123456789abcdef"

// appendString writes s quoted with q, escaped as ion-java's text writer
// does: the C escapes, \xHH for other control characters, DEL and U+0080 to
// U+009F, everything else as UTF-8.
func appendString(b []byte, s string, q byte, path string) ([]byte, error) {
	b = append(b, q)
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			i++
			switch c {
			case q, '\\':
				b = append(b, '\\', c)
			case 0:
				b = append(b, '\\', '0')
			case '\a':
				b = append(b, '\\', 'a')
			case '\b':
				b = append(b, '\\', 'b')
			case '\t':
				b = append(b, '\\', 't')
			case '\n':
				b = append(b, '\\', 'n')
			case '\v':
				b = append(b, '\\', 'v')
			case '\f':
				b = append(b, '\\', 'f')
			case '\r':
				b = append(b, '\\', 'r')
			default:
				if c < 0x20 || c == 0x7f {
					b = append(b, '\\', 'x', hexDigits[c>>4], hexDigits[c&15])
				} else {
					b = append(b, c)
				}
			}
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n == 1 {
			return b, fieldErr(path, fmt.Errorf("string is not valid UTF-8 at byte %d", i))
		}
		if r <= 0x9f {
			b = append(b, '\\', 'x', hexDigits[r>>4], hexDigits[r&15])
		} else {
			b = append(b, s[i:i+n]...)
		}
		i += n
	}
	return append(b, q), nil
}

// appendFloat writes a float with an exponent: 1.5e0, 1e10, -2.5e-7.
func appendFloat(b []byte, f float64, bits int) []byte {
	switch {
	case math.IsNaN(f):
		return append(b, "nan"...)
	case math.IsInf(f, 1):
		return append(b, "+inf"...)
	case math.IsInf(f, -1):
		return append(b, "-inf"...)
	}
	start := len(b)
	b = strconv.AppendFloat(b, f, 'e', -1, bits)
	// Go writes e+00 / e-07; Ion's convention (and Kestra's) is e0 / e-7.
	e := start
	for e < len(b) && b[e] != 'e' {
		e++
	}
	exp := b[e+1:]
	neg := exp[0] == '-'
	digits := exp[1:]
	for len(digits) > 1 && digits[0] == '0' {
		digits = digits[1:]
	}
	out := b[:e+1]
	if neg {
		out = append(out, '-')
	}
	return append(out, digits...)
}

func appendTime(b []byte, v reflect.Value, path string) ([]byte, error) {
	var t time.Time
	switch x := v.Interface().(type) {
	case time.Time:
		t = x
	case Instant:
		t = time.Time(x)
	case LocalDate:
		t = time.Time(x)
		if t.Year() < 1 || t.Year() > 9999 {
			return b, fieldErr(path, fmt.Errorf("year %d is outside Ion timestamps' 1-9999", t.Year()))
		}
		return t.AppendFormat(b, "2006-01-02"), nil
	case LocalDateTime:
		b = append(b, `LocalDateTime::"`...)
		b = appendISODate(b, time.Time(x))
		b = append(b, 'T')
		b = appendISOClock(b, time.Time(x))
		return append(b, '"'), nil
	case OffsetDateTime, ZonedDateTime:
		var zoned bool
		if z, ok := x.(ZonedDateTime); ok {
			t, zoned = time.Time(z), true
			b = append(b, `ZonedDateTime::"`...)
		} else {
			t = time.Time(x.(OffsetDateTime))
			b = append(b, `OffsetDateTime::"`...)
		}
		b = appendISODate(b, t)
		b = append(b, 'T')
		b = appendISOClock(b, t)
		b = appendISOOffset(b, t)
		if name := t.Location().String(); zoned && name != "" && name != "UTC" && name != "Local" {
			b = append(b, '[')
			b = append(b, name...)
			b = append(b, ']')
		}
		return append(b, '"'), nil
	case LocalTime:
		b = append(b, `LocalTime::"`...)
		b = appendISOClock(b, time.Time(x))
		return append(b, '"'), nil
	case OffsetTime:
		b = append(b, `OffsetTime::"`...)
		b = appendISOClock(b, time.Time(x))
		b = appendISOOffset(b, time.Time(x))
		return append(b, '"'), nil
	}
	t = t.UTC()
	if t.Year() < 1 || t.Year() > 9999 {
		return b, fieldErr(path, fmt.Errorf("year %d is outside Ion timestamps' 1-9999", t.Year()))
	}
	return t.AppendFormat(b, "2006-01-02T15:04:05.000Z"), nil
}

// appendISODate writes java.time's ISO date: four digits, a sign beyond.
func appendISODate(b []byte, t time.Time) []byte {
	y := t.Year()
	switch {
	case y > 9999:
		b = append(b, '+')
		b = strconv.AppendInt(b, int64(y), 10)
	case y < 0:
		b = append(b, '-')
		b = appendPadded(b, -y, 4)
	default:
		b = appendPadded(b, y, 4)
	}
	b = append(b, '-')
	b = appendPadded(b, int(t.Month()), 2)
	b = append(b, '-')
	return appendPadded(b, t.Day(), 2)
}

func appendPadded(b []byte, n, width int) []byte {
	s := strconv.Itoa(n)
	for i := len(s); i < width; i++ {
		b = append(b, '0')
	}
	return append(b, s...)
}

// appendISOClock writes HH:mm:ss and the fraction without trailing zeros.
func appendISOClock(b []byte, t time.Time) []byte {
	b = appendPadded(b, t.Hour(), 2)
	b = append(b, ':')
	b = appendPadded(b, t.Minute(), 2)
	b = append(b, ':')
	b = appendPadded(b, t.Second(), 2)
	if ns := t.Nanosecond(); ns != 0 {
		f := []byte(fmt.Sprintf("%09d", ns))
		for f[len(f)-1] == '0' {
			f = f[:len(f)-1]
		}
		b = append(b, '.')
		b = append(b, f...)
	}
	return b
}

func appendISOOffset(b []byte, t time.Time) []byte {
	_, off := t.Zone()
	if off == 0 {
		return append(b, 'Z')
	}
	if off < 0 {
		b = append(b, '-')
		off = -off
	} else {
		b = append(b, '+')
	}
	b = appendPadded(b, off/3600, 2)
	b = append(b, ':')
	b = appendPadded(b, off/60%60, 2)
	if off%60 != 0 {
		b = append(b, ':')
		b = appendPadded(b, off%60, 2)
	}
	return b
}
