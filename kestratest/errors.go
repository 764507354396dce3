package kestratest

import (
	"encoding/json"
	"net/http"
	"strconv"
)

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

var problemTitles = map[string]string{
	"not-found":               "Resource not found",
	"invalid-argument":        "Invalid argument",
	"invalid-entity":          "Invalid entity",
	"conflict":                "Conflict",
	"bad-request":             "Bad request",
	"resource-expired":        "Resource expired",
	"unauthenticated":         "Unauthenticated",
	"internal-error":          "Internal server error",
	"not-implemented":         "Not implemented",
	"invalid-query-parameter": "Invalid query parameter",
	"invalid-request-body":    "Invalid request body",
	"unsupported-media-type":  "Unsupported media type",
	"too-many-requests":       "Too many requests",
	"service-unavailable":     "Service unavailable",
	"timeout":                 "Timeout",
	"method-not-allowed":      "Method not allowed",
	"entity-already-exists":   "Entity already exists",
	"invalid-query-filters":   "Invalid query filters",
	"payload-too-large":       "Payload too large",
	"bulk-validation-failed":  "Bulk validation failed",
	"validation-failed":       "Validation failed",
	"request-timeout":         "Request timeout",
	"bad-gateway":             "Bad gateway",
	"gateway-timeout":         "Gateway timeout",
}

// writeError writes e in the configured format (1.x JSON or 2.0 problem).
func (s *Server) writeError(w http.ResponseWriter, r *http.Request, e *apiError) {
	if e.status == 404 {
		// Newer servers mark every 404 so clients can tell "unknown route"
		// from "missing resource".
		w.Header().Set("X-Kestra-Edition", "OSS")
	}
	if s.cfg.problemDetails {
		p := map[string]any{
			"type":     "https://kestra.io/docs/api-reference/problems/" + e.slug,
			"title":    problemTitles[e.slug],
			"status":   e.status,
			"instance": r.URL.Path,
		}
		if e.status >= 500 {
			p["detail"] = "An unexpected error occurred. Please contact your administrator with the trace id."
			p["traceId"] = newID()
		} else if e.detail != "" {
			p["detail"] = e.detail
		}
		if len(e.errors) > 0 {
			p["errors"] = e.errors
		}
		if p["title"] == "" || p["title"] == nil {
			p["title"] = http.StatusText(e.status)
		}
		writeJSONType(w, e.status, "application/problem+json", p)
		return
	}
	body := map[string]any{
		"message": e.message,
		"_links":  map[string]any{"self": map[string]any{"href": r.URL.RequestURI(), "templated": false}},
	}
	if len(e.errors) > 0 {
		errs := make([]map[string]any, 0, len(e.errors))
		for _, pe := range e.errors {
			errs = append(errs, map[string]any{"message": pe.Detail, "path": pe.Path})
		}
		body["_embedded"] = map[string]any{"errors": errs}
	}
	writeJSONType(w, e.status, "application/json", body)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	writeJSONType(w, status, "application/json", v)
}

func writeJSONType(w http.ResponseWriter, status int, ctype string, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", ctype)
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

// writeRawJSON writes already-marshalled JSON.
func writeRawJSON(w http.ResponseWriter, status int, b []byte) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	w.WriteHeader(status)
	_, _ = w.Write(b)
}
