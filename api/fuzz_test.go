package api_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"testing"

	"github.com/kestra-go/kestra-go/api"
)

// FuzzParseGetExecutionResponse feeds arbitrary bodies to the generated
// response parser: it must return an error or a value, never panic, and it
// must decode JSON200 exactly when the body is a JSON execution document.
func FuzzParseGetExecutionResponse(f *testing.F) {
	f.Add([]byte(executionJSON), "application/json")
	f.Add([]byte(`{"id":"x","state":{"current":"SOMETHING_NEW","histories":null}}`), "application/json")
	f.Add([]byte(`{"message":"Not Found: execution not found"}`), "application/json")
	f.Add([]byte(`{"type":"https://kestra.io/docs/api-reference/problems/not-found","status":404}`), "application/problem+json")
	f.Add([]byte("not json"), "text/plain")
	f.Fuzz(func(t *testing.T, body []byte, contentType string) {
		rsp := &http.Response{
			StatusCode: http.StatusOK,
			Header:     http.Header{"Content-Type": []string{contentType}},
			Body:       io.NopCloser(bytes.NewReader(body)),
		}
		got, err := api.ParseGetExecutionResponse(rsp)
		if err != nil {
			return
		}
		if !bytes.Equal(got.Body, body) {
			t.Fatalf("raw body not kept: %q vs %q", got.Body, body)
		}
		if got.JSON200 != nil {
			var e api.Execution
			if json.Unmarshal(body, &e) != nil {
				t.Fatalf("JSON200 set for a body that does not decode: %q", body)
			}
		}
	})
}
