package kestratest

import (
	"crypto/rand"
	"encoding/binary"
	"math/big"
	"time"

	"github.com/kestra-go/kestra-go/api"
	"github.com/kestra-go/kestra-go/internal/javatime"
	"github.com/kestra-go/kestra-go/kestratest/internal/flowdef"
)

// The JSON shapes below follow what the real server serialises (Jackson with
// non_null inclusion): absent values are omitted, dates are Java Instants.

// Execution states, as the real server names them (package api holds
// the server's rules on them: IsTerminal, HasEndDate...).
const (
	stateCreated   = api.StateTypeCreated
	stateRunning   = api.StateTypeRunning
	statePaused    = api.StateTypePaused
	stateKilling   = api.StateTypeKilling
	stateRestarted = api.StateTypeRestarted
	stateSuccess   = api.StateTypeSuccess
	stateWarning   = api.StateTypeWarning
	stateFailed    = api.StateTypeFailed
	stateKilled    = api.StateTypeKilled
)

type history struct {
	State api.StateType `json:"state"`
	Date  jtime         `json:"date"`
}

type stateJSON struct {
	Current   api.StateType `json:"current"`
	Histories []history     `json:"histories"`
	StartDate *jtime        `json:"startDate,omitempty"`
	EndDate   *jtime        `json:"endDate,omitempty"`
	Duration  string        `json:"duration,omitempty"`
}

// newState starts a state history at now.
func newState(s api.StateType, now time.Time) stateJSON {
	st := stateJSON{}
	st.set(s, now)
	return st
}

// set moves to s and recomputes the derived fields (startDate, endDate,
// duration) the way State's getters do.
func (st *stateJSON) set(s api.StateType, now time.Time) {
	st.Current = s
	st.Histories = append(st.Histories, history{State: s, Date: jtime(now)})
	start := time.Time(st.Histories[0].Date)
	sd := jtime(start)
	st.StartDate = &sd
	if s.HasEndDate() {
		end := jtime(now)
		st.EndDate = &end
		st.Duration = javatime.FormatDuration(now.Sub(start))
	} else {
		st.EndDate = nil
		st.Duration = ""
	}
}

// label is a label of a flow or an execution: one type, defined with the
// flow model.
type label = flowdef.Label

type attempt struct {
	State stateJSON `json:"state"`
}

type taskRun struct {
	ID              string         `json:"id"`
	ExecutionID     string         `json:"executionId"`
	Namespace       string         `json:"namespace"`
	FlowID          string         `json:"flowId"`
	TaskID          string         `json:"taskId"`
	ParentTaskRunID string         `json:"parentTaskRunId,omitempty"`
	Attempts        []attempt      `json:"attempts,omitempty"`
	Outputs         map[string]any `json:"outputs,omitempty"`
	State           stateJSON      `json:"state"`
}

type execution struct {
	ID           string         `json:"id"`
	TenantID     string         `json:"tenantId,omitempty"`
	Namespace    string         `json:"namespace"`
	FlowID       string         `json:"flowId"`
	FlowRevision int            `json:"flowRevision"`
	Labels       []label        `json:"labels"`
	TaskRunList  []taskRun      `json:"taskRunList,omitempty"`
	Inputs       map[string]any `json:"inputs,omitempty"`
	Outputs      map[string]any `json:"outputs,omitempty"`
	State        stateJSON      `json:"state"`
	OriginalID   string         `json:"originalId,omitempty"`
	Deleted      bool           `json:"deleted"`
	Kind         string         `json:"kind,omitempty"`
	ScheduleDate *jtime         `json:"scheduleDate,omitempty"`
	Metadata     execMetadata   `json:"metadata"`
	Trigger      *execTrigger   `json:"trigger,omitempty"`
	URL          string         `json:"url,omitempty"` // only in ExecutionResponse (create)
}

type execTrigger struct {
	ID        string         `json:"id"`
	Type      string         `json:"type"`
	Variables map[string]any `json:"variables,omitempty"`
}

type execMetadata struct {
	AttemptNumber       int   `json:"attemptNumber"`
	OriginalCreatedDate jtime `json:"originalCreatedDate"`
}

// logEntry is one stored log line; seq orders lines for the follow backfill.
type logEntry struct {
	ID            string `json:"id,omitempty"`
	TenantID      string `json:"tenantId,omitempty"`
	Namespace     string `json:"namespace"`
	FlowID        string `json:"flowId"`
	TaskID        string `json:"taskId,omitempty"`
	ExecutionID   string `json:"executionId,omitempty"`
	TaskRunID     string `json:"taskRunId,omitempty"`
	TriggerID     string `json:"triggerId,omitempty"`
	AttemptNumber *int   `json:"attemptNumber"`
	Timestamp     *jtime `json:"timestamp,omitempty"`
	Level         string `json:"level,omitempty"`
	Thread        string `json:"thread,omitempty"`
	Message       string `json:"message,omitempty"`
	Deleted       bool   `json:"deleted"`

	seq int64
}

// log levels, from most to least severe, as Kestra's Level enum.
var levelRank = map[string]int{"ERROR": 5, "WARN": 4, "INFO": 3, "DEBUG": 2, "TRACE": 1}

var base62 = []byte("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")

// newID returns a random 22-character base62 id, the shape of Kestra's
// IdUtils.create() ids.
func newID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	hi := binary.BigEndian.Uint64(b[:8])
	lo := binary.BigEndian.Uint64(b[8:])
	n := new(big.Int).SetUint64(hi)
	n.Lsh(n, 64).Or(n, new(big.Int).SetUint64(lo))
	out := make([]byte, 22)
	sixty2 := big.NewInt(62)
	mod := new(big.Int)
	for i := 21; i >= 0; i-- {
		n.DivMod(n, sixty2, mod)
		out[i] = base62[mod.Int64()]
	}
	return string(out)
}
