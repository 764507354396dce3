package emitter

import (
	"fmt"
	"math"
	"regexp"
	"strconv"
	"time"
)

// Format returns the protocol line for m, without the final newline: "::",
// the message as compact ASCII-only JSON, "::". The JSON object has the keys
// of the non-nil fields of m in the order outputs, metrics, logs, assets.
//
// Format validates everything the server would reject or misread and
// returns an error wrapping ErrInvalid or ErrTooLarge instead of a line:
// NaN and ±Inf, values encoding/json cannot marshal, an empty metric name, an
// unknown metric type or log level, a negative timer duration, an invalid
// asset id, nesting or strings beyond the server's JSON limits.
//
// Format puts all kinds on one line, as asked. The Emitter methods instead
// write each kind (and each metric) on its own line, because one element the
// server cannot read (a gauge on a server that predates gauges, the other
// assets shape) makes it drop the whole line.
func Format(m Message) (string, error) {
	e := getEncoder()
	defer putEncoder(e)
	if err := e.frame(false, func() error { return e.members(&m) }); err != nil {
		return "", err
	}
	return string(e.buf), nil
}

// AppendFormat appends the line Format returns to dst. On error dst is
// returned unchanged.
func AppendFormat(dst []byte, m Message) ([]byte, error) {
	e := encoder{buf: dst}
	if err := e.frame(false, func() error { return e.members(&m) }); err != nil {
		return dst, err
	}
	return e.buf, nil
}

// frame appends one protocol line to e.buf: "::{", the members body
// appends, "}::" and, with newline, "\n". Every writer (Format,
// AppendFormat, Send, Outputs, Metric, the slog Handler) frames its lines
// here and nowhere else. On error e.buf is cut back to where it was, so a
// refused line leaves nothing behind.
func (e *encoder) frame(newline bool, body func() error) error {
	start := len(e.buf)
	e.buf = append(e.buf, "::{"...)
	if err := body(); err != nil {
		e.buf = e.buf[:start]
		return err
	}
	if newline {
		e.buf = append(e.buf, "}::\n"...)
	} else {
		e.buf = append(e.buf, "}::"...)
	}
	return nil
}

// members appends the members of m's JSON object, in the order outputs,
// metrics, logs, assets.
func (e *encoder) members(m *Message) error {
	comma := false
	sep := func(key string) {
		if comma {
			e.buf = append(e.buf, ',')
		}
		comma = true
		e.buf = append(e.buf, key...)
	}
	if m.Outputs != nil {
		sep(`"outputs":`)
		if err := e.outputsObject(m.Outputs); err != nil {
			return fmt.Errorf("outputs: %w", err)
		}
	}
	if m.Metrics != nil {
		sep(`"metrics":[`)
		for i := range m.Metrics {
			if i > 0 {
				e.buf = append(e.buf, ',')
			}
			if err := e.metric(&m.Metrics[i]); err != nil {
				return err
			}
		}
		e.buf = append(e.buf, ']')
	}
	if m.Logs != nil {
		sep(`"logs":[`)
		for i := range m.Logs {
			if i > 0 {
				e.buf = append(e.buf, ',')
			}
			if err := e.log(m.Logs[i].Level, m.Logs[i].Message); err != nil {
				return err
			}
		}
		e.buf = append(e.buf, ']')
	}
	if m.Assets != nil {
		sep(`"assets":`)
		if err := e.assets(m.Assets); err != nil {
			return err
		}
	}
	return nil
}

// metric writes {"name":…,"type":…,"value":…,"tags":{…}} (the Python
// client's key order), plus timestamp and description when set.
//
// Error messages quote m's strings through metricLabel: passing them to fmt
// directly would make *m, and with it the tags map, escape to the heap
// (escape analysis does not tell fields apart), so that a map literal built
// for a Counter call could not stay on the caller's stack.
func (e *encoder) metric(m *Metric) error {
	if m.Name == "" {
		return invalidf("metric name is empty")
	}
	e.buf = append(e.buf, `{"name":`...)
	if err := e.str(m.Name); err != nil {
		return fmt.Errorf("metric name: %w", err)
	}
	switch m.Type {
	case MetricCounter, MetricGauge:
		if math.IsNaN(m.Value) || math.IsInf(m.Value, 0) {
			return invalidf("%s: value %v is not a JSON number (the server rejects the line)", metricLabel(m), m.Value)
		}
		e.buf = append(e.buf, `,"type":"`...)
		e.buf = append(e.buf, m.Type...)
		e.buf = append(e.buf, `","value":`...)
		e.buf, _ = appendFloat(e.buf, m.Value, 64)
	case MetricTimer:
		if m.Duration < 0 {
			return invalidf("%s: negative duration %v", metricLabel(m), m.Duration)
		}
		e.buf = append(e.buf, `,"type":"timer","value":`...)
		e.buf = appendSeconds(e.buf, m.Duration)
	default:
		return invalidf("metric %s: unknown type %s (want counter, timer or gauge)", strconv.Quote(m.Name), strconv.Quote(string(m.Type)))
	}
	e.buf = append(e.buf, `,"tags":`...)
	if err := e.mapString(m.Tags, 4); err != nil {
		return fmt.Errorf("%s tags: %w", metricLabel(m), err)
	}
	if !m.Timestamp.IsZero() {
		t := m.Timestamp.UTC()
		if y := t.Year(); y < 1 || y > 9999 {
			return invalidf("%s: timestamp year %d outside of [1,9999]", metricLabel(m), y)
		}
		e.buf = append(e.buf, `,"timestamp":"`...)
		e.buf = t.AppendFormat(e.buf, time.RFC3339Nano)
		e.buf = append(e.buf, '"')
	}
	if m.Description != "" {
		e.buf = append(e.buf, `,"description":`...)
		if err := e.str(m.Description); err != nil {
			return fmt.Errorf("%s description: %w", metricLabel(m), err)
		}
	}
	e.buf = append(e.buf, '}')
	return nil
}

