package emitter

import (
	"fmt"
	"math/big"
	"strconv"
)

// This file decodes the JSON tree of a protocol line into a Message with the
// rules of the server's model classes (TaskLogMatch, metric entries, LogLine,
// AssetEmit and Asset) as Jackson binds them.

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
			case "type":
				dst = &r.Type
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
