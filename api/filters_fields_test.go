package api_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/kestra-go/kestra-go/api"
	"github.com/kestra-go/kestra-go/openapi"
)

// sentQuery sends f through search (one of the generated client's calls
// that read filters) and returns the query string the server received.
func sentQuery(t *testing.T, send func(c *api.Client) error) string {
	t.Helper()
	srv, seen := recordingServer(t, 200, "application/json", `{"results":[],"total":0}`)
	c, err := api.NewClient(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	if err := send(c); err != nil {
		t.Fatal(err)
	}
	_, q, _ := strings.Cut((*seen)[0].escapedURI, "?")
	return q
}

// TestFiltersServerFieldsQueryString: the fields of a 2.0 server outside the
// older list go out as the server reads them (the UI's timeRange on
// executions, the 2.0 log endpoints' task filters).
func TestFiltersServerFieldsQueryString(t *testing.T) {
	ctx := context.Background()
	cases := []struct {
		name string
		send func(c *api.Client) error
		want string
	}{
		{"timeRange on executions", func(c *api.Client) error {
			_, err := c.SearchExecutions(ctx, "main", &api.SearchExecutionsParams{
				Filters: api.Filters{}.Where(api.FilterFieldTimeRange, api.FilterOpEquals, "PT24H")})
			return err
		}, "filters[timeRange][EQUALS]=PT24H"},
		{"task filters on the logs of an execution", func(c *api.Client) error {
			_, err := c.ListLogsFromExecution(ctx, "main", "4Xy8pXZcvyR1mfSD3Bq0Yb", &api.ListLogsFromExecutionParams{
				Filters: api.Filters{}.
					Where(api.FilterFieldTaskID, api.FilterOpEquals, "load").
					WhereIn(api.FilterFieldTaskRunID, "6k1c", "7h2d").
					Where(api.FilterFieldAttemptNumber, api.FilterOpEquals, "1")})
			return err
		}, "filters[attemptNumber][EQUALS]=1&filters[taskId][EQUALS]=load&filters[taskRunId][IN]=6k1c%2C7h2d"},
		{"level on a logs search", func(c *api.Client) error {
			_, err := c.SearchLogs(ctx, "main", &api.SearchLogsParams{
				Filters: api.Filters{}.Where(api.FilterFieldLevel, api.FilterOpGreaterThanOrEqualTo, string(api.LevelWarn)).
					Where(api.FilterFieldTaskRunID, api.FilterOpStartsWith, "6k")})
			return err
		}, "filters[level][GREATER_THAN_OR_EQUAL_TO]=WARN&filters[taskRunId][STARTS_WITH]=6k"},
		{"a newer server's field and operation", func(c *api.Client) error {
			_, err := c.SearchExecutions(ctx, "main", &api.SearchExecutionsParams{
				Filters: api.Filters{}.Where("someNewField", "SOME_NEW_OP", "x").
					Where(api.FilterField("external_id"), api.FilterOpEquals, "e-1")})
			return err
		}, "filters[external_id][EQUALS]=e-1&filters[someNewField][SOME_NEW_OP]=x"},
		{"WhereState", func(c *api.Client) error {
			_, err := c.SearchExecutions(ctx, "main", &api.SearchExecutionsParams{
				Filters: api.Filters{}.WhereState(api.StateTypeFailed, api.StateTypeWarning)})
			return err
		}, "filters[state][IN]=FAILED%2CWARNING"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := sentQuery(t, tc.send); got != tc.want {
				t.Errorf("query\n got %s\nwant %s", got, tc.want)
			}
		})
	}
}

// TestFiltersUnsafeNamesRefused: a field or operation name that would
// change how the server splits the key (or the query) never goes out.
func TestFiltersUnsafeNamesRefused(t *testing.T) {
	names := []string{"", "a]b", "a[b", "labels][EQUALS", "a=b", "a&b", "a b", "a\nb", "a\x00b", "a\x7fb",
		"1a", "a.b", "a-b", "é", "a%5Db", "a+b", "a#b"}
	for _, name := range names {
		for _, f := range []api.Filters{
			api.Filters{}.Where(api.FilterField(name), api.FilterOpEquals, "x"),
			api.Filters{}.Where(api.FilterFieldState, api.FilterOp(name), "x"),
		} {
			srv, seen := recordingServer(t, 200, "application/json", `{"results":[],"total":0}`)
			c, _ := api.NewClient(srv.URL)
			_, err := c.SearchExecutions(context.Background(), "main", &api.SearchExecutionsParams{Filters: f})
			if !errors.Is(err, api.ErrFilterValue) {
				t.Errorf("%q: error %v, want ErrFilterValue", name, err)
			}
			if len(*seen) != 0 {
				t.Errorf("%q: %d requests sent", name, len(*seen))
			}
			if _, err := f.QueryFilters(); !errors.Is(err, api.ErrFilterValue) {
				t.Errorf("%q: QueryFilters: %v", name, err)
			}
		}
	}
}

