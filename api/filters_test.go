package api_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/kestra-go/kestra-go/api"
)

// rawQuery sends one searchExecutions with params through the generated
// client and returns the query string exactly as the server received it.
func rawQuery(t *testing.T, params *api.SearchExecutionsParams) string {
	t.Helper()
	srv, seen := recordingServer(t, 200, "application/json", `{"results":[],"total":0}`)
	c, err := api.NewClientWithResponses(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.SearchExecutionsWithResponse(context.Background(), "main", params); err != nil {
		t.Fatal(err)
	}
	_, q, _ := strings.Cut((*seen)[0].escapedURI, "?")
	return q
}

func TestFiltersQueryString(t *testing.T) {
	at := time.Date(2026, 5, 1, 10, 0, 0, 5e8, time.UTC)
	cases := []struct {
		name   string
		params *api.SearchExecutionsParams
		want   string
	}{
		{"nothing set", &api.SearchExecutionsParams{}, ""},
		{"paging only", &api.SearchExecutionsParams{Page: 2, Size: 50}, "page=2&size=50"},
		{"one filter", &api.SearchExecutionsParams{Filters: api.Filters{}.Where(api.FilterFieldNamespace, api.FilterOpEquals, "company.team")},
			"filters[namespace][EQUALS]=company.team"},
		{"nil start", &api.SearchExecutionsParams{Filters: api.Filters(nil).Where(api.FilterFieldFlowID, api.FilterOpPrefix, "a")},
			"filters[flowId][PREFIX]=a"},
		{"in list", &api.SearchExecutionsParams{Filters: api.Filters{}.WhereIn(api.FilterFieldState, "FAILED", "WARNING")},
			"filters[state][IN]=FAILED%2CWARNING"},
		{"not in list", &api.SearchExecutionsParams{Filters: api.Filters{}.WhereNotIn(api.FilterFieldKind, "TEST")},
			"filters[kind][NOT_IN]=TEST"},
		{"labels", &api.SearchExecutionsParams{Filters: api.Filters{}.
			WhereLabel(api.FilterOpEquals, "team", "data").
			WhereLabel(api.FilterOpEquals, "env", "prod").
			WhereLabel(api.FilterOpNotEquals, "tier", "gold")},
			"filters[labels][EQUALS][env]=prod&filters[labels][EQUALS][team]=data&filters[labels][NOT_EQUALS][tier]=gold"},
		{"escaped", &api.SearchExecutionsParams{Filters: api.Filters{}.
			Where(api.FilterFieldQuery, api.FilterOpEquals, "a&b=c #d").
			WhereLabel(api.FilterOpEquals, "url", "http://x/?a=1&b=2")},
			"filters[labels][EQUALS][url]=http%3A%2F%2Fx%2F%3Fa%3D1%26b%3D2&filters[q][EQUALS]=a%26b%3Dc+%23d"},
		{"time", &api.SearchExecutionsParams{Filters: api.Filters{}.WhereTime(api.FilterFieldStartDate, api.FilterOpGreaterThanOrEqualTo, at)},
			"filters[startDate][GREATER_THAN_OR_EQUAL_TO]=2026-05-01T10%3A00%3A00.5Z"},
		{"all together", &api.SearchExecutionsParams{Page: 1, Size: 10, Sort: []string{"state.startDate:desc"},
			Filters: api.Filters{}.Where(api.FilterFieldNamespace, api.FilterOpPrefix, "company")},
			"filters[namespace][PREFIX]=company&page=1&size=10&sort=state.startDate%3Adesc"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := rawQuery(t, tc.params); got != tc.want {
				t.Errorf("query\n got %s\nwant %s", got, tc.want)
			}
		})
	}
}

