package api

import "reflect"

// queryValueSet reports whether an optional query parameter generated
// without a pointer carries a value: its zero value ("", 0, false, a nil
// map) means "absent", so the client leaves it out of the query, as
// omitempty does in JSON. The generated client calls it (see
// openapi/templates/client.tmpl).
func queryValueSet(v any) bool {
	switch v := v.(type) {
	case string:
		return v != ""
	case int:
		return v != 0
	case int64:
		return v != 0
	case bool:
		return v
	}
	return !reflect.ValueOf(v).IsZero()
}
