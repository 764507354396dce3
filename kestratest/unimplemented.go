package kestratest

import "net/http"

// Every method of api.ServerInterface is written out (no embedded
// interface): an operation added to the document is a build error until it
// gets a handler, or a stub here answering 501 Not Implemented through
// notEmulated with its reason in notEmulatedOperations (listed in the
// package documentation; at most 10 may be). None is a stub today.

// notEmulated answers 501 for the request's operation, naming it and why.
func (h *handlers) notEmulated(w http.ResponseWriter, r *http.Request, reason string) {
	h.s.writeError(w, r, errNotImplemented(operationOf(r), reason))
}