// TestFiltersValidateServerFields: Validate accepts what the newest server
// source accepts, refuses what it refuses, and leaves to the server what
// it cannot confirm.
func TestFiltersValidateServerFields(t *testing.T) {
	accepted := map[api.FilterResource]api.Filters{
		api.FilterResourceExecution: api.Filters{}.Where(api.FilterFieldTimeRange, api.FilterOpEquals, "PT24H").
			WhereState(api.StateTypeFailed),
		api.FilterResourceLog: api.Filters{}.Where(api.FilterFieldTimeRange, api.FilterOpEquals, "P7D").
			Where(api.FilterFieldLevel, api.FilterOpGreaterThanOrEqualTo, "INFO").
			Where(api.FilterFieldTaskID, api.FilterOpEquals, "load").
			Where(api.FilterFieldTaskRunID, api.FilterOpEquals, "6k1c").
			Where(api.FilterFieldAttemptNumber, api.FilterOpEquals, "1"),
		// unknown to the source: the server judges it
		api.FilterResourceFlow: api.Filters{}.Where("someNewField", "SOME_NEW_OP", "x"),
	}
	for r, f := range accepted {
		if err := f.Validate(r); err != nil {
			t.Errorf("%s: %v", r, err)
		}
	}
	refused := map[api.FilterResource]api.Filters{
		api.FilterResourceFlow:      api.Filters{}.WhereState(api.StateTypeFailed),                         // not a flow field
		api.FilterResourceTrigger:   api.Filters{}.Where(api.FilterFieldTaskID, api.FilterOpEquals, "a"),   // not a trigger field
		api.FilterResourceExecution: api.Filters{}.Where(api.FilterFieldTimeRange, api.FilterOpIn, "PT1H"), // EQUALS only
		api.FilterResourceKV:        api.Filters{}.Where(api.FilterFieldNamespace, "SOME_NEW_OP", "a"),     // a field whose operations the source lists
	}
	for r, f := range refused {
		if err := f.Validate(r); !errors.Is(err, api.ErrFilterNotSupported) {
			t.Errorf("%s %v: Validate %v, want ErrFilterNotSupported", r, f, err)
		}
	}
	bad := api.Filters{}.Where("a]b", api.FilterOpEquals, "x")
	if err := bad.Validate(api.FilterResourceExecution); !errors.Is(err, api.ErrFilterValue) {
		t.Errorf("unsafe name: %v", err)
	}
}

// ExampleFilters_WhereState searches the executions that failed or ended
// with warnings in the last 24 hours.
func ExampleFilters_WhereState() {
	f := api.Filters{}.
		WhereState(api.StateTypeFailed, api.StateTypeWarning).
		Where(api.FilterFieldTimeRange, api.FilterOpEquals, "PT24H")
	b, err := f.MarshalJSON()
	if err != nil {
		panic(err)
	}
	fmt.Println(string(b))
	fmt.Println(f.Validate(api.FilterResourceExecution))
	// Output:
	// {"state":{"IN":"FAILED,WARNING"},"timeRange":{"EQUALS":"PT24H"}}
	// <nil>
}

// TestEveryServerFieldIsSendable: each name of the document's FilterField
// enum (the server's QueryFilter.Field, some with '_' or in capitals) is a
// constant that Valid knows and MarshalJSON sends.
func TestEveryServerFieldIsSendable(t *testing.T) {
	var doc struct {
		Components struct {
			Schemas map[string]struct {
				Enum []string `yaml:"enum"`
			} `yaml:"schemas"`
		} `yaml:"components"`
	}
	if err := yaml.Unmarshal(openapi.Spec(), &doc); err != nil {
		t.Fatal(err)
	}
	fields := doc.Components.Schemas["FilterField"].Enum
	if len(fields) < 54 {
		t.Fatalf("%d fields in the document, want the server's 54", len(fields))
	}
	for _, name := range fields {
		field := api.FilterField(name)
		if !field.Valid() {
			t.Errorf("%s: not Valid", name)
		}
		if _, err := (api.Filters{}.Where(field, api.FilterOpEquals, "x")).MarshalJSON(); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	for _, name := range doc.Components.Schemas["FilterOp"].Enum {
		if _, err := (api.Filters{}.Where(api.FilterFieldQuery, api.FilterOp(name), "x")).MarshalJSON(); err != nil {
			t.Errorf("operation %s: %v", name, err)
		}
	}
}

func TestWhereStateEmptyRefused(t *testing.T) {
	if _, err := (api.Filters{}.WhereState()).MarshalJSON(); !errors.Is(err, api.ErrFilterValue) {
		t.Errorf("WhereState(): %v, want ErrFilterValue", err)
	}
}
