package kestratest

import (
	"bytes"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

// InputDef declares an input of a flow bound to Go code with BindFlow.
// Type is one of Kestra's input types (STRING, INT, FLOAT, BOOLEAN, DATETIME,
// DATE, TIME, DURATION, JSON, YAML, ARRAY, FILE, URI, ENUM, SELECT...); an empty
// Type means STRING. Defaults is used when the caller sends no value; as in
// Kestra, a Required input with Defaults is satisfied by them.
type InputDef struct {
	ID       string
	Type     string
	Required bool
	Defaults any
}

// inputSpec is a declared flow input, as parsed from YAML.
type inputSpec struct {
	ID          string
	Type        string
	Required    bool
	Defaults    any
	HasDefaults bool
	ItemType    string
	Values      []string
	raw         map[string]any
}

// taskSpec is a task of a flow: its id, type and all other properties.
type taskSpec struct {
	ID    string
	Type  string
	Props map[string]any
	raw   map[string]any
}

// outputSpec is a flow-level output (flow `outputs:`), rendered at the end.
type outputSpec struct {
	ID    string
	Type  string
	Value any
}

// flowDef is a deployed flow revision.
type flowDef struct {
	ID          string
	Namespace   string
	Revision    int
	Description string
	Inputs      []inputSpec
	Tasks       []taskSpec
	Outputs     []outputSpec
	Labels      []label
	Disabled    bool
	Deleted     bool
	// Draft revisions (createFlow/updateFlow ?draft=true, 2.0) are skipped
	// when an execution starts without an explicit revision.
	Draft   bool
	Source  string
	Updated jtime // when this revision was saved
	raw     map[string]any

	run RunFunc // non-nil for flows bound to Go code
}

var (
	flowIDPattern    = regexp.MustCompile(`^[a-zA-Z0-9][a-zA-Z0-9._-]*$`)
	namespacePattern = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]*$`)
)

// errInvalidFlow wraps every flow-parsing error (answered 422 by the API).
var errInvalidFlow = errors.New("invalid flow")

// parseFlow parses a Kestra flow YAML source. It checks what the engine
// needs (id, namespace, task ids and types, input ids); it does not check
// plugin properties: unknown task types are accepted here and fail at run
// time, so flows written for a real server can be deployed as they are.
func parseFlow(source string) (*flowDef, error) {
	var raw map[string]any
	dec := yaml.NewDecoder(strings.NewReader(source))
	if err := dec.Decode(&raw); err != nil {
		return nil, fmt.Errorf("%w: %v", errInvalidFlow, err)
	}
	// A second document means several flows were sent where one is expected.
	var extra any
	if err := dec.Decode(&extra); err == nil && extra != nil {
		return nil, fmt.Errorf("%w: several YAML documents in one flow source", errInvalidFlow)
	}
	if raw == nil {
		return nil, fmt.Errorf("%w: empty flow source", errInvalidFlow)
	}
	raw = normalizeYAML(raw).(map[string]any)
	f := &flowDef{Source: source, raw: raw}
	f.ID, _ = raw["id"].(string)
	f.Namespace, _ = raw["namespace"].(string)
	f.Description, _ = raw["description"].(string)
	if d, ok := raw["disabled"].(bool); ok {
		f.Disabled = d
	}
	var problems []string
	if f.ID == "" {
		problems = append(problems, "id: must not be null")
	} else if !flowIDPattern.MatchString(f.ID) || len(f.ID) > 100 {
		problems = append(problems, "id: must match \"^[a-zA-Z0-9][a-zA-Z0-9._-]*\"")
	}
	if f.Namespace == "" {
		problems = append(problems, "namespace: must not be null")
	} else if !namespacePattern.MatchString(f.Namespace) || len(f.Namespace) > 150 {
		problems = append(problems, "namespace: must match \"^[a-z0-9][a-z0-9._-]*\"")
	}
	labels, err := parseFlowLabels(raw["labels"])
	if err != nil {
		problems = append(problems, err.Error())
	}
	f.Labels = labels
	inputs, inputProblems := parseInputs(raw["inputs"])
	f.Inputs = inputs
	problems = append(problems, inputProblems...)
	tasks, ok := raw["tasks"].([]any)
	if !ok || len(tasks) == 0 {
		problems = append(problems, "tasks: must not be empty")
	}
	seenTask := map[string]bool{}
	for i, item := range tasks {
		m, ok := item.(map[string]any)
		if !ok {
			problems = append(problems, fmt.Sprintf("tasks[%d]: must be an object", i))
			continue
		}
		t := taskSpec{raw: m, Props: map[string]any{}}
		t.ID, _ = m["id"].(string)
		t.Type, _ = m["type"].(string)
		if t.ID == "" {
			problems = append(problems, fmt.Sprintf("tasks[%d].id: must not be null", i))
		}
		if t.Type == "" {
			problems = append(problems, fmt.Sprintf("tasks[%d].type: must not be null", i))
		}
		if seenTask[t.ID] {
			problems = append(problems, fmt.Sprintf("tasks: duplicate task id %q", t.ID))
		}
		seenTask[t.ID] = true
		for k, v := range m {
			if k != "id" && k != "type" {
				t.Props[k] = v
			}
		}
		f.Tasks = append(f.Tasks, t)
	}
	if outs, ok := raw["outputs"].([]any); ok {
		for i, item := range outs {
			m, ok := item.(map[string]any)
			if !ok {
				problems = append(problems, fmt.Sprintf("outputs[%d]: must be an object", i))
				continue
			}
			o := outputSpec{Value: m["value"]}
			o.ID, _ = m["id"].(string)
			o.Type, _ = m["type"].(string)
			if o.ID == "" {
				problems = append(problems, fmt.Sprintf("outputs[%d].id: must not be null", i))
				continue
			}
			f.Outputs = append(f.Outputs, o)
		}
	}
	if len(problems) > 0 {
		return nil, fmt.Errorf("%w: %s", errInvalidFlow, strings.Join(problems, ", "))
	}
	return f, nil
}

// parseFlowLabels accepts both label forms Kestra accepts in a flow: a map
// (`labels: {env: prod}`) and a list of {key, value}.
func parseFlowLabels(v any) ([]label, error) {
	switch l := v.(type) {
	case nil:
		return nil, nil
	case map[string]any:
		out := make([]label, 0, len(l))
		for k, val := range l {
			out = append(out, label{Key: k, Value: fmt.Sprint(val)})
		}
		sortLabels(out)
		return out, nil
	case []any:
		out := make([]label, 0, len(l))
		for _, item := range l {
			m, ok := item.(map[string]any)
			if !ok {
				return nil, errors.New("labels: each label must have a key and a value")
			}
			k, _ := m["key"].(string)
			if k == "" {
				return nil, errors.New("labels: each label must have a key and a value")
			}
			out = append(out, label{Key: k, Value: fmt.Sprint(m["value"])})
		}
		return out, nil
	}
	return nil, errors.New("labels: must be a map or a list of key/value")
}

// normalizeYAML turns what yaml.v3 decodes into JSON-compatible values
// (map[string]any everywhere).
func normalizeYAML(v any) any {
	switch t := v.(type) {
	case map[string]any:
		for k, val := range t {
			t[k] = normalizeYAML(val)
		}
		return t
	case map[any]any:
		m := make(map[string]any, len(t))
		for k, val := range t {
			m[fmt.Sprint(k)] = normalizeYAML(val)
		}
		return m
	case []any:
		for i, val := range t {
			t[i] = normalizeYAML(val)
		}
		return t
	}
	return v
}

// splitYAMLDocuments splits a multi-document source on `---` lines, as the
// namespace-update endpoint does.
func splitYAMLDocuments(src string) []string {
	var docs []string
	var cur bytes.Buffer
	for _, line := range strings.SplitAfter(src, "\n") {
		if strings.TrimRight(line, "\r\n \t") == "---" {
			if strings.TrimSpace(cur.String()) != "" {
				docs = append(docs, cur.String())
			}
			cur.Reset()
			continue
		}
		cur.WriteString(line)
	}
	if strings.TrimSpace(cur.String()) != "" {
		docs = append(docs, cur.String())
	}
	return docs
}

// flowJSON is the FlowWithSource / Flow shape sent to clients.
func (f *flowDef) toJSON(tenant string, withSource bool) map[string]any {
	m := map[string]any{
		"id":        f.ID,
		"namespace": f.Namespace,
		"revision":  f.Revision,
		"disabled":  f.Disabled,
		"deleted":   f.Deleted,
		"draft":     f.Draft, // 2.0: always written (required in the 2.0 document)
	}
	if tenant != "" {
		m["tenantId"] = tenant
	}
	if f.Description != "" {
		m["description"] = f.Description
	}
	if len(f.Labels) > 0 {
		m["labels"] = f.Labels
	}
	if !time.Time(f.Updated).IsZero() {
		m["updated"] = f.Updated
	}
	if len(f.Inputs) > 0 {
		// As the server re-serialises them: `id` (also for the old `name`
		// key) and the type in upper case.
		inputs := make([]map[string]any, 0, len(f.Inputs))
		for _, in := range f.Inputs {
			im := map[string]any{}
			for k, v := range in.raw {
				if k != "name" {
					im[k] = v
				}
			}
			im["id"], im["type"], im["required"] = in.ID, in.Type, in.Required
			inputs = append(inputs, im)
		}
		m["inputs"] = inputs
	}
	for _, k := range []string{"tasks", "outputs", "variables", "errors", "finally", "afterExecution", "triggers", "concurrency", "pluginDefaults", "retry", "sla", "workerGroup"} {
		if v, ok := f.raw[k]; ok && v != nil {
			m[k] = v
		}
	}
	if c, ok := m["concurrency"].(map[string]any); ok {
		// The server writes the concurrency's defaults (behavior QUEUE).
		if _, ok := c["behavior"]; !ok {
			withDefault := map[string]any{"behavior": "QUEUE"}
			for k, v := range c {
				withDefault[k] = v
			}
			m["concurrency"] = withDefault
		}
	}
	if f.run != nil {
		m["tasks"] = []any{map[string]any{"id": goTaskID, "type": goTaskType}}
	}
	if withSource {
		m["source"] = f.Source
	}
	return m
}

// parseInputs parses a list of input declarations (a flow's `inputs`, a
// Pause task's `onResume`); it returns the problems found.
func parseInputs(in any) ([]inputSpec, []string) {
	if in == nil {
		return nil, nil
	}
	var out []inputSpec
	var problems []string
	list, ok := in.([]any)
	if !ok {
		problems = append(problems, "inputs: must be a list")
	}
	seen := map[string]bool{}
	for i, item := range list {
		m, ok := item.(map[string]any)
		if !ok {
			problems = append(problems, fmt.Sprintf("inputs[%d]: must be an object", i))
			continue
		}
		spec := inputSpec{raw: m, Required: true}
		spec.ID, _ = m["id"].(string)
		if spec.ID == "" {
			spec.ID, _ = m["name"].(string) // before 0.14 inputs had `name`
		}
		if spec.ID == "" {
			problems = append(problems, fmt.Sprintf("inputs[%d].id: must not be null", i))
			continue
		}
		if seen[spec.ID] {
			problems = append(problems, fmt.Sprintf("inputs: duplicate id %q", spec.ID))
		}
		seen[spec.ID] = true
		t, _ := m["type"].(string)
		spec.Type = strings.ToUpper(t)
		if spec.Type == "" {
			problems = append(problems, fmt.Sprintf("inputs[%d].type: must not be null", i))
		}
		if r, ok := m["required"].(bool); ok {
			spec.Required = r
		}
		if d, ok := m["defaults"]; ok && d != nil {
			spec.Defaults, spec.HasDefaults = d, true
		}
		it, _ := m["itemType"].(string)
		spec.ItemType = strings.ToUpper(it)
		if vs, ok := m["values"].([]any); ok {
			for _, v := range vs {
				spec.Values = append(spec.Values, fmt.Sprint(v))
			}
		}
		out = append(out, spec)
	}

	return out, problems
}
