package main

import (
	"context"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/kestra-go/kestra-go/api"
)

// logJSON is one element of the JSON array "logs -o json" prints.
type logJSON struct {
	Timestamp *time.Time `json:"timestamp"`
	Level     string     `json:"level"`
	TaskID    string     `json:"taskId"`
	Message   string     `json:"message"`
}

func (a *app) logsCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "logs ID",
		Short: "Print an execution's logs",
		Long: `Logs prints the log lines of the execution ID on stdout, one
"<time> <LEVEL> [<task>] <message>" line each; -o json prints an array of
{timestamp, level, taskId, message}.` + exitCodesHelp,
		Args: exactArgs("ID"),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.logs(cmd.Context(), args[0])
		},
	}
}

func (a *app) logs(ctx context.Context, id string) error {
	// The generated client until the facade has a logs helper (its GetLogs
	// gives the server's text download, which has no task ids).
	c, err := a.generated()
	if err != nil {
		return err
	}
	r, err := c.ListLogsFromExecutionWithResponse(ctx, c.tenant, id)
	if err != nil {
		return fmt.Errorf("listLogsFromExecution %s: %w", id, err)
	}
	if r.JSON200 == nil {
		return c.failed("listLogsFromExecution "+id, r)
	}
	return a.printLogs(*r.JSON200)
}

func (a *app) printLogs(entries []api.LogEntry) error {
	if a.output == "json" {
		out := make([]logJSON, len(entries))
		for i, e := range entries {
			out[i] = logJSON{Timestamp: e.Timestamp, Level: deref(e.Level), TaskID: deref(e.TaskID), Message: deref(e.Message)}
		}
		return writeJSON(a.stdout, out)
	}
	for _, e := range entries {
		fmt.Fprintln(a.stdout, formatLogLine(e))
	}
	return nil
}

// deref reads an optional field of the generated types.
func deref[T ~string](p *T) string {
	if p == nil {
		return ""
	}
	return string(*p)
}
