// Package emitter implements Kestra's script protocol for Go programs run by
// a Kestra task (the Go script plugin, the Process and Docker task runners):
// printing lines of the form ::{JSON}:: on stdout to send outputs, metrics,
// logs and assets to the server. It is the Go counterpart of the Kestra class
// of Kestra's Python client, exact to the server's own parsing rules.
//
// # Sending
//
// The package-level functions write to os.Stdout through a default Emitter:
//
//	emitter.Outputs(map[string]any{"rows": 42})
//	emitter.OutputPairs("rows", 42, "table", "orders") // the same without a map
//	emitter.Counter("rows", 42, map[string]string{"table": "orders"})
//	emitter.Timer("load", 1500*time.Millisecond, nil)
//	emitter.Logger().Info("loaded", "rows", 42)
//
// New binds an Emitter to any pair of writers (tests use a bytes.Buffer),
// with options such as WithWarningsOnStderr.
//
// Sending strings, numbers, booleans and maps and slices of them allocates
// nothing in this package (structs and marshalers go through encoding/json,
// which does). The maps passed to Outputs and Counter are not retained, so
// a map literal built for the call can stay on the caller's stack.
// An Emitter is safe for concurrent use: every call is a single Write of whole
// lines.
//
// # What the server accepts
//
// The server matches each output line against the Java regular expression
// ^::(\{.*})::$ and parses the group with Jackson. A line that does not match
// is logged as plain text; a line that matches but does not parse, or has one
// element of the wrong shape (a lowercase level, an unknown metric type, NaN,
// a non-string tag), is dropped whole with a server-side warning. So this
// package:
//
//   - writes compact JSON made of printable ASCII only: every non-ASCII
//     character is escaped as \uXXXX (surrogate pairs above U+FFFF), like
//     Python's json.dumps. This keeps U+0085, U+2028 and U+2029 (which Java's
//     '.' does not match), CR and LF out of the line, and protects against the
//     Docker runner decoding 16 KiB chunks separately (which corrupts a
//     multi-byte character cut at a chunk boundary);
//   - validates before writing and returns an error (wrapping ErrInvalid or
//     ErrTooLarge) instead of a line the server would drop or misread;
//   - puts each kind, and each metric, on its own line, so that one element a
//     given server version does not know (a gauge, an assets shape) costs
//     only its own line;
//   - writes everything to stdout. Script tasks default to
//     warningOnStdErr: true, so a line on stderr turns a successful task into
//     WARNING; WithWarningsOnStderr opts into the Python client's split of
//     WARN and ERROR logs to stderr.
//
// Parse gives the server's view of a line: whether it matches, whether the
// server rejects it, and what it carries. Test your program's output with it.
//
// # Decisions
//
// Invalid UTF-8 in strings and keys is written as U+FFFD, one per invalid
// byte (what encoding/json does; the server itself decodes invalid bytes in a
// process's output to U+FFFD). Lone surrogates from \u escapes read by Parse
// become U+FFFD too, as Go strings cannot hold them.
//
// Map keys follow encoding/json: strings, integers (written in decimal) and
// encoding.TextMarshalers; other key types are an error. Keys are sorted, so
// Format is deterministic.
//
// Floating-point values are always written with a fraction or an exponent
// (1.0, not 1), so the server keeps them as floating-point numbers.
//
// Large payloads: the server has no line length limit, so a large message,
// for example a 10 MiB output map, is written as one valid line in a single
// Write. Only Jackson's limits apply, and are checked: nesting depth 1000,
// strings of 20 000 000 UTF-16 units, numbers of 1000 characters, and (as
// Format writes them) keys of 50 000 units. Kestra's advice still holds: put
// large results in files declared in the task's outputFiles and send only
// small values as outputs, because outputs are kept in the execution's
// context. WithMaxMessageSize enforces a size limit of your own.
//
// # Hostile values
//
// No value crashes a program. Every walk over a caller's value (this
// package's encoder, encoding/json behind it for structs and marshalers,
// fmt for slog attributes) is bounded before it starts: nesting beyond 1000
// (ErrTooLarge), more than 1000 pointers and interfaces on one path
// (ErrTooLarge) and a value that contains itself (ErrInvalid) are errors,
// and the key limit applies to keys from maps, structs and marshalers alike.
// Shared values that are not cycles are fine.
//
// # Logging
//
// Logger returns an *slog.Logger whose Handler turns each record into one
// logs line: slog levels map to Kestra levels (LevelTrace is TRACE, below
// slog.LevelDebug), and attributes and groups are written into the message
// text as key=value pairs. slog.SetDefault(emitter.Logger()) routes a
// program's slog output to Kestra. An attribute that cannot be written
// safely (a cyclic or too deeply nested value, groups nested deeper than
// 1000) is written as !ERROR: and the reason, and a message beyond the
// server's string limit is cut and marked !TRUNCATED: the record is still
// logged, as slog drops a handler's errors.
package emitter
