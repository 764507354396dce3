package javatime

import (
	"errors"
	"math"
	"testing"
	"time"
)

// Expected texts are what java.time.Duration.toString prints (JDK 21).
func TestDurationString(t *testing.T) {
	for _, c := range []struct {
		d    Duration
		want string
	}{
		{Duration{}, "PT0S"},
		{Duration{Seconds: 1}, "PT1S"},
		{Duration{Seconds: 20, Nanos: 345_000_000}, "PT20.345S"},
		{Duration{Seconds: 0, Nanos: 1}, "PT0.000000001S"},
		{Duration{Seconds: 60}, "PT1M"},
		{Duration{Seconds: 61}, "PT1M1S"},
		{Duration{Seconds: 3600, Nanos: 500_000_000}, "PT1H0.5S"},
		{Duration{Seconds: 48 * 3600}, "PT48H"},
		{Duration{Seconds: -90 * 60}, "PT-1H-30M"},             // Duration.ofMinutes(-90)
		{Duration{Seconds: -1, Nanos: 500_000_000}, "PT-0.5S"}, // ofMillis(-500)
		{Duration{Seconds: -2, Nanos: 500_000_000}, "PT-1.5S"}, // ofMillis(-1500)
		{Duration{Seconds: -1, Nanos: 1}, "PT-0.999999999S"},
		{Duration{Seconds: -3661}, "PT-1H-1M-1S"},
		{Duration{Seconds: -61, Nanos: 750_000_000}, "PT-1M-0.25S"},
		{Duration{Seconds: math.MaxInt64, Nanos: 999_999_999}, "PT2562047788015215H30M7.999999999S"},
		{Duration{Seconds: math.MinInt64}, "PT-2562047788015215H-30M-8S"},
	} {
		if got := c.d.String(); got != c.want {
			t.Errorf("%+v.String() = %s, want %s", c.d, got, c.want)
		}
	}
}

func TestFormatDuration(t *testing.T) {
	for d, want := range map[time.Duration]string{
		0:                            "PT0S",
		1500 * time.Millisecond:      "PT1.5S",
		-90 * time.Minute:            "PT-1H-30M",
		-1500 * time.Millisecond:     "PT-1.5S",
		time.Hour + 2*time.Minute:    "PT1H2M",
		25 * time.Hour:               "PT25H",
		time.Duration(math.MinInt64): "PT-2562047H-47M-16.854775808S",
		time.Duration(math.MaxInt64): "PT2562047H47M16.854775807S",
		-time.Nanosecond:             "PT-0.000000001S",
		123456 * time.Microsecond:    "PT0.123456S",
	} {
		if got := FormatDuration(d); got != want {
			t.Errorf("FormatDuration(%v) = %s, want %s", d, got, want)
		}
	}
}

// Expected values are what java.time.Duration.parse returns (the examples
// of its Javadoc, and edge cases of its pattern).
func TestParseDuration(t *testing.T) {
	for _, c := range []struct {
		in   string
		want Duration
	}{
		{"PT20.345S", Duration{Seconds: 20, Nanos: 345_000_000}},
		{"PT15M", Duration{Seconds: 900}},
		{"PT10H", Duration{Seconds: 36000}},
		{"P2D", Duration{Seconds: 172800}},
		{"P2DT3H4M", Duration{Seconds: 2*86400 + 3*3600 + 4*60}},
		{"PT-6H3M", Duration{Seconds: -6*3600 + 3*60}},
		{"-PT6H3M", Duration{Seconds: -6*3600 - 3*60}},
		{"-PT-6H+3M", Duration{Seconds: 6*3600 - 3*60}},
		{"pt1h", Duration{Seconds: 3600}},
		{"+P1d", Duration{Seconds: 86400}},
		{"PT0,5S", Duration{Nanos: 500_000_000}},
		{"PT-0.5S", Duration{Seconds: -1, Nanos: 500_000_000}},
		{"-PT-0.5S", Duration{Nanos: 500_000_000}},
		{"PT-1.5S", Duration{Seconds: -2, Nanos: 500_000_000}},
		{"PT1.S", Duration{Seconds: 1}},
		{"PT1.123456789S", Duration{Seconds: 1, Nanos: 123_456_789}},
		{"PT0S", Duration{}},
		{"P0D", Duration{}},
		{"PT-1H-30M", Duration{Seconds: -5400}},
		{"PT-2562047788015215H-30M-8S", Duration{Seconds: math.MinInt64}},
		{"PT9223372036854775807S", Duration{Seconds: math.MaxInt64}},
		{"P-0D", Duration{}},
		{"PT+00001S", Duration{Seconds: 1}},
	} {
		got, err := ParseDuration(c.in)
		if err != nil || got != c.want {
			t.Errorf("ParseDuration(%q) = %+v, %v; want %+v", c.in, got, err, c.want)
		}
	}
}

