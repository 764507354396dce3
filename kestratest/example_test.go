package kestratest_test

import (
	"bytes"
	"context"
	"fmt"
	"log"
	"mime/multipart"

	"github.com/kestra-go/kestra-go/api"
	"github.com/kestra-go/kestra-go/kestratest"
)

// Start a server, deploy a YAML flow, run it with the generated client and
// wait for its end.
func Example() {
	srv := kestratest.NewServer(kestratest.WithFlows(`
id: hello
namespace: company.team
inputs:
  - id: name
    type: STRING
    defaults: world
tasks:
  - id: greet
    type: io.kestra.plugin.core.log.Log
    message: "Hello {{ inputs.name }}"
  - id: result
    type: io.kestra.plugin.core.output.OutputValues
    values:
      greeting: "Hello {{ inputs.name }}"
outputs:
  - id: greeting
    type: STRING
    value: "{{ outputs.result.values.greeting }}"
`))
	defer srv.Close()

	client, err := api.NewClientWithResponses(srv.URL)
	if err != nil {
		log.Fatal(err)
	}
	// Inputs travel as multipart parts named after the input ids.
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	_ = mw.WriteField("name", "Ada")
	_ = mw.Close()

	wait := true
	res, err := client.CreateExecutionWithBodyWithResponse(context.Background(), "main", "company.team", "hello",
		&api.CreateExecutionParams{Wait: wait}, mw.FormDataContentType(), &body)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(res.JSON200.State.Current, res.JSON200.Outputs["greeting"])
	// Output: SUCCESS Hello Ada
}

// A flow driven by Go code: the test decides what the execution does.
func ExampleServer_BindFlow() {
	srv := kestratest.NewServer()
	defer srv.Close()
	srv.BindFlow("main", "company.team", "flaky", func(ctx context.Context, r *kestratest.Run) error {
		r.Log("WARN", "the database is slow today")
		r.SetOutput("rows", 42)
		r.SetState("WARNING")
		return nil
	})

	client, _ := api.NewClientWithResponses(srv.URL)
	wait := true
	res, err := client.CreateExecutionWithBodyWithResponse(context.Background(), "main", "company.team", "flaky",
		&api.CreateExecutionParams{Wait: wait}, "", nil)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(res.JSON200.State.Current, res.JSON200.Outputs["rows"])
	// Output: WARNING 42
}

// Make the next create answer 502 although the execution was created: the
// case where a retrying client makes duplicates.
func ExampleServer_InjectFault() {
	srv := kestratest.NewServer(kestratest.WithFlows("id: hello\nnamespace: company.team\ntasks:\n  - id: log\n    type: io.kestra.plugin.core.log.Log\n    message: hi\n"))
	defer srv.Close()
	srv.InjectFault(kestratest.Fault{Operation: "createExecution", Status: 502, AfterHandle: true})

	client, _ := api.NewClientWithResponses(srv.URL)
	res, _ := client.CreateExecutionWithBodyWithResponse(context.Background(), "main", "company.team", "hello", nil, "", nil)
	fmt.Println(res.StatusCode(), len(srv.Executions("main")), srv.RequestCount("createExecution"))
	// Output: 502 1 1
}
