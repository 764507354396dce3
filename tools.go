//go:build tools

// Package tools pins the code generator used by gen.go, so that `go generate`
// runs the exact oapi-codegen version recorded in go.mod.
package tools

import (
	_ "github.com/oapi-codegen/oapi-codegen/v2/cmd/oapi-codegen"
)
