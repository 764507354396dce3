package javatime

import (
	"strconv"
	"time"
)

// FormatInstant formats t as java.time.Instant.toString does: in UTC,
// "yyyy-MM-ddTHH:mm:ss" (seconds always written), then a fraction of 3, 6
// or 9 digits only when not zero, then "Z". Years past 9999 are written
// with a '+' ("+10000-01-01T00:00:00Z"), negative years with at least four
// digits ("-0001-...").
func FormatInstant(t time.Time) string { return string(AppendInstant(make([]byte, 0, 32), t)) }

// AppendInstant appends t as FormatInstant writes it.
func AppendInstant(b []byte, t time.Time) []byte {
	t = t.UTC()
	year, month, day := t.Date()
	hour, minute, sec := t.Clock()
	b = appendYear(b, year)
	b = append(b, '-')
	b = appendDigits(b, int(month), 2)
	b = append(b, '-')
	b = appendDigits(b, day, 2)
	b = append(b, 'T')
	b = appendDigits(b, hour, 2)
	b = append(b, ':')
	b = appendDigits(b, minute, 2)
	b = append(b, ':')
	b = appendDigits(b, sec, 2)
	switch ns := t.Nanosecond(); {
	case ns == 0:
	case ns%1_000_000 == 0:
		b = appendDigits(append(b, '.'), ns/1_000_000, 3)
	case ns%1_000 == 0:
		b = appendDigits(append(b, '.'), ns/1_000, 6)
	default:
		b = appendDigits(append(b, '.'), ns, 9)
	}
	return append(b, 'Z')
}

// appendYear writes a year as LocalDate.toString does.
func appendYear(b []byte, year int) []byte {
	switch {
	case year > 9999:
		return strconv.AppendInt(append(b, '+'), int64(year), 10)
	case year < -9999:
		return strconv.AppendInt(b, int64(year), 10)
	case year < 0:
		return appendDigits(append(b, '-'), -year, 4)
	}
	return appendDigits(b, year, 4)
}

// appendDigits appends n (≥ 0) zero-padded to width digits (at most 9).
func appendDigits(b []byte, n, width int) []byte {
	var buf [9]byte
	for i := width - 1; i >= 0; i-- {
		buf[i] = byte('0' + n%10)
		n /= 10
	}
	return append(b, buf[:width]...)
}

// maxInstantYear is the year of Instant.MAX (and minus that of Instant.MIN).
const maxInstantYear = 1_000_000_000

// ParseInstant parses text as java.time.Instant.parse does
// (DateTimeFormatter.ISO_INSTANT, strict, case-insensitive): a date
// yyyy-MM-dd (a year of more than four digits needs a sign, a '+' needs
// more than four digits), 'T', HH:mm:ss (seconds required), an optional
// '.' and up to 9 fraction digits, then 'Z' or an offset ±HH:MM[:SS] (at
// most 18 hours), which is applied. Dates that do not exist (February 30)
// are refused; "24:00:00" is midnight of the next day and the leap second
// "23:59:60" is read as 23:59:59, as Java does. The result is in UTC and
// within Instant.MIN and Instant.MAX (years -1000000000 to +1000000000).
func ParseInstant(text string) (time.Time, error) {
	fail := func() (time.Time, error) {
		return time.Time{}, &ParseError{Text: text, Msg: "Text '" + text + "' could not be parsed"}
	}
	p := parser{s: text}
	year, ok := p.year()
	if !ok || !p.lit('-') {
		return fail()
	}
	month, ok1 := p.digits(2)
	ok2 := p.lit('-')
	day, ok3 := p.digits(2)
	ok4 := p.litFold('T')
	hour, ok5 := p.digits(2)
	ok6 := p.lit(':')
	minute, ok7 := p.digits(2)
	ok8 := p.lit(':')
	sec, ok9 := p.digits(2)
	if !(ok1 && ok2 && ok3 && ok4 && ok5 && ok6 && ok7 && ok8 && ok9) {
		return fail()
	}
	nano := 0
	if p.lit('.') {
		n := 0
		for n < 9 && p.i < len(p.s) && isDigit(p.s[p.i]) {
			nano = nano*10 + int(p.s[p.i]-'0')
			p.i++
			n++
		}
		for ; n < 9; n++ {
			nano *= 10
		}
	}
	offset, ok := p.offset()
	if !ok || p.i != len(p.s) {
		return fail()
	}
	days := 0
	switch {
	case hour == 24 && minute == 0 && sec == 0 && nano == 0:
		hour, days = 0, 1
	case hour == 23 && minute == 59 && sec == 60:
		sec = 59
	}
	if month < 1 || month > 12 || day < 1 || day > daysIn(time.Month(month), year) ||
		hour > 23 || minute > 59 || sec > 59 {
		return fail()
	}
	t := time.Date(year, time.Month(month), day+days, hour, minute, sec, nano, time.UTC)
	t = t.Add(-time.Duration(offset) * time.Second)
	if t.Before(instantMin) || t.After(instantMax) { // Instant.ofEpochSecond's range check
		return fail()
	}
	return t, nil
}