func TestParseDurationRefuses(t *testing.T) {
	for _, in := range []string{
		"", "P", "PT", "-P", "P1DT", "1D", "PT1", "P1Y", "P1M", "P1W", "P1DT1D", "PT1H1H", "PT1M1H",
		"PT1.5M", "PT1.1234567891S", "PT 1S", " PT1S", "PT1S ", "PT1S\n", "PT--1S", "--PT1S", "PT.5S",
		"PT1..5S", "P1.5D", "PT١S", "ＰT1S", "PT1s2", "P T1S", "PT1HS",
	} {
		if d, err := ParseDuration(in); err == nil {
			t.Errorf("ParseDuration(%q) = %+v, want an error", in, d)
		} else if pe := (*ParseError)(nil); !errors.As(err, &pe) || pe.Msg != durationMsg {
			t.Errorf("ParseDuration(%q): error %v, want a ParseError with Java's message", in, err)
		}
	}
}

func TestParseDurationOverflow(t *testing.T) {
	for _, in := range []string{
		"PT9223372036854775808S",  // seconds beyond a long
		"P106751991167301D",       // days * 86400 beyond a long
		"PT2562047788015216H",     // hours * 3600 beyond a long
		"P106751991167300DT24H",   // the sum beyond a long
		"PT-9223372036854775808S", // fine alone ...
	} {
		_, err := ParseDuration(in)
		if in == "PT-9223372036854775808S" {
			if err != nil {
				t.Errorf("ParseDuration(%q): %v", in, err)
			}
			continue
		}
		if !errors.Is(err, ErrRange) {
			t.Errorf("ParseDuration(%q): %v, want ErrRange", in, err)
		}
	}
	// ... but negating it overflows, as Duration.negated does.
	if _, err := ParseDuration("-PT-9223372036854775808S"); !errors.Is(err, ErrRange) {
		t.Errorf("negated minimum: %v, want ErrRange", err)
	}
	// Negative fraction below the minimum: ofSeconds(MIN, -5e8) overflows.
	if _, err := ParseDuration("PT-9223372036854775808.5S"); !errors.Is(err, ErrRange) {
		t.Errorf("minimum minus a fraction: %v, want ErrRange", err)
	}
}

func TestStdRange(t *testing.T) {
	for _, d := range []time.Duration{0, 1, -1, time.Duration(math.MaxInt64), time.Duration(math.MinInt64), -1500 * time.Millisecond} {
		back, err := DurationOf(d).Std()
		if err != nil || back != d {
			t.Errorf("DurationOf(%d).Std() = %d, %v", d, back, err)
		}
	}
	for _, d := range []Duration{
		{Seconds: 9223372036, Nanos: 854775808},
		{Seconds: -9223372037, Nanos: 145224191},
		{Seconds: math.MaxInt64},
		{Seconds: math.MinInt64},
	} {
		if v, err := d.Std(); !errors.Is(err, ErrRange) {
			t.Errorf("%+v.Std() = %v, %v; want ErrRange", d, v, err)
		}
	}
	if _, err := ParseStdDuration("PT2562048H"); !errors.Is(err, ErrRange) {
		t.Errorf("ParseStdDuration beyond 292 years: %v, want ErrRange", err)
	}
	if d, err := ParseStdDuration("-PT1H30M"); err != nil || d != -90*time.Minute {
		t.Errorf("ParseStdDuration(-PT1H30M) = %v, %v", d, err)
	}
}

