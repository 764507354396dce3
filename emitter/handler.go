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
// entries.
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
		h2.prefix = appendAttr(h2.prefix, h.groups, a)
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
		r.Attrs(func(a slog.Attr) bool {
			text = appendAttr(text, h.groups, a)
			return true
		})
	}

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

// appendAttr appends " key=value" for a (or one such pair per attribute of
// a group), following the slog.Handler rules: values are resolved, empty
// attributes and empty groups are left out, groups with an empty key are
// inlined.
func appendAttr(b []byte, groups string, a slog.Attr) []byte {
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
			groups += a.Key + "."
		}
		for _, ga := range attrs {
			b = appendAttr(b, groups, ga)
		}
		return b
	}
	b = append(b, ' ')
	if groups == "" {
		b = appendValueText(b, a.Key)
	} else {
		b = appendValueText(b, groups+a.Key)
	}
	b = append(b, '=')
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
		return appendValueText(b, fmt.Sprintf("%+v", x))
	}
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
