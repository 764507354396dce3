package facade

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Sentinel errors callers branch on with errors.Is.
var (
	// ErrFailedExponentialBackoff is wrapped by the error returned when a
	// retried call failed on every allowed attempt (the Python client's
	// FailedExponentialBackoff). The same error also wraps the last failure,
	// so errors.As(err, &apiErr) still finds the last *APIError.
	ErrFailedExponentialBackoff = errors.New("gave up after exponential backoff")

	// ErrCreateOutcomeUnknown is wrapped by a *CreateOutcomeUnknownError: a
	// create request may have reached the server, and the client could not
	// prove whether an execution was created. It is never retried blindly,
	// because a retry could start the flow twice.
	ErrCreateOutcomeUnknown = errors.New("outcome of the execution create is unknown")

	// ErrUnauthorized matches (errors.Is) an *APIError with status 401: the
	// server refused the credentials (or got none). It is never retried.
	ErrUnauthorized = errors.New("authentication failed")

	// ErrForbidden matches an *APIError with status 403.
	ErrForbidden = errors.New("forbidden")

	// ErrNotFound matches an *APIError with status 404 (unknown flow,
	// execution, or a route this server does not have).
	ErrNotFound = errors.New("not found")

	// ErrConflict matches an *APIError with status 409 (for example a
	// disabled flow on 1.x servers).
	ErrConflict = errors.New("conflict")

	// ErrInvalid matches an *APIError with status 422 (for example a missing
	// or malformed input, or a bad label).
	ErrInvalid = errors.New("invalid request")

	// ErrInvalidID is wrapped by the error of a call given an identifier
	// (namespace, flow or execution id) that cannot be sent: empty, "." or
	// "..". No request is made.
	ErrInvalidID = errors.New("invalid identifier")
)

// APIError is an HTTP error answered by the Kestra server (or a proxy in
// front of it). It is read from either error format: the `{"message": ...}`
// body of 1.x servers, or the RFC 9457 application/problem+json body of 2.0
// servers (then Type, Title, Detail and Instance are set too). It never
// carries request headers, so it holds no credentials.
//
// errors.Is(err, ErrUnauthorized) is true for a 401, and likewise
// ErrForbidden (403), ErrNotFound (404), ErrConflict (409), ErrInvalid (422).
type APIError struct {
	// Operation is the API operation id, e.g. "createExecution".
	Operation string
	// StatusCode is the HTTP status.
	StatusCode int
	// Message is the server's message: `message` (1.x), else the problem's
	// detail or title (2.0), else the start of a plain-text body, else the
	// status text.
	Message string
	// Problem details (2.0 servers only).
	Type, Title, Detail, Instance string
	// Errors lists per-field validation messages when the server gave some
	// (1.x `_embedded.errors`, 2.0 `errors`), each as "path: message".
	Errors []string
	// RetryAfter is the delay the server asked for with Retry-After (0 when
	// absent or unparsable).
	RetryAfter time.Duration
	// Credentials, on a 401, says which kind of credentials the request
	// carried and which settings or environment variables set them (never
	// their values), e.g. "basic auth (user and password from KESTRA_USER
	// and KESTRA_PASSWORD)".
	Credentials string
}

// Error implements error: "HTTP <status>: <message>[; <field error>...]".
// Callers' wrapping adds the operation and the resource.
func (e *APIError) Error() string {
	var b strings.Builder
	b.WriteString("HTTP ")
	b.WriteString(strconv.Itoa(e.StatusCode))
	if e.Message != "" {
		b.WriteString(": ")
		b.WriteString(e.Message)
	}
	for _, fe := range e.Errors {
		if !strings.Contains(e.Message, fe) {
			b.WriteString("; ")
			b.WriteString(fe)
		}
	}
	if e.Credentials != "" {
		b.WriteString(" (sent ")
		b.WriteString(e.Credentials)
		b.WriteString(")")
	}
	return b.String()
}

// Is reports whether the status code matches one of the sentinel errors.
func (e *APIError) Is(target error) bool {
	switch target {
	case ErrUnauthorized:
		return e.StatusCode == http.StatusUnauthorized
	case ErrForbidden:
		return e.StatusCode == http.StatusForbidden
	case ErrNotFound:
		return e.StatusCode == http.StatusNotFound
	case ErrConflict:
		return e.StatusCode == http.StatusConflict
	case ErrInvalid:
		return e.StatusCode == http.StatusUnprocessableEntity
	}
	return false
}

