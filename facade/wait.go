package facade

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"time"

	sse "github.com/tmaxmax/go-sse"

	"github.com/kestra-go/kestra-go/api"
)

// IsTerminal reports whether the server considers an execution in state s
// ended: FAILED, WARNING, SUCCESS, KILLED, CANCELLED, RETRIED, SKIPPED or
// RESUBMITTED (Kestra's State.Type.isTerminated). PAUSED, QUEUED,
// BREAKPOINT and unknown names are not.
func IsTerminal(s api.StateType) bool {
	switch s {
	case api.StateTypeFailed, api.StateTypeWarning, api.StateTypeSuccess, api.StateTypeKilled,
		api.StateTypeCancelled, api.StateTypeRetried, api.StateTypeSkipped, api.StateTypeResubmitted:
		return true
	}
	return false
}

// SSE event kinds, carried in the event's id field.
const (
	eventStart    = "start"
	eventProgress = "progress"
	eventEnd      = "end"
)

func acceptEventStream(_ context.Context, req *http.Request) error {
	req.Header.Set("Accept", "text/event-stream")
	return nil
}

var errStreamEnded = errors.New("execution stream ended before the execution did")

type followResult struct {
	exec *api.Execution
	err  error
}

// follow reads the execution's event stream until `end` and reports the final
// execution, or the reason the stream cannot be used.
func (c *call) follow(ctx context.Context, id string) followResult {
	resp, err := c.api.FollowExecution(ctx, c.tenant, id, acceptEventStream)
	if err != nil {
		return followResult{err: err}
	}
	if err := c.checkRaw("followExecution", resp); err != nil {
		return followResult{err: err}
	}
	defer resp.Body.Close()
	// Only the last event matters: progress events are kept raw and decoded
	// only if the stream ends without an end event.
	var last string
	for ev, err := range sse.Read(resp.Body, &sse.ReadConfig{MaxEventSize: c.f.maxEventSize}) {
		if err != nil {
			return followResult{err: fmt.Errorf("read execution stream: %w", err)}
		}
		switch ev.LastEventID {
		case eventProgress:
			last = ev.Data
		case eventEnd:
			var e api.Execution
			if err := json.Unmarshal([]byte(ev.Data), &e); err != nil {
				return followResult{err: fmt.Errorf("decode end event: %w", err)}
			}
			return followResult{exec: &e}
		}
		// start is a placeholder; unknown kinds are ignored
	}
	if last != "" {
		var e api.Execution
		if json.Unmarshal([]byte(last), &e) == nil && IsTerminal(e.State.Current) {
			return followResult{exec: &e}
		}
	}
	return followResult{err: errStreamEnded}
}

// maxGuardInterval caps the doubling delay between guard reads.
const maxGuardInterval = 5 * time.Minute

// wait returns the execution once it has ended. It follows the event stream
// and polls the status only as a guard (slowly) or, when the stream fails, as
// the fallback (every PollInterval).
func (c *call) wait(ctx context.Context, exec *api.Execution) (*api.Execution, error) {
	if IsTerminal(exec.State.Current) {
		return exec, nil
	}
	fctx, cancel := context.WithCancel(ctx)
	defer cancel()
	stream := make(chan followResult, 1)
	go func() { stream <- c.follow(fctx, exec.ID) }()

	following := true
	guard := c.f.guardInterval
	timer := time.NewTimer(guard)
	defer timer.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("wait for execution %s: %w", exec.ID, ctx.Err())
		case r := <-stream:
			if r.exec != nil {
				return r.exec, nil
			}
			// The stream is unavailable or dropped: poll from now on.
			following = false
			timer.Reset(0)
		case <-timer.C:
			e, err := c.getExecution(ctx, exec.ID)
			if err != nil {
				if ctx.Err() != nil {
					return nil, fmt.Errorf("wait for execution %s: %w", exec.ID, ctx.Err())
				}
				return nil, fmt.Errorf("wait for execution %s: %w", exec.ID, err)
			}
			if IsTerminal(e.State.Current) {
				return e, nil
			}
			if following {
				// The race the guard covers is at subscription time, so
				// later reads are only a defence against a stalled stream:
				// spread them out (reads grow with the log of the run time).
				guard = min(2*guard, max(maxGuardInterval, c.f.guardInterval))
				timer.Reset(guard)
			} else {
				timer.Reset(c.poll)
			}
		}
	}
}

