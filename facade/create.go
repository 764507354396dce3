package facade

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptrace"
	"sync/atomic"
	"time"

	"github.com/google/uuid"

	"github.com/kestra-go/kestra-go/api"
)

// CorrelationLabel is the label key each create carries (value: a random
// UUID), so that the client can look for the execution after an ambiguous
// failure. Kestra refuses other system.* labels from clients but allows this
// one.
const CorrelationLabel = "system.correlationId"

// DefaultCreateLookupWindow is how long after an ambiguous create failure
// the client keeps looking for the execution by its correlation label
// before it concludes that none was created (see WithCreateLookupWindow):
// Enterprise servers index executions for search in 1 s batches, slower
// under load; the default covers a batch with a wide margin.
const DefaultCreateLookupWindow = 5 * time.Second

// lookupFirstDelay is the delay before the first search after an ambiguous
// failure; the delays then double, and the last search is made when the
// window ends.
const lookupFirstDelay = 200 * time.Millisecond

// createOutcome classifies one create attempt.
type createOutcome int

const (
	// created: the server answered a readable execution.
	created createOutcome = iota
	// refused: a definite answer (401, 404, 409, 422...): nothing created.
	refused
	// notReceived: provably nothing created, resending is safe: the request
	// never left the client (its headers were never written), or the
	// server refused it with 429.
	notReceived
	// ambiguous: the request may have created an execution (a 408 or 5xx,
	// a failure after the headers were written, an unreadable 200).
	ambiguous
)

// create starts one execution, following the create rule of the package
// documentation: one explicit attempt loop, where a create is resent only
// when the previous attempt provably created nothing.
func (c *call) create(ctx context.Context, ns, flowID string, in *preparedInputs, labels []string, correlationID string) (*api.Execution, string, error) {
	op := "createExecution " + ns + "/" + flowID
	unknown := func(err error) error {
		return &CreateOutcomeUnknownError{Namespace: ns, FlowID: flowID, CorrelationID: correlationID, Err: err}
	}
	plan := c.set.retry.start()
	var last error
	for {
		// 1. Make the body again (file inputs rewound).
		if err := in.rewind(ctx); err != nil {
			if errors.Is(err, ErrInputNotReplayable) {
				return nil, "", fmt.Errorf("%s: cannot resend: %w; no execution was created; last failure: %w", op, err, last)
			}
			return nil, "", fmt.Errorf("%s: %w (last failure: %w)", op, err, last)
		}
		// 2. Send it once.
		exec, link, outcome, err := c.createOnce(ctx, ns, flowID, in, labels)
		failedAt := time.Now()
		switch outcome {
		case created:
			return exec, link, nil
		case refused:
			return nil, "", fmt.Errorf("%s: %w", op, err)
		case notReceived:
			if ctx.Err() != nil {
				return nil, "", fmt.Errorf("%s: %w", op, err)
			}
		case ambiguous:
			// 3. It may exist: look for it until the index has caught up.
			if correlationID == "" || ctx.Err() != nil {
				return nil, "", unknown(err)
			}
			found, lerr := c.lookFor(ctx, ns, flowID, correlationID, failedAt)
			switch {
			case lerr != nil:
				return nil, "", unknown(joinErr(err, lerr))
			case found != nil:
				return found, "", nil
			}
			// Absent after the whole window: nothing was created.
		}
		last = err
		// 4. Resend after the backoff delay, while the policy allows.
		delay, ok := plan.next(ctx, retryAfterOf(err))
		if !ok {
			if ctx.Err() != nil {
				return nil, "", fmt.Errorf("%s: %w (last failure: %w)", op, ctx.Err(), last)
			}
			return nil, "", fmt.Errorf("%s: %w (%d attempts): %w", op, ErrFailedExponentialBackoff, plan.attempts, last)
		}
		delay -= time.Since(failedAt) // a lookup window already waited
		c.notify(op, plan.attempts, max(delay, 0), last)
		if err := sleep(ctx, delay); err != nil {
			return nil, "", fmt.Errorf("%s: %w (last failure: %w)", op, err, last)
		}
	}
}

