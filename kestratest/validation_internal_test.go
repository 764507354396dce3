package kestratest

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// The response validation hook must report an answer that does not match
// the document (here an execution without its required fields).
func TestResponseValidationReportsMismatch(t *testing.T) {
	var got []error
	s := NewServer(WithResponseValidation(func(err error) { got = append(got, err) }))
	defer s.Close()
	_, router, _ := loadSpec()
	req := httptest.NewRequest(http.MethodGet, "/api/v1/main/executions/abc", nil)
	route, params, err := router.FindRoute(req)
	if err != nil {
		t.Fatal(err)
	}
	rec := &recorder{header: http.Header{"Content-Type": {"application/json"}}, status: 200}
	rec.body.WriteString(`{"id": 3}`)
	s.validateResponse(req, route, params, rec)
	if len(got) != 1 || !strings.Contains(got[0].Error(), "does not match the OpenAPI document") {
		t.Fatalf("reported: %v", got)
	}
	got = nil
	rec = &recorder{header: http.Header{"Content-Type": {"application/json"}}, status: 200}
	rec.body.WriteString(`{"id":"a","namespace":"n","flowId":"f","flowRevision":1,"originalId":"a",` +
		`"metadata":{"originalCreatedDate":"2026-01-01T00:00:00Z"},"state":{"current":"SUCCESS","histories":[]}}`)
	s.validateResponse(req, route, params, rec)
	if len(got) != 0 {
		t.Fatalf("a valid execution was reported: %v", got)
	}
}

// Every operation kept 501 is in the document, with a reason (the package
// documentation lists them); the build already fails for an operation
// without a method.
func TestNotEmulatedOperationsAreListed(t *testing.T) {
	inDoc := map[string]bool{}
	for _, op := range Operations() {
		inDoc[op] = true
	}
	if len(inDoc) == 0 {
		t.Fatal("no operations")
	}
	for op, reason := range notEmulatedOperations {
		if reason == "" || !inDoc[op] {
			t.Errorf("501 operation %s: reason %q, in the document %v", op, reason, inDoc[op])
		}
	}
	if len(notEmulatedOperations) > 10 {
		t.Errorf("%d operations answer 501; at most 10 may", len(notEmulatedOperations))
	}
}

func TestValidateJSONOfEvents(t *testing.T) {
	if err := validateJSON("FollowLogEvent", []byte(`{"level":"LOUD"}`)); err == nil {
		t.Fatal("an invalid level passed")
	}
	if err := validateJSON("FollowLogEvent", []byte(`{"level":"INFO","message":"m"}`)); err != nil {
		t.Fatal(err)
	}
}
