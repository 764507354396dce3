package ion

import (
	"fmt"
	"math"
	"math/big"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Durations, as Kestra's server writes and reads a java.time.Duration.
//
// Writing: Kestra's Ion mapper (core/.../serializers/JacksonMapper.java,
// kestra-io/kestra) registers jackson-datatype-jsr310's JavaTimeModule and
// disables only WRITE_DATES_AS_TIMESTAMPS; durations follow
// WRITE_DURATIONS_AS_TIMESTAMPS (on by default in Jackson 2) and
// WRITE_DATE_TIMESTAMPS_AS_NANOSECONDS (on by default), so
// DurationSerializer writes the BigDecimal of DecimalUtils.toBigDecimal
// (jackson-modules-java8, datetime/.../jsr310/DecimalUtils.java): seconds
// with nine fraction digits (2 s is 2.000000000, 1.5 s 1.500000000,
// -1.5 s -1.500000000), and 0.0 for zero. The Ion generator writes a
// BigDecimal as an Ion decimal.
//
// Reading: Kestra's DurationDeserializer (core/.../serializers/
// DurationDeserializer.java) on top of jsr310's: a number is seconds (ints
// too, READ_DATE_TIMESTAMPS_AS_NANOSECONDS being on by default), digits
// beyond nanoseconds are dropped; a string is trimmed, then a plain
// decimal ("1.5") is seconds, anything else ISO-8601 as Duration.parse
// reads it ("PT1.5S", "P2DT3H4M", "-PT6H3M").

// appendDuration writes d as Kestra writes a Duration.
func appendDuration(b []byte, d time.Duration) []byte {
	if d == 0 {
		return append(b, "0.0"...)
	}
	u := uint64(d)
	if d < 0 {
		b = append(b, '-')
		u = uint64(-d) // also right for math.MinInt64
	}
	b = strconv.AppendUint(b, u/1e9, 10)
	b = append(b, '.')
	frac := strconv.AppendUint(nil, u%1e9, 10)
	for range 9 - len(frac) {
		b = append(b, '0')
	}
	return append(b, frac...)
}

var errDurationRange = fmt.Errorf("out of time.Duration's range (about 292 years)")

// durationOf converts a value read from Ion to a time.Duration.
func durationOf(val any) (time.Duration, error) {
	switch x := val.(type) {
	case int64:
		return durationFromNanos(new(big.Int).Mul(big.NewInt(x), big.NewInt(1e9)))
	case *big.Int:
		return durationFromNanos(new(big.Int).Mul(x, big.NewInt(1e9)))
	case float64:
		ns := x * 1e9
		if math.IsNaN(ns) || ns >= math.MaxInt64 || ns < math.MinInt64 {
			return 0, errDurationRange
		}
		return time.Duration(math.Round(ns)), nil
	case *Decimal:
		return durationOfDecimal(x)
	case string:
		return parseDuration(x)
	}
	return 0, fmt.Errorf("not a duration")
}

func durationFromNanos(ns *big.Int) (time.Duration, error) {
	if !ns.IsInt64() {
		return 0, errDurationRange
	}
	return time.Duration(ns.Int64()), nil
}

// durationOfDecimal converts seconds as a decimal, exactly; digits beyond
// nanoseconds are dropped (toward zero), as jsr310 does.
func durationOfDecimal(d *Decimal) (time.Duration, error) {
	n, exp := d.CoEx()
	shift := int64(exp) + 9 // ns = n * 10^shift
	switch {
	case n.Sign() == 0:
		return 0, nil
	case shift > 19:
		return 0, errDurationRange
	case shift >= 0:
		return durationFromNanos(new(big.Int).Mul(n, new(big.Int).Exp(big.NewInt(10), big.NewInt(shift), nil)))
	case shift < -40:
		return 0, nil // |n| is far below 10^-shift: the input bounds n's digits by its length
	}
	if int64(len(n.String())) < -shift {
		return 0, nil
	}
	return durationFromNanos(new(big.Int).Quo(n, new(big.Int).Exp(big.NewInt(10), big.NewInt(-shift), nil)))
}

// isoDuration is java.time.Duration.parse's pattern.
var isoDuration = regexp.MustCompile(`(?i)^([-+]?)P(?:([-+]?[0-9]+)D)?(T(?:([-+]?[0-9]+)H)?(?:([-+]?[0-9]+)M)?(?:([-+]?[0-9]+)(?:[.,]([0-9]{0,9}))?S)?)?$`)

// parseDuration reads a duration string as Kestra's DurationDeserializer.
func parseDuration(s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	if significantDigits([]byte(s)) > maxNumberDigits {
		return 0, fmt.Errorf("%.40q...: %w", s, errNumberDigits)
	}
	if d, err := ParseDecimal(s); err == nil && !strings.ContainsAny(s, "dD") {
		return durationOfDecimal(d)
	}
	m := isoDuration.FindStringSubmatch(s)
	if m == nil || (m[2] == "" && m[3] == "") || strings.EqualFold(m[3], "T") {
		return 0, fmt.Errorf("%q is not a duration (seconds or ISO-8601 such as PT1.5S)", s)
	}
	total := new(big.Int)
	add := func(text string, unit int64) bool {
		if text == "" {
			return true
		}
		n, ok := new(big.Int).SetString(strings.TrimPrefix(text, "+"), 10)
		if !ok || n.BitLen() > 64 {
			return false
		}
		total.Add(total, n.Mul(n, big.NewInt(unit)))
		return true
	}
	const sec = int64(time.Second)
	if !add(m[2], 86400*sec) || !add(m[4], 3600*sec) || !add(m[5], 60*sec) || !add(m[6], sec) {
		return 0, fmt.Errorf("%q: %w", s, errDurationRange)
	}
	if m[7] != "" {
		frac, _ := strconv.ParseInt((m[7] + "00000000")[:9], 10, 64)
		if strings.HasPrefix(m[6], "-") {
			frac = -frac
		}
		total.Add(total, big.NewInt(frac))
	}
	if m[1] == "-" {
		total.Neg(total)
	}
	d, err := durationFromNanos(total)
	if err != nil {
		return 0, fmt.Errorf("%q: %w", s, err)
	}
	return d, nil
}
