package main

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/kestra-go/kestra-go/api"
	"github.com/kestra-go/kestra-go/facade"
)

// runOptions are the flags of "run".
type runOptions struct {
	inputs, files, labels []string
	labelsFromInputs      bool
	noWait                bool
	wait                  waitOptions
}

// waitOptions are the flags of every command that waits for an end.
type waitOptions struct {
	timeout      time.Duration
	killOnCancel bool
	logs         string
	strict       bool
}

func (w *waitOptions) addFlags(cmd *cobra.Command) {
	fs := cmd.Flags()
	fs.DurationVar(&w.timeout, "timeout", 0, "stop waiting after this long, e.g. 90s or 1h (exit code 124; 0 = no limit)")
	fs.BoolVar(&w.killOnCancel, "kill-on-cancel", false, "on Ctrl-C or --timeout, kill the execution before exiting")
	fs.StringVar(&w.logs, "logs", "live", "where execution logs go to stderr, by `mode`: live (while it runs), end (once it ended) or none")
	fs.BoolVar(&w.strict, "strict", false, "exit 1 when the execution ends WARNING (default: 0, as SUCCESS)")
}

func (w *waitOptions) check() error {
	if w.timeout < 0 {
		return usagef("--timeout %s: want a positive duration such as 30s, 10m or 1h", w.timeout)
	}
	return oneOf("logs", w.logs, "live", "end", "none")
}

// context bounds ctx by --timeout.
func (w *waitOptions) context(ctx context.Context) (context.Context, context.CancelFunc) {
	if w.timeout <= 0 {
		return context.WithCancel(ctx)
	}
	return context.WithTimeoutCause(ctx, w.timeout, errTimeout)
}

func (a *app) runCmd() *cobra.Command {
	var o runOptions
	cmd := &cobra.Command{
		Use:   "run NAMESPACE FLOW",
		Short: "Run a flow and wait for its end",
		Long: `Run creates an execution of the flow NAMESPACE/FLOW and, unless --no-wait, waits
for its end, showing its logs live on stderr, then prints the result on stdout.
The create is never sent twice, even when the network fails.

Inputs are sent as the server parses them: -i key=value for text, numbers,
booleans, dates (lists and maps as JSON text: -i 'tags=["a","b"]'), -f key=PATH
for FILE inputs (streamed; -f key=- reads stdin).` + exitCodesHelp,
		Example: `  kestra-go run company.team hello -i user=Gopher -l team:data
  kestra-go run company.team etl -f data=./orders.csv --timeout 30m --kill-on-cancel -o json
  ID=$(kestra-go run company.team nightly --no-wait)`,
		Args: exactArgs("NAMESPACE", "FLOW"),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.run(cmd.Context(), args[0], args[1], &o)
		},
	}
	fs := cmd.Flags()
	fs.StringArrayVarP(&o.inputs, "input", "i", nil, "an input as `key=value` (repeatable)")
	fs.StringArrayVarP(&o.files, "file", "f", nil, "a FILE input as `key=PATH`, or key=- for stdin (repeatable)")
	fs.StringArrayVarP(&o.labels, "label", "l", nil, "an execution label as `key:value` (repeatable)")
	fs.BoolVar(&o.labelsFromInputs, "labels-from-inputs", false, "also label the execution with each input as key:value")
	fs.BoolVar(&o.noWait, "no-wait", false, "print the execution id and exit 0 without waiting")
	o.wait.addFlags(cmd)
	return cmd
}

// exactArgs requires one argument per name, as a usage error.
func exactArgs(names ...string) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) != len(names) {
			return usageError(cmd, fmt.Errorf("%s takes %d arguments (%s), got %d", cmd.CommandPath(), len(names), joinNames(names), len(args)))
		}
		for i, a := range args {
			if a == "" {
				return usageError(cmd, fmt.Errorf("%s: %s is empty", cmd.CommandPath(), names[i]))
			}
		}
		return nil
	}
}

func joinNames(names []string) string {
	s := ""
	for i, n := range names {
		if i > 0 {
			s += " "
		}
		s += n
	}
	return s
}

