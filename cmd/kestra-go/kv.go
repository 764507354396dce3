package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"
)

// kvJSON is what "kv get -o json" prints.
type kvJSON struct {
	Namespace string `json:"namespace"`
	Key       string `json:"key"`
	// Type is the type the server stored: STRING, NUMBER, BOOLEAN,
	// DATETIME, DATE, DURATION, JSON.
	Type  string `json:"type"`
	Value any    `json:"value"`
}

func (a *app) kvCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "kv",
		Short: "Get, set and delete values of a namespace's KV store",
		Args:  noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return usageError(cmd, fmt.Errorf("%s needs a subcommand: get, set or delete", cmd.CommandPath()))
		},
	}
	get := &cobra.Command{
		Use:   "get NAMESPACE KEY",
		Short: "Print a value",
		Long: `Get prints the value of KEY in NAMESPACE: a string as it is, other values as
JSON; -o json prints {namespace, key, type, value}. A missing or expired key
is exit 3.` + exitCodesHelp,
		Args: exactArgs("NAMESPACE", "KEY"),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.kvGet(cmd.Context(), args[0], args[1])
		},
	}
	var asJSON bool
	set := &cobra.Command{
		Use:   "set NAMESPACE KEY VALUE",
		Short: "Store a value",
		Long: `Set stores VALUE under KEY in NAMESPACE (VALUE - reads stdin), as a string;
with --json, VALUE is JSON and the server stores it with its type (42: NUMBER,
true: BOOLEAN, {"a":1} or ["x"]: JSON).` + exitCodesHelp,
		Example: `  kestra-go kv set company.team greeting 'Hello, world'
  kestra-go kv set company.team threshold 42 --json
  kestra-go kv set company.team config - --json < config.json`,
		Args: exactArgs("NAMESPACE", "KEY", "VALUE"),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.kvSet(cmd.Context(), args[0], args[1], args[2], asJSON)
		},
	}
	set.Flags().BoolVar(&asJSON, "json", false, "VALUE is JSON: store a number, boolean, object or array with its type")
	del := &cobra.Command{
		Use:   "delete NAMESPACE KEY",
		Short: "Delete a value",
		Long:  `Delete removes KEY from NAMESPACE; a key that was not set is not an error.` + exitCodesHelp,
		Args:  exactArgs("NAMESPACE", "KEY"),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.kvDelete(cmd.Context(), args[0], args[1])
		},
	}
	cmd.AddCommand(get, set, del)
	return cmd
}

// kvBody is the JSON the server infers the stored type from: VALUE as a
// JSON string, or VALUE itself with --json.
func kvBody(value string, asJSON bool) ([]byte, error) {
	if asJSON {
		if !json.Valid([]byte(value)) {
			return nil, usagef("kv set --json: the value is not JSON (strings need their quotes: '\"text\"'); without --json it is stored as a string")
		}
		return []byte(strings.TrimSpace(value)), nil
	}
	return json.Marshal(value)
}

func (a *app) kvGet(ctx context.Context, ns, key string) error {
	// The generated client until the facade has KV helpers.
	c, err := a.generated()
	if err != nil {
		return err
	}
	r, err := c.GetKeyValueWithResponse(ctx, c.tenant, ns, key)
	if err != nil {
		return fmt.Errorf("getKeyValue %s %s: %w", ns, key, err)
	}
	if r.JSON200 == nil {
		return c.failed("getKeyValue "+ns+" "+key, r)
	}
	out := kvJSON{Namespace: ns, Key: key, Type: string(r.JSON200.Type), Value: r.JSON200.Value}
	if a.output == "json" {
		return writeJSON(a.stdout, out)
	}
	fmt.Fprintln(a.stdout, cleanText(valueText(out.Value)))
	return nil
}

func (a *app) kvSet(ctx context.Context, ns, key, value string, asJSON bool) error {
	if value == "-" {
		b, err := io.ReadAll(a.stdin)
		if err != nil {
			return usagef("kv set %s %s -: reading stdin: %v", ns, key, err)
		}
		value = string(b)
	}
	body, err := kvBody(value, asJSON)
	if err != nil {
		return err
	}
	c, err := a.generated()
	if err != nil {
		return err
	}
	r, err := c.SetKeyValueWithTextBodyWithResponse(ctx, c.tenant, ns, key, string(body))
	if err != nil {
		return fmt.Errorf("setKeyValue %s %s: %w", ns, key, err)
	}
	if code := r.StatusCode(); code < 200 || code >= 300 {
		return c.failed("setKeyValue "+ns+" "+key, r)
	}
	if a.output == "json" {
		return writeJSON(a.stdout, map[string]string{"namespace": ns, "key": key})
	}
	fmt.Fprintf(a.stdout, "set %s %s\n", cleanLine(ns), cleanLine(key))
	return nil
}

func (a *app) kvDelete(ctx context.Context, ns, key string) error {
	c, err := a.generated()
	if err != nil {
		return err
	}
	r, err := c.DeleteKeyValueWithResponse(ctx, c.tenant, ns, key)
	if err != nil {
		return fmt.Errorf("deleteKeyValue %s %s: %w", ns, key, err)
	}
	if r.JSON200 == nil {
		return c.failed("deleteKeyValue "+ns+" "+key, r)
	}
	deleted := *r.JSON200
	if a.output == "json" {
		return writeJSON(a.stdout, map[string]any{"namespace": ns, "key": key, "deleted": deleted})
	}
	if deleted {
		fmt.Fprintf(a.stdout, "deleted %s %s\n", cleanLine(ns), cleanLine(key))
	} else {
		fmt.Fprintf(a.stdout, "%s %s was not set\n", cleanLine(ns), cleanLine(key))
	}
	return nil
}
