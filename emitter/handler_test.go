package emitter

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strconv"
	"strings"
	"testing"
	"testing/slogtest"
	"time"
)

// readLogLine parses one protocol log line back into the map slogtest wants:
// level from the Kestra level, time from the message prefix, msg and the
// key=value attributes from the message text (dotted keys become groups).
func readLogLine(t *testing.T, line string) map[string]any {
	t.Helper()
	m, err := Parse(line)
	if err != nil {
		t.Fatalf("Parse(%q): %v", line, err)
	}
	if len(m.Logs) != 1 || m.Outputs != nil || m.Metrics != nil {
		t.Fatalf("want one log entry, got %#v", m)
	}
	out := map[string]any{slog.LevelKey: string(m.Logs[0].Level)}
	text := m.Logs[0].Message
	if ts, rest, ok := strings.Cut(text, " - "); ok {
		if _, err := time.Parse("2006-01-02T15:04:05.000Z07:00", ts); err == nil {
			out[slog.TimeKey] = ts
			text = rest
		}
	}
	toks := splitTokens(t, text)
	var msg []string
	for _, tok := range toks {
		k, v, ok := cutKV(tok)
		if !ok {
			msg = append(msg, tok)
			continue
		}
		cur := out
		parts := strings.Split(k, ".")
		for _, g := range parts[:len(parts)-1] {
			next, ok := cur[g].(map[string]any)
			if !ok {
				next = map[string]any{}
				cur[g] = next
			}
			cur = next
		}
		cur[parts[len(parts)-1]] = v
	}
	out[slog.MessageKey] = strings.Join(msg, " ")
	return out
}

// splitTokens splits on spaces outside Go-quoted strings.
func splitTokens(t *testing.T, s string) []string {
	var toks []string
	var cur strings.Builder
	inQuote, esc := false, false
	for _, r := range s {
		switch {
		case esc:
			esc = false
		case inQuote && r == '\\':
			esc = true
		case r == '"':
			inQuote = !inQuote
		case r == ' ' && !inQuote:
			toks = append(toks, cur.String())
			cur.Reset()
			continue
		}
		cur.WriteRune(r)
	}
	if inQuote {
		t.Fatalf("unbalanced quotes in %q", s)
	}
	return append(toks, cur.String())
}

func cutKV(tok string) (string, string, bool) {
	k, v, ok := strings.Cut(tok, "=")
	if !ok || k == "" {
		return "", "", false
	}
	if uq, err := strconv.Unquote(v); err == nil {
		v = uq
	}
	return k, v, true
}

func TestSlogtest(t *testing.T) {
	var buf bytes.Buffer
	newHandler := func(*testing.T) slog.Handler {
		buf.Reset()
		return New(&buf, &buf).Handler()
	}
	result := func(t *testing.T) map[string]any {
		return readLogLine(t, buf.String())
	}
	slogtest.Run(t, newHandler, result)
}

func TestLevels(t *testing.T) {
	tests := []struct {
		level slog.Level
		want  LogLevel
	}{
		{LevelTrace - 10, LogTrace}, {LevelTrace, LogTrace}, {slog.LevelDebug - 1, LogTrace},
		{slog.LevelDebug, LogDebug}, {slog.LevelInfo - 1, LogDebug}, {slog.LevelInfo, LogInfo},
		{slog.LevelInfo + 2, LogInfo}, {slog.LevelWarn, LogWarn}, {slog.LevelError - 1, LogWarn},
		{slog.LevelError, LogError}, {slog.LevelError + 8, LogError},
	}
	for _, tt := range tests {
		var out, errw bytes.Buffer
		New(&out, &errw, WithLogLevel(slog.Level(-1000))).Logger().Log(context.Background(), tt.level, "m")
		m, err := Parse(out.String())
		if err != nil {
			t.Fatalf("%v: %v (stdout %q)", tt.level, err, out.String())
		}
		if got := m.Logs[0].Level; got != tt.want || KestraLevel(tt.level) != tt.want {
			t.Errorf("%v: got %s, want %s", tt.level, got, tt.want)
		}
		if errw.Len() != 0 {
			t.Errorf("%v: wrote to stderr by default", tt.level)
		}
	}
}

