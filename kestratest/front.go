package kestratest

// The HTTP front: what a request goes through before its handler, in the
// order a Kestra server and the network in front of it apply it (legacy
// route rewrite, counting, faults, authentication, tenant check,
// Enterprise-only routes, body limit, content type, validation against the
// OpenAPI document), and the validation of answers. Handlers (the files
// named after the API's resources: executions*, flows*, triggers,
// namespaces*, kv, logs, bulk, concurrency_limits, webhooks) read requests
// and write answers. The engine (engine.go, concurrency.go), the store
// (store.go, broker.go, model.go) and the parsers (flow.go, inputs.go,
// labels.go, kvvalue.go, filters.go) never see a request: they report a
// refusal as an apiError (the server's status and reason), which the
// handlers write.

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"

	"github.com/kestra-go/kestra-go/api"
	"github.com/kestra-go/kestra-go/openapi"
)

// spec is the project's OpenAPI document and a router on it, loaded once.
var spec struct {
	once   sync.Once
	doc    *openapi3.T
	router routers.Router
	err    error
}

func loadSpec() (*openapi3.T, routers.Router, error) {
	spec.once.Do(func() {
		loader := openapi3.NewLoader()
		doc, err := loader.LoadFromData(openapi.Spec())
		if err != nil {
			spec.err = fmt.Errorf("load OpenAPI document: %w", err)
			return
		}
		// Match requests whatever host the test server listens on.
		doc.Servers = nil
		r, err := legacy.NewRouter(doc)
		if err != nil {
			spec.err = fmt.Errorf("build OpenAPI router: %w", err)
			return
		}
		spec.doc, spec.router = doc, r
	})
	return spec.doc, spec.router, spec.err
}

func init() {
	// killExecution answers `text/json` as the real server does; kin-openapi
	// knows no decoder for it. Registered at init, before any validation runs.
	openapi3filter.RegisterBodyDecoder("text/json", openapi3filter.JSONBodyDecoder)
}

// legacyResources are the first path segments the 0.23 compatibility layer
// maps from /api/v1/<resource>/... to /api/v1/main/<resource>/....
var legacyResources = map[string]bool{
	"executions": true, "flows": true, "logs": true, "namespaces": true, "kv": true,
	"templates": true, "plugins": true, "stats": true, "taskruns": true, "metrics": true, "outputs": true,
}

// sseOperations stream their answer; they are never buffered.
var sseOperations = map[string]bool{"followExecution": true, "followLogsFromExecution": true, "followDependenciesExecutions": true}

type ctxKey int

const (
	ctxCutSSE ctxKey = iota
	ctxOperation
)

// ServeHTTP runs a request through what a Kestra server (and the network in
// front of it) does: the legacy route rewrite, request counting, injected
// faults, authentication, the tenant check, validation against the OpenAPI
// document, then the operation.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if s.cfg.legacyRoutes {
		s.rewriteLegacy(r)
	}
	w, r, handled := s.v1Request(w, r)
	if handled {
		return
	}
	_, router, _ := loadSpec()
	route, params, rerr := router.FindRoute(r)
	op := ""
	if rerr == nil && route.Operation != nil {
		op = route.Operation.OperationID
	}
	s.count(op)
	s.log.Debug("request", "method", r.Method, "path", r.URL.Path, "operation", op)

	if f := s.takeFault(op); f != nil {
		if s.applyFault(w, r, op, f) {
			return
		}
		if f.CutSSEAfter > 0 {
			r = r.WithContext(context.WithValue(r.Context(), ctxCutSSE, f.CutSSEAfter))
		}
		if f.AfterHandle {
			rec := httptest.NewRecorder()
			s.serveOperation(rec, r, route, params, op, rerr)
			s.log.Debug("fault after handling", "operation", op, "handled_status", rec.Code, "status", f.Status)
			s.faultStatus(w, r, f)
			return
		}
	}
	s.serveOperation(w, r, route, params, op, rerr)
}

