package emitter

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"sync"
	"sync/atomic"
	"time"
)

// An Emitter writes protocol lines to a stdout and a stderr writer. It is safe
// for concurrent use: each method builds its lines first and hands them to the
// writer in a single Write call under a lock, so lines from different
// goroutines never interleave. Nothing is written when a method returns an
// error wrapping ErrInvalid or ErrTooLarge.
//
// All lines go to stdout, except log lines of level WARN and above when
// WithWarningsOnStderr is set.
type Emitter struct {
	mu      sync.Mutex // serialises writes to stdout and stderr (they may be one writer)
	stdout  io.Writer
	stderr  io.Writer
	maxSize int

	// log handler settings
	minLevel     slog.Leveler
	warnToStderr bool
	addSource    bool
	noTime       bool

	logger *slog.Logger
}

// An Option configures an Emitter made by New.
type Option func(*Emitter)

// WithMaxMessageSize makes the Emitter refuse (with ErrTooLarge) any line
// longer than n bytes, newline included. The default is no limit: the server
// reads lines of any length, so even a 10 MiB output map is written as one
// valid line. Use it to enforce the advice to put big results in files.
func WithMaxMessageSize(n int) Option { return func(e *Emitter) { e.maxSize = n } }

// WithWarningsOnStderr sends the log lines of level WARN and ERROR to stderr,
// as Kestra's Python client does. The server reads protocol lines on both
// streams, but script tasks default to warningOnStdErr: true, so any line on
// stderr turns a successful task into WARNING. Without this option every
// line goes to stdout.
func WithWarningsOnStderr() Option { return func(e *Emitter) { e.warnToStderr = true } }

// WithLogLevel sets the minimum level the Logger's handler emits. The default
// is LevelTrace (everything), leaving the filtering to the task's logLevel.
func WithLogLevel(l slog.Leveler) Option { return func(e *Emitter) { e.minLevel = l } }

// WithLogSource adds source=file:line to each log message.
func WithLogSource() Option { return func(e *Emitter) { e.addSource = true } }

// WithoutLogTime leaves the record time out of log messages. By default a
// message starts with the record's UTC time and " - ", as with the Python
// client, because the server stamps a log entry with the time it reads the
// line, which can be later than the time it was logged.
func WithoutLogTime() Option { return func(e *Emitter) { e.noTime = true } }

// New returns an Emitter that writes to stdout and stderr, configured by
// opts (later options override earlier ones). Use New(os.Stdout, os.Stderr)
// for a program run by Kestra, or any writers in tests.
func New(stdout, stderr io.Writer, opts ...Option) *Emitter {
	e := &Emitter{stdout: stdout, stderr: stderr, minLevel: LevelTrace}
	for _, o := range opts {
		o(e)
	}
	e.logger = slog.New(e.Handler())
	return e
}

// write sends the lines in enc.buf, checking each line's size first.
func (e *Emitter) write(w io.Writer, lines []byte) error {
	if e.maxSize > 0 {
		start := 0
		for i, c := range lines {
			if c == '\n' {
				if n := i + 1 - start; n > e.maxSize {
					return fmt.Errorf("%w: a line of %d bytes exceeds the limit of %d set by WithMaxMessageSize", ErrTooLarge, n, e.maxSize)
				}
				start = i + 1
			}
		}
	}
	e.mu.Lock()
	_, err := w.Write(lines)
	e.mu.Unlock()
	if err != nil {
		name := "stdout"
		if w == e.stderr && w != e.stdout {
			name = "stderr"
		}
		return fmt.Errorf("emitter: write to %s: %w", name, err)
	}
	return nil
}

// Send writes the kinds of m on separate lines, in one Write: the outputs,
// then one line per metric, then the logs, then the assets. It validates
// everything before writing anything.
func (e *Emitter) Send(m Message) error {
	enc := getEncoder()
	defer putEncoder(enc)
	if m.Outputs != nil {
		if err := enc.line(&Message{Outputs: m.Outputs}); err != nil {
			return err
		}
	}
	for i := range m.Metrics {
		if err := enc.metricLine(&m.Metrics[i]); err != nil {
			return err
		}
	}
	if m.Logs != nil {
		if err := enc.line(&Message{Logs: m.Logs}); err != nil {
			return err
		}
	}
	if m.Assets != nil {
		if err := enc.line(&Message{Assets: m.Assets}); err != nil {
			return err
		}
	}
	if len(enc.buf) == 0 {
		return nil
	}
	return e.write(e.stdout, enc.buf)
}

func (enc *encoder) line(m *Message) error {
	return enc.frame(true, func() error { return enc.members(m) })
}

func (enc *encoder) metricLine(m *Metric) error {
	return enc.frame(true, func() error {
		enc.buf = append(enc.buf, `"metrics":[`...)
		if err := enc.metric(m); err != nil {
			return err
		}
		enc.buf = append(enc.buf, ']')
		return nil
	})
}

// Outputs sends outputs, which become the task's vars
// ({{ outputs.<taskId>.vars.<key> }}). A nil map sends an empty object. See
// Message.Outputs for how values are written. Outputs keeps no reference to
// the map, so a map literal built for the call costs no allocation.
func (e *Emitter) Outputs(outputs map[string]any) error {
	enc := getEncoder()
	defer putEncoder(enc)
	err := enc.frame(true, func() error {
		enc.buf = append(enc.buf, `"outputs":`...)
		if outputs == nil {
			enc.buf = append(enc.buf, "{}"...)
			return nil
		}
		return enc.outputsObject(outputs)
	})
	if err != nil {
		return fmt.Errorf("outputs: %w", err)
	}
	return e.write(e.stdout, enc.buf)
}

