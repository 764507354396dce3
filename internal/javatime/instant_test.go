package javatime

import (
	"encoding/json"
	"errors"
	"testing"
	"time"
)

// Expected texts are what java.time.Instant.toString prints.
func TestFormatInstant(t *testing.T) {
	base := time.Date(2026, 5, 1, 10, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		t    time.Time
		want string
	}{
		{base, "2026-05-01T10:00:00Z"},
		{base.Add(123 * time.Millisecond), "2026-05-01T10:00:00.123Z"},
		{base.Add(123456 * time.Microsecond), "2026-05-01T10:00:00.123456Z"},
		{base.Add(1), "2026-05-01T10:00:00.000000001Z"},
		{base.Add(100 * time.Millisecond), "2026-05-01T10:00:00.100Z"},
		{time.Date(2026, 5, 1, 12, 0, 0, 0, time.FixedZone("x", 2*3600)), "2026-05-01T10:00:00Z"},
		{time.Unix(0, 0), "1970-01-01T00:00:00Z"},
		{time.Date(0, 1, 1, 0, 0, 0, 0, time.UTC), "0000-01-01T00:00:00Z"},
		{time.Date(-1, 1, 1, 0, 0, 0, 0, time.UTC), "-0001-01-01T00:00:00Z"},
		{time.Date(9999, 12, 31, 23, 59, 59, 0, time.UTC), "9999-12-31T23:59:59Z"},
		{time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC), "+10000-01-01T00:00:00Z"},
		{time.Date(-10000, 1, 1, 0, 0, 0, 0, time.UTC), "-10000-01-01T00:00:00Z"},
		{time.Date(-12345, 6, 7, 8, 9, 10, 0, time.UTC), "-12345-06-07T08:09:10Z"},
	} {
		if got := FormatInstant(c.t); got != c.want {
			t.Errorf("FormatInstant(%v) = %s, want %s", c.t, got, c.want)
		}
	}
}

func TestParseInstant(t *testing.T) {
	for _, c := range []struct {
		in   string
		want time.Time
	}{
		{"2026-05-01T10:00:00Z", time.Date(2026, 5, 1, 10, 0, 0, 0, time.UTC)},
		{"2026-05-01t10:00:00z", time.Date(2026, 5, 1, 10, 0, 0, 0, time.UTC)},
		{"2026-05-01T10:00:00.5Z", time.Date(2026, 5, 1, 10, 0, 0, 500_000_000, time.UTC)},
		{"2026-05-01T10:00:00.123456789Z", time.Date(2026, 5, 1, 10, 0, 0, 123456789, time.UTC)},
		{"2026-05-01T10:00:00.Z", time.Date(2026, 5, 1, 10, 0, 0, 0, time.UTC)},
		{"2026-05-01T12:00:00+02:00", time.Date(2026, 5, 1, 10, 0, 0, 0, time.UTC)},
		{"2026-05-01T10:00:00-01:30:15", time.Date(2026, 5, 1, 11, 30, 15, 0, time.UTC)},
		{"2026-05-01T10:00:00+18:00", time.Date(2026, 4, 30, 16, 0, 0, 0, time.UTC)},
		{"2026-12-31T24:00:00Z", time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)},
		{"2016-12-31T23:59:60Z", time.Date(2016, 12, 31, 23, 59, 59, 0, time.UTC)},
		{"2024-02-29T00:00:00Z", time.Date(2024, 2, 29, 0, 0, 0, 0, time.UTC)},
		{"+10000-01-01T00:00:00Z", time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)},
		{"-0001-01-01T00:00:00Z", time.Date(-1, 1, 1, 0, 0, 0, 0, time.UTC)},
		{"-10000-01-01T00:00:00Z", time.Date(-10000, 1, 1, 0, 0, 0, 0, time.UTC)},
	} {
		got, err := ParseInstant(c.in)
		if err != nil || !got.Equal(c.want) || got.Location() != time.UTC {
			t.Errorf("ParseInstant(%q) = %v, %v; want %v", c.in, got, err, c.want)
		}
	}
}

