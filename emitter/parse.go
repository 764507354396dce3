package emitter

import (
	"fmt"
	"math"
	"math/big"
	"strconv"
	"strings"
	"time"
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

func rejectf(format string, args ...any) error { return fmt.Errorf(format, args...) }

func decodeMessage(root *jvalue) (Message, error) {
	var m Message
	for i := range root.kids {
		mem := &root.kids[i]
		var err error
		switch mem.key {
		case "outputs":
			m.Outputs, err = decodeOutputs(&mem.val)
		case "metrics":
			m.Metrics, err = decodeMetrics(&mem.val)
		case "logs":
			m.Logs, err = decodeLogs(&mem.val)
		case "assets":
			m.Assets, err = decodeAssets(&mem.val)
		}
		if err != nil {
			return Message{}, err
		}
	}
	return m, nil
}

func decodeOutputs(v *jvalue) (map[string]any, error) {
	switch v.kind {
	case jNull:
		return nil, nil
	case jObject:
		return untypedObject(v), nil
	}
	return nil, rejectf("outputs: want an object, got %s", v.kind)
}

// nullOr checks that v is null or of kind want (jObject or jArray), as a
// map or list field of the server's model requires.
func nullOr(want jkind, what string, v *jvalue) (isNull bool, err error) {
	switch v.kind {
	case jNull:
		return true, nil
	case want:
		return false, nil
	}
	return false, rejectf("%s: want an %s, got %s", what, want, v.kind)
}

// untyped maps a JSON value as Jackson maps it to Object.
func untyped(v *jvalue) any {
	switch v.kind {
	case jNull:
		return nil
	case jTrue:
		return true
	case jFalse:
		return false
	case jString:
		return v.s
	case jNumber:
		if v.float {
			f, _ := strconv.ParseFloat(v.s, 64) // ±Inf on overflow, like Java
			return f
		}
		if n, err := strconv.ParseInt(v.s, 10, 64); err == nil {
			return n
		}
		b, _ := new(big.Int).SetString(v.s, 10)
		return b
	case jArray:
		out := make([]any, len(v.kids))
		for i := range v.kids {
			out[i] = untyped(&v.kids[i].val)
		}
		return out
	case jObject:
		return untypedObject(v)
	}
	return nil
}

func untypedObject(v *jvalue) map[string]any {
	out := make(map[string]any, len(v.kids))
	for i := range v.kids {
		out[v.kids[i].key] = untyped(&v.kids[i].val)
	}
	return out
}

// stringField is Jackson's String deserializer: scalars are coerced to
// their text, null is null, objects and arrays are errors.
func stringField(what string, v *jvalue) (s string, isNull bool, err error) {
	if v.kind == jNull {
		return "", true, nil
	}
	if s, ok := v.scalarText(); ok {
		return s, false, nil
	}
	return "", false, rejectf("%s: want a string, got %s", what, v.kind)
}

// typeID returns the polymorphic type id as Jackson's AsPropertyTypeDeserializer
// finds it: the first "type" member whose value has a text form.
func typeID(obj []jmember) (string, bool) {
	for i := range obj {
		if obj[i].key == "type" {
			if s, ok := obj[i].val.scalarText(); ok {
				return s, true
			}
		}
	}
	return "", false
}

func decodeMetrics(v *jvalue) ([]Metric, error) {
	if isNull, err := nullOr(jArray, "metrics", v); isNull || err != nil {
		return nil, err
	}
	out := make([]Metric, 0, len(v.kids))
	for i := range v.kids {
		mt, err := decodeMetric(&v.kids[i].val)
		if err != nil {
			return nil, fmt.Errorf("metrics[%d]: %w", i, err)
		}
		out = append(out, mt)
	}
	return out, nil
}

func decodeMetric(v *jvalue) (Metric, error) {
	var m Metric
	if v.kind != jObject {
		return m, rejectf("want an object, got %s", v.kind)
	}
	id, ok := typeID(v.kids)
	if !ok {
		return m, rejectf("missing type id")
	}
	switch MetricType(id) {
	case MetricCounter, MetricTimer, MetricGauge:
		m.Type = MetricType(id)
	default:
		return m, rejectf("unknown metric type %q", id)
	}
	var hasName, hasValue bool
	for i := range v.kids {
		mem := &v.kids[i]
		switch mem.key {
		case "name":
			s, isNull, err := stringField("name", &mem.val)
			if err != nil {
				return m, err
			}
			m.Name, hasName = s, !isNull
		case "value":
			if m.Type == MetricTimer {
				d, isNull, err := javaDuration(&mem.val)
				if err != nil {
					return m, err
				}
				m.Duration, hasValue = d, !isNull
			} else {
				f, isNull, err := javaDouble(&mem.val)
				if err != nil {
					return m, err
				}
				m.Value, hasValue = f, !isNull
			}
		case "tags":
			tags, err := decodeTags(&mem.val)
			if err != nil {
				return m, err
			}
			m.Tags = tags
		case "timestamp":
			t, err := javaInstant(&mem.val)
			if err != nil {
				return m, err
			}
			m.Timestamp = t
		case "description":
			s, _, err := stringField("description", &mem.val)
			if err != nil {
				return m, err
			}
			m.Description = s
		}
	}
	if !hasName {
		return m, rejectf("%s without a name (the server fails to record it)", m.Type)
	}
	if !hasValue {
		return m, rejectf("%s %q without a value (the server fails to record it)", m.Type, m.Name)
	}
	return m, nil
}

func decodeTags(v *jvalue) (map[string]string, error) {
	if isNull, err := nullOr(jObject, "tags", v); isNull || err != nil {
		return nil, err
	}
	var tags map[string]string
	for i := range v.kids {
		mem := &v.kids[i]
		s, isNull, err := stringField("tag", &mem.val)
		if err != nil {
			return nil, fmt.Errorf("%w (key %q)", err, mem.key)
		}
		if isNull {
			delete(tags, mem.key)
			continue
		}
		if tags == nil {
			tags = make(map[string]string, len(v.kids))
		}
		tags[mem.key] = s
	}
	return tags, nil
}

// javaTrim is String.trim: it removes every char <= U+0020 at both ends.
func javaTrim(s string) string {
	i, j := 0, len(s)
	for i < j && s[i] <= ' ' {
		i++
	}
	for j > i && s[j-1] <= ' ' {
		j--
	}
	return s[i:j]
}

// javaDouble reads a metric value as Jackson's Double deserializer does.
func javaDouble(v *jvalue) (f float64, isNull bool, err error) {
	switch v.kind {
	case jNull:
		return 0, true, nil
	case jNumber:
		f, _ = strconv.ParseFloat(v.s, 64) // integers too; ±Inf beyond range
		return f, false, nil
	case jString:
	default:
		return 0, false, rejectf("value: want a number, got %s", v.kind)
	}
	text := v.s
	// Special names are checked before trimming.
	switch text {
	case "NaN":
		return math.NaN(), false, nil
	case "Infinity", "INF":
		return math.Inf(1), false, nil
	case "-Infinity", "-INF":
		return math.Inf(-1), false, nil
	}
	text = javaTrim(text)
	if text == "" || text == "null" {
		return 0, true, nil // empty, blank and "null" coerce to null
	}
	f, ok := parseJavaDouble(text)
	if !ok {
		return 0, false, rejectf("value: %q is not a valid Double", v.s)
	}
	return f, false, nil
}

// parseJavaDouble is Double.parseDouble on an already trimmed string:
// an optional sign, then NaN, Infinity, a decimal number (digits with an
// optional fraction, ".5" and "5." included, optional exponent) or a
// hexadecimal one (0x1.8p1), then an optional f, F, d or D suffix.
func parseJavaDouble(s string) (float64, bool) {
	i := 0
	neg := false
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		neg = s[i] == '-'
		i++
	}
	rest := s[i:]
	switch rest {
	case "NaN":
		return math.NaN(), true
	case "Infinity":
		if neg {
			return math.Inf(-1), true
		}
		return math.Inf(1), true
	}
	if n := len(rest); n > 0 {
		switch rest[n-1] {
		case 'f', 'F', 'd', 'D':
			rest = rest[:n-1]
		}
	}
	if !javaDecimalOrHex(rest) {
		return 0, false
	}
	f, err := strconv.ParseFloat(rest, 64)
	if err != nil && !isRangeErr(err) {
		return 0, false
	}
	if neg {
		f = -f
	}
	return f, true
}

