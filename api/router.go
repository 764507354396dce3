package api

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
)

// Router routes requests to the operations of [HandlerWithOptions], as the
// Kestra server does. Pass it as StdHTTPServerOptions.BaseRouter:
//
//	h := api.HandlerWithOptions(impl, api.StdHTTPServerOptions{BaseRouter: api.NewRouter()})
//
// Why not http.ServeMux (the generator's default): Kestra's routes include
// pairs such as POST /executions/{executionId}/actions/eval/{taskRunId} and
// POST /executions/webhook/{namespace}/{id}/{key}, which both match
// /executions/webhook/actions/eval/x; ServeMux refuses to register such a
// pair (it panics), the server resolves it. Router matches the method and
// then the path segment by segment, a literal segment winning over a
// wildcard whenever both lead to a route of that method.
//
// Patterns are those the generated code registers: "METHOD /path" with
// whole-segment wildcards "{name}". A wildcard matches one non-empty
// segment; its value, unescaped, is what r.PathValue returns. HEAD requests
// are routed to GET operations. A path known for other methods answers 405
// with an Allow header, an unknown path 404.
type Router struct {
	root    routeNode
	methods []string // every method registered, sorted
}

type routeNode struct {
	literal   map[string]*routeNode
	wildcards []*routeNode // in registration order; patterns name them differently
	name      string       // the wildcard's name, on a wildcard child
	handlers  map[string]http.HandlerFunc
}

// NewRouter returns an empty Router.
func NewRouter() *Router { return &Router{} }

// HandleFunc registers handler for pattern, "METHOD /path/{name}". It
// panics on a malformed pattern or one registered twice, as http.ServeMux
// does: both are programming errors of the caller.
func (rt *Router) HandleFunc(pattern string, handler func(http.ResponseWriter, *http.Request)) {
	method, path, ok := strings.Cut(pattern, " ")
	if !ok || method == "" || !strings.HasPrefix(path, "/") {
		panic("api.Router: pattern " + pattern + " is not \"METHOD /path\"")
	}
	n := &rt.root
	for _, seg := range strings.Split(path[1:], "/") {
		if strings.HasPrefix(seg, "{") && strings.HasSuffix(seg, "}") {
			name := seg[1 : len(seg)-1]
			if name == "" || strings.ContainsAny(name, "{}.") {
				panic("api.Router: bad wildcard in pattern " + pattern)
			}
			i := slices.IndexFunc(n.wildcards, func(w *routeNode) bool { return w.name == name })
			if i < 0 {
				n.wildcards = append(n.wildcards, &routeNode{name: name})
				i = len(n.wildcards) - 1
			}
			n = n.wildcards[i]
			continue
		}
		if n.literal == nil {
			n.literal = map[string]*routeNode{}
		}
		child := n.literal[seg]
		if child == nil {
			child = &routeNode{}
			n.literal[seg] = child
		}
		n = child
	}
	if n.handlers == nil {
		n.handlers = map[string]http.HandlerFunc{}
	}
	if _, dup := n.handlers[method]; dup {
		panic("api.Router: pattern " + pattern + " registered twice")
	}
	n.handlers[method] = handler
	if !slices.Contains(rt.methods, method) {
		rt.methods = append(rt.methods, method)
		slices.Sort(rt.methods)
	}
}

// ServeHTTP routes r.
func (rt *Router) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	escaped := r.URL.EscapedPath()
	if !strings.HasPrefix(escaped, "/") {
		http.NotFound(w, r)
		return
	}
	segs := strings.Split(escaped[1:], "/")
	method := r.Method
	n, values := rt.root.match(segs, nil, method)
	if n == nil && method == http.MethodHead {
		method = http.MethodGet
		n, values = rt.root.match(segs, nil, method)
	}
	if n == nil {
		var allow []string
		for _, m := range rt.methods {
			if found, _ := rt.root.match(segs, nil, m); found != nil {
				allow = append(allow, m)
			}
		}
		if len(allow) > 0 {
			w.Header().Set("Allow", strings.Join(allow, ", "))
			http.Error(w, http.StatusText(http.StatusMethodNotAllowed), http.StatusMethodNotAllowed)
			return
		}
		http.NotFound(w, r)
		return
	}
	for _, v := range values {
		value, err := url.PathUnescape(v.raw)
		if err != nil { // not reachable for a parsed URL; keep the raw text
			value = v.raw
		}
		r.SetPathValue(v.name, value)
	}
	n.handlers[method](w, r)
}

type pathValue struct{ name, raw string }

// match finds the node for segs that has a handler for method, trying the
// literal child before the wildcards and backtracking; values are the
// wildcard segments of the match.
func (n *routeNode) match(segs []string, values []pathValue, method string) (*routeNode, []pathValue) {
	if len(segs) == 0 {
		if _, ok := n.handlers[method]; ok {
			return n, values
		}
		return nil, nil
	}
	seg := segs[0]
	if child := n.literal[seg]; child != nil {
		if found, v := child.match(segs[1:], values, method); found != nil {
			return found, v
		}
	}
	if seg == "" {
		return nil, nil
	}
	for _, w := range n.wildcards {
		if found, v := w.match(segs[1:], append(values[:len(values):len(values)], pathValue{w.name, seg}), method); found != nil {
			return found, v
		}
	}
	return nil, nil
}
