// Package facade runs a Kestra flow and gets its result in one call: the
// semantics of the Kestra Python client's Flow class (wait for completion,
// poll interval, labels from inputs, tenant, credentials from the
// environment, check_status, get_logs, retries ending in
// FailedExponentialBackoff), on top of the generated client in package api,
// without the Python client's defects.
//
//	f, err := facade.New()
//	res, err := f.Execute(ctx, "company.team", "myflow", map[string]any{
//		"param":  "value",
//		"myfile": facade.File{Name: "example.txt", Reader: fh, ContentType: "text/plain"},
//	})
//	fmt.Println(res.Status, res.Log, res.Error)
//
// # Settings
//
// New reads KESTRA_HOSTNAME (default http://localhost:8080), KESTRA_USER,
// KESTRA_PASSWORD, KESTRA_API_TOKEN and KESTRA_TENANT. Authentication is a
// bearer token when APIToken is set (Enterprise Edition), else basic auth when
// User is set (the open-source server requires it since 0.24), else none.
// The exported fields can be changed after New; each call reads them once
// when it starts.
//
// Routes are /api/v1/{tenant}/...; the tenant is Flow.Tenant, else
// KESTRA_TENANT, else "main" (the only tenant of the open-source edition).
// WithLegacyRoutes selects the old routes without tenant, for servers up to
// 0.22.
//
// # Waiting
//
// Execute creates the execution, then follows its server-sent event stream
// (one connection; the result arrives the moment the server ends the
// stream), and reads the logs once at the end: three requests per waited
// execution that ends within the guard interval. If the stream is
// unavailable, fails or drops, Execute polls the status (only the status)
// every PollInterval. While the stream works, a status read after the guard
// interval (WithGuardInterval, default 10 s), then after delays doubling up
// to 5 minutes, covers a race in the server, which reads the state before
// subscribing the stream: a 1-minute run costs 5 requests, a 1-hour run 18
// (the Python client: 7,200). An execution has ended when its state is one of the
// server's terminal states (IsTerminal); PAUSED keeps waiting. The context
// bounds every wait and every retry delay.
//
// WithLogHandler streams the log lines live while waiting (the server's log
// stream never ends by itself; the facade closes it when the execution ends).
//
// # Retries
//
// Reads (getExecution, logs, search) and kill are retried on 408, 429, 500,
// 502, 503 and 504 answers and on transport failures, with exponential
// backoff from github.com/sethvargo/go-retry (WithRetry: attempts, base,
// cap; ±20% jitter). A Retry-After header (seconds or HTTP date) lengthens
// the delay to what the server asked; a delay that would end after the
// context's deadline is not started. When the attempts run out, the error
// matches ErrFailedExponentialBackoff and wraps the last failure. A 401 is
// never retried: it matches ErrUnauthorized at once.
//
// # The create rule (no duplicate executions)
//
// Creating an execution is not idempotent, so the client never resends a
// create that may have started the flow. Each create carries the label
// system.correlationId=<random UUID> (Kestra allows this one system label
// from clients; the same value is kept across attempts). After a failure:
//
//  1. A definite answer (any status but 408, 429, 500, 502, 503, 504, e.g.
//     401, 404, 409, 422) is returned at once: the server refused it.
//  2. A transport failure before the request headers were written (the
//     httptrace WroteHeaders hook never fired: dial error, connection
//     refused, DNS failure, TLS handshake failure, or a reused connection
//     found closed before writing) provably did not reach the server: the
//     create is resent after the backoff delay. This is what "provably" means
//     with net/http: headers are written before any body byte, and a request
//     whose headers were not even serialised cannot have been received.
//  3. Anything else (a 408/429/5xx answer, a timeout or connection reset
//     after the headers were written, an unreadable 200) is ambiguous. After
//     the backoff delay the client searches the flow's executions for its
//     correlation label (searchExecutions with
//     filters[labels][EQUALS][system.correlationId]=<id>): if one is found,
//     Execute continues with it; if the search answers that there is none,
//     the create is resent; if the search fails, or the context has ended,
//     Execute returns a *CreateOutcomeUnknownError (errors.Is
//     ErrCreateOutcomeUnknown) carrying the correlation id so that the
//     caller can look for it later.
//  4. When the attempts run out after an ambiguous failure, one last search
//     decides between returning the found execution and
//     ErrFailedExponentialBackoff (provably nothing created).
//
// Limits of the proof: a search only sees executions the server has already
// indexed, and a request that a proxy timed out may still be in progress on
// the server when the search runs. The backoff delay before the search makes
// a miss unlikely, not impossible (a retry then reuses the same correlation
// id, so a duplicate can still be found by that label); WithCorrelationLabel(false) turns step 3 into an immediate
// ErrCreateOutcomeUnknown. A file input whose reader was already (partly)
// sent is resent only if the reader is an io.Seeker.
//
// # Errors
//
// HTTP failures are *APIError values with the status code and the server's
// message, read from the 1.x {"message": ...} body or the 2.0 RFC 9457
// application/problem+json body (Type, Title, Detail, Instance). Errors
// never contain the credentials. A non-success end of an execution is not an
// error of Execute: Result.Err turns it into an *ExecutionError with the
// status, the failing tasks and the ERROR log lines.
//
// # Differences from the Python client
//
// Tenant "main" by default instead of the legacy no-tenant routes;
// KESTRA_PASSWORD is read; list, map and struct inputs are sent as JSON
// text, not in the language's own notation; labels and path parameters are
// percent-encoded; RETRIED, SKIPPED and RESUBMITTED end a wait; Result.Error
// is filled; a create is resent only when it provably was not received or
// provably created nothing (the Python client resends any create answered
// 5xx); waiting uses the event stream instead of polling status and
// downloading the whole log every second.
package facade