// TestFiltersRefused checks that a filter the server would misread fails
// the call before anything is sent.
func TestFiltersRefused(t *testing.T) {
	cases := map[string]api.Filters{
		"comma in an IN item":     api.Filters{}.WhereIn(api.FilterFieldState, "FAILED,SUCCESS"),
		"plus in an IN item":      api.Filters{}.WhereIn(api.FilterFieldNamespace, "a+b"),
		"percent in an IN string": api.Filters{}.Where(api.FilterFieldNamespace, api.FilterOpIn, "100%"),
		"bracket in an IN item":   api.Filters{}.WhereNotIn(api.FilterFieldFlowID, "a]"),
		"list under EQUALS":       {"state": {"EQUALS": []string{"a", "b"}}},
		"map outside labels":      {"state": {"EQUALS": map[string]string{"a": "b"}}},
		"empty label key":         api.Filters{}.WhereLabel(api.FilterOpEquals, "", "x"),
		"number value":            {"q": {"EQUALS": 42}},
	}
	for name, f := range cases {
		t.Run(name, func(t *testing.T) {
			srv, seen := recordingServer(t, 200, "application/json", `{"results":[],"total":0}`)
			c, _ := api.NewClientWithResponses(srv.URL)
			_, err := c.SearchExecutionsWithResponse(context.Background(), "main", &api.SearchExecutionsParams{Filters: f})
			if !errors.Is(err, api.ErrFilterValue) {
				t.Errorf("error %v, want ErrFilterValue", err)
			}
			if len(*seen) != 0 {
				t.Errorf("%d requests sent", len(*seen))
			}
			if err := f.Validate(api.FilterResourceExecution); !errors.Is(err, api.ErrFilterValue) {
				t.Errorf("Validate: %v", err)
			}
		})
	}
}

func TestFiltersValidate(t *testing.T) {
	ok := api.Filters{}.
		Where(api.FilterFieldNamespace, api.FilterOpPrefix, "company").
		WhereIn(api.FilterFieldState, "FAILED").
		WhereLabel(api.FilterOpEquals, "team", "data")
	if err := ok.Validate(api.FilterResourceExecution); err != nil {
		t.Errorf("valid execution filters: %v", err)
	}
	// state is not a flow field; PREFIX is not an operation on state.
	if err := ok.Validate(api.FilterResourceFlow); !errors.Is(err, api.ErrFilterNotSupported) || !strings.Contains(err.Error(), "state") {
		t.Errorf("state on flows: %v", err)
	}
	badOp := api.Filters{}.Where(api.FilterFieldState, api.FilterOpPrefix, "F")
	if err := badOp.Validate(api.FilterResourceExecution); !errors.Is(err, api.ErrFilterNotSupported) {
		t.Errorf("PREFIX on state: %v", err)
	}
	if err := ok.Validate("NOPE"); err == nil {
		t.Error("unknown resource accepted")
	}
	if err := api.Filters(nil).Validate(api.FilterResourceKV); err != nil {
		t.Errorf("no filters: %v", err)
	}
}

// TestFilterRulesAreCopies checks that the rule tables cannot be changed
// through the slices they return.
func TestFilterRulesAreCopies(t *testing.T) {
	ops := api.FilterFieldState.Ops()
	ops[0] = api.FilterOpRegex
	if api.FilterFieldState.Ops()[0] == api.FilterOpRegex {
		t.Error("Ops returned the table itself")
	}
	fields := api.FilterResourceNamespace.Fields()
	if !slices.Equal(fields, []api.FilterField{api.FilterFieldExistingOnly}) {
		t.Errorf("namespace fields %v", fields)
	}
}

func TestFiltersQueryFilters(t *testing.T) {
	f := api.Filters{}.WhereIn(api.FilterFieldNamespace, "a", "b").WhereLabel(api.FilterOpEquals, "team", "data").
		Where(api.FilterFieldFlowID, api.FilterOpEquals, "hello")
	qf, err := f.QueryFilters()
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(api.QueryFiltersBody{Filters: qf})
	want := `{"filters":[{"field":"flowId","operation":"EQUALS","value":"hello"},` +
		`{"field":"labels","operation":"EQUALS","value":{"team":"data"}},` +
		`{"field":"namespace","operation":"IN","value":["a","b"]}]}`
	if string(b) != want {
		t.Errorf("body\n got %s\nwant %s", b, want)
	}
	bad := api.Filters{}.WhereIn(api.FilterFieldState, "a,b")
	if _, err := bad.QueryFilters(); !errors.Is(err, api.ErrFilterValue) {
		t.Errorf("comma accepted: %v", err)
	}
}

