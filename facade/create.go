package facade

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptrace"
	"sync/atomic"
	"time"

	"github.com/google/uuid"
	"github.com/sethvargo/go-retry"

	"github.com/kestra-go/kestra-go/api"
)

// CorrelationLabel is the label key each create carries (value: a random
// UUID), so that the client can look for the execution after an ambiguous
// failure. Kestra refuses other system.* labels from clients but allows this
// one.
const CorrelationLabel = "system.correlationId"

// create starts one execution, following the create rule of the package
// documentation: it is resent only when the previous attempt provably never
// left the client, or when a search by correlation label proved that no
// execution was created.
func (c *call) create(ctx context.Context, ns, flowID string, in *preparedInputs, labels []string, correlationID string) (*api.Execution, string, error) {
	op := "createExecution " + ns + "/" + flowID
	b := c.newBackoff(ctx)
	var (
		last      error
		ambiguous bool // last attempt may have reached the server
		sent      bool // some attempt may have reached the server
	)
	unknown := func(err error) error {
		return &CreateOutcomeUnknownError{Namespace: ns, FlowID: flowID, CorrelationID: correlationID, Err: err}
	}
	type created struct {
		exec *api.Execution
		url  string
	}
	res, err := retry.DoValue(ctx, b, func(ctx context.Context) (created, error) {
		if ambiguous {
			// Looked for after the backoff delay, so that an execution the
			// failed attempt did create has had time to become visible.
			exec, err := c.findCreated(ctx, ns, flowID, correlationID)
			if err != nil {
				return created{}, notRetryable{unknown(joinErr(last, err))}
			}
			if exec != nil {
				return created{exec: exec}, nil
			}
			ambiguous = false
		}
		if err := in.rewind(ctx); err != nil {
			if errors.Is(err, ErrInputNotReplayable) {
				return created{}, notRetryable{fmt.Errorf("%s: cannot resend: %w; no execution was created; last failure: %w", op, err, last)}
			}
			return created{}, err // the context ended
		}
		exec, u, mayHaveSent, err := c.createOnce(ctx, ns, flowID, in, labels)
		if err == nil {
			return created{exec, u}, nil
		}
		last = err
		var ae *APIError
		isAPI := errors.As(err, &ae)
		switch {
		case !mayHaveSent:
			// Nothing was written on the connection: provably not received.
			if ctx.Err() != nil {
				return created{}, err
			}
			return created{}, retry.RetryableError(err)
		case isAPI && !retryStatus(ae.StatusCode):
			// A definite answer (401, 404, 409, 422...): nothing created.
			return created{}, err
		}
		sent = true
		if ctx.Err() != nil || correlationID == "" {
			return created{}, notRetryable{unknown(err)}
		}
		ambiguous = true
		b.hint = retryAfterOf(err)
		return created{}, retry.RetryableError(err)
	})
	if err == nil {
		return res.exec, res.url, nil
	}
	var ne notRetryable
	if errors.As(err, &ne) {
		return nil, "", ne.err
	}
	if ambiguous {
		// The last attempt was ambiguous and no attempt is left (or the
		// context ended): one more look settles it when possible.
		if ctx.Err() != nil {
			return nil, "", unknown(joinErr(ctx.Err(), last))
		}
		t := time.NewTimer(c.f.backoffBase)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil, "", unknown(joinErr(ctx.Err(), last))
		case <-t.C:
		}
		exec, ferr := c.findCreated(ctx, ns, flowID, correlationID)
		switch {
		case ferr != nil:
			return nil, "", unknown(joinErr(last, ferr))
		case exec != nil:
			return exec, "", nil
		}
	}
	if sent && ctx.Err() != nil {
		return nil, "", unknown(joinErr(ctx.Err(), last))
	}
	return nil, "", finalError(ctx, b, op, err, last)
}

// createOnce sends one create. mayHaveSent is false only when the transport
// never wrote the request headers, so no byte of it reached the server.
func (c *call) createOnce(ctx context.Context, ns, flowID string, in *preparedInputs, labels []string) (exec *api.Execution, link string, mayHaveSent bool, err error) {
	var wrote atomic.Bool
	trace := &httptrace.ClientTrace{
		WroteHeaders: func() { wrote.Store(true) },
	}
	tctx := httptrace.WithClientTrace(ctx, trace)
	body, ct := in.body()
	defer body.Close() // ends the writer goroutine if the request never ran
	params := &api.CreateExecutionParams{}
	if len(labels) > 0 {
		params.Labels = labels
	}
	resp, err := c.api.CreateExecutionWithBodyWithResponse(tctx, c.tenant, ns, flowID, params, ct, body)
	if err != nil {
		return nil, "", wrote.Load(), err
	}
	if resp.StatusCode() != http.StatusOK || resp.JSON200 == nil {
		if resp.StatusCode() >= 200 && resp.StatusCode() < 300 {
			return nil, "", true, fmt.Errorf("unexpected answer %d %q", resp.StatusCode(), resp.HTTPResponse.Header.Get("Content-Type"))
		}
		return nil, "", true, c.apiError("createExecution", resp.HTTPResponse, resp.Body)
	}
	r := resp.JSON200
	e := executionOf(r)
	return e, r.URL, true, nil
}

