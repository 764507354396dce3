package emitter

import (
	"math/big"
	"math/rand/v2"
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
