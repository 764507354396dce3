package ion

import (
	"errors"
	"fmt"
	"math/big"
	"strconv"
	"strings"
	"sync"
	"time"

	ionlib "github.com/amazon-ion/ion-go/ion"
)

// Decimal is the Ion library's arbitrary-precision decimal, returned for Ion
// decimals with [ExactDecimals] and written as an Ion decimal by [Writer].
// Build one with [ParseDecimal], [NewDecimalInt] or the library's NewDecimal
// (coefficient and exponent).
type Decimal = ionlib.Decimal

// MustParseDecimal is ParseDecimal for constants: it panics on bad input.
func MustParseDecimal(s string) *Decimal { return ionlib.MustParseDecimal(s) }

// ParseDecimal parses an Ion decimal literal such as "24000.000000", "100."
// or "123d-10" (Go-style "1.5" works too).
func ParseDecimal(s string) (*Decimal, error) { return ionlib.ParseDecimal(s) }

// Annotated is a value with annotations other than Kestra's seven time
// annotations; it is returned only with [KeepAnnotations], and [Writer]
// writes it as annotations::value.
type Annotated struct {
	Annotations []string
	Value       any
}

// ErrNotStruct is wrapped by the error for a top-level value that is not a
// struct: Kestra's and the Python client's readers expect one row (struct)
// per top-level value.
var ErrNotStruct = errors.New("top-level value is not a struct")

// Error is a read error with its position. Row is the 0-based index of the
// top-level value being read; Offset is the byte offset where that value
// starts (-1 when unknown, e.g. inside binary Ion) and Line its 1-based line
// (0 when unknown); Path names the field within the row ("a.b[2]") when the
// problem is a value that cannot be converted.
type Error struct {
	Row    int
	Offset int64
	Line   int
	Path   string
	Err    error
}

// Error formats the position, then the cause.
func (e *Error) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "ion: row %d", e.Row)
	switch {
	case e.Line > 0 && e.Offset >= 0:
		fmt.Fprintf(&b, " (line %d, byte %d)", e.Line, e.Offset)
	case e.Offset >= 0:
		fmt.Fprintf(&b, " (byte %d)", e.Offset)
	}
	if e.Path != "" {
		fmt.Fprintf(&b, ", field %s", e.Path)
	}
	b.WriteString(": ")
	b.WriteString(e.Err.Error())
	return b.String()
}

// Unwrap returns the cause: an Ion library error, a conversion error,
// [ErrNotStruct], or the input's read error.
func (e *Error) Unwrap() error { return e.Err }

// The seven annotations Kestra's IonParser turns into java.time values.
const (
	annInstant        = "Instant"
	annOffsetDateTime = "OffsetDateTime"
	annZonedDateTime  = "ZonedDateTime"
	annLocalDateTime  = "LocalDateTime"
	annLocalDate      = "LocalDate"
	annOffsetTime     = "OffsetTime"
	annLocalTime      = "LocalTime"
)

func isTimeAnnotation(a string) bool {
	switch a {
	case annInstant, annOffsetDateTime, annZonedDateTime, annLocalDateTime,
		annLocalDate, annOffsetTime, annLocalTime:
		return true
	}
	return false
}

var fixedZones sync.Map // int offset seconds -> *time.Location

// fixedZone returns a shared unnamed location for a UTC offset, time.UTC for 0.
func fixedZone(off int) *time.Location {
	if off == 0 {
		return time.UTC
	}
	if l, ok := fixedZones.Load(off); ok {
		return l.(*time.Location)
	}
	l, _ := fixedZones.LoadOrStore(off, time.FixedZone("", off))
	return l.(*time.Location)
}

var regions sync.Map // region name -> *time.Location, only names the machine's zone data knows

// Region names the zone data lacks, so that a file repeating one does not
// search the zone data again for every value (time.LoadLocation takes 80 µs
// to miss, 200 µs for a name such as tzdata.zi that is a file but no zone:
// a file of such values read at a few hundred KB/s). Bounded: a hostile
// input's names would grow it without end, so it starts over when full.
var (
	missesMu sync.Mutex
	misses   = map[string]bool{}
)

