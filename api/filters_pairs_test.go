package api_test

import (
	"context"
	"errors"
	"net/url"
	"strings"
	"testing"

	"github.com/kestra-go/kestra-go/api"
	"github.com/kestra-go/kestra-go/kestratest"
)

// The server's rules, written out again here from QueryFilter.java
// (Field.supportedOp, Resource.supportedField, commit f8952e64) and the
// newer sources filters.go cites (timeRange on executions and logs, level
// GREATER_THAN_OR_EQUAL_TO) in another shape than filters.go, so that a
// change of either shows.
var (
	serverOps = map[string]string{
		"q": "EQUALS NOT_EQUALS", "scope": "EQUALS NOT_EQUALS",
		"namespace":          "EQUALS NOT_EQUALS CONTAINS STARTS_WITH ENDS_WITH REGEX IN NOT_IN PREFIX",
		"flowId":             "EQUALS NOT_EQUALS CONTAINS STARTS_WITH ENDS_WITH REGEX IN NOT_IN PREFIX",
		"kind":               "EQUALS NOT_EQUALS IN NOT_IN",
		"labels":             "EQUALS NOT_EQUALS IN NOT_IN CONTAINS",
		"updated":            "GREATER_THAN_OR_EQUAL_TO GREATER_THAN LESS_THAN_OR_EQUAL_TO LESS_THAN EQUALS NOT_EQUALS",
		"startDate":          "GREATER_THAN_OR_EQUAL_TO GREATER_THAN LESS_THAN_OR_EQUAL_TO LESS_THAN EQUALS NOT_EQUALS",
		"endDate":            "GREATER_THAN_OR_EQUAL_TO GREATER_THAN LESS_THAN_OR_EQUAL_TO LESS_THAN EQUALS NOT_EQUALS",
		"state":              "EQUALS NOT_EQUALS IN NOT_IN",
		"timeRange":          "EQUALS",
		"triggerExecutionId": "EQUALS NOT_EQUALS CONTAINS STARTS_WITH ENDS_WITH IN NOT_IN",
		"triggerId":          "EQUALS NOT_EQUALS CONTAINS STARTS_WITH ENDS_WITH IN NOT_IN",
		"triggerState":       "EQUALS NOT_EQUALS",
		"executionId":        "EQUALS NOT_EQUALS CONTAINS STARTS_WITH ENDS_WITH IN NOT_IN",
		"childFilter":        "EQUALS NOT_EQUALS",
		"workerId":           "EQUALS NOT_EQUALS CONTAINS STARTS_WITH ENDS_WITH IN NOT_IN",
		"existingOnly":       "EQUALS NOT_EQUALS",
		"level":              "EQUALS NOT_EQUALS GREATER_THAN_OR_EQUAL_TO",
		"metadata":           "EQUALS NOT_EQUALS IN NOT_IN CONTAINS",
		"flowRevision":       "EQUALS NOT_EQUALS IN NOT_IN",
		"id":                 "EQUALS NOT_EQUALS CONTAINS STARTS_WITH ENDS_WITH REGEX",
		"assetId":            "EQUALS NOT_EQUALS CONTAINS STARTS_WITH ENDS_WITH REGEX",
		"type":               "EQUALS NOT_EQUALS CONTAINS STARTS_WITH ENDS_WITH REGEX",
		"created":            "GREATER_THAN_OR_EQUAL_TO GREATER_THAN LESS_THAN_OR_EQUAL_TO LESS_THAN EQUALS NOT_EQUALS",
		"taskId":             "EQUALS NOT_EQUALS CONTAINS STARTS_WITH ENDS_WITH IN NOT_IN",
		"taskRunId":          "EQUALS NOT_EQUALS CONTAINS STARTS_WITH ENDS_WITH IN NOT_IN",
		"path":               "EQUALS NOT_EQUALS IN",
		"parentPath":         "EQUALS NOT_EQUALS STARTS_WITH",
		"version":            "EQUALS NOT_EQUALS",
	}
	// fields whose other operations a 2.0 server may accept: not refused
	openOps = map[string]bool{"level": true}
	// fields a 2.0 server reads for a resource beyond the tables: not refused
	openFields   = map[api.FilterResource]string{api.FilterResourceLog: "taskId taskRunId"}
	serverFields = map[api.FilterResource]string{
		api.FilterResourceExecution: "q scope flowId startDate endDate state labels triggerExecutionId childFilter namespace kind timeRange",
		api.FilterResourceFlow:      "labels namespace q scope flowId",
		api.FilterResourceLog:       "q scope namespace startDate endDate flowId triggerId level executionId timeRange",
		api.FilterResourceTrigger:   "q scope namespace workerId flowId startDate endDate triggerId triggerState",
		api.FilterResourceNamespace: "existingOnly",
		api.FilterResourceKV:        "q namespace updated",
	}
	// a value the server parses for each field
	sampleValue = map[string]string{
		"q": "orders", "scope": "USER", "namespace": "company.team", "flowId": "orders", "kind": "NORMAL",
		"updated": "2026-05-01T10:00:00Z", "startDate": "2026-05-01T10:00:00Z", "endDate": "2026-05-02T10:00:00.5Z",
		"state": "FAILED", "timeRange": "PT24H", "triggerExecutionId": "4Xy8pXZcvyR1mfSD3Bq0Yb", "triggerId": "schedule",
		"triggerState": "ENABLED", "executionId": "4Xy8pXZcvyR1mfSD3Bq0Yb", "childFilter": "MAIN", "workerId": "w-1",
		"existingOnly": "true", "level": "WARN",
	}
)

