package api_test

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/kestra-go/kestra-go/api"
	"github.com/kestra-go/kestra-go/openapi"
)

// reached is a middleware that answers 299 without calling the operation, so
// a test can tell "the router found an operation" from 404/405.
func reached(http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(299) })
}

// TestHandlerRegistersAllRoutes builds the generated std net/http handler on
// api.Router and routes a request to each tricky pattern.
func TestHandlerRegistersAllRoutes(t *testing.T) {
	var h http.Handler
	func() {
		defer func() {
			if r := recover(); r != nil {
				t.Fatalf("building the handler panicked: %v", r)
			}
		}()
		h = api.HandlerWithOptions(nil, api.StdHTTPServerOptions{BaseRouter: api.NewRouter(), Middlewares: []api.MiddlewareFunc{reached}})
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

// TestServeMuxRefusesTheDocument records why api.Router exists: the
// standard ServeMux cannot hold the server's routes.
func TestServeMuxRefusesTheDocument(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("http.ServeMux took every route: api.Router may no longer be needed")
		}
	}()
	api.HandlerWithOptions(nil, api.StdHTTPServerOptions{BaseRouter: http.NewServeMux()})
}

func TestRouter(t *testing.T) {
	rt := api.NewRouter()
	route := func(name string) func(http.ResponseWriter, *http.Request) {
		return func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("X-Route", name)
			w.Header().Set("X-Values", r.PathValue("a")+"|"+r.PathValue("b")+"|"+r.PathValue("c"))
		}
	}
	rt.HandleFunc("POST /x/{a}/actions/eval/{b}", route("eval"))
	rt.HandleFunc("POST /x/webhook/{a}/{b}/{c}", route("webhook"))
	rt.HandleFunc("GET /x/{a}", route("get"))
	rt.HandleFunc("POST /x/validate", route("validate"))
	rt.HandleFunc("GET /x/{a}/{b}", route("get2"))
	for _, tc := range []struct{ method, path, route, values string }{
		{"POST", "/x/webhook/actions/eval/k", "webhook", "actions|eval|k"},
		{"POST", "/x/e1/actions/eval/t1", "eval", "e1|t1|"},
		{"GET", "/x/validate", "get", "validate||"}, // the literal has no GET: the wildcard takes it
		{"POST", "/x/validate", "validate", "||"},
		{"HEAD", "/x/abc", "get", "abc||"},
		{"GET", "/x/a%2Fb/c%20d", "get2", "a/b|c d|"}, // values unescaped, %2F kept inside one segment
		{"GET", "/x/webhook/y", "get2", "webhook|y|"}, // backtracks from the literal
	} {
		rec := httptest.NewRecorder()
		rt.ServeHTTP(rec, httptest.NewRequest(tc.method, tc.path, nil))
		if got := rec.Header().Get("X-Route"); got != tc.route || rec.Header().Get("X-Values") != tc.values {
			t.Errorf("%s %s: route %q values %q, want %q %q", tc.method, tc.path, got, rec.Header().Get("X-Values"), tc.route, tc.values)
		}
	}
	for _, tc := range []struct {
		method, path string
		status       int
		allow        string
	}{
		{"DELETE", "/x/validate", 405, "GET, POST"},
		{"GET", "/x", 404, ""},
		{"GET", "/x/", 404, ""}, // a wildcard never matches an empty segment
		{"GET", "/y/z", 404, ""},
	} {
		rec := httptest.NewRecorder()
		rt.ServeHTTP(rec, httptest.NewRequest(tc.method, tc.path, nil))
		if rec.Code != tc.status || rec.Header().Get("Allow") != tc.allow {
			t.Errorf("%s %s: %d allow %q, want %d %q", tc.method, tc.path, rec.Code, rec.Header().Get("Allow"), tc.status, tc.allow)
		}
	}
	for _, bad := range []string{"/x", "GET x", "GET /x/{}", "GET /x/{a.b}", "GET /x/{a}"} {
		func() {
			defer func() { _ = recover() }()
			rt.HandleFunc(bad, route("bad"))
			t.Errorf("pattern %q accepted", bad)
		}()
	}
}

