package api

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// Filters (generated from the document) is the filters parameter of the
// searches and by-query actions: field -> operation -> value. The client
// sends it as the bracketed query keys the server reads
// (the deepObject style):
//
//	filters[namespace][PREFIX]=company      Where(FilterFieldNamespace, FilterOpPrefix, "company")
//	filters[state][IN]=FAILED,WARNING       WhereState(StateTypeFailed, StateTypeWarning)
//	filters[labels][EQUALS][team]=data      WhereLabel(FilterOpEquals, "team", "data")
//
// A value is a string; IN and NOT_IN take a []string, sent as one
// comma-separated value; the labels field takes a map of label key to value
// for each operation. The builders below return a new set and leave their
// receiver as it was, so start from nil or Filters{}, keep the result, and
// share a base between searches freely:
//
//	base := api.Filters{}.Where(api.FilterFieldNamespace, api.FilterOpEquals, "company.team")
//	failed := base.Where(api.FilterFieldState, api.FilterOpEquals, "FAILED") // base unchanged
//
// A request whose filters cannot be sent as the server would read them (see
// MarshalJSON) fails before it is sent. Which fields a search accepts, and
// which operations a field accepts, are the server's rules: Validate checks
// them without a round trip.

// Where returns f with filters[field][op]=value. Setting the same field
// and operation twice keeps the last value. Values of the server's enums
// are their names: string(api.LevelWarn) for a log level (WhereState takes
// states as they are). field and op may be names outside FilterField and
// FilterOp (a newer server's); see MarshalJSON for the names refused.
func (f Filters) Where(field FilterField, op FilterOp, value string) Filters {
	return f.with(field, op, value)
}

// WhereTime returns f with filters[field][op]=t, formatted as the server parses dates
// (ISO-8601 with offset, e.g. 2026-05-01T10:00:00.5Z). For startDate,
// endDate and updated.
func (f Filters) WhereTime(field FilterField, op FilterOp, t time.Time) Filters {
	return f.with(field, op, t.Format(time.RFC3339Nano))
}

// WhereIn returns f with filters[field][IN]=v1,v2,...: the field is one
// of values.
func (f Filters) WhereIn(field FilterField, values ...string) Filters {
	return f.with(field, FilterOpIn, slices.Clone(values))
}

// WhereState returns f with filters[state][IN]=s1,s2,...: the execution is
// in one of states (api.StateTypeFailed...), the search of the executions
// that failed being WhereState(api.StateTypeFailed, api.StateTypeWarning).
// With no state, the request fails before it is sent (an empty list).
func (f Filters) WhereState(states ...StateType) Filters {
	names := make([]string, len(states))
	for i, s := range states {
		names[i] = string(s)
	}
	return f.with(FilterFieldState, FilterOpIn, names)
}

// WhereNotIn returns f with filters[field][NOT_IN]=v1,v2,...: the field
// is none of values.
func (f Filters) WhereNotIn(field FilterField, values ...string) Filters {
	return f.with(field, FilterOpNotIn, slices.Clone(values))
}

// WhereLabel returns f with filters[labels][op][key]=value added: with
// FilterOpEquals the execution or flow carries the label key=value, with
// FilterOpNotEquals it does not. Several labels under one operation must
// all match.
func (f Filters) WhereLabel(op FilterOp, key, value string) Filters {
	labels, _ := f[string(FilterFieldLabels)][string(op)].(map[string]any)
	labels = maps.Clone(labels)
	if labels == nil {
		labels = map[string]any{}
	}
	labels[key] = value
	return f.with(FilterFieldLabels, op, labels)
}

// with returns a copy of f with filters[field][op]=value; f and the maps it
// holds are not changed (the builders' contract).
func (f Filters) with(field FilterField, op FilterOp, value any) Filters {
	out := make(Filters, len(f)+1)
	maps.Copy(out, f)
	conds := make(FilterConditions, len(f[string(field)])+1)
	maps.Copy(conds, f[string(field)])
	conds[string(op)] = value
	out[string(field)] = conds
	return out
}