// metricLabel names m in errors, as `counter "rows"`, in a new string.
func metricLabel(m *Metric) string { return string(m.Type) + " " + strconv.Quote(m.Name) }

func (e *encoder) log(level LogLevel, msg string) error {
	if !level.valid() {
		return invalidf("log level %q (want TRACE, DEBUG, INFO, WARN or ERROR)", level)
	}
	e.buf = append(e.buf, `{"level":"`...)
	e.buf = append(e.buf, level...)
	e.buf = append(e.buf, `","message":`...)
	if err := e.str(msg); err != nil {
		return fmt.Errorf("log message: %w", err)
	}
	e.buf = append(e.buf, '}')
	return nil
}

// The server's validation rules for asset ids and namespaces.
var (
	assetIDPattern        = regexp.MustCompile(`^[a-zA-Z0-9][a-zA-Z0-9._-]*$`)
	assetNamespacePattern = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]*$`)
)

func checkAssetID(id, namespace string) error {
	if len(id) == 0 || len(id) > 150 || !assetIDPattern.MatchString(id) {
		return invalidf("asset id %q: want 1 to 150 characters from [a-zA-Z0-9._-], starting with a letter or digit", id)
	}
	if namespace != "" && !assetNamespacePattern.MatchString(namespace) {
		return invalidf("asset %q: namespace %q: want characters from [a-z0-9._-], starting with a lowercase letter or digit", id, namespace)
	}
	return nil
}

func (e *encoder) assets(a *AssetSet) error {
	switch a.Shape {
	case AssetsObject:
		e.buf = append(e.buf, `{"inputs":[`...)
		for i, in := range a.Inputs {
			if i > 0 {
				e.buf = append(e.buf, ',')
			}
			if err := checkAssetID(in.ID, in.Namespace); err != nil {
				return fmt.Errorf("asset input: %w", err)
			}
			e.buf = append(e.buf, `{"id":`...)
			_ = e.str(in.ID)
			if in.Namespace != "" {
				e.buf = append(e.buf, `,"namespace":`...)
				_ = e.str(in.Namespace)
			}
			if in.Type != "" {
				e.buf = append(e.buf, `,"type":`...)
				if err := e.str(in.Type); err != nil {
					return fmt.Errorf("asset input %q type: %w", in.ID, err)
				}
			}
			e.buf = append(e.buf, '}')
		}
		e.buf = append(e.buf, `],"outputs":`...)
		if err := e.assetList(a.Outputs, 3); err != nil {
			return err
		}
		e.buf = append(e.buf, '}')
	case AssetsList:
		if len(a.Inputs) > 0 {
			return invalidf("assets: the list shape cannot carry inputs")
		}
		return e.assetList(a.Outputs, 2)
	default:
		return invalidf("assets: unknown shape %d", int(a.Shape))
	}
	return nil
}

// assetList writes a JSON array of assets; depth is the array's depth.
func (e *encoder) assetList(list []Asset, depth int) error {
	e.buf = append(e.buf, '[')
	for i := range list {
		a := &list[i]
		if i > 0 {
			e.buf = append(e.buf, ',')
		}
		if err := checkAssetID(a.ID, a.Namespace); err != nil {
			return err
		}
		if a.Type == "" {
			return invalidf("asset %q: empty type", a.ID)
		}
		e.buf = append(e.buf, `{"id":`...)
		_ = e.str(a.ID)
		if a.Namespace != "" {
			e.buf = append(e.buf, `,"namespace":`...)
			_ = e.str(a.Namespace)
		}
		e.buf = append(e.buf, `,"type":`...)
		if err := e.str(a.Type); err != nil {
			return fmt.Errorf("asset %q type: %w", a.ID, err)
		}
		if a.DisplayName != "" {
			e.buf = append(e.buf, `,"displayName":`...)
			if err := e.str(a.DisplayName); err != nil {
				return fmt.Errorf("asset %q displayName: %w", a.ID, err)
			}
		}
		if a.Description != "" {
			e.buf = append(e.buf, `,"description":`...)
			if err := e.str(a.Description); err != nil {
				return fmt.Errorf("asset %q description: %w", a.ID, err)
			}
		}
		if a.Metadata != nil {
			e.buf = append(e.buf, `,"metadata":`...)
			if err := e.mapAny(a.Metadata, depth+2); err != nil {
				return fmt.Errorf("asset %q metadata: %w", a.ID, err)
			}
		}
		e.buf = append(e.buf, '}')
	}
	e.buf = append(e.buf, ']')
	return nil
}
