package flowdef

import (
	"bytes"
	"fmt"
	"strings"
)

// NormalizeYAML turns what yaml.v3 decodes into JSON-compatible values
// (map[string]any everywhere).
func NormalizeYAML(v any) any {
	switch t := v.(type) {
	case map[string]any:
		for k, val := range t {
			t[k] = NormalizeYAML(val)
		}
		return t
	case map[any]any:
		m := make(map[string]any, len(t))
		for k, val := range t {
			m[fmt.Sprint(k)] = NormalizeYAML(val)
		}
		return m
	case []any:
		for i, val := range t {
			t[i] = NormalizeYAML(val)
		}
		return t
	}
	return v
}

// SplitDocuments splits a multi-document source on `---` lines, as the
// namespace-update endpoint does.
func SplitDocuments(src string) []string {
	var docs []string
	var cur bytes.Buffer
	for _, line := range strings.SplitAfter(src, "\n") {
		if strings.TrimRight(line, "\r\n \t") == "---" {
			if strings.TrimSpace(cur.String()) != "" {
				docs = append(docs, cur.String())
			}
			cur.Reset()
			continue
		}
		cur.WriteString(line)
	}
	if strings.TrimSpace(cur.String()) != "" {
		docs = append(docs, cur.String())
	}
	return docs
}
