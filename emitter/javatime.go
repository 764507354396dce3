package emitter

import (
	"math"
	"math/big"
	"strconv"
	"strings"
	"time"
)

// This file reads durations and instants as the server does: Kestra's
// DurationDeserializer on top of jackson-datatype-jsr310, Duration.parse and
// jsr310's InstantDeserializer with ISO_INSTANT.

// javaDuration reads a timer value as Kestra's DurationDeserializer does.
func javaDuration(v *jvalue) (d time.Duration, isNull bool, err error) {
	switch v.kind {
	case jNull:
		return 0, true, nil
	case jNumber:
		if !v.float {
			// getLongValue: seconds; beyond a long the parser fails.
			n, err := strconv.ParseInt(v.s, 10, 64)
			if err != nil {
				return 0, false, rejectf("timer value %s: out of range for a long", v.s)
			}
			return durationOf(n, 0), false, nil
		}
		return decimalDuration(v.s), false, nil
	case jString:
	default:
		return 0, false, rejectf("timer value: want a number or a string, got %s", v.kind)
	}
	text := javaTrim(v.s)
	if text == "" {
		return 0, true, nil
	}
	if kestraIsFloat(text) {
		f, ok := parseJavaDouble(text)
		if !ok {
			return 0, false, rejectf("timer value %q: not a number", v.s)
		}
		if math.IsInf(f, 0) || math.IsNaN(f) {
			return 0, false, rejectf("timer value %q: out of range", v.s)
		}
		// Kestra converts with BigDecimal.valueOf(double), i.e. Double.toString.
		return decimalDuration(javaDoubleToString(f)), false, nil
	}
	d, ok := parseISODuration(text)
	if !ok {
		return 0, false, rejectf("timer value %q: not a number of seconds or an ISO-8601 duration", v.s)
	}
	return d, false, nil
}

// kestraIsFloat is the test of Kestra's DurationDeserializer: an optional
// sign, then only digits and dots.
func kestraIsFloat(s string) bool {
	i := 0
	if s[0] == '-' || s[0] == '+' {
		if len(s) == 1 {
			return false
		}
		i = 1
	}
	for ; i < len(s); i++ {
		if s[i] != '.' && !isDigit(s[i]) {
			return false
		}
	}
	return true
}

// decimalDuration is the duration of a decimal number of seconds, read as
// jackson's DecimalUtils.extractSecondsAndNanos does (see javaSecondsNanos).
func decimalDuration(s string) time.Duration {
	if sec, nanos, ok := plainSecondsNanos(s); ok {
		return durationOf(sec, nanos)
	}
	sec, nanos := javaSecondsNanos(s)
	return secondsNanos(sec, nanos)
}

// plainSecondsNanos is javaSecondsNanos without big numbers for the common
// case -?digits(.digits)? with at most 18 integer digits and 63 fraction
// digits (within DecimalUtils' scale cut-off); ok is false otherwise.
// Both parts are truncated toward zero and carry the number's sign.
func plainSecondsNanos(s string) (sec, nanos int64, ok bool) {
	i, neg := 0, false
	if i < len(s) && s[i] == '-' {
		i, neg = 1, true
	}
	start := i
	for i < len(s) && isDigit(s[i]) {
		sec = sec*10 + int64(s[i]-'0')
		i++
		if i-start > 18 {
			return 0, 0, false
		}
	}
	if i == start {
		return 0, 0, false
	}
	if i < len(s) {
		if s[i] != '.' {
			return 0, 0, false
		}
		i++
		fstart := i
		for i < len(s) && isDigit(s[i]) {
			if i-fstart < 9 {
				nanos = nanos*10 + int64(s[i]-'0')
			}
			i++
		}
		n := i - fstart
		if i != len(s) || n == 0 || n > 63 {
			return 0, 0, false
		}
		for ; n < 9; n++ {
			nanos *= 10
		}
	}
	if neg {
		sec, nanos = -sec, -nanos
	}
	return sec, nanos, true
}