func (s *Server) serveOperation(w http.ResponseWriter, r *http.Request, route *routers.Route, params map[string]string, op string, rerr error) {
	if !s.authenticated(r) {
		w.Header().Set("WWW-Authenticate", "Basic")
		if s.cfg.problemDetails {
			s.writeError(w, r, &apiError{status: 401, slug: "unauthenticated", detail: "Authentication is required"})
			return
		}
		// 1.x: the authentication filter answers 401 with an empty body.
		w.WriteHeader(http.StatusUnauthorized)
		return
	}
	if t, ok := params["tenant"]; ok && s.tenant(t) == nil {
		s.writeError(w, r, errBadRequest("Tenant must be 'main' for OSS version"))
		return
	}
	if rerr != nil {
		switch {
		case errors.Is(rerr, routers.ErrMethodNotAllowed):
			s.writeError(w, r, &apiError{status: 405, message: "Method Not Allowed", slug: "method-not-allowed", detail: "Method " + r.Method + " not allowed"})
		default:
			s.writeError(w, r, errNotFound("Page Not Found"))
		}
		return
	}
	if aerr := enterpriseOnly(route, r.Method); aerr != nil {
		s.writeError(w, r, aerr)
		return
	}
	if aerr := s.limitBody(w, r); aerr != nil {
		s.writeError(w, r, aerr)
		return
	}
	if aerr := s.checkContentType(r, route); aerr != nil {
		s.writeError(w, r, aerr)
		return
	}
	if aerr := s.validateRequest(r, route, params, op); aerr != nil {
		s.writeError(w, r, aerr)
		return
	}
	r = r.WithContext(context.WithValue(r.Context(), ctxOperation, op))
	serve := s.api.ServeHTTP
	if op == "searchNamespaces" {
		// The document declares this operation's `filters` as a required
		// array of objects in the query, which the generated binding cannot
		// read from real requests (filters[field][OP]=value): bind it here.
		serve = func(w http.ResponseWriter, r *http.Request) { s.searchNamespaces(w, r, params["tenant"]) }
	}
	if s.cfg.responseValidation != nil && !sseOperations[op] {
		rec := &recorder{header: http.Header{}, status: 200}
		serve(rec, r)
		s.validateResponse(r, route, params, rec)
		rec.copyTo(w)
		return
	}
	serve(w, r)
}

// searchNamespaces binds the page, size and sort parameters itself; filters
// are read from the raw query by the handler.
func (s *Server) searchNamespaces(w http.ResponseWriter, r *http.Request, tenant string) {
	q := r.URL.Query()
	var p api.SearchNamespacesParams
	for name, dst := range map[string]*int{"page": &p.Page, "size": &p.Size} {
		if v := q.Get(name); v != "" {
			n, err := strconv.ParseInt(v, 10, 32)
			if err != nil {
				s.paramError(w, r, &api.InvalidParamFormatError{ParamName: name, Err: err})
				return
			}
			*dst = int(n)
		}
	}
	p.Sort = q["sort"]
	(&handlers{s: s}).SearchNamespaces(w, r, tenant, p)
}

// rewriteLegacy maps /api/v1/<resource>/... to /api/v1/main/<resource>/....
func (s *Server) rewriteLegacy(r *http.Request) {
	rest, ok := strings.CutPrefix(r.URL.Path, "/api/v1/")
	if !ok {
		return
	}
	first, _, _ := strings.Cut(rest, "/")
	if !legacyResources[first] {
		return
	}
	r.URL.Path = "/api/v1/main/" + rest
	if r.URL.RawPath != "" {
		if raw, ok := strings.CutPrefix(r.URL.RawPath, "/api/v1/"); ok {
			r.URL.RawPath = "/api/v1/main/" + raw
		}
	}
	r.RequestURI = r.URL.RequestURI()
}

// authenticated checks the Authorization header against the configured
// credentials; GET /api/v1/configs stays open, as on 0.24–1.x servers.
func (s *Server) authenticated(r *http.Request) bool {
	if !s.cfg.basicAuth && len(s.cfg.tokens) == 0 {
		return true
	}
	if r.Method == http.MethodGet && r.URL.Path == "/api/v1/configs" {
		return true
	}
	if strings.Contains(r.URL.Path, "/executions/webhook/") {
		return true // the server's default open URLs include webhooks
	}
	h := r.Header.Get("Authorization")
	scheme, cred, _ := strings.Cut(h, " ")
	switch {
	case strings.EqualFold(scheme, "Basic") && s.cfg.basicAuth:
		b, err := base64.StdEncoding.DecodeString(strings.TrimSpace(cred))
		if err != nil {
			return false
		}
		u, p, ok := strings.Cut(string(b), ":")
		return ok && u == s.cfg.basicUser && p == s.cfg.basicPassword
	case strings.EqualFold(scheme, "Bearer"):
		for _, t := range s.cfg.tokens {
			if t != "" && strings.TrimSpace(cred) == t {
				return true
			}
		}
	}
	return false
}

// paramError answers parameter binding errors of the generated handler.
func (s *Server) paramError(w http.ResponseWriter, r *http.Request, err error) {
	var req *api.RequiredParamError
	if errors.As(err, &req) {
		s.writeError(w, r, errBadRequest(err.Error()))
		return
	}
	s.writeError(w, r, &apiError{status: 422, message: "Invalid entity: " + err.Error(), slug: "invalid-format", detail: err.Error()})
}

