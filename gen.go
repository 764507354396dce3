package kestra

// Regenerate package api from the project's OpenAPI document; tools.go pins
// this oapi-codegen version in go.mod.
//go:generate go run github.com/oapi-codegen/oapi-codegen/v2/cmd/oapi-codegen -config openapi/oapi-codegen.yaml openapi/kestra.yml
