package kestratest

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// javaInstant formats t as Java's Instant.toString does: UTC, and the
// fraction printed in groups of 3 digits (none when zero), which is what the
// real server writes in JSON dates and in downloaded log lines.
func javaInstant(t time.Time) string { return string(appendJavaInstant(nil, t)) }

func appendJavaInstant(b []byte, t time.Time) []byte {
	t = t.UTC()
	year, month, day := t.Date()
	hour, minute, sec := t.Clock()
	if year < 0 || year > 9999 {
		b = t.AppendFormat(b, "2006-01-02T15:04:05")
	} else {
		b = appendDigits(b, year, 4)
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
	}
	ns := t.Nanosecond()
	digits := 9
	switch {
	case ns == 0:
		digits = 0
	case ns%1_000_000 == 0:
		ns /= 1_000_000
		digits = 3
	case ns%1_000 == 0:
		ns /= 1_000
		digits = 6
	}
	if digits > 0 {
		b = append(b, '.')
		b = appendDigits(b, ns, digits)
	}
	return append(b, 'Z')
}

// appendDigits appends n zero-padded to width digits.
func appendDigits(b []byte, n, width int) []byte {
	var buf [9]byte
	for i := width - 1; i >= 0; i-- {
		buf[i] = byte('0' + n%10)
		n /= 10
	}
	return append(b, buf[:width]...)
}

// jtime is a time that marshals to JSON as a Java Instant string.
type jtime time.Time

// MarshalText is used by encoding/json (cheaper than a MarshalJSON, whose
// output it would re-validate).
func (t jtime) MarshalText() ([]byte, error) {
	return appendJavaInstant(make([]byte, 0, 32), time.Time(t)), nil
}

func (t *jtime) UnmarshalText(b []byte) error {
	v, err := time.Parse(time.RFC3339Nano, string(b))
	if err != nil {
		return err
	}
	*t = jtime(v)
	return nil
}

// isoDuration formats d as Java's Duration.toString does (PT1.5S, PT1M, PT0S).
func isoDuration(d time.Duration) string {
	if d == 0 {
		return "PT0S"
	}
	var b strings.Builder
	b.WriteString("PT")
	neg := d < 0
	if neg {
		d = -d
	}
	sign := ""
	if neg {
		sign = "-"
	}
	h := d / time.Hour
	d -= h * time.Hour
	m := d / time.Minute
	d -= m * time.Minute
	if h > 0 {
		fmt.Fprintf(&b, "%s%dH", sign, h)
	}
	if m > 0 {
		fmt.Fprintf(&b, "%s%dM", sign, m)
	}
	if d > 0 {
		sec := d / time.Second
		frac := d % time.Second
		if frac == 0 {
			fmt.Fprintf(&b, "%s%dS", sign, sec)
		} else {
			f := strings.TrimRight(fmt.Sprintf("%09d", int64(frac)), "0")
			fmt.Fprintf(&b, "%s%d.%sS", sign, sec, f)
		}
	}
	return b.String()
}

// parseISODuration parses the ISO-8601 durations Kestra flows use
// (PnDTnHnMn.nS, with optional weeks PnW); years and months are refused
// because their length is not fixed.
func parseISODuration(s string) (time.Duration, error) {
	orig := s
	s = strings.ToUpper(strings.TrimSpace(s))
	neg := false
	if strings.HasPrefix(s, "-") {
		neg = true
		s = s[1:]
	} else if strings.HasPrefix(s, "+") {
		s = s[1:]
	}
	if !strings.HasPrefix(s, "P") || len(s) < 3 {
		return 0, fmt.Errorf("invalid ISO-8601 duration %q", orig)
	}
	s = s[1:]
	var total time.Duration
	inTime := false
	seen := false
	for len(s) > 0 {
		if s[0] == 'T' {
			if inTime {
				return 0, fmt.Errorf("invalid ISO-8601 duration %q", orig)
			}
			inTime = true
			s = s[1:]
			continue
		}
		i := 0
		for i < len(s) && (s[i] >= '0' && s[i] <= '9' || s[i] == '.' || s[i] == ',' || s[i] == '-') {
			i++
		}
		if i == 0 || i == len(s) {
			return 0, fmt.Errorf("invalid ISO-8601 duration %q", orig)
		}
		num, err := strconv.ParseFloat(strings.ReplaceAll(s[:i], ",", "."), 64)
		if err != nil {
			return 0, fmt.Errorf("invalid ISO-8601 duration %q", orig)
		}
		var unit time.Duration
		switch u := s[i]; {
		case !inTime && u == 'W':
			unit = 7 * 24 * time.Hour
		case !inTime && u == 'D':
			unit = 24 * time.Hour
		case inTime && u == 'H':
			unit = time.Hour
		case inTime && u == 'M':
			unit = time.Minute
		case inTime && u == 'S':
			unit = time.Second
		default:
			return 0, fmt.Errorf("invalid ISO-8601 duration %q", orig)
		}
		total += time.Duration(num * float64(unit))
		seen = true
		s = s[i+1:]
	}
	if !seen {
		return 0, fmt.Errorf("invalid ISO-8601 duration %q", orig)
	}
	if neg {
		total = -total
	}
	return total, nil
}