// validateRequest checks a request against the OpenAPI document. Parameter
// conversion failures are 422 (Micronaut's ConversionErrorException), a
// missing required parameter 400, a wrong body content type 415.
func (s *Server) validateRequest(r *http.Request, route *routers.Route, params map[string]string, op string) *apiError {
	ct := r.Header.Get("Content-Type")
	excludeBody := strings.HasPrefix(ct, "multipart/") || strings.Contains(ct, "yaml") || consumedBeyondDocument(op, ct)
	in := &openapi3filter.RequestValidationInput{
		Request: r, PathParams: params, Route: route,
		Options: &openapi3filter.Options{
			AuthenticationFunc:  openapi3filter.NoopAuthenticationFunc,
			ExcludeRequestBody:  excludeBody,
			SkipSettingDefaults: true,
			// Operations declaring a `filters` query parameter as an array
			// of objects (as the server's own document does) cannot be
			// checked: Kestra sends filters as filters[field][OP]=value keys.
			ExcludeRequestQueryParams: hasFiltersParam(route),
		},
	}
	err := openapi3filter.ValidateRequest(r.Context(), in)
	if err == nil {
		return nil
	}
	s.log.Debug("request validation failed", "operation", op, "error", err)
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return bodyError(err)
	}
	var re *openapi3filter.RequestError
	if errors.As(err, &re) {
		switch {
		case re.Parameter != nil && errors.Is(re.Err, openapi3filter.ErrInvalidRequired):
			return errBadRequest(fmt.Sprintf("Required %s [%s] not specified", re.Parameter.In, re.Parameter.Name))
		case re.Parameter != nil:
			value := r.URL.Query().Get(re.Parameter.Name)
			msg := fmt.Sprintf("Failed to convert argument [%s] for value [%s]", re.Parameter.Name, value)
			return &apiError{status: 422, message: "Invalid entity: " + msg, slug: "invalid-format", detail: msg,
				errors: []problemError{{Detail: re.Error(), Path: re.Parameter.Name}}}
		case re.RequestBody != nil && strings.Contains(re.Error(), "Content-Type"):
			msg := fmt.Sprintf("Content Type [%s] not allowed", ct)
			return &apiError{status: 415, message: "Unsupported Media Type: " + msg, slug: "unsupported-media-type", detail: msg}
		case re.RequestBody != nil:
			msg := "Request body is invalid: " + re.Error()
			return &apiError{status: 422, message: "Invalid entity: " + msg, slug: "invalid-request-body", detail: msg}
		}
	}
	return &apiError{status: 400, message: "Bad Request: " + err.Error(), slug: "bad-request", detail: err.Error()}
}

// validateResponse checks a buffered response against the document and
// reports failures to the WithResponseValidation callback.
func (s *Server) validateResponse(r *http.Request, route *routers.Route, params map[string]string, rec *recorder) {
	in := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{
			Request: r, PathParams: params, Route: route,
			Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc},
		},
		Status: rec.status,
		Header: rec.header,
		Body:   ioNopCloser(rec.body.Bytes()),
		Options: &openapi3filter.Options{
			IncludeResponseStatus: false,
			MultiError:            true,
		},
	}
	if rec.status >= 400 {
		// Error bodies are not in the document (as in the server's own).
		return
	}
	if ct := rec.header.Get("Content-Type"); !strings.Contains(ct, "json") {
		return // files, CSV, text: only JSON answers are checked
	}
	if err := openapi3filter.ValidateResponse(r.Context(), in); err != nil {
		s.cfg.responseValidation(fmt.Errorf("response of %s %s (status %d) does not match the OpenAPI document: %w",
			r.Method, r.URL.Path, rec.status, err))
	}
}

// recorder buffers a response for validation.
type recorder struct {
	header http.Header
	status int
	wrote  bool
	body   bytes.Buffer
}

func (r *recorder) Header() http.Header { return r.header }
func (r *recorder) WriteHeader(code int) {
	if !r.wrote {
		r.status, r.wrote = code, true
	}
}
func (r *recorder) Write(b []byte) (int, error) {
	r.wrote = true
	return r.body.Write(b)
}
func (r *recorder) copyTo(w http.ResponseWriter) {
	for k, v := range r.header {
		w.Header()[k] = v
	}
	w.WriteHeader(r.status)
	_, _ = w.Write(r.body.Bytes())
}

func hasFiltersParam(route *routers.Route) bool {
	for _, p := range route.Operation.Parameters {
		if p.Value != nil && p.Value.In == "query" && p.Value.Name == "filters" && p.Value.Style != "deepObject" {
			return true
		}
	}
	return false
}