// ExampleFilters_Where shows the query keys a filter set becomes.
func ExampleFilters_Where() {
	f := api.Filters{}.
		Where(api.FilterFieldNamespace, api.FilterOpPrefix, "company").
		WhereIn(api.FilterFieldState, "FAILED", "WARNING").
		WhereLabel(api.FilterOpEquals, "team", "data")
	b, err := f.MarshalJSON()
	if err != nil {
		panic(err)
	}
	fmt.Println(string(b))
	fmt.Println(f.Validate(api.FilterResourceExecution))
	// Output:
	// {"labels":{"EQUALS":{"team":"data"}},"namespace":{"PREFIX":"company"},"state":{"IN":"FAILED,WARNING"}}
	// <nil>
}

func TestParseFilters(t *testing.T) {
	q := url.Values{
		"filters[namespace][EQUALS]":         {"company.team"},
		"filters[state][IN]":                 {"[FAILED,WARNING,]"},
		"filters[labels][EQUALS][team]":      {"data", "ignored"},
		"filters[labels][NOT_EQUALS][tier]":  {"gold"},
		"filters[flowId][NOT_EQUALS]":        {"a", "b"},
		"filters[kind][NOT_IN]":              {"TEST%2CPLAYGROUND"}, // decoded a second time
		"filters[q]":                         {"not a filter key"},
		"filtersx[q][EQUALS]":                {"not a filter key"},
		"filters[labels][EQUALS][line\nkey]": {"the server's pattern does not match it"},
		"page":                               {"2"},
	}
	got, err := api.ParseFilters(q)
	if err != nil {
		t.Fatal(err)
	}
	want := api.Filters{
		"namespace": {"EQUALS": "company.team"},
		"state":     {"IN": []string{"FAILED", "WARNING"}},
		"labels":    {"EQUALS": map[string]any{"team": "data"}, "NOT_EQUALS": map[string]any{"tier": "gold"}},
		"flowId":    {"NOT_EQUALS": []string{"a", "b"}},
		"kind":      {"NOT_IN": []string{"TEST", "PLAYGROUND"}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("ParseFilters\n got %#v\nwant %#v", got, want)
	}
	for _, bad := range []url.Values{
		{"filters[nope][EQUALS]": {"x"}},
		{"filters[state][IS]": {"x"}},
		{"filters[state][IN]": {"100%zz"}},
	} {
		if _, err := api.ParseFilters(bad); !errors.Is(err, api.ErrFilterNotSupported) {
			t.Errorf("%v: error %v, want ErrFilterNotSupported", bad, err)
		}
	}
}

// TestFiltersBuildersDoNotAlias: a filter set built from a common base
// leaves the base and its siblings as they were (the builders return a new
// set), so a program can share a base filter between searches.
func TestFiltersBuildersDoNotAlias(t *testing.T) {
	base := api.Filters{}.
		Where(api.FilterFieldNamespace, api.FilterOpEquals, "company.team").
		WhereLabel(api.FilterOpEquals, "team", "data")
	failed := base.Where(api.FilterFieldState, api.FilterOpEquals, "FAILED").WhereLabel(api.FilterOpEquals, "env", "prod")
	success := base.WhereIn(api.FilterFieldState, "SUCCESS").Where(api.FilterFieldNamespace, api.FilterOpEquals, "other")
	for name, c := range map[string]struct {
		f    api.Filters
		want string
	}{
		"base":    {base, "filters[labels][EQUALS][team]=data&filters[namespace][EQUALS]=company.team"},
		"failed":  {failed, "filters[labels][EQUALS][env]=prod&filters[labels][EQUALS][team]=data&filters[namespace][EQUALS]=company.team&filters[state][EQUALS]=FAILED"},
		"success": {success, "filters[labels][EQUALS][team]=data&filters[namespace][EQUALS]=other&filters[state][IN]=SUCCESS"},
	} {
		if got, _ := url.QueryUnescape(rawQuery(t, &api.SearchExecutionsParams{Filters: c.f})); got != c.want {
			t.Errorf("%s: sent %s\nwant %s", name, got, c.want)
		}
	}
}