// durationOf is secondsNanos for int64 seconds.
func durationOf(sec, nanos int64) time.Duration {
	// Far enough from the limits that sec*1e9 + nanos (|nanos| < 2^31)
	// cannot overflow.
	const limit = math.MaxInt64/1_000_000_000 - 3
	if sec > -limit && sec < limit {
		return time.Duration(sec*1e9 + nanos)
	}
	return secondsNanos(big.NewInt(sec), nanos)
}

// javaSecondsNanos is jackson's DecimalUtils.extractSecondsAndNanos on the
// decimal number s, including its quirks: a BigDecimal scale beyond ±63
// gives zero, the whole seconds are BigDecimal.longValue (the low 64 bits)
// and the nanoseconds intValue (the low 32 bits), both truncated toward zero.
func javaSecondsNanos(s string) (sec *big.Int, nanos int64) {
	mant, exp := s, 0
	if k := strings.IndexAny(s, "eE"); k >= 0 {
		e, err := strconv.Atoi(s[k+1:])
		if err != nil {
			return new(big.Int), 0
		}
		mant, exp = s[:k], e
	}
	frac := 0
	if k := strings.IndexByte(mant, '.'); k >= 0 {
		frac = len(mant) - k - 1
	}
	scale := frac - exp
	if scale < -63 || scale > 63 {
		return new(big.Int), 0
	}
	if len(mant) > maxRatDigits {
		return longSecondsNanos(mant, scale)
	}
	r, ok := new(big.Rat).SetString(s)
	if !ok {
		return new(big.Int), 0
	}
	whole := new(big.Int).Quo(r.Num(), r.Denom()) // truncates toward zero
	secondsOnly := lowBits(whole, 64)
	nanoTotal := new(big.Rat).Mul(r, big.NewRat(1e9, 1))
	n := new(big.Int).Quo(nanoTotal.Num(), nanoTotal.Denom())
	n.Sub(n, new(big.Int).Mul(big.NewInt(secondsOnly), big.NewInt(1e9)))
	return big.NewInt(secondsOnly), lowBits(n, 32)
}

// maxRatDigits bounds the numbers javaSecondsNanos reads with big.Rat,
// which parses decimal digits in quadratic time: a metric timestamp string
// of a megabyte of digits took 3 s to parse (and 20 minutes at Jackson's
// 20 M string limit). Longer ones go to longSecondsNanos.
const maxRatDigits = 100

// longSecondsNanos is javaSecondsNanos for the mantissa mant ([+-]digits
// with at most one dot) of a number whose scale (fraction digits minus
// exponent) is within ±63, in linear time: the whole seconds' low 64 bits
// come from the digits in wrapping uint64 arithmetic, and the nanoseconds
// are the first nine fraction digits (the rest of trunc(x*1e9) - sec*1e9
// is a multiple of 2^64, which intValue drops).
func longSecondsNanos(mant string, scale int) (sec *big.Int, nanos int64) {
	neg := false
	if mant[0] == '-' || mant[0] == '+' {
		neg, mant = mant[0] == '-', mant[1:]
	}
	digits := strings.Replace(mant, ".", "", 1)
	if digits == "" || strings.IndexFunc(digits, func(r rune) bool { return r < '0' || r > '9' }) >= 0 {
		return new(big.Int), 0 // what big.Rat does not parse either
	}
	cut := len(digits) - scale // the whole part is digits[:cut]
	var whole uint64
	for i := 0; i < min(cut, len(digits)); i++ {
		whole = whole*10 + uint64(digits[i]-'0')
	}
	for i := len(digits); i < cut; i++ { // a negative scale: trailing zeros
		whole *= 10
	}
	for i := cut; i < cut+9; i++ {
		nanos *= 10
		if i >= 0 && i < len(digits) {
			nanos += int64(digits[i] - '0')
		}
	}
	if neg {
		whole, nanos = -whole, -nanos
	}
	return big.NewInt(int64(whole)), nanos
}

// secondsNanos converts to a time.Duration, clamped to its range.
func secondsNanos(sec *big.Int, nanos int64) time.Duration {
	total := new(big.Int).Mul(sec, big.NewInt(1e9))
	total.Add(total, big.NewInt(nanos))
	if !total.IsInt64() {
		if total.Sign() < 0 {
			return math.MinInt64
		}
		return math.MaxInt64
	}
	return time.Duration(total.Int64())
}

