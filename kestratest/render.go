package kestratest

import (
	"fmt"
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

var templateCache sync.Map // source -> *pongo2.Template

func renderString(src string, vars pongo2.Context) (string, error) {
	if !strings.Contains(src, "{{") && !strings.Contains(src, "{%") {
		return src, nil
	}
	var tpl *pongo2.Template
	if t, ok := templateCache.Load(src); ok {
		tpl = t.(*pongo2.Template)
	} else {
		t, err := pongo2.FromString("{% autoescape off %}" + src + "{% endautoescape %}")
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
