package facade_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"os"
	"strings"
	"time"

	"github.com/kestra-go/kestra-go/api"
	"github.com/kestra-go/kestra-go/facade"
	"github.com/kestra-go/kestra-go/kestratest"
)

// exampleFlow is a small flow for the examples.
const exampleFlow = `id: myflow
namespace: company.team
inputs:
  - id: param
    type: STRING
    defaults: default
  - id: myfile
    type: FILE
    required: false
tasks:
  - id: hello
    type: io.kestra.plugin.core.log.Log
    message: "param is {{ inputs.param }}"
  - id: result
    type: io.kestra.plugin.core.output.OutputValues
    values:
      echoed: "{{ inputs.param }}"
outputs:
  - id: echoed
    type: STRING
    value: "{{ outputs.result.values.echoed }}"
`

// Trigger a flow and wait for its completion (the Python client's first
// example: Flow().execute('mynamespace', 'myflow', {'param': 'value'})).
func ExampleFlow_Execute() {
	srv := kestratest.NewServer(kestratest.WithFlows(exampleFlow)) // or a real server
	defer srv.Close()

	f, err := facade.New(facade.WithHostname(srv.URL)) // else KESTRA_HOSTNAME, else localhost:8080
	if err != nil {
		log.Fatal(err)
	}
	res, err := f.Execute(context.Background(), "company.team", "myflow", map[string]any{"param": "value"})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(res.Status)
	fmt.Println(res.Log[strings.Index(res.Log, "INFO"):])
	fmt.Println(res.Outputs["echoed"])
	// Output:
	// SUCCESS
	// INFO param is value
	// value
}

// Fire and forget: Flow(wait_for_completion=False).
func ExampleFlow_Execute_fireAndForget() {
	srv := kestratest.NewServer(kestratest.WithFlows(exampleFlow))
	defer srv.Close()

	f, _ := facade.New(facade.WithHostname(srv.URL))
	f.WaitForCompletion = false
	res, err := f.Execute(context.Background(), "company.team", "myflow", map[string]any{"param": "value"})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(res.Status, res.ExecutionID != "")

	// Later: check_status(execution_id).
	exec, err := f.CheckStatus(context.Background(), res.ExecutionID)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(exec.Namespace, exec.FlowID)
	// Output:
	// STARTED true
	// company.team myflow
}

// Pass a file to an input of type FILE named "myfile": the Python client's
// {'files': ('myfile', fh, 'text/plain')}. The file is streamed.
func ExampleFile() {
	srv := kestratest.NewServer(kestratest.WithFlows(exampleFlow))
	defer srv.Close()

	fh, err := os.CreateTemp("", "example-*.txt")
	if err != nil {
		log.Fatal(err)
	}
	defer os.Remove(fh.Name())
	defer fh.Close()
	_, _ = fh.WriteString("some text")
	_, _ = fh.Seek(0, 0)

	f, _ := facade.New(facade.WithHostname(srv.URL))
	res, err := f.Execute(context.Background(), "company.team", "myflow", map[string]any{
		"myfile": facade.File{Name: "example.txt", Reader: fh, ContentType: "text/plain"},
	})
	if err != nil {
		log.Fatal(err)
	}
	uri := fmt.Sprint(res.Execution.Inputs["myfile"])
	fmt.Println(res.Status, strings.HasPrefix(uri, "kestra://"), strings.HasSuffix(uri, "example.txt"))
	// Output:
	// SUCCESS true true
}

// Labels from inputs: Flow(labels_from_inputs=True). Values are escaped
// properly, whatever they contain.
func ExampleFlow_LabelsFromInputs() {
	srv := kestratest.NewServer(kestratest.WithFlows(exampleFlow))
	defer srv.Close()

	f, _ := facade.New(facade.WithHostname(srv.URL), facade.WithLabels("team", "data"))
	f.LabelsFromInputs = true
	res, err := f.Execute(context.Background(), "company.team", "myflow", map[string]any{"param": "a&b c"})
	if err != nil {
		log.Fatal(err)
	}
	for _, l := range res.Execution.Labels {
		if l.Key != facade.CorrelationLabel {
			fmt.Printf("%s:%s\n", l.Key, l.Value)
		}
	}
	// Unordered output:
	// param:a&b c
	// team:data
}

