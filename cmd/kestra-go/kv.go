package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/kestra-go/kestra-go/facade"
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

// kvSetOptions are the flags of "kv set".
type kvSetOptions struct {
	asJSON bool
	ttl    time.Duration
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
is exit 3.` + exitCodesCommand,
		Args: exactArgs("NAMESPACE", "KEY"),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.kvGet(cmd.Context(), args[0], args[1])
		},
	}
	var setOpts kvSetOptions
	set := &cobra.Command{
		Use:   "set NAMESPACE KEY VALUE",
		Short: "Store a value",
		Long: `Set stores VALUE under KEY in NAMESPACE (VALUE - reads stdin), as a string;
with --json, VALUE is JSON and the server stores it with its type (42: NUMBER,
true: BOOLEAN, {"a":1} or ["x"]: JSON).` + exitCodesCommand,
		Example: `  kestra-go kv set company.team greeting 'Hello, world'
  kestra-go kv set company.team threshold 42 --json
  kestra-go kv set company.team config - --json < config.json`,
		Args: exactArgs("NAMESPACE", "KEY", "VALUE"),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.kvSet(cmd.Context(), args[0], args[1], args[2], &setOpts)
		},
	}
	set.Flags().BoolVar(&setOpts.asJSON, "json", false, "VALUE is JSON: store a number, boolean, object or array with its type")
	set.Flags().DurationVar(&setOpts.ttl, "ttl", 0, "the value expires after this long, e.g. 24h (default: never)")
	del := &cobra.Command{
		Use:   "delete NAMESPACE KEY",
		Short: "Delete a value",
		Long:  `Delete removes KEY from NAMESPACE; a key that was not set is not an error.` + exitCodesCommand,
		Args:  exactArgs("NAMESPACE", "KEY"),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.kvDelete(cmd.Context(), args[0], args[1])
		},
	}
	cmd.AddCommand(get, set, del)
	return cmd
}

// kvValue is what SetKV encodes: VALUE as a string, or with --json the
// JSON text itself (a json.RawMessage encodes as it is).
func kvValue(value string, asJSON bool) (any, error) {
	if !asJSON {
		return value, nil
	}
	if !json.Valid([]byte(value)) {
		return nil, usagef("kv set --json: the value is not JSON (strings need their quotes: '\"text\"'); without --json it is stored as a string")
	}
	return json.RawMessage(strings.TrimSpace(value)), nil
}

func (a *app) kvGet(ctx context.Context, ns, key string) error {
	f, err := a.newFlow(a.conn.options()...)
	if err != nil {
		return err
	}
	var value any
	typ, err := f.GetKV(ctx, ns, key, &value)
	if err != nil {
		return err
	}
	out := kvJSON{Namespace: ns, Key: key, Type: string(typ), Value: value}
	if a.output == "json" {
		return writeJSON(a.stdout, out)
	}
	fmt.Fprintln(a.stdout, cleanText(valueText(out.Value)))
	return nil
}

func (a *app) kvSet(ctx context.Context, ns, key, value string, o *kvSetOptions) error {
	if o.ttl < 0 {
		return usagef("--ttl %s: want a positive duration such as 1h or 720h", o.ttl)
	}
	if value == "-" {
		b, err := io.ReadAll(a.stdin)
		if err != nil {
			return usagef("kv set %s %s -: reading stdin: %v", ns, key, err)
		}
		value = string(b)
	}
	v, err := kvValue(value, o.asJSON)
	if err != nil {
		return err
	}
	f, err := a.newFlow(a.conn.options()...)
	if err != nil {
		return err
	}
	var opts []facade.KVOption
	if o.ttl > 0 {
		opts = append(opts, facade.WithTTL(o.ttl))
	}
	if err := f.SetKV(ctx, ns, key, v, opts...); err != nil {
		return err
	}
	if a.output == "json" {
		return writeJSON(a.stdout, map[string]string{"namespace": ns, "key": key})
	}
	fmt.Fprintf(a.stdout, "set %s %s\n", cleanLine(ns), cleanLine(key))
	return nil
}

func (a *app) kvDelete(ctx context.Context, ns, key string) error {
	f, err := a.newFlow(a.conn.options()...)
	if err != nil {
		return err
	}
	deleted, err := f.DeleteKV(ctx, ns, key)
	if err != nil {
		return err
	}
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