func isRangeErr(err error) bool {
	ne, ok := err.(*strconv.NumError)
	return ok && ne.Err == strconv.ErrRange
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }
func isHex(c byte) bool   { return hexVal(c) >= 0 }

func javaDecimalOrHex(s string) bool {
	i := 0
	if len(s) > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X') {
		i = 2
		d := 0
		for i < len(s) && isHex(s[i]) {
			i++
			d++
		}
		if i < len(s) && s[i] == '.' {
			i++
			for i < len(s) && isHex(s[i]) {
				i++
				d++
			}
		}
		if d == 0 || i >= len(s) || (s[i] != 'p' && s[i] != 'P') {
			return false
		}
		return exponent(s, i+1)
	}
	d := 0
	for i < len(s) && isDigit(s[i]) {
		i++
		d++
	}
	if i < len(s) && s[i] == '.' {
		i++
		for i < len(s) && isDigit(s[i]) {
			i++
			d++
		}
	}
	if d == 0 {
		return false
	}
	if i == len(s) {
		return true
	}
	if s[i] != 'e' && s[i] != 'E' {
		return false
	}
	return exponent(s, i+1)
}

// exponent reports whether s[i:] is [+-]?digits.
func exponent(s string, i int) bool {
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		i++
	}
	if i >= len(s) {
		return false
	}
	for ; i < len(s); i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	return true
}

