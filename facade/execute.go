package facade

import (
	"context"
	"fmt"
	"io"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/kestra-go/kestra-go/api"
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
	if f.correlation {
		corr = newCorrelationID()
	}
	exec, link, err := c.create(ctx, namespace, flowID, in, labelParams(f.labels, fromInputs, corr), corr)
	if err != nil {
		return nil, err
	}
	res := &Result{
		ExecutionID: exec.ID, Namespace: namespace, FlowID: flowID,
		URL: c.uiURL(link, exec), CorrelationID: corr, Execution: exec, Status: exec.State.Current,
	}
	if !c.waitEnd {
		res.Status = StatusStarted
		return res, nil
	}

	var lf *logFollower
	if f.logHandler != nil {
		lf = c.startLogs(ctx, exec.ID, f.logHandler)
	}
	final, err := c.wait(ctx, exec)
	if err != nil {
		if lf != nil {
			lf.stop(nil, f.logHandler)
		}
		return res, err
	}
	logs, err := c.listLogs(ctx, exec.ID)
	if lf != nil {
		lf.stop(logs, f.logHandler)
	}
	res.Execution, res.Status, res.Outputs = final, final.State.Current, final.Outputs
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
		return res, fmt.Errorf("execution %s ended %s, but its logs could not be read: %w", exec.ID, final.State.Current, err)
	}
	return res, nil
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
	p := "ui/"
	if !c.legacy {
		p += url.PathEscape(c.tenant) + "/"
	}
	p += "executions/" + url.PathEscape(exec.Namespace) + "/" + url.PathEscape(exec.FlowID) + "/" + url.PathEscape(exec.ID)
	return c.base + "/" + p
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
	return c.getExecution(ctx, executionID)
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
	return do(ctx, c, "downloadLogsFromExecution "+executionID, func(ctx context.Context) (string, error) {
		resp, err := c.api.DownloadLogsFromExecution(ctx, c.tenant, executionID, nil)
		if err != nil {
			return "", err
		}
		if err := c.checkRaw("downloadLogsFromExecution", resp); err != nil {
			return "", err
		}
		defer resp.Body.Close()
		var b strings.Builder
		if _, err := io.Copy(&b, resp.Body); err != nil {
			return "", err
		}
		return b.String(), nil
	})
}

// Kill asks the server to kill an execution (and, by default on the server,
// the subflow executions it started). Killing is idempotent, so it is
// retried on transient failures. It uses the 2.0 route
// DELETE .../executions/{id}/actions/kill; 1.x servers, whose route lacks
// /actions, answer 404.
func (f *Flow) Kill(ctx context.Context, executionID string) error {
	if err := checkPathIDs("Kill", executionID); err != nil {
		return err
	}
	c, err := f.snapshot()
	if err != nil {
		return err
	}
	_, err = do(ctx, c, "killExecution "+executionID, func(ctx context.Context) (struct{}, error) {
		resp, err := c.api.KillExecution(ctx, c.tenant, executionID, nil)
		if err != nil {
			return struct{}{}, err
		}
		if err := c.checkRaw("killExecution", resp); err != nil {
			return struct{}{}, err
		}
		resp.Body.Close()
		return struct{}{}, nil
	})
	return err
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
		b.WriteString(javaInstant(e.Timestamp))
	}
	b.WriteByte(' ')
	b.WriteString(string(e.Level))
	b.WriteByte(' ')
	b.WriteString(e.Message)
}

// javaInstant formats t like java.time.Instant.toString: UTC, seconds always
// present, fraction in groups of 3 digits only as long as needed.
func javaInstant(t time.Time) string {
	t = t.UTC()
	s := t.Format("2006-01-02T15:04:05")
	ns := t.Nanosecond()
	switch {
	case ns == 0:
	case ns%1_000_000 == 0:
		s += "." + pad(ns/1_000_000, 3)
	case ns%1_000 == 0:
		s += "." + pad(ns/1_000, 6)
	default:
		s += "." + pad(ns, 9)
	}
	return s + "Z"
}

func pad(n, width int) string {
	s := strconv.Itoa(n)
	for len(s) < width {
		s = "0" + s
	}
	return s
}