func TestDurationText(t *testing.T) {
	var d Duration
	if err := d.UnmarshalText([]byte("PT-1H-30M")); err != nil || d != (Duration{Seconds: -5400}) {
		t.Fatalf("UnmarshalText: %+v, %v", d, err)
	}
	b, _ := d.MarshalText()
	if string(b) != "PT-1H-30M" {
		t.Fatalf("MarshalText = %s", b)
	}
	if err := d.UnmarshalText([]byte("P1W")); err == nil {
		t.Fatal("UnmarshalText(P1W) succeeded")
	}
}

// FuzzParseDuration: any text either fails with a ParseError, or parses to
// a value that String prints back to text parsing to the same value.
func FuzzParseDuration(f *testing.F) {
	for _, s := range []string{"PT1S", "P1DT2H", "PT0.5S", "-PT3M", "PT-1H-30M", "-PT-6H+3M", "PT1,5S", "P2W", "PT", "pt1.S",
		"\x00P\xffT1S", "PT-9223372036854775808.5S"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseDuration(s)
		if err != nil {
			var pe *ParseError
			if !errors.As(err, &pe) || pe.Text != s {
				t.Fatalf("ParseDuration(%q): %v is not a ParseError of the text", s, err)
			}
			return
		}
		if d.Nanos < 0 || d.Nanos >= nanosPerSecond {
			t.Fatalf("ParseDuration(%q) = %+v: nanos out of range", s, d)
		}
		back, err := ParseDuration(d.String())
		if err != nil || back != d {
			t.Fatalf("%q -> %+v -> %q -> %+v, %v", s, d, d.String(), back, err)
		}
	})
}

// FuzzDurationString: every Java duration prints to text that parses back.
func FuzzDurationString(f *testing.F) {
	f.Add(int64(0), int32(0))
	f.Add(int64(-1), int32(500_000_000))
	f.Add(int64(math.MinInt64), int32(0))
	f.Add(int64(math.MaxInt64), int32(999_999_999))
	f.Fuzz(func(t *testing.T, sec int64, nanos int32) {
		if nanos < 0 {
			nanos = -(nanos + 1)
		}
		d := Duration{Seconds: sec, Nanos: nanos % nanosPerSecond}
		back, err := ParseDuration(d.String())
		if err != nil || back != d {
			t.Fatalf("%+v -> %q -> %+v, %v", d, d.String(), back, err)
		}
	})
}

// TestParseDurationJavaEdges holds the cases where a straightforward port
// differs from Duration.parse: Java's pattern is CASE_INSENSITIVE without
// UNICODE_CASE (only ASCII letters fold: the long s 'ſ' is not an 's'), and
// Duration.create sums days + (hours + (minutes + seconds)), after parsing
// every number, so an intermediate sum that would overflow in another order
// is fine and a number too large names its own part.
func TestParseDurationJavaEdges(t *testing.T) {
	for _, in := range []string{"PT1ſ", "PT1Hſ", "Pt1ſ", "PT1\u212aS"} {
		if d, err := ParseDuration(in); err == nil {
			t.Errorf("ParseDuration(%q) = %+v, want an error (no Unicode case folding in Java's pattern)", in, d)
		}
	}
	// days*86400 = 9223372036854720000; + 86400 would overflow, but Java
	// adds -86400 + 86400 first.
	got, err := ParseDuration("P106751991167300DT24H-1440M")
	if want := (Duration{Seconds: 9223372036854720000}); err != nil || got != want {
		t.Errorf("ParseDuration(days, +24H, -1440M) = %+v, %v; want %+v", got, err, want)
	}
	for in, msg := range map[string]string{
		"P106751991167300DT24H999999999999999999M": durationMsg + ": minutes", // minutes parsed before any sum
		"P106751991167300DT24H":                    durationMsg + ": overflow",
	} {
		_, err := ParseDuration(in)
		var pe *ParseError
		if !errors.As(err, &pe) || pe.Msg != msg || !errors.Is(err, ErrRange) {
			t.Errorf("ParseDuration(%q): %v, want %q wrapping ErrRange", in, err, msg)
		}
	}
}
