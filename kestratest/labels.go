package kestratest

import (
	"fmt"
	"strings"
	"unicode"
)

// parseQueryLabels parses repeated `labels=key:value` query values with the
// rules of the newest RequestUtils.toMap: split on the first ':', trim both
// parts, refuse empty parts, whitespace in keys and duplicate keys (422).
// Keys starting with "system." are refused unless the server lets clients
// set them (system.correlationId, system.from).
func parseQueryLabels(values []string) ([]label, *apiError) {
	out := make([]label, 0, len(values))
	seen := map[string]string{}
	for _, s := range values {
		k, v, ok := strings.Cut(s, ":")
		if !ok || k == "" {
			return nil, errUnprocessable("Can't split the queryString parameter by ':'")
		}
		k, v = strings.TrimSpace(k), strings.TrimSpace(v)
		if k == "" || v == "" {
			return nil, errUnprocessable("Can't have an empty part of queryString")
		}
		if strings.IndexFunc(k, unicode.IsSpace) >= 0 {
			return nil, errUnprocessable("Key of queryString can't contain a whitespace character")
		}
		if prev, dup := seen[k]; dup {
			return nil, errUnprocessable(fmt.Sprintf("The queryString parameter keys contains duplicities: Duplicate key %s (attempted merging values %s and %s)", k, prev, v))
		}
		seen[k] = v
		out = append(out, label{Key: k, Value: v})
	}
	for _, l := range out {
		if strings.HasPrefix(l.Key, "system.") && l.Key != "system.correlationId" && l.Key != "system.from" {
			return nil, errIllegalArgument("System labels can only be set by Kestra itself, offending label: " + l.Key + "=" + l.Value)
		}
	}
	return out, nil
}

// correlationLabel is the system label the server adds to every
// execution created without one.
const correlationLabel = "system.correlationId"

func hasLabel(labels []label, key string) bool {
	for _, l := range labels {
		if l.Key == key {
			return true
		}
	}
	return false
}

// mergeLabels returns base with every label of over added or replacing the
// one with the same key.
func mergeLabels(base, over []label) []label {
	out := append([]label(nil), base...)
	for _, l := range over {
		replaced := false
		for i := range out {
			if out[i].Key == l.Key {
				out[i].Value = l.Value
				replaced = true
			}
		}
		if !replaced {
			out = append(out, l)
		}
	}
	return out
}