// addLabel sets filters[labels][op][key]=value in place (for ParseFilters,
// which owns f and must stay linear in the size of the query).
func (f Filters) addLabel(op FilterOp, key, value string) Filters {
	conds := f[string(FilterFieldLabels)]
	labels, ok := conds[string(op)].(map[string]any)
	if !ok {
		labels = map[string]any{}
		f = f.set(FilterFieldLabels, op, labels)
	}
	labels[key] = value
	return f
}

// set sets filters[field][op]=value in place, allocating f when nil.
func (f Filters) set(field FilterField, op FilterOp, value any) Filters {
	if f == nil {
		f = Filters{}
	}
	conds := f[string(field)]
	if conds == nil {
		conds = FilterConditions{}
		f[string(field)] = conds
	}
	conds[string(op)] = value
	return f
}

// ErrFilterValue is wrapped by the errors of filters that the server would
// read differently from what they say (see Filters.MarshalJSON).
var ErrFilterValue = errors.New("filter value cannot be sent")

// MarshalJSON gives the generated client the document it sends as
// filters[...] query keys: lists joined with commas, label maps as a third
// bracket. It refuses what the server would misread:
//   - an IN or NOT_IN item containing a comma (the server splits on every
//     comma), a square bracket (it strips them) or a '%' or '+' (it
//     percent-decodes the value a second time, so + would become a space),
//     an empty item or an empty list;
//   - a list under any other operation, a map under any field but labels,
//     an empty label key or one holding a line break (the server then reads
//     no key at all), a value
//     that is neither a string nor a list of strings, text that is not
//     valid UTF-8;
//   - a field or operation name that is not an identifier (ASCII letters,
//     digits and '_', not starting with a digit): a bracket, '=', '&', a
//     space or a control character would shift the server's reading of the
//     key or of the query. A name outside FilterField or FilterOp that is an
//     identifier is sent: a newer server may know it.
func (f Filters) MarshalJSON() ([]byte, error) {
	out := make(map[string]map[string]any, len(f))
	for field, conds := range f {
		if len(conds) == 0 {
			continue
		}
		m := make(map[string]any, len(conds))
		for op, v := range conds {
			wire, err := wireFilterValue(FilterField(field), FilterOp(op), v)
			if err != nil {
				return nil, err
			}
			m[op] = wire
		}
		out[field] = m
	}
	return json.Marshal(out)
}

func wireFilterValue(field FilterField, op FilterOp, v any) (any, error) {
	bad := func(format string, args ...any) error {
		return fmt.Errorf("filters[%s][%s]: %w: %s", field, op, ErrFilterValue, fmt.Sprintf(format, args...))
	}
	// A name is sent whether or not this package knows it (a newer server
	// has more fields), but only if it cannot change how the server splits
	// the key filters[field][op] or the query around it.
	if err := checkName(string(field)); err != nil {
		return nil, bad("field: %v", err)
	}
	if err := checkName(string(op)); err != nil {
		return nil, bad("operation: %v", err)
	}
	list := op == FilterOpIn || op == FilterOpNotIn
	switch v := v.(type) {
	case string:
		if list {
			return v, wrapItemErr(bad, checkList(strings.Split(v, ",")))
		}
		return v, wrapItemErr(bad, checkText(v))
	case []string:
		if !list {
			return nil, bad("a list is only read under IN and NOT_IN")
		}
		if err := checkList(v); err != nil {
			return nil, bad("%v", err)
		}
		return strings.Join(v, ","), nil
	case map[string]any, map[string]string:
		if field != FilterFieldLabels {
			return nil, bad("only the labels field takes a map of keys")
		}
		labels := map[string]string{}
		switch m := v.(type) {
		case map[string]string:
			labels = m
		case map[string]any:
			for k, lv := range m {
				s, ok := lv.(string)
				if !ok {
					return nil, bad("label %q: value of type %T, want a string", k, lv)
				}
				labels[k] = s
			}
		}
		for k, lv := range labels {
			if k == "" {
				return nil, bad("empty label key")
			}
			if strings.ContainsAny(k, javaLineTerminators) {
				return nil, bad("label key %q holds a line break, which the server's key pattern does not match", k)
			}
			if err := errors.Join(checkText(k), checkText(lv)); err != nil {
				return nil, bad("label %q: %v", k, err)
			}
		}
		return labels, nil
	}
	return nil, bad("value of type %T, want a string or a list of strings", v)
}

