package kestratest

import (
	"bytes"
	"encoding/json"
	"errors"
	"math"
	"math/big"
	"strings"

	ionlib "github.com/amazon-ion/ion-go/ion"

	"github.com/kestra-go/kestra-go/internal/javatime"
)

// KV store types (the server's KVType).
const (
	kvString   = "STRING"
	kvNumber   = "NUMBER"
	kvBoolean  = "BOOLEAN"
	kvDatetime = "DATETIME"
	kvDate     = "DATE"
	kvJSON     = "JSON"
)

var errKVValue = errors.New("not a KV value")

// readKVValue reads a setKeyValue body as the server does
// (webserver/src/main/java/io/kestra/webserver/controllers/api/KVController.java:
// JacksonMapper.ofIon().readTree(value), an IllegalArgumentException
// "Invalid JSON value for: <body>" when that fails). Ion is a superset of
// JSON, and readTree reads the first value of the text and ignores what
// follows it, so:
//
//   - a JSON text is stored as it is (compacted): "hello" is a STRING, 42 a
//     NUMBER, true a BOOLEAN, objects and arrays JSON;
//   - text that is not JSON is read as Ion: a bare word (an Ion symbol,
//     hello) is the STRING "hello"; only the first value counts, so
//     hello world is "hello" and my-value is "my" (a dash ends an Ion
//     symbol); Ion timestamps are DATETIME (2026-01-01T10:00Z) or DATE
//     (2026-01-01); Ion numbers (1_000, 0x1F, 1.5d2) are NUMBER; Ion
//     structs, lists and s-expressions are JSON;
//   - text that does not start with an Ion value (an empty body, {not
//     json) is refused.
//
// Clients should therefore always send JSON (a string as "my-value").
//
// Ion null is refused too (what the server stores for it is not known).
func readKVValue(body []byte) (json.RawMessage, string, error) {
	if v, typ, ok := readJSONKV(body); ok {
		return v, typ, nil
	}
	r := ionlib.NewReaderBytes(body)
	if !r.Next() || r.IsNull() {
		return nil, "", errKVValue
	}
	typ := kvJSON
	switch r.Type() {
	case ionlib.BoolType:
		typ = kvBoolean
	case ionlib.IntType, ionlib.FloatType, ionlib.DecimalType:
		typ = kvNumber
	case ionlib.StringType, ionlib.SymbolType:
		typ = kvString
	case ionlib.TimestampType:
		ts, err := r.TimestampValue()
		if err != nil || ts == nil {
			return nil, "", errKVValue
		}
		if ts.GetPrecision() <= ionlib.TimestampPrecisionDay {
			return mustJSON(ts.GetDateTime().Format("2006-01-02")), kvDate, nil
		}
		return mustJSON(javatime.FormatInstant(ts.GetDateTime())), kvDatetime, nil
	}
	v, err := ionToGo(r)
	if err != nil {
		return nil, "", errKVValue
	}
	b, err := json.Marshal(v)
	if err != nil {
		return nil, "", errKVValue
	}
	return b, typ, nil
}

// readJSONKV accepts a body that is exactly one JSON value (not null).
func readJSONKV(body []byte) (json.RawMessage, string, bool) {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var v any
	if dec.Decode(&v) != nil || dec.More() {
		return nil, "", false
	}
	var typ string
	switch v.(type) {
	case string:
		typ = kvString
	case json.Number:
		typ = kvNumber
	case bool:
		typ = kvBoolean
	case map[string]any, []any:
		typ = kvJSON
	default:
		return nil, "", false // null
	}
	var buf bytes.Buffer
	if json.Compact(&buf, bytes.TrimSpace(body)) != nil {
		return nil, "", false
	}
	return buf.Bytes(), typ, true
}

// ionToGo converts the value the reader is on into a JSON-encodable value
// (struct fields come out sorted by name where Jackson keeps their order).
func ionToGo(r ionlib.Reader) (any, error) {
	if r.IsNull() {
		return nil, nil
	}
	switch r.Type() {
	case ionlib.BoolType:
		b, err := r.BoolValue()
		if err != nil || b == nil {
			return nil, errKVValue
		}
		return *b, nil
	case ionlib.IntType:
		n, err := r.BigIntValue()
		if err != nil || n == nil {
			return nil, errKVValue
		}
		return json.Number(n.String()), nil
	case ionlib.FloatType:
		f, err := r.FloatValue()
		if err != nil || f == nil || math.IsNaN(*f) || math.IsInf(*f, 0) {
			return nil, errKVValue
		}
		return *f, nil
	case ionlib.DecimalType:
		d, err := r.DecimalValue()
		if err != nil || d == nil {
			return nil, errKVValue
		}
		f, ok := new(big.Float).SetString(strings.Replace(strings.ToLower(d.String()), "d", "e", 1))
		if !ok {
			return nil, errKVValue
		}
		return json.Number(f.Text('g', -1)), nil
	case ionlib.TimestampType:
		ts, err := r.TimestampValue()
		if err != nil || ts == nil {
			return nil, errKVValue
		}
		return javatime.FormatInstant(ts.GetDateTime()), nil
	case ionlib.StringType:
		s, err := r.StringValue()
		if err != nil || s == nil {
			return nil, errKVValue
		}
		return *s, nil
	case ionlib.SymbolType:
		tok, err := r.SymbolValue()
		if err != nil || tok == nil || tok.Text == nil {
			return nil, errKVValue
		}
		return *tok.Text, nil
	case ionlib.ListType, ionlib.SexpType:
		if err := r.StepIn(); err != nil {
			return nil, err
		}
		list := []any{}
		for r.Next() {
			v, err := ionToGo(r)
			if err != nil {
				return nil, err
			}
			list = append(list, v)
		}
		if err := r.Err(); err != nil {
			return nil, err
		}
		return list, r.StepOut()
	case ionlib.StructType:
		if err := r.StepIn(); err != nil {
			return nil, err
		}
		m := map[string]any{}
		for r.Next() {
			name, err := r.FieldName()
			if err != nil || name == nil || name.Text == nil {
				return nil, errKVValue
			}
			v, err := ionToGo(r)
			if err != nil {
				return nil, err
			}
			m[*name.Text] = v
		}
		if err := r.Err(); err != nil {
			return nil, err
		}
		return m, r.StepOut()
	}
	return nil, errKVValue // blobs and clobs
}
