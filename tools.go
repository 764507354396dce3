//go:build tools

// This file pins the code generator used by gen.go, so that `go generate`
// runs the exact oapi-codegen version recorded in go.mod. The tools build tag
// keeps it out of every build.
package kestra

import (
	_ "github.com/oapi-codegen/oapi-codegen/v2/cmd/oapi-codegen"
)