// maxMessage bounds how much of an unstructured error body goes into an
// APIError, so a proxy's HTML page does not flood logs.
const maxMessage = 512

// newAPIError reads an error answer. body is the (possibly truncated) body.
func newAPIError(op string, h http.Header, status int, body []byte, now time.Time) *APIError {
	e := &APIError{Operation: op, StatusCode: status, RetryAfter: parseRetryAfter(h.Get("Retry-After"), now)}
	mt, _, _ := mime.ParseMediaType(h.Get("Content-Type"))
	body = bytes.TrimSpace(body)
	if mt == "application/problem+json" || (len(body) > 0 && body[0] == '{') {
		var p struct {
			Type     string `json:"type"`
			Title    string `json:"title"`
			Detail   string `json:"detail"`
			Instance string `json:"instance"`
			Message  string `json:"message"`
			Errors   []struct {
				Detail  string `json:"detail"`
				Message string `json:"message"`
				Path    string `json:"path"`
				Pointer string `json:"pointer"`
			} `json:"errors"`
			Embedded struct {
				Errors []struct {
					Message string `json:"message"`
					Path    string `json:"path"`
				} `json:"errors"`
			} `json:"_embedded"`
		}
		if json.Unmarshal(body, &p) == nil {
			e.Type, e.Title, e.Detail, e.Instance = p.Type, p.Title, p.Detail, p.Instance
			switch {
			case p.Message != "":
				e.Message = p.Message
			case p.Detail != "":
				e.Message = p.Detail
			case p.Title != "":
				e.Message = p.Title
			}
			for _, fe := range p.Errors {
				msg := fe.Detail
				if msg == "" {
					msg = fe.Message
				}
				path := fe.Path
				if path == "" {
					path = fe.Pointer
				}
				if msg != "" {
					e.Errors = append(e.Errors, joinPath(path, msg))
				}
			}
			for _, fe := range p.Embedded.Errors {
				if fe.Message != "" {
					e.Errors = append(e.Errors, joinPath(fe.Path, fe.Message))
				}
			}
			if e.Message == "" && len(e.Errors) > 0 {
				e.Message = http.StatusText(status)
			}
			if e.Message != "" {
				return e
			}
		}
	}
	if len(body) > 0 && utf8.Valid(body) && !looksLikeHTML(body) {
		msg := string(body)
		if len(msg) > maxMessage {
			msg = msg[:maxMessage] + "…"
		}
		e.Message = msg
	}
	if e.Message == "" {
		e.Message = http.StatusText(status)
	}
	return e
}

func joinPath(path, msg string) string {
	if path == "" {
		return msg
	}
	return path + ": " + msg
}

func looksLikeHTML(b []byte) bool {
	return len(b) > 0 && b[0] == '<'
}

// parseRetryAfter reads a Retry-After value: delay-seconds or an HTTP-date.
func parseRetryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	if n, err := strconv.ParseInt(v, 10, 64); err == nil {
		if n <= 0 {
			return 0
		}
		const maxSeconds = int64(1<<63-1) / int64(time.Second)
		n = min(n, maxSeconds)
		return time.Duration(n) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil {
		if d := t.Sub(now); d > 0 {
			return d
		}
	}
	return 0
}

// CreateOutcomeUnknownError reports that a create request may have reached
// the server but the client could not prove whether an execution was created
// (see the package documentation for the exact rule). Callers can look for the
// execution themselves: it carries the label system.correlationId=CorrelationID.
// It matches ErrCreateOutcomeUnknown with errors.Is and unwraps to the failure
// that made the outcome unknown.
type CreateOutcomeUnknownError struct {
	Namespace, FlowID string
	// CorrelationID is the value of the system.correlationId label sent with
	// the create (empty when correlation labels are turned off).
	CorrelationID string
	// Err is the failure of the create request (and of the search that
	// followed it, when there was one).
	Err error
}