// javaDuration reads a timer value as Kestra's DurationDeserializer does.
func javaDuration(v *jvalue) (d time.Duration, isNull bool, err error) {
	switch v.kind {
	case jNull:
		return 0, true, nil
	case jNumber:
		if !v.float {
			// getLongValue: seconds; beyond a long the parser fails.
			n, err := strconv.ParseInt(v.s, 10, 64)
			if err != nil {
				return 0, false, rejectf("timer value %s: out of range for a long", v.s)
			}
			return durationOf(n, 0), false, nil
		}
		return decimalDuration(v.s), false, nil
	case jString:
	default:
		return 0, false, rejectf("timer value: want a number or a string, got %s", v.kind)
	}
	text := javaTrim(v.s)
	if text == "" {
		return 0, true, nil
	}
	if kestraIsFloat(text) {
		f, ok := parseJavaDouble(text)
		if !ok {
			return 0, false, rejectf("timer value %q: not a number", v.s)
		}
		if math.IsInf(f, 0) || math.IsNaN(f) {
			return 0, false, rejectf("timer value %q: out of range", v.s)
		}
		// Kestra converts with BigDecimal.valueOf(double), i.e. Double.toString.
		return decimalDuration(javaDoubleToString(f)), false, nil
	}
	d, ok := parseISODuration(text)
	if !ok {
		return 0, false, rejectf("timer value %q: not a number of seconds or an ISO-8601 duration", v.s)
	}
	return d, false, nil
}

// kestraIsFloat is the test of Kestra's DurationDeserializer: an optional
// sign, then only digits and dots.
func kestraIsFloat(s string) bool {
	i := 0
	if s[0] == '-' || s[0] == '+' {
		if len(s) == 1 {
			return false
		}
		i = 1
	}
	for ; i < len(s); i++ {
		if s[i] != '.' && !isDigit(s[i]) {
			return false
		}
	}
	return true
}