// getExecution reads an execution, with retries.
func (c *call) getExecution(ctx context.Context, id string) (*api.Execution, error) {
	return do(ctx, c, "getExecution "+id, func(ctx context.Context) (*api.Execution, error) {
		resp, err := c.api.GetExecutionWithResponse(ctx, c.tenant, id)
		if err != nil {
			return nil, err
		}
		if resp.JSON200 == nil {
			return nil, c.apiError("getExecution", resp.HTTPResponse, resp.Body)
		}
		return resp.JSON200, nil
	})
}

// logFollower streams log lines to a handler while an execution runs.
type logFollower struct {
	seen   map[logKey]int
	cancel context.CancelFunc
	done   chan struct{}
}

// logKey identifies a log line well enough to not pass it twice.
type logKey struct {
	ts       int64
	taskRun  string
	level    api.Level
	message  string
	attempt  int
	triggers string
}

func keyOf(e *api.LogEntry) logKey {
	var k logKey
	if !e.Timestamp.IsZero() {
		k.ts = e.Timestamp.UnixNano()
	}
	k.taskRun, k.level, k.message, k.triggers = e.TaskRunID, e.Level, e.Message, e.TriggerID
	if e.AttemptNumber != nil {
		k.attempt = *e.AttemptNumber
	}
	return k
}

// startLogs follows the execution's logs in a goroutine until stop.
func (c *call) startLogs(ctx context.Context, id string, h func(api.LogEntry)) *logFollower {
	lctx, cancel := context.WithCancel(ctx)
	lf := &logFollower{seen: map[logKey]int{}, cancel: cancel, done: make(chan struct{})}
	go func() {
		defer close(lf.done)
		resp, err := c.api.FollowLogsFromExecution(lctx, c.tenant, id, nil, acceptEventStream)
		if err != nil {
			return // the final fetch passes every line
		}
		defer resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			return
		}
		for ev, err := range sse.Read(resp.Body, &sse.ReadConfig{MaxEventSize: c.f.maxEventSize}) {
			if err != nil {
				return
			}
			if ev.LastEventID != eventProgress {
				continue
			}
			var e api.LogEntry
			if json.Unmarshal([]byte(ev.Data), &e) != nil {
				continue
			}
			lf.seen[keyOf(&e)]++
			h(e)
		}
	}()
	return lf
}

// stop closes the log stream (the server never ends it) and passes the lines
// of all that the stream did not deliver.
func (lf *logFollower) stop(all []api.LogEntry, h func(api.LogEntry)) {
	lf.cancel()
	<-lf.done
	for i := range all {
		k := keyOf(&all[i])
		if lf.seen[k] > 0 {
			lf.seen[k]--
			continue
		}
		h(all[i])
	}
}

// listLogs reads every log line of an execution, with retries.
func (c *call) listLogs(ctx context.Context, id string) ([]api.LogEntry, error) {
	return do(ctx, c, "listLogsFromExecution "+id, func(ctx context.Context) ([]api.LogEntry, error) {
		resp, err := c.api.ListLogsFromExecutionWithResponse(ctx, c.tenant, id, nil)
		if err != nil {
			return nil, err
		}
		if resp.StatusCode() != http.StatusOK {
			return nil, c.apiError("listLogsFromExecution", resp.HTTPResponse, resp.Body)
		}
		if resp.JSON200 == nil {
			return []api.LogEntry{}, nil
		}
		return *resp.JSON200, nil
	})
}
