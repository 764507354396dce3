package emitter

import (
	"context"
	"encoding"
	"fmt"
	"log/slog"
	"runtime"
	"strconv"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"
	"unsafe"
)

// LevelTrace is the slog level of Kestra's TRACE, below slog.LevelDebug.
const LevelTrace = slog.LevelDebug - 4

// KestraLevel maps an slog level to a Kestra level: ERROR from
// slog.LevelError up, WARN from slog.LevelWarn, INFO from slog.LevelInfo,
// DEBUG from slog.LevelDebug, TRACE below.
func KestraLevel(l slog.Level) LogLevel {
	switch {
	case l >= slog.LevelError:
		return LogError
	case l >= slog.LevelWarn:
		return LogWarn
	case l >= slog.LevelInfo:
		return LogInfo
	case l >= slog.LevelDebug:
		return LogDebug
	}
	return LogTrace
}

// Handler is an slog.Handler that writes each record as one protocol line
// {"logs":[{"level":…,"message":…}]} through an Emitter. Get one with
// Emitter.Handler, or use Emitter.Logger.
//
// The message text is, in order: the record time in UTC with milliseconds
// and " - " (unless WithoutLogTime), the record message as it is, then
// " key=value" for every attribute. Keys of attributes inside groups are
// joined with dots (g.h.key); keys and values are quoted Go-style (with
// strconv.Quote) when they are empty or contain spaces, '=', '"' or
// characters that are not printable, so that a message stays on one visible
// line and can be read back. Durations print as 1.5s, times as RFC 3339 with
// milliseconds, errors with Error(), other values with MarshalText or
// fmt.Sprintf("%+v").
//
// The server splits messages longer than 10 240 characters into several log
// entries. A value that cannot be written safely (a cycle, nesting or
// groups deeper than 1000) is written as !ERROR: and the reason; a message
// beyond the server's limit of 20 000 000 UTF-16 units is cut to it and ends
// with " !TRUNCATED".
type Handler struct {
	e      *Emitter
	prefix []byte // rendered attributes from WithAttrs
	groups string // open groups, each followed by '.'
}

// Handler returns the slog handler behind Logger.
func (e *Emitter) Handler() *Handler { return &Handler{e: e} }

// Enabled reports whether level reaches the Emitter's log level (see
// WithLogLevel).
func (h *Handler) Enabled(_ context.Context, level slog.Level) bool {
	return level >= h.e.minLevel.Level()
}

// WithAttrs returns a handler whose messages include attrs.
func (h *Handler) WithAttrs(attrs []slog.Attr) slog.Handler {
	if len(attrs) == 0 {
		return h
	}
	h2 := *h
	h2.prefix = append([]byte(nil), h.prefix...)
	for _, a := range attrs {
		h2.prefix = appendAttr(h2.prefix, []byte(h.groups), a, 0)
	}
	return &h2
}

// WithGroup returns a handler that qualifies later attributes with name.
func (h *Handler) WithGroup(name string) slog.Handler {
	if name == "" {
		return h
	}
	h2 := *h
	h2.groups = h.groups + name + "."
	return &h2
}

var textPool = sync.Pool{New: func() any { b := make([]byte, 0, 256); return &b }}

// Handle writes r as one protocol line; to stderr for WARN and above if the
// Emitter has WithWarningsOnStderr, else to stdout.
func (h *Handler) Handle(_ context.Context, r slog.Record) error {
	tp := textPool.Get().(*[]byte)
	text := (*tp)[:0]
	if !h.e.noTime && !r.Time.IsZero() {
		text = appendTimeMillis(text, r.Time)
		text = append(text, " - "...)
	}
	text = append(text, r.Message...)
	if h.e.addSource && r.PC != 0 {
		f, _ := runtime.CallersFrames([]uintptr{r.PC}).Next()
		text = append(text, " "+slog.SourceKey+"="...)
		text = appendValueText(text, f.File+":"+strconv.Itoa(f.Line))
	}
	text = append(text, h.prefix...)
	if r.NumAttrs() > 0 {
		var scratch [64]byte
		groups := append(scratch[:0], h.groups...)
		r.Attrs(func(a slog.Attr) bool {
			text = appendAttr(text, groups, a, 0)
			return true
		})
	}

	text = truncateText(text)
	level := KestraLevel(r.Level)
	enc := getEncoder()
	defer putEncoder(enc)
	err := enc.frame(true, func() error {
		enc.buf = append(enc.buf, `"logs":[{"level":"`...)
		enc.buf = append(enc.buf, level...)
		enc.buf = append(enc.buf, `","message":`...)
		var err error
		// text is not kept beyond this call, so it can be viewed as a string.
		enc.buf, err = appendString(enc.buf, unsafe.String(unsafe.SliceData(text), len(text)), maxStringLen)
		enc.buf = append(enc.buf, "}]"...)
		return err
	})
	if cap(text) <= 64<<10 {
		*tp = text
		textPool.Put(tp)
	}
	if err != nil {
		return err
	}
	w := h.e.stdout
	if h.e.warnToStderr && r.Level >= slog.LevelWarn {
		w = h.e.stderr
	}
	return h.e.write(w, enc.buf)
}

// truncatedMark ends a message cut to the server's string limit.
const truncatedMark = " !TRUNCATED"

