package kestratest

import (
	"errors"
	"strconv"

	"github.com/kestra-go/kestra-go/kestratest/internal/domain"
)

// answerOf is the one place a domain error (engine, store, flow parsing)
// becomes the server's answer: its status, the reason prefix of its 1.x
// message and its problem type. An *apiError is already an answer; any
// other error is the server's 500.
func answerOf(err error) *apiError {
	var ae *apiError
	if errors.As(err, &ae) {
		return ae
	}
	var de *domain.Error
	if !errors.As(err, &de) {
		return errInternal(err.Error())
	}
	switch de.Kind {
	case domain.KindNotFound:
		return errNotFound(de.Message)
	case domain.KindConflict:
		return errConflict(de.Message)
	case domain.KindInvalidArgument:
		return errIllegalArgument(de.Message)
	case domain.KindInvalidEntity:
		e := errInvalidEntity(de.Message)
		for _, p := range de.Problems {
			e.errors = append(e.errors, problemError{Detail: p.Detail, Pointer: p.Pointer, Path: p.Path})
		}
		return e
	case domain.KindPrecondition:
		return errBadRequest(de.Message)
	case domain.KindExpired:
		return errGone(de.Message)
	case domain.KindUnavailable:
		return &apiError{status: 503, message: "Service Unavailable: " + de.Message, slug: "service-unavailable", detail: de.Message}
	}
	return errInternal(de.Message)
}

// apiError is an error answer. message is the 1.x body's "message" (which
// the real server builds as "<Reason>: <detail>"), slug and detail feed the
// 2.0 problem+json body.
type apiError struct {
	status  int
	message string
	slug    string
	detail  string
	errors  []problemError
}

type problemError struct {
	Detail  string `json:"detail,omitempty"`
	Pointer string `json:"pointer,omitempty"`
	Path    string `json:"path,omitempty"`
}

func (e *apiError) Error() string { return strconv.Itoa(e.status) + " " + e.message }

func errNotFound(detail string) *apiError {
	return &apiError{status: 404, message: "Not Found: " + detail, slug: "not-found", detail: detail}
}

// The 1.x messages are built as the server's ErrorController.jsonError
// builds them, "<reason>: <detail>" (webserver/src/main/java/io/kestra/
// webserver/controllers/ErrorController.java); the reason depends on the
// exception the server throws.

// errUnprocessable is a 422 the server raises as an HttpStatusException
// (UNPROCESSABLE_ENTITY): reason "Unprocessable Entity" (label query
// values, sort parameters, non-hierarchical file paths).
func errUnprocessable(detail string) *apiError {
	return &apiError{status: 422, message: "Unprocessable Entity: " + detail, slug: "invalid-argument", detail: detail}
}

// errIllegalArgument is a 422 the server raises as an
// IllegalArgumentException: reason "Illegal argument".
func errIllegalArgument(detail string) *apiError {
	return &apiError{status: 422, message: "Illegal argument: " + detail, slug: "invalid-argument", detail: detail}
}

// errInternal is the 500 of any other exception (an IOException, a
// DateTimeParseException...): reason "Internal server error". With
// problem details the detail is hidden, as 2.0 hides it.
func errInternal(detail string) *apiError {
	return &apiError{status: 500, message: "Internal server error: " + detail, slug: "internal-error", detail: detail}
}

// errInvalidEntity is the 422 of a validation failure (inputs, flows).
func errInvalidEntity(detail string) *apiError {
	return &apiError{status: 422, message: "Invalid entity: " + detail, slug: "invalid-entity", detail: detail}
}

func errConflict(detail string) *apiError {
	return &apiError{status: 409, message: "Illegal state: " + detail, slug: "conflict", detail: detail}
}

func errBadRequest(detail string) *apiError {
	return &apiError{status: 400, message: "Bad Request: " + detail, slug: "bad-request", detail: detail}
}

func errGone(detail string) *apiError {
	return &apiError{status: 410, message: "Resource has expired: " + detail, slug: "resource-expired", detail: detail}
}

// errNotImplemented is the 501 of an operation kestratest does not emulate,
// with the reason when there is one.
func errNotImplemented(op, reason string) *apiError {
	d := "kestratest does not emulate operation " + op
	if reason != "" {
		d += ": " + reason
	}
	d += " (this is a test double; see the kestratest package documentation)"
	return &apiError{status: 501, message: "Not Implemented: " + d, slug: "not-implemented", detail: d}
}
