// Package openapi holds kestra-go's own OpenAPI document for the Kestra HTTP
// API (kestra.yml), from which package api is generated, and exposes it to Go
// code, for instance to validate requests and responses with kin-openapi in
// tests.
package openapi

import _ "embed"

//go:embed kestra.yml
var spec []byte

// Spec returns the OpenAPI 3.0 document (YAML) that package api is generated
// from. Each call returns a fresh copy, so callers may modify it.
func Spec() []byte {
	return append([]byte(nil), spec...)
}