// parseISODuration is java.time.Duration.parse:
// [-+]?P(n D)?(T(n H)?(n M)?(n(.f{0,9})? S)?)?, case-insensitive, where each
// n may have its own sign, at least one part present and T not alone.
func parseISODuration(s string) (time.Duration, bool) {
	i := 0
	neg := false
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		neg = s[i] == '-'
		i++
	}
	if i >= len(s) || (s[i] != 'P' && s[i] != 'p') {
		return 0, false
	}
	i++
	total := new(big.Int)
	parts := 0
	// readNum reads [-+]?[0-9]+ at i.
	readNum := func() (string, bool) {
		j := i
		if j < len(s) && (s[j] == '+' || s[j] == '-') {
			j++
		}
		k := j
		for k < len(s) && isDigit(s[k]) {
			k++
		}
		if k == j {
			return "", false
		}
		num := s[i:k]
		i = k
		return num, true
	}
	addUnit := func(num string, unitSeconds int64) bool {
		n, err := strconv.ParseInt(num, 10, 64) // Long.parseLong
		if err != nil {
			return false
		}
		v := new(big.Int).Mul(big.NewInt(n), big.NewInt(unitSeconds))
		if !v.IsInt64() {
			return false // Math.multiplyExact overflow
		}
		total.Add(total, v)
		return true
	}
	// Days.
	save := i
	if num, ok := readNum(); ok {
		if i < len(s) && (s[i] == 'D' || s[i] == 'd') {
			i++
			if !addUnit(num, 86400) {
				return 0, false
			}
			parts++
		} else {
			i = save
		}
	}
	nanos := int64(0)
	if i < len(s) && (s[i] == 'T' || s[i] == 't') {
		i++
		tparts := 0
		for _, unit := range []struct {
			letter byte
			secs   int64
		}{{'H', 3600}, {'M', 60}} {
			save := i
			if num, ok := readNum(); ok && i < len(s) && (s[i] == unit.letter || s[i] == unit.letter+'a'-'A') {
				i++
				if !addUnit(num, unit.secs) {
					return 0, false
				}
				tparts++
			} else {
				i = save
			}
		}
		save := i
		if num, ok := readNum(); ok {
			frac := ""
			if i < len(s) && (s[i] == '.' || s[i] == ',') {
				j := i + 1
				for j < len(s) && isDigit(s[j]) && j-i <= 9 {
					j++
				}
				frac = s[i+1 : j]
				i = j
			}
			if i < len(s) && (s[i] == 'S' || s[i] == 's') {
				i++
				if !addUnit(num, 1) {
					return 0, false
				}
				f := frac + strings.Repeat("0", 9-len(frac))
				nanos, _ = strconv.ParseInt(f, 10, 64)
				if num[0] == '-' {
					nanos = -nanos
				}
				tparts++
			} else {
				i = save
			}
		}
		if tparts == 0 {
			return 0, false // "T" without a time part
		}
		parts += tparts
	}
	if i != len(s) || parts == 0 {
		return 0, false
	}
	if !total.IsInt64() {
		return 0, false // Math.addExact overflow
	}
	d := secondsNanos(total, nanos)
	if neg {
		if d == math.MinInt64 {
			return math.MaxInt64, true
		}
		d = -d
	}
	return d, true
}

// javaInstant reads a metric timestamp as jackson-datatype-jsr310's
// InstantDeserializer does (numbers are epoch seconds).
func javaInstant(v *jvalue) (time.Time, error) {
	switch v.kind {
	case jNull:
		return time.Time{}, nil
	case jNumber:
		if !v.float {
			n, err := strconv.ParseInt(v.s, 10, 64)
			if err != nil {
				return time.Time{}, rejectf("timestamp %s: out of range", v.s)
			}
			return time.Unix(n, 0).UTC(), nil
		}
		return instantFromDecimal(v.s)
	case jString:
	default:
		return time.Time{}, rejectf("timestamp: want a string or a number, got %s", v.kind)
	}
	text := javaTrim(v.s)
	if text == "" {
		return time.Time{}, nil
	}
	dots := 0
	simple := true
	for i := 0; i < len(text); i++ {
		switch {
		case text[i] == '.':
			dots++
		case !isDigit(text[i]):
			simple = false
		}
	}
	if simple && dots == 0 {
		if n, err := strconv.ParseInt(text, 10, 64); err == nil {
			return time.Unix(n, 0).UTC(), nil
		}
	}
	if simple && dots == 1 && text != "." {
		if t, err := instantFromDecimal(text); err == nil {
			return t, nil
		}
	}
	t, ok := parseISOInstant(text)
	if !ok {
		return time.Time{}, rejectf("timestamp %q: not an ISO-8601 instant", v.s)
	}
	return t, nil
}

