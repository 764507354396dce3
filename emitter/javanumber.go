package emitter

import (
	"math"
	"math/big"
	"strconv"
	"strings"
)

// This file reads numbers as the server's Java code does: Jackson's Double
// deserializer (numeric strings included), Double.parseDouble,
// Double.toString and BigInteger narrowing.

// javaTrim is String.trim: it removes every char <= U+0020 at both ends.
func javaTrim(s string) string {
	i, j := 0, len(s)
	for i < j && s[i] <= ' ' {
		i++
	}
	for j > i && s[j-1] <= ' ' {
		j--
	}
	return s[i:j]
}

// javaDouble reads a metric value as Jackson's Double deserializer does.
func javaDouble(v *jvalue) (f float64, isNull bool, err error) {
	switch v.kind {
	case jNull:
		return 0, true, nil
	case jNumber:
		f, _ = strconv.ParseFloat(v.s, 64) // integers too; ±Inf beyond range
		return f, false, nil
	case jString:
	default:
		return 0, false, rejectf("value: want a number, got %s", v.kind)
	}
	text := v.s
	// Special names are checked before trimming.
	switch text {
	case "NaN":
		return math.NaN(), false, nil
	case "Infinity", "INF":
		return math.Inf(1), false, nil
	case "-Infinity", "-INF":
		return math.Inf(-1), false, nil
	}
	text = javaTrim(text)
	if text == "" || text == "null" {
		return 0, true, nil // empty, blank and "null" coerce to null
	}
	f, ok := parseJavaDouble(text)
	if !ok {
		return 0, false, rejectf("value: %q is not a valid Double", v.s)
	}
	return f, false, nil
}

// parseJavaDouble is Double.parseDouble on an already trimmed string:
// an optional sign, then NaN, Infinity, a decimal number (digits with an
// optional fraction, ".5" and "5." included, optional exponent) or a
// hexadecimal one (0x1.8p1), then an optional f, F, d or D suffix.
func parseJavaDouble(s string) (float64, bool) {
	i := 0
	neg := false
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		neg = s[i] == '-'
		i++
	}
	rest := s[i:]
	switch rest {
	case "NaN":
		return math.NaN(), true
	case "Infinity":
		if neg {
			return math.Inf(-1), true
		}
		return math.Inf(1), true
	}
	if n := len(rest); n > 0 {
		switch rest[n-1] {
		case 'f', 'F', 'd', 'D':
			rest = rest[:n-1]
		}
	}
	if !javaDecimalOrHex(rest) {
		return 0, false
	}
	f, err := strconv.ParseFloat(rest, 64)
	if err != nil && !isRangeErr(err) {
		return 0, false
	}
	if neg {
		f = -f
	}
	return f, true
}

func isRangeErr(err error) bool {
	ne, ok := err.(*strconv.NumError)
	return ok && ne.Err == strconv.ErrRange
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }
func isHex(c byte) bool   { return hexVal(c) >= 0 }

func javaDecimalOrHex(s string) bool {
	i := 0
	if len(s) > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X') {
		i = 2
		d := 0
		for i < len(s) && isHex(s[i]) {
			i++
			d++
		}
		if i < len(s) && s[i] == '.' {
			i++
			for i < len(s) && isHex(s[i]) {
				i++
				d++
			}
		}
		if d == 0 || i >= len(s) || (s[i] != 'p' && s[i] != 'P') {
			return false
		}
		return exponent(s, i+1)
	}
	d := 0
	for i < len(s) && isDigit(s[i]) {
		i++
		d++
	}
	if i < len(s) && s[i] == '.' {
		i++
		for i < len(s) && isDigit(s[i]) {
			i++
			d++
		}
	}
	if d == 0 {
		return false
	}
	if i == len(s) {
		return true
	}
	if s[i] != 'e' && s[i] != 'E' {
		return false
	}
	return exponent(s, i+1)
}

// exponent reports whether s[i:] is [+-]?digits.
func exponent(s string, i int) bool {
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		i++
	}
	if i >= len(s) {
		return false
	}
	for ; i < len(s); i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	return true
}

// lowBits returns the low bits of x in two's complement as a signed number,
// as Java's narrowing of a BigInteger does.
func lowBits(x *big.Int, bits uint) int64 {
	mask := new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), bits), big.NewInt(1))
	u := new(big.Int).And(x, mask).Uint64()
	if bits == 32 {
		return int64(int32(uint32(u)))
	}
	return int64(u)
}

// javaDoubleToString is the decimal text of Double.toString (and so of
// BigDecimal.valueOf(double)): plain for 1e-3 <= |f| < 1e7, else
// computerized scientific notation, always with a fraction digit.
func javaDoubleToString(f float64) string {
	if abs := math.Abs(f); abs == 0 || (abs >= 1e-3 && abs < 1e7) {
		s := strconv.FormatFloat(f, 'f', -1, 64)
		if !strings.Contains(s, ".") {
			s += ".0"
		}
		return s
	}
	s := strconv.FormatFloat(f, 'e', -1, 64)
	k := strings.IndexByte(s, 'e')
	mant, exp := s[:k], s[k+1:]
	if !strings.Contains(mant, ".") {
		mant += ".0"
	}
	e, _ := strconv.Atoi(exp)
	return mant + "E" + strconv.Itoa(e)
}
