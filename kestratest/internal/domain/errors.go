// Package domain holds the errors kestratest's engine and data code
// return: what went wrong in the server's own terms (not found, conflict,
// invalid argument...), with no HTTP status. The HTTP layer of kestratest
// maps them, in one place, to the status and message the real server
// answers.
package domain

import "errors"

// Kind is the class of a domain error.
type Kind uint8

// The kinds, each with the server exception it stands for.
const (
	KindNotFound        Kind = iota + 1 // a missing resource (NoSuchElementException)
	KindConflict                        // a resource in the wrong state for the action (IllegalStateException)
	KindInvalidArgument                 // an argument refused (IllegalArgumentException)
	KindInvalidEntity                   // a request that fails validation, with its problems
	KindUnavailable                     // the server is closing
	KindExpired                         // a resource whose ttl has passed
	KindPrecondition                    // an action refused before it starts (the server's bad request)
)

// The sentinels errors.Is matches a domain error of each kind with.
var (
	ErrNotFound        = errors.New("not found")
	ErrConflict        = errors.New("conflict")
	ErrInvalidArgument = errors.New("invalid argument")
	ErrInvalidEntity   = errors.New("invalid entity")
	ErrUnavailable     = errors.New("unavailable")
	ErrExpired         = errors.New("expired")
	ErrPrecondition    = errors.New("precondition failed")
)

var sentinels = map[Kind]error{
	KindNotFound: ErrNotFound, KindConflict: ErrConflict, KindInvalidArgument: ErrInvalidArgument,
	KindInvalidEntity: ErrInvalidEntity, KindUnavailable: ErrUnavailable, KindExpired: ErrExpired,
	KindPrecondition: ErrPrecondition,
}

// Problem is one violation of an invalid entity: its message and where
// it is (a JSON pointer and Kestra's dotted path).
type Problem struct {
	Detail, Pointer, Path string
}

// Error is a domain error: its kind, the server's message for it (without
// the reason prefix the HTTP layer adds) and, for an invalid entity, its
// problems.
type Error struct {
	Kind     Kind
	Message  string
	Problems []Problem
}

func (e *Error) Error() string { return sentinels[e.Kind].Error() + ": " + e.Message }

// Unwrap returns the sentinel of the error's kind.
func (e *Error) Unwrap() error { return sentinels[e.Kind] }

// NotFound reports a missing resource.
func NotFound(msg string) error { return &Error{Kind: KindNotFound, Message: msg} }

// Conflict reports a resource whose state forbids the action.
func Conflict(msg string) error { return &Error{Kind: KindConflict, Message: msg} }

// InvalidArgument reports an argument the server refuses.
func InvalidArgument(msg string) error { return &Error{Kind: KindInvalidArgument, Message: msg} }

// InvalidEntity reports a request that fails validation; msg is the
// problems' details joined as the server joins them.
func InvalidEntity(msg string, problems []Problem) error {
	return &Error{Kind: KindInvalidEntity, Message: msg, Problems: problems}
}

// Unavailable reports a server that cannot take the action now.
func Unavailable(msg string) error { return &Error{Kind: KindUnavailable, Message: msg} }

// Expired reports a resource whose time to live has passed.
func Expired(msg string) error { return &Error{Kind: KindExpired, Message: msg} }

// Precondition reports an action the server refuses before starting it
// because the resource is not ready (answered as a bad request).
func Precondition(msg string) error { return &Error{Kind: KindPrecondition, Message: msg} }