// OutputPairs is the map-free form of Outputs: keysAndValues alternate
// keys, which must be strings given once each, and values, as in
// OutputPairs("rows", 42, "table", "orders"). The object keeps the order
// given. It saves building a map for each call (see the README's
// performance table); values are written as for Outputs.
func (e *Emitter) OutputPairs(keysAndValues ...any) error {
	enc := getEncoder()
	defer putEncoder(enc)
	err := enc.frame(true, func() error {
		enc.buf = append(enc.buf, `"outputs":`...)
		return enc.pairs(keysAndValues, 2)
	})
	if err != nil {
		return fmt.Errorf("outputs: %w", err)
	}
	return e.write(e.stdout, enc.buf)
}

// Metric sends one metric on its own line.
func (e *Emitter) Metric(m Metric) error {
	enc := getEncoder()
	defer putEncoder(enc)
	if err := enc.metricLine(&m); err != nil {
		return err
	}
	return e.write(e.stdout, enc.buf)
}

// Counter sends a counter metric. The server adds up the values of counters
// with the same name and tags within a task run. tags may be nil.
func (e *Emitter) Counter(name string, value float64, tags map[string]string) error {
	return e.Metric(Metric{Name: name, Type: MetricCounter, Value: value, Tags: tags})
}

// Gauge sends a gauge metric (the last value wins). Servers older than gauges
// (2025) drop the line.
func (e *Emitter) Gauge(name string, value float64, tags map[string]string) error {
	return e.Metric(Metric{Name: name, Type: MetricGauge, Value: value, Tags: tags})
}

// Timer sends a timer metric; d is written as exact decimal seconds, which
// is how the server reads it.
func (e *Emitter) Timer(name string, d time.Duration, tags map[string]string) error {
	return e.Metric(Metric{Name: name, Type: MetricTimer, Duration: d, Tags: tags})
}

// TimeFunc runs fn, then sends its wall-clock time (monotonic clock) as a
// timer, also when fn returns an error. It returns fn's error joined with
// the error of sending the timer, if any.
func (e *Emitter) TimeFunc(name string, tags map[string]string, fn func() error) error {
	start := time.Now()
	ferr := fn()
	return errors.Join(ferr, e.Timer(name, time.Since(start), tags))
}

// Assets sends assets on their own line. The zero Shape is the object shape
// {"inputs":[…],"outputs":[…]} of current servers; set Shape to AssetsList
// for servers of early 2026.
func (e *Emitter) Assets(a AssetSet) error {
	return e.Send(Message{Assets: &a})
}

// Logs sends log entries on one line, at the levels they carry.
func (e *Emitter) Logs(logs ...Log) error {
	if len(logs) == 0 {
		return nil
	}
	return e.Send(Message{Logs: logs})
}

// Logger returns a logger whose records become protocol log lines; see
// Handler.
func (e *Emitter) Logger() *slog.Logger { return e.logger }

var defaultEmitter atomic.Pointer[Emitter]

// stdoutWriter and stderrWriter write to os.Stdout and os.Stderr as they are
// at the time of the write, so that reassigning them (as the testing package
// does for examples) redirects the default Emitter too.
type (
	stdoutWriter struct{}
	stderrWriter struct{}
)

func (stdoutWriter) Write(p []byte) (int, error) { return os.Stdout.Write(p) }
func (stderrWriter) Write(p []byte) (int, error) { return os.Stderr.Write(p) }

func init() { defaultEmitter.Store(New(stdoutWriter{}, stderrWriter{})) }

// Default returns the Emitter that the package-level functions use; unless
// changed by SetDefault it writes to os.Stdout and os.Stderr (the values of
// those variables at the time of each write).
func Default() *Emitter { return defaultEmitter.Load() }

// SetDefault makes e the Emitter of the package-level functions.
func SetDefault(e *Emitter) { defaultEmitter.Store(e) }

// Send calls Default().Send.
func Send(m Message) error { return Default().Send(m) }

// Outputs calls Default().Outputs.
func Outputs(outputs map[string]any) error { return Default().Outputs(outputs) }

// OutputPairs calls Default().OutputPairs.
func OutputPairs(keysAndValues ...any) error { return Default().OutputPairs(keysAndValues...) }

// Counter calls Default().Counter.
func Counter(name string, value float64, tags map[string]string) error {
	return Default().Counter(name, value, tags)
}

// Gauge calls Default().Gauge.
func Gauge(name string, value float64, tags map[string]string) error {
	return Default().Gauge(name, value, tags)
}

// Timer calls Default().Timer.
func Timer(name string, d time.Duration, tags map[string]string) error {
	return Default().Timer(name, d, tags)
}

// TimeFunc calls Default().TimeFunc.
func TimeFunc(name string, tags map[string]string, fn func() error) error {
	return Default().TimeFunc(name, tags, fn)
}

// Assets calls Default().Assets.
func Assets(a AssetSet) error { return Default().Assets(a) }

// Logs calls Default().Logs.
func Logs(logs ...Log) error { return Default().Logs(logs...) }

// Logger calls Default().Logger. Use slog.SetDefault(emitter.Logger()) to
// route the program's slog calls to Kestra.
func Logger() *slog.Logger { return Default().Logger() }
