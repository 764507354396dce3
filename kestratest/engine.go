package kestratest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/flosch/pongo2/v6"

	"github.com/kestra-go/kestra-go/api"
	"github.com/kestra-go/kestra-go/internal/javatime"
	"github.com/kestra-go/kestra-go/kestratest/internal/domain"
	"github.com/kestra-go/kestra-go/kestratest/internal/flowdef"
)

// Task types the engine runs. Older (pre-0.17) names are accepted as aliases.
const (
	taskLog          = "io.kestra.plugin.core.log.Log"
	taskOutputValues = "io.kestra.plugin.core.output.OutputValues"
	taskReturn       = "io.kestra.plugin.core.debug.Return"
	taskSleep        = "io.kestra.plugin.core.flow.Sleep"
	taskPause        = "io.kestra.plugin.core.flow.Pause"
	taskFail         = "io.kestra.plugin.core.execution.Fail"

	// goTaskID and goTaskType name the single task run of a flow bound to a
	// Go function with BindFlow.
	goTaskID   = "run"
	goTaskType = "kestratest.GoFunction"
)

var taskAliases = map[string]string{
	"io.kestra.core.tasks.log.Log":             taskLog,
	"io.kestra.core.tasks.debugs.Echo":         taskLog,
	"io.kestra.core.tasks.debugs.Return":       taskReturn,
	"io.kestra.core.tasks.flows.Pause":         taskPause,
	"io.kestra.core.tasks.executions.Fail":     taskFail,
	"io.kestra.plugin.core.debug.Echo":         taskLog,
	"io.kestra.core.tasks.flows.Sleep":         taskSleep,
	"io.kestra.plugin.core.output.OutputValue": taskOutputValues,
}

var supportedTaskTypes = []string{taskLog, taskOutputValues, taskReturn, taskSleep, taskPause, taskFail}

// SupportedTaskTypes returns the task types kestratest executes (their
// current names; older io.kestra.core.tasks.* aliases are accepted too). Any
// other type fails its execution with an ERROR log line.
func SupportedTaskTypes() []string { return append([]string(nil), supportedTaskTypes...) }

// RunFunc drives an execution of a flow bound with BindFlow. Returning nil
// ends the execution in SUCCESS, unless r.SetState chose another state;
// returning an error ends it in FAILED with the error as an ERROR log line.
// ctx is cancelled when the execution is killed or the server closes (the
// execution then ends KILLED whatever the function returns).
type RunFunc func(ctx context.Context, r *Run) error

// Run is the handle a RunFunc uses to act on its execution. Its methods are
// safe for concurrent use.
type Run struct {
	s       *Server
	ts      *tenantStore
	rec     *execRecord
	execID  string
	trID    string
	ns, fid string
	inputs  map[string]any

	mu      sync.Mutex
	state   api.StateType
	outputs map[string]any
}

// Inputs returns the converted inputs of the execution (INT as int64,
// FLOAT as float64, JSON/ARRAY decoded, FILE as a kestra:// URI).
func (r *Run) Inputs() map[string]any {
	out := make(map[string]any, len(r.inputs))
	for k, v := range r.inputs {
		out[k] = v
	}
	return out
}

// ExecutionID returns the id of the execution being driven.
func (r *Run) ExecutionID() string { return r.execID }

// Log stores a log line (level ERROR, WARN, INFO, DEBUG or TRACE) for the
// execution; log followers receive it at once.
func (r *Run) Log(level, msg string) {
	r.s.emitLog(r.ts, r.ns, r.fid, r.execID, goTaskID, r.trID, strings.ToUpper(level), msg)
}

// SetOutput sets an execution output (visible in the execution's outputs
// and in the task run's outputs).
func (r *Run) SetOutput(key string, v any) {
	r.mu.Lock()
	r.outputs[key] = v
	out := copyMap(r.outputs)
	r.mu.Unlock()
	r.ts.update(r.execID, func(e *execution) {
		e.Outputs = out
		for i := range e.TaskRunList {
			if e.TaskRunList[i].ID == r.trID {
				e.TaskRunList[i].Outputs = out
			}
		}
	})
}

