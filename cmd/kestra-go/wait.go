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

func (a *app) waitCmd() *cobra.Command {
	var w waitOptions
	cmd := &cobra.Command{
		Use:   "wait ID",
		Short: "Wait for an execution's end",
		Long: `Wait waits for the execution ID (started by "run --no-wait", a trigger or
anyone) to end, showing its logs live on stderr, then prints the result on
stdout, exactly as run does.` + exitCodesHelp,
		Example: `  ID=$(kestra-go run company.team nightly --no-wait)
  kestra-go wait "$ID" --timeout 1h -o json`,
		Args: exactArgs("ID"),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.wait(cmd.Context(), args[0], &w)
		},
	}
	w.addFlags(cmd)
	return cmd
}

func (a *app) wait(ctx context.Context, id string, w *waitOptions) error {
	if err := w.check(); err != nil {
		return err
	}
	con := newConsole(a.stderr, a.tty)
	defer con.stop()
	f, err := a.waitingFlow(con, w)
	if err != nil {
		return err
	}
	wctx, cancel := w.context(ctx)
	defer cancel()
	con.startProgress()
	return a.await(ctx, wctx, f, con, &facade.Result{ExecutionID: id}, w)
}

// waitingFlow makes the facade client of a command that waits: the
// console shows the state changes, the running tasks and, with --logs
// live, the log lines.
func (a *app) waitingFlow(con *console, w *waitOptions, opts ...facade.Option) (*facade.Flow, error) {
	opts = append(a.conn.options(), opts...)
	opts = append(opts, facade.WithStateHandler(func(s facade.StateChange) { con.setState(s.ExecutionID, string(s.State)) }),
		facade.WithProgressHandler(func(p facade.Progress) { con.setTasks(p.RunningTasks) }))
	if w.logs == "live" {
		opts = append(opts, facade.WithLogHandler(con.log))
	}
	return a.newFlow(opts...)
}

// await waits (until wctx ends) for the execution of known, which holds
// what is known of it (at least its id), and prints the result.
func (a *app) await(ctx, wctx context.Context, f *facade.Flow, con *console, known *facade.Result, w *waitOptions) error {
	res, err := f.Wait(wctx, known.ExecutionID)
	con.stop()
	if known.URL != "" { // the server's own link, from the create
		res.URL = known.URL
	}
	if res.Execution == nil && known.Execution != nil {
		res.Execution, res.Status, res.Namespace, res.FlowID = known.Execution, known.Execution.State.Current, known.Namespace, known.FlowID
	}
	if err != nil {
		return a.waitFailed(ctx, wctx, f, &res, err, w)
	}
	if w.logs == "end" {
		for _, e := range res.Logs {
			fmt.Fprintln(a.stderr, formatLogLine(e))
		}
	}
	return a.ended(viewOfResult(&res), res.Err(), w)
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
// failure. What was read of the execution is printed; the returned error
// gives the exit code.
func (a *app) waitFailed(ctx, wctx context.Context, f *facade.Flow, res *facade.Result, err error, w *waitOptions) error {
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
			state := viewOfResult(res).state
			if state == "" {
				state = "not read yet"
			}
			msg += fmt.Sprintf(" while waiting for execution %s (last state %s)", res.ExecutionID, state)
			if w.killOnCancel {
				msg += "; " + a.killAfterCancel(ctx, f, res.ExecutionID)
			} else {
				msg += "; it goes on on the server (kestra-go kill " + res.ExecutionID + " stops it)"
			}
			err = &exitError{code: exitCode(cause), err: errors.New(msg)}
		} else {
			// Kept in the chain: an unknown outcome gets its hint.
			err = &exitError{code: exitCode(cause), err: fmt.Errorf("%s before the execution was created: %w", msg, err)}
		}
	}
	// The result is printed once something of the execution was read (a
	// wait for an unknown id prints nothing, like any server error).
	if known && res.Execution != nil {
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

// killAfterCancel kills an execution after an interrupted wait, with its
// own deadline (the command's context has ended), and says how it went.
func (a *app) killAfterCancel(ctx context.Context, f *facade.Flow, id string) string {
	kctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	if _, err := f.Kill(kctx, id); err != nil {
		return "could not kill it: " + err.Error()
	}
	return "killed it"
}