// checkName refuses a field or operation name that could not stand
// between the brackets of filters[field][op] as the server reads them.
func checkName(name string) error {
	if name == "" {
		return errors.New("empty name")
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		letter := c == '_' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z'
		if !letter && (i == 0 || c < '0' || c > '9') {
			return fmt.Errorf("%q is not an identifier (letters, digits, '_')", name)
		}
	}
	return nil
}

// javaLineTerminators are the characters Java's regex "." does not match:
// the server reads the label key of filters[labels][OP][key] with ".+".
const javaLineTerminators = "\n\r\u0085\u2028\u2029"

func wrapItemErr(bad func(string, ...any) error, err error) error {
	if err != nil {
		return bad("%v", err)
	}
	return nil
}

// checkText refuses text that does not survive the trip: invalid UTF-8 is
// replaced by encoding/json (and by the server's decoder).
func checkText(s string) error {
	if !utf8.ValidString(s) {
		return fmt.Errorf("%q is not valid UTF-8", s)
	}
	return nil
}

// checkList refuses IN/NOT_IN items the server's parsing
// (QueryFilterFormatBinder) would change: it percent-decodes the value a
// second time (so % and + change), strips [ and ], splits on every comma
// and, being Java's String.split, drops trailing empty items.
func checkList(items []string) error {
	if len(items) == 0 {
		return errors.New("an empty list")
	}
	for _, s := range items {
		if err := checkText(s); err != nil {
			return err
		}
		if s == "" {
			return errors.New("an empty item")
		}
		if i := strings.IndexAny(s, "%+[],"); i >= 0 {
			return fmt.Errorf("%q contains %q, which the server would read differently", s, s[i])
		}
	}
	return nil
}

// QueryFilters returns the filters as objects, the form
// deleteTriggersByQuery reads in its JSON body (QueryFiltersBody), in a
// stable order (by field, then operation). A list stays a list in this form.
// The values are checked as MarshalJSON checks them.
func (f Filters) QueryFilters() ([]QueryFilter, error) {
	var out []QueryFilter
	for _, field := range sortedKeys(f) {
		for _, op := range sortedKeys(f[field]) {
			v := f[field][op]
			if _, err := wireFilterValue(FilterField(field), FilterOp(op), v); err != nil {
				return nil, err
			}
			if list, ok := v.([]string); ok {
				v = slices.Clone(list)
			}
			out = append(out, QueryFilter{Field: FilterField(field), Operation: FilterOp(op), Value: v})
		}
	}
	return out, nil
}

// FilterResource names a kind of search; each accepts its own set of filter
// fields (the server's QueryFilter.Resource).
type FilterResource string

// The searches that take filters.
const (
	FilterResourceExecution     FilterResource = "EXECUTION"               // searchExecutions, the executions by-query actions
	FilterResourceFlow          FilterResource = "FLOW"                    // searchFlows, the flows by-query actions
	FilterResourceLog           FilterResource = "LOG"                     // searchLogs and the logs of an execution
	FilterResourceTrigger       FilterResource = "TRIGGER"                 // searchTriggers, the triggers by-query actions
	FilterResourceNamespace     FilterResource = "NAMESPACE"               // searchNamespaces
	FilterResourceKV            FilterResource = "KV_METADATA"             // listAllKeys
	FilterResourceNamespaceFile FilterResource = "NAMESPACE_FILE_METADATA" // namespace file searches
)