// SetState chooses the final state used when the function returns nil:
// a terminal state name such as "SUCCESS", "WARNING", "FAILED", "KILLED",
// "CANCELLED", "RETRIED", "SKIPPED".
func (r *Run) SetState(state string) {
	r.mu.Lock()
	r.state = api.StateType(strings.ToUpper(state))
	r.mu.Unlock()
}

// Pause moves the execution to PAUSED until it is resumed through the API
// (resumeExecution) or ctx ends; it returns ctx's error in the latter case.
func (r *Run) Pause(ctx context.Context) error {
	return r.s.pause(ctx, r.ts, r.rec, r.trID, 0)
}

// Execution returns a snapshot of the execution as the API serves it.
func (r *Run) Execution() api.Execution {
	b, _, _ := r.ts.getExecution(r.execID)
	var e api.Execution
	_ = json.Unmarshal(b, &e)
	return e
}

func copyMap(m map[string]any) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

// log stores one log line of an execution.
func (s *Server) emitLog(ts *tenantStore, ns, flowID, execID, taskID, trID, level, msg string) {
	// Logback events carry epoch milliseconds: so do stored log lines.
	now := jtime(time.Now().Truncate(time.Millisecond))
	var att *int
	if trID != "" {
		zero := 0
		att = &zero
	}
	if _, ok := levelRank[level]; !ok {
		level = "INFO"
	}
	ts.addLog(logEntry{
		Namespace: ns, FlowID: flowID, TaskID: taskID, ExecutionID: execID, TaskRunID: trID,
		AttemptNumber: att, Timestamp: &now, Level: level, Message: msg,
		Thread: "kestratest-" + execID[:min(8, len(execID))],
	})
}

// startOptions are the createExecution query options the engine honours.
type startOptions struct {
	trigger      *execTrigger
	labels       []label
	kind         string
	scheduleDate *time.Time
	originalID   string // replays keep the id of the first execution
}

// beginRun registers a new run with the server (Close waits for it) and
// returns its context; while the server closes it answers 503.
func (s *Server) beginRun() (context.Context, context.CancelFunc, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil, nil, domain.Unavailable("server is closing")
	}
	s.wg.Add(1)
	ctx, cancel := context.WithCancel(s.ctx)
	return ctx, cancel, nil
}

// startExecution validates and stores a new execution and starts running it.
func (s *Server) startExecution(ts *tenantStore, ns, id string, rev int, given map[string]rawInput, opt startOptions) (*execRecord, error) {
	f := ts.getFlow(ns, id, rev, false)
	if rev == 0 {
		f = ts.runnableFlow(ns, id)
	}
	if f == nil {
		return nil, domain.NotFound("Requested Flow is not found.")
	}
	if f.Disabled {
		return nil, domain.Conflict("Requested Flow is disabled.")
	}
	execID := newID()
	inputs, warnings, aerr := resolveInputs(ts, f, execID, given)
	if aerr != nil {
		return nil, aerr
	}
	now := time.Now()
	rec := &execRecord{
		e: execution{
			ID: execID, TenantID: ts.name, Namespace: ns, FlowID: id, FlowRevision: f.Revision,
			Labels: mergeLabels(f.Labels, opt.labels), Inputs: inputs,
			State: newState(stateCreated, now), OriginalID: execID, Kind: opt.kind,
			Metadata: execMetadata{AttemptNumber: 1, OriginalCreatedDate: jtime(now)},
		},
		resume:  make(chan struct{}, 1),
		release: make(chan api.StateType, 1),
		done:    make(chan struct{}),
		created: now,
	}
	if !hasLabel(rec.e.Labels, correlationLabel) {
		// Execution.newExecution: every execution created without one
		// carries its own id (core/src/main/java/io/kestra/core/models/
		// executions/Execution.java); a replay keeps its original's.
		rec.e.Labels = append(rec.e.Labels, label{Key: correlationLabel, Value: execID})
	}
	rec.e.Trigger = opt.trigger
	if opt.originalID != "" {
		rec.e.OriginalID = opt.originalID
	}
	if opt.scheduleDate != nil {
		sd := jtime(*opt.scheduleDate)
		rec.e.ScheduleDate = &sd
	}
	if rec.e.Labels == nil {
		rec.e.Labels = []label{}
	}
	ctx, cancel, aerr := s.beginRun()
	if aerr != nil {
		return nil, aerr
	}
	rec.cancel = cancel
	rec.initial = ts.addExecution(rec)
	for _, w := range warnings {
		s.emitLog(ts, ns, id, execID, "", "", "WARN", w)
	}
	go s.runExecution(ctx, ts, rec, f, 0)
	return rec, nil
}

