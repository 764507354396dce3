package domain_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/kestra-go/kestra-go/kestratest/internal/domain"
)

func TestKindsMatchTheirSentinel(t *testing.T) {
	for err, want := range map[error]error{
		domain.NotFound("x"):           domain.ErrNotFound,
		domain.Conflict("x"):           domain.ErrConflict,
		domain.InvalidArgument("x"):    domain.ErrInvalidArgument,
		domain.InvalidEntity("x", nil): domain.ErrInvalidEntity,
		domain.Unavailable("x"):        domain.ErrUnavailable,
		domain.Expired("x"):            domain.ErrExpired,
		domain.Precondition("x"):       domain.ErrPrecondition,
	} {
		if !errors.Is(fmt.Errorf("context: %w", err), want) {
			t.Errorf("%v is not %v", err, want)
		}
		if errors.Is(err, domain.ErrNotFound) != (want == domain.ErrNotFound) {
			t.Errorf("%v matches another kind", err)
		}
	}
}

func ExampleNotFound() {
	err := fmt.Errorf("restart: %w", domain.NotFound("Requested Flow is not found."))
	var de *domain.Error
	fmt.Println(errors.Is(err, domain.ErrNotFound), errors.As(err, &de) && de.Message == "Requested Flow is not found.")
	// Output: true true
}
