package facade

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"

	"github.com/kestra-go/kestra-go/api"
)

// Execution actions work on 1.x and 2.0 servers. Their routes differ:
// 1.x has .../executions/{id}/<action>, 2.0 moved them to
// .../executions/{id}/actions/<action> (same methods and parameters). The
// generation is detected once per Flow (see WithMajorVersion); when the
// server's version does not tell, an action first uses the 2.0 route and,
// when that answers 404, the 1.x route, and the first route that does not
// answer 404 is remembered.
//
// Retries: kill, pause, set labels, change status, unqueue and force-run
// have the same effect when sent twice and are retried like reads. Resume,
// restart and replay are not: a replay creates an execution each time, and a
// resume sent twice answers 409 the second time. They are resent only when
// the request provably never left the client, or was answered 429.

// action is one execution action: its route tail, method, operation id and
// retry rule.
type action struct {
	route, method, op string
	mode              retryMode
}

var (
	actKill         = action{"kill", http.MethodDelete, "killExecution", retryIdempotent}
	actPause        = action{"pause", http.MethodPost, "pauseExecution", retryIdempotent}
	actResume       = action{"resume", http.MethodPost, "resumeExecution", retryIfRefused}
	actRestart      = action{"restart", http.MethodPost, "restartExecution", retryIfRefused}
	actReplay       = action{"replay", http.MethodPost, "replayExecution", retryIfRefused}
	actReplayInputs = action{"replay-with-inputs", http.MethodPost, "replayExecutionWithinputs", retryIfRefused}
	actLabels       = action{"labels", http.MethodPost, "setLabelsOnTerminatedExecution", retryIdempotent}
	actStatus       = action{"change-status", http.MethodPost, "updateExecutionStatus", retryIdempotent}
	actUnqueue      = action{"unqueue", http.MethodPost, "unqueueExecution", retryIdempotent}
	actForceRun     = action{"force-run", http.MethodPost, "forceRunExecution", retryIdempotent}
)

// ActionOption sets a parameter of Restart or Replay.
type ActionOption func(*actionParams)

type actionParams struct {
	revision    *int
	taskRunID   string
	breakpoints string
}

// WithRevision runs the given flow revision instead of the execution's own
// (Restart, Replay).
func WithRevision(revision int) ActionOption {
	return func(p *actionParams) { p.revision = &revision }
}

// FromTaskRun replays from this task run instead of from the start (Replay).
func FromTaskRun(taskRunID string) ActionOption {
	return func(p *actionParams) { p.taskRunID = taskRunID }
}

// WithBreakpoints stops the new execution at these breakpoints, a
// comma-separated "taskId.value" list (Replay).
func WithBreakpoints(breakpoints string) ActionOption {
	return func(p *actionParams) { p.breakpoints = breakpoints }
}

func (p actionParams) query(withTaskRun bool) url.Values {
	q := url.Values{}
	if p.revision != nil {
		q.Set("revision", strconv.Itoa(*p.revision))
	}
	if withTaskRun && p.taskRunID != "" {
		q.Set("taskRunId", p.taskRunID)
	}
	if withTaskRun && p.breakpoints != "" {
		q.Set("breakpoints", p.breakpoints)
	}
	return q
}

// actionBody makes the body of an action request, again for each resend.
type actionBody struct {
	contentType string
	make        func() (io.ReadCloser, error)
}

func jsonBody(v any) (*actionBody, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	return &actionBody{"application/json", func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(b)), nil }}, nil
}

// inputsBody sends inputs as the multipart form of a create; each resend
// first rewinds the file inputs (ErrInputNotReplayable when one cannot).
func inputsBody(ctx context.Context, in *preparedInputs) *actionBody {
	return &actionBody{in.contentType(), func() (io.ReadCloser, error) {
		if err := in.rewind(ctx); err != nil {
			return nil, err
		}
		body, _ := in.body()
		return body, nil
	}}
}

// Kill kills an execution (and, by default on the server, the subflow
// executions it started) and returns it as the server answered: 2.0
// servers answer the execution (usually KILLING), 1.x servers 202 without a
// body, and then the execution is nil (read it with CheckStatus). Killing
// an execution that already ended is not an error.
func (f *Flow) Kill(ctx context.Context, executionID string) (*api.Execution, error) {
	return f.runAction(ctx, actKill, executionID, nil, nil)
}

