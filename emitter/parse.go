package emitter

import (
	"fmt"
	"strings"
)

// Parse returns what the server takes from one line of a task's output.
//
// The line may end with one line terminator (as the server's pattern
// allows), not more. Parse applies the server's rules exactly:
//
//   - the Java pattern ^::(\{.*})::$, applied without trimming: '.' matches
//     anything but \n, \r, U+0085, U+2028 and U+2029, '$' allows one final
//     line terminator (\n, \r, \r\n, U+0085, U+2028 or U+2029), '.*' is
//     greedy. A line that does not match gives an error wrapping
//     ErrNotProtocol: the server logs it as plain text;
//   - the group is read by Jackson: only the first JSON value counts, any
//     text after it is ignored (so of "::{A}:: ::{B}::" only A counts),
//     strict JSON, case-sensitive keys, unknown keys ignored, duplicate keys
//     last-wins (each duplicate must still be valid);
//   - the types of the server's model: outputs an object; metrics a list of
//     objects whose "type" (the first non-null one) is "counter", "timer" or
//     "gauge", with a value read as Java reads a Double (numbers and numeric
//     strings, "NaN" and "Infinity" included) or, for timers, a
//     java.time.Duration (integer: seconds; decimal: seconds with a fraction;
//     numeric string: seconds; else ISO-8601 such as "PT1.5S"); tags an
//     object of strings, numbers and booleans (coerced to their text); logs a
//     list of {level, message} with level exactly ERROR, WARN, INFO, DEBUG or
//     TRACE (or a JSON integer 0 to 4, the enum's ordinal); assets either a
//     list of assets or an {inputs, outputs} object (AssetSet.Shape says
//     which, and a given server accepts only one of them).
//
// A matching line the server cannot use gives an error wrapping ErrRejected
// (wrapping ErrTooLarge too when one of Jackson's limits is the cause): the
// server applies nothing from it. A log entry with a null or missing level is
// dropped alone, as the server does. Parse also rejects a metric whose name
// or value is null or missing, which Jackson accepts but the server then
// fails to record.
//
// Values of outputs are mapped as documented on Message.Outputs. A null
// message of a log entry becomes "", null tag values are left out (the server
// keeps them as nulls), an empty tags object becomes nil, and a timer longer
// than Go's time.Duration range (about 292 years) is clamped to it.
//
// Parse models current servers (2026): it accepts gauges, which servers from
// before 2025 reject, and does not model the "otlp" key of the newest ones.
func Parse(line string) (Message, error) {
	group, ok := matchLine(line)
	if !ok {
		return Message{}, ErrNotProtocol
	}
	var m Message
	err := parseFirstValue(group, func(root *jvalue) (err error) {
		m, err = decodeMessage(root)
		return err
	})
	if err != nil {
		return Message{}, fmt.Errorf("%w: %w", ErrRejected, err)
	}
	return m, nil
}

// containsTerminator reports whether s contains a character Java's '.'
// does not match. It scans bytes: U+0085 is C2 85 and U+2028/U+2029 are
// E2 80 A8/A9 in UTF-8, and as C2 and E2 are never continuation bytes these
// sequences are those characters wherever they occur, even after invalid
// UTF-8.
func containsTerminator(s string) bool {
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '\n', '\r':
			return true
		case 0xc2:
			if i+1 < len(s) && s[i+1] == 0x85 {
				return true
			}
		case 0xe2:
			if i+2 < len(s) && s[i+1] == 0x80 && (s[i+2] == 0xa8 || s[i+2] == 0xa9) {
				return true
			}
		}
	}
	return false
}

// matchLine applies ^::(\{.*})::$ and returns group 1.
func matchLine(line string) (string, bool) {
	body := line
	switch {
	case strings.HasSuffix(body, "\r\n"):
		body = body[:len(body)-2]
	case strings.HasSuffix(body, "\n"), strings.HasSuffix(body, "\r"):
		body = body[:len(body)-1]
	case strings.HasSuffix(body, "\u0085"):
		body = body[:len(body)-len("\u0085")]
	case strings.HasSuffix(body, "\u2028"), strings.HasSuffix(body, "\u2029"):
		body = body[:len(body)-len("\u2028")]
	}
	if len(body) < len("::{}::") || !strings.HasPrefix(body, "::{") || !strings.HasSuffix(body, "}::") {
		return "", false
	}
	if containsTerminator(body) {
		return "", false
	}
	return body[2 : len(body)-2], true
}
