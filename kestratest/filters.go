package kestratest

import (
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"time"
)

// filter is one `filters[field][OP]=value` (or `filters[labels][OP][key]=value`).
type filter struct {
	field, op, key, value string
}

type filterSet []filter

// Legacy flat parameters still accepted by 1.x search endpoints, and the
// filter each maps to.
var executionLegacyParams = map[string]filter{
	"namespace": {field: "namespace", op: "PREFIX"},
	"flowId":    {field: "flowId", op: "EQUALS"},
	"state":     {field: "state", op: "IN"},
	"labels":    {field: "labels", op: "EQUALS"},
	"q":         {field: "q", op: "EQUALS"},
	"startDate": {field: "startDate", op: "GREATER_THAN_OR_EQUAL_TO"},
	"endDate":   {field: "endDate", op: "LESS_THAN_OR_EQUAL_TO"},
	"timeRange": {field: "timeRange", op: "EQUALS"},
}

var flowLegacyParams = map[string]filter{
	"namespace": {field: "namespace", op: "PREFIX"},
	"q":         {field: "q", op: "EQUALS"},
	"labels":    {field: "labels", op: "EQUALS"},
}

var filterKey = regexp.MustCompile(`^filters\[([A-Za-z]+)\]\[([A-Z_]+)\](?:\[([^\]]*)\])?$`)

func invalidFilters(msg string) *apiError {
	return &apiError{status: 400, message: "Bad Request: " + msg, slug: "invalid-query-filters", detail: msg}
}

// parseFilters reads the filters of a search query; the legacy flat
// parameters apply only when no `filters[...]` is present, as in
// RequestUtils.getFiltersOrDefaultToLegacyMapping.
func parseFilters(q url.Values, legacy map[string]filter) (filterSet, *apiError) {
	var fs filterSet
	for k, vs := range q {
		if !strings.HasPrefix(k, "filters[") {
			continue
		}
		m := filterKey.FindStringSubmatch(k)
		if m == nil {
			return nil, invalidFilters("Invalid filter key: " + k)
		}
		for _, v := range vs {
			fs = append(fs, filter{field: m[1], op: m[2], key: m[3], value: v})
		}
	}
	if len(fs) > 0 {
		return fs, nil
	}
	for name, f := range legacy {
		for _, v := range q[name] {
			lf := f
			lf.value = v
			if name == "labels" {
				k, val, ok := strings.Cut(v, ":")
				if !ok {
					return nil, errUnprocessable("Can't split the queryString parameter by ':'")
				}
				lf.key, lf.value = strings.TrimSpace(k), strings.TrimSpace(val)
			}
			fs = append(fs, lf)
		}
	}
	return fs, nil
}

func matchString(op, actual, want string) (bool, *apiError) {
	switch op {
	case "EQUALS":
		return actual == want, nil
	case "NOT_EQUALS":
		return actual != want, nil
	case "CONTAINS":
		return strings.Contains(strings.ToLower(actual), strings.ToLower(want)), nil
	case "STARTS_WITH":
		return strings.HasPrefix(actual, want), nil
	case "ENDS_WITH":
		return strings.HasSuffix(actual, want), nil
	case "PREFIX":
		return actual == want || strings.HasPrefix(actual, want+"."), nil
	case "IN", "NOT_IN":
		in := false
		for _, v := range strings.Split(want, ",") {
			if strings.TrimSpace(v) == actual {
				in = true
			}
		}
		return in == (op == "IN"), nil
	case "REGEX":
		re, err := regexp.Compile(want)
		if err != nil {
			return false, invalidFilters("Invalid regex: " + want)
		}
		return re.MatchString(actual), nil
	}
	return false, invalidFilters(fmt.Sprintf("Operation %s is not supported by kestratest for this field", op))
}

func matchLabels(f filter, labels []label) (bool, *apiError) {
	key, want := f.key, f.value
	if key == "" { // filters[labels][EQUALS]=k:v
		k, v, ok := strings.Cut(f.value, ":")
		if !ok {
			return false, invalidFilters("Invalid label filter, expected key:value: " + f.value)
		}
		key, want = k, v
	}
	found := false
	for _, l := range labels {
		if l.Key == key && l.Value == want {
			found = true
		}
	}
	switch f.op {
	case "EQUALS":
		return found, nil
	case "NOT_EQUALS":
		return !found, nil
	}
	return false, invalidFilters("Operation " + f.op + " is not supported on labels")
}