func (a *app) run(ctx context.Context, namespace, flowID string, o *runOptions) error {
	if err := o.wait.check(); err != nil {
		return err
	}
	labels, err := parseLabels("label", o.labels)
	if err != nil {
		return err
	}
	inputs, closeFiles, err := a.parseInputs(o.inputs, o.files)
	defer closeFiles()
	if err != nil {
		return err
	}
	con := newConsole(a.stderr, a.tty)
	defer con.stop()
	opts := append(a.conn.options(), facade.WithWait(!o.noWait), facade.WithLabelsFromInputs(o.labelsFromInputs))
	if len(labels) > 0 {
		opts = append(opts, facade.WithLabels(labels...))
	}
	if o.wait.logs == "live" {
		opts = append(opts, facade.WithLogHandler(con.log))
	}
	f, err := a.newFlow(opts...)
	if err != nil {
		return err
	}

	wctx, cancel := o.wait.context(ctx)
	defer cancel()
	if !o.noWait {
		con.startProgress()
	}
	res, err := f.Execute(wctx, namespace, flowID, inputs)
	con.stop()
	if err != nil {
		return a.waitFailed(ctx, wctx, f, con, res, err, &o.wait)
	}
	if o.noWait {
		if a.output == "text" {
			fmt.Fprintln(a.stdout, res.ExecutionID)
			return nil
		}
		return writeJSON(a.stdout, viewOfResult(res).json(time.Now()))
	}
	if o.wait.logs == "end" {
		for _, e := range res.Logs {
			fmt.Fprintln(a.stderr, formatLogLine(e))
		}
	}
	return a.ended(viewOfResult(res), res.Err(), &o.wait)
}

// newFlow makes the facade client of this invocation.
func (a *app) newFlow(opts ...facade.Option) (*facade.Flow, error) {
	f, err := facade.New(opts...)
	if err != nil {
		return nil, usagef("%s: %v", a.conn.server.source(), err)
	}
	return f, nil
}

// ended prints the result of an ended execution and returns the error that
// gives its exit code (nil for SUCCESS, and WARNING unless --strict).
func (a *app) ended(v view, execErr error, w *waitOptions) error {
	if execErr == nil && w.strict && v.state == string(api.StateTypeWarning) {
		v.errText = "the execution ended WARNING (--strict)"
		execErr = errors.New(v.errText)
	}
	if err := a.print(v); err != nil {
		return err
	}
	if execErr != nil {
		return &exitError{code: exitExecution, err: execErr, silent: true}
	}
	return nil
}

// print writes the result in the --output format.
func (a *app) print(v view) error {
	if a.output == "json" {
		return writeJSON(a.stdout, v.json(time.Now()))
	}
	v.writeText(a.stdout, time.Now())
	return nil
}

// waitFailed handles an Execute or Wait that returned an error: --timeout,
// Ctrl-C (with --kill-on-cancel, the execution is killed) or a server
// failure. What is known of the execution is printed; the returned error
// gives the exit code.
func (a *app) waitFailed(ctx, wctx context.Context, f *facade.Flow, con *console, res *facade.Result, err error, w *waitOptions) error {
	cause := contextError(wctx)
	if cause == nil {
		cause = contextError(ctx)
	}
	known := res != nil && res.ExecutionID != ""
	if cause != nil {
		msg := cause.Error()
		if errors.Is(cause, errTimeout) {
			msg = fmt.Sprintf("--timeout %s reached", w.timeout)
		}
		if known {
			msg += fmt.Sprintf(" while waiting for execution %s (last state %s)", res.ExecutionID, viewOfResult(res).state)
			if w.killOnCancel {
				msg += "; " + a.killAfterCancel(ctx, f, res.ExecutionID)
			} else {
				msg += "; it goes on on the server (kestra-go kill " + res.ExecutionID + " stops it)"
			}
		} else {
			msg += " before the execution was created: " + err.Error()
		}
		err = &exitError{code: exitCode(cause), err: errors.New(msg)}
	}
	if known {
		v := viewOfResult(res)
		v.errText = a.describe(err)
		if a.output == "json" {
			if perr := writeJSON(a.stdout, v.json(time.Now())); perr != nil {
				return perr
			}
		} else {
			v.errText = ""
			v.writeText(a.stdout, time.Now())
		}
	}
	return err
}

// kill kills an execution after an interrupted wait, with its own deadline
// (the command's context has ended), and says how it went.
func (a *app) killAfterCancel(ctx context.Context, f *facade.Flow, id string) string {
	kctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	if err := f.Kill(kctx, id); err != nil {
		return "could not kill it: " + err.Error()
	}
	return "killed it"
}