const maxMisses = 1024

func regionMissing(name string) bool {
	missesMu.Lock()
	defer missesMu.Unlock()
	return misses[name]
}

func addRegionMissing(name string) {
	missesMu.Lock()
	defer missesMu.Unlock()
	if len(misses) >= maxMisses {
		clear(misses)
	}
	misses[name] = true
}

// regionZone loads a region such as Europe/Paris; when the machine has no
// time zone data for it, it returns a fixed zone carrying the region's name
// and the offset the value was written with.
//
// name may point into the input (the fast path parses in place), so it is
// copied before anything keeps it: a cache key or a Location name aliasing a
// caller's buffer would change when the buffer is reused. Only known regions
// are cached, a finite set; the names of a hostile input would otherwise
// grow the cache without bound.
func regionZone(name string, off int) *time.Location {
	if l, ok := regions.Load(name); ok {
		return l.(*time.Location)
	}
	if name == "Local" || name == "" || regionMissing(name) {
		return time.FixedZone(strings.Clone(name), off)
	}
	name = strings.Clone(name)
	loc, err := time.LoadLocation(name)
	if err != nil {
		addRegionMissing(name)
		return time.FixedZone(name, off)
	}
	l, _ := regions.LoadOrStore(name, loc)
	return l.(*time.Location)
}

// timestampKind says what offset an Ion timestamp carries.
type timestampKind uint8

const (
	tsDate    timestampKind = iota // year, month or day precision: no time, no offset
	tsUnknown                      // a time with offset -00:00: UTC, local offset unknown
	tsUTC                          // Z or +00:00
	tsOffset                       // another offset
)

// ionTimestamp builds the time.Time for an Ion timestamp from its fields; the
// fast parser and the library walk both come here.
func (c *config) ionTimestamp(y, mo, d, h, mi, s, ns int, kind timestampKind, off int) time.Time {
	switch kind {
	case tsDate:
		return time.Date(y, time.Month(mo), d, 0, 0, 0, 0, c.localLoc)
	case tsOffset:
		return time.Date(y, time.Month(mo), d, h, mi, s, ns, fixedZone(off))
	default:
		return time.Date(y, time.Month(mo), d, h, mi, s, ns, time.UTC)
	}
}

// libTimestamp converts the library's timestamp the same way.
func (c *config) libTimestamp(ts *ionlib.Timestamp) time.Time {
	t := ts.GetDateTime()
	if ts.GetPrecision() <= ionlib.TimestampPrecisionDay {
		return c.ionTimestamp(t.Year(), int(t.Month()), t.Day(), 0, 0, 0, 0, tsDate, 0)
	}
	switch ts.GetTimezoneKind() {
	case ionlib.TimezoneLocal:
		_, off := t.Zone()
		if off != 0 {
			return t.In(fixedZone(off))
		}
	}
	return t.UTC()
}

// decimalFloat converts Ion decimal text ("1.5", "100.", "1d3", "-0d-1") to
// the nearest float64; overflow gives ±Inf (as Python's float() does).
func decimalFloat(text string) (float64, error) {
	if i := strings.IndexAny(text, "dD"); i >= 0 {
		text = text[:i] + "e" + text[i+1:]
	}
	f, err := strconv.ParseFloat(text, 64)
	if err != nil {
		var ne *strconv.NumError
		if errors.As(err, &ne) && ne.Err == strconv.ErrRange {
			return f, nil
		}
		return 0, err
	}
	return f, nil
}

