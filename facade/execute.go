package facade

import (
	"context"
	"fmt"
	"io"
	"net/url"
	"strings"

	"github.com/kestra-go/kestra-go/api"
	"github.com/kestra-go/kestra-go/internal/javatime"
)

// StatusStarted is Result.Status when Execute did not wait (the Python
// client's "STARTED"); Result.Execution then holds the state the server
// answered, usually CREATED.
const StatusStarted api.StateType = "STARTED"

// Result is what Execute returns: the Python client's (status, log, error)
// and more.
type Result struct {
	// ExecutionID identifies the execution.
	ExecutionID string
	// Namespace and FlowID name the flow.
	Namespace, FlowID string
	// Status is the final state (one IsTerminal accepts), or StatusStarted
	// when Execute did not wait.
	Status api.StateType
	// Log is the full log text, one "<instant> <LEVEL> <message>" line per
	// entry as the server's log download writes it (empty when not waiting).
	Log string
	// Logs are the same lines, structured.
	Logs []api.LogEntry
	// Error describes a non-success end (failing tasks and ERROR log
	// lines); empty for SUCCESS, WARNING and when not waiting. See Err.
	Error string
	// Outputs are the flow's outputs (its `outputs:` section), when the
	// server sent them.
	Outputs map[string]any
	// URL links to the execution in the Kestra UI.
	URL string
	// CorrelationID is the value of the system.correlationId label sent with
	// the create (empty when turned off).
	CorrelationID string
	// Execution is the execution as last read from the server.
	Execution *api.Execution
}

// Err returns nil when the execution ended SUCCESS or WARNING (or was not
// waited for), else an *ExecutionError with the status, the failing tasks
// and the error log lines. RETRIED, SKIPPED and RESUBMITTED, which the server
// counts as ended without failure, are errors here: the flow's work did not
// complete in this execution.
func (r *Result) Err() error {
	switch r.Status {
	case api.StateTypeSuccess, api.StateTypeWarning, StatusStarted:
		return nil
	}
	e := &ExecutionError{ExecutionID: r.ExecutionID, Namespace: r.Namespace, FlowID: r.FlowID, Status: string(r.Status), URL: r.URL}
	e.FailedTasks, e.ErrorLines = failureDetails(r.Execution, r.Logs)
	return e
}

// failureDetails lists failed task ids (in run order, once each) and the
// ERROR log lines.
func failureDetails(exec *api.Execution, logs []api.LogEntry) (tasks, lines []string) {
	if exec != nil {
		seen := map[string]bool{}
		for _, tr := range exec.TaskRunList {
			switch tr.State.Current {
			case api.StateTypeFailed, api.StateTypeKilled:
				if !seen[tr.TaskID] {
					seen[tr.TaskID] = true
					tasks = append(tasks, tr.TaskID)
				}
			}
		}
	}
	for i := range logs {
		e := &logs[i]
		if e.Level != api.LevelError || e.Message == "" {
			continue
		}
		line := e.Message
		if e.TaskID != "" {
			line = "[" + e.TaskID + "] " + line
		}
		lines = append(lines, line)
	}
	return tasks, lines
}

// Execute starts an execution of namespace/flowID with inputs and, when
// WaitForCompletion is set, waits for its end and returns its final state,
// full log, outputs and error description.
//
// Input values: strings as they are; numbers and booleans formatted;
// time.Time as RFC 3339; time.Duration as ISO-8601; slices, maps and structs
// as JSON text; File (or an *os.File) as a streamed file part; nil values are
// left out so the flow's defaults apply.
//
// The create is never duplicated by retries (see the package documentation
// for the exact rule); when its outcome cannot be established the error
// matches ErrCreateOutcomeUnknown. If the wait fails (context ended, server
// unreachable), Execute returns the error together with a Result holding the
// ExecutionID and the last known state, so the caller can follow up.
//
// A non-success end is not an error of Execute: check Result.Status or
// Result.Err.
func (f *Flow) Execute(ctx context.Context, namespace, flowID string, inputs map[string]any) (*Result, error) {
	if err := checkPathIDs("Execute", namespace, flowID); err != nil {
		return nil, err
	}
	c, err := f.snapshot()
	if err != nil {
		return nil, err
	}
	in, err := prepareInputs(inputs)
	if err != nil {
		return nil, fmt.Errorf("create execution %s/%s: %w", namespace, flowID, err)
	}
	var fromInputs []label
	if c.fromIn {
		fromInputs = in.labels()
	}
	corr := ""
	if c.set.correlation {
		corr = newCorrelationID()
	}
	exec, link, err := c.create(ctx, namespace, flowID, in, labelParams(c.set.labels, fromInputs, corr), corr)
	if err != nil {
		return nil, c.seal(err)
	}
	res := &Result{
		ExecutionID: exec.ID, Namespace: namespace, FlowID: flowID,
		URL: c.uiURL(link, exec), CorrelationID: corr, Execution: exec, Status: exec.State.Current,
	}
	if !c.waitEnd {
		res.Status = StatusStarted
		return res, nil
	}
	return res, c.seal(c.await(ctx, res, exec))
}

