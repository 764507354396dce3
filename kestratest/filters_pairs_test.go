package kestratest_test

import (
	"strings"
	"testing"
	"time"

	"github.com/kestra-go/kestra-go/api"
	"github.com/kestra-go/kestra-go/kestratest"
)

// filterSample is a value the server accepts for a field and operation.
func filterSample(f api.Filters, field api.FilterField, op api.FilterOp) api.Filters {
	value := map[api.FilterField]string{
		api.FilterFieldState: "SUCCESS", api.FilterFieldKind: "NORMAL", api.FilterFieldScope: "USER",
		api.FilterFieldLevel: "INFO", api.FilterFieldTimeRange: "P1D", api.FilterFieldChildFilter: "MAIN",
		api.FilterFieldExistingOnly: "true", api.FilterFieldTriggerState: "ENABLED", api.FilterFieldPath: "/a.txt",
		api.FilterFieldParentPath: "/", api.FilterFieldVersion: "1", api.FilterFieldNamespace: "company.team",
	}[field]
	if value == "" {
		value = "x"
	}
	switch {
	case field == api.FilterFieldLabels:
		return f.WhereLabel(op, "team", "data")
	case field == api.FilterFieldStartDate || field == api.FilterFieldEndDate || field == api.FilterFieldUpdated:
		return f.WhereTime(field, op, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	case op == api.FilterOpIn:
		return f.WhereIn(field, value, value)
	case op == api.FilterOpNotIn:
		return f.WhereNotIn(field, value)
	}
	return f.Where(field, op, value)
}

// Every field and operation the server accepts on a search (the api
// package's copy of QueryFilter's rules) is read by kestratest's search:
// none answers 400 or 422.
func TestEveryServerFilterPairIsRead(t *testing.T) {
	_, c := newServer(t, kestratest.WithFlows(tableFlow))
	ctx := ctxT(t)
	// Data in every resource, so that every filter is judged.
	run(t, c, "company.team", "hello", waitParams())
	if kv, _ := c.SetKeyValueWithTextBodyWithResponse(ctx, "main", "company.team", "k", `1`); kv.StatusCode() != 200 {
		t.Fatal(kv.StatusCode())
	}
	searches := map[api.FilterResource]func(f api.Filters) (statusCoder, error){
		api.FilterResourceExecution: func(f api.Filters) (statusCoder, error) {
			return c.SearchExecutionsWithResponse(ctx, "main", &api.SearchExecutionsParams{Filters: f})
		},
		api.FilterResourceFlow: func(f api.Filters) (statusCoder, error) {
			return c.SearchFlowsWithResponse(ctx, "main", &api.SearchFlowsParams{Filters: f})
		},
		api.FilterResourceLog: func(f api.Filters) (statusCoder, error) {
			return c.SearchLogsWithResponse(ctx, "main", &api.SearchLogsParams{Filters: f})
		},
		api.FilterResourceTrigger: func(f api.Filters) (statusCoder, error) {
			return c.SearchTriggersWithResponse(ctx, "main", &api.SearchTriggersParams{Filters: f})
		},
		api.FilterResourceNamespace: func(f api.Filters) (statusCoder, error) {
			return c.SearchNamespacesWithResponse(ctx, "main", &api.SearchNamespacesParams{Filters: f})
		},
		api.FilterResourceKV: func(f api.Filters) (statusCoder, error) {
			return c.ListAllKeysWithResponse(ctx, "main", &api.ListAllKeysParams{Filters: f})
		},
	}
	pairs := 0
	for resource, search := range searches {
		for _, field := range resource.Fields() {
			for _, op := range field.Ops() {
				f := filterSample(nil, field, op)
				if err := f.Validate(resource); err != nil {
					t.Errorf("%s %s %s: the client refuses its own sample: %v", resource, field, op, err)
					continue
				}
				res, err := search(f)
				if err != nil {
					t.Errorf("%s %s %s: %v", resource, field, op, err)
					continue
				}
				pairs++
				if res.StatusCode() != 200 {
					t.Errorf("%s filters[%s][%s]: status %d", resource, field, op, res.StatusCode())
				}
			}
		}
	}
	t.Logf("%d field/operation pairs read", pairs)
}

// A field the search's resource does not take is a 400 with the server's
// invalid-query-filters answer, never a search that ignores it: the
// executions by-query kill with a flow filter (logs only) must not kill
// every execution.
func TestFilterFieldOutsideResourceIs400(t *testing.T) {
	_, c := newServer(t, kestratest.WithFlows(tableFlow))
	ctx := ctxT(t)
	level := api.Filters{}.Where(api.FilterFieldLevel, api.FilterOpEquals, "INFO")
	checks := map[string]func() (statusCoder, error){
		"searchExecutions level": func() (statusCoder, error) {
			return c.SearchExecutionsWithResponse(ctx, "main", &api.SearchExecutionsParams{Filters: level})
		},
		"searchFlows level": func() (statusCoder, error) {
			return c.SearchFlowsWithResponse(ctx, "main", &api.SearchFlowsParams{Filters: level})
		},
		"searchLogs state": func() (statusCoder, error) {
			f := api.Filters{}.WhereIn(api.FilterFieldState, "SUCCESS")
			return c.SearchLogsWithResponse(ctx, "main", &api.SearchLogsParams{Filters: f})
		},
		"searchTriggers level": func() (statusCoder, error) {
			return c.SearchTriggersWithResponse(ctx, "main", &api.SearchTriggersParams{Filters: level})
		},
		"listAllKeys flowId": func() (statusCoder, error) {
			f := api.Filters{}.Where(api.FilterFieldFlowID, api.FilterOpEquals, "hello")
			return c.ListAllKeysWithResponse(ctx, "main", &api.ListAllKeysParams{Filters: f})
		},
		"killExecutionsByQuery level": func() (statusCoder, error) {
			return c.KillExecutionsByQueryWithResponse(ctx, "main", &api.KillExecutionsByQueryParams{Filters: level})
		},
	}
	for name, call := range checks {
		res, err := call()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if res.StatusCode() != 400 {
			t.Errorf("%s: status %d, want 400", name, res.StatusCode())
		}
	}
	// The answer is the server's: invalid-query-filters naming the field.
	res, err := c.SearchExecutionsWithResponse(ctx, "main", &api.SearchExecutionsParams{Filters: level})
	if err != nil {
		t.Fatal(err)
	}
	if body := string(res.Body); !strings.Contains(body, "Bad Request: ") || !strings.Contains(body, "level") {
		t.Errorf("body %s", body)
	}
}
