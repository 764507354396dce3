package main

import (
	"context"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/kestra-go/kestra-go/facade"
)

// runOptions are the flags of "run".
type runOptions struct {
	inputs, files, labels []string
	labelsFromInputs      bool
	noWait                bool
	wait                  waitOptions
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
		Example: `  kestra-go run company.team hello -i name=Gopher -l team:data
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

func (a *app) run(ctx context.Context, namespace, flowID string, o *runOptions) error {
	if err := o.wait.check(); err != nil {
		return err
	}
	labels, err := parseLabels("label", o.labels, false)
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
	opts := []facade.Option{facade.WithWait(false), facade.WithLabelsFromInputs(o.labelsFromInputs)}
	if len(labels) > 0 {
		opts = append(opts, facade.WithLabels(labels...))
	}
	f, err := a.waitingFlow(con, &o.wait, opts...)
	if err != nil {
		return err
	}

	wctx, cancel := o.wait.context(ctx)
	defer cancel()
	cctx := wctx
	if o.wait.killOnCancel && !o.noWait {
		// A create cut short may still have created the execution, which
		// could then not be killed: with --kill-on-cancel it is finished.
		c, cancel := context.WithTimeout(context.WithoutCancel(ctx), createTimeout)
		defer cancel()
		cctx = c
	}
	if !o.noWait {
		con.startProgress()
	}
	created, err := f.Execute(cctx, namespace, flowID, inputs)
	if err != nil {
		con.stop()
		return a.waitFailed(ctx, wctx, f, nil, err, &o.wait)
	}
	if o.noWait {
		if a.output == "text" {
			fmt.Fprintln(a.stdout, created.ExecutionID)
			return nil
		}
		return writeJSON(a.stdout, viewOfResult(created).json(time.Now()))
	}
	con.created(created.ExecutionID, created.URL)
	return a.await(ctx, wctx, f, con, created, &o.wait)
}

// createTimeout bounds a create that --kill-on-cancel lets finish after
// Ctrl-C or --timeout.
const createTimeout = 2 * time.Minute