func matchTime(op string, actual *jtime, want string) (bool, *apiError) {
	t, err := time.Parse(time.RFC3339Nano, want)
	if err != nil {
		return false, invalidFilters("Invalid date: " + want)
	}
	if actual == nil {
		return false, nil
	}
	a := time.Time(*actual)
	switch op {
	case "GREATER_THAN":
		return a.After(t), nil
	case "GREATER_THAN_OR_EQUAL_TO":
		return !a.Before(t), nil
	case "LESS_THAN":
		return a.Before(t), nil
	case "LESS_THAN_OR_EQUAL_TO":
		return !a.After(t), nil
	case "EQUALS":
		return a.Equal(t), nil
	}
	return false, invalidFilters("Operation " + op + " is not supported on dates")
}

func (fs filterSet) matchExecution(e *execution) (bool, *apiError) {
	for _, f := range fs {
		var ok bool
		var err *apiError
		switch f.field {
		case "namespace":
			ok, err = matchString(f.op, e.Namespace, f.value)
		case "flowId":
			ok, err = matchString(f.op, e.FlowID, f.value)
		case "state":
			ok, err = matchString(f.op, e.State.Current, f.value)
		case "executionId":
			ok, err = matchString(f.op, e.ID, f.value)
		case "kind":
			ok, err = matchString(f.op, e.Kind, f.value)
		case "labels":
			ok, err = matchLabels(f, e.Labels)
		case "q":
			q := strings.ToLower(f.value)
			ok = strings.Contains(strings.ToLower(e.ID), q) || strings.Contains(strings.ToLower(e.FlowID), q) ||
				strings.Contains(strings.ToLower(e.Namespace), q)
		case "startDate":
			ok, err = matchTime(f.op, e.State.StartDate, f.value)
		case "endDate":
			ok, err = matchTime(f.op, e.State.EndDate, f.value)
		case "timeRange":
			d, perr := parseISODuration(f.value)
			if perr != nil {
				return false, invalidFilters("Invalid timeRange: " + f.value)
			}
			ok = e.State.StartDate != nil && time.Since(time.Time(*e.State.StartDate)) <= d
		case "scope", "childFilter":
			ok = true // no system flows nor subflows here
		default:
			return false, invalidFilters("Filter field " + f.field + " is not supported by kestratest on executions")
		}
		if err != nil || !ok {
			return false, err
		}
	}
	return true, nil
}

func (fs filterSet) matchFlow(fl *flowDef) (bool, *apiError) {
	for _, f := range fs {
		var ok bool
		var err *apiError
		switch f.field {
		case "namespace":
			ok, err = matchString(f.op, fl.Namespace, f.value)
		case "flowId", "id":
			ok, err = matchString(f.op, fl.ID, f.value)
		case "labels":
			ok, err = matchLabels(f, fl.Labels)
		case "q":
			q := strings.ToLower(f.value)
			ok = strings.Contains(strings.ToLower(fl.ID), q) || strings.Contains(strings.ToLower(fl.Namespace), q)
		case "scope":
			ok = true
		default:
			return false, invalidFilters("Filter field " + f.field + " is not supported by kestratest on flows")
		}
		if err != nil || !ok {
			return false, err
		}
	}
	return true, nil
}

func (fs filterSet) matchKV(ns, key string) (bool, *apiError) {
	for _, f := range fs {
		var ok bool
		var err *apiError
		switch f.field {
		case "namespace":
			ok, err = matchString(f.op, ns, f.value)
		case "key", "q":
			op := f.op
			if f.field == "q" {
				op = "CONTAINS"
			}
			ok, err = matchString(op, key, f.value)
		default:
			return false, invalidFilters("Filter field " + f.field + " is not supported by kestratest on KV keys")
		}
		if err != nil || !ok {
			return false, err
		}
	}
	return true, nil
}
