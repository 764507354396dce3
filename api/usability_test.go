package api_test

import (
	"bytes"
	"context"
	"mime/multipart"
	"testing"

	"github.com/kestra-go/kestra-go/api"
	"github.com/kestra-go/kestra-go/kestratest"
)

// TestSearchFailedNewestFirstPageTwo is the code a new user writes for "the
// FAILED executions of a namespace carrying a label, newest first, page 2 of
// 50", run against kestratest: 53 such executions plus look-alikes (another
// label, another state) that the filters must leave out.
func TestSearchFailedNewestFirstPageTwo(t *testing.T) {
	t.Parallel()
	srv := kestratest.NewServer(kestratest.WithFlows(`
id: fails
namespace: company.team
tasks:
  - id: boom
    type: io.kestra.plugin.core.execution.Fail
`, ordersFlow))
	defer srv.Close()
	c, err := api.NewClientWithResponses(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	create := func(flow string, labels ...string) string {
		var body bytes.Buffer
		mw := multipart.NewWriter(&body)
		_ = mw.Close()
		resp, err := c.CreateExecutionWithBodyWithResponse(ctx, "main", "company.team", flow,
			&api.CreateExecutionParams{Labels: labels, Wait: true}, mw.FormDataContentType(), &body)
		if err != nil || resp.JSON200 == nil {
			t.Fatalf("create %s: %v %s", flow, err, resp.Body)
		}
		return resp.JSON200.ID
	}
	var failed []string // oldest first
	for i := 0; i < 53; i++ {
		failed = append(failed, create("fails", "team:data"))
		if i%10 == 0 {
			create("fails", "team:ops")   // another label
			create("orders", "team:data") // another state
		}
	}

	resp, err := c.SearchExecutionsWithResponse(ctx, "main", &api.SearchExecutionsParams{
		Filters: api.Filters{}.
			Where(api.FilterFieldNamespace, api.FilterOpEquals, "company.team").
			Where(api.FilterFieldState, api.FilterOpEquals, string(api.StateTypeFailed)).
			WhereLabel(api.FilterOpEquals, "team", "data"),
		Sort: []string{"state.startDate:desc"},
		Page: 2,
		Size: 50,
	})
	if err != nil {
		t.Fatal(err)
	}
	if resp.JSON200 == nil {
		t.Fatalf("search: %d %s", resp.StatusCode(), resp.Body)
	}
	if resp.JSON200.Total != 53 {
		t.Errorf("total %d, want 53", resp.JSON200.Total)
	}
	var got []string
	for _, e := range resp.JSON200.Results {
		got = append(got, e.ID)
	}
	// Page 2 of 50, newest first: the three oldest, newest of them first.
	want := []string{failed[2], failed[1], failed[0]}
	if len(got) != len(want) {
		t.Fatalf("page 2: %d results %v, want %v", len(got), got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("page 2 result %d: %s, want %s (got %v)", i, got[i], want[i], got)
		}
	}
}
