package api_test

import (
	"bytes"
	"context"
	"fmt"
	"log"
	"mime/multipart"
	"net/http"
	"strings"

	"github.com/kestra-go/kestra-go/api"
	"github.com/kestra-go/kestra-go/kestratest"
)

// These examples run against kestratest, the in-process Kestra double; the
// README's API section shows the same lines.

const ordersFlow = `
id: orders
namespace: company.team
tasks:
  - id: hello
    type: io.kestra.plugin.core.log.Log
    message: hello
`

// run starts one execution of company.team/orders with the labels and
// waits for its end.
func run(c *api.ClientWithResponses, labels ...string) {
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	_ = mw.Close()
	if _, err := c.CreateExecutionWithBodyWithResponse(context.Background(), "main", "company.team", "orders",
		&api.CreateExecutionParams{Labels: labels, Wait: true}, mw.FormDataContentType(), &body); err != nil {
		log.Fatal(err)
	}
}

// Search the executions of a namespace that carry a label and ended in one
// of some states: typed filters, no request editor.
func ExampleClientWithResponses_SearchExecutionsWithResponse() {
	srv := kestratest.NewServer(kestratest.WithFlows(ordersFlow))
	defer srv.Close()
	c, err := api.NewClientWithResponses(srv.URL)
	if err != nil {
		log.Fatal(err)
	}
	run(c, "team:data")
	run(c, "team:data")
	run(c, "team:ops")
	ctx := context.Background()

	resp, err := c.SearchExecutionsWithResponse(ctx, "main", &api.SearchExecutionsParams{
		Filters: api.Filters{}.
			Where(api.FilterFieldNamespace, api.FilterOpEquals, "company.team").
			WhereState(api.StateTypeSuccess, api.StateTypeWarning).
			WhereLabel(api.FilterOpEquals, "team", "data"),
		Size: 50,
	})
	if err != nil {
		log.Fatal(err)
	}
	if resp.JSON200 == nil {
		log.Fatalf("search: %d %s", resp.StatusCode(), resp.Body)
	}
	fmt.Println(resp.JSON200.Total, "executions")
	for _, e := range resp.JSON200.Results {
		fmt.Println(e.FlowID, e.State.Current)
	}
	// Output:
	// 2 executions
	// orders SUCCESS
	// orders SUCCESS
}

// Deploy a flow: the body is its YAML source, sent as application/x-yaml.
func ExampleClientWithResponses_CreateFlowWithBodyWithResponse() {
	srv := kestratest.NewServer()
	defer srv.Close()
	c, err := api.NewClientWithResponses(srv.URL)
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()

	source := "id: orders\nnamespace: company.team\ntasks:\n  - id: hello\n    type: io.kestra.plugin.core.log.Log\n    message: hello\n"
	resp, err := c.CreateFlowWithBodyWithResponse(ctx, "main", nil, "application/x-yaml", strings.NewReader(source))
	if err != nil {
		log.Fatal(err)
	}
	if resp.JSON200 == nil {
		log.Fatalf("deploy: %d %s", resp.StatusCode(), resp.Body)
	}
	fmt.Println(resp.JSON200.Namespace, resp.JSON200.ID, "revision", resp.JSON200.Revision)
	// Output: company.team orders revision 1
}

// Store and read values of the KV store. The body is parsed as JSON: a
// string goes quoted.
func ExampleClientWithResponses_SetKeyValueWithTextBodyWithResponse() {
	srv := kestratest.NewServer()
	defer srv.Close()
	c, err := api.NewClientWithResponses(srv.URL)
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()

	set, err := c.SetKeyValueWithTextBodyWithResponse(ctx, "main", "company.team", "api_url", `"https://api.example.com"`)
	if err != nil || set.StatusCode() != http.StatusOK {
		log.Fatalf("set: %v %d", err, set.StatusCode())
	}
	_, _ = c.SetKeyValueWithTextBodyWithResponse(ctx, "main", "company.team", "retries", "3")
	for _, key := range []string{"api_url", "retries"} {
		got, err := c.GetKeyValueWithResponse(ctx, "main", "company.team", key)
		if err != nil || got.JSON200 == nil {
			log.Fatalf("get %s: %v", key, err)
		}
		fmt.Println(key, got.JSON200.Type, got.JSON200.Value)
	}
	// Output:
	// api_url STRING https://api.example.com
	// retries NUMBER 3
}