// createOnce sends one create and classifies its outcome.
func (c *call) createOnce(ctx context.Context, ns, flowID string, in *preparedInputs, labels []string) (exec *api.Execution, link string, _ createOutcome, err error) {
	var wrote atomic.Bool
	tctx := httptrace.WithClientTrace(withRetryMode(ctx, retryNever), &httptrace.ClientTrace{
		WroteHeaders: func() { wrote.Store(true) },
	})
	body, ct := in.body()
	defer body.Close() // ends the writer goroutine if the request never ran
	params := &api.CreateExecutionParams{}
	if len(labels) > 0 {
		params.Labels = labels
	}
	resp, err := c.api.CreateExecutionWithBody(tctx, c.tenant, ns, flowID, params, ct, body)
	if err != nil {
		if !wrote.Load() {
			return nil, "", notReceived, err
		}
		return nil, "", ambiguous, err
	}
	defer resp.Body.Close()
	raw, rerr := io.ReadAll(resp.Body)
	switch {
	case resp.StatusCode == http.StatusTooManyRequests:
		return nil, "", notReceived, c.apiError("createExecution", resp, raw)
	case resp.StatusCode >= 300 && retryStatus(resp.StatusCode):
		return nil, "", ambiguous, c.apiError("createExecution", resp, raw)
	case resp.StatusCode >= 300:
		return nil, "", refused, c.apiError("createExecution", resp, raw)
	case rerr != nil:
		return nil, "", ambiguous, fmt.Errorf("read answer %d: %w", resp.StatusCode, rerr)
	}
	exec, link, err = readCreated(resp.StatusCode, raw, ns, flowID)
	if err != nil {
		return nil, "", ambiguous, err
	}
	return exec, link, created, nil
}

// readCreated reads a create's answer. Anything but an execution of ns/flowID
// with a usable id (a cut body, null, {}, an empty or "." id, another 2xx) is
// an error: the create may or may not have happened.
func readCreated(status int, raw []byte, ns, flowID string) (*api.Execution, string, error) {
	if status != http.StatusOK {
		return nil, "", fmt.Errorf("unexpected answer %d to a create", status)
	}
	var exec api.Execution
	if err := json.Unmarshal(raw, &exec); err != nil {
		return nil, "", fmt.Errorf("unreadable answer to a create: %w", err)
	}
	if err := checkServerID(exec.ID); err != nil {
		return nil, "", err
	}
	if exec.Namespace != ns || exec.FlowID != flowID {
		return nil, "", errors.New("answer to a create names another flow")
	}
	var extra struct {
		URL string `json:"url"`
	}
	_ = json.Unmarshal(raw, &extra) // decoded above: cannot fail
	return &exec, extra.URL, nil
}

// lookFor searches for the execution carrying the correlation label, from
// shortly after the failure at failedAt until the lookup window has passed
// (delays doubling from lookupFirstDelay, the last search at the window's
// end). nil, nil means it is absent after the whole window.
func (c *call) lookFor(ctx context.Context, ns, flowID, correlationID string, failedAt time.Time) (*api.Execution, error) {
	end := failedAt.Add(c.set.lookupWindow)
	wait := min(lookupFirstDelay, c.set.lookupWindow)
	at := failedAt
	for {
		at = at.Add(wait)
		if at.After(end) {
			at = end
		}
		if err := sleep(ctx, time.Until(at)); err != nil {
			return nil, err
		}
		exec, err := c.findCreated(ctx, ns, flowID, correlationID)
		if err != nil || exec != nil {
			return exec, err
		}
		if !at.Before(end) {
			return nil, nil
		}
		wait *= 2
	}
}

// findCreated searches the executions of ns/flowID carrying the correlation
// label. nil, nil means the server has none.
func (c *call) findCreated(ctx context.Context, ns, flowID, correlationID string) (*api.Execution, error) {
	filters := api.Filters{}.
		Where(api.FilterFieldNamespace, api.FilterOpEquals, ns).
		Where(api.FilterFieldFlowID, api.FilterOpEquals, flowID).
		WhereLabel(api.FilterOpEquals, CorrelationLabel, correlationID)
	res, err := c.searchPage(ctx, filters, 1, 10, "state.startDate:asc")
	if err != nil {
		return nil, fmt.Errorf("search by label %s: %w", CorrelationLabel, err)
	}
	for _, le := range res.Results {
		if le.Namespace != ns || le.FlowID != flowID || !hasLabel(le.Labels, CorrelationLabel, correlationID) {
			continue // a server ignoring a filter must not fool us
		}
		if err := checkServerID(le.ID); err != nil {
			return nil, err
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