// Error implements error.
func (e *CreateOutcomeUnknownError) Error() string {
	s := fmt.Sprintf("create execution of %s/%s: %v", e.Namespace, e.FlowID, ErrCreateOutcomeUnknown)
	if e.CorrelationID != "" {
		s += " (look for label system.correlationId:" + e.CorrelationID + ")"
	}
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

// Unwrap returns ErrCreateOutcomeUnknown and the underlying failure.
func (e *CreateOutcomeUnknownError) Unwrap() []error {
	if e.Err == nil {
		return []error{ErrCreateOutcomeUnknown}
	}
	return []error{ErrCreateOutcomeUnknown, e.Err}
}

// ExecutionError is what Result.Err returns for an execution that did not end
// in SUCCESS or WARNING.
type ExecutionError struct {
	ExecutionID, Namespace, FlowID string
	// Status is the final state, e.g. "FAILED", "KILLED", "RETRIED".
	Status string
	// FailedTasks lists the ids of the task runs that ended FAILED or KILLED,
	// in run order.
	FailedTasks []string
	// ErrorLines are the execution's ERROR log lines, each "[taskId] message".
	ErrorLines []string
	// URL links to the execution in the Kestra UI, when known.
	URL string
}

// Error implements error.
func (e *ExecutionError) Error() string {
	return "execution " + e.ExecutionID + " of " + e.Namespace + "/" + e.FlowID + " " + describeFailure(e.Status, e.FailedTasks, e.ErrorLines)
}

func describeFailure(status string, tasks, lines []string) string {
	var b strings.Builder
	b.WriteString("ended ")
	b.WriteString(status)
	if len(tasks) > 0 {
		if len(tasks) == 1 {
			b.WriteString(": task ")
		} else {
			b.WriteString(": tasks ")
		}
		b.WriteString(strings.Join(tasks, ", "))
		b.WriteString(" failed")
	}
	if len(lines) > 0 {
		b.WriteString(": ")
		b.WriteString(strings.Join(lines, "; "))
	}
	return b.String()
}

// redactedError is a returned error whose text held a secret (a server or a
// library quoting what it received): its text is redacted, while errors.Is
// and errors.As still see the original chain.
type redactedError struct {
	msg string
	err error
}

func (e *redactedError) Error() string        { return e.msg }
func (e *redactedError) Is(target error) bool { return errors.Is(e.err, target) }
func (e *redactedError) As(target any) bool   { return errors.As(e.err, target) }

// RedactError returns err with the Flow's current secrets (password, token,
// base64 basic credentials) removed from its text; errors.Is and errors.As
// still see the original chain. The facade's own methods and the transport
// of f.API() already return redacted errors; use it for the decoding errors
// of the generated client (which may quote a value the server sent) before
// logging them.
func (f *Flow) RedactError(err error) error {
	c, serr := f.snapshot()
	if serr != nil {
		return err
	}
	return c.seal(err)
}

// seal is applied to every error a public method returns: an error whose
// text shows one of the call's secrets is replaced by its redacted form.
func (c *call) seal(err error) error {
	if err == nil {
		return nil
	}
	msg := err.Error()
	if red := c.redact(msg); red != msg {
		return &redactedError{msg: red, err: err}
	}
	return err
}

// credentialsSent describes the credentials a request carried and where
// they came from, for the message of a 401.
func (c *call) credentialsSent() string {
	env := c.set.env
	switch {
	case c.token != "" && c.token == env.token:
		return "a bearer token, from " + EnvAPIToken
	case c.token != "":
		return "a bearer token, set by WithAPIToken or Flow.APIToken"
	case c.user != "":
		s := "basic auth, "
		switch {
		case c.user == env.user && c.password == env.password:
			s += "user and password from " + EnvUser + " and " + EnvPassword
		case c.user == env.user:
			s += "user from " + EnvUser + ", password set by WithBasicAuth, Flow.Password or the hostname"
		default:
			s += "user and password set by WithBasicAuth, Flow.User/Flow.Password or the hostname"
		}
		if c.password == "" {
			s += "; the password is empty"
		}
		return s
	}
	return "no credentials: set " + EnvUser + " and " + EnvPassword + " (basic auth, open source), or " + EnvAPIToken + " (Enterprise)"
}
