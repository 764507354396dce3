// Package kestratest is an in-process, Kestra-compatible HTTP server for
// tests, examples and quick starts: what net/http/httptest is to HTTP, this
// package is to the Kestra API.
//
// IT IS A TEST DOUBLE, NOT A KESTRA SERVER. It answers the routes of the
// project's OpenAPI document (package api, generated from openapi/kestra.yml)
// with the parameters, bodies, status codes, error bodies and event streams
// of a real server, keeps everything in memory, and runs a small subset of
// Kestra task types. Use it to test code that talks to Kestra; use a real
// Kestra to test flows.
//
//	srv := kestratest.NewServer(kestratest.WithFlows(flowYAML))
//	defer srv.Close()
//	client, _ := api.NewClientWithResponses(srv.URL)
//
// The server listens on a random 127.0.0.1 port, with no authentication and
// the single tenant "main" unless options say otherwise ([WithBasicAuth],
// [WithBearerToken], [WithTenants], [WithLegacyRoutes], [WithProblemDetails],
// [WithFlows], [WithLogger], [WithAddr], [WithUnknownExecutionCut],
// [WithResponseValidation], [WithVersion]). The command
// cmd/kestra-dev-server runs it as a standalone program.
//
// # What a request goes through
//
// In order, as a real server and the network in front of it would: the
// legacy no-tenant rewrite ([WithLegacyRoutes]: /api/v1/executions/... is
// served as /api/v1/main/executions/..., like the 0.23 compatibility layer);
// request counting per operationId ([Server.RequestCount]); injected faults
// ([Server.InjectFault]); authentication (401 with `WWW-Authenticate: Basic`
// and, as on 1.x servers, an empty body; a problem body with
// [WithProblemDetails]; GET /api/v1/configs and webhooks stay open); the
// tenant check (400 "Bad Request: Tenant must be 'main' for OSS version" for
// a tenant not served); the body size limit (413 "Request Entity Too Large:
// ..." for a body over [WithMaxRequestSize], default
// [DefaultMaxRequestSize], whether its length is declared or found while
// reading; never a silent cut); the content type (415 "Unsupported Media
// Type: Content Type [x] not allowed. Allowed types: [...]" unless the
// operation consumes it: flows only application/x-yaml, KV values
// text/plain or application/json, namespace files and inputs
// multipart/form-data; a body without Content-Type counts as JSON, as in
// Micronaut); validation of the request against the OpenAPI document with
// kin-openapi (a parameter that does not convert is 422 "Failed to convert
// argument [name] for value [value]", a missing required one 400, an
// unknown route 404 with `X-Kestra-Edition: OSS`); then the operation.
//
// Errors are 1.x bodies `{"message": "<Reason>: <detail>", "_links": ...}`
// whose reason is the one the server's ErrorController puts for the
// exception it throws: "Not Found: Requested Flow is not found.",
// "Illegal argument: ..." (IllegalArgumentException: system labels, KV
// keys and values, file paths, a search whose start date is after its end
// date), "Unprocessable Entity: ..." (label query values, sort
// parameters), "Illegal state: ..." (409), "Internal server error: ..." (an
// unmapped exception, such as a ttl header Duration.parse refuses)
// (with `_embedded.errors` for validation errors) or, with
// [WithProblemDetails], RFC 9457 `application/problem+json` bodies as Kestra
// 2.0 sends them (type https://kestra.io/docs/api-reference/problems/<slug>,
// title, status, detail, instance, errors).
//
// # Operations
//
// Every operation of the document (167, see [Operations]) is served; every
// method of the generated server interface is written out (no embedded
// interface), so an operation added to the document does not build until
// it is handled. By tag:
//
//   - configuration: getConfiguration (version [Version], edition OSS).
//   - flows (every flow carries the 2.0 `draft`; createFlow and updateFlow
//     take ?draft=true, and executions started without a revision skip
//     draft revisions): create, update, get (source, revision,
//     allowDeleted), delete, list by namespace, search (page, size, sort,
//     filters[namespace|flowId|labels|q][OP]), search by source code,
//     revisions (list, delete), updateFlowsInNamespace and bulkUpdateFlows
//     (delete=true by default), validate flows, tasks and triggers (unknown
//     types are warnings), enable/disable/delete by ids and by query,
//     export (ZIP by ids or query, CSV), import (YAML or ZIP), distinct
//     namespaces, deprecated task names (the io.kestra.core.tasks.*
//     aliases), graph (from a flow or a source), dependencies (Subflow
//     tasks), the task of a flow, expressions (what a task's templates can
//     read).
//   - executions: create (multipart inputs, FILE parts, labels, wait,
//     revision, scheduleDate, kind), get, delete, search (filters on
//     namespace, flowId, state, labels — filters[labels][EQUALS][key]=value
//     —, executionId, kind, q, startDate, endDate, timeRange, and the legacy
//     flat parameters), by flow, latest, distinct field values, CSV export,
//     follow (and follow-dependencies), kill, pause, resume (a Pause task's
//     onResume inputs are validated, 422 for a bad one, and become its
//     outputs.onResume; resume validation answers them), replay (with or
//     without new inputs; not from a task run: 501), restart (from the
//     first FAILED or KILLED task), labels, change status, task run state
//     change, force-run and unqueue (see concurrency limits), eval
//     (execution and task run), the execution's flow and graph, its
//     kestra:// files (download, metadata, preview), task outputs, and every
//     bulk action by ids (an id that does not qualify is a 400
//     BulkErrorResponse, nothing done) and by query (the matching
//     executions that qualify; a flat 1.x filter parameter is a 400 there,
//     as LegacyQueryParameterFilter answers, except in 1.x mode), answering
//     the 1.x count and the 2.0
//     AsyncOperation fields after doing the work; webhooks (GET, POST, PUT,
//     with or without a path; the body, headers and query are
//     {{ trigger.body }}, {{ trigger.headers }}, {{ trigger.parameters }}).
//   - concurrency limits: a flow's `concurrency: {limit, behavior}` queues
//     (QUEUED), cancels or fails the executions beyond the limit;
//     searchConcurrencyLimits and updateConcurrencyLimit read and set the
//     running counters.
//   - triggers: the states of the triggers the live flows declare, as data
//     (no scheduler fires them): search, search for a flow, disable (one,
//     by ids, by query), restart, unlock (nothing is ever locked: 409),
//     delete (back to the declared state; by ids, by body filters), CSV
//     export, and backfills of Schedule triggers (create, pause, unpause,
//     delete; one, by ids, by query; no execution is started for them).
//   - logs: list, download, follow (these three also read the 1.x
//     minLevel, taskId, taskRunId, attempt parameters and
//     filters[level|taskId]), search, delete by execution and by flow. Log
//     timestamps have millisecond precision, as Logback events.
//   - KV store: setKeyValue (the body is read as the server reads it, as
//     the first Ion value of the text: JSON as it is, a bare word such as
//     hello as the STRING "hello", but also hello world as "hello" and
//     my-value as "my"; send JSON. `ttl` and `description` headers),
//     getKeyValue (404 missing, 410 expired), deleteKeyValue (true/false),
//     deleteKeyValues, listAllKeys (filters[namespace|q|updated]),
//     listKeysWithInheritence.
//   - namespaces and their files: search, get (the namespaces of flows, KV
//     and files, and their parents), autocomplete, inherited secrets (none:
//     open source secrets come from the server's environment); files
//     create, read, list, mkdir, stats, search, move, delete, revisions (a
//     count of writes; older contents are not kept), ZIP export. A path
//     with ".." is refused (422), "/" is no file, a file never replaces a
//     directory nor becomes one, moving onto an existing entry is the
//     server's 500.
//   - metrics: names and aggregations of a flow or task (empty: the
//     emulated tasks emit none), searchByExecution (empty).
//   - outputs: getTaskRunOutputs.
//
// The operations the document marks Enterprise Edition only (namespace
// create/update/delete, inherited variables, credentials, secrets writes,
// policy preview) answer as an open source server does, before reading
// the request: 404 with X-Kestra-Edition: OSS, or 405 where the path
// exists for another method.
//
// Answered 501 Not Implemented (naming the operation and the reason): a
// replay from a task run (replayExecution and replayExecutionWithinputs
// with taskRunId). No whole operation is 501.
//
// # Executions and tasks
//
// An execution goes CREATED → RUNNING → a terminal state (SUCCESS, WARNING,
// FAILED, KILLED), through PAUSED when a pause task runs and KILLING when
// killed, with state histories, start and end dates and ISO-8601 durations
// filled in as the server does (endDate also while PAUSED). Task runs have
// the same states and one attempt. Tasks run in order in a goroutine per
// execution; a failed task ends the execution FAILED (WARNING with
// `allowFailure: true`); `disabled: true` tasks are skipped. Flow-level
// `outputs` are rendered at the end into the execution's outputs.
// createExecution without wait, the replays, restarts and webhooks answer
// the execution as it was created (CREATED, RESTARTED...), as the server
// does, however far its run got since.
//
// Task types run ([SupportedTaskTypes]; the pre-0.17 io.kestra.core.tasks.*
// names are accepted as aliases):
//
//   - io.kestra.plugin.core.log.Log: message (a string or a list), level.
//   - io.kestra.plugin.core.output.OutputValues: values (outputs.values).
//   - io.kestra.plugin.core.debug.Return: format (outputs.value).
//   - io.kestra.plugin.core.flow.Sleep: duration (ISO-8601).
//   - io.kestra.plugin.core.flow.Pause: PAUSED until resumed through the API,
//     or for pauseDuration (older: delay, timeout) then RUNNING again.
//   - io.kestra.plugin.core.execution.Fail: errorMessage (logged at ERROR),
//     condition.
//
// Any other type fails its execution with an ERROR log line naming the task
// and the type. A flow can instead be bound to Go code with [Server.BindFlow]:
// its [RunFunc] logs, sets outputs, pauses and chooses the final state.
//
// Property values are rendered with pongo2 (Django/Jinja syntax), close to
// Kestra's Pebble for the common subset: variables {{ inputs.x }},
// {{ outputs.task.values.key }}, {{ outputs.task.value }},
// {{ execution.id }}, {{ execution.startDate }}, {{ flow.id }},
// {{ flow.namespace }}, {{ flow.revision }}, {{ labels.key }},
// {{ vars.x }} (flow variables), {{ trigger.body }} (webhooks);
// {% if %} and {% for %}; filters such as
// upper, lower, default, length, join, trim. Pebble-only functions and
// filters (json, now(), render(), secret(), kv()...) are a rendering error
// that fails the task. Numbers and booleans from inputs, outputs and
// trigger variables print as Pebble prints them (1.5, 7, true), lists and
// maps print as compact JSON as Kestra's output writer prints them (keys
// sorted, where Kestra keeps their order), but the result of float
// arithmetic prints as pongo2 does (3.000000).
//
// Inputs are validated and converted as FlowInputOutput does: STRING,
// EMAIL, SECRET as text; SELECT/ENUM against their values; INT as
// Integer.valueOf (32 bits); FLOAT; BOOLEAN/BOOL (only "true", any case, is
// true); DATETIME (ISO-8601, normalised to UTC); DATE; TIME; DURATION; JSON;
// YAML; ARRAY and MULTISELECT as JSON array text (items converted by
// itemType); URI; FILE as a file part (stored, value
// kestra:///<namespace path>/<flow>/executions/<id>/inputs/<input>/<file>) or
// a kestra://, nsfile://, http(s):// URI. As in Kestra an input is required
// unless `required: false` or it has defaults; the old `name` key is read as
// the id. A missing or unconvertible input is 422 "Invalid entity: Missing
// required input:<id>" / "Invalid value for input `<id>`. Cause: <Java
// message>"; an undeclared input is ignored with a WARN line in the
// execution's logs; the deprecated `files` part form is accepted with a
// warning. Labels from `labels=key:value` follow the newest server's rules
// (split on the first ':', trimmed, 422 for an empty part, whitespace in
// the key, duplicate keys, or a system. key other than system.correlationId
// and system.from); flow labels are copied onto the execution.
//
// # Event streams
//
// followExecution sends `id: start` with a placeholder execution, then
// `id: progress` with the full execution at subscription and after every
// change, then `id: end` with the final execution and completes the
// response; an execution that has already ended gets start then end. An
// unknown execution gets 200 and start, then the connection is cut (the
// chunked body ends without its terminator) after [WithUnknownExecutionCut]
// (200 ms by default; the real server polls for 10 s). followLogsFromExecution
// sends start with an empty entry, every stored line, then new lines, and
// never ends by itself. Events carry only `id:` and one `data:` line, no
// heartbeat. Slow readers never block the engine (queues are unbounded).
//
// # Faults and observation
//
// [Server.InjectFault] queues faults for the next matching requests (by
// operationId or any): a status with optional Retry-After, a hang until the
// client gives up, a TCP reset, a status sent after the request was really
// handled (the duplicate-creation case), or an event stream cut after N
// events. [Server.RequestCount] and [Server.ResetCounts] observe how many
// calls a client made; [Server.Executions] and [Server.WaitIdle] help
// assertions.
//
// # How it is built
//
// Arrows point one way, from the HTTP front down to the data:
//
//   - HTTP front and middleware (front.go, options.go, faults.go, body.go):
//     routing, tenants, authentication, request validation against the
//     spec, body limits, fault injection.
//   - Handlers (executions*.go, flows*.go, triggers.go, kv.go, logs.go,
//     namespaces*.go...): read a request, call the engine or the store,
//     write the answer (answers.go). errors.go is the one place an error
//     becomes the server's status, reason prefix and problem type
//     (answerOf); handlers pass any error to writeError.
//   - Engine (engine.go, inputs.go, concurrency.go, execution_state.go,
//     trigger_state.go): runs executions and changes states; it returns
//     domain errors (internal/domain: not found, conflict, invalid
//     argument, invalid entity, precondition, expired, unavailable), never
//     an HTTP status.
//   - Store: internal/store holds data as plain values behind their own
//     locks (today the KV store); store.go holds the rest of a tenant's
//     data (flows, executions, logs, files, trigger states), still in this
//     package.
//   - Flow model: internal/flowdef parses flow YAML (no HTTP); a source
//     that is not a flow is a flowdef.InvalidError, answered 422.
//
// No engine, store or flow-model file imports net/http.
//
// # How it differs from a real server
//
//   - Everything is in memory and lost at Close; there is no scheduler,
//     worker, subflow, flowable task (Parallel, ForEach, If, Switch...),
//     errors/finally branch, retry, debug breakpoint or plugin; triggers
//     are data, and of them only Webhook starts executions (on request);
//     backfills start none. Executions start at once (or QUEUED by a
//     concurrency limit).
//   - Flows are parsed for what the engine needs (id, namespace, inputs,
//     tasks, outputs, labels, disabled); plugin properties are not
//     validated and unknown task types are accepted at deploy time (they
//     fail at run time), where a server refuses such flows with 422.
//   - Every execution created without one gets system.correlationId=<its
//     id>, as on the server (a replay keeps its original's and gets
//     system.replay=true); newer servers' system.from=api is not added.
//   - Message texts of some errors (unknown execution, KV errors, bulk
//     errors) are approximations; statuses and body shapes follow the server.
//     Creating an existing flow is 422 (409 with problem details).
//   - followExecution subscribes before reading the execution, so it cannot
//     miss the end as the real server can.
//   - Authentication accepts exactly the configured credentials, by header
//     only: no cookies, CSRF, login or user management.
//   - Search answers 2.0 light executions (no taskRunList).
//   - Bulk actions are done before the answer, which carries both the 1.x
//     count and the 2.0 AsyncOperation fields.
//   - Bodies over [WithMaxRequestSize] (64 MiB by default) are 413; a real
//     server accepts up to 10 GB.
//   - Templates use pongo2, not Pebble (see above).
//   - A search filter on a field its resource does not take is a 400, as
//     on the server (api.Filters.Validate holds the server's tables), but
//     searchNamespaces checks no field: it reads filters[q], which the
//     tables do not list for namespaces.
package kestratest