// TestEveryRouteReachesItsOperation sends a request to every operation of
// the document through api.Router and checks, from the path values the
// operation sees, that it reached the route it was meant for (a request
// taken by an overlapping route would carry other wildcard names).
func TestEveryRouteReachesItsOperation(t *testing.T) {
	doc, err := openapi3.NewLoader().LoadFromData(openapi.Spec())
	if err != nil {
		t.Fatal(err)
	}
	wildcard := regexp.MustCompile(`\{([^}]+)\}`)
	verdict := func(w http.ResponseWriter, r *http.Request) {
		for _, name := range strings.Split(r.Header.Get("X-Want"), ",") {
			if name != "" && r.PathValue(name) != name+"-v" {
				w.WriteHeader(598)
				return
			}
		}
		w.WriteHeader(299)
	}
	check := func(http.Handler) http.Handler { return http.HandlerFunc(verdict) }
	// Operations with required query parameters stop at their binding,
	// after routing: the error handler judges those.
	h := api.HandlerWithOptions(nil, api.StdHTTPServerOptions{BaseRouter: api.NewRouter(), Middlewares: []api.MiddlewareFunc{check},
		ErrorHandlerFunc: func(w http.ResponseWriter, r *http.Request, _ error) { verdict(w, r) }})
	n := 0
	for path, item := range doc.Paths.Map() {
		var names []string
		for _, m := range wildcard.FindAllStringSubmatch(path, -1) {
			names = append(names, m[1])
		}
		target := wildcard.ReplaceAllString(path, "$1-v")
		for method := range item.Operations() {
			req := httptest.NewRequest(method, target, nil)
			req.Header.Set("X-Want", strings.Join(names, ","))
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			if rec.Code != 299 {
				t.Errorf("%s %s: %d, want it routed to its own operation", method, path, rec.Code)
			}
			n++
		}
	}
	if n != 167 {
		t.Errorf("%d operations routed, want 167", n)
	}
}

// FuzzRouter sends arbitrary methods and paths through api.Router holding
// every route of the document: it must never panic, must answer 404 or 405
// or reach an operation, and an /api/v1/ request it routes (but for
// /api/v1/configs) must carry a non-empty tenant.
func FuzzRouter(f *testing.F) {
	f.Add("GET", "/api/v1/main/executions/abc")
	f.Add("POST", "/api/v1/main/executions/webhook/actions/eval/k")
	f.Add("POST", "/api/v1/main/executions/webhook/ns/id/key/a%2Fb")
	f.Add("HEAD", "/api/v1/main/flows/validate")
	f.Add("DELETE", "//api/v1//main/../x/")
	f.Add("GET", "/api/v1/%E2%82%AC/kv")
	var current *http.Request
	h := api.HandlerWithOptions(nil, api.StdHTTPServerOptions{BaseRouter: api.NewRouter(),
		Middlewares: []api.MiddlewareFunc{func(http.Handler) http.Handler {
			return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { current = r; w.WriteHeader(299) })
		}},
		ErrorHandlerFunc: func(w http.ResponseWriter, r *http.Request, _ error) { current = r; w.WriteHeader(299) }})
	f.Fuzz(func(t *testing.T, method, path string) {
		if !regexp.MustCompile(`^[A-Z]{1,10}$`).MatchString(method) {
			return
		}
		u, err := url.ParseRequestURI(path)
		if err != nil || u.RawQuery != "" || !strings.HasPrefix(u.EscapedPath(), "/") {
			return
		}
		req := &http.Request{Method: method, URL: u, Header: http.Header{}, RequestURI: path}
		current = nil
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != 299 {
			if rec.Code != http.StatusNotFound && rec.Code != http.StatusMethodNotAllowed {
				t.Fatalf("%s %s: status %d", method, path, rec.Code)
			}
			return
		}
		if current == nil {
			t.Fatalf("%s %s: 299 without reaching an operation", method, path)
		}
		if v := current.PathValue("tenant"); v == "" && strings.HasPrefix(u.EscapedPath(), "/api/v1/") && !strings.HasPrefix(u.EscapedPath(), "/api/v1/configs") {
			t.Fatalf("%s %s: routed without a tenant", method, path)
		}
	})
}