// Pause asks the server to pause a running execution before its next task,
// and returns the execution as a 2.0 server answers it (nil from a 1.x
// server, which answers without a body).
func (f *Flow) Pause(ctx context.Context, executionID string) (*api.Execution, error) {
	return f.runAction(ctx, actPause, executionID, nil, nil)
}

// Resume resumes a PAUSED execution, passing inputs to the Pause task's
// onResume inputs (nil for none; values as for Execute, files streamed),
// and returns the execution as a 2.0 server answers it (nil from a 1.x
// server, which answers without a body). A server answers 409 (ErrConflict)
// when the execution is not paused.
func (f *Flow) Resume(ctx context.Context, executionID string, inputs map[string]any) (*api.Execution, error) {
	in, err := prepareInputs(inputs)
	if err != nil {
		return nil, fmt.Errorf("resume execution %s: %w", executionID, err)
	}
	return f.runAction(ctx, actResume, executionID, nil, func(ctx context.Context) (*actionBody, error) { return inputsBody(ctx, in), nil })
}

// Restart restarts an ended execution from its failed task runs and returns
// it as the server answered (the same id, unless WithRevision is given).
func (f *Flow) Restart(ctx context.Context, executionID string, opts ...ActionOption) (*api.Execution, error) {
	var p actionParams
	for _, o := range opts {
		o(&p)
	}
	return f.runAction(ctx, actRestart, executionID, p.query(false), nil)
}

// Replay starts a new execution of the flow of executionID and returns it.
// With inputs == nil it reuses the original inputs; otherwise the new
// execution gets these inputs (replay with inputs). FromTaskRun,
// WithRevision and WithBreakpoints set the server's parameters.
func (f *Flow) Replay(ctx context.Context, executionID string, inputs map[string]any, opts ...ActionOption) (*api.Execution, error) {
	var p actionParams
	for _, o := range opts {
		o(&p)
	}
	if inputs == nil {
		return f.runAction(ctx, actReplay, executionID, p.query(true), nil)
	}
	in, err := prepareInputs(inputs)
	if err != nil {
		return nil, fmt.Errorf("replay execution %s: %w", executionID, err)
	}
	return f.runAction(ctx, actReplayInputs, executionID, p.query(true), func(ctx context.Context) (*actionBody, error) { return inputsBody(ctx, in), nil })
}

// SetLabels replaces the labels of an ended execution (the server keeps its
// system.* labels and answers 400 for an execution still running).
func (f *Flow) SetLabels(ctx context.Context, executionID string, labels []api.Label) (*api.Execution, error) {
	if labels == nil {
		labels = []api.Label{}
	}
	return f.runAction(ctx, actLabels, executionID, nil, func(context.Context) (*actionBody, error) { return jsonBody(labels) })
}

// ChangeStatus changes the state of an ended execution to another ended
// state (the server answers 422 otherwise).
func (f *Flow) ChangeStatus(ctx context.Context, executionID string, status api.StateType) (*api.Execution, error) {
	return f.runAction(ctx, actStatus, executionID, url.Values{"status": {string(status)}}, nil)
}

// Unqueue takes a QUEUED execution (flow concurrency limit) out of the
// queue into state, which the server requires: RUNNING to run it now,
// CANCELLED or FAILED to drop it. An empty state is refused without a
// request.
func (f *Flow) Unqueue(ctx context.Context, executionID string, state api.StateType) (*api.Execution, error) {
	if state == "" {
		return nil, fmt.Errorf("%s %s: the new state is required (RUNNING, CANCELLED...)", actUnqueue.op, executionID)
	}
	return f.runAction(ctx, actUnqueue, executionID, url.Values{"state": {string(state)}}, nil)
}

// ForceRun runs a QUEUED execution now, ignoring the flow's concurrency limit.
func (f *Flow) ForceRun(ctx context.Context, executionID string) (*api.Execution, error) {
	return f.runAction(ctx, actForceRun, executionID, nil, nil)
}

