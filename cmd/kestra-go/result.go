package main

import (
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/kestra-go/kestra-go/api"
	"github.com/kestra-go/kestra-go/facade"
)

// executionJSON is the JSON object -o json prints for an execution: the
// documented, stable schema (README, "JSON output"). Every field is always
// present.
type executionJSON struct {
	ID        string `json:"id"`
	Namespace string `json:"namespace"`
	FlowID    string `json:"flowId"`
	// State is the last state read (SUCCESS, FAILED, RUNNING...), "" when
	// no execution was created.
	State string `json:"state"`
	URL   string `json:"url"`
	// Outputs are the flow's outputs; {} when none.
	Outputs map[string]any `json:"outputs"`
	// Error is null on success, else what went wrong: the failed tasks and
	// error lines of the execution, or the program's error (timeout,
	// server unreachable...).
	Error *string `json:"error"`
	// Labels are the execution's labels without Kestra's system.* ones
	// (among them the correlation label the facade adds to each create).
	Labels map[string]string `json:"labels"`
	// DurationSeconds is from the start to the end (or to now while it
	// runs); null before it starts.
	DurationSeconds *float64 `json:"durationSeconds"`
}

// view is what the program knows of an execution, from a facade.Result or
// an api.Execution, plus the error that ended the command.
type view struct {
	exec    *api.Execution
	id      string
	ns      string
	flow    string
	state   string
	url     string
	outputs map[string]any
	errText string
}

func viewOfResult(res *facade.Result) view {
	v := view{exec: res.Execution, id: res.ExecutionID, ns: res.Namespace, flow: res.FlowID, url: res.URL, outputs: res.Outputs, errText: res.Error}
	v.state = string(res.Status)
	if res.Execution != nil && (res.Status == facade.StatusStarted || v.state == "") {
		v.state = string(res.Execution.State.Current)
	}
	return v
}

// viewOfExecution is an execution read from the server; f builds its UI
// link (the server's rule, on the configured server).
func viewOfExecution(f *facade.Flow, e *api.Execution) view {
	return view{exec: e, id: e.ID, ns: e.Namespace, flow: e.FlowID, state: string(e.State.Current), outputs: e.Outputs,
		url: f.ExecutionURL(e.Namespace, e.FlowID, e.ID)}
}

func (v view) json(now time.Time) executionJSON {
	out := executionJSON{ID: v.id, Namespace: v.ns, FlowID: v.flow, State: v.state, URL: v.url,
		Outputs: v.outputs, Labels: userLabels(v.exec)}
	if out.Outputs == nil {
		out.Outputs = map[string]any{}
	}
	if v.errText != "" {
		s := v.errText
		out.Error = &s
	}
	if d, ok := duration(v.exec, now); ok {
		s := d.Seconds()
		out.DurationSeconds = &s
	}
	return out
}

// userLabels are an execution's labels without the system.* ones.
func userLabels(e *api.Execution) map[string]string {
	out := map[string]string{}
	if e == nil {
		return out
	}
	for _, l := range e.Labels {
		if !strings.HasPrefix(l.Key, "system.") {
			out[l.Key] = l.Value
		}
	}
	return out
}

// duration is from the execution's start to its end, or to now while it
// runs.
func duration(e *api.Execution, now time.Time) (time.Duration, bool) {
	if e == nil || e.State.StartDate.IsZero() {
		return 0, false
	}
	end := now
	if !e.State.EndDate.IsZero() && facade.IsTerminal(e.State.Current) {
		end = e.State.EndDate
	}
	return end.Sub(e.State.StartDate), true
}

// writeJSON prints v as indented JSON. encoding/json escapes the C0
// controls but writes DEL, the C1 controls and the bidirectional overrides
// as they are; they are escaped too (outside strings JSON is ASCII, so the
// replacement is always inside a string, where \uXXXX is valid).
func writeJSON(w io.Writer, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	_, err = io.WriteString(w, escapeJSONText(string(b))+"\n")
	return err
}

func escapeJSONText(s string) string {
	if isClean(s, true) {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if r != '\n' && r != '\t' && unsafeRune(r) {
			fmt.Fprintf(&b, "\\u%04x", r)
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// writeText prints an execution for people: aligned "field value" lines.
func (v view) writeText(w io.Writer, now time.Time) {
	j := v.json(now)
	line := func(k, val string) {
		if val != "" {
			fmt.Fprintf(w, "%-10s %s\n", k, cleanLine(val))
		}
	}
	line("execution", j.ID)
	if j.Namespace != "" {
		line("flow", j.Namespace+"/"+j.FlowID)
	}
	line("state", j.State)
	if j.DurationSeconds != nil {
		line("duration", secondsText(*j.DurationSeconds))
	}
	line("url", j.URL)
	if len(j.Labels) > 0 {
		var ls []string
		for _, k := range slices.Sorted(maps.Keys(j.Labels)) {
			ls = append(ls, k+":"+j.Labels[k])
		}
		line("labels", strings.Join(ls, ", "))
	}
	if len(j.Outputs) > 0 {
		fmt.Fprintln(w, "outputs")
		for _, k := range slices.Sorted(maps.Keys(j.Outputs)) {
			fmt.Fprintf(w, "  %s = %s\n", cleanLine(k), cleanLine(valueText(j.Outputs[k])))
		}
	}
	if j.Error != nil {
		fmt.Fprintf(w, "%-10s %s\n", "error", indent(cleanText(*j.Error)))
	}
}

// secondsText prints a duration for people: milliseconds, "<1ms" for a
// shorter one that is not zero.
func secondsText(sec float64) string {
	d := time.Duration(sec * float64(time.Second))
	if r := d.Round(time.Millisecond); r > 0 || d <= 0 {
		return r.String()
	}
	return "<1ms"
}

// valueText prints strings as they are and other values as JSON.
func valueText(v any) string {
	if s, ok := v.(string); ok {
		return s
	}
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}

// indent aligns the continuation lines of a multi-line value.
func indent(s string) string {
	return strings.ReplaceAll(strings.TrimRight(s, "\n"), "\n", "\n"+strings.Repeat(" ", 11))
}
