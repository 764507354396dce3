package kestratest

import (
	"fmt"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/kestra-go/kestra-go/api"
	"github.com/kestra-go/kestra-go/internal/javatime"
	"github.com/kestra-go/kestra-go/kestratest/internal/store"
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

func invalidFilters(msg string) *apiError {
	return &apiError{status: 400, message: "Bad Request: " + msg, slug: "invalid-query-filters", detail: msg}
}

// parseFilters reads the filters of a search query as the server's binder
// does (api.ParseFilters, the project's one reading of
// filters[field][OP](/[key])=value: an unknown field or operation is a
// 400, a key of another shape is ignored); the legacy flat parameters
// apply only when no `filters[...]` is present, as in
// RequestUtils.getFiltersOrDefaultToLegacyMapping. A field the resource
// does not take, or an operation its field does not take, is a 400 as
// QueryFilter.validateQueryFilters answers (api.Filters.Validate, the
// project's one copy of the server's field and operation tables); an
// empty resource checks no field.
func parseFilters(q url.Values, resource api.FilterResource, legacy map[string]filter) (filterSet, *apiError) {
	parsed, err := api.ParseFilters(q)
	if err == nil && resource != "" {
		err = parsed.Validate(resource)
	}
	if err != nil {
		return nil, invalidFilters(err.Error())
	}
	var fs filterSet
	for field, conds := range parsed {
		for op, v := range conds {
			switch v := v.(type) {
			case string:
				fs = append(fs, filter{field: field, op: op, value: v})
			case []string:
				if op == "IN" || op == "NOT_IN" {
					fs = append(fs, filter{field: field, op: op, value: strings.Join(v, ",")})
					continue
				}
				for _, item := range v { // a repeated key: every value counts
					fs = append(fs, filter{field: field, op: op, value: item})
				}
			case map[string]any: // labels: key -> value
				for key, lv := range v {
					fs = append(fs, filter{field: field, op: op, key: key, value: fmt.Sprint(lv)})
				}
			}
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
	value, has := "", false
	for _, l := range labels {
		if l.Key == key {
			value, has = l.Value, true
		}
	}
	switch f.op {
	case "EQUALS":
		return has && value == want, nil
	case "NOT_EQUALS":
		return !has || value != want, nil
	case "IN", "NOT_IN":
		// filters[labels][IN][key]=v1,v2: the label's value is one of them.
		in, _ := matchString("IN", value, want)
		return (has && in) == (f.op == "IN"), nil
	case "CONTAINS":
		return has && strings.Contains(strings.ToLower(value), strings.ToLower(want)), nil
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
	case "NOT_EQUALS":
		return !a.Equal(t), nil
	}
	return false, invalidFilters("Operation " + op + " is not supported on dates")
}

// all reports whether every filter matches, match judging one filter. Every
// filter is judged, so an invalid one is reported whatever the data.
func (fs filterSet) all(match func(f filter) (bool, *apiError)) (bool, *apiError) {
	ok := true
	for _, f := range fs {
		m, err := match(f)
		if err != nil {
			return false, err
		}
		ok = ok && m
	}
	return ok, nil
}

func (fs filterSet) matchExecution(e *execution) (bool, *apiError) {
	return fs.all(func(f filter) (bool, *apiError) {
		switch f.field {
		case "namespace":
			return matchString(f.op, e.Namespace, f.value)
		case "flowId":
			return matchString(f.op, e.FlowID, f.value)
		case "state":
			return matchString(f.op, string(e.State.Current), f.value)
		case "executionId":
			return matchString(f.op, e.ID, f.value)
		case "triggerExecutionId":
			// The execution that triggered this one (a Flow trigger's
			// variables); kestratest runs no Flow triggers.
			parent := ""
			if e.Trigger != nil {
				parent, _ = e.Trigger.Variables["executionId"].(string)
			}
			return matchString(f.op, parent, f.value)
		case "kind":
			return matchString(f.op, e.Kind, f.value)
		case "labels":
			return matchLabels(f, e.Labels)
		case "q":
			q := strings.ToLower(f.value)
			return strings.Contains(strings.ToLower(e.ID), q) || strings.Contains(strings.ToLower(e.FlowID), q) ||
				strings.Contains(strings.ToLower(e.Namespace), q), nil
		case "startDate":
			return matchTime(f.op, e.State.StartDate, f.value)
		case "endDate":
			return matchTime(f.op, e.State.EndDate, f.value)
		case "timeRange":
			d, perr := javatime.ParseStdDuration(f.value)
			if perr != nil {
				return false, invalidFilters("Invalid timeRange: " + f.value)
			}
			return e.State.StartDate != nil && time.Since(time.Time(*e.State.StartDate)) <= d, nil
		case "scope", "childFilter":
			return true, nil // no system flows nor subflows here
		}
		return false, invalidFilters("Filter field " + f.field + " is not supported by kestratest on executions")
	})
}

func (fs filterSet) matchFlow(fl *flowDef) (bool, *apiError) {
	return fs.all(func(f filter) (bool, *apiError) {
		switch f.field {
		case "namespace":
			return matchString(f.op, fl.Namespace, f.value)
		case "flowId", "id":
			return matchString(f.op, fl.ID, f.value)
		case "labels":
			return matchLabels(f, fl.Labels)
		case "q":
			q := strings.ToLower(f.value)
			return strings.Contains(strings.ToLower(fl.ID), q) || strings.Contains(strings.ToLower(fl.Namespace), q), nil
		case "scope":
			return true, nil
		}
		return false, invalidFilters("Filter field " + f.field + " is not supported by kestratest on flows")
	})
}

func (fs filterSet) matchKV(e store.KVEntry) (bool, *apiError) {
	return fs.all(func(f filter) (bool, *apiError) {
		switch f.field {
		case "namespace":
			return matchString(f.op, e.Namespace, f.value)
		case "updated":
			u := jtime(e.Updated)
			return matchTime(f.op, &u, f.value)
		case "q":
			return matchString("CONTAINS", e.Key, f.value)
		}
		return false, invalidFilters("Filter field " + f.field + " is not supported by kestratest on KV keys")
	})
}

// matchLog judges the log filters: those of a LOG search, and those a 2.0
// server reads on the logs of an execution (taskRunId, attemptNumber).
func (fs filterSet) matchLog(l *logEntry) (bool, *apiError) {
	return fs.all(func(f filter) (bool, *apiError) {
		switch f.field {
		case "namespace":
			return matchString(f.op, l.Namespace, f.value)
		case "flowId":
			return matchString(f.op, l.FlowID, f.value)
		case "executionId":
			return matchString(f.op, l.ExecutionID, f.value)
		case "taskId":
			return matchString(f.op, l.TaskID, f.value)
		case "taskRunId":
			return matchString(f.op, l.TaskRunID, f.value)
		case "attemptNumber":
			return matchAttempt(f.op, l.AttemptNumber, f.value)
		case "triggerId":
			return matchString(f.op, l.TriggerID, f.value)
		case "startDate", "endDate":
			// A log line has one date, which both filters judge.
			return matchTime(f.op, l.Timestamp, f.value)
		case "timeRange":
			// The server turns it into startDate >= now - duration.
			d, perr := javatime.ParseStdDuration(f.value)
			if perr != nil {
				return false, invalidFilters("Invalid timeRange: " + f.value)
			}
			return l.Timestamp != nil && !time.Time(*l.Timestamp).Before(time.Now().Add(-d)), nil
		case "level":
			return matchLevel(f.op, l.Level, f.value)
		case "q":
			return strings.Contains(strings.ToLower(l.Message), strings.ToLower(f.value)), nil
		case "scope":
			return true, nil // no system flows here
		}
		return false, invalidFilters("Filter field " + f.field + " is not supported by kestratest on logs")
	})
}

// matchLevel judges a level filter: EQUALS and GREATER_THAN_OR_EQUAL_TO
// keep the lines at least that severe (the server's minimum level),
// NOT_EQUALS the lines of another level.
func matchLevel(op, actual, want string) (bool, *apiError) {
	want = strings.ToUpper(want)
	rank, ok := levelRank[want]
	if !ok {
		return false, invalidFilters("Invalid level: " + want)
	}
	switch op {
	case "EQUALS", "GREATER_THAN_OR_EQUAL_TO":
		return levelRank[actual] >= rank, nil
	case "NOT_EQUALS":
		return actual != want, nil
	}
	return false, invalidFilters("Operation " + op + " is not supported on level")
}

// matchAttempt judges an attemptNumber filter, whose values are integers;
// a line without attempt matches no value.
func matchAttempt(op string, actual *int, want string) (bool, *apiError) {
	for _, v := range strings.Split(want, ",") {
		if _, err := strconv.Atoi(strings.TrimSpace(v)); err != nil {
			return false, invalidFilters("Invalid attemptNumber: " + want)
		}
	}
	got := ""
	if actual != nil {
		got = strconv.Itoa(*actual)
	}
	switch op {
	case "EQUALS", "NOT_EQUALS", "IN", "NOT_IN":
		return matchString(op, got, want)
	}
	return false, invalidFilters("Operation " + op + " is not supported on attemptNumber")
}

// matchNamespace judges the searchNamespaces filters; other fields are ignored.
func (fs filterSet) matchNamespace(ns string) (bool, *apiError) {
	return fs.all(func(f filter) (bool, *apiError) {
		switch f.field {
		case "q":
			return strings.Contains(ns, f.value), nil
		case "namespace", "id":
			return matchString(f.op, ns, f.value)
		}
		return true, nil
	})
}

// checkTimeline refuses a search whose start date is after its end date,
// as the server does: 422 "Illegal argument: Start date must be before End
// Date" (webserver ExecutionControllerTest.badDate; RequestUtils'
// validateTimeline). Dates that do not parse are left to the matching,
// which reports them.
func (fs filterSet) checkTimeline() *apiError {
	var start, end *time.Time
	for _, f := range fs {
		t, err := time.Parse(time.RFC3339Nano, f.value)
		if err != nil {
			continue
		}
		switch f.field {
		case "startDate":
			start = &t
		case "endDate":
			end = &t
		}
	}
	if start != nil && end != nil && start.After(*end) {
		return errIllegalArgument("Start date must be before End Date")
	}
	return nil
}
