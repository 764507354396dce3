package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"

	"github.com/kestra-go/kestra-go/facade"
)

// Exit codes: the user contract (README, --help).
const (
	exitOK          = 0
	exitExecution   = 1 // the execution ended otherwise than SUCCESS (WARNING with --strict)
	exitUsage       = 2
	exitServer      = 3
	exitTimeout     = 124 // as timeout(1)
	exitInterrupted = 130 // 128 + SIGINT, as shells report it
)

// exitError carries the exit code of a failure.
type exitError struct {
	code int
	err  error
	// silent: the message was already printed (as part of the result).
	silent bool
}

func (e *exitError) Error() string { return e.err.Error() }
func (e *exitError) Unwrap() error { return e.err }

// usagef is a usage error (exit 2) with a message naming the flag and the fix.
func usagef(format string, args ...any) error {
	return &exitError{code: exitUsage, err: fmt.Errorf(format, args...)}
}

// errTimeout is the cause of a context ended by --timeout.
var errTimeout = errors.New("--timeout reached")

// errInterrupted is the cause of a context ended by Ctrl-C (or SIGTERM).
var errInterrupted = errors.New("interrupted")

// exitCode maps an error to the exit code.
func exitCode(err error) int {
	var ex *exitError
	switch {
	case err == nil:
		return exitOK
	case errors.As(err, &ex):
		return ex.code
	case errors.Is(err, errTimeout):
		return exitTimeout
	case errors.Is(err, errInterrupted):
		return exitInterrupted
	case errors.Is(err, facade.ErrInvalidID):
		return exitUsage // an id that cannot be sent (empty, "."), no request made
	}
	return exitServer
}

// describe turns an error into the message the user reads: what failed and,
// for the common causes, how to fix it.
func (a *app) describe(err error) string {
	msg := err.Error()
	var dnsErr *net.DNSError
	var opErr *net.OpError
	var urlErr *url.Error
	switch {
	case errors.Is(err, facade.ErrUnauthorized):
		// The facade's hint knows variables, not flags: this one knows both.
		var ae *facade.APIError
		if errors.As(err, &ae) && ae.Credentials != "" {
			msg = strings.Replace(msg, " (sent "+ae.Credentials+")", "", 1)
		}
		return msg + "\n  the server at " + a.conn.serverURL() + " refused the request, which carried " + a.conn.credentialsUsed() +
			"\n  fix: set --user and --password (KESTRA_USER, KESTRA_PASSWORD), or --token (KESTRA_API_TOKEN) on Enterprise Edition"
	case errors.Is(err, facade.ErrForbidden):
		return msg + "\n  the credentials (" + a.conn.credentialsUsed() + ") lack the permission for this"
	case errors.As(err, &dnsErr), errors.As(err, &opErr) && opErr.Op == "dial":
		return msg + "\n  could not reach the Kestra server at " + a.conn.serverURL() + " (from " + a.conn.server.sourceOrDefault() + ")" +
			"\n  fix: start the server, or set --server or KESTRA_HOSTNAME to its base URL"
	case errors.As(err, &urlErr) && strings.Contains(msg, "http: server gave HTTP response to HTTPS client"):
		return msg + "\n  fix: the server speaks http, not https: change " + a.conn.server.sourceOrDefault()
	case errors.Is(err, facade.ErrCreateOutcomeUnknown):
		var ce *facade.CreateOutcomeUnknownError
		if errors.As(err, &ce) && ce.CorrelationID != "" {
			return msg + "\n  the execution may or may not have been created; look for the label " +
				facade.CorrelationLabel + ":" + ce.CorrelationID + " before running it again" +
				"\n  (kestra-go executions search --namespace " + ce.Namespace + " --flow " + ce.FlowID + " --label " + facade.CorrelationLabel + ":" + ce.CorrelationID + ")"
		}
	}
	return msg
}

func (s *setting) sourceOrDefault() string {
	if s.from == "" {
		return "the default; neither --" + s.flag + " nor " + s.env + " is set"
	}
	return s.from
}

// contextError names why ctx ended: --timeout, an interruption, or nothing.
func contextError(ctx context.Context) error {
	cause := context.Cause(ctx)
	if errors.Is(cause, errTimeout) || errors.Is(cause, errInterrupted) {
		return cause
	}
	return nil
}
