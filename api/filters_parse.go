package api

import (
	"fmt"
	"net/url"
	"regexp"
	"strings"
)

// filterKey is the server's pattern for a filters key, matched whole
// (QueryFilterFormatBinder): field, operation and, for labels, the label
// key. Java's "." does not match line terminators; neither does this one.
var filterKey = regexp.MustCompile(`^filters\[([^\n\r\x{85}\x{2028}\x{2029}]*?)]\[([^\n\r\x{85}\x{2028}\x{2029}]*?)](?:\[([^\n\r\x{85}\x{2028}\x{2029}]+)])?$`)

// ParseFilters reads the filters of a request's query as the server's
// binder does, for servers and test doubles written against this package:
//   - a key that does not match filters[<field>][<op>] (with an optional
//     [<label key>]) is ignored, as the server ignores it;
//   - filters[labels][<op>][<key>]=<value> go into one map per operation
//     (the first value of a repeated key counts);
//   - an IN or NOT_IN value is percent-decoded a second time, stripped of
//     [ and ] and split on commas into a []string, trailing empty items
//     dropped (Java's String.split);
//   - any other value is a string, or a []string when the key is repeated;
//   - keys are read in sorted order, so the result is the same for the same
//     query whatever its order (a label map replaces a plain value given
//     for the same field and operation).
//
// A field outside FilterField (the 2.0 server's QueryFilter.Field) or an
// operation outside FilterOp is an error wrapping ErrFilterNotSupported
// (the server's enums refuse the request), as is a value whose second
// decoding fails. Which fields a given search accepts is Filters.Validate's
// job.
func ParseFilters(q url.Values) (Filters, error) {
	var out Filters
	// In key order, so that conflicting keys always read the same:
	// filters[labels][OP]=v comes before filters[labels][OP][key]=v, and the
	// label map wins.
	for _, k := range sortedKeys(q) {
		vs := q[k]
		if !strings.HasPrefix(k, "filters[") || len(vs) == 0 {
			continue
		}
		m := filterKey.FindStringSubmatch(k)
		if m == nil {
			continue
		}
		field, op, key := FilterField(m[1]), FilterOp(m[2]), m[3]
		if !field.Valid() {
			return nil, fmt.Errorf("%s: %w: unknown field %q", k, ErrFilterNotSupported, field)
		}
		if !op.Valid() {
			return nil, fmt.Errorf("%s: %w: unknown operation %q", k, ErrFilterNotSupported, op)
		}
		switch {
		case key != "" && field == FilterFieldLabels:
			out = out.addLabel(op, key, vs[0])
		case key != "":
			// The server makes a one-entry map of it, which no field reads.
			out = out.set(field, op, map[string]any{key: vs[0]})
		case op == FilterOpIn || op == FilterOpNotIn:
			v, err := url.QueryUnescape(vs[0])
			if err != nil {
				return nil, fmt.Errorf("%s: %w: %v", k, ErrFilterNotSupported, err)
			}
			items := strings.Split(strings.NewReplacer("[", "", "]", "").Replace(v), ",")
			for len(items) > 0 && items[len(items)-1] == "" {
				items = items[:len(items)-1]
			}
			out = out.set(field, op, items)
		case len(vs) == 1:
			out = out.set(field, op, vs[0])
		default:
			out = out.set(field, op, append([]string(nil), vs...))
		}
	}
	return out, nil
}
