package kestratest

import (
	"context"
	"encoding/json"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/kestra-go/kestra-go/api"
	"github.com/kestra-go/kestra-go/kestratest/internal/store"
)

// execRecord is an execution and what the engine needs to drive it.
type execRecord struct {
	e        execution
	snapshot []byte // JSON of e at the last update
	// initial is the JSON of e when it was created (or restarted): what
	// the call that made it answers, whatever the run did since.
	initial []byte
	cancel  context.CancelFunc // kills the run
	resume  chan struct{}      // closed or sent to resume a PAUSED run
	done    chan struct{}      // closed when the run goroutine ends
	// release takes a QUEUED execution out of its flow's queue
	// (force-run: "", unqueue: the state asked for).
	release chan api.StateType
	// holdsSlot: the run counts in its flow's concurrency limit (only the
	// run goroutine reads or writes it).
	holdsSlot bool
	// resumeInputs are the onResume inputs a resume gave the paused task
	// (under the store's lock).
	resumeInputs map[string]any
	// pauseRequested asks the engine to pause before the next task.
	pauseRequested atomic.Bool
	created        time.Time
}

// tenantStore holds one tenant's data behind one mutex.
type tenantStore struct {
	name   string
	broker *broker

	mu        sync.Mutex
	flows     map[string][]*flowDef // "ns\x00id" -> revisions, oldest first
	execs     map[string]*execRecord
	logs      map[string][]logEntry // execution id -> lines
	logSeq    int64
	kv        store.KV
	files     map[string][]byte             // internal storage, by kestra:// URI
	nsEntries map[string]map[string]*nsFile // namespace -> path -> file or directory
	// slots counts the runs holding a flow's concurrency limit
	// ("ns\x00id" -> count); slotFreed is closed (and replaced) when one
	// is given back.
	slots     map[string]int
	slotFreed chan struct{}
	triggers  map[string]*triggerState // trigger key -> scheduler state
}

func newTenantStore(name string, b *broker) *tenantStore {
	return &tenantStore{
		name: name, broker: b,
		flows: map[string][]*flowDef{}, execs: map[string]*execRecord{},
		logs:  map[string][]logEntry{},
		files: map[string][]byte{}, nsEntries: map[string]map[string]*nsFile{},
		slots: map[string]int{}, slotFreed: make(chan struct{}), triggers: map[string]*triggerState{},
	}
}

func flowKey(ns, id string) string { return ns + "\x00" + id }

func (ts *tenantStore) execTopic(id string) string { return ts.name + "/exec/" + id }
func (ts *tenantStore) logTopic(id string) string  { return ts.name + "/logs/" + id }

// currentFlow returns the latest revision of a flow (deleted or not).
func (ts *tenantStore) currentFlowLocked(ns, id string) *flowDef {
	revs := ts.flows[flowKey(ns, id)]
	if len(revs) == 0 {
		return nil
	}
	return revs[len(revs)-1]
}

// getFlow returns a live flow revision (rev 0 = latest) or nil.
func (ts *tenantStore) getFlow(ns, id string, rev int, allowDeleted bool) *flowDef {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	revs := ts.flows[flowKey(ns, id)]
	if len(revs) == 0 {
		return nil
	}
	cur := revs[len(revs)-1]
	if cur.Deleted && !allowDeleted {
		return nil
	}
	if rev == 0 {
		return cur
	}
	for _, f := range revs {
		if f.Revision == rev {
			return f
		}
	}
	return nil
}

// runnableFlow returns the revision an execution started without an
// explicit revision runs: the latest that is not a draft, unless the flow
// is deleted (nil).
func (ts *tenantStore) runnableFlow(ns, id string) *flowDef {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	revs := ts.flows[flowKey(ns, id)]
	if len(revs) == 0 || revs[len(revs)-1].Deleted {
		return nil
	}
	for i := len(revs) - 1; i >= 0; i-- {
		if !revs[i].Draft {
			return revs[i]
		}
	}
	return nil
}

// putFlow stores f as a new revision; it keeps the revision when the source
// did not change, as the real server does.
func (ts *tenantStore) putFlow(f *flowDef) *flowDef {
	f.Updated = jtime(time.Now())
	ts.mu.Lock()
	defer ts.mu.Unlock()
	k := flowKey(f.Namespace, f.ID)
	revs := ts.flows[k]
	if n := len(revs); n > 0 {
		last := revs[n-1]
		if !last.Deleted && last.Source == f.Source && last.Draft == f.Draft && last.run == nil && f.run == nil {
			return last
		}
		f.Revision = last.Revision + 1
	} else {
		f.Revision = 1
	}
	ts.flows[k] = append(revs, f)
	return f
}

// deleteFlow marks the flow deleted (a new revision, as Kestra does).
func (ts *tenantStore) deleteFlow(ns, id string) bool {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	k := flowKey(ns, id)
	revs := ts.flows[k]
	if len(revs) == 0 || revs[len(revs)-1].Deleted {
		return false
	}
	last := *revs[len(revs)-1]
	last.Deleted = true
	last.Revision++
	last.Updated = jtime(time.Now())
	ts.flows[k] = append(revs, &last)
	return true
}

