package main

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/kestra-go/kestra-go/api"
	"github.com/kestra-go/kestra-go/facade"
)

// searchOptions are the flags of "executions search".
type searchOptions struct {
	namespace, flow string
	states, labels  []string
	limit           int
}

func (a *app) executionsCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "executions",
		Short: "Search executions",
		Args:  noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return usageError(cmd, fmt.Errorf("%s needs a subcommand: search", cmd.CommandPath()))
		},
	}
	var o searchOptions
	search := &cobra.Command{
		Use:   "search",
		Short: "Search executions by namespace, flow, state and labels",
		Long: `Search lists the executions matching every filter given (states: any of them),
newest first, at most --limit (stderr says when more match). It reads only
what it prints, however long the history.` + exitCodesCommand,
		Example: `  kestra-go executions search --namespace company.team --state FAILED --state KILLED
  kestra-go executions search --flow nightly --label team:data --limit 5 -o json | jq -r '.[].id'`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return a.search(cmd.Context(), &o)
		},
	}
	fs := search.Flags()
	fs.StringVar(&o.namespace, "namespace", "", "only executions of this `namespace`")
	fs.StringVar(&o.flow, "flow", "", "only executions of this flow `id`")
	fs.StringArrayVar(&o.states, "state", nil, "only executions in this `state` (repeatable: any of them)")
	fs.StringArrayVarP(&o.labels, "label", "l", nil, "only executions with this label, as `key:value` (repeatable: all of them)")
	fs.IntVar(&o.limit, "limit", 25, "at most this many executions (1-1000)")
	cmd.AddCommand(search)
	return cmd
}

// knownStates are the state names of the server's enum, for --state.
var knownStates = []api.StateType{
	api.StateTypeCreated, api.StateTypeSubmitted, api.StateTypeRunning, api.StateTypePaused,
	api.StateTypeRestarted, api.StateTypeKilling, api.StateTypeSuccess, api.StateTypeWarning,
	api.StateTypeFailed, api.StateTypeKilled, api.StateTypeCancelled, api.StateTypeQueued,
	api.StateTypeRetrying, api.StateTypeRetried, api.StateTypeSkipped, api.StateTypeBreakpoint,
	api.StateTypeResubmitted,
}

func parseStates(states []string) ([]string, error) {
	var out []string
	for _, s := range states {
		u := api.StateType(strings.ToUpper(strings.TrimSpace(s)))
		if !slices.Contains(knownStates, u) {
			names := make([]string, len(knownStates))
			for i, k := range knownStates {
				names[i] = string(k)
			}
			return nil, usagef("--state %q: unknown state; want one of %s", s, strings.Join(names, ", "))
		}
		out = append(out, string(u))
	}
	return out, nil
}

func (a *app) search(ctx context.Context, o *searchOptions) error {
	states, err := parseStates(o.states)
	if err != nil {
		return err
	}
	labels, err := parseLabels("label", o.labels, true)
	if err != nil {
		return err
	}
	if o.limit < 1 || o.limit > 1000 {
		return usagef("--limit %d: want a number from 1 to 1000", o.limit)
	}
	filters := api.Filters{}
	if o.namespace != "" {
		filters = filters.Where(api.FilterFieldNamespace, api.FilterOpEquals, o.namespace)
	}
	if o.flow != "" {
		filters = filters.Where(api.FilterFieldFlowID, api.FilterOpEquals, o.flow)
	}
	if len(states) > 0 {
		filters = filters.WhereIn(api.FilterFieldState, states...)
	}
	for i := 0; i < len(labels); i += 2 {
		filters = filters.WhereLabel(api.FilterOpEquals, labels[i], labels[i+1])
	}
	if err := filters.Validate(api.FilterResourceExecution); err != nil {
		return usagef("executions search: %v", err)
	}
	f, err := a.newFlow(a.conn.options()...)
	if err != nil {
		return err
	}
	// One more than the limit tells whether more match, in the same request.
	var found []api.LightExecution
	for e, err := range f.SearchExecutions(ctx, filters, facade.NewestFirst(), facade.Limit(o.limit+1)) {
		if err != nil {
			return err
		}
		found = append(found, e)
	}
	more := len(found) > o.limit
	if more {
		found = found[:o.limit]
	}
	return a.printExecutions(f, found, more)
}

// printExecutions prints search results: a JSON array of the run result
// objects, or a table.
func (a *app) printExecutions(f *facade.Flow, found []api.LightExecution, more bool) error {
	now := time.Now()
	views := make([]executionJSON, len(found))
	for i := range found {
		e := &found[i]
		exec := &api.Execution{ID: e.ID, Namespace: e.Namespace, FlowID: e.FlowID, Labels: e.Labels, Outputs: e.Outputs, State: e.State}
		views[i] = viewOfExecution(f, exec).json(now)
	}
	if a.output == "json" {
		return writeJSON(a.stdout, views)
	}
	tw := tabwriter.NewWriter(a.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tFLOW\tSTATE\tSTARTED\tDURATION")
	for i, v := range views {
		started, dur := "-", "-"
		if s := found[i].State.StartDate; !s.IsZero() {
			started = s.UTC().Format(time.DateTime)
		}
		if v.DurationSeconds != nil {
			dur = secondsText(*v.DurationSeconds)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", cleanLine(v.ID), cleanLine(v.Namespace+"/"+v.FlowID), cleanLine(v.State), started, dur)
	}
	tw.Flush()
	if more {
		fmt.Fprintln(a.stderr, "showing the newest "+strconv.Itoa(len(found))+"; more executions match (raise --limit)")
	}
	return nil
}
