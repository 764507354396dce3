package facade

import (
	"context"
	"encoding/json"
	"net/http"

	sse "github.com/tmaxmax/go-sse"

	"github.com/kestra-go/kestra-go/api"
)

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
		resp, err := c.api.FollowLogsFromExecution(withRetryMode(lctx, retryNever), c.tenant, id, nil, acceptEventStream)
		if err != nil {
			return // the final fetch passes every line
		}
		defer resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			return
		}
		for ev, err := range sse.Read(completeEvents{resp.Body}, &sse.ReadConfig{MaxEventSize: c.set.maxEventSize}) {
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
}