// liveFlows returns the latest non-deleted revision of every flow, sorted
// by namespace then id.
func (ts *tenantStore) liveFlows() []*flowDef {
	ts.mu.Lock()
	out := make([]*flowDef, 0, len(ts.flows))
	for _, revs := range ts.flows {
		if cur := revs[len(revs)-1]; !cur.Deleted {
			out = append(out, cur)
		}
	}
	ts.mu.Unlock()
	sort.Slice(out, func(i, j int) bool {
		if out[i].Namespace != out[j].Namespace {
			return out[i].Namespace < out[j].Namespace
		}
		return out[i].ID < out[j].ID
	})
	return out
}

// addExecution stores a new execution record.
func (ts *tenantStore) addExecution(rec *execRecord) []byte {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	rec.snapshot, _ = json.Marshal(&rec.e)
	ts.execs[rec.e.ID] = rec
	return rec.snapshot
}

// update applies fn to an execution, stores and publishes the new snapshot.
// It returns false when the execution does not exist (any more).
func (ts *tenantStore) update(id string, fn func(e *execution)) ([]byte, bool) {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	rec := ts.execs[id]
	if rec == nil {
		return nil, false
	}
	fn(&rec.e)
	rec.snapshot, _ = json.Marshal(&rec.e)
	// Published under the lock so followers see updates in order.
	ts.broker.publish(ts.execTopic(id), event{data: rec.snapshot, terminal: rec.e.State.Current.IsTerminal()})
	return rec.snapshot, true
}

// getExecution returns a snapshot (JSON) and a copy of the record's state.
func (ts *tenantStore) getExecution(id string) (snapshot []byte, state api.StateType, ok bool) {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	rec := ts.execs[id]
	if rec == nil {
		return nil, "", false
	}
	return rec.snapshot, rec.e.State.Current, true
}

func (ts *tenantStore) record(id string) *execRecord {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	return ts.execs[id]
}

// kill marks a running execution KILLING and cancels its run (the engine
// then ends it KILLED). It returns the snapshot and whether the execution
// had already ended, in which case it is left as it is.
func (ts *tenantStore) kill(rec *execRecord) (snapshot []byte, ended bool) {
	snapshot, _ = ts.update(rec.e.ID, func(e *execution) {
		if e.State.Current.IsTerminal() {
			ended = true
			return
		}
		if e.State.Current != stateKilling {
			e.State.set(stateKilling, time.Now())
		}
	})
	rec.cancel()
	return snapshot, ended
}

// removeExecution deletes an execution (cancelling it if it runs), and its
// logs and kestra:// files when asked; it returns false when there was no
// such execution.
func (ts *tenantStore) removeExecution(id string, logs, storage bool) bool {
	ts.mu.Lock()
	rec := ts.execs[id]
	delete(ts.execs, id)
	if rec != nil && storage {
		for uri := range ts.files {
			if strings.Contains(uri, "/executions/"+id+"/") {
				delete(ts.files, uri)
			}
		}
	}
	ts.mu.Unlock()
	if rec == nil {
		return false
	}
	rec.cancel()
	if logs {
		ts.deleteLogs(id, nil)
	}
	return true
}

// executions returns copies of all executions (decoded snapshots).
func (ts *tenantStore) executions() []execution {
	ts.mu.Lock()
	snaps := make([][]byte, 0, len(ts.execs))
	for _, rec := range ts.execs {
		snaps = append(snaps, rec.snapshot)
	}
	ts.mu.Unlock()
	out := make([]execution, 0, len(snaps))
	for _, b := range snaps {
		var e execution
		if json.Unmarshal(b, &e) == nil {
			out = append(out, e)
		}
	}
	return out
}

// addLog stores a log line and publishes it to log followers.
func (ts *tenantStore) addLog(l logEntry) {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	ts.logSeq++
	l.seq = ts.logSeq
	l.ID = newID()
	l.TenantID = ts.name
	ts.logs[l.ExecutionID] = append(ts.logs[l.ExecutionID], l)
	b, _ := json.Marshal(&l)
	ts.broker.publish(ts.logTopic(l.ExecutionID), event{data: b, seq: l.seq, log: &l})
}

// logsOf returns a copy of the lines of one execution and the last sequence
// number stored so far (for follow backfill de-duplication).
func (ts *tenantStore) logsOf(execID string) ([]logEntry, int64) {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	return append([]logEntry(nil), ts.logs[execID]...), ts.logSeq
}

func (ts *tenantStore) deleteLogs(execID string, keep func(logEntry) bool) {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	var kept []logEntry
	for _, l := range ts.logs[execID] {
		if keep != nil && keep(l) {
			kept = append(kept, l)
		}
	}
	if len(kept) == 0 {
		delete(ts.logs, execID)
	} else {
		ts.logs[execID] = kept
	}
}

func (ts *tenantStore) putFile(uri string, b []byte) {
	ts.mu.Lock()
	ts.files[uri] = b
	ts.mu.Unlock()
}

func (ts *tenantStore) getFile(uri string) ([]byte, bool) {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	b, ok := ts.files[uri]
	return b, ok
}

// copyExecution returns a private copy of an execution (decoded from its
// snapshot) whose inputs keep their converted Go types (int64 for INT...),
// for template rendering. Inputs never change after creation.
func (ts *tenantStore) copyExecution(rec *execRecord) *execution {
	ts.mu.Lock()
	b := rec.snapshot
	ts.mu.Unlock()
	var e execution
	_ = json.Unmarshal(b, &e)
	e.Inputs = rec.e.Inputs
	return &e
}
