package kestratest_test

import (
	"testing"
)

const helloFlow = `id: hello
namespace: company.team
inputs:
  - id: name
    type: STRING
    defaults: world
  - id: count
    type: INT
    required: false
tasks:
  - id: greet
    type: io.kestra.plugin.core.log.Log
    message: "Hello {{ inputs.name }} from {{ flow.namespace }} ({{ execution.id }})"
  - id: out
    type: io.kestra.plugin.core.output.OutputValues
    values:
      greeting: "hi {{ inputs.name }}"
outputs:
  - id: greeting
    type: STRING
    value: "{{ outputs.out.values.greeting }}"
`

func TestSmoke(t *testing.T) {
	srv, c := newServer(t)
	deploy(t, c, "main", helloFlow)
	res := run(t, c, "company.team", "hello", waitParams(), part{name: "name", value: "Ada"}, part{name: "count", value: "3"})
	if res.StatusCode() != 200 || res.JSON200 == nil {
		t.Fatalf("create: %d %s", res.StatusCode(), res.Body)
	}
	t.Logf("%s", res.Body)
	logs := rawGet(t, srv, "/api/v1/main/logs/"+res.JSON200.ID+"/download")
	defer logs.Body.Close()
	b := make([]byte, 4096)
	n, _ := logs.Body.Read(b)
	t.Logf("%s", b[:n])
}