// The server's rules, in one place: Field.supportedOp and
// Resource.supportedField of kestra-io/kestra
// core/src/main/java/io/kestra/core/models/QueryFilter.java, the newest
// version found (commit f8952e64bbe74d1d3e36ebf6f21eba5a186c9ef5, which
// has timeRange, taskId, taskRunId and the asset resources), plus what
// newer sources show and that version does not say:
//   - timeRange (an ISO-8601 duration) is accepted on executions and logs:
//     webserver/src/main/java/io/kestra/webserver/utils/QueryFilterUtils.java
//     (updateFilters) turns it into a startDate filter, the server's
//     LogControllerTest (searchLogsFilteredByDate) sends
//     filters[timeRange][EQUALS]=PT25H to the logs search, and the UI sends
//     it to the executions search;
//   - a 2.0 server reads taskId, taskRunId and attemptNumber on the logs of
//     an execution and level with GREATER_THAN_OR_EQUAL_TO
//     (webserver/src/test/java/io/kestra/webserver/controllers/api/LogControllerTest.java),
//     but no QueryFilter.java that says so in full was found: those rules
//     stay open (filterOpenFields, filterOpenOps), and Validate leaves them
//     to the server.
var (
	filterOps = map[FilterField][]FilterOp{
		FilterFieldQuery:              {FilterOpEquals, FilterOpNotEquals},
		FilterFieldScope:              {FilterOpEquals, FilterOpNotEquals},
		FilterFieldNamespace:          textOps,
		FilterFieldKind:               {FilterOpEquals, FilterOpNotEquals, FilterOpIn, FilterOpNotIn},
		FilterFieldLabels:             {FilterOpEquals, FilterOpNotEquals, FilterOpIn, FilterOpNotIn, FilterOpContains},
		FilterFieldMetadata:           {FilterOpEquals, FilterOpNotEquals, FilterOpIn, FilterOpNotIn, FilterOpContains},
		FilterFieldFlowID:             textOps,
		FilterFieldFlowRevision:       {FilterOpEquals, FilterOpNotEquals, FilterOpIn, FilterOpNotIn},
		FilterFieldID:                 matchOps,
		FilterFieldAssetID:            matchOps,
		FilterFieldType:               matchOps,
		FilterFieldCreated:            dateOps,
		FilterFieldUpdated:            dateOps,
		FilterFieldStartDate:          dateOps,
		FilterFieldEndDate:            dateOps,
		FilterFieldState:              {FilterOpEquals, FilterOpNotEquals, FilterOpIn, FilterOpNotIn},
		FilterFieldTimeRange:          {FilterOpEquals},
		FilterFieldTriggerExecutionID: idOps,
		FilterFieldTriggerID:          idOps,
		FilterFieldTriggerState:       {FilterOpEquals, FilterOpNotEquals},
		FilterFieldExecutionID:        idOps,
		FilterFieldTaskID:             idOps,
		FilterFieldTaskRunID:          idOps,
		FilterFieldChildFilter:        {FilterOpEquals, FilterOpNotEquals},
		FilterFieldWorkerID:           idOps,
		FilterFieldExistingOnly:       {FilterOpEquals, FilterOpNotEquals},
		FilterFieldLevel:              {FilterOpEquals, FilterOpNotEquals, FilterOpGreaterThanOrEqualTo},
		FilterFieldPath:               {FilterOpEquals, FilterOpNotEquals, FilterOpIn},
		FilterFieldParentPath:         {FilterOpEquals, FilterOpNotEquals, FilterOpStartsWith},
		FilterFieldVersion:            {FilterOpEquals, FilterOpNotEquals},
	}
	textOps  = []FilterOp{FilterOpEquals, FilterOpNotEquals, FilterOpContains, FilterOpStartsWith, FilterOpEndsWith, FilterOpRegex, FilterOpIn, FilterOpNotIn, FilterOpPrefix}
	matchOps = []FilterOp{FilterOpEquals, FilterOpNotEquals, FilterOpContains, FilterOpStartsWith, FilterOpEndsWith, FilterOpRegex}
	dateOps  = []FilterOp{FilterOpGreaterThanOrEqualTo, FilterOpGreaterThan, FilterOpLessThanOrEqualTo, FilterOpLessThan, FilterOpEquals, FilterOpNotEquals}
	idOps    = []FilterOp{FilterOpEquals, FilterOpNotEquals, FilterOpContains, FilterOpStartsWith, FilterOpEndsWith, FilterOpIn, FilterOpNotIn}

	// filterOpenOps: fields whose operations grew after the source above
	// (level: GREATER_THAN_OR_EQUAL_TO on 2.0); Validate does not refuse
	// an operation they do not list.
	filterOpenOps = map[FilterField]bool{FilterFieldLevel: true}

	filterFields = map[FilterResource][]FilterField{
		FilterResourceExecution: {FilterFieldQuery, FilterFieldScope, FilterFieldFlowID, FilterFieldStartDate, FilterFieldEndDate,
			FilterFieldState, FilterFieldLabels, FilterFieldTriggerExecutionID, FilterFieldChildFilter, FilterFieldNamespace, FilterFieldKind,
			FilterFieldTimeRange},
		FilterResourceFlow: {FilterFieldLabels, FilterFieldNamespace, FilterFieldQuery, FilterFieldScope, FilterFieldFlowID},
		FilterResourceLog: {FilterFieldQuery, FilterFieldScope, FilterFieldNamespace, FilterFieldStartDate, FilterFieldEndDate,
			FilterFieldFlowID, FilterFieldTriggerID, FilterFieldLevel, FilterFieldExecutionID, FilterFieldTimeRange},
		FilterResourceTrigger: {FilterFieldQuery, FilterFieldScope, FilterFieldNamespace, FilterFieldWorkerID, FilterFieldFlowID,
			FilterFieldStartDate, FilterFieldEndDate, FilterFieldTriggerID, FilterFieldTriggerState},
		FilterResourceNamespace:     {FilterFieldExistingOnly},
		FilterResourceKV:            {FilterFieldQuery, FilterFieldNamespace, FilterFieldUpdated},
		FilterResourceNamespaceFile: {FilterFieldQuery, FilterFieldNamespace, FilterFieldPath, FilterFieldParentPath, FilterFieldVersion, FilterFieldUpdated},
	}

	// filterOpenFields: fields a 2.0 server reads for the resource that the
	// source above does not list there; Validate does not refuse them.
	filterOpenFields = map[FilterResource][]FilterField{
		FilterResourceLog: {FilterFieldTaskID, FilterFieldTaskRunID, FilterFieldAttemptNumber},
	}
)