// runExecution drives one execution to a terminal state, running the
// flow's tasks from index from (a restart skips the tasks that succeeded).
func (s *Server) runExecution(ctx context.Context, ts *tenantStore, rec *execRecord, f *flowDef, from int) {
	defer s.wg.Done()
	defer close(rec.done)
	defer rec.cancel()
	id := rec.e.ID
	if sd := rec.e.ScheduleDate; sd != nil {
		// A scheduled execution stays CREATED until its date.
		if d := time.Until(time.Time(*sd)); d > 0 && !s.sleepCtx(ctx, d) {
			ts.update(id, func(e *execution) {
				if e.State.Current != stateKilling {
					e.State.set(stateKilling, time.Now())
				}
				e.State.set(stateKilled, time.Now())
			})
			return
		}
	}
	if final, ok := s.takeSlot(ctx, ts, rec, f); !ok {
		ts.update(id, func(e *execution) {
			if final == stateKilled && e.State.Current != stateKilling {
				e.State.set(stateKilling, time.Now())
			}
			e.State.set(final, time.Now())
		})
		return
	}
	defer s.releaseSlot(ts, rec, f)
	ts.update(id, func(e *execution) { e.State.set(stateRunning, time.Now()) })

	var final api.StateType
	var flowOutputs map[string]any
	if f.run != nil {
		final, flowOutputs = s.runBound(ctx, ts, rec, f)
	} else {
		final, flowOutputs = s.runTasks(ctx, ts, rec, f, from)
	}
	if ctx.Err() != nil {
		final = stateKilled
	}
	ts.update(id, func(e *execution) {
		now := time.Now()
		if flowOutputs != nil {
			e.Outputs = flowOutputs
		}
		if final == stateKilled && e.State.Current != stateKilling {
			e.State.set(stateKilling, now)
		}
		e.State.set(final, now)
	})
}

func (s *Server) runBound(ctx context.Context, ts *tenantStore, rec *execRecord, f *flowDef) (api.StateType, map[string]any) {
	trID := newID()
	s.addTaskRun(ts, rec.e.ID, f, goTaskID, trID)
	r := &Run{s: s, ts: ts, rec: rec, execID: rec.e.ID, trID: trID, ns: f.Namespace, fid: f.ID,
		inputs: rec.e.Inputs, outputs: map[string]any{}}
	err := safeRun(ctx, f.run, r)
	state := stateSuccess
	r.mu.Lock()
	if r.state != "" {
		state = r.state
	}
	outputs := copyMap(r.outputs)
	r.mu.Unlock()
	if err != nil && ctx.Err() == nil {
		r.Log("ERROR", err.Error())
		state = stateFailed
	}
	if ctx.Err() != nil {
		state = stateKilled
	}
	if !state.IsTerminal() {
		r.Log("ERROR", fmt.Sprintf("kestratest: RunFunc chose the non-terminal state %q; the execution ends FAILED", state))
		state = stateFailed
	}
	s.finishTaskRun(ts, rec.e.ID, trID, state, outputs)
	if len(outputs) == 0 {
		outputs = nil
	}
	return state, outputs
}

// safeRun turns a panicking RunFunc into an error.
func safeRun(ctx context.Context, fn RunFunc, r *Run) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("RunFunc panicked: %v", p)
		}
	}()
	return fn(ctx, r)
}

func (s *Server) addTaskRun(ts *tenantStore, execID string, f *flowDef, taskID, trID string) {
	ts.update(execID, func(e *execution) {
		now := time.Now()
		st := newState(stateCreated, now)
		st.set(stateRunning, now)
		e.TaskRunList = append(e.TaskRunList, taskRun{
			ID: trID, ExecutionID: execID, Namespace: f.Namespace, FlowID: f.ID, TaskID: taskID,
			State: st, Attempts: []attempt{{State: newState(stateRunning, now)}},
		})
	})
}