// Credentials: set on the Flow after New, as the Python examples do with
// flow.user and flow.password (or from KESTRA_USER / KESTRA_PASSWORD /
// KESTRA_API_TOKEN). A refused login is an immediate ErrUnauthorized.
func ExampleFlow_User() {
	srv := kestratest.NewServer(kestratest.WithBasicAuth("admin@kestra.io", "Admin1234"), kestratest.WithFlows(exampleFlow))
	defer srv.Close()

	f, _ := facade.New(facade.WithHostname(srv.URL), facade.WithBasicAuth("", ""))
	_, err := f.Execute(context.Background(), "company.team", "myflow", nil)
	fmt.Println(errors.Is(err, facade.ErrUnauthorized))

	f.User = "admin@kestra.io"
	f.Password = "Admin1234"
	res, err := f.Execute(context.Background(), "company.team", "myflow", nil)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(res.Status)
	// Output:
	// true
	// SUCCESS
}

// A failed execution is not an error of Execute; Result.Err makes it one,
// with the failing task and its error lines.
func ExampleResult_Err() {
	srv := kestratest.NewServer(kestratest.WithFlows(`id: broken
namespace: company.team
tasks:
  - id: check
    type: io.kestra.plugin.core.execution.Fail
    errorMessage: input file is empty
`))
	defer srv.Close()

	f, _ := facade.New(facade.WithHostname(srv.URL))
	res, err := f.Execute(context.Background(), "company.team", "broken", nil)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(res.Error)
	var ee *facade.ExecutionError
	if errors.As(res.Err(), &ee) {
		fmt.Println(ee.Status, ee.FailedTasks)
	}
	// Output:
	// ended FAILED: task check failed: [check] input file is empty
	// FAILED [check]
}

// Live logs while waiting, e.g. for a command-line tool.
func ExampleWithLogHandler() {
	srv := kestratest.NewServer(kestratest.WithFlows(exampleFlow))
	defer srv.Close()

	f, _ := facade.New(facade.WithHostname(srv.URL), facade.WithLogHandler(func(e api.LogEntry) {
		fmt.Println("live:", e.Level, e.Message)
	}))
	if _, err := f.Execute(context.Background(), "company.team", "myflow", map[string]any{"param": "streamed"}); err != nil {
		log.Fatal(err)
	}
	// Output:
	// live: INFO param is streamed
}

// Errors of the API are typed, and retries end in ErrFailedExponentialBackoff
// (the Python client's FailedExponentialBackoff).
func ExampleAPIError() {
	srv := kestratest.NewServer()
	defer srv.Close()

	f, _ := facade.New(facade.WithHostname(srv.URL))
	_, err := f.Execute(context.Background(), "company.team", "missing", nil)
	var ae *facade.APIError
	if errors.As(err, &ae) {
		fmt.Println(ae.StatusCode, errors.Is(err, facade.ErrNotFound))
	}

	srv.InjectFault(kestratest.Fault{Operation: "getExecution", Status: 503, Count: 100})
	f, _ = facade.New(facade.WithHostname(srv.URL), facade.WithRetry(3, 1e6, 1e7))
	_, err = f.CheckStatus(context.Background(), "some-id")
	fmt.Println(errors.Is(err, facade.ErrFailedExponentialBackoff), errors.As(err, &ae) && ae.StatusCode == 503)
	// Output:
	// 404 true
	// true true
}

// The Python client's check_status and get_logs: start without waiting,
// look at the execution until it has ended, then read its log text.
func ExampleFlow_GetLogs() {
	srv := kestratest.NewServer(kestratest.WithFlows(exampleFlow))
	defer srv.Close()
	ctx := context.Background()

	f, _ := facade.New(facade.WithHostname(srv.URL), facade.WithWait(false))
	res, err := f.Execute(ctx, "company.team", "myflow", map[string]any{"param": "later"})
	if err != nil {
		log.Fatal(err)
	}
	for {
		exec, err := f.CheckStatus(ctx, res.ExecutionID)
		if err != nil {
			log.Fatal(err)
		}
		if facade.IsTerminal(exec.State.Current) {
			fmt.Println(exec.State.Current)
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	text, err := f.GetLogs(ctx, res.ExecutionID)
	if err != nil {
		log.Fatal(err)
	}
	for _, line := range strings.Split(text, "\n") {
		_, levelAndMessage, _ := strings.Cut(line, " ") // drop the timestamp
		fmt.Println(levelAndMessage)
	}
	// Output:
	// SUCCESS
	// INFO param is later
}
