package kestratest

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"sync"

	"github.com/flosch/pongo2/v6"
)

// The expression subset: Kestra renders properties with Pebble; kestratest
// uses pongo2 (Django/Jinja syntax), which agrees with Pebble on variable
// access (`{{ inputs.name }}`, `{{ outputs.task.values.key }}`), string
// literals, `{% if %}`/`{% for %}` and the common filters (upper, lower,
// default, length, trim, join). Pebble-only functions and filters
// (`json`, `now()`, `render()`, `secret()`...) are not available and fail the
// task with a rendering error. Autoescaping is off, as in Pebble.

var (
	templateCache sync.Map   // source -> *pongo2.Template
	compileMu     sync.Mutex // pongo2's template set is not safe for concurrent compilation
)

func renderString(src string, vars pongo2.Context) (string, error) {
	if !strings.Contains(src, "{{") && !strings.Contains(src, "{%") {
		return src, nil
	}
	var tpl *pongo2.Template
	if t, ok := templateCache.Load(src); ok {
		tpl = t.(*pongo2.Template)
	} else {
		compileMu.Lock()
		t, err := pongo2.FromString("{% autoescape off %}" + src + "{% endautoescape %}")
		compileMu.Unlock()
		if err != nil {
			return "", fmt.Errorf("render %q: %w", src, err)
		}
		templateCache.Store(src, t)
		tpl = t
	}
	out, err := tpl.Execute(vars)
	if err != nil {
		return "", fmt.Errorf("render %q: %w", src, err)
	}
	return out, nil
}

// renderValue renders every string inside v (maps and lists recursively).
func renderValue(v any, vars pongo2.Context) (any, error) {
	switch t := v.(type) {
	case string:
		return renderString(t, vars)
	case map[string]any:
		out := make(map[string]any, len(t))
		for k, val := range t {
			r, err := renderValue(val, vars)
			if err != nil {
				return nil, err
			}
			out[k] = r
		}
		return out, nil
	case []any:
		out := make([]any, len(t))
		for i, val := range t {
			r, err := renderValue(val, vars)
			if err != nil {
				return nil, err
			}
			out[i] = r
		}
		return out, nil
	}
	return v, nil
}

// pebbleFloat and pebbleBool print as Pebble does (1.5, 7, true), where
// pongo2 would print 1.500000 and True; pebbleList and pebbleMap print as
// compact JSON, as Kestra's Pebble output writer (JsonWriter) writes every
// Collection and Map, where pongo2 would print <[]interface {} Value>. All
// keep their kind for arithmetic, conditions, indexing and loops.
type (
	pebbleFloat float64
	pebbleBool  bool
	pebbleList  []any
	pebbleMap   map[string]any
)

func (f pebbleFloat) String() string { return strconv.FormatFloat(float64(f), 'f', -1, 64) }
func (b pebbleBool) String() string  { return strconv.FormatBool(bool(b)) }
func (l pebbleList) String() string  { return compactJSON([]any(l)) }
func (m pebbleMap) String() string   { return compactJSON(map[string]any(m)) }

// compactJSON writes v as Jackson's default mapper does: compact, with <, >
// and & left as they are. Map keys come out sorted (Kestra keeps insertion
// order, which a Go map does not have).
func compactJSON(v any) string {
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return fmt.Sprint(v)
	}
	return strings.TrimSuffix(b.String(), "\n")
}

// pebbleValues converts a value for the template context: floats and
// booleans print as in Pebble (JSON numbers decoded as float64 print
// without a fraction when integral).
func pebbleValues(v any) any {
	switch t := v.(type) {
	case float64:
		return pebbleFloat(t)
	case float32:
		return pebbleFloat(t)
	case bool:
		return pebbleBool(t)
	case map[string]any:
		out := make(pebbleMap, len(t))
		for k, val := range t {
			out[k] = pebbleValues(val)
		}
		return out
	case []any:
		out := make(pebbleList, len(t))
		for i, val := range t {
			out[i] = pebbleValues(val)
		}
		return out
	}
	return v
}