func (s *Server) setTaskRunState(ts *tenantStore, execID, trID string, state api.StateType, execState api.StateType) {
	ts.update(execID, func(e *execution) {
		now := time.Now()
		for i := range e.TaskRunList {
			tr := &e.TaskRunList[i]
			if tr.ID == trID {
				tr.State.set(state, now)
				if n := len(tr.Attempts); n > 0 {
					tr.Attempts[n-1].State.set(state, now)
				}
			}
		}
		if execState != "" && e.State.Current != stateKilling {
			e.State.set(execState, now)
		}
	})
}

func (s *Server) finishTaskRun(ts *tenantStore, execID, trID string, state api.StateType, outputs map[string]any) {
	ts.update(execID, func(e *execution) {
		now := time.Now()
		for i := range e.TaskRunList {
			tr := &e.TaskRunList[i]
			if tr.ID == trID {
				if len(outputs) > 0 {
					tr.Outputs = outputs
				}
				tr.State.set(state, now)
				if n := len(tr.Attempts); n > 0 {
					tr.Attempts[n-1].State.set(state, now)
				}
			}
		}
	})
}

// pause moves a task run and its execution to PAUSED until resumed, d
// elapses (d > 0) or ctx ends.
func (s *Server) pause(ctx context.Context, ts *tenantStore, rec *execRecord, trID string, d time.Duration) error {
	s.setTaskRunState(ts, rec.e.ID, trID, statePaused, statePaused)
	var timer <-chan time.Time
	if d > 0 {
		t := time.NewTimer(d)
		defer t.Stop()
		timer = t.C
	}
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-rec.resume:
	case <-timer:
	}
	s.setTaskRunState(ts, rec.e.ID, trID, stateRunning, stateRunning)
	return nil
}

// runTasks runs the flow's tasks in order.
func (s *Server) runTasks(ctx context.Context, ts *tenantStore, rec *execRecord, f *flowDef, from int) (api.StateType, map[string]any) {
	execID := rec.e.ID
	vars := renderContext(ts.name, f, ts.copyExecution(rec))
	taskOutputs := vars["outputs"].(map[string]any)
	final := stateSuccess
	for i, t := range f.Tasks {
		if i < from {
			continue
		}
		if ctx.Err() != nil {
			return stateKilled, nil
		}
		if rec.pauseRequested.Swap(false) {
			// pauseExecution: stop before the next task until resumed.
			if err := s.pauseExecution(ctx, ts, rec); err != nil {
				return stateKilled, nil
			}
		}
		if d, _ := t.Props["disabled"].(bool); d {
			continue
		}
		trID := newID()
		s.addTaskRun(ts, execID, f, t.ID, trID)
		state, outputs := s.runTask(ctx, ts, rec, f, t, trID, vars)
		if ctx.Err() != nil {
			state = stateKilled
		}
		s.finishTaskRun(ts, execID, trID, state, outputs)
		if outputs != nil {
			taskOutputs[t.ID] = pebbleValues(outputs)
		}
		switch state {
		case stateKilled:
			return stateKilled, nil
		case stateFailed:
			if af, _ := t.Props["allowFailure"].(bool); af {
				final = stateWarning
				continue
			}
			return stateFailed, nil
		case stateWarning:
			final = stateWarning
		}
	}
	if len(f.Outputs) == 0 {
		return final, nil
	}
	out := map[string]any{}
	for _, o := range f.Outputs {
		v, err := renderValue(o.Value, vars)
		if err != nil {
			s.emitLog(ts, f.Namespace, f.ID, execID, "", "", "ERROR", fmt.Sprintf("Failed to render output %s: %v", o.ID, err))
			return stateFailed, nil
		}
		if o.Type != "" {
			if str, ok := v.(string); ok {
				if cv, err := convertInput(strings.ToUpper(o.Type), "", nil, str); err == nil {
					v = cv
				}
			}
		}
		out[o.ID] = v
	}
	return final, out
}