func TestWarningsOnStderr(t *testing.T) {
	var out, errw bytes.Buffer
	l := New(&out, &errw, WithWarningsOnStderr()).Logger()
	l.Log(context.Background(), LevelTrace, "t")
	l.Debug("d")
	l.Info("i")
	l.Warn("w")
	l.Error("e")
	levels := func(s string) (got []LogLevel) {
		for _, line := range strings.SplitAfter(s, "\n") {
			if line == "" {
				continue
			}
			m, err := Parse(line)
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, m.Logs[0].Level)
		}
		return got
	}
	if got := levels(out.String()); strings.Join(toStrings(got), ",") != "TRACE,DEBUG,INFO" {
		t.Errorf("stdout levels %v", got)
	}
	if got := levels(errw.String()); strings.Join(toStrings(got), ",") != "WARN,ERROR" {
		t.Errorf("stderr levels %v", got)
	}
}

func toStrings(ls []LogLevel) []string {
	s := make([]string, len(ls))
	for i, l := range ls {
		s[i] = string(l)
	}
	return s
}

type token string

func (token) LogValue() slog.Value { return slog.StringValue("REDACTED") }

func TestMessageText(t *testing.T) {
	var out bytes.Buffer
	e := New(&out, &out, WithoutLogTime(), WithLogLevel(slog.LevelDebug))
	l := e.Logger().With("job", "load orders").WithGroup("db").With("table", "orders")
	l.Info("loaded\nrows", "n", 42, "took", 1500*time.Millisecond, "ok", true, "ratio", 0.5,
		"err", errors.New("boom: x=1"), "empty", "", "secret", token("s3cr3t"),
		slog.Group("g", "a", "é\u2028"), "at", time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC), "quote", `say "hi"`)
	l.Log(context.Background(), LevelTrace, "dropped by WithLogLevel")
	m, err := Parse(out.String())
	if err != nil {
		t.Fatal(err)
	}
	want := "loaded\nrows job=\"load orders\" db.table=orders db.n=42 db.took=1.5s db.ok=true db.ratio=0.5 " +
		`db.err="boom: x=1" db.empty="" db.secret=REDACTED db.g.a="é\u2028" db.at=2026-01-02T03:04:05.000Z db.quote="say \"hi\""`
	if len(m.Logs) != 1 || m.Logs[0].Message != want {
		t.Errorf("message:\n got %q\nwant %q", m.Logs[0].Message, want)
	}
	if strings.Count(out.String(), "\n") != 1 {
		t.Errorf("want exactly one line, got %q", out.String())
	}
}

func TestLogTimeAndSource(t *testing.T) {
	var out bytes.Buffer
	l := New(&out, &out, WithLogSource()).Logger()
	before := time.Now().UTC().Truncate(time.Millisecond)
	l.Info("hello")
	m, err := Parse(out.String())
	if err != nil {
		t.Fatal(err)
	}
	ts, rest, ok := strings.Cut(m.Logs[0].Message, " - ")
	if !ok {
		t.Fatalf("no time prefix: %q", m.Logs[0].Message)
	}
	at, err := time.Parse("2006-01-02T15:04:05.000Z", ts)
	if err != nil || at.Before(before) || at.After(time.Now()) {
		t.Errorf("time prefix %q: %v", ts, err)
	}
	if !strings.HasPrefix(rest, "hello source=") || !strings.Contains(rest, "handler_test.go:") {
		t.Errorf("source missing: %q", rest)
	}
}

func TestSetDefaultLogger(t *testing.T) {
	var out bytes.Buffer
	old := Default()
	defer SetDefault(old)
	SetDefault(New(&out, &out, WithoutLogTime()))
	oldSlog := slog.Default()
	defer slog.SetDefault(oldSlog)
	slog.SetDefault(Logger())
	slog.Warn("via slog.Default", "k", "v")
	if err := Outputs(map[string]any{"a": 1}); err != nil {
		t.Fatal(err)
	}
	want := `::{"logs":[{"level":"WARN","message":"via slog.Default k=v"}]}::` + "\n" + `::{"outputs":{"a":1}}::` + "\n"
	if out.String() != want {
		t.Errorf("got %q, want %q", out.String(), want)
	}
}

func TestAppendTimeMillis(t *testing.T) {
	for _, tm := range []time.Time{
		time.Date(2026, 1, 2, 3, 4, 5, 6_789_000, time.UTC),
		time.Date(1, 12, 31, 23, 59, 59, 999_999_999, time.FixedZone("x", -3600)),
		time.Date(9999, 6, 15, 0, 0, 0, 0, time.FixedZone("y", 5*3600)),
		time.Date(12345, 1, 1, 0, 0, 0, 0, time.UTC),
	} {
		if got, want := string(appendTimeMillis(nil, tm)), tm.UTC().Format(timeMillis); got != want {
			t.Errorf("got %s, want %s", got, want)
		}
	}
}
