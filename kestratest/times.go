package kestratest

import "github.com/kestra-go/kestra-go/internal/javatime"

// jtime is a time that marshals to JSON as a Java Instant string (the
// rules live in internal/javatime).
type jtime = javatime.Instant
