package kestratest

// Writing answers: error bodies in the configured format (1.x JSON or 2.0
// problem details) and JSON bodies. The refusals themselves (apiError and
// its constructors, errors.go) carry no HTTP machinery.

import (
	"encoding/json"
	"net/http"
	"strconv"
)

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
func (s *Server) writeError(w http.ResponseWriter, r *http.Request, err error) {
	e := answerOf(err)
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