// decimalDuration is the duration of a decimal number of seconds, read as
// jackson's DecimalUtils.extractSecondsAndNanos does (see javaSecondsNanos).
func decimalDuration(s string) time.Duration {
	if sec, nanos, ok := plainSecondsNanos(s); ok {
		return durationOf(sec, nanos)
	}
	sec, nanos := javaSecondsNanos(s)
	return secondsNanos(sec, nanos)
}

// plainSecondsNanos is javaSecondsNanos without big numbers for the common
// case -?digits(.digits)? with at most 18 integer digits and 63 fraction
// digits (within DecimalUtils' scale cut-off); ok is false otherwise.
// Both parts are truncated toward zero and carry the number's sign.
func plainSecondsNanos(s string) (sec, nanos int64, ok bool) {
	i, neg := 0, false
	if i < len(s) && s[i] == '-' {
		i, neg = 1, true
	}
	start := i
	for i < len(s) && isDigit(s[i]) {
		sec = sec*10 + int64(s[i]-'0')
		i++
		if i-start > 18 {
			return 0, 0, false
		}
	}
	if i == start {
		return 0, 0, false
	}
	if i < len(s) {
		if s[i] != '.' {
			return 0, 0, false
		}
		i++
		fstart := i
		for i < len(s) && isDigit(s[i]) {
			if i-fstart < 9 {
				nanos = nanos*10 + int64(s[i]-'0')
			}
			i++
		}
		n := i - fstart
		if i != len(s) || n == 0 || n > 63 {
			return 0, 0, false
		}
		for ; n < 9; n++ {
			nanos *= 10
		}
	}
	if neg {
		sec, nanos = -sec, -nanos
	}
	return sec, nanos, true
}

// durationOf is secondsNanos for int64 seconds.
func durationOf(sec, nanos int64) time.Duration {
	// Far enough from the limits that sec*1e9 + nanos (|nanos| < 2^31)
	// cannot overflow.
	const limit = math.MaxInt64/1_000_000_000 - 3
	if sec > -limit && sec < limit {
		return time.Duration(sec*1e9 + nanos)
	}
	return secondsNanos(big.NewInt(sec), nanos)
}

// javaSecondsNanos is jackson's DecimalUtils.extractSecondsAndNanos on the
// decimal number s, including its quirks: a BigDecimal scale beyond ±63
// gives zero, the whole seconds are BigDecimal.longValue (the low 64 bits)
// and the nanoseconds intValue (the low 32 bits), both truncated toward zero.
func javaSecondsNanos(s string) (sec *big.Int, nanos int64) {
	mant, exp := s, 0
	if k := strings.IndexAny(s, "eE"); k >= 0 {
		e, err := strconv.Atoi(s[k+1:])
		if err != nil {
			return new(big.Int), 0
		}
		mant, exp = s[:k], e
	}
	frac := 0
	if k := strings.IndexByte(mant, '.'); k >= 0 {
		frac = len(mant) - k - 1
	}
	if scale := frac - exp; scale < -63 || scale > 63 {
		return new(big.Int), 0
	}
	r, ok := new(big.Rat).SetString(s)
	if !ok {
		return new(big.Int), 0
	}
	whole := new(big.Int).Quo(r.Num(), r.Denom()) // truncates toward zero
	secondsOnly := lowBits(whole, 64)
	nanoTotal := new(big.Rat).Mul(r, big.NewRat(1e9, 1))
	n := new(big.Int).Quo(nanoTotal.Num(), nanoTotal.Denom())
	n.Sub(n, new(big.Int).Mul(big.NewInt(secondsOnly), big.NewInt(1e9)))
	return big.NewInt(secondsOnly), lowBits(n, 32)
}

// lowBits returns the low bits of x in two's complement as a signed number,
// as Java's narrowing of a BigInteger does.
func lowBits(x *big.Int, bits uint) int64 {
	mask := new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), bits), big.NewInt(1))
	u := new(big.Int).And(x, mask).Uint64()
	if bits == 32 {
		return int64(int32(uint32(u)))
	}
	return int64(u)
}

