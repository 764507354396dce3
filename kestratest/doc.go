// Package kestratest is an in-process, Kestra-compatible HTTP server for
// tests, examples and quick starts: what net/http/httptest is to HTTP, this
// package is to the Kestra API.
//
// IT IS A TEST DOUBLE, not a Kestra server. It speaks the routes, parameters,
// bodies, status codes, error bodies and event streams of the real server
// (as described by the project's OpenAPI document, package api) for the
// operations listed below, and runs a small, documented subset of Kestra
// task types. Anything else answers 501 Not Implemented.
//
// Work in progress: see the detailed documentation below once complete.
package kestratest
