package api

// This file is written by hand (not generated): the project's one home for
// the server's rules on execution states, from Kestra's
// core/src/main/java/io/kestra/core/models/flows/State.java (State.Type).
// Names the server may add later are in no group: every predicate reports
// false for them.

// terminalStates are State.Type.terminatedTypes(), in declaration order.
var terminalStates = []StateType{
	StateTypeSuccess, StateTypeWarning, StateTypeFailed, StateTypeKilled,
	StateTypeCancelled, StateTypeRetried, StateTypeSkipped, StateTypeResubmitted,
}

// TerminalStates returns the states in which the server considers an
// execution (or task run) ended: SUCCESS, WARNING, FAILED, KILLED,
// CANCELLED, RETRIED, SKIPPED, RESUBMITTED. The slice is a copy.
func TerminalStates() []StateType { return append([]StateType(nil), terminalStates...) }

// IsTerminal reports whether s is one of TerminalStates (Kestra's
// State.Type.isTerminated). PAUSED, QUEUED, BREAKPOINT, KILLING and
// unknown names are not terminal.
func (s StateType) IsTerminal() bool {
	switch s {
	case StateTypeFailed, StateTypeWarning, StateTypeSuccess, StateTypeKilled,
		StateTypeCancelled, StateTypeRetried, StateTypeSkipped, StateTypeResubmitted:
		return true
	}
	return false
}

// IsTerminalNoFail reports whether s is terminal and not a failure:
// WARNING, SUCCESS, RETRIED, SKIPPED or RESUBMITTED
// (State.Type.isTerminatedNoFail).
func (s StateType) IsTerminalNoFail() bool {
	switch s {
	case StateTypeWarning, StateTypeSuccess, StateTypeRetried, StateTypeSkipped, StateTypeResubmitted:
		return true
	}
	return false
}

// IsCreated reports whether s is CREATED or RESTARTED (State.Type.isCreated).
func (s StateType) IsCreated() bool { return s == StateTypeCreated || s == StateTypeRestarted }

// IsRunning reports whether s is RUNNING or KILLING (State.Type.isRunning).
func (s StateType) IsRunning() bool { return s == StateTypeRunning || s == StateTypeKilling }

// IsPaused reports whether s is PAUSED: the execution waits for a resume
// (or its pause duration); it has an endDate but is not terminal.
func (s StateType) IsPaused() bool { return s == StateTypePaused }

// IsQueued reports whether s is QUEUED: the execution waits for a slot of
// its flow's concurrency limit (unqueue and force-run move it on).
func (s StateType) IsQueued() bool { return s == StateTypeQueued }

// IsBreakpoint reports whether s is BREAKPOINT (a debug stop, ended by
// resume-from-breakpoint).
func (s StateType) IsBreakpoint() bool { return s == StateTypeBreakpoint }

// IsRetrying reports whether s is RETRYING or RETRIED (State.Type.isRetrying).
func (s StateType) IsRetrying() bool { return s == StateTypeRetrying || s == StateTypeRetried }

// HasEndDate reports whether the server writes an endDate (and a duration)
// for a state whose current value is s: terminal states and PAUSED.
func (s StateType) HasEndDate() bool { return s.IsTerminal() || s.IsPaused() }
