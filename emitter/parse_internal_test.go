package emitter

import (
	"math/big"
	"math/rand/v2"
	"runtime"
	"strconv"
	"strings"
	"testing"
)

// isTerminator is the definition: the characters Java's '.' does not match.
func isTerminator(r rune) bool {
	return r == '\n' || r == '\r' || r == '\u0085' || r == '\u2028' || r == '\u2029'
}

// containsTerminator scans bytes; it must agree with a scan of the runes as
// the server decodes them (invalid UTF-8 included).
func TestContainsTerminator(t *testing.T) {
	pieces := []string{"a", "é", "\n", "\r", "\u0085", "\u2028", "\u2029", "\u2027", "\u202a", "\u0084",
		"\xc2", "\x85", "\xe2", "\x80", "\xa8", "\xa9", "\xe2\x80", "\xf0\x9f", "\xff", "😀"}
	check := func(s string) {
		t.Helper()
		if got, want := containsTerminator(s), strings.ContainsFunc(s, isTerminator); got != want {
			t.Fatalf("containsTerminator(%q) = %v, want %v", s, got, want)
		}
	}
	for _, a := range pieces {
		for _, b := range pieces {
			for _, c := range pieces {
				check(a + b + c)
			}
		}
	}
	r := rand.New(rand.NewPCG(1, 2))
	for range 20000 {
		var b strings.Builder
		for range r.IntN(12) {
			b.WriteString(pieces[r.IntN(len(pieces))])
		}
		check(b.String())
	}
}

// plainSecondsNanos is a fast path of javaSecondsNanos and must agree
// with it.
func TestPlainSecondsNanos(t *testing.T) {
	cases := []string{"0", "-0", "1", "1.5", "-1.5", "0.000000001", "0.0000000019", "-0.0000000019",
		"123456789012345678", "-123456789012345678.999999999999", "9223372036.854775807", "9223372036.854775808",
		"1." + strings.Repeat("9", 62), "0.5", "10.25", "3.000000000"}
	r := rand.New(rand.NewPCG(3, 4))
	for range 20000 {
		s := strconv.FormatInt(r.Int64N(1e18), 10)
		if r.IntN(2) == 0 {
			s = "-" + s
		}
		if r.IntN(3) > 0 {
			s += "." + strconv.FormatUint(r.Uint64(), 10)[:1+r.IntN(15)]
		}
		cases = append(cases, s)
	}
	for _, s := range cases {
		sec, nanos, ok := plainSecondsNanos(s)
		if !ok {
			t.Fatalf("%s: fast path refused", s)
		}
		wsec, wnanos := javaSecondsNanos(s)
		if wsec.Cmp(big.NewInt(sec)) != 0 || wnanos != nanos {
			t.Fatalf("%s: got %d s %d ns, want %v s %d ns", s, sec, nanos, wsec, wnanos)
		}
		if got, want := durationOf(sec, nanos), secondsNanos(wsec, wnanos); got != want {
			t.Fatalf("%s: durationOf = %d, want %d", s, got, want)
		}
	}
	for _, s := range []string{"", "-", "1.", ".5", "1e3", "1.5E2", "+1", "1234567890123456789", "1." + strings.Repeat("0", 64), "1.2.3", "0x1"} {
		if _, _, ok := plainSecondsNanos(s); ok {
			t.Errorf("%q: fast path accepted it", s)
		}
	}
}

// ratSecondsNanos is javaSecondsNanos with big.Rat whatever the length:
// the reference for longSecondsNanos.
func ratSecondsNanos(s string) (*big.Int, int64) {
	r, ok := new(big.Rat).SetString(s)
	if !ok {
		return new(big.Int), 0
	}
	whole := new(big.Int).Quo(r.Num(), r.Denom())
	sec := lowBits(whole, 64)
	n := new(big.Int).Quo(new(big.Rat).Mul(r, big.NewRat(1e9, 1)).Num(), new(big.Rat).Mul(r, big.NewRat(1e9, 1)).Denom())
	n.Sub(n, new(big.Int).Mul(big.NewInt(sec), big.NewInt(1e9)))
	return big.NewInt(sec), lowBits(n, 32)
}

// TestLongSecondsNanos: numbers of more than maxRatDigits characters are
// read in linear time (big.Rat took 3 s for a metric timestamp of a
// megabyte of digits), with the same seconds and nanoseconds.
func TestLongSecondsNanos(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	digits := func(n int) string {
		b := make([]byte, n)
		for i := range b {
			b[i] = byte('0' + r.IntN(10))
		}
		return string(b)
	}
	for range 5000 {
		mant := digits(maxRatDigits + 1 + r.IntN(200))
		if k := r.IntN(len(mant) + 1); r.IntN(4) > 0 {
			mant = mant[:k] + "." + mant[k:]
		}
		if r.IntN(2) == 0 {
			mant = "-" + mant
		}
		frac := 0
		if k := strings.IndexByte(mant, '.'); k >= 0 {
			frac = len(mant) - k - 1
		}
		s := mant
		if exp := frac - 63 + r.IntN(127); r.IntN(2) == 0 || exp != 0 {
			s += []string{"e", "E"}[r.IntN(2)] + strconv.Itoa(exp)
		}
		if s == "." || s == "-." {
			continue
		}
		sec, nanos := javaSecondsNanos(s)
		wsec, wnanos := ratSecondsNanos(s)
		if sec.Cmp(wsec) != 0 || nanos != wnanos {
			t.Fatalf("%s: got %v s %d ns, want %v s %d ns", s, sec, nanos, wsec, wnanos)
		}
	}
	// A metric timestamp string of a million digits: read without
	// quadratic garbage (big.Rat allocated 465 times a 200 KB line).
	line := `::{"metrics":[{"name":"c","type":"counter","value":1,"timestamp":"` + strings.Repeat("7", 1_000_000) + `.5"}]}::`
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	before := ms.TotalAlloc
	m, err := Parse(line)
	runtime.ReadMemStats(&ms)
	if err != nil || len(m.Metrics) != 1 || m.Metrics[0].Timestamp.Nanosecond() != 500_000_000 {
		t.Fatalf("Parse: %v, %+v", err, m.Metrics)
	}
	if alloc := ms.TotalAlloc - before; alloc > 20*uint64(len(line)) {
		t.Errorf("Parse allocated %d bytes for a line of %d", alloc, len(line))
	}
}
