package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/kestra-go/kestra-go/api"
)

// fakeKestra answers a few routes the way a Kestra server does, so that the
// examples run without one. It accepts basic auth admin@kestra.io /
// Admin1234 or the bearer token "example-token".
func fakeKestra() *httptest.Server {
	mux := http.NewServeMux()
	authorized := func(r *http.Request) bool {
		if u, p, ok := r.BasicAuth(); ok {
			return u == "admin@kestra.io" && p == "Admin1234"
		}
		return r.Header.Get("Authorization") == "Bearer example-token"
	}
	execution := func(inputs map[string]any, labels []map[string]string) map[string]any {
		return map[string]any{
			"id": "4Xy8pXZcvyR1mfSD3Bq0Yb", "namespace": "company.team", "flowId": "hello", "flowRevision": 1,
			"inputs": inputs, "labels": labels, "originalId": "4Xy8pXZcvyR1mfSD3Bq0Yb",
			"state": map[string]any{
				"current":   "CREATED",
				"histories": []map[string]string{{"state": "CREATED", "date": "2026-05-01T10:00:00Z"}},
				"startDate": "2026-05-01T10:00:00Z",
			},
			"metadata": map[string]any{"attemptNumber": 1, "originalCreatedDate": "2026-05-01T10:00:00Z"},
			"url":      "http://localhost:8080/ui/main/executions/company.team/hello/4Xy8pXZcvyR1mfSD3Bq0Yb",
		}
	}
	mux.HandleFunc("POST /api/v1/main/executions/company.team/hello", func(w http.ResponseWriter, r *http.Request) {
		if !authorized(r) {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		if err := r.ParseMultipartForm(1 << 20); err != nil {
			http.Error(w, `{"message":"Invalid entity: not a multipart body"}`, http.StatusUnprocessableEntity)
			return
		}
		inputs := map[string]any{}
		for name, v := range r.MultipartForm.Value {
			inputs[name] = v[0]
		}
		for name, f := range r.MultipartForm.File {
			inputs[name] = "kestra:///company/team/hello/executions/4Xy8pXZcvyR1mfSD3Bq0Yb/inputs/" + name + "/" + f[0].Filename
		}
		var labels []map[string]string
		for _, l := range r.URL.Query()["labels"] {
			k, v, _ := strings.Cut(l, ":")
			labels = append(labels, map[string]string{"key": k, "value": v})
		}
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(execution(inputs, labels))
	})
	mux.HandleFunc("GET /api/v1/main/kv", func(w http.ResponseWriter, r *http.Request) {
		if !authorized(r) {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		ns := r.URL.Query().Get("filters[namespace][EQUALS]")
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]any{
			"results": []map[string]any{{"namespace": ns, "key": "api_url"}, {"namespace": ns, "key": "retries"}},
			"total":   2,
		})
	})
	return httptest.NewServer(mux)
}

// Example creates an execution with a multipart body (a text input and a
// file input) and reads the typed answer, first with basic auth (open source
// servers), then with a bearer token (Enterprise API tokens).
func Example() {
	srv := fakeKestra()
	defer srv.Close()
	ctx := context.Background()

	basicAuth := func(_ context.Context, req *http.Request) error {
		req.SetBasicAuth("admin@kestra.io", "Admin1234")
		return nil
	}
	client, err := api.NewClientWithResponses(srv.URL, api.WithRequestEditorFn(basicAuth))
	if err != nil {
		log.Fatal(err)
	}

	// One part per input, named after the input id. ARRAY and JSON inputs
	// are sent as JSON text.
	var body bytes.Buffer
	form := multipart.NewWriter(&body)
	_ = form.WriteField("greeting", "hello world")
	file, _ := form.CreateFormFile("data", "rows.csv")
	_, _ = file.Write([]byte("id,name\n1,ada\n"))
	_ = form.Close()

	resp, err := client.CreateExecutionWithBodyWithResponse(ctx, "main", "company.team", "hello",
		&api.CreateExecutionParams{Labels: []string{"team:data"}},
		form.FormDataContentType(), &body)
	if err != nil {
		log.Fatal(err)
	}
	if resp.JSON200 == nil {
		log.Fatalf("create execution: %s: %s", resp.Status(), resp.Body)
	}
	exec := resp.JSON200
	fmt.Println(exec.ID, exec.State.Current, exec.Labels[0].Key+"="+exec.Labels[0].Value)
	fmt.Println(exec.Inputs["greeting"])
	fmt.Println(exec.Inputs["data"])
	fmt.Println(exec.URL)

	// The same call with a bearer token.
	bearer := func(_ context.Context, req *http.Request) error {
		req.Header.Set("Authorization", "Bearer example-token")
		return nil
	}
	tokenClient, err := api.NewClientWithResponses(srv.URL, api.WithRequestEditorFn(bearer))
	if err != nil {
		log.Fatal(err)
	}
	resp, err = tokenClient.CreateExecutionWithBodyWithResponse(ctx, "main", "company.team", "hello", nil, "multipart/form-data; boundary=x", strings.NewReader("--x--\r\n"))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(resp.StatusCode(), resp.JSON200.State.Current)

	// Without credentials the server refuses; the typed body stays nil.
	anonymous, _ := api.NewClientWithResponses(srv.URL)
	resp, err = anonymous.CreateExecutionWithBodyWithResponse(ctx, "main", "company.team", "hello", nil, "multipart/form-data; boundary=x", strings.NewReader("--x--\r\n"))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(resp.StatusCode(), resp.JSON200 == nil)

	// Output:
	// 4Xy8pXZcvyR1mfSD3Bq0Yb CREATED team=data
	// hello world
	// kestra:///company/team/hello/executions/4Xy8pXZcvyR1mfSD3Bq0Yb/inputs/data/rows.csv
	// http://localhost:8080/ui/main/executions/company.team/hello/4Xy8pXZcvyR1mfSD3Bq0Yb
	// 200 CREATED
	// 401 true
}

// ExampleClientWithResponses_ListAllKeysWithResponse lists the keys of one
// namespace with a typed filter (sent as filters[namespace][EQUALS]=...).
func ExampleClientWithResponses_ListAllKeysWithResponse() {
	srv := fakeKestra()
	defer srv.Close()

	client, err := api.NewClientWithResponses(srv.URL, api.WithRequestEditorFn(func(_ context.Context, req *http.Request) error {
		req.SetBasicAuth("admin@kestra.io", "Admin1234")
		return nil
	}))
	if err != nil {
		log.Fatal(err)
	}
	resp, err := client.ListAllKeysWithResponse(context.Background(), "main", &api.ListAllKeysParams{
		Filters: api.Filters{}.Where(api.FilterFieldNamespace, api.FilterOpEquals, "company.team"),
		Size:    50,
	})
	if err != nil {
		log.Fatal(err)
	}
	for _, e := range resp.JSON200.Results {
		fmt.Println(e.Namespace, e.Key)
	}
	fmt.Println("total", resp.JSON200.Total)

	// Output:
	// company.team api_url
	// company.team retries
	// total 2
}