// javaDoubleToString is the decimal text of Double.toString (and so of
// BigDecimal.valueOf(double)): plain for 1e-3 <= |f| < 1e7, else
// computerized scientific notation, always with a fraction digit.
func javaDoubleToString(f float64) string {
	if abs := math.Abs(f); abs == 0 || (abs >= 1e-3 && abs < 1e7) {
		s := strconv.FormatFloat(f, 'f', -1, 64)
		if !strings.Contains(s, ".") {
			s += ".0"
		}
		return s
	}
	s := strconv.FormatFloat(f, 'e', -1, 64)
	k := strings.IndexByte(s, 'e')
	mant, exp := s[:k], s[k+1:]
	if !strings.Contains(mant, ".") {
		mant += ".0"
	}
	e, _ := strconv.Atoi(exp)
	return mant + "E" + strconv.Itoa(e)
}

// secondsNanos converts to a time.Duration, clamped to its range.
func secondsNanos(sec *big.Int, nanos int64) time.Duration {
	total := new(big.Int).Mul(sec, big.NewInt(1e9))
	total.Add(total, big.NewInt(nanos))
	if !total.IsInt64() {
		if total.Sign() < 0 {
			return math.MinInt64
		}
		return math.MaxInt64
	}
	return time.Duration(total.Int64())
}

// parseISODuration is java.time.Duration.parse:
// [-+]?P(n D)?(T(n H)?(n M)?(n(.f{0,9})? S)?)?, case-insensitive, where each
// n may have its own sign, at least one part present and T not alone.
func parseISODuration(s string) (time.Duration, bool) {
	i := 0
	neg := false
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		neg = s[i] == '-'
		i++
	}
	if i >= len(s) || (s[i] != 'P' && s[i] != 'p') {
		return 0, false
	}
	i++
	total := new(big.Int)
	parts := 0
	// readNum reads [-+]?[0-9]+ at i.
	readNum := func() (string, bool) {
		j := i
		if j < len(s) && (s[j] == '+' || s[j] == '-') {
			j++
		}
		k := j
		for k < len(s) && isDigit(s[k]) {
			k++
		}
		if k == j {
			return "", false
		}
		num := s[i:k]
		i = k
		return num, true
	}
	addUnit := func(num string, unitSeconds int64) bool {
		n, err := strconv.ParseInt(num, 10, 64) // Long.parseLong
		if err != nil {
			return false
		}
		v := new(big.Int).Mul(big.NewInt(n), big.NewInt(unitSeconds))
		if !v.IsInt64() {
			return false // Math.multiplyExact overflow
		}
		total.Add(total, v)
		return true
	}
	// Days.
	save := i
	if num, ok := readNum(); ok {
		if i < len(s) && (s[i] == 'D' || s[i] == 'd') {
			i++
			if !addUnit(num, 86400) {
				return 0, false
			}
			parts++
		} else {
			i = save
		}
	}
	nanos := int64(0)
	if i < len(s) && (s[i] == 'T' || s[i] == 't') {
		i++
		tparts := 0
		for _, unit := range []struct {
			letter byte
			secs   int64
		}{{'H', 3600}, {'M', 60}} {
			save := i
			if num, ok := readNum(); ok && i < len(s) && (s[i] == unit.letter || s[i] == unit.letter+'a'-'A') {
				i++
				if !addUnit(num, unit.secs) {
					return 0, false
				}
				tparts++
			} else {
				i = save
			}
		}
		save := i
		if num, ok := readNum(); ok {
			frac := ""
			if i < len(s) && (s[i] == '.' || s[i] == ',') {
				j := i + 1
				for j < len(s) && isDigit(s[j]) && j-i <= 9 {
					j++
				}
				frac = s[i+1 : j]
				i = j
			}
			if i < len(s) && (s[i] == 'S' || s[i] == 's') {
				i++
				if !addUnit(num, 1) {
					return 0, false
				}
				f := frac + strings.Repeat("0", 9-len(frac))
				nanos, _ = strconv.ParseInt(f, 10, 64)
				if num[0] == '-' {
					nanos = -nanos
				}
				tparts++
			} else {
				i = save
			}
		}
		if tparts == 0 {
			return 0, false // "T" without a time part
		}
		parts += tparts
	}
	if i != len(s) || parts == 0 {
		return 0, false
	}
	if !total.IsInt64() {
		return 0, false // Math.addExact overflow
	}
	d := secondsNanos(total, nanos)
	if neg {
		if d == math.MinInt64 {
			return math.MaxInt64, true
		}
		d = -d
	}
	return d, true
}