// Ops returns the operations the newest server source read for this
// package accepts on the field (see Validate), nil for a field whose rules
// it does not give. A newer server may accept more. The slice is a copy.
func (f FilterField) Ops() []FilterOp { return slices.Clone(filterOps[f]) }

// Fields returns the filter fields the newest server source read for this
// package accepts for the resource (see Validate). A newer server may
// accept more. The slice is a copy.
func (r FilterResource) Fields() []FilterField { return slices.Clone(filterFields[r]) }

// ErrFilterNotSupported is wrapped by Validate's errors: a field the
// resource does not accept, or an operation the field does not accept. The
// server answers such a search with 400 (invalid-query-filters).
var ErrFilterNotSupported = errors.New("filter not supported")

// Validate reports, without a round trip, the filters a server would
// refuse for a search of resource r (ErrFilterNotSupported) and those it
// would misread (ErrFilterValue, as MarshalJSON). It is optional and
// stricter than sending: its rules are those of the newest server source
// read for this package (Fields, Ops), and a newer server may accept more.
// It refuses a field only where that source says the resource does not
// read it, and an operation only where it lists the field's operations; a
// field or operation the source does not know, and the rules it could not
// confirm for 2.0 servers (task filters on logs, level comparisons), are
// left to the server.
func (f Filters) Validate(r FilterResource) error {
	fields, ok := filterFields[r]
	if !ok {
		return fmt.Errorf("unknown filter resource %q", r)
	}
	var errs []error
	for _, field := range sortedKeys(f) {
		ff := FilterField(field)
		ops, known := filterOps[ff]
		if known && !slices.Contains(fields, ff) && !slices.Contains(filterOpenFields[r], ff) {
			errs = append(errs, fmt.Errorf("field %s: %w for %s searches", field, ErrFilterNotSupported, r))
			continue
		}
		for _, op := range sortedKeys(f[field]) {
			if known && !filterOpenOps[ff] && !slices.Contains(ops, FilterOp(op)) {
				errs = append(errs, fmt.Errorf("filters[%s][%s]: %w: operation %s on %s", field, op, ErrFilterNotSupported, op, field))
				continue
			}
			if _, err := wireFilterValue(ff, FilterOp(op), f[field][op]); err != nil {
				errs = append(errs, err)
			}
		}
	}
	return errors.Join(errs...)
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
