package main

import (
	"testing"
	"time"

	"github.com/kestra-go/kestra-go/api"
)

func TestSecondsText(t *testing.T) {
	for sec, want := range map[float64]string{0: "0s", 0.0004: "<1ms", 0.3007: "301ms", 61.5: "1m1.5s"} {
		if got := secondsText(sec); got != want {
			t.Errorf("secondsText(%v) = %q, want %q", sec, got, want)
		}
	}
}

func TestFormatLogLine(t *testing.T) {
	ts := time.Date(2026, 12, 1, 10, 0, 0, 123456789, time.FixedZone("x", 3600))
	for _, tc := range []struct {
		e    api.LogEntry
		want string
	}{
		{api.LogEntry{Timestamp: ts, Level: api.LevelWarn, TaskID: "t1", Message: "careful"}, "2026-12-01T09:00:00.123Z WARN  [t1] careful"},
		{api.LogEntry{Level: api.LevelError, Message: "line one\nline two\n"}, "ERROR line one\n    line two"},
		{api.LogEntry{Message: "no level"}, "INFO  no level"},
		{api.LogEntry{TaskID: "a\x1b[2Jb", Message: "\x1b[31mred"}, `INFO  [a\u001b[2Jb] \u001b[31mred`},
	} {
		if got := formatLogLine(tc.e); got != tc.want {
			t.Errorf("formatLogLine(%+v) = %q, want %q", tc.e, got, tc.want)
		}
	}
}

func TestTruncate(t *testing.T) {
	if got := truncate("RUNNING  1s  task héllo", 12); got != "RUNNING  1s…" {
		t.Errorf("truncate: %q", got)
	}
	if got := truncate("short", 12); got != "short" {
		t.Errorf("truncate: %q", got)
	}
}
