// Package kestra is the root of kestra-go, a Go toolkit for Kestra, the
// open-source workflow orchestrator. It holds no code of its own; the module's
// packages are:
//
//   - api: the typed HTTP client (and server interface) generated from the
//     project's OpenAPI spec in openapi/
//   - facade: run a flow with inputs, wait, and get its status, logs, outputs
//     and error
//   - emitter: the ::{json}:: stdout protocol of programs running inside a
//     Kestra task
//   - ion: reading and writing the Amazon Ion files of Kestra's storage
//   - kestratest: an in-process, Kestra-compatible test server
package kestra