// annotatedTime converts the text of a string annotated with one of Kestra's
// time annotations, following java.time's ISO formats.
func (c *config) annotatedTime(ann, s string) (time.Time, error) {
	p := isoParser{s: s}
	var t time.Time
	ok := false
	switch ann {
	case annLocalDateTime:
		t, ok = p.dateTime(c.localLoc, false)
	case annOffsetDateTime:
		t, ok = p.dateTime(nil, false)
	case annZonedDateTime:
		t, ok = p.dateTime(nil, true)
	case annInstant:
		t, ok = p.dateTime(nil, false)
		t = t.UTC()
	case annLocalDate:
		var y, mo, d int
		if y, mo, d, ok = p.date(); ok {
			t = time.Date(y, time.Month(mo), d, 0, 0, 0, 0, c.localLoc)
		}
	case annLocalTime, annOffsetTime:
		var h, mi, sec, ns int
		if h, mi, sec, ns, ok = p.clock(); ok {
			loc := c.localLoc
			if ann == annOffsetTime {
				var off int
				if off, ok = p.offset(); ok {
					loc = fixedZone(off)
				}
			}
			t = time.Date(0, 1, 1, h, mi, sec, ns, loc)
		}
	}
	if !ok || p.i != len(s) {
		return time.Time{}, fmt.Errorf("invalid %s %q", ann, s)
	}
	return t, nil
}

// isoString implements ParseISOStrings: the Python client's pattern
// ^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?$ .
func (c *config) isoString(s string) (time.Time, bool) {
	if len(s) < 19 || s[4] != '-' || s[10] != 'T' || s[13] != ':' || s[16] != ':' {
		return time.Time{}, false
	}
	for _, i := range []int{0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18} {
		if s[i] < '0' || s[i] > '9' {
			return time.Time{}, false
		}
	}
	rest := s[19:]
	if len(rest) > 0 && rest[0] == '.' {
		j := 1
		for j < len(rest) && rest[j] >= '0' && rest[j] <= '9' {
			j++
		}
		if j == 1 {
			return time.Time{}, false
		}
		rest = rest[j:]
	}
	var loc *time.Location
	switch {
	case rest == "":
		loc = c.localLoc
	case rest == "Z":
	case len(rest) == 6 && (rest[0] == '+' || rest[0] == '-') && rest[3] == ':' &&
		isDigit(rest[1]) && isDigit(rest[2]) && isDigit(rest[4]) && isDigit(rest[5]):
	default:
		return time.Time{}, false
	}
	p := isoParser{s: s}
	t, ok := p.dateTime(loc, false)
	if !ok || p.i != len(s) {
		return time.Time{}, false
	}
	return t, true
}

func isDigit(b byte) bool { return b >= '0' && b <= '9' }

// isoParser reads java.time ISO-8601 text.
type isoParser struct {
	s string
	i int
}

func (p *isoParser) num(n int) (int, bool) {
	if p.i+n > len(p.s) {
		return 0, false
	}
	v := 0
	for k := 0; k < n; k++ {
		b := p.s[p.i+k]
		if !isDigit(b) {
			return 0, false
		}
		v = v*10 + int(b-'0')
	}
	p.i += n
	return v, true
}

func (p *isoParser) lit(b byte) bool {
	if p.i < len(p.s) && p.s[p.i] == b {
		p.i++
		return true
	}
	return false
}

// date reads [+-]yyyy-MM-dd (a sign and more digits for years beyond 9999).
func (p *isoParser) date() (y, mo, d int, ok bool) {
	neg := false
	signed := false
	if p.i < len(p.s) && (p.s[p.i] == '+' || p.s[p.i] == '-') {
		neg = p.s[p.i] == '-'
		signed = true
		p.i++
	}
	start := p.i
	for p.i < len(p.s) && isDigit(p.s[p.i]) && p.i-start < 9 {
		y = y*10 + int(p.s[p.i]-'0')
		p.i++
	}
	n := p.i - start
	if n < 4 || (n > 4 && !signed) {
		return 0, 0, 0, false
	}
	if neg {
		y = -y
	}
	if !p.lit('-') {
		return 0, 0, 0, false
	}
	if mo, ok = p.num(2); !ok || !p.lit('-') {
		return 0, 0, 0, false
	}
	if d, ok = p.num(2); !ok {
		return 0, 0, 0, false
	}
	if mo < 1 || mo > 12 || d < 1 || d > daysIn(y, mo) {
		return 0, 0, 0, false
	}
	return y, mo, d, true
}

