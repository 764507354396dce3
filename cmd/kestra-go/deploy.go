package main

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"os"

	"github.com/spf13/cobra"

	"github.com/kestra-go/kestra-go/api"
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
prints its namespace, id and revision. The server validates each file first;
the first file it refuses stops the command (exit 3), files before it stay
deployed.` + exitCodesHelp,
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
	// Until the facade has a deploy helper: the generated client, once per
	// file, validate then create or update.
	c, err := a.generated()
	if err != nil {
		return err
	}
	var done []deployedJSON
	for i, src := range sources {
		d, err := deployOne(ctx, c, src)
		if err != nil {
			a.printDeployed(done)
			return fmt.Errorf("deploy %s: %w", files[i], err)
		}
		d.File = files[i]
		done = append(done, d)
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

const yamlType = "application/x-yaml"

func deployOne(ctx context.Context, c *generatedClient, src []byte) (deployedJSON, error) {
	v, err := c.ValidateFlowsWithBodyWithResponse(ctx, c.tenant, yamlType, bytes.NewReader(src))
	if err != nil {
		return deployedJSON{}, err
	}
	if v.JSON200 == nil {
		return deployedJSON{}, c.failed("validateFlows", v)
	}
	if len(*v.JSON200) != 1 {
		return deployedJSON{}, fmt.Errorf("the file holds %d flows, want one", len(*v.JSON200))
	}
	fv := (*v.JSON200)[0]
	if fv.Constraints != "" {
		return deployedJSON{}, fmt.Errorf("the server refuses the flow: %s", fv.Constraints)
	}
	if fv.Namespace == "" || fv.Flow == "" {
		return deployedJSON{}, fmt.Errorf("the server found no namespace and id in the file")
	}
	d := deployedJSON{Namespace: fv.Namespace, ID: fv.Flow}
	got, err := c.GetFlowWithResponse(ctx, c.tenant, d.Namespace, d.ID, nil)
	if err != nil {
		return d, err
	}
	var saved *api.FlowWithSource
	switch got.StatusCode() {
	case http.StatusOK:
		r, err := c.UpdateFlowWithBodyWithResponse(ctx, c.tenant, d.Namespace, d.ID, nil, yamlType, bytes.NewReader(src))
		if err != nil {
			return d, err
		}
		if saved = r.JSON200; saved == nil {
			return d, c.failed("updateFlow", r)
		}
	case http.StatusNotFound:
		r, err := c.CreateFlowWithBodyWithResponse(ctx, c.tenant, nil, yamlType, bytes.NewReader(src))
		if err != nil {
			return d, err
		}
		if saved = r.JSON200; saved == nil {
			return d, c.failed("createFlow", r)
		}
		d.Created = true
	default:
		return d, c.failed("getFlow", got)
	}
	d.Revision = saved.Revision
	return d, nil
}
