package kestratest

import (
	"net/http"
)

// Operations kestratest does not emulate answer 501 Not Implemented with a
// message naming the operation and the reason notEmulatedOperations gives
// (see the package documentation). Every method of api.ServerInterface is
// written out (no embedded interface): an operation added to the document
// is a build error until it gets a handler or a stub here.

// notEmulated answers 501 for the request's operation.
func (h *handlers) notEmulated(w http.ResponseWriter, r *http.Request) {
	op := operationOf(r)
	h.s.writeError(w, r, errNotImplemented(op, notEmulatedOperations[op]))
}