// truncateText cuts text, at a character boundary, so that it fits the
// server's string limit with truncatedMark appended: a record with a huge
// attribute is still logged rather than lost (slog drops a handler's
// error).
func truncateText(text []byte) []byte {
	if len(text) <= maxStringLen-len(truncatedMark) {
		return text
	}
	units, i := 0, 0
	for i < len(text) {
		r, size := utf8.DecodeRune(text[i:])
		u := 1
		if r >= 0x10000 {
			u = 2
		}
		if units+u > maxStringLen-len(truncatedMark) {
			return append(text[:i], truncatedMark...)
		}
		units += u
		i += size
	}
	return text
}

// appendAttr appends " key=value" for a (or one such pair per attribute of
// a group), following the slog.Handler rules: values are resolved, empty
// attributes and empty groups are left out, groups with an empty key are
// inlined. groups is the dotted prefix of the open groups (appendAttr
// appends to it as scratch) and depth the number of groups a is nested in.
//
// A value that cannot be written safely (groups nested deeper than
// maxDepth; a value fmt would recurse into without end: a cycle, a nesting
// deeper than maxDepth) is written as !ERROR: and the reason, as slog's own
// handlers do for a failing MarshalText: the record is still logged.
func appendAttr(b, groups []byte, a slog.Attr, depth int) []byte {
	a.Value = a.Value.Resolve()
	if a.Equal(slog.Attr{}) {
		return b
	}
	if a.Value.Kind() == slog.KindGroup {
		attrs := a.Value.Group()
		if len(attrs) == 0 {
			return b
		}
		if a.Key != "" {
			groups = append(append(groups, a.Key...), '.')
		}
		if depth >= maxDepth {
			b = appendKey(b, groups, "")
			return appendValueText(b, fmt.Sprintf("!ERROR:groups nested deeper than %d", maxDepth))
		}
		for _, ga := range attrs {
			b = appendAttr(b, groups, ga, depth+1)
		}
		return b
	}
	b = appendKey(b, groups, a.Key)
	v := a.Value
	switch v.Kind() {
	case slog.KindString:
		return appendValueText(b, v.String())
	case slog.KindInt64:
		return strconv.AppendInt(b, v.Int64(), 10)
	case slog.KindUint64:
		return strconv.AppendUint(b, v.Uint64(), 10)
	case slog.KindFloat64:
		return strconv.AppendFloat(b, v.Float64(), 'g', -1, 64)
	case slog.KindBool:
		return strconv.AppendBool(b, v.Bool())
	case slog.KindDuration:
		return append(b, v.Duration().String()...)
	case slog.KindTime:
		return appendValueText(b, v.Time().Format(timeMillis))
	}
	switch x := v.Any().(type) {
	case error:
		return appendValueText(b, x.Error())
	case encoding.TextMarshaler:
		text, err := x.MarshalText()
		if err != nil {
			return appendValueText(b, "!ERROR:"+err.Error())
		}
		return appendValueText(b, string(text))
	case []byte:
		return append(b, strconv.Quote(string(x))...)
	case time.Duration:
		return append(b, x.String()...)
	default:
		// fmt recurses into maps, slices, structs and interfaces with no
		// limit: a cycle or a deep value would overflow the stack.
		if err := checkFmtShape(x); err != nil {
			return appendValueText(b, "!ERROR:"+err.Error())
		}
		return appendValueText(b, fmt.Sprintf("%+v", x))
	}
}

// appendKey appends " " and the attribute key, qualified by groups, then
// "=". An empty key names the group itself (groups without its final dot).
func appendKey(b, groups []byte, key string) []byte {
	b = append(b, ' ')
	full := append(groups, key...)
	if key == "" && len(full) > 0 {
		full = full[:len(full)-1]
	}
	// full is scratch, not kept beyond this call.
	b = appendValueText(b, unsafe.String(unsafe.SliceData(full), len(full)))
	return append(b, '=')
}

const timeMillis = "2006-01-02T15:04:05.000Z07:00"

// appendTimeMillis appends t in UTC as 2006-01-02T15:04:05.000Z, without
// the cost of time.Time.AppendFormat's layout interpretation.
func appendTimeMillis(b []byte, t time.Time) []byte {
	t = t.UTC()
	y, mo, d := t.Date()
	if y < 0 || y > 9999 {
		return t.AppendFormat(b, timeMillis)
	}
	h, mi, s := t.Clock()
	ms := t.Nanosecond() / 1e6
	return append(b,
		byte('0'+y/1000), byte('0'+y/100%10), byte('0'+y/10%10), byte('0'+y%10), '-',
		byte('0'+int(mo)/10), byte('0'+int(mo)%10), '-',
		byte('0'+d/10), byte('0'+d%10), 'T',
		byte('0'+h/10), byte('0'+h%10), ':',
		byte('0'+mi/10), byte('0'+mi%10), ':',
		byte('0'+s/10), byte('0'+s%10), '.',
		byte('0'+ms/100), byte('0'+ms/10%10), byte('0'+ms%10), 'Z')
}

// appendValueText appends s, quoted if it would not read back as one token.
func appendValueText(b []byte, s string) []byte {
	if needsQuoting(s) {
		return strconv.AppendQuote(b, s)
	}
	return append(b, s...)
}

func needsQuoting(s string) bool {
	if s == "" {
		return true
	}
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c <= ' ' || c == '=' || c == '"' || c == 0x7f {
				return true
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError || unicode.IsSpace(r) || !unicode.IsPrint(r) {
			return true
		}
		i += size
	}
	return false
}
