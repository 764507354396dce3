package javatime

import (
	"errors"
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Duration is a java.time.Duration: a number of seconds and a nanosecond
// adjustment in [0, 999 999 999], always added (minus 1.5 s is Seconds -2,
// Nanos 500 000 000). It spans about ±292 billion years, far more than a
// time.Duration; ParseDuration and String work on it exactly as Java does.
type Duration struct {
	Seconds int64
	Nanos   int32
}

const nanosPerSecond = 1_000_000_000

// ErrRange is wrapped by the error of a conversion whose value does not
// fit the target type (a Java duration longer than a time.Duration, or a
// sum of parts beyond Java's range).
var ErrRange = errors.New("javatime: value out of range")

// ParseError is the error of ParseDuration and ParseInstant: the text and
// the message the Java parser gives for it.
type ParseError struct {
	Text string
	// Msg is the Java exception's message (DateTimeParseException), e.g.
	// "Text cannot be parsed to a Duration".
	Msg string
	// Err is ErrRange for a value beyond the Java type's range, else nil.
	Err error
}

// Error gives the text and Java's message for it.
func (e *ParseError) Error() string { return fmt.Sprintf("javatime: %q: %s", e.Text, e.Msg) }

// Unwrap returns ErrRange for an overflow.
func (e *ParseError) Unwrap() error { return e.Err }

// DurationOf converts a time.Duration.
func DurationOf(d time.Duration) Duration {
	s := int64(d) / nanosPerSecond
	n := int64(d) % nanosPerSecond
	if n < 0 {
		s--
		n += nanosPerSecond
	}
	return Duration{Seconds: s, Nanos: int32(n)}
}

// Std converts to a time.Duration; a Java duration outside its range
// (about ±292 years) is an error wrapping ErrRange.
func (d Duration) Std() (time.Duration, error) {
	const maxSec = math.MaxInt64 / nanosPerSecond // 9 223 372 036
	s, n := d.Seconds, int64(d.Nanos)
	switch {
	case s > maxSec || s < -maxSec-1,
		s == maxSec && n > math.MaxInt64%nanosPerSecond,
		s == -maxSec-1 && n < nanosPerSecond+math.MinInt64%nanosPerSecond:
		return 0, fmt.Errorf("javatime: duration %s does not fit a time.Duration: %w", d, ErrRange)
	case s == -maxSec-1:
		return time.Duration((s+1)*nanosPerSecond + (n - nanosPerSecond)), nil
	}
	return time.Duration(s*nanosPerSecond + n), nil
}

// IsZero reports whether d is zero.
func (d Duration) IsZero() bool { return d.Seconds == 0 && d.Nanos == 0 }

// String formats d exactly as java.time.Duration.toString does: "PT0S" for
// zero, then hours, minutes and seconds, each present only when not zero,
// each with its own sign ("PT-1H-30M"); seconds with a fraction of as many
// digits as needed ("PT1.5S", "PT-0.5S"); days are written as hours
// ("PT48H").
func (d Duration) String() string { return string(d.AppendText(make([]byte, 0, 24))) }

// AppendText appends d as String writes it.
func (d Duration) AppendText(b []byte) []byte {
	if d.IsZero() {
		return append(b, "PT0S"...)
	}
	total := d.Seconds
	if d.Seconds < 0 && d.Nanos > 0 {
		total++
	}
	hours := total / 3600
	minutes := (total % 3600) / 60
	secs := total % 60
	b = append(b, "PT"...)
	if hours != 0 {
		b = strconv.AppendInt(b, hours, 10)
		b = append(b, 'H')
	}
	if minutes != 0 {
		b = strconv.AppendInt(b, minutes, 10)
		b = append(b, 'M')
	}
	if secs == 0 && d.Nanos == 0 && len(b) > 2 {
		return b
	}
	if d.Seconds < 0 && d.Nanos > 0 && secs == 0 {
		b = append(b, "-0"...)
	} else {
		b = strconv.AppendInt(b, secs, 10)
	}
	if d.Nanos > 0 {
		frac := int64(d.Nanos)
		if d.Seconds < 0 {
			frac = nanosPerSecond - frac
		}
		digits := strconv.AppendInt(nil, frac+nanosPerSecond, 10)[1:] // 9 digits, zero-padded
		b = append(b, '.')
		b = append(b, strings.TrimRight(string(digits), "0")...)
	}
	return append(b, 'S')
}

// MarshalText writes d as String does.
func (d Duration) MarshalText() ([]byte, error) { return d.AppendText(nil), nil }

// UnmarshalText reads d as ParseDuration does.
func (d *Duration) UnmarshalText(b []byte) error {
	v, err := ParseDuration(string(b))
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// durationPattern is Duration.parse's pattern (java.time.Duration.Lazy),
// matched against the whole text. Java compiles it CASE_INSENSITIVE without
// UNICODE_CASE, so only ASCII letters fold: the classes spell that out, as
// Go's (?i) would also take 'ſ' (U+017F) for an 's'.
var durationPattern = regexp.MustCompile(`^([-+]?)[Pp](?:([-+]?[0-9]+)[Dd])?` +
	`([Tt](?:([-+]?[0-9]+)[Hh])?(?:([-+]?[0-9]+)[Mm])?(?:([-+]?[0-9]+)(?:[.,]([0-9]{0,9}))?[Ss])?)?$`)

const durationMsg = "Text cannot be parsed to a Duration"

// ParseDuration parses text exactly as java.time.Duration.parse does:
// [-+]P[nD][T[nH][nM][n[.f]S]], ASCII letters in either case, every number with an
// optional sign, a fraction of up to 9 digits after '.' or ',' on the
// seconds, a leading sign negating the whole. At least one part must be
// present, and a 'T' must be followed by one. Years, months and weeks are
// not durations for Java (Period) and are refused, as is any space.
func ParseDuration(text string) (Duration, error) {
	m := durationPattern.FindStringSubmatchIndex(text)
	if m == nil {
		return Duration{}, &ParseError{Text: text, Msg: durationMsg}
	}
	group := func(i int) (string, bool) {
		if m[2*i] < 0 {
			return "", false
		}
		return text[m[2*i]:m[2*i+1]], true
	}
	if t, _ := group(3); len(t) == 1 { // a T but no time part
		return Duration{}, &ParseError{Text: text, Msg: durationMsg}
	}
	sign, _ := group(1)
	days, hasDays := group(2)
	hours, hasHours := group(4)
	minutes, hasMinutes := group(5)
	secs, hasSecs := group(6)
	frac, _ := group(7)
	if !hasDays && !hasHours && !hasMinutes && !hasSecs {
		return Duration{}, &ParseError{Text: text, Msg: durationMsg}
	}
	// As Duration.parse: every number is parsed (an overflow names its
	// part) before Duration.create sums days + (hours + (minutes + seconds)),
	// in that order.
	var parts [4]int64
	for i, p := range []struct {
		s, name string
		unit    int64
	}{{days, "days", 86400}, {hours, "hours", 3600}, {minutes, "minutes", 60}, {secs, "seconds", 1}} {
		if p.s == "" {
			continue
		}
		n, err := strconv.ParseInt(p.s, 10, 64)
		v, ok := mulExact(n, p.unit)
		if err != nil || !ok {
			return Duration{}, &ParseError{Text: text, Msg: durationMsg + ": " + p.name, Err: ErrRange}
		}
		parts[i] = v
	}
	total := parts[3]
	for i := 2; i >= 0; i-- {
		var ok bool
		if total, ok = addExact(parts[i], total); !ok {
			return Duration{}, &ParseError{Text: text, Msg: durationMsg + ": overflow", Err: ErrRange}
		}
	}
	var nanos int64
	if frac != "" {
		n, _ := strconv.ParseInt(frac, 10, 64) // at most 9 digits
		for i := len(frac); i < 9; i++ {
			n *= 10
		}
		if strings.HasPrefix(secs, "-") {
			n = -n
		}
		nanos = n
	}
	// Duration.ofSeconds(total, nanos): nanos may be negative.
	if nanos < 0 {
		var ok bool
		if total, ok = addExact(total, -1); !ok {
			return Duration{}, &ParseError{Text: text, Msg: durationMsg + ": overflow", Err: ErrRange}
		}
		nanos += nanosPerSecond
	}
	d := Duration{Seconds: total, Nanos: int32(nanos)}
	if sign == "-" {
		neg, ok := d.negated()
		if !ok {
			return Duration{}, &ParseError{Text: text, Msg: durationMsg + ": overflow", Err: ErrRange}
		}
		d = neg
	}
	return d, nil
}

// negated is Duration.negated; it fails only for the most negative value.
func (d Duration) negated() (Duration, bool) {
	if d.Nanos == 0 {
		if d.Seconds == math.MinInt64 {
			return Duration{}, false
		}
		return Duration{Seconds: -d.Seconds}, true
	}
	// -(s + n/1e9) = (-s-1) + (1e9-n)/1e9; -s-1 never overflows.
	return Duration{Seconds: -d.Seconds - 1, Nanos: nanosPerSecond - d.Nanos}, true
}

func addExact(a, b int64) (int64, bool) {
	c := a + b
	if (c > a) != (b > 0) {
		return 0, false
	}
	return c, true
}

func mulExact(a, b int64) (int64, bool) {
	if a == 0 || b == 0 {
		return 0, true
	}
	c := a * b
	if c/b != a || (a == -1 && b == math.MinInt64) || (b == -1 && a == math.MinInt64) {
		return 0, false
	}
	return c, true
}

// FormatDuration formats d as Duration.toString does (see Duration.String).
func FormatDuration(d time.Duration) string { return DurationOf(d).String() }

// ParseStdDuration parses text as ParseDuration does and converts it to a
// time.Duration (an error wrapping ErrRange when it does not fit).
func ParseStdDuration(text string) (time.Duration, error) {
	d, err := ParseDuration(text)
	if err != nil {
		return 0, err
	}
	std, err := d.Std()
	if err != nil {
		return 0, &ParseError{Text: text, Msg: durationMsg + ": overflow", Err: ErrRange}
	}
	return std, nil
}