// runTask runs one task; it returns the task run's final state and outputs.
func (s *Server) runTask(ctx context.Context, ts *tenantStore, rec *execRecord, f *flowDef, t flowdef.Task, trID string, vars pongo2.Context) (api.StateType, map[string]any) {
	execID := rec.e.ID
	logf := func(level, msg string) { s.emitLog(ts, f.Namespace, f.ID, execID, t.ID, trID, level, msg) }
	fail := func(err error) (api.StateType, map[string]any) {
		logf("ERROR", err.Error())
		return stateFailed, nil
	}
	typ := t.Type
	if a, ok := taskAliases[typ]; ok {
		typ = a
	}
	switch typ {
	case taskLog:
		level := "INFO"
		if l, ok := t.Props["level"].(string); ok && l != "" {
			level = strings.ToUpper(l)
		}
		if _, ok := levelRank[level]; !ok {
			return fail(fmt.Errorf("invalid log level %q", level))
		}
		msgs := t.Props["message"]
		if msgs == nil {
			msgs = t.Props["format"] // Echo's property
		}
		var list []any
		switch m := msgs.(type) {
		case []any:
			list = m
		case nil:
			return fail(errors.New("message: must not be null"))
		default:
			list = []any{m}
		}
		for _, m := range list {
			str, err := renderString(fmt.Sprint(m), vars)
			if err != nil {
				return fail(err)
			}
			logf(level, str)
		}
		return stateSuccess, nil
	case taskOutputValues:
		v, err := renderValue(t.Props["values"], vars)
		if err != nil {
			return fail(err)
		}
		m, _ := v.(map[string]any)
		if m == nil {
			m = map[string]any{}
		}
		return stateSuccess, map[string]any{"values": m}
	case taskReturn:
		v, err := renderValue(t.Props["format"], vars)
		if err != nil {
			return fail(err)
		}
		return stateSuccess, map[string]any{"value": v}
	case taskSleep:
		ds, _ := t.Props["duration"].(string)
		d, err := javatime.ParseStdDuration(ds)
		if err != nil {
			return fail(fmt.Errorf("duration: %v", err))
		}
		timer := time.NewTimer(d)
		defer timer.Stop()
		select {
		case <-ctx.Done():
			return stateKilled, nil
		case <-timer.C:
		}
		return stateSuccess, nil
	case taskPause:
		var d time.Duration
		for _, k := range []string{"pauseDuration", "delay", "timeout"} {
			if ds, ok := t.Props[k].(string); ok && ds != "" {
				v, err := javatime.ParseStdDuration(ds)
				if err != nil {
					return fail(fmt.Errorf("%s: %v", k, err))
				}
				d = v
				break
			}
		}
		if err := s.pause(ctx, ts, rec, trID, d); err != nil {
			return stateKilled, nil
		}
		ts.mu.Lock()
		given := rec.resumeInputs
		rec.resumeInputs = nil
		ts.mu.Unlock()
		if len(given) > 0 {
			// Pause: the resumed inputs are the task's outputs.onResume.
			return stateSuccess, map[string]any{"onResume": given}
		}
		return stateSuccess, nil
	case taskFail:
		msg := "Task failure"
		if m, ok := t.Props["errorMessage"].(string); ok && m != "" {
			msg = m
		}
		if c, ok := t.Props["condition"]; ok && c != nil {
			cond, err := renderString(fmt.Sprint(c), vars)
			if err != nil {
				return fail(err)
			}
			if cond = strings.TrimSpace(cond); cond == "" || strings.EqualFold(cond, "false") {
				return stateSuccess, nil
			}
		}
		rendered, err := renderString(msg, vars)
		if err != nil {
			return fail(err)
		}
		return fail(errors.New(rendered))
	}
	supported := SupportedTaskTypes()
	sort.Strings(supported)
	return fail(fmt.Errorf("kestratest cannot run task %q: type %q is not emulated by this test server (supported: %s)",
		t.ID, t.Type, strings.Join(supported, ", ")))
}

