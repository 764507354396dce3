package api_test

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/kestra-go/kestra-go/api"
)

// reached is a middleware that answers 299 without calling the operation, so
// a test can tell "the router found an operation" from 404/405.
func reached(http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(299) })
}

// TestHandlerRegistersAllRoutes builds the generated std net/http router.
// http.ServeMux panics when two patterns conflict, so this fails if the spec
// ever gains a route the standard router cannot hold.
func TestHandlerRegistersAllRoutes(t *testing.T) {
	var h http.Handler
	func() {
		defer func() {
			if r := recover(); r != nil {
				t.Fatalf("building the handler panicked: %v", r)
			}
		}()
		h = api.HandlerWithOptions(nil, api.StdHTTPServerOptions{Middlewares: []api.MiddlewareFunc{reached}})
	}()

	for _, tc := range []struct{ method, path string }{
		{http.MethodPost, "/api/v1/main/executions/company.team/hello"},
		{http.MethodGet, "/api/v1/main/executions/abc"},
		{http.MethodGet, "/api/v1/main/executions/abc/follow"},
		{http.MethodGet, "/api/v1/main/logs/abc/download"},
		{http.MethodGet, "/api/v1/configs"},
		// Routes that share a prefix with a wildcard at the same depth.
		{http.MethodGet, "/api/v1/main/executions/abc/file/metas?path=kestra:///x"},
		{http.MethodGet, "/api/v1/main/executions/webhook/company.team/hello/key"},
		{http.MethodPost, "/api/v1/main/executions/webhook/company.team/hello/key"},
		{http.MethodPost, "/api/v1/main/executions/company.team/hello/validate?labels=a:b"},
		{http.MethodPost, "/api/v1/main/executions/abc/actions/pause"},
		{http.MethodPost, "/api/v1/main/executions/restart/by-ids"},
		{http.MethodDelete, "/api/v1/main/executions/by-ids"},
		{http.MethodDelete, "/api/v1/main/flows/delete/by-ids"},
		{http.MethodPost, "/api/v1/main/flows/validate"},
		{http.MethodPost, "/api/v1/main/flows/company.team"},
		{http.MethodGet, "/api/v1/main/namespaces/company.team"},
		{http.MethodGet, "/api/v1/main/namespaces/company.team/files/directory"},
		{http.MethodDelete, "/api/v1/main/logs/company.team/hello?triggerId=t"},
		{http.MethodPut, "/api/v1/main/triggers/set-disabled"},
	} {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(tc.method, tc.path, nil))
		if rec.Code != 299 {
			t.Errorf("%s %s: got %d, want it routed to an operation", tc.method, tc.path, rec.Code)
		}
	}

	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/api/v1/main/no-such-route", nil))
	if rec.Code != http.StatusNotFound {
		t.Errorf("unknown route: got %d, want 404", rec.Code)
	}
}
