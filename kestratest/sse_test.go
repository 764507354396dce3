package kestratest_test

import (
	"bufio"
	"context"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/kestra-go/kestra-go/api"
	"github.com/kestra-go/kestra-go/kestratest"
)

const sleepyFlow = `id: sleepy
namespace: company.team
tasks:
  - id: before
    type: io.kestra.plugin.core.log.Log
    message: before
  - id: nap
    type: io.kestra.plugin.core.flow.Sleep
    duration: PT0.3S
  - id: after
    type: io.kestra.plugin.core.log.Log
    message: after
`

func TestFollowExecutionRunningEndsWithEndThenClose(t *testing.T) {
	_, c := newServer(t, kestratest.WithFlows(pauseFlow))
	res := run(t, c, "company.team", "pause", nil)
	if res.JSON200 == nil {
		t.Fatalf("create: %d %s", res.StatusCode(), res.Body)
	}
	id := res.JSON200.ID
	// The execution waits in PAUSED until resumed, so the stream sees it run.
	fr, err := c.FollowExecution(ctxT(t), "main", id)
	if err != nil {
		t.Fatal(err)
	}
	defer fr.Body.Close()
	if ct := fr.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/event-stream") {
		t.Fatalf("content type %q", ct)
	}
	ch := make(chan sseEvent, 64)
	go streamEvents(fr.Body, ch)
	var events []sseEvent
	resumed := false
	for e := range ch {
		events = append(events, e)
		// Resume once: the same state may come twice (an update landing
		// between the subscription and the first read), as on the server.
		if !resumed && e.id == "progress" && decodeExec(t, e.data).State.Current == api.StateTypePaused {
			resumed = true
			ct, body := multipartBody(t)
			if rs, err := c.ResumeExecutionWithBodyWithResponse(ctxT(t), "main", id, ct, body); err != nil || rs.StatusCode() != 200 {
				t.Fatalf("resume: %v", err)
			}
		}
	}
	if len(events) < 4 {
		t.Fatalf("want start, progress..., end; got %+v", events)
	}
	if events[0].id != "start" {
		t.Fatalf("first event %q", events[0].id)
	}
	for _, e := range events[1 : len(events)-1] {
		if e.id != "progress" {
			t.Fatalf("middle event %q", e.id)
		}
		if st := decodeExec(t, e.data).State.Current; st == api.StateTypeSuccess {
			t.Fatalf("a progress event carries the terminal state")
		}
	}
	checkEventData(t, events, "Execution")
	last := events[len(events)-1]
	if last.id != "end" {
		t.Fatalf("last event %q", last.id)
	}
	if got := decodeExec(t, last.data); got.State.Current != api.StateTypeSuccess || got.ID != id {
		t.Fatalf("end event: %+v", got.State)
	}
}

func TestFollowExecutionAlreadyFinishedIsStartThenEnd(t *testing.T) {
	_, c := newServer(t, kestratest.WithFlows(helloFlow))
	res := run(t, c, "company.team", "hello", waitParams())
	fr, err := c.FollowExecutionWithResponse(ctxT(t), "main", res.JSON200.ID)
	if err != nil {
		t.Fatal(err)
	}
	events, err := readEvents(strings.NewReader(string(fr.Body)))
	if err != nil {
		t.Fatal(err)
	}
	if len(events) != 2 || events[0].id != "start" || events[1].id != "end" {
		t.Fatalf("events: %+v", events)
	}
	checkEventData(t, events, "Execution")
	if decodeExec(t, events[1].data).State.Current != api.StateTypeSuccess {
		t.Fatal("end is not the final execution")
	}
}

func TestFollowUnknownExecutionIsCut(t *testing.T) {
	_, c := newServer(t, kestratest.WithUnknownExecutionCut(50*time.Millisecond))
	fr, err := c.FollowExecution(ctxT(t), "main", "doesnotexist")
	if err != nil {
		t.Fatal(err)
	}
	defer fr.Body.Close()
	if fr.StatusCode != 200 {
		t.Fatalf("status %d", fr.StatusCode)
	}
	events, err := readEvents(fr.Body)
	if err == nil || !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Fatalf("want the stream cut (unexpected EOF), got err=%v", err)
	}
	if len(events) != 1 || events[0].id != "start" {
		t.Fatalf("events before the cut: %+v", events)
	}
}

func TestFollowLogsBackfillThenLiveAndStaysOpen(t *testing.T) {
	srv, c := newServer(t, kestratest.WithFlows(sleepyFlow))
	res := run(t, c, "company.team", "sleepy", nil)
	id := res.JSON200.ID
	// Wait for the first line so that the backfill has something.
	deadline := time.Now().Add(5 * time.Second)
	for {
		lr, _ := c.ListLogsFromExecutionWithResponse(ctxT(t), "main", id, nil)
		if lr != nil && lr.JSON200 != nil && len(*lr.JSON200) > 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("no log line")
		}
		time.Sleep(10 * time.Millisecond)
	}
	ctx, cancel := context.WithCancel(ctxT(t))
	defer cancel()
	fr, err := api.NewClient(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := fr.FollowLogsFromExecution(ctx, "main", id, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	got := make(chan sseEvent, 16)
	go streamEvents(resp.Body, got)
	want := []string{"start", "progress:before", "progress:after"}
	for i, w := range want {
		select {
		case e := <-got:
			kind, msg, _ := strings.Cut(w, ":")
			checkEventData(t, []sseEvent{e}, "FollowLogEvent")
			if e.id != kind || (msg != "" && !strings.Contains(e.data, `"message":"`+msg+`"`)) {
				t.Fatalf("event %d: got %s %s, want %s", i, e.id, e.data, w)
			}
		case <-time.After(5 * time.Second):
			t.Fatalf("event %d (%s) did not come", i, w)
		}
	}
	// The execution is over; the stream must stay open (no end, no close).
	ctxWait, cancelWait := context.WithTimeout(ctxT(t), 5*time.Second)
	defer cancelWait()
	if err := srv.WaitIdle(ctxWait); err != nil {
		t.Fatal(err)
	}
	select {
	case e, ok := <-got:
		if ok {
			t.Fatalf("unexpected event after the last line: %+v", e)
		}
		t.Fatal("the logs stream closed by itself")
	case <-time.After(200 * time.Millisecond):
	}
}

// streamEvents sends each event to ch as soon as it is parsed, then closes ch.
func streamEvents(r io.Reader, ch chan<- sseEvent) {
	defer close(ch)
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	var cur sseEvent
	for sc.Scan() {
		line := sc.Text()
		switch {
		case line == "":
			ch <- cur
			cur = sseEvent{}
		case strings.HasPrefix(line, "id: "):
			cur.id = strings.TrimPrefix(line, "id: ")
		case strings.HasPrefix(line, "data: "):
			cur.data = strings.TrimPrefix(line, "data: ")
		}
	}
}
