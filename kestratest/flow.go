package kestratest

import (
	"errors"
	"time"

	"github.com/kestra-go/kestra-go/kestratest/internal/flowdef"
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

// flowDef is a deployed flow revision: what its source declares
// (flowdef.Flow) and what the store adds.
type flowDef struct {
	flowdef.Flow
	Revision int
	Deleted  bool
	// Draft revisions (createFlow/updateFlow ?draft=true, 2.0) are skipped
	// when an execution starts without an explicit revision.
	Draft   bool
	Updated jtime // when this revision was saved

	run RunFunc // non-nil for flows bound to Go code
}

// parseFlow parses a flow source into a revision to store (see
// flowdef.Parse).
func parseFlow(source string) (*flowDef, error) {
	f, err := flowdef.Parse(source)
	if err != nil {
		return nil, err
	}
	return &flowDef{Flow: *f}, nil
}

// flowConstraints is the server's violation message of a flow-parsing
// error.
func flowConstraints(err error) string {
	var inv *flowdef.InvalidError
	if errors.As(err, &inv) {
		return inv.Constraints()
	}
	return err.Error()
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
			for k, v := range in.Raw {
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
		if v, ok := f.Raw[k]; ok && v != nil {
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
