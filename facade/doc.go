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
// Beyond run-and-wait: Wait follows an execution started earlier; Kill,
// Pause, Resume, Restart, Replay, SetLabels, ChangeStatus, Unqueue and
// ForceRun act on executions of 1.x and 2.0 servers; ExecutionURL links to
// one in the UI; Deploy, SearchExecutions, LatestExecution, Logs, SetKV,
// GetKV (KV), DeleteKV, UploadFile and DownloadFile do the common tasks in
// one call each; API gives the generated client for the
// rest, with the same retries, and ResponseError types its answers.
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
// execution that ends within the guard interval. Wait does the same for an
// execution started earlier (two requests). The stream is trusted only as
// far as it proves itself: an `end` event counts only for this execution and
// with an ended state (otherwise the status is read), events of other
// executions and events cut before their blank line are dropped. If the
// stream is unavailable, fails, drops, or has not even sent its headers
// after PollInterval, the status (only the status) is read every
// PollInterval, and the stream is opened again once the server answers.
// While the stream works, a status read after the guard interval
// (WithGuardInterval, default 10 s), then after delays doubling up to 5
// minutes, covers a race in the server, which reads the state before
// subscribing the stream: a 1-minute run costs 5 requests, a 1-hour run 18
// (the Python client: 7,200). An execution has ended when its state is one
// of the server's terminal states (IsTerminal); PAUSED keeps waiting. The
// context bounds every wait and every retry delay; when it ends, the Result
// holds the last state seen.
//
// WithLogHandler streams the log lines live while waiting (the server's log
// stream never ends by itself; the facade closes it when the execution
// ends). WithStateHandler reports every state transition, once, in order;
// WithProgressHandler reports the state and the running tasks whenever they
// change (a progress display).
//
// # Retries
//
// Every request goes through one retrying client, also used by the client
// f.API() returns. Reads and the actions that are the same when sent twice
// (GET, PUT, DELETE; kill, pause, labels, change-status, unqueue, force-run)
// are retried when the RetryDecision says so (DefaultRetryDecision: 408,
// 429, 500, 502, 503, 504 and transport failures; replace it with
// WithRetryDecision). Other requests (resume, restart, replay, POSTs of
// f.API()) are resent only when they provably never left the client or were
// answered 429. Delays grow exponentially from 200 ms to 10 s with ±20%
// jitter (github.com/sethvargo/go-retry); retries stop after
// DefaultMaxAttempts tries, or when the next delay would end more than the
// retry window (WithRetryWindow, default 2 minutes) after the first failure
// or after the context's deadline: with the defaults a call rides out a
// one-minute outage of 503s, resets or refused connections. A Retry-After
// header (seconds or HTTP date) lengthens a delay to what the server asked,
// capped at DefaultMaxRetryAfter (1 minute, WithMaxRetryAfter), so that
// `Retry-After: 86400` does not sleep a day. A body that does not decode is
// not retried; a 401 never is (it matches ErrUnauthorized and says which
// credentials were sent, never their values). When the retries run out, the
// error matches ErrFailedExponentialBackoff and wraps the last failure.
// WithRetryNotify announces each retry (of any request or create) before its
// delay.
//
// # Execution actions on 1.x and 2.0 servers
//
// Kill, Pause, Resume, Restart, Replay, SetLabels, ChangeStatus, Unqueue and
// ForceRun use the routes of the server's generation: 1.x servers have
// .../executions/{id}/kill, 2.0 servers .../executions/{id}/actions/kill.
// The generation is read once per Flow from GET /api/v1/configs (its
// version), or, when that says nothing, learnt from the first action whose
// 2.0 route answers 404 while the 1.x route does not. WithMajorVersion
// forces it.
//
// # Credentials stay at the configured origin
//
// Credentials are sent as the Authorization header only. A redirect to
// another scheme, host or port is followed without it (net/http alone keeps
// it for the same host on another port), and a redirect from https to http
// is refused (ErrInsecureRedirect), so the token never travels in clear
// text. Credentials written in the hostname URL are used as basic auth and
// never sent in a URL. Every error the package returns is redacted: the
// password, the token and the base64 basic credentials are replaced by ***,
// wherever a server echoed them.
//
// # The create rule (no duplicate executions)
//
// Creating an execution is not idempotent, so the client never resends a
// create that may have started the flow. Each create carries the label
// system.correlationId=<random UUID> (Kestra allows this one system label
// from clients; the same value is kept across attempts). Each attempt ends
// in one of four ways:
//
//  1. Created: a 200 with a readable execution of the requested flow and a
//     usable id.
//  2. Refused: any other answer but 408, 429, 500, 502, 503 and 504 (e.g.
//     401, 404, 409, 422) is returned at once: nothing was created.
//  3. Not received: the transport failed before the request headers were
//     written (dial error, refused connection, DNS or TLS failure, a reused
//     connection found closed), or the server answered 429. Nothing was
//     created: the create is resent after the backoff delay.
//  4. Ambiguous: a 408 or 5xx answer, a failure after the headers were
//     written, or an unreadable 200 (a body cut short, null, {}, an empty,
//     "." or ".." id). The client searches the flow's executions for its
//     correlation label several times, at delays doubling from 200 ms, until
//     the lookup window (WithCreateLookupWindow, default 5 s) has passed
//     since the failure, because a search index may lag (Enterprise servers
//     index in 1 s batches). Found: Execute continues with it. Absent after
//     the whole window: nothing was created, and the create is resent. A
//     search that fails, or a context that ends, gives a
//     *CreateOutcomeUnknownError (errors.Is ErrCreateOutcomeUnknown)
//     carrying the correlation id so that the caller can look later.
//
// When the attempts run out after a create that provably created nothing,
// the error matches ErrFailedExponentialBackoff. Limits of the proof: the
// window must be longer than the server's index lag, and a request a proxy
// timed out may still be running on the server after the window (a retry
// reuses the correlation id, so such a duplicate can be found by that
// label). WithCorrelationLabel(false) turns outcome 4 into an immediate
// ErrCreateOutcomeUnknown. A file input whose reader was already (partly)
// sent is resent only if the reader is an io.Seeker.
//
// # Errors
//
// HTTP failures are *APIError values with the status code and the server's
// message, read from the 1.x {"message": ...} body or the 2.0 RFC 9457
// application/problem+json body (Type, Title, Detail, Instance).
// f.ResponseError turns any response of the generated client into the same
// error. Errors never contain the credentials. A non-success end of an execution is not an
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
