package kestratest

import (
	"fmt"
	"time"

	"github.com/kestra-go/kestra-go/api"
	"github.com/kestra-go/kestra-go/kestratest/internal/domain"
)

// The triggers' states as data, and the changes the API makes to them
// (triggers.go answers the requests). Trigger states: kestratest has no scheduler, so a flow's triggers never
// fire (but webhooks, on request), and their states are data that the API
// reads and changes as the server's scheduler stores them: disabled,
// locked (by a running execution: never here), backfills (created,
// paused, unpaused, deleted; no execution is started for them).

const scheduleTrigger = "io.kestra.plugin.core.trigger.Schedule"

// triggerState is the scheduler's state of one trigger of a flow.
type triggerState struct {
	namespace, flowID, triggerID string
	disabled                     bool
	updated                      time.Time
	backfill                     *backfillState
}

type backfillState struct {
	start, end, current time.Time
	paused              bool
	inputs              map[string]any
	labels              []label
}

// flowTrigger is a trigger as a flow declares it.
type flowTrigger struct {
	ID, Type, Description string
	Disabled              bool
}

func (f *flowDef) triggers() []flowTrigger {
	list, _ := f.Raw["triggers"].([]any)
	var out []flowTrigger
	for _, item := range list {
		m, _ := item.(map[string]any)
		id, _ := m["id"].(string)
		if id == "" {
			continue
		}
		t := flowTrigger{ID: id}
		t.Type, _ = m["type"].(string)
		t.Description, _ = m["description"].(string)
		t.Disabled, _ = m["disabled"].(bool)
		out = append(out, t)
	}
	return out
}

func triggerKey(ns, flowID, triggerID string) string {
	return ns + "\x00" + flowID + "\x00" + triggerID
}

// triggerWithState is a declared trigger and its state.
type triggerWithState struct {
	flow    *flowDef
	trigger flowTrigger
	state   *triggerState
}

// triggerStates returns the triggers of the live flows with their states
// (created on first sight), sorted by namespace, flow and trigger id.
func (ts *tenantStore) triggerStates() []triggerWithState {
	flows := ts.liveFlows()
	ts.mu.Lock()
	defer ts.mu.Unlock()
	var out []triggerWithState
	for _, f := range flows {
		for _, t := range f.triggers() {
			k := triggerKey(f.Namespace, f.ID, t.ID)
			st := ts.triggers[k]
			if st == nil {
				st = &triggerState{namespace: f.Namespace, flowID: f.ID, triggerID: t.ID, disabled: t.Disabled, updated: time.Time(f.Updated)}
				ts.triggers[k] = st
			}
			out = append(out, triggerWithState{f, t, st})
		}
	}
	return out
}

// findTrigger returns one trigger and its state, or nil.
func (ts *tenantStore) findTrigger(ns, flowID, triggerID string) *triggerWithState {
	for _, t := range ts.triggerStates() {
		if t.state.namespace == ns && t.state.flowID == flowID && t.state.triggerID == triggerID {
			return &t
		}
	}
	return nil
}

func triggerNotFound(ns, flowID, triggerID string) error {
	return domain.NotFound(fmt.Sprintf("Trigger %s.%s.%s not found", ns, flowID, triggerID))
}

// triggerChange changes one trigger's state (under ts.mu); an error leaves
// it unchanged.
type triggerChange func(t *triggerWithState) error

// Backfill actions, one trigger at a time (under ts.mu).

func createBackfill(t *triggerWithState, req api.BackfillRequest) error {
	if t.trigger.Type != scheduleTrigger && t.trigger.Type != "io.kestra.core.models.triggers.types.Schedule" {
		return domain.Conflict("Backfills are only possible on Schedule triggers, not " + t.trigger.Type)
	}
	if t.state.backfill != nil {
		return domain.Conflict("A backfill already exists for this trigger")
	}
	if req.Start.IsZero() {
		return domain.InvalidArgument("A backfill needs a start date")
	}
	end := req.End
	if end.IsZero() {
		end = time.Now()
	}
	if req.Start.After(end) {
		return domain.InvalidArgument("Start date must be before End Date")
	}
	var labels []label
	for _, l := range req.Labels {
		labels = append(labels, label{Key: l.Key, Value: l.Value})
	}
	t.state.backfill = &backfillState{start: req.Start, end: end, current: req.Start, inputs: req.Inputs, labels: labels}
	return nil
}

func deleteBackfill(t *triggerWithState) error {
	if t.state.backfill == nil {
		return domain.Conflict("No backfill for this trigger")
	}
	t.state.backfill = nil
	return nil
}

func pauseBackfill(paused bool) triggerChange {
	return func(t *triggerWithState) error {
		if t.state.backfill == nil {
			return domain.Conflict("No backfill for this trigger")
		}
		t.state.backfill.paused = paused
		return nil
	}
}

// refTriggers returns the known triggers among refs.
func (ts *tenantStore) refTriggers(refs []api.TriggerRef) []triggerWithState {
	var out []triggerWithState
	for _, ref := range refs {
		if t := ts.findTrigger(ref.Namespace, ref.FlowID, ref.TriggerID); t != nil {
			out = append(out, *t)
		}
	}
	return out
}

// resetTrigger deletes a trigger's state (back to its declaration).
func resetTrigger(ts *tenantStore) triggerChange {
	return func(t *triggerWithState) error {
		delete(ts.triggers, triggerKey(t.state.namespace, t.state.flowID, t.state.triggerID))
		return nil
	}
}

func setTriggerDisabled(disabled bool) triggerChange {
	return func(t *triggerWithState) error {
		t.state.disabled = disabled
		return nil
	}
}

// unlock: no trigger is ever locked here (no scheduler runs them).
func unlockTrigger(*triggerWithState) error { return domain.Conflict("Trigger is not locked") }
