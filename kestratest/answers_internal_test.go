package kestratest

import (
	"errors"
	"fmt"
	"testing"

	"github.com/kestra-go/kestra-go/kestratest/internal/domain"
)

// answerOf is the one mapping of domain errors to the server's answers.
func TestAnswerOfMapsDomainErrors(t *testing.T) {
	for _, c := range []struct {
		err     error
		status  int
		message string
		slug    string
	}{
		{domain.NotFound("Requested Flow is not found."), 404, "Not Found: Requested Flow is not found.", "not-found"},
		{fmt.Errorf("wrapped: %w", domain.Conflict("Execution is not queued")), 409, "Illegal state: Execution is not queued", "conflict"},
		{domain.InvalidArgument("No task found to restart"), 422, "Illegal argument: No task found to restart", "invalid-argument"},
		{domain.InvalidEntity("Missing required input:n", []domain.Problem{{Detail: "Missing required input:n", Path: "inputs.n"}}), 422, "Invalid entity: Missing required input:n", "invalid-entity"},
		{domain.Unavailable("server is closing"), 503, "Service Unavailable: server is closing", "service-unavailable"},
		{errors.New("disk on fire"), 500, "Internal server error: disk on fire", "internal-error"},
		{domain.Precondition("The execution is not terminated"), 400, "Bad Request: The execution is not terminated", "bad-request"},
		{domain.Expired("gone"), 410, "Resource has expired: gone", "resource-expired"},
		{errBadRequest("b"), 400, "Bad Request: b", "bad-request"},
	} {
		got := answerOf(c.err)
		if got.status != c.status || got.message != c.message || got.slug != c.slug {
			t.Errorf("%v: %d %q %q", c.err, got.status, got.message, got.slug)
		}
	}
	if e := answerOf(domain.InvalidEntity("m", []domain.Problem{{Detail: "d", Pointer: "/n", Path: "inputs.n"}})); len(e.errors) != 1 || e.errors[0].Path != "inputs.n" {
		t.Errorf("problems: %+v", e.errors)
	}
}
