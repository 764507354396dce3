package emitter

import (
	"errors"
	"fmt"
	"time"
)

// Message is the content of one protocol line: the JSON object between
// "::" and "::". Every field is optional; a nil field is absent from the line,
// a non-nil empty one is present (for example `"outputs":{}`).
//
// [Format] turns a Message into a line and [Parse] turns a line back into the
// Message the server sees, so that Parse(Format(m)) == m for every Message that
// Format accepts (with the value mapping documented on [Message.Outputs]).
type Message struct {
	// Outputs become the task's `vars` output ({{ outputs.<taskId>.vars.<key> }}).
	// The server merges the outputs of all lines shallowly: the last line
	// that sets a top-level key wins, nested maps are not merged.
	//
	// Format accepts the values encoding/json accepts (with the same rules for
	// structs, json.Marshaler, encoding.TextMarshaler and map keys of string,
	// integer or TextMarshaler type), but writes float32/float64 values with a
	// fraction or exponent (1.0, not 1) so that the server keeps them as
	// floating-point numbers, and refuses NaN and ±Inf.
	//
	// Parse maps JSON values as Jackson does on the server: objects to
	// map[string]any, arrays to []any, strings to string, true/false to bool,
	// null to nil, integers to int64 (or *big.Int beyond int64) and numbers
	// with a fraction or exponent to float64 (±Inf when out of range, as Java
	// does).
	Outputs map[string]any

	// Metrics are counters, timers and gauges.
	Metrics []Metric

	// Logs are log entries the server writes to the task's log at their level.
	Logs []Log

	// Assets are data lineage assets (Kestra 2026 and newer).
	Assets *AssetSet
}

// MetricType is the value of a metric's "type" field. The server matches it
// case-sensitively.
type MetricType string

// The metric types the server knows.
const (
	// MetricCounter adds up: the server sums the values of entries with the
	// same name and tags within one task run.
	MetricCounter MetricType = "counter"
	// MetricTimer records a duration; the server sums the durations of
	// entries with the same name and tags within one task run.
	MetricTimer MetricType = "timer"
	// MetricGauge records a value at a point in time; the last one wins.
	// Servers released before gauges existed (2025) reject the whole line.
	MetricGauge MetricType = "gauge"
)

// Metric is one element of a line's "metrics" list.
type Metric struct {
	// Name identifies the metric; it must not be empty.
	Name string
	// Type is MetricCounter, MetricTimer or MetricGauge.
	Type MetricType
	// Value is the value of a counter or gauge. It must be finite.
	// It is ignored (and zero after Parse) for timers.
	Value float64
	// Duration is the value of a timer. It must not be negative.
	// It is ignored (and zero after Parse) for counters and gauges.
	//
	// On the line a duration is written as an exact decimal number of
	// seconds (1.5s is 1.5), which is how the server reads a JSON number for
	// a timer. Never send a time.Duration through encoding/json: it becomes
	// integer nanoseconds, which the server reads as seconds.
	Duration time.Duration
	// Tags split a metric into series; the server keeps one series per
	// distinct set of tags. Format always writes an object (`{}` for nil),
	// as the Python client does: servers that register the metric with
	// tagsAsArray fail on missing tags. Parse returns nil for a missing, null
	// or empty object.
	Tags map[string]string
	// Timestamp, when not zero, is sent as the metric's time (RFC 3339, UTC).
	// The server uses the time it reads the line otherwise.
	Timestamp time.Time
	// Description, when not empty, is sent as the metric's description
	// (newer servers; older ones ignore it).
	Description string
}

// Seconds returns a timer's duration as it is written on the line: an exact
// decimal number of seconds. It is mostly useful in tests.
func (m Metric) Seconds() string { return string(appendSeconds(nil, m.Duration)) }

// LogLevel is a Kestra log level as written on the line. The server matches it
// case-sensitively against the five names below.
type LogLevel string