// Wait waits for an execution started earlier (by Execute without waiting,
// by a trigger, by another program) to end, and returns its result as
// Execute does: final state, full log, outputs, error description. It uses
// the same machinery: the execution's event stream first, status reads as a
// guard and as the fallback, the Flow's retries, WithLogHandler and
// WithStateHandler.
//
// When ctx ends or the server cannot be reached, Wait returns the error with
// a Result holding the last state seen (Status, Execution), so the caller
// can report it or wait again. An unknown execution gives an error matching
// ErrNotFound.
func (f *Flow) Wait(ctx context.Context, executionID string) (Result, error) {
	res := Result{ExecutionID: executionID}
	if err := checkPathIDs("Wait", executionID); err != nil {
		return res, err
	}
	c, err := f.snapshot()
	if err != nil {
		return res, err
	}
	err = c.await(ctx, &res, nil)
	return res, c.seal(err)
}

// await waits for res's execution (known is what the create answered, nil
// when nothing is known yet), then reads its logs and fills res.
func (c *call) await(ctx context.Context, res *Result, known *api.Execution) error {
	id := res.ExecutionID
	w := &waitState{id: id, states: stateTracker{h: c.set.stateHandler}, progress: progressTracker{h: c.set.progressHandler}}
	if known != nil {
		w.observe(known)
	}
	h := c.set.logHandler
	var lf *logFollower
	if h != nil {
		lf = c.startLogs(ctx, id, h)
	}
	final, err := c.wait(ctx, w)
	if err != nil {
		if lf != nil {
			lf.stop(nil, h)
		}
		c.fill(res, w.last)
		return err
	}
	logs, err := c.listLogs(ctx, id)
	if lf != nil {
		lf.stop(logs, h)
	}
	c.fill(res, final)
	if err == nil {
		res.Logs = logs
		res.Log = formatLogs(logs)
	}
	// Described even without logs: the failed tasks come from the execution.
	if ferr := res.Err(); ferr != nil {
		ee := ferr.(*ExecutionError)
		res.Error = describeFailure(ee.Status, ee.FailedTasks, ee.ErrorLines)
	}
	if err != nil {
		return fmt.Errorf("execution %s ended %s, but its logs could not be read: %w", id, final.State.Current, err)
	}
	return nil
}

// fill copies what is known of the execution into res.
func (c *call) fill(res *Result, e *api.Execution) {
	if e == nil {
		return
	}
	res.Execution, res.Status = e, e.State.Current
	if e.Outputs != nil {
		res.Outputs = e.Outputs
	}
	if res.Namespace == "" {
		res.Namespace, res.FlowID = e.Namespace, e.FlowID
	}
	if res.URL == "" && e.Namespace != "" {
		res.URL = c.uiURL("", e)
	}
}

// uiURL makes the server's link absolute, or builds one when the server
// gave none.
func (c *call) uiURL(link string, exec *api.Execution) string {
	base, _ := url.Parse(c.base + "/")
	if link != "" {
		u, err := url.Parse(link)
		if err != nil {
			return link
		}
		if !u.IsAbs() && base != nil {
			return base.ResolveReference(&url.URL{Path: strings.TrimPrefix(u.Path, "/"), RawQuery: u.RawQuery}).String()
		}
		return link
	}
	return c.executionURL(exec.Namespace, exec.FlowID, exec.ID)
}

