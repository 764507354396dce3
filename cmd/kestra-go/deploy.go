package main

import (
	"context"
	"fmt"
	"os"

	"github.com/spf13/cobra"
)

// deployedJSON is one element of the JSON array "deploy -o json" prints.
type deployedJSON struct {
	File      string `json:"file"`
	Namespace string `json:"namespace"`
	ID        string `json:"id"`
	Revision  int    `json:"revision"`
	// Created is true for a new flow, false for an update.
	Created bool `json:"created"`
}

func (a *app) deployCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "deploy FILE...",
		Short: "Create or update flows from YAML files",
		Long: `Deploy creates each flow of the YAML files, or updates it when it exists, and
prints its namespace, id and revision. The server checks each flow: the first
file refused stops the command (exit 3; a file without namespace or id, exit 2);
the files before it stay deployed.` + exitCodesCommand,
		Example: `  kestra-go deploy flows/*.yaml
  kestra-go deploy hello.yaml -o json | jq '.[0].revision'`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				return usageError(cmd, fmt.Errorf("%s needs at least one FILE", cmd.CommandPath()))
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.deploy(cmd.Context(), args)
		},
	}
}

func (a *app) deploy(ctx context.Context, files []string) error {
	sources := make([][]byte, len(files))
	for i, path := range files {
		b, err := os.ReadFile(path)
		if err != nil {
			return usagef("deploy %s: %v: give the path of a flow YAML file", path, shortPathError(err))
		}
		sources[i] = b
	}
	f, err := a.newFlow(a.conn.options()...)
	if err != nil {
		return err
	}
	var done []deployedJSON
	for i, src := range sources {
		d, err := f.Deploy(ctx, string(src))
		if err != nil {
			a.printDeployed(done)
			return fmt.Errorf("deploy %s: %w", files[i], err)
		}
		done = append(done, deployedJSON{File: files[i], Namespace: d.Namespace, ID: d.ID, Revision: d.Revision, Created: d.Created})
	}
	return a.printDeployed(done)
}

func (a *app) printDeployed(done []deployedJSON) error {
	if a.output == "json" {
		if done == nil {
			done = []deployedJSON{}
		}
		return writeJSON(a.stdout, done)
	}
	for _, d := range done {
		verb := "updated"
		if d.Created {
			verb = "created"
		}
		fmt.Fprintf(a.stdout, "%s %s %s revision %d (%s)\n", cleanLine(d.Namespace), cleanLine(d.ID), verb, d.Revision, cleanLine(d.File))
	}
	return nil
}
