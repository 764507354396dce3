package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/kestra-go/kestra-go/api"
	"github.com/kestra-go/kestra-go/facade"
)

// logJSON is one element of the JSON array "logs -o json" prints.
type logJSON struct {
	Timestamp *time.Time `json:"timestamp"`
	Level     string     `json:"level"`
	TaskID    string     `json:"taskId"`
	Message   string     `json:"message"`
}

func (a *app) logsCmd() *cobra.Command {
	var follow bool
	var timeout time.Duration
	cmd := &cobra.Command{
		Use:   "logs ID",
		Short: "Print an execution's logs",
		Long: `Logs prints the log lines of the execution ID on stdout, one
"<time> <LEVEL> [<task>] <message>" line each; -o json prints an array of
{timestamp, level, taskId, message}.

With --follow it prints the lines as they come until the execution ends
(-o json: one object per line), and exits 0 whatever the end state ("wait"
exits by the state).` + exitCodesLogs,
		Example: `  kestra-go logs 4Xv8Bq2mZ0lYk3y9cQn1aZ --follow`,
		Args:    exactArgs("ID"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if follow {
				return a.followLogs(cmd.Context(), args[0], timeout)
			}
			if cmd.Flags().Changed("timeout") {
				return usagef("--timeout goes with --follow")
			}
			return a.logs(cmd.Context(), args[0])
		},
	}
	cmd.Flags().BoolVarP(&follow, "follow", "f", false, "print new lines until the execution ends")
	cmd.Flags().DurationVar(&timeout, "timeout", 0, "with --follow: stop after this long (exit code 124)")
	return cmd
}

// followLogs prints an execution's log lines live until it ends.
func (a *app) followLogs(ctx context.Context, id string, timeout time.Duration) error {
	w := &waitOptions{timeout: timeout, logs: "none"}
	if err := w.check(); err != nil {
		return err
	}
	show := func(e api.LogEntry) {
		if a.output == "json" {
			b, _ := json.Marshal(logOf(e))
			fmt.Fprintln(a.stdout, escapeJSONText(string(b)))
			return
		}
		fmt.Fprintln(a.stdout, formatLogLine(e))
	}
	f, err := a.newFlow(append(a.conn.options(), facade.WithLogHandler(show))...)
	if err != nil {
		return err
	}
	wctx, cancel := w.context(ctx)
	defer cancel()
	res, err := f.Wait(wctx, id)
	if err == nil {
		return nil
	}
	if cause := contextError(wctx); cause != nil {
		msg := cause.Error()
		if errors.Is(cause, errTimeout) {
			msg = fmt.Sprintf("--timeout %s reached", timeout)
		}
		return &exitError{code: exitCode(cause), err: fmt.Errorf("%s while following the logs of %s (last state %s)", msg, id, res.Status)}
	}
	return err
}

func logOf(e api.LogEntry) logJSON {
	l := logJSON{Level: string(e.Level), TaskID: e.TaskID, Message: e.Message}
	if !e.Timestamp.IsZero() {
		l.Timestamp = &e.Timestamp
	}
	return l
}

func (a *app) logs(ctx context.Context, id string) error {
	f, err := a.newFlow(a.conn.options()...)
	if err != nil {
		return err
	}
	entries, err := f.Logs(ctx, id)
	if err != nil {
		return err
	}
	return a.printLogs(entries)
}

func (a *app) printLogs(entries []api.LogEntry) error {
	if a.output == "json" {
		out := make([]logJSON, len(entries))
		for i, e := range entries {
			out[i] = logOf(e)
		}
		return writeJSON(a.stdout, out)
	}
	for _, e := range entries {
		fmt.Fprintln(a.stdout, formatLogLine(e))
	}
	return nil
}
