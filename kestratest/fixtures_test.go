package kestratest_test

// helloFlow is the flow most tests run: an input with defaults, a log line,
// output values and a flow output.
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
