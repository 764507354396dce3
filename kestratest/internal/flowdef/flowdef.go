// Package flowdef is kestratest's flow model: it parses a Kestra flow's
// YAML source into the declarations the engine runs (inputs, tasks,
// outputs, labels) and knows nothing of HTTP. A source that is not a flow
// is an *InvalidError (errors.Is ErrInvalid); the HTTP layer turns it into
// the server's 422 answer.
package flowdef

import (
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"
)

// Label is a key/value label of a flow or an execution.
type Label struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

// SortLabels orders labels by key (stable), the order the server writes a
// label map in.
func SortLabels(l []Label) {
	sort.SliceStable(l, func(i, j int) bool { return l[i].Key < l[j].Key })
}

// Input is a declared input (of a flow, or of a Pause task's onResume).
type Input struct {
	ID          string
	Type        string // upper case
	Required    bool
	Defaults    any
	HasDefaults bool
	ItemType    string
	Values      []string
	Raw         map[string]any // the declaration as written, for rendering
}

// Task is a task of a flow: its id, type and all other properties.
type Task struct {
	ID    string
	Type  string
	Props map[string]any
	Raw   map[string]any
}

// Output is a flow-level output (flow `outputs:`), rendered at the end.
type Output struct {
	ID    string
	Type  string
	Value any
}

// Flow is what a flow source declares; revisions, deletion and drafts are
// the store's business.
type Flow struct {
	ID          string
	Namespace   string
	Description string
	Inputs      []Input
	Tasks       []Task
	Outputs     []Output
	Labels      []Label
	Disabled    bool
	Source      string
	Raw         map[string]any // the whole source, JSON-compatible
}

// ErrInvalid is matched (errors.Is) by every error of Parse.
var ErrInvalid = errors.New("invalid flow")

// InvalidError lists what makes a source not a flow, in the server's
// constraint wording ("id: must not be null").
type InvalidError struct {
	Problems []string
}

func (e *InvalidError) Error() string { return ErrInvalid.Error() + ": " + e.Constraints() }

// Unwrap makes errors.Is(err, ErrInvalid) true.
func (e *InvalidError) Unwrap() error { return ErrInvalid }

// Constraints is the problems joined as the server's violation message.
func (e *InvalidError) Constraints() string { return strings.Join(e.Problems, ", ") }

func invalid(problems ...string) error { return &InvalidError{Problems: problems} }

var (
	flowIDPattern    = regexp.MustCompile(`^[a-zA-Z0-9][a-zA-Z0-9._-]*$`)
	namespacePattern = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]*$`)
)

// Parse parses a Kestra flow YAML source. It checks what the engine needs
// (id, namespace, task ids and types, input ids); it does not check plugin
// properties: unknown task types are accepted here and fail at run time,
// so flows written for a real server can be deployed as they are.
func Parse(source string) (*Flow, error) {
	var raw map[string]any
	dec := yaml.NewDecoder(strings.NewReader(source))
	if err := dec.Decode(&raw); err != nil {
		return nil, invalid(err.Error())
	}
	// A second document means several flows were sent where one is expected.
	var extra any
	if err := dec.Decode(&extra); err == nil && extra != nil {
		return nil, invalid("several YAML documents in one flow source")
	}
	if raw == nil {
		return nil, invalid("empty flow source")
	}
	raw = NormalizeYAML(raw).(map[string]any)
	f := &Flow{Source: source, Raw: raw}
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
	labels, err := parseLabels(raw["labels"])
	if err != nil {
		problems = append(problems, err.Error())
	}
	f.Labels = labels
	inputs, inputProblems := ParseInputs(raw["inputs"])
	f.Inputs = inputs
	problems = append(problems, inputProblems...)
	tasks, taskProblems := parseTasks(raw["tasks"])
	f.Tasks = tasks
	problems = append(problems, taskProblems...)
	outputs, outputProblems := parseOutputs(raw["outputs"])
	f.Outputs = outputs
	problems = append(problems, outputProblems...)
	if len(problems) > 0 {
		return nil, invalid(problems...)
	}
	return f, nil
}

func parseTasks(v any) ([]Task, []string) {
	var problems []string
	tasks, ok := v.([]any)
	if !ok || len(tasks) == 0 {
		problems = append(problems, "tasks: must not be empty")
	}
	var out []Task
	seenTask := map[string]bool{}
	for i, item := range tasks {
		m, ok := item.(map[string]any)
		if !ok {
			problems = append(problems, fmt.Sprintf("tasks[%d]: must be an object", i))
			continue
		}
		t := Task{Raw: m, Props: map[string]any{}}
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
		out = append(out, t)
	}
	return out, problems
}

func parseOutputs(v any) ([]Output, []string) {
	outs, ok := v.([]any)
	if !ok {
		return nil, nil
	}
	var out []Output
	var problems []string
	for i, item := range outs {
		m, ok := item.(map[string]any)
		if !ok {
			problems = append(problems, fmt.Sprintf("outputs[%d]: must be an object", i))
			continue
		}
		o := Output{Value: m["value"]}
		o.ID, _ = m["id"].(string)
		o.Type, _ = m["type"].(string)
		if o.ID == "" {
			problems = append(problems, fmt.Sprintf("outputs[%d].id: must not be null", i))
			continue
		}
		out = append(out, o)
	}
	return out, problems
}

// parseLabels accepts both label forms Kestra accepts in a flow: a map
// (`labels: {env: prod}`) and a list of {key, value}.
func parseLabels(v any) ([]Label, error) {
	switch l := v.(type) {
	case nil:
		return nil, nil
	case map[string]any:
		out := make([]Label, 0, len(l))
		for k, val := range l {
			out = append(out, Label{Key: k, Value: fmt.Sprint(val)})
		}
		SortLabels(out)
		return out, nil
	case []any:
		out := make([]Label, 0, len(l))
		for _, item := range l {
			m, ok := item.(map[string]any)
			if !ok {
				return nil, errors.New("labels: each label must have a key and a value")
			}
			k, _ := m["key"].(string)
			if k == "" {
				return nil, errors.New("labels: each label must have a key and a value")
			}
			out = append(out, Label{Key: k, Value: fmt.Sprint(m["value"])})
		}
		return out, nil
	}
	return nil, errors.New("labels: must be a map or a list of key/value")
}

// ParseInputs parses a list of input declarations (a flow's `inputs`, a
// Pause task's `onResume`); it returns the problems found.
func ParseInputs(in any) ([]Input, []string) {
	if in == nil {
		return nil, nil
	}
	var out []Input
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
		spec := Input{Raw: m, Required: true}
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