// renderContext is what templates see: flow, execution, inputs, outputs
// (by task id), labels, vars (flow variables) and trigger.
func renderContext(tenant string, f *flowDef, e *execution) pongo2.Context {
	outputs := map[string]any{}
	for _, tr := range e.TaskRunList {
		if len(tr.Outputs) > 0 {
			outputs[tr.TaskID] = pebbleValues(tr.Outputs)
		}
	}
	labels := map[string]any{}
	for _, l := range e.Labels {
		labels[l.Key] = l.Value
	}
	start := ""
	if e.State.StartDate != nil {
		start = javatime.FormatInstant(time.Time(*e.State.StartDate))
	}
	vars := pongo2.Context{
		"flow":      map[string]any{"id": f.ID, "namespace": f.Namespace, "revision": f.Revision, "tenantId": tenant},
		"execution": map[string]any{"id": e.ID, "startDate": start, "originalId": e.OriginalID, "state": e.State.Current},
		"inputs":    pebbleValues(map[string]any(e.Inputs)),
		"outputs":   outputs,
		"labels":    labels,
		"vars":      pebbleValues(f.Raw["variables"]),
	}
	if e.Trigger != nil {
		vars["trigger"] = pebbleValues(e.Trigger.Variables)
	}
	return vars
}

// pauseExecution holds a running execution in PAUSED (pauseExecution
// operation) until it is resumed or killed.
func (s *Server) pauseExecution(ctx context.Context, ts *tenantStore, rec *execRecord) error {
	ts.update(rec.e.ID, func(e *execution) { e.State.set(statePaused, time.Now()) })
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-rec.resume:
	}
	ts.update(rec.e.ID, func(e *execution) { e.State.set(stateRunning, time.Now()) })
	return nil
}

// restartExecution runs an ended execution again under the same id, from
// its first FAILED or KILLED task run (ExecutionService.restart): earlier
// task runs and their outputs are kept, the restarted task gets a new task
// run, the state history gains RESTARTED.
func (s *Server) restartExecution(ts *tenantStore, id string, rev int) (*execRecord, error) {
	old := ts.record(id)
	if old == nil {
		return nil, executionNotFound(id)
	}
	ts.mu.Lock()
	e := old.e
	ts.mu.Unlock()
	if !e.State.Current.IsTerminal() {
		return nil, domain.Conflict("Execution must be terminated to be restarted, current state is " + string(e.State.Current))
	}
	<-old.done // ended: its goroutine returns right after the last update
	if rev == 0 {
		rev = e.FlowRevision
	}
	f := ts.getFlow(e.Namespace, e.FlowID, rev, true)
	if f == nil {
		return nil, domain.NotFound("Requested Flow is not found.")
	}
	ts.mu.Lock()
	defer ts.mu.Unlock()
	if ts.execs[id] != old {
		return nil, domain.Conflict("Execution changed while restarting")
	}
	e = old.e
	from := -1
	for i, tr := range e.TaskRunList {
		if tr.State.Current == stateFailed || tr.State.Current == stateKilled {
			from = i
			break
		}
	}
	if from < 0 && e.State.Current != stateFailed && e.State.Current != stateKilled {
		return nil, domain.InvalidArgument("No task found to restart")
	}
	// Keep the task runs before the first failed one (deep enough: they are
	// replaced, not mutated, from here on).
	taskIndex := 0
	if from >= 0 {
		e.TaskRunList = append([]taskRun(nil), e.TaskRunList[:from]...)
		failedTask := old.e.TaskRunList[from].TaskID
		for i, t := range f.Tasks {
			if t.ID == failedTask {
				taskIndex = i
			}
		}
	} else {
		e.TaskRunList = nil
	}
	if f.run != nil {
		e.TaskRunList, taskIndex = nil, 0
	}
	e.Outputs = nil
	e.FlowRevision = f.Revision
	e.State.Histories = append([]history(nil), e.State.Histories...)
	e.State.set("RESTARTED", time.Now())
	e.Metadata.AttemptNumber++
	ctx, cancel, aerr := s.beginRun()
	if aerr != nil {
		return nil, aerr
	}
	rec := &execRecord{e: e, cancel: cancel, resume: make(chan struct{}, 1), release: make(chan api.StateType, 1), done: make(chan struct{}), created: old.created}
	rec.snapshot, _ = json.Marshal(&rec.e)
	rec.initial = rec.snapshot
	ts.execs[id] = rec
	ts.broker.publish(ts.execTopic(id), event{data: rec.snapshot})
	go s.runExecution(ctx, ts, rec, f, taskIndex)
	return rec, nil
}