// The Kestra log levels, from the most to the least severe.
const (
	LogError LogLevel = "ERROR"
	LogWarn  LogLevel = "WARN"
	LogInfo  LogLevel = "INFO"
	LogDebug LogLevel = "DEBUG"
	LogTrace LogLevel = "TRACE"
)

// levelOrdinals is the order of org.slf4j.event.Level: the server accepts a
// JSON integer as the index into it.
var levelOrdinals = [...]LogLevel{LogError, LogWarn, LogInfo, LogDebug, LogTrace}

func (l LogLevel) valid() bool {
	switch l {
	case LogError, LogWarn, LogInfo, LogDebug, LogTrace:
		return true
	}
	return false
}

// Log is one element of a line's "logs" list.
type Log struct {
	// Level must be one of the five LogLevel constants.
	Level LogLevel
	// Message is the log text. The server splits messages longer than
	// 10 240 characters into several log entries and masks secret values.
	Message string
}

// AssetShape says which JSON shape a line's "assets" value has. The two
// shapes come from two generations of the server, and each server rejects
// the shape it does not know (with the whole line).
type AssetShape int

const (
	// AssetsObject is `{"inputs":[...],"outputs":[...]}`, what current
	// servers (since March 2026) and Kestra's own client libraries send.
	AssetsObject AssetShape = iota
	// AssetsList is `[asset, ...]`, the earlier 2026 shape; it has no inputs.
	AssetsList
)

// String returns "object" or "list".
func (s AssetShape) String() string {
	switch s {
	case AssetsObject:
		return "object"
	case AssetsList:
		return "list"
	}
	return fmt.Sprintf("AssetShape(%d)", int(s))
}

// AssetSet is the value of a line's "assets" key.
type AssetSet struct {
	// Shape selects the JSON shape; the zero value is the current object
	// shape. Parse reports the shape the line had.
	Shape AssetShape
	// Inputs are the assets the task read. Only the object shape has them.
	Inputs []AssetRef
	// Outputs are the assets the task produced.
	Outputs []Asset
}

// AssetRef identifies an existing asset (an input of the task).
type AssetRef struct {
	// ID is the asset's id.
	ID string
	// Namespace is the asset's namespace; empty means the task's own.
	Namespace string
	// Type is the asset's type ("TABLE", "FILE"...), optional. Current
	// servers keep it in the input's identifier (AssetIdentifier has a type
	// field) and Kestra's Python client sends it; servers whose identifier
	// has no type ignore it.
	Type string
}

// Asset describes an asset the task produced.
type Asset struct {
	// ID is required: 1 to 150 characters from [a-zA-Z0-9._-], starting
	// with a letter or digit.
	ID string
	// Namespace is optional: characters from [a-z0-9._-], starting with a
	// lowercase letter or digit.
	Namespace string
	// Type is required, for example "TABLE", "FILE", "DATASET", "VM" or a
	// custom type name.
	Type string
	// DisplayName and Description are optional.
	DisplayName string
	Description string
	// Metadata holds the type's fields (for a TABLE: "system", "database",
	// "schema", "name"). Parse also puts every unknown key of the asset
	// object here, as the server does.
	Metadata map[string]any
}

// Errors callers can branch on with errors.Is.
var (
	// ErrNotProtocol means a line does not match the protocol pattern
	// ^::(\{.*})::$; the server logs such a line as plain text.
	ErrNotProtocol = errors.New("not a protocol line")

	// ErrRejected means a line matches the protocol pattern but the server
	// cannot use it; the server logs a warning and applies nothing from the
	// line (no outputs, metrics, logs or assets).
	ErrRejected = errors.New("line rejected by the server")

	// ErrInvalid means a value cannot be sent because the server would
	// reject the line or misread it (NaN, an empty metric name, a bad level,
	// a value JSON cannot represent...). Nothing was written.
	ErrInvalid = errors.New("invalid message")

	// ErrTooLarge means a message exceeds a configured size limit
	// (see WithMaxMessageSize) or one of the server's JSON limits. Nothing was
	// written.
	ErrTooLarge = errors.New("message too large")
)
