package kestratest

import (
	"encoding/json"
	"errors"
	"net/http"

	"github.com/kestra-go/kestra-go/api"
)

// handlers implements the generated api.ServerInterface, every method
// written out (unimplemented.go holds the explicit 501 answers), so that an
// operation added to or renamed in the document is a build error here.
type handlers struct {
	s *Server
}

var _ api.ServerInterface = (*handlers)(nil)

// store returns the tenant's store; the tenant was checked by ServeHTTP.
func (h *handlers) store(w http.ResponseWriter, r *http.Request, tenant string) *tenantStore {
	ts := h.s.tenant(tenant)
	if ts == nil {
		h.s.writeError(w, r, errBadRequest("Tenant must be 'main' for OSS version"))
	}
	return ts
}

// execution returns the tenant's store and the record of an execution; when
// either is missing it answers (400 tenant, 404 execution) and returns nils.
func (h *handlers) execution(w http.ResponseWriter, r *http.Request, tenant, id string) (*tenantStore, *execRecord) {
	ts := h.store(w, r, tenant)
	if ts == nil {
		return nil, nil
	}
	rec := ts.record(id)
	if rec == nil {
		h.s.writeError(w, r, executionNotFound(id))
		return nil, nil
	}
	return ts, rec
}

// snapshot returns the tenant's store, the JSON snapshot and the state of an
// execution; when either is missing it answers and returns a nil store.
func (h *handlers) snapshot(w http.ResponseWriter, r *http.Request, tenant, id string) (*tenantStore, []byte, api.StateType) {
	ts := h.store(w, r, tenant)
	if ts == nil {
		return nil, nil, ""
	}
	snap, state, ok := ts.getExecution(id)
	if !ok {
		h.s.writeError(w, r, executionNotFound(id))
		return nil, nil, ""
	}
	return ts, snap, state
}

// executionAndFlow returns the tenant's store, the flow revision an
// execution ran and a private copy of the execution; when one is missing
// it answers (400, 404) and returns a nil store.
func (h *handlers) executionAndFlow(w http.ResponseWriter, r *http.Request, tenant, id string) (*tenantStore, *flowDef, *execution) {
	ts, rec := h.execution(w, r, tenant, id)
	if ts == nil {
		return nil, nil, nil
	}
	f := h.flowOf(w, r, ts, rec)
	if f == nil {
		return nil, nil, nil
	}
	return ts, f, ts.copyExecution(rec)
}

// flow returns the tenant's store and a flow revision (0: the latest);
// when either is missing it answers (400, 404) and returns a nil store.
func (h *handlers) flow(w http.ResponseWriter, r *http.Request, tenant, ns, id string, rev int, allowDeleted bool) (*tenantStore, *flowDef) {
	ts := h.store(w, r, tenant)
	if ts == nil {
		return nil, nil
	}
	f := ts.getFlow(ns, id, rev, allowDeleted)
	if f == nil {
		h.s.writeError(w, r, errNotFound("Requested Flow is not found."))
		return nil, nil
	}
	return ts, f
}

// flowOf returns the flow revision an execution ran, or answers 404.
func (h *handlers) flowOf(w http.ResponseWriter, r *http.Request, ts *tenantStore, rec *execRecord) *flowDef {
	f := ts.getFlow(rec.e.Namespace, rec.e.FlowID, rec.e.FlowRevision, true)
	if f == nil {
		h.s.writeError(w, r, errNotFound("Requested Flow is not found."))
	}
	return f
}

// search returns the tenant's store and the filters of a search request
// of resource (legacy: its flat parameters); on an error it answers and returns a nil
// store.
func (h *handlers) search(w http.ResponseWriter, r *http.Request, tenant string, resource api.FilterResource, legacy map[string]filter) (*tenantStore, filterSet) {
	ts := h.store(w, r, tenant)
	if ts == nil {
		return nil, nil
	}
	fs, aerr := parseFilters(r.URL.Query(), resource, legacy)
	if aerr == nil {
		aerr = fs.checkTimeline()
	}
	if aerr != nil {
		h.s.writeError(w, r, aerr)
		return nil, nil
	}
	return ts, fs
}

// withBody returns the tenant's store and the request body as read reads
// it; on an error it answers and returns a nil store.
func withBody[T any](h *handlers, w http.ResponseWriter, r *http.Request, tenant string, read func(*http.Request) (T, *apiError)) (*tenantStore, T) {
	ts := h.store(w, r, tenant)
	if ts == nil {
		var zero T
		return nil, zero
	}
	v, aerr := read(r)
	if aerr != nil {
		h.s.writeError(w, r, aerr)
		var zero T
		return nil, zero
	}
	return ts, v
}

// writeExecution answers 200 with the current JSON of execution id.
func writeExecution(w http.ResponseWriter, ts *tenantStore, id string) {
	snap, _, _ := ts.getExecution(id)
	writeRawJSON(w, 200, snap)
}

// decodeJSON decodes a JSON request body into v; a body that does not
// decode is 422, as Micronaut's JSON binding answers.
func decodeJSON(r *http.Request, v any) *apiError {
	if err := json.NewDecoder(r.Body).Decode(v); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return bodyError(err)
		}
		return &apiError{status: 422, message: "Invalid JSON: " + err.Error(), slug: "invalid-json", detail: err.Error()}
	}
	return nil
}

// revision reads an optional revision parameter; 0 means the latest.
func revision(p int) int {
	return p
}

// writePage answers a PagedResults {results, total} with the requested
// page of all (1-based page, default size 10).
func writePage[T any](w http.ResponseWriter, all []T, page, size int) {
	win := paginate(len(all), page, size)
	res := all[win.from:win.to]
	if res == nil {
		res = []T{}
	}
	writeJSON(w, 200, map[string]any{"results": res, "total": len(all)})
}

func (h *handlers) GetConfiguration(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, 200, map[string]any{
		"uuid":                   "00000000-0000-0000-0000-00006b657374",
		"version":                h.s.v1Version(),
		"edition":                "OSS",
		"commitId":               "kestratest",
		"url":                    h.s.URL,
		"systemNamespace":        "system",
		"hiddenLabelsPrefixes":   []string{"system."},
		"isBasicAuthInitialized": h.s.cfg.basicAuth,
		"isAiEnabled":            false,
	})
}

type window struct{ from, to int }

func paginate(n int, page, size int) window {
	p, sz := 1, 10
	if page > 0 {
		p = page
	}
	if size > 0 {
		sz = size
	}
	from := (p - 1) * sz
	if from > n {
		from = n
	}
	to := from + sz
	if to > n {
		to = n
	}
	return window{from, to}
}

// operationOf returns the operationId ServeHTTP found for r.
func operationOf(r *http.Request) string {
	op, _ := r.Context().Value(ctxOperation).(string)
	return op
}