func daysIn(y, mo int) int {
	return time.Date(y, time.Month(mo)+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// clock reads HH:mm[:ss[.fffffffff]].
func (p *isoParser) clock() (h, mi, s, ns int, ok bool) {
	if h, ok = p.num(2); !ok || !p.lit(':') {
		return 0, 0, 0, 0, false
	}
	if mi, ok = p.num(2); !ok {
		return 0, 0, 0, 0, false
	}
	if p.lit(':') {
		if s, ok = p.num(2); !ok {
			return 0, 0, 0, 0, false
		}
		if p.lit('.') {
			start := p.i
			scale := 100000000
			for p.i < len(p.s) && isDigit(p.s[p.i]) {
				if p.i-start >= 9 {
					return 0, 0, 0, 0, false
				}
				ns += int(p.s[p.i]-'0') * scale
				scale /= 10
				p.i++
			}
			if p.i == start {
				return 0, 0, 0, 0, false
			}
		}
	}
	if h > 23 || mi > 59 || s > 59 {
		return 0, 0, 0, 0, false
	}
	return h, mi, s, ns, true
}

// offset reads Z or ±HH:MM[:SS].
func (p *isoParser) offset() (int, bool) {
	if p.lit('Z') {
		return 0, true
	}
	if p.i >= len(p.s) || (p.s[p.i] != '+' && p.s[p.i] != '-') {
		return 0, false
	}
	sign := 1
	if p.s[p.i] == '-' {
		sign = -1
	}
	p.i++
	h, ok := p.num(2)
	if !ok || !p.lit(':') {
		return 0, false
	}
	m, ok := p.num(2)
	if !ok {
		return 0, false
	}
	sec := 0
	if p.lit(':') {
		if sec, ok = p.num(2); !ok {
			return 0, false
		}
	}
	if h > 18 || m > 59 || sec > 59 || (h == 18 && (m > 0 || sec > 0)) {
		return 0, false
	}
	return sign * (h*3600 + m*60 + sec), true
}

// dateTime reads a date, 'T', a clock, then: nothing when loc is given
// (LocalDateTime), else an offset, then when zoned an optional [Region].
func (p *isoParser) dateTime(loc *time.Location, zoned bool) (time.Time, bool) {
	y, mo, d, ok := p.date()
	if !ok || !p.lit('T') {
		return time.Time{}, false
	}
	h, mi, s, ns, ok := p.clock()
	if !ok {
		return time.Time{}, false
	}
	if loc != nil {
		return time.Date(y, time.Month(mo), d, h, mi, s, ns, loc), true
	}
	off, ok := p.offset()
	if !ok {
		return time.Time{}, false
	}
	t := time.Date(y, time.Month(mo), d, h, mi, s, ns, fixedZone(off))
	if zoned && p.lit('[') {
		end := strings.IndexByte(p.s[p.i:], ']')
		if end <= 0 {
			return time.Time{}, false
		}
		name := p.s[p.i : p.i+end]
		p.i += end + 1
		t = t.In(regionZone(name, off))
	}
	return t, true
}

// convertText applies the string-level conversions shared by both readers:
// a time annotation (first annotation only, as Kestra), then ISO strings.
func (c *config) convertText(anns []string, s string, isString bool) (any, error) {
	if len(anns) > 0 && isTimeAnnotation(anns[0]) {
		t, err := c.annotatedTime(anns[0], s)
		if err != nil {
			return nil, err
		}
		return t, nil
	}
	if isString && c.isoStrings {
		if t, ok := c.isoString(s); ok {
			return t, nil
		}
	}
	return c.wrap(anns, s), nil
}

// wrap applies KeepAnnotations to a converted value.
func (c *config) wrap(anns []string, v any) any {
	if c.keepAnnotations && len(anns) > 0 {
		return Annotated{Annotations: anns, Value: v}
	}
	return v
}

// NewDecimalInt returns the decimal for an integer.
func NewDecimalInt(n int64) *Decimal { return ionlib.NewDecimalInt(n) }

func newDecimal(n *big.Int, exp int32) *Decimal { return ionlib.NewDecimal(n, exp, false) }
