package kestratest

import (
	"strings"
	"testing"
	"time"
)

func FuzzParseFlow(f *testing.F) {
	f.Add("id: a\nnamespace: b\ntasks:\n  - id: t\n    type: io.kestra.plugin.core.log.Log\n    message: m\n")
	f.Add("id: a\nnamespace: b\ninputs:\n  - name: x\n    type: int\n    defaults: 3\ntasks: []\n")
	f.Add("labels: [1]\n")
	f.Fuzz(func(t *testing.T, src string) {
		fl, err := parseFlow(src)
		if err == nil && (fl.ID == "" || fl.Namespace == "" || len(fl.Tasks) == 0) {
			t.Fatalf("accepted an incomplete flow: %+v", fl)
		}
	})
}

func FuzzParseQueryLabels(f *testing.F) {
	f.Add("env:prod", "url:http://x:1")
	f.Add(" k : v ", "k:v")
	f.Add("system.x:y", "")
	f.Fuzz(func(t *testing.T, a, b string) {
		labels, aerr := parseQueryLabels([]string{a, b})
		if aerr != nil {
			if aerr.status != 422 {
				t.Fatalf("status %d", aerr.status)
			}
			return
		}
		for _, l := range labels {
			if l.Key == "" || l.Value == "" || strings.TrimSpace(l.Key) != l.Key {
				t.Fatalf("bad label %+v", l)
			}
		}
	})
}

func FuzzISODuration(f *testing.F) {
	for _, s := range []string{"PT1S", "P1DT2H", "PT0.5S", "-PT3M", "P2W", "PT"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := parseISODuration(s)
		if err != nil || d < 0 || d > 1000*time.Hour {
			return
		}
		// Formatting then parsing again keeps the value (to the nanosecond).
		back, err := parseISODuration(isoDuration(d))
		if err != nil || back != d {
			t.Fatalf("%q -> %v -> %q -> %v, %v", s, d, isoDuration(d), back, err)
		}
	})
}

func TestIsoDurationAndInstant(t *testing.T) {
	for d, want := range map[time.Duration]string{
		0: "PT0S", 1500 * time.Millisecond: "PT1.5S", time.Hour + 2*time.Minute: "PT1H2M", 25 * time.Hour: "PT25H",
	} {
		if got := isoDuration(d); got != want {
			t.Errorf("isoDuration(%v) = %s, want %s", d, got, want)
		}
	}
	base := time.Date(2026, 5, 1, 10, 0, 0, 0, time.UTC)
	for ns, want := range map[int]string{
		0: "2026-05-01T10:00:00Z", 123_000_000: "2026-05-01T10:00:00.123Z", 123_456_000: "2026-05-01T10:00:00.123456Z", 1: "2026-05-01T10:00:00.000000001Z",
	} {
		if got := javaInstant(base.Add(time.Duration(ns))); got != want {
			t.Errorf("javaInstant(+%dns) = %s, want %s", ns, got, want)
		}
	}
}

func FuzzJavaInstant(f *testing.F) {
	f.Add(int64(0), int64(0))
	f.Add(int64(1_780_000_000), int64(123_456_789))
	f.Fuzz(func(t *testing.T, sec, nsec int64) {
		tm := time.Unix(sec%(1<<35), nsec%1_000_000_000)
		got := javaInstant(tm)
		back, err := time.Parse(time.RFC3339Nano, got)
		if tm.UTC().Year() >= 0 && tm.UTC().Year() <= 9999 && (err != nil || !back.Equal(tm)) {
			t.Fatalf("%v -> %q -> %v, %v", tm, got, back, err)
		}
	})
}