// runAction checks the id, takes a snapshot and runs one action. It returns
// the execution the server answered, or nil when it answered none.
func (f *Flow) runAction(ctx context.Context, a action, id string, q url.Values, body func(context.Context) (*actionBody, error)) (*api.Execution, error) {
	if err := checkPathIDs(a.op, id); err != nil {
		return nil, err
	}
	c, err := f.snapshot()
	if err != nil {
		return nil, err
	}
	exec, err := c.act(ctx, a, id, q, body)
	if err != nil {
		return nil, c.seal(fmt.Errorf("%s %s: %w", a.op, id, err))
	}
	return exec, nil
}

// act sends an action on the server's generation's route (both routes in
// turn while the generation is unknown, see above).
func (c *call) act(ctx context.Context, a action, id string, q url.Values, body func(context.Context) (*actionBody, error)) (*api.Execution, error) {
	gen := c.generation(ctx)
	first := gen
	if first == generationUnknown {
		first = generation2
	}
	resp, raw, err := c.sendAction(ctx, a, first, id, q, body)
	if err != nil {
		return nil, err
	}
	if gen == generationUnknown {
		if resp.StatusCode == http.StatusNotFound {
			resp1, raw1, err1 := c.sendAction(ctx, a, generation1, id, q, body)
			if err1 == nil && resp1.StatusCode != http.StatusNotFound {
				c.f.gen.learn(c.base, generation1)
				resp, raw = resp1, raw1
			}
		} else if resp.StatusCode < 400 {
			c.f.gen.learn(c.base, generation2)
		}
	}
	if resp.StatusCode >= 300 {
		return nil, c.apiError(a.op, resp, raw)
	}
	return decodeActionAnswer(resp, raw)
}

// decodeActionAnswer reads the execution an action answered; an empty body
// (1.x kill, resume, pause) gives nil.
func decodeActionAnswer(resp *http.Response, raw []byte) (*api.Execution, error) {
	if len(bytes.TrimSpace(raw)) == 0 {
		return nil, nil
	}
	var exec api.Execution
	if err := json.Unmarshal(raw, &exec); err != nil {
		return nil, fmt.Errorf("decode answer %d: %w", resp.StatusCode, err)
	}
	if err := checkServerID(exec.ID); err != nil {
		return nil, err
	}
	return &exec, nil
}

// actionURL is the route of an action for a generation.
func (c *call) actionURL(a action, gen int, id string, q url.Values) string {
	u := c.base + "/api/v1/" + url.PathEscape(c.tenant) + "/executions/" + url.PathEscape(id) + "/"
	if gen != generation1 {
		u += "actions/"
	}
	u += a.route
	if len(q) > 0 {
		u += "?" + q.Encode()
	}
	return u
}

// sendAction sends one action request through the retrying client and
// reads its answer.
func (c *call) sendAction(ctx context.Context, a action, gen int, id string, q url.Values, mk func(context.Context) (*actionBody, error)) (*http.Response, []byte, error) {
	rctx := withRetryMode(ctx, a.mode)
	req, err := http.NewRequestWithContext(rctx, a.method, c.actionURL(a, gen, id, q), nil)
	if err != nil {
		return nil, nil, err
	}
	if mk != nil {
		b, err := mk(ctx)
		if err != nil {
			return nil, nil, err
		}
		if req.Body, err = b.make(); err != nil {
			return nil, nil, err
		}
		req.GetBody = b.make
		req.Header.Set("Content-Type", b.contentType)
	}
	if err := c.edit(ctx, req); err != nil {
		return nil, nil, err
	}
	resp, err := (&retryDoer{c: c}).Do(req)
	if err != nil {
		return nil, nil, err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, nil, fmt.Errorf("read answer %d: %w", resp.StatusCode, err)
	}
	return resp, raw, nil
}

// checkServerID applies to ids the server sends the checks made on ids a
// caller passes: an empty, "." or ".." id would later address another
// route (/executions//follow, /executions/../follow).
func checkServerID(id string) error {
	if err := checkPathIDs("answer", id); err != nil {
		return fmt.Errorf("server answered an unusable execution id: %w", errors.Unwrap(err))
	}
	return nil
}
