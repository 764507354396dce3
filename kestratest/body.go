package kestratest

import (
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"sort"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/routers"
)

// DefaultMaxRequestSize is the largest request body kestratest accepts
// unless WithMaxRequestSize says otherwise. A real server accepts up to
// micronaut.server.max-request-size, 10GB in Kestra's
// cli/src/main/resources/application.yml; kestratest keeps bodies in
// memory, hence a lower default.
const DefaultMaxRequestSize = 64 << 20

// limitBody refuses a request whose declared Content-Length is over the
// limit and caps the body of the others, so that a body found too large
// while it is read is a 413 too (bodyError), never a silent cut.
func (s *Server) limitBody(w http.ResponseWriter, r *http.Request) *apiError {
	if r.ContentLength > s.cfg.maxRequestSize {
		return errTooLarge(r.ContentLength, s.cfg.maxRequestSize)
	}
	if r.Body != nil && r.Body != http.NoBody {
		r.Body = http.MaxBytesReader(w, r.Body, s.cfg.maxRequestSize)
	}
	return nil
}

// errTooLarge is the 413 Micronaut answers for a body over
// max-request-size (its ContentLengthExceededException).
func errTooLarge(got, limit int64) *apiError {
	var d string
	if got >= 0 {
		d = fmt.Sprintf("The content length [%d] exceeds the maximum allowed content length [%d]", got, limit)
	} else {
		d = "The received length exceeds the maximum allowed content length [" + strconv.FormatInt(limit, 10) + "]"
	}
	return &apiError{status: 413, message: "Request Entity Too Large: " + d, slug: "payload-too-large", detail: d}
}

// bodyError is the answer for an error met while reading a request body:
// 413 when the body went over the limit, else 400.
func bodyError(err error) *apiError {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return errTooLarge(-1, mbe.Limit)
	}
	return errBadRequest(err.Error())
}

// readBody reads the whole request body (at most the server's limit).
func readBody(r *http.Request) ([]byte, *apiError) {
	if r.Body == nil {
		return nil, nil
	}
	b, err := io.ReadAll(r.Body)
	if err != nil {
		return nil, bodyError(err)
	}
	return b, nil
}

// alsoConsumed are media types a route's `consumes` accepts that the
// published document leaves out: setKeyValue consumes application/json and
// text/plain (KVController.setKeyValue), the document lists text/plain only.
var alsoConsumed = map[string][]string{"setKeyValue": {"application/json"}}

// consumedBeyondDocument reports whether ct is one of alsoConsumed for op
// (the document cannot validate such a body).
func consumedBeyondDocument(op, ct string) bool {
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil {
		return false
	}
	for _, t := range alsoConsumed[op] {
		if strings.EqualFold(t, mt) {
			return true
		}
	}
	return false
}

// checkContentType refuses (415) a body whose media type the operation
// does not declare, as Micronaut refuses a type outside a route's
// `consumes` (flows take only application/x-yaml, namespace files only
// multipart/form-data, KV values text/plain or application/json). A body
// without Content-Type is read as application/json, Micronaut's default.
func (s *Server) checkContentType(r *http.Request, route *routers.Route) *apiError {
	rb := route.Operation.RequestBody
	if rb == nil || rb.Value == nil || len(rb.Value.Content) == 0 {
		return nil
	}
	ct := r.Header.Get("Content-Type")
	if ct == "" && r.ContentLength == 0 {
		return nil
	}
	mt := "application/json"
	if ct != "" {
		var err error
		if mt, _, err = mime.ParseMediaType(ct); err != nil {
			mt = ct
		}
	}
	allowed := make([]string, 0, len(rb.Value.Content))
	declaredTypes := append([]string(nil), alsoConsumed[route.Operation.OperationID]...)
	for declared := range rb.Value.Content {
		declaredTypes = append(declaredTypes, declared)
	}
	for _, declared := range declaredTypes {
		if strings.EqualFold(declared, mt) {
			return nil
		}
		allowed = append(allowed, declared)
	}
	sort.Strings(allowed)
	msg := fmt.Sprintf("Content Type [%s] not allowed. Allowed types: [%s]", mt, strings.Join(allowed, ", "))
	return &apiError{status: 415, message: "Unsupported Media Type: " + msg, slug: "unsupported-media-type", detail: msg}
}