// instantMin and instantMax are Instant.MIN and Instant.MAX.
var (
	instantMin = time.Date(-maxInstantYear, time.January, 1, 0, 0, 0, 0, time.UTC)
	instantMax = time.Date(maxInstantYear, time.December, 31, 23, 59, 59, 999_999_999, time.UTC)
)

func daysIn(m time.Month, year int) int {
	return time.Date(year, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

type parser struct {
	s string
	i int
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func (p *parser) lit(c byte) bool {
	if p.i < len(p.s) && p.s[p.i] == c {
		p.i++
		return true
	}
	return false
}

func (p *parser) litFold(c byte) bool {
	if p.i < len(p.s) && (p.s[p.i] == c || p.s[p.i] == c+'a'-'A') {
		p.i++
		return true
	}
	return false
}

// digits reads exactly n digits.
func (p *parser) digits(n int) (int, bool) {
	if p.i+n > len(p.s) {
		return 0, false
	}
	v := 0
	for _, c := range []byte(p.s[p.i : p.i+n]) {
		if !isDigit(c) {
			return 0, false
		}
		v = v*10 + int(c-'0')
	}
	p.i += n
	return v, true
}

// year reads ISO_LOCAL_DATE's year: appendValue(YEAR, 4, 10, EXCEEDS_PAD),
// strict.
func (p *parser) year() (int, bool) {
	sign := byte(0)
	if p.i < len(p.s) && (p.s[p.i] == '+' || p.s[p.i] == '-') {
		sign = p.s[p.i]
		p.i++
	}
	start := p.i
	for p.i < len(p.s) && isDigit(p.s[p.i]) && p.i-start < 10 {
		p.i++
	}
	n := p.i - start
	if n < 4 || (sign == 0 && n > 4) || (sign == '+' && n <= 4) {
		return 0, false
	}
	v, err := strconv.Atoi(p.s[start:p.i])
	if err != nil || v > maxInstantYear {
		return 0, false
	}
	if sign == '-' {
		v = -v
	}
	return v, true
}

// offset reads appendOffsetId: 'Z' or ±HH:MM[:SS]; it returns seconds.
func (p *parser) offset() (int, bool) {
	if p.litFold('Z') {
		return 0, true
	}
	if p.i >= len(p.s) || (p.s[p.i] != '+' && p.s[p.i] != '-') {
		return 0, false
	}
	neg := p.s[p.i] == '-'
	p.i++
	h, ok1 := p.digits(2)
	ok2 := p.lit(':')
	m, ok3 := p.digits(2)
	if !(ok1 && ok2 && ok3) || h > 18 || m > 59 {
		return 0, false
	}
	s := 0
	if p.lit(':') {
		var ok bool
		if s, ok = p.digits(2); !ok || s > 59 {
			return 0, false
		}
	}
	total := h*3600 + m*60 + s
	if total > 18*3600 {
		return 0, false
	}
	if neg {
		total = -total
	}
	return total, true
}

// Instant is a time.Time that encodes (MarshalText, so also in JSON) as
// FormatInstant writes it and decodes as ParseInstant reads it.
type Instant time.Time

// Time returns the time.Time.
func (t Instant) Time() time.Time { return time.Time(t) }

// String formats t as FormatInstant does.
func (t Instant) String() string { return FormatInstant(time.Time(t)) }

// MarshalText writes t as FormatInstant does.
func (t Instant) MarshalText() ([]byte, error) {
	return AppendInstant(make([]byte, 0, 32), time.Time(t)), nil
}

// UnmarshalText reads t as ParseInstant does.
func (t *Instant) UnmarshalText(b []byte) error {
	v, err := ParseInstant(string(b))
	if err != nil {
		return err
	}
	*t = Instant(v)
	return nil
}
