package facade

import (
	"io"
	"net/http"
	"reflect"
	"time"
)

// maxErrorBody bounds how much of an error answer is read.
const maxErrorBody = 64 << 10

// checkRaw turns a non-2xx raw response into an *APIError (closing it).
func (c *call) checkRaw(op string, resp *http.Response) error {
	if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		return nil
	}
	body, _ := io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
	resp.Body.Close()
	return c.apiError(op, resp, body)
}

// apiError builds the typed error of an answer, secrets removed.
func (c *call) apiError(op string, resp *http.Response, body []byte) *APIError {
	e := newAPIError(op, resp.Header, resp.StatusCode, body, time.Now())
	for _, s := range []*string{&e.Message, &e.Type, &e.Title, &e.Detail, &e.Instance} {
		*s = c.redact(*s)
	}
	for i := range e.Errors {
		e.Errors[i] = c.redact(e.Errors[i])
	}
	if resp.StatusCode == http.StatusUnauthorized {
		e.Credentials = c.credentialsSent()
	}
	return e
}

// ResponseError turns a response of the generated client (any
// *api.<Operation>Response, or an *http.Response) into the facade's typed
// error: nil for a 1xx, 2xx or 3xx answer, else an *APIError with the status,
// the server's message read from either error format (1.x {"message"} or
// 2.0 problem+json), the sentinels (ErrNotFound, ErrUnauthorized...), the
// credentials hint of a 401 and the Flow's secrets redacted. operation names
// the call in the error (e.g. "searchFlows"); it may be empty.
//
// It reads the response's HTTPResponse and Body fields, which every
// response type of package api has; for an *http.Response it reads (and
// closes) the body. A value of another type gives an error saying so.
func (f *Flow) ResponseError(operation string, resp any) error {
	c, err := f.snapshot()
	if err != nil {
		return err
	}
	hr, body, ok := responseParts(resp)
	if !ok {
		return &APIError{Operation: operation, Message: "facade: ResponseError needs a response of package api or an *http.Response"}
	}
	if hr.StatusCode < 400 {
		return nil
	}
	if body == nil && hr.Body != nil {
		body, _ = io.ReadAll(io.LimitReader(hr.Body, maxErrorBody))
		hr.Body.Close()
	}
	return c.apiError(operation, hr, body)
}

// responseParts finds the *http.Response and the read body of a generated
// response (fields HTTPResponse and Body).
func responseParts(resp any) (*http.Response, []byte, bool) {
	if hr, ok := resp.(*http.Response); ok {
		return hr, nil, hr != nil
	}
	v := reflect.ValueOf(resp)
	if v.Kind() != reflect.Pointer || v.IsNil() || v.Elem().Kind() != reflect.Struct {
		return nil, nil, false
	}
	v = v.Elem()
	hf, bf := v.FieldByName("HTTPResponse"), v.FieldByName("Body")
	if !hf.IsValid() || !bf.IsValid() {
		return nil, nil, false
	}
	hr, ok1 := hf.Interface().(*http.Response)
	body, ok2 := bf.Interface().([]byte)
	if !ok1 || !ok2 || hr == nil {
		return nil, nil, false
	}
	return hr, body, true
}
