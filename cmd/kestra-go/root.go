package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"runtime/debug"
	"strings"
	"sync"

	"github.com/spf13/cobra"

	"github.com/kestra-go/kestra-go/facade"
)

// app is one invocation of the program: its streams and environment, so
// that tests can run many in parallel in one process.
type app struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	getenv         func(string) string
	// tty reports whether stderr is a terminal (progress display).
	tty bool

	// extra are facade options tests add (a short retry window...).
	extra []facade.Option

	conn    connection
	output  string // text or json
	started bool   // a command began (errors before it are cobra's usage errors)
}

const rootHelp = `kestra-go runs Kestra flows and manages their executions.

The connection comes from flags or environment variables (a flag wins):
  --server    KESTRA_HOSTNAME    base URL (default http://localhost:8080)
  --user      KESTRA_USER        basic auth user (open-source servers)
  --password  KESTRA_PASSWORD    basic auth password
  --token     KESTRA_API_TOKEN   bearer token (Enterprise Edition; wins over user/password)
  --tenant    KESTRA_TENANT      tenant (default main)
Prefer the environment variables for secrets: a flag's value is visible to
other users of the machine.

Results go to stdout (-o json: one JSON value), logs and progress to stderr.` + exitCodesHelp

// The exit codes each kind of command can give, for its --help.
const (
	// exitCodesHelp: the commands that wait for an end (run, wait) and the
	// root's help.
	exitCodesHelp = `

Exit codes:
  0    the execution ended SUCCESS (or WARNING, unless --strict); a command succeeded
  1    the execution ended otherwise (FAILED, KILLED, CANCELLED, RETRIED...)
  2    usage error (bad flag, argument, input or file)
  3    server or network error (unreachable, 401, 404, outcome unknown, gave up retrying)
  124  --timeout reached
  130  interrupted (Ctrl-C)`

	// exitCodesStatus: status, which exits by the state it reads.
	exitCodesStatus = `

Exit codes:
  0    the execution runs, or ended SUCCESS (or WARNING, unless --strict)
  1    the execution ended otherwise (FAILED, KILLED, CANCELLED, RETRIED...)
  2    usage error (bad flag or argument)
  3    server or network error (unreachable, 401, 404, gave up retrying)
  130  interrupted (Ctrl-C)`

	// exitCodesLogs: logs, which waits with --follow only.
	exitCodesLogs = `

Exit codes:
  0    the lines were printed (whatever the execution's state)
  2    usage error (bad flag or argument)
  3    server or network error (unreachable, 401, 404, gave up retrying)
  124  --timeout reached (with --follow)
  130  interrupted (Ctrl-C)`

	// exitCodesCommand: the commands that do one thing and do not wait.
	exitCodesCommand = `

Exit codes:
  0    done
  2    usage error (bad flag, argument or file)
  3    server or network error (unreachable, 401, 404, refused, gave up retrying)
  130  interrupted (Ctrl-C)`
)

// newRoot builds the command tree of one invocation.
func (a *app) newRoot() *cobra.Command {
	root := &cobra.Command{
		Use:           "kestra-go",
		Short:         "Run Kestra flows and manage their executions",
		Long:          rootHelp,
		Version:       version(),
		SilenceErrors: true,
		SilenceUsage:  true,
		// Every command inherits this hook (none has its own, which would
		// replace it).
		PersistentPreRunE: func(cmd *cobra.Command, _ []string) error {
			a.started = true
			return a.checkGlobals()
		},
	}
	root.SetIn(a.stdin)
	root.SetOut(a.stdout)
	root.SetErr(a.stderr)
	root.SetFlagErrorFunc(func(cmd *cobra.Command, err error) error {
		return usageError(cmd, err)
	})
	a.conn.addFlags(root.PersistentFlags())
	root.PersistentFlags().StringVarP(&a.output, "output", "o", "text", "result `format`: text or json")
	root.CompletionOptions.HiddenDefaultCmd = true

	root.AddCommand(a.runCmd(), a.waitCmd(), a.statusCmd(), a.logsCmd(), a.killCmd(), a.restartCmd(), a.resumeCmd(), a.deployCmd(), a.executionsCmd(), a.kvCmd())
	return root
}

// checkGlobals validates the flags every command has.
func (a *app) checkGlobals() error {
	switch a.output {
	case "text", "json":
	default:
		return usagef("--output %q: want text or json", a.output)
	}
	return a.conn.resolve(a.getenv)
}

// main runs one invocation and returns its exit code.
func (a *app) main(ctx context.Context, args []string) int {
	// Whatever is written, secrets are blanked out (resolved when a
	// command begins, read at each write).
	a.stdout = a.conn.redacting(a.stdout)
	a.stderr = a.conn.redacting(a.stderr)
	root := a.newRoot()
	root.SetArgs(args)
	cmd, err := root.ExecuteContextC(ctx)
	if err == nil {
		return exitOK
	}
	code := exitCode(err)
	if cause := contextError(ctx); cause != nil && code == exitServer {
		// Ctrl-C during a command that does not wait (status, kill...).
		code = exitCode(cause)
		err = &exitError{code: code, err: fmt.Errorf("%w: %w", cause, err)}
	}
	if !a.started && code == exitServer {
		// cobra's own errors (unknown command, bad arguments) come before
		// any command runs.
		code = exitUsage
		err = usageError(cmd, err)
	}
	a.printError(err)
	return code
}

// printError writes err as one or more "kestra-go: ..." lines on stderr.
func (a *app) printError(err error) {
	var ex *exitError
	if errors.As(err, &ex) && ex.silent {
		return
	}
	msg := a.describe(err)
	fmt.Fprintln(a.stderr, "kestra-go: "+cleanText(msg))
}

// newFlow makes the facade client of this invocation.
func (a *app) newFlow(opts ...facade.Option) (*facade.Flow, error) {
	opts = append(opts, facade.WithRetryNotify(a.noticeRetries()))
	f, err := facade.New(append(opts, a.extra...)...)
	if err != nil {
		return nil, usagef("%s: %v", a.conn.server.source(), err)
	}
	return f, nil
}

// noticeRetries says once on stderr that the server is being retried: the
// facade rides out minutes of outage, which would otherwise look like a
// hang.
func (a *app) noticeRetries() func(facade.RetryNotice) {
	var once sync.Once
	return func(n facade.RetryNotice) {
		once.Do(func() {
			fmt.Fprintf(a.stderr, "kestra-go: %s failed (%s); retrying for up to %s (Ctrl-C stops, --timeout bounds it)\n",
				cleanLine(n.Operation), cleanLine(n.Err.Error()), facade.DefaultRetryWindow)
		})
	}
}

// version is the module version the binary was built from ("go install
// ...@v1.2.3"), or "devel".
func version() string {
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "devel"
}

// usageError marks err as a usage error of cmd, with a pointer to its help.
func usageError(cmd *cobra.Command, err error) error {
	var ex *exitError
	if errors.As(err, &ex) {
		return err
	}
	hint := "kestra-go --help"
	if cmd != nil {
		hint = strings.TrimSpace(cmd.CommandPath() + " --help")
	}
	return &exitError{code: exitUsage, err: fmt.Errorf("%w (see '%s')", err, hint)}
}
