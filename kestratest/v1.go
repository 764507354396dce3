package kestratest

import (
	"net/http"
	"strings"
)

// Version1 is the version getConfiguration reports in 1.x mode (see
// WithMajorVersion), unless WithVersion says otherwise.
const Version1 = "1.3.0-kestratest"

// WithMajorVersion(1) makes the server answer as a released 1.x server
// does: getConfiguration reports Version1, the execution actions are served
// on their 1.x routes (.../executions/{id}/kill, .../restart, .../resume...,
// without /actions/), the 2.0 routes .../executions/{id}/actions/... answer
// 404, and the answers have the 1.x shapes: kill answers 202 without a body,
// resume and pause 204 without a body. Any other value keeps the 2.0 routes
// (the default).
func WithMajorVersion(major int) Option {
	return func(c *config) { c.majorVersion = major }
}

// v1Actions are the route tails a 1.x server has right after
// .../executions/{executionId}/ and a 2.0 server after .../actions/.
var v1Actions = map[string]bool{
	"kill": true, "restart": true, "replay": true, "replay-with-inputs": true, "resume": true,
	"resume/validate": true, "resume-from-breakpoint": true, "pause": true, "labels": true,
	"change-status": true, "state": true, "eval": true, "unqueue": true, "force-run": true,
}

// v1Empty are the 1.x actions that answer an empty body, with their status.
var v1Empty = map[string]int{"kill": http.StatusAccepted, "resume": http.StatusNoContent, "pause": http.StatusNoContent}

// v1Request adapts a request to 1.x mode before it is served: a 2.0 action
// route is answered 404 (handled is true), a 1.x action route is rewritten to
// the 2.0 route the handlers serve, with a writer giving the 1.x answer.
func (s *Server) v1Request(w http.ResponseWriter, r *http.Request) (http.ResponseWriter, *http.Request, bool) {
	if s.cfg.majorVersion != 1 {
		return w, r, false
	}
	prefix, tail, ok := splitExecutionRoute(r.URL.Path)
	if !ok {
		return w, r, false
	}
	if strings.HasPrefix(tail, "actions/") {
		s.count("")
		s.writeError(w, r, errNotFound("Page Not Found"))
		return w, r, true
	}
	if !v1Actions[tail] {
		return w, r, false
	}
	r2 := r.Clone(r.Context())
	r2.URL.Path = prefix + "actions/" + tail
	if r.URL.RawPath != "" {
		if rp, rt, ok := splitExecutionRoute(r.URL.RawPath); ok {
			r2.URL.RawPath = rp + "actions/" + rt
		}
	}
	r2.RequestURI = r2.URL.RequestURI()
	if status, ok := v1Empty[tail]; ok {
		w = &v1EmptyAnswer{ResponseWriter: w, status: status}
	}
	return w, r2, false
}

// splitExecutionRoute splits /api/v1/{tenant}/executions/{id}/<tail> into
// the part up to and including "{id}/" and the tail.
func splitExecutionRoute(p string) (prefix, tail string, ok bool) {
	rest, found := strings.CutPrefix(p, "/api/v1/")
	if !found {
		return "", "", false
	}
	seg := strings.SplitN(rest, "/", 4) // tenant, executions, id, tail
	if len(seg) != 4 || seg[1] != "executions" || seg[2] == "" || seg[3] == "" {
		return "", "", false
	}
	return p[:len(p)-len(seg[3])], seg[3], true
}

// v1EmptyAnswer turns a successful answer into the 1.x status without body.
type v1EmptyAnswer struct {
	http.ResponseWriter
	status  int
	success bool
	decided bool
}

func (a *v1EmptyAnswer) WriteHeader(code int) {
	if a.decided {
		return
	}
	a.decided = true
	if code >= 200 && code < 300 {
		a.success = true
		h := a.Header()
		h.Del("Content-Type")
		h.Del("Content-Length")
		a.ResponseWriter.WriteHeader(a.status)
		return
	}
	a.ResponseWriter.WriteHeader(code)
}

func (a *v1EmptyAnswer) Write(b []byte) (int, error) {
	if !a.decided {
		a.WriteHeader(http.StatusOK)
	}
	if a.success {
		return len(b), nil
	}
	return a.ResponseWriter.Write(b)
}

// v1Version is the version getConfiguration reports.
func (s *Server) v1Version() string {
	if s.cfg.majorVersion == 1 && s.cfg.version == Version {
		return Version1
	}
	return s.cfg.version
}