func TestParseInstantRefuses(t *testing.T) {
	for _, in := range []string{
		"", "2026-05-01", "2026-05-01T10:00Z", "2026-05-01T10:00:00", "2026-05-01 10:00:00Z",
		"2026-02-30T00:00:00Z", "2025-02-29T00:00:00Z", "2026-13-01T00:00:00Z", "2026-00-01T00:00:00Z",
		"2026-05-01T25:00:00Z", "2026-05-01T24:00:01Z", "2026-05-01T24:00:00.1Z", "2026-05-01T10:60:00Z",
		"2026-05-01T10:00:60Z", "2026-05-01T10:00:00.1234567890Z", "2026-05-01T10:00:00,5Z",
		"+2026-05-01T10:00:00Z", "12026-05-01T10:00:00Z", "026-05-01T10:00:00Z", "2026-5-01T10:00:00Z",
		"2026-05-01T10:00:00+19:00", "2026-05-01T10:00:00+02", "2026-05-01T10:00:00+0200",
		"2026-05-01T10:00:00+18:00:01", "2026-05-01T10:00:00ZZ", "2026-05-01T10:00:00Z ",
		"+10000000000-01-01T00:00:00Z", "+1000000001-01-01T00:00:00Z",
		"２026-05-01T10:00:00Z", "\xff\xfe",
	} {
		if v, err := ParseInstant(in); err == nil {
			t.Errorf("ParseInstant(%q) = %v, want an error", in, v)
		} else if pe := (*ParseError)(nil); !errors.As(err, &pe) {
			t.Errorf("ParseInstant(%q): %T is not a ParseError", in, err)
		}
	}
}

func TestInstantJSON(t *testing.T) {
	in := struct {
		At Instant `json:"at"`
	}{Instant(time.Date(2026, 5, 1, 10, 0, 0, 120_000_000, time.UTC))}
	b, err := json.Marshal(in)
	if err != nil || string(b) != `{"at":"2026-05-01T10:00:00.120Z"}` {
		t.Fatalf("Marshal = %s, %v", b, err)
	}
	var out struct {
		At Instant `json:"at"`
	}
	if err := json.Unmarshal(b, &out); err != nil || !out.At.Time().Equal(in.At.Time()) {
		t.Fatalf("Unmarshal = %v, %v", out.At, err)
	}
	if err := json.Unmarshal([]byte(`{"at":"2026-05-01"}`), &out); err == nil {
		t.Fatal("Unmarshal of a date without time succeeded")
	}
}

// FuzzParseInstant: any text fails with a ParseError or parses to a time
// that FormatInstant writes back to text parsing to the same time.
func FuzzParseInstant(f *testing.F) {
	for _, s := range []string{"2026-05-01T10:00:00Z", "2026-05-01T10:00:00.123+02:00", "+10000-01-01T00:00:00Z",
		"-0001-12-31T24:00:00Z", "2016-12-31T23:59:60z", "\x00\xff2026-05-01T10:00:00Z"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, err := ParseInstant(s)
		if err != nil {
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("ParseInstant(%q): %T", s, err)
			}
			return
		}
		text := FormatInstant(v)
		back, err := ParseInstant(text)
		if err != nil || !back.Equal(v) {
			t.Fatalf("%q -> %v -> %q -> %v, %v", s, v, text, back, err)
		}
	})
}

// FuzzFormatInstant: every time.Time in Instant's range formats to text
// that parses back to the same instant.
func FuzzFormatInstant(f *testing.F) {
	f.Add(int64(0), int64(0))
	f.Add(int64(1_780_000_000), int64(123_456_789))
	f.Add(int64(-62_167_219_201), int64(1))
	f.Add(int64(253_402_300_800), int64(0))
	f.Fuzz(func(t *testing.T, sec, nsec int64) {
		tm := time.Unix(sec%31_000_000_000_000_000, nsec%1_000_000_000) // about ±1e9 years
		text := FormatInstant(tm)
		back, err := ParseInstant(text)
		if err != nil || !back.Equal(tm) {
			t.Fatalf("%v -> %q -> %v, %v", tm, text, back, err)
		}
	})
}

// TestParseInstantRange: Instant.parse applies the offset, then refuses a
// result outside Instant.MIN (-1000000000-01-01T00:00:00Z) and Instant.MAX
// (+1000000000-12-31T23:59:59.999999999Z).
func TestParseInstantRange(t *testing.T) {
	for _, in := range []string{"+1000000000-12-31T23:59:59.999999999Z", "-1000000000-01-01T00:00:00Z",
		"+1000000000-12-31T23:59:59+01:00", "-1000000000-01-01T01:00:00+01:00"} {
		if _, err := ParseInstant(in); err != nil {
			t.Errorf("ParseInstant(%q): %v, want the instant (within Java's range)", in, err)
		}
	}
	for _, in := range []string{"+1000000000-12-31T23:59:59-01:00", "-1000000000-01-01T00:00:00+01:00",
		"-1000000000-01-01T00:59:59.999999999+01:00", "+1000000000-12-31T24:00:00Z"} {
		if v, err := ParseInstant(in); err == nil {
			t.Errorf("ParseInstant(%q) = %v, want an error (beyond Instant.MIN/MAX)", in, v)
		}
	}
}