// javaInstant reads a metric timestamp as jackson-datatype-jsr310's
// InstantDeserializer does (numbers are epoch seconds).
func javaInstant(v *jvalue) (time.Time, error) {
	switch v.kind {
	case jNull:
		return time.Time{}, nil
	case jNumber:
		if !v.float {
			n, err := strconv.ParseInt(v.s, 10, 64)
			if err != nil {
				return time.Time{}, rejectf("timestamp %s: out of range", v.s)
			}
			return time.Unix(n, 0).UTC(), nil
		}
		return instantFromDecimal(v.s)
	case jString:
	default:
		return time.Time{}, rejectf("timestamp: want a string or a number, got %s", v.kind)
	}
	text := javaTrim(v.s)
	if text == "" {
		return time.Time{}, nil
	}
	dots := 0
	simple := true
	for i := 0; i < len(text); i++ {
		switch {
		case text[i] == '.':
			dots++
		case !isDigit(text[i]):
			simple = false
		}
	}
	if simple && dots == 0 {
		if n, err := strconv.ParseInt(text, 10, 64); err == nil {
			return time.Unix(n, 0).UTC(), nil
		}
	}
	if simple && dots == 1 && text != "." {
		if t, err := instantFromDecimal(text); err == nil {
			return t, nil
		}
	}
	t, ok := parseISOInstant(text)
	if !ok {
		return time.Time{}, rejectf("timestamp %q: not an ISO-8601 instant", v.s)
	}
	return t, nil
}

func instantFromDecimal(s string) (time.Time, error) {
	sec, nanos := javaSecondsNanos(s)
	return time.Unix(sec.Int64(), nanos).UTC(), nil
}

// parseISOInstant is DateTimeFormatter.ISO_INSTANT's parser for years
// 0000-9999: yyyy-MM-ddTHH:mm:ss[.fraction up to 9 digits] and Z or an
// offset +HH:MM[:SS], T and Z case-insensitive.
func parseISOInstant(s string) (time.Time, bool) {
	if len(s) < 20 || s[4] != '-' || s[7] != '-' || (s[10] != 'T' && s[10] != 't') || s[13] != ':' || s[16] != ':' {
		return time.Time{}, false
	}
	num := func(a, b int) (int, bool) {
		n := 0
		for i := a; i < b; i++ {
			if !isDigit(s[i]) {
				return 0, false
			}
			n = n*10 + int(s[i]-'0')
		}
		return n, true
	}
	year, ok1 := num(0, 4)
	month, ok2 := num(5, 7)
	day, ok3 := num(8, 10)
	hour, ok4 := num(11, 13)
	minute, ok5 := num(14, 16)
	sec, ok6 := num(17, 19)
	if !(ok1 && ok2 && ok3 && ok4 && ok5 && ok6) {
		return time.Time{}, false
	}
	i := 19
	nanos := 0
	if i < len(s) && s[i] == '.' {
		j := i + 1
		for j < len(s) && isDigit(s[j]) {
			j++
		}
		if j == i+1 || j-i-1 > 9 {
			return time.Time{}, false
		}
		f := s[i+1:j] + strings.Repeat("0", 9-(j-i-1))
		nanos, _ = strconv.Atoi(f)
		i = j
	}
	offset := 0
	switch rest := s[i:]; {
	case rest == "Z" || rest == "z":
	case (len(rest) == 6 || len(rest) == 9) && (rest[0] == '+' || rest[0] == '-') && rest[3] == ':':
		oh, ok1 := num(i+1, i+3)
		om, ok2 := num(i+4, i+6)
		os := 0
		ok3 := true
		if len(rest) == 9 {
			if rest[6] != ':' {
				return time.Time{}, false
			}
			os, ok3 = num(i+7, i+9)
		}
		if !ok1 || !ok2 || !ok3 || oh > 18 || om > 59 || os > 59 {
			return time.Time{}, false
		}
		offset = oh*3600 + om*60 + os
		if rest[0] == '-' {
			offset = -offset
		}
	default:
		return time.Time{}, false
	}
	// ISO_INSTANT parses in STRICT mode with the ISO chronology's ranges;
	// 24:00 and leap second 60 are accepted and normalised.
	if month < 1 || month > 12 || day < 1 || day > daysIn(year, month) || hour > 24 || minute > 59 || sec > 60 {
		return time.Time{}, false
	}
	if hour == 24 && (minute != 0 || sec != 0 || nanos != 0) {
		return time.Time{}, false
	}
	leap := sec == 60
	if leap {
		sec = 59
	}
	t := time.Date(year, time.Month(month), day, hour, minute, sec, nanos, time.UTC).Add(-time.Duration(offset) * time.Second)
	if leap {
		t = t.Add(time.Second - time.Duration(nanos)).Truncate(time.Second)
	}
	return t, true
}

