package api_test

import (
	"context"
	"testing"

	"github.com/kestra-go/kestra-go/api"
)

// TestErrorBodiesDecode checks that the generated responses carry the
// server's error body in both forms, and that a JSON body of another shape
// still gives the status instead of a decoding failure.
func TestErrorBodiesDecode(t *testing.T) {
	cases := []struct {
		name, contentType, body string
		check                   func(t *testing.T, r *api.GetExecutionResponse)
	}{
		{"1.x JsonError", "application/json",
			`{"message":"Not Found: Requested Flow is not found.","_links":{"self":{"href":"/api/v1/main/executions/x","templated":false}}}`,
			func(t *testing.T, r *api.GetExecutionResponse) {
				if r.JSONDefault == nil || r.JSONDefault.Message != "Not Found: Requested Flow is not found." {
					t.Errorf("JSONDefault %+v", r.JSONDefault)
				}
				if r.JSONDefault != nil && r.JSONDefault.Links["self"] == nil {
					t.Errorf("links %+v", r.JSONDefault.Links)
				}
			}},
		{"1.x validation error", "application/json",
			`{"message":"Invalid entity: Missing required input:name","_embedded":{"errors":[{"message":"Missing required input:name","path":"inputs.name"}]}}`,
			func(t *testing.T, r *api.GetExecutionResponse) {
				if r.JSONDefault == nil || len(r.JSONDefault.Embedded.Errors) != 1 || r.JSONDefault.Embedded.Errors[0].Path != "inputs.name" {
					t.Errorf("JSONDefault %+v", r.JSONDefault)
				}
			}},
		{"2.0 problem", "application/problem+json",
			`{"type":"https://kestra.io/docs/api-reference/problems/invalid-entity","title":"Invalid entity","status":422,"detail":"Missing required input:name","instance":"/api/v1/main/executions/x","errors":[{"detail":"Missing required input","pointer":"/inputs/name","path":"inputs.name","type":"required"}]}`,
			func(t *testing.T, r *api.GetExecutionResponse) {
				p := r.ApplicationProblemJSONDefault
				if p == nil || p.Status != 422 || p.Title != "Invalid entity" || len(p.Errors) != 1 || p.Errors[0].Pointer != "/inputs/name" {
					t.Errorf("problem %+v", p)
				}
				if r.JSONDefault != nil {
					t.Error("problem also decoded as JsonError")
				}
			}},
		{"JSON of another shape", "application/json", `{"message":["not","a","string"],"_embedded":[1,2]}`,
			func(t *testing.T, r *api.GetExecutionResponse) {
				if r.JSONDefault == nil || r.JSONDefault.Message != "" || string(r.Body) != `{"message":["not","a","string"],"_embedded":[1,2]}` {
					t.Errorf("JSONDefault %+v body %q", r.JSONDefault, r.Body)
				}
			}},
		{"problem of another shape", "application/problem+json", `{"status":"422","errors":{"a":1}}`,
			func(t *testing.T, r *api.GetExecutionResponse) {
				if r.ApplicationProblemJSONDefault == nil || r.ApplicationProblemJSONDefault.Status != 0 {
					t.Errorf("problem %+v", r.ApplicationProblemJSONDefault)
				}
			}},
		{"no body", "", ``,
			func(t *testing.T, r *api.GetExecutionResponse) {
				if r.JSONDefault != nil || r.ApplicationProblemJSONDefault != nil {
					t.Error("decoded an empty body")
				}
			}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv, _ := recordingServer(t, 502, tc.contentType, tc.body)
			c, _ := api.NewClientWithResponses(srv.URL)
			r, err := c.GetExecutionWithResponse(context.Background(), "main", "x")
			if err != nil {
				t.Fatalf("error %v: the status is lost", err)
			}
			if r.StatusCode() != 502 || r.JSON200 != nil {
				t.Errorf("status %d, JSON200 %v", r.StatusCode(), r.JSON200)
			}
			tc.check(t, r)
		})
	}
}

// TestErrorBodyNotJSON pins down a limit of the generated code: a body
// labelled JSON that is not JSON at all (a proxy's page, a body cut short)
// makes the ...WithResponse call fail with the decoding error; the plain
// Client methods still give the raw response and its status.
func TestErrorBodyNotJSON(t *testing.T) {
	srv, _ := recordingServer(t, 502, "application/json", `<html>502 Bad Gateway</html>`)
	c, _ := api.NewClientWithResponses(srv.URL)
	if _, err := c.GetExecutionWithResponse(context.Background(), "main", "x"); err == nil {
		t.Fatal("no error for a body that is not JSON")
	}
	plain, _ := api.NewClient(srv.URL)
	resp, err := plain.GetExecution(context.Background(), "main", "x")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != 502 {
		t.Errorf("status %d", resp.StatusCode)
	}
}