func instantFromDecimal(s string) (time.Time, error) {
	sec, nanos := javaSecondsNanos(s)
	return time.Unix(sec.Int64(), nanos).UTC(), nil
}

// parseISOInstant is DateTimeFormatter.ISO_INSTANT's parser for years
// 0000-9999: yyyy-MM-ddTHH:mm:ss[.fraction up to 9 digits] and Z or an
// offset +HH:MM[:SS], T and Z case-insensitive.
func parseISOInstant(s string) (time.Time, bool) {
	if len(s) < 20 || s[4] != '-' || s[7] != '-' || (s[10] != 'T' && s[10] != 't') || s[13] != ':' || s[16] != ':' {
		return time.Time{}, false
	}
	num := func(a, b int) (int, bool) {
		n := 0
		for i := a; i < b; i++ {
			if !isDigit(s[i]) {
				return 0, false
			}
			n = n*10 + int(s[i]-'0')
		}
		return n, true
	}
	year, ok1 := num(0, 4)
	month, ok2 := num(5, 7)
	day, ok3 := num(8, 10)
	hour, ok4 := num(11, 13)
	minute, ok5 := num(14, 16)
	sec, ok6 := num(17, 19)
	if !(ok1 && ok2 && ok3 && ok4 && ok5 && ok6) {
		return time.Time{}, false
	}
	i := 19
	nanos := 0
	if i < len(s) && s[i] == '.' {
		j := i + 1
		for j < len(s) && isDigit(s[j]) {
			j++
		}
		if j == i+1 || j-i-1 > 9 {
			return time.Time{}, false
		}
		f := s[i+1:j] + strings.Repeat("0", 9-(j-i-1))
		nanos, _ = strconv.Atoi(f)
		i = j
	}
	offset := 0
	switch rest := s[i:]; {
	case rest == "Z" || rest == "z":
	case (len(rest) == 6 || len(rest) == 9) && (rest[0] == '+' || rest[0] == '-') && rest[3] == ':':
		oh, ok1 := num(i+1, i+3)
		om, ok2 := num(i+4, i+6)
		os := 0
		ok3 := true
		if len(rest) == 9 {
			if rest[6] != ':' {
				return time.Time{}, false
			}
			os, ok3 = num(i+7, i+9)
		}
		if !ok1 || !ok2 || !ok3 || oh > 18 || om > 59 || os > 59 {
			return time.Time{}, false
		}
		offset = oh*3600 + om*60 + os
		if rest[0] == '-' {
			offset = -offset
		}
	default:
		return time.Time{}, false
	}
	// ISO_INSTANT parses in STRICT mode with the ISO chronology's ranges;
	// 24:00 and leap second 60 are accepted and normalised.
	if month < 1 || month > 12 || day < 1 || day > daysIn(year, month) || hour > 24 || minute > 59 || sec > 60 {
		return time.Time{}, false
	}
	if hour == 24 && (minute != 0 || sec != 0 || nanos != 0) {
		return time.Time{}, false
	}
	leap := sec == 60
	if leap {
		sec = 59
	}
	t := time.Date(year, time.Month(month), day, hour, minute, sec, nanos, time.UTC).Add(-time.Duration(offset) * time.Second)
	if leap {
		t = t.Add(time.Second - time.Duration(nanos)).Truncate(time.Second)
	}
	return t, true
}

func daysIn(year, month int) int {
	return time.Date(year, time.Month(month)+1, 0, 0, 0, 0, 0, time.UTC).Day()
}