func daysIn(year, month int) int {
	return time.Date(year, time.Month(month)+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

func decodeLogs(v *jvalue) ([]Log, error) {
	if isNull, err := nullOr(jArray, "logs", v); isNull || err != nil {
		return nil, err
	}
	out := make([]Log, 0, len(v.kids))
	for i := range v.kids {
		e := &v.kids[i].val
		if e.kind == jNull {
			continue // a null entry fails alone on the server
		}
		if e.kind != jObject {
			return nil, rejectf("logs[%d]: want an object, got %s", i, e.kind)
		}
		var l Log
		for j := range e.kids {
			mem := &e.kids[j]
			switch mem.key {
			case "level":
				lvl, err := javaLevel(&mem.val)
				if err != nil {
					return nil, fmt.Errorf("logs[%d]: %w", i, err)
				}
				l.Level = lvl
			case "message":
				s, _, err := stringField("message", &mem.val)
				if err != nil {
					return nil, fmt.Errorf("logs[%d]: %w", i, err)
				}
				l.Message = s
			}
		}
		if l.Level == "" {
			continue // null level: the server logs "Invalid log" and drops the entry
		}
		out = append(out, l)
	}
	return out, nil
}

// javaLevel reads org.slf4j.event.Level as Jackson's EnumDeserializer does:
// the exact name, else the trimmed name, else a (trimmed) string of digits
// without a leading zero or a JSON integer as the ordinal. It returns "" for null.
func javaLevel(v *jvalue) (LogLevel, error) {
	switch v.kind {
	case jNull:
		return "", nil
	case jNumber:
		if !v.float {
			if n, err := strconv.ParseInt(v.s, 10, 32); err == nil && n >= 0 && n < int64(len(levelOrdinals)) {
				return levelOrdinals[n], nil
			}
		}
		return "", rejectf("level %s: not an index of ERROR, WARN, INFO, DEBUG, TRACE", v.s)
	case jString:
	default:
		return "", rejectf("level: want a string, got %s", v.kind)
	}
	if l := LogLevel(v.s); l.valid() {
		return l, nil
	}
	name := javaTrim(v.s)
	if l := LogLevel(name); l.valid() {
		return l, nil
	}
	// A string of digits is an ordinal, except with a leading zero ("01"),
	// which Jackson refuses since 2.17 (databind#4403).
	if name != "" && isDigit(name[0]) && (name[0] != '0' || len(name) == 1) {
		if n, err := strconv.ParseInt(name, 10, 32); err == nil && n >= 0 && n < int64(len(levelOrdinals)) {
			return levelOrdinals[n], nil
		}
	}
	return "", rejectf("level %q: want ERROR, WARN, INFO, DEBUG or TRACE", v.s)
}

func decodeAssets(v *jvalue) (*AssetSet, error) {
	switch v.kind {
	case jNull:
		return nil, nil
	case jArray:
		outs, err := decodeAssetList("assets", v)
		if err != nil {
			return nil, err
		}
		return &AssetSet{Shape: AssetsList, Outputs: outs}, nil
	case jObject:
	default:
		return nil, rejectf("assets: want an array or an object, got %s", v.kind)
	}
	a := &AssetSet{Shape: AssetsObject}
	for i := range v.kids {
		mem := &v.kids[i]
		switch mem.key {
		case "inputs":
			ins, err := decodeAssetRefs(&mem.val)
			if err != nil {
				return nil, err
			}
			a.Inputs = ins
		case "outputs":
			outs, err := decodeAssetList("assets.outputs", &mem.val)
			if err != nil {
				return nil, err
			}
			a.Outputs = outs
		}
	}
	return a, nil
}

func decodeAssetRefs(v *jvalue) ([]AssetRef, error) {
	if isNull, err := nullOr(jArray, "assets.inputs", v); isNull || err != nil {
		return nil, err
	}
	var out []AssetRef
	for i := range v.kids {
		e := &v.kids[i].val
		if e.kind != jObject {
			return nil, rejectf("assets.inputs[%d]: want an object, got %s", i, e.kind)
		}
		var r AssetRef
		for j := range e.kids {
			mem := &e.kids[j]
			var dst *string
			switch mem.key {
			case "id":
				dst = &r.ID
			case "namespace":
				dst = &r.Namespace
			case "tenantId":
				dst = new(string)
			default:
				continue
			}
			s, _, err := stringField(fmt.Sprintf("assets.inputs[%d].%s", i, mem.key), &mem.val)
			if err != nil {
				return nil, err
			}
			*dst = s
		}
		out = append(out, r)
	}
	return out, nil
}

func decodeAssetList(what string, v *jvalue) ([]Asset, error) {
	if isNull, err := nullOr(jArray, what, v); isNull || err != nil {
		return nil, err
	}
	var out []Asset
	for i := range v.kids {
		a, err := decodeAsset(&v.kids[i].val)
		if err != nil {
			return nil, fmt.Errorf("%s[%d]: %w", what, i, err)
		}
		out = append(out, a)
	}
	return out, nil
}

// decodeAsset follows Kestra's Asset model: known fields, "metadata" as a
// map set by its setter, and every other key added to the metadata (the
// model's @JsonAnySetter), in the order they appear.
func decodeAsset(v *jvalue) (Asset, error) {
	var a Asset
	if v.kind != jObject {
		return a, rejectf("want an object, got %s", v.kind)
	}
	id, ok := typeID(v.kids)
	if !ok {
		return a, rejectf("missing type id")
	}
	a.Type = id
	for i := range v.kids {
		mem := &v.kids[i]
		var dst *string
		switch mem.key {
		case "type":
			continue
		case "id":
			dst = &a.ID
		case "namespace":
			dst = &a.Namespace
		case "displayName":
			dst = &a.DisplayName
		case "description":
			dst = &a.Description
		case "metadata":
			switch mem.val.kind {
			case jNull:
				a.Metadata = nil
			case jObject:
				a.Metadata = untypedObject(&mem.val)
			default:
				return a, rejectf("metadata: want an object, got %s", mem.val.kind)
			}
			continue
		default:
			if a.Metadata == nil {
				a.Metadata = map[string]any{}
			}
			a.Metadata[mem.key] = untyped(&mem.val)
			continue
		}
		s, _, err := stringField(mem.key, &mem.val)
		if err != nil {
			return a, err
		}
		*dst = s
	}
	return a, nil
}
