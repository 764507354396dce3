package openapi_test

import (
	"fmt"
	"log"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/kestra-go/kestra-go/openapi"
)

// ExampleSpec loads the document with kin-openapi, as a validating test
// server does, and looks up one operation.
func ExampleSpec() {
	doc, err := openapi3.NewLoader().LoadFromData(openapi.Spec())
	if err != nil {
		log.Fatal(err)
	}
	op := doc.Paths.Find("/api/v1/{tenant}/executions/search").Get
	fmt.Println(op.OperationID, len(doc.Paths.Map()) > 100)
	// Output: searchExecutions true
}