// search sends f through the operation that searches resource r and returns
// the query string as the server received it.
func search(t *testing.T, r api.FilterResource, f api.Filters) string {
	t.Helper()
	srv, seen := recordingServer(t, 200, "application/json", `{"results":[],"total":0}`)
	c, err := api.NewClient(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	switch r {
	case api.FilterResourceExecution:
		_, err = c.SearchExecutions(ctx, "main", &api.SearchExecutionsParams{Filters: f})
	case api.FilterResourceFlow:
		_, err = c.SearchFlows(ctx, "main", &api.SearchFlowsParams{Filters: f})
	case api.FilterResourceLog:
		_, err = c.SearchLogs(ctx, "main", &api.SearchLogsParams{Filters: f})
	case api.FilterResourceTrigger:
		_, err = c.SearchTriggers(ctx, "main", &api.SearchTriggersParams{Filters: f})
	case api.FilterResourceNamespace:
		_, err = c.SearchNamespaces(ctx, "main", &api.SearchNamespacesParams{Filters: f})
	case api.FilterResourceKV:
		_, err = c.ListAllKeys(ctx, "main", &api.ListAllKeysParams{Filters: f})
	}
	if err != nil {
		t.Fatal(err)
	}
	_, q, _ := strings.Cut((*seen)[0].escapedURI, "?")
	return q
}

// TestFilterPairsQuery sends every field/operation pair each search accepts
// and checks the exact query string.
func TestFilterPairsQuery(t *testing.T) {
	n := 0
	for res, fields := range serverFields {
		for _, field := range strings.Fields(fields) {
			for _, op := range strings.Fields(serverOps[field]) {
				var f api.Filters
				var want string
				switch {
				case field == "labels":
					f = f.WhereLabel(api.FilterOp(op), "team", "data")
					want = "filters[labels][" + op + "][team]=data"
				case op == "IN":
					f = f.WhereIn(api.FilterField(field), sampleValue[field], "other")
					want = "filters[" + field + "][" + op + "]=" + url.QueryEscape(sampleValue[field]+",other")
				case op == "NOT_IN":
					f = f.WhereNotIn(api.FilterField(field), sampleValue[field], "other")
					want = "filters[" + field + "][" + op + "]=" + url.QueryEscape(sampleValue[field]+",other")
				default:
					f = f.Where(api.FilterField(field), api.FilterOp(op), sampleValue[field])
					want = "filters[" + field + "][" + op + "]=" + url.QueryEscape(sampleValue[field])
				}
				if err := f.Validate(res); err != nil {
					t.Errorf("%s %s %s: Validate: %v", res, field, op, err)
				}
				if got := search(t, res, f); got != want {
					t.Errorf("%s %s %s:\n got %s\nwant %s", res, field, op, got, want)
				}
				n++
			}
		}
	}
	if n < 150 {
		t.Errorf("only %d pairs", n)
	}
	t.Logf("%d field/operation pairs", n)
}

// TestFilterPairsRefused checks that Validate refuses every pair the server
// refuses: a field outside the resource, an operation outside the field.
func TestFilterPairsRefused(t *testing.T) {
	allOps := strings.Fields("EQUALS NOT_EQUALS GREATER_THAN LESS_THAN GREATER_THAN_OR_EQUAL_TO LESS_THAN_OR_EQUAL_TO IN NOT_IN STARTS_WITH ENDS_WITH CONTAINS REGEX PREFIX")
	for res, fields := range serverFields {
		accepted := map[string]bool{}
		read := map[string]bool{}
		for _, field := range strings.Fields(fields + " " + openFields[res]) {
			read[field] = true
			for _, op := range strings.Fields(serverOps[field]) {
				accepted[field+" "+op] = true
			}
		}
		for field := range serverOps {
			for _, op := range allOps {
				if accepted[field+" "+op] || read[field] && openOps[field] {
					continue
				}
				f := api.Filters{}.Where(api.FilterField(field), api.FilterOp(op), "x")
				if err := f.Validate(res); !errors.Is(err, api.ErrFilterNotSupported) {
					t.Errorf("%s %s %s: Validate %v, want ErrFilterNotSupported", res, field, op, err)
				}
			}
		}
	}
}

// TestFilterPairsAcceptedByKestratest sends every pair the server accepts to
// kestratest: each is accepted there too. (kestratest does not yet refuse a
// field outside the search's resource, as the server does with 400.)
func TestFilterPairsAcceptedByKestratest(t *testing.T) {
	srv := kestratest.NewServer()
	defer srv.Close()
	c, err := api.NewClientWithResponses(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	status := func(res api.FilterResource, f api.Filters) (int, []byte) {
		switch res {
		case api.FilterResourceExecution:
			r, err := c.SearchExecutionsWithResponse(ctx, "main", &api.SearchExecutionsParams{Filters: f})
			if err != nil {
				t.Fatal(err)
			}
			return r.StatusCode(), r.Body
		case api.FilterResourceFlow:
			r, err := c.SearchFlowsWithResponse(ctx, "main", &api.SearchFlowsParams{Filters: f})
			if err != nil {
				t.Fatal(err)
			}
			return r.StatusCode(), r.Body
		case api.FilterResourceLog:
			r, err := c.SearchLogsWithResponse(ctx, "main", &api.SearchLogsParams{Filters: f})
			if err != nil {
				t.Fatal(err)
			}
			return r.StatusCode(), r.Body
		case api.FilterResourceTrigger:
			r, err := c.SearchTriggersWithResponse(ctx, "main", &api.SearchTriggersParams{Filters: f})
			if err != nil {
				t.Fatal(err)
			}
			return r.StatusCode(), r.Body
		case api.FilterResourceNamespace:
			r, err := c.SearchNamespacesWithResponse(ctx, "main", &api.SearchNamespacesParams{Filters: f})
			if err != nil {
				t.Fatal(err)
			}
			return r.StatusCode(), r.Body
		default:
			r, err := c.ListAllKeysWithResponse(ctx, "main", &api.ListAllKeysParams{Filters: f})
			if err != nil {
				t.Fatal(err)
			}
			return r.StatusCode(), r.Body
		}
	}
	for res, fields := range serverFields {
		for _, field := range strings.Fields(fields) {
			for _, op := range strings.Fields(serverOps[field]) {
				var f api.Filters
				switch {
				case field == "labels":
					f = f.WhereLabel(api.FilterOp(op), "team", "data")
				case op == "IN" || op == "NOT_IN":
					f = f.Where(api.FilterField(field), api.FilterOp(op), sampleValue[field]+",other")
				default:
					f = f.Where(api.FilterField(field), api.FilterOp(op), sampleValue[field])
				}
				if code, body := status(res, f); code != 200 {
					t.Errorf("%s %s %s: %d %s", res, field, op, code, body)
				}
			}
		}
	}
}
