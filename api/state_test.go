package api

import "testing"

// Every known state, with the groups State.Type puts it in.
func TestStatePredicates(t *testing.T) {
	type groups struct{ terminal, noFail, created, running, paused, queued, breakpoint, retrying bool }
	want := map[StateType]groups{
		StateTypeCreated:     {created: true},
		StateTypeSubmitted:   {},
		StateTypeRunning:     {running: true},
		StateTypePaused:      {paused: true},
		StateTypeRestarted:   {created: true},
		StateTypeKilling:     {running: true},
		StateTypeSuccess:     {terminal: true, noFail: true},
		StateTypeWarning:     {terminal: true, noFail: true},
		StateTypeFailed:      {terminal: true},
		StateTypeKilled:      {terminal: true},
		StateTypeCancelled:   {terminal: true},
		StateTypeQueued:      {queued: true},
		StateTypeRetrying:    {retrying: true},
		StateTypeRetried:     {terminal: true, noFail: true, retrying: true},
		StateTypeSkipped:     {terminal: true, noFail: true},
		StateTypeBreakpoint:  {breakpoint: true},
		StateTypeResubmitted: {terminal: true, noFail: true},
		"SOMETHING_NEW":      {},
		"success":            {}, // names are case-sensitive
	}
	for s, w := range want {
		got := groups{s.IsTerminal(), s.IsTerminalNoFail(), s.IsCreated(), s.IsRunning(), s.IsPaused(), s.IsQueued(), s.IsBreakpoint(), s.IsRetrying()}
		if got != w {
			t.Errorf("%s: got %+v, want %+v", s, got, w)
		}
		if s.HasEndDate() != (w.terminal || w.paused) {
			t.Errorf("%s: HasEndDate = %v", s, s.HasEndDate())
		}
	}
	terminals := 0
	for _, w := range want {
		if w.terminal {
			terminals++
		}
	}
	list := TerminalStates()
	for _, s := range list {
		if !s.IsTerminal() {
			t.Errorf("TerminalStates has %s", s)
		}
	}
	if len(list) != terminals {
		t.Errorf("TerminalStates has %d states, want %d", len(list), terminals)
	}
}
