package main

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/kestra-go/kestra-go/api"
	"github.com/kestra-go/kestra-go/facade"
)

func (a *app) statusCmd() *cobra.Command {
	var strict bool
	cmd := &cobra.Command{
		Use:   "status ID",
		Short: "Print an execution's state",
		Long: `Status reads the execution ID once and prints it. The exit code tells its state:
0 while it runs and when it ended SUCCESS (or WARNING, unless --strict), 1
when it ended otherwise.` + exitCodesStatus,
		Example: `  kestra-go status 4Xv8Bq2mZ0lYk3y9cQn1aZ -o json | jq -r .state`,
		Args:    exactArgs("ID"),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.status(cmd.Context(), args[0], strict)
		},
	}
	cmd.Flags().BoolVar(&strict, "strict", false, "exit 1 when the execution ended WARNING")
	return cmd
}

func (a *app) status(ctx context.Context, id string, strict bool) error {
	f, err := a.newFlow(a.conn.options()...)
	if err != nil {
		return err
	}
	exec, err := f.CheckStatus(ctx, id)
	if err != nil {
		return err
	}
	v := viewOfExecution(f, exec)
	if !facade.IsTerminal(exec.State.Current) {
		return a.print(v)
	}
	res := &facade.Result{ExecutionID: exec.ID, Namespace: exec.Namespace, FlowID: exec.FlowID, Status: exec.State.Current, Execution: exec}
	execErr := res.Err()
	if execErr != nil {
		v.errText = execErr.Error()
	}
	return a.ended(v, execErr, &waitOptions{strict: strict})
}

func (a *app) killCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "kill ID",
		Short: "Kill an execution",
		Long: `Kill asks the server to kill the execution ID (and the subflow executions it
started), then prints its state (KILLING until the server has stopped it).
Killing an execution that already ended is not an error.` + exitCodesCommand,
		Example: `  kestra-go kill 4Xv8Bq2mZ0lYk3y9cQn1aZ && kestra-go wait 4Xv8Bq2mZ0lYk3y9cQn1aZ`,
		Args:    exactArgs("ID"),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.action(cmd.Context(), args[0], (*facade.Flow).Kill)
		},
	}
}

func (a *app) restartCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "restart ID",
		Short: "Restart a failed execution from its failed tasks",
		Long: `Restart restarts the execution ID (same id) from its FAILED or KILLED tasks and
prints it (state RESTARTED); "kestra-go wait ID" then waits for its new end.
The server refuses (exit 3) an execution that has not ended or has no failed
task.` + exitCodesCommand,
		Example: `  kestra-go restart 4Xv8Bq2mZ0lYk3y9cQn1aZ && kestra-go wait 4Xv8Bq2mZ0lYk3y9cQn1aZ`,
		Args:    exactArgs("ID"),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.action(cmd.Context(), args[0], restartExecution)
		},
	}
}

func (a *app) resumeCmd() *cobra.Command {
	var inputs, files []string
	cmd := &cobra.Command{
		Use:   "resume ID",
		Short: "Resume a paused execution",
		Long: `Resume resumes the PAUSED execution ID, with the Pause task's onResume inputs
if it has some (-i, -f as for run), and prints it. The server refuses (exit 3)
an execution that is not paused.` + exitCodesCommand,
		Example: `  kestra-go resume 4Xv8Bq2mZ0lYk3y9cQn1aZ -i approved=true`,
		Args:    exactArgs("ID"),
		RunE: func(cmd *cobra.Command, args []string) error {
			in, closeFiles, err := a.parseInputs(inputs, files)
			defer closeFiles()
			if err != nil {
				return err
			}
			return a.action(cmd.Context(), args[0], func(f *facade.Flow, ctx context.Context, id string) (*api.Execution, error) {
				exec, err := f.Resume(ctx, id, in)
				if exec != nil && exec.State.Current == api.StateTypePaused {
					// The execution as it was before the resume took
					// effect: read it back rather than print "PAUSED".
					exec = nil
				}
				return exec, err
			})
		},
	}
	cmd.Flags().StringArrayVarP(&inputs, "input", "i", nil, "an onResume input as `key=value` (repeatable)")
	cmd.Flags().StringArrayVarP(&files, "file", "f", nil, "an onResume FILE input as `key=PATH`, or key=- for stdin (repeatable)")
	return cmd
}

// action runs one execution action and prints the execution as the server
// answered it (read back when the answer has none: 1.x kill and resume).
func (a *app) action(ctx context.Context, id string, do func(*facade.Flow, context.Context, string) (*api.Execution, error)) error {
	f, err := a.newFlow(a.conn.options()...)
	if err != nil {
		return err
	}
	exec, err := do(f, ctx, id)
	if err != nil {
		return err
	}
	if exec == nil {
		if exec, err = f.CheckStatus(ctx, id); err != nil {
			return fmt.Errorf("done, but could not read %s back: %w", id, err)
		}
	}
	return a.print(viewOfExecution(f, exec))
}

func restartExecution(f *facade.Flow, ctx context.Context, id string) (*api.Execution, error) {
	return f.Restart(ctx, id)
}