// executionURL is the server's rule for an execution's UI link
// (ExecutionController.executionUrl), on the configured hostname.
func (c *call) executionURL(namespace, flowID, executionID string) string {
	p := "/ui/"
	if !c.set.legacyRoutes {
		p += url.PathEscape(c.tenant) + "/"
	}
	return c.base + p + "executions/" + url.PathEscape(namespace) + "/" + url.PathEscape(flowID) + "/" + url.PathEscape(executionID)
}

// ExecutionURL returns the link to an execution in the Kestra UI, built as
// the server builds the url field of its answers:
// <hostname>/ui/<tenant>/executions/<namespace>/<flowId>/<id> (no tenant
// segment with WithLegacyRoutes). It makes no request.
//
// The server builds its links on its kestra.url setting (which it reports
// as the url of GET /api/v1/configs, when set); ExecutionURL does not read
// it and uses the Flow's Hostname instead. Behind a proxy that
// publishes the UI elsewhere, or when the API is reached on another address
// than the UI, the link may differ from the server's own; Result.URL holds
// the server's link when the create answered one. ExecutionURL returns ""
// when the Flow was not made by New or its Hostname is invalid, or an
// identifier is empty.
func (f *Flow) ExecutionURL(namespace, flowID, executionID string) string {
	if namespace == "" || flowID == "" || executionID == "" {
		return ""
	}
	c, err := f.snapshot()
	if err != nil {
		return ""
	}
	return c.executionURL(namespace, flowID, executionID)
}

// CheckStatus reads an execution (the Python client's check_status), with
// retries on transient failures.
func (f *Flow) CheckStatus(ctx context.Context, executionID string) (*api.Execution, error) {
	if err := checkPathIDs("CheckStatus", executionID); err != nil {
		return nil, err
	}
	c, err := f.snapshot()
	if err != nil {
		return nil, err
	}
	e, err := c.getExecution(ctx, executionID)
	return e, c.seal(err)
}

// GetLogs returns an execution's logs as text (the Python client's
// get_logs): the server's log download, one "<instant> <LEVEL> <message>"
// line per entry. Retried on transient failures.
func (f *Flow) GetLogs(ctx context.Context, executionID string) (string, error) {
	if err := checkPathIDs("GetLogs", executionID); err != nil {
		return "", err
	}
	c, err := f.snapshot()
	if err != nil {
		return "", err
	}
	resp, err := c.api.DownloadLogsFromExecution(ctx, c.tenant, executionID, nil)
	if err != nil {
		return "", c.seal(fmt.Errorf("downloadLogsFromExecution %s: %w", executionID, err))
	}
	if err := c.checkRaw("downloadLogsFromExecution", resp); err != nil {
		return "", c.seal(fmt.Errorf("downloadLogsFromExecution %s: %w", executionID, err))
	}
	defer resp.Body.Close()
	var b strings.Builder
	if _, err := io.Copy(&b, resp.Body); err != nil {
		return "", c.seal(fmt.Errorf("downloadLogsFromExecution %s: read: %w", executionID, err))
	}
	return b.String(), nil
}

// formatLogs writes entries as the server's log download does.
func formatLogs(logs []api.LogEntry) string {
	var b strings.Builder
	for i := range logs {
		if i > 0 {
			b.WriteByte('\n')
		}
		formatLog(&b, &logs[i])
	}
	return b.String()
}

// FormatLog writes one log entry as "<instant> <LEVEL> <message>", the
// server's download format (timestamps like Java's Instant.toString).
func FormatLog(e api.LogEntry) string {
	var b strings.Builder
	formatLog(&b, &e)
	return b.String()
}

func formatLog(b *strings.Builder, e *api.LogEntry) {
	if !e.Timestamp.IsZero() {
		b.WriteString(javatime.FormatInstant(e.Timestamp))
	}
	b.WriteByte(' ')
	b.WriteString(string(e.Level))
	b.WriteByte(' ')
	b.WriteString(e.Message)
}