// executionOf copies the Execution part of a create answer.
func executionOf(r *api.ExecutionResponse) *api.Execution {
	return &api.Execution{
		FlowID: r.FlowID, FlowRevision: r.FlowRevision, ID: r.ID, Inputs: r.Inputs, Labels: r.Labels,
		Metadata: r.Metadata, Namespace: r.Namespace, OriginalID: r.OriginalID, Outputs: r.Outputs,
		ParentID: r.ParentID, ScheduleDate: r.ScheduleDate, State: r.State, TaskRunList: r.TaskRunList,
		TraceParent: r.TraceParent, Trigger: r.Trigger, Variables: r.Variables,
	}
}

// findCreated searches the executions of ns/flowID carrying the correlation
// label. nil, nil means the server has none.
func (c *call) findCreated(ctx context.Context, ns, flowID, correlationID string) (*api.Execution, error) {
	filters := func(_ context.Context, req *http.Request) error {
		q := req.URL.Query()
		q.Set("filters[namespace][EQUALS]", ns)
		q.Set("filters[flowId][EQUALS]", flowID)
		q.Set("filters[labels][EQUALS]["+CorrelationLabel+"]", correlationID)
		req.URL.RawQuery = q.Encode()
		return nil
	}
	params := &api.SearchExecutionsParams{Page: 1, Size: 10, Sort: []string{"state.startDate:asc"}}
	res, err := do(ctx, c, "searchExecutions of "+ns+"/"+flowID, func(ctx context.Context) (*api.PagedResultsExecution, error) {
		resp, err := c.api.SearchExecutionsWithResponse(ctx, c.tenant, params, filters)
		if err != nil {
			return nil, err
		}
		if resp.JSON200 == nil {
			return nil, c.apiError("searchExecutions", resp.HTTPResponse, resp.Body)
		}
		return resp.JSON200, nil
	})
	if err != nil {
		return nil, fmt.Errorf("search by label %s: %w", CorrelationLabel, err)
	}
	for _, le := range res.Results {
		if le.Namespace != ns || le.FlowID != flowID || !hasLabel(le.Labels, CorrelationLabel, correlationID) {
			continue // a server ignoring a filter must not fool us
		}
		// Search results are light (no task runs): read the whole execution.
		exec, err := c.getExecution(ctx, le.ID)
		if err != nil {
			return nil, fmt.Errorf("read execution %s found by label %s: %w", le.ID, CorrelationLabel, err)
		}
		return exec, nil
	}
	if len(res.Results) > 0 && res.Total > int64(len(res.Results)) {
		// Filters ignored and the match may be on another page: no proof.
		return nil, errors.New("search results do not honour the label filter")
	}
	return nil, nil
}

func hasLabel(ls []api.Label, k, v string) bool {
	for _, l := range ls {
		if l.Key == k && l.Value == v {
			return true
		}
	}
	return false
}

// labelParams builds the labels query values: explicit labels, then labels
// from inputs (explicit keys win), then the correlation label.
func labelParams(explicit, fromInputs []label, correlationID string) []string {
	seen := make(map[string]bool, len(explicit)+len(fromInputs))
	out := make([]string, 0, len(explicit)+len(fromInputs)+1)
	for _, set := range [][]label{explicit, fromInputs} {
		for _, l := range set {
			if seen[l.key] {
				continue
			}
			seen[l.key] = true
			out = append(out, l.key+":"+l.value)
		}
	}
	if correlationID != "" {
		out = append(out, CorrelationLabel+":"+correlationID)
	}
	return out
}

// joinErr joins two failures on one line (errors.Join would use two).
func joinErr(first, then error) error {
	switch {
	case first == nil:
		return then
	case then == nil:
		return first
	}
	return fmt.Errorf("%w; then %w", first, then)
}

func newCorrelationID() string { return uuid.NewString() }
