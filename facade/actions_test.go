package facade_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kestra-go/kestra-go/api"
	"github.com/kestra-go/kestra-go/facade"
	"github.com/kestra-go/kestra-go/kestratest"
)

// stateOf waits until the execution is in state want.
func stateOf(t *testing.T, f *facade.Flow, id string, want api.StateType) *api.Execution {
	t.Helper()
	var last *api.Execution
	ok := eventually(func() bool {
		e, err := f.CheckStatus(context.Background(), id)
		last = e
		return err == nil && e.State.Current == want
	})
	if !ok {
		t.Fatalf("execution %s never reached %s (last %+v)", id, want, last)
	}
	return last
}

// limitedFlow has one concurrency slot, which its runs keep while paused.
const limitedFlow = `id: limited
namespace: company.team
concurrency:
  limit: 1
tasks:
  - id: hold
    type: io.kestra.plugin.core.flow.Pause
`

// Every action works against a 1.x and a 2.0 server, whether the facade
// detects the generation or is told it.
func TestActionsOnBothGenerations(t *testing.T) {
	for _, tc := range []struct {
		name   string
		server []kestratest.Option
		flow   []facade.Option
	}{
		{"2.0 detected", nil, nil},
		{"1.x detected", []kestratest.Option{kestratest.WithMajorVersion(1)}, nil},
		{"1.x forced", []kestratest.Option{kestratest.WithMajorVersion(1)}, []facade.Option{facade.WithMajorVersion(1)}},
		{"2.0 forced", nil, []facade.Option{facade.WithMajorVersion(2)}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv := newServer(t, append([]kestratest.Option{kestratest.WithFlows(limitedFlow)}, tc.server...)...)
			bind(srv, "forever", func(ctx context.Context, r *kestratest.Run) error {
				<-ctx.Done()
				return ctx.Err()
			}, kestratest.InputDef{ID: "who", Defaults: "nobody"})
			bind(srv, "pauses", func(ctx context.Context, r *kestratest.Run) error { return r.Pause(ctx) })
			f := newFlow(t, srv, append([]facade.Option{facade.WithWait(false)}, tc.flow...)...)
			ctx := ctxFor(t, 20*time.Second)

			res, err := f.Execute(ctx, "company.team", "forever", nil)
			if err != nil {
				t.Fatal(err)
			}
			id := res.ExecutionID
			killed, err := f.Kill(ctx, id)
			if err != nil {
				t.Fatalf("kill: %v", err)
			}
			// What each generation answers: 2.0 the execution, 1.x nothing.
			if wantBody := !strings.HasPrefix(tc.name, "1.x"); (killed != nil) != wantBody || (killed != nil && killed.ID != id) {
				t.Errorf("kill answered %+v, want an execution: %v", killed, wantBody)
			}
			stateOf(t, f, id, api.StateTypeKilled)
			if _, err := f.Kill(ctx, id); err != nil {
				t.Errorf("kill again (the server's default cascade accepts it): %v", err)
			}

			labeled, err := f.SetLabels(ctx, id, []api.Label{{Key: "team", Value: "data"}})
			if err != nil || labeled == nil || !slices.Contains(labeled.Labels, api.Label{Key: "team", Value: "data"}) {
				t.Errorf("set labels: %v %+v", err, labeled)
			}
			changed, err := f.ChangeStatus(ctx, id, api.StateTypeFailed)
			if err != nil || changed == nil || changed.State.Current != api.StateTypeFailed {
				t.Errorf("change status: %v %+v", err, changed)
			}

			restarted, err := f.Restart(ctx, id)
			if err != nil || restarted == nil || restarted.ID != id {
				t.Errorf("restart: %v %+v", err, restarted)
			}
			if _, err := f.Kill(ctx, id); err != nil {
				t.Errorf("kill the restarted run: %v", err)
			}
			stateOf(t, f, id, api.StateTypeKilled)

			replayed, err := f.Replay(ctx, id, nil)
			if err != nil || replayed == nil || replayed.ID == id {
				t.Fatalf("replay: %v %+v", err, replayed)
			}
			withInputs, err := f.Replay(ctx, id, map[string]any{"who": "someone"})
			if err != nil || withInputs == nil || withInputs.ID == id || withInputs.ID == replayed.ID {
				t.Fatalf("replay with inputs: %v %+v", err, withInputs)
			}
			if got := stateOf(t, f, withInputs.ID, api.StateTypeRunning); got.Inputs["who"] != "someone" {
				t.Errorf("replay with inputs: inputs %v", got.Inputs)
			}

			running, err := f.Execute(ctx, "company.team", "forever", nil)
			if err != nil {
				t.Fatal(err)
			}
			stateOf(t, f, running.ExecutionID, api.StateTypeRunning)
			if paused, err := f.Pause(ctx, running.ExecutionID); err != nil || (paused != nil) == strings.HasPrefix(tc.name, "1.x") {
				t.Errorf("pause: %v, answered %+v", err, paused)
			}

			p, err := f.Execute(ctx, "company.team", "pauses", nil)
			if err != nil {
				t.Fatal(err)
			}
			stateOf(t, f, p.ExecutionID, api.StateTypePaused)
			if resumed, err := f.Resume(ctx, p.ExecutionID, map[string]any{"approved": true}); err != nil || (resumed != nil) == strings.HasPrefix(tc.name, "1.x") {
				t.Errorf("resume: %v, answered %+v", err, resumed)
			}
			stateOf(t, f, p.ExecutionID, api.StateTypeSuccess)
			_, err = f.Resume(ctx, p.ExecutionID, nil)
			if !errors.Is(err, facade.ErrConflict) {
				t.Errorf("resume of an ended execution: %v, want ErrConflict", err)
			}
			// A flow with one slot: the next runs wait QUEUED until
			// unqueued or forced.
			var queued []string
			for i := range 3 {
				r, err := f.Execute(ctx, "company.team", "limited", nil)
				if err != nil {
					t.Fatal(err)
				}
				queued = append(queued, r.ExecutionID)
				want := api.StateTypeQueued
				if i == 0 { // the first takes the slot (the next one is created after)
					want = api.StateTypePaused
				}
				stateOf(t, f, r.ExecutionID, want)
			}
			if e, err := f.ForceRun(ctx, queued[1]); err != nil || e == nil || e.ID != queued[1] {
				t.Errorf("force-run: %v %+v", err, e)
			}
			stateOf(t, f, queued[1], api.StateTypePaused)
			if _, err := f.Unqueue(ctx, queued[2], ""); err == nil {
				t.Error("unqueue without a state: no error")
			}
			if e, err := f.Unqueue(ctx, queued[2], api.StateTypeRunning); err != nil || e == nil || e.ID != queued[2] {
				t.Errorf("unqueue: %v %+v", err, e)
			}
			stateOf(t, f, queued[2], api.StateTypePaused)
			if _, err := f.Unqueue(ctx, queued[2], api.StateTypeRunning); !errors.Is(err, facade.ErrConflict) && !errors.Is(err, facade.ErrInvalid) {
				var ae *facade.APIError
				errors.As(err, &ae)
				t.Errorf("unqueue of a running execution: %v (%+v), want a refusal", err, ae)
			}

			if _, err := f.Kill(ctx, "no-such-execution"); !errors.Is(err, facade.ErrNotFound) {
				t.Errorf("kill of an unknown execution: %v, want ErrNotFound", err)
			}
		})
	}
}

// routeRecorder answers every action on the routes of one generation and
// 404 elsewhere, and records what it was asked.
type routeRecorder struct {
	gen     int
	version string
	mu      sync.Mutex
	seen    []string
}

func (rr *routeRecorder) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	_, _ = io.Copy(io.Discard, r.Body)
	rr.mu.Lock()
	rr.seen = append(rr.seen, r.Method+" "+r.URL.RequestURI())
	rr.mu.Unlock()
	if r.URL.Path == "/api/v1/configs" {
		fmt.Fprintf(w, `{"version":%q}`, rr.version)
		return
	}
	has := strings.Contains(r.URL.Path, "/actions/")
	if has != (rr.gen == 2) {
		w.WriteHeader(404)
		return
	}
	if rr.gen == 1 && strings.HasSuffix(r.URL.Path, "/kill") {
		w.WriteHeader(202)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_, _ = io.WriteString(w, `{"id":"e1","namespace":"ns","flowId":"f","state":{"current":"RUNNING","histories":[]}}`)
}

func (rr *routeRecorder) take() []string {
	rr.mu.Lock()
	defer rr.mu.Unlock()
	s := rr.seen
	rr.seen = nil
	return s
}

// Every action goes to its route of the server's generation (unqueue and
// force-run included), the generation is detected once per Flow, and a
// server whose version says nothing is probed by the 2.0 route's 404.
func TestActionRoutes(t *testing.T) {
	all := func(ctx context.Context, f *facade.Flow) []error {
		_, k := f.Kill(ctx, "e1")
		_, p := f.Pause(ctx, "e1")
		_, r := f.Resume(ctx, "e1", nil)
		_, e1 := f.Restart(ctx, "e1", facade.WithRevision(3))
		_, e2 := f.Replay(ctx, "e1", nil, facade.FromTaskRun("tr"), facade.WithBreakpoints("t.1"))
		_, e3 := f.Replay(ctx, "e1", map[string]any{"a": "b"})
		_, e4 := f.SetLabels(ctx, "e1", []api.Label{{Key: "k", Value: "v"}})
		_, e5 := f.ChangeStatus(ctx, "e1", api.StateTypeFailed)
		_, e6 := f.Unqueue(ctx, "e1", api.StateTypeRunning)
		_, e7 := f.ForceRun(ctx, "e1")
		return []error{k, p, r, e1, e2, e3, e4, e5, e6, e7}
	}
	want := func(gen int) []string {
		a := "/actions"
		if gen == 1 {
			a = ""
		}
		p := "/api/v1/main/executions/e1" + a
		return []string{
			"DELETE " + p + "/kill", "POST " + p + "/pause", "POST " + p + "/resume",
			"POST " + p + "/restart?revision=3", "POST " + p + "/replay?breakpoints=t.1&taskRunId=tr",
			"POST " + p + "/replay-with-inputs", "POST " + p + "/labels", "POST " + p + "/change-status?status=FAILED",
			"POST " + p + "/unqueue?state=RUNNING", "POST " + p + "/force-run",
		}
	}
	for _, tc := range []struct {
		name    string
		gen     int
		version string
		opts    []facade.Option
		first   []string // requests of the first action
	}{
		{"1.3 by version", 1, "1.3.5", nil, []string{"GET /api/v1/configs", "DELETE /api/v1/main/executions/e1/kill"}},
		{"0.22 by version", 1, "0.22.1", nil, []string{"GET /api/v1/configs", "DELETE /api/v1/main/executions/e1/kill"}},
		{"2.0 by version", 2, "2.0.0-rc13", nil, []string{"GET /api/v1/configs", "DELETE /api/v1/main/executions/e1/actions/kill"}},
		{"1.x by 404", 1, "", nil, []string{"GET /api/v1/configs", "DELETE /api/v1/main/executions/e1/actions/kill", "DELETE /api/v1/main/executions/e1/kill"}},
		{"2.0 by answer", 2, "0.0.0-dev", nil, []string{"GET /api/v1/configs", "DELETE /api/v1/main/executions/e1/actions/kill"}},
		{"1.x forced", 1, "2.0.0", []facade.Option{facade.WithMajorVersion(1)}, []string{"DELETE /api/v1/main/executions/e1/kill"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			rr := &routeRecorder{gen: tc.gen, version: tc.version}
			f, err := facade.New(append([]facade.Option{facade.WithHostname(newTinyServer(t, rr.ServeHTTP)),
				facade.WithBasicAuth("", ""), facade.WithAPIToken(""), facade.WithTenant("")}, tc.opts...)...)
			if err != nil {
				t.Fatal(err)
			}
			ctx := ctxFor(t, 10*time.Second)
			killed, err := f.Kill(ctx, "e1")
			if err != nil {
				t.Fatal(err)
			}
			if (killed != nil) != (tc.gen == 2) {
				t.Errorf("kill answered %+v on generation %d", killed, tc.gen)
			}
			if got := rr.take(); !slices.Equal(got, tc.first) {
				t.Errorf("first action:\n got %q\nwant %q", got, tc.first)
			}
			for i, err := range all(ctx, f) {
				if err != nil {
					t.Errorf("action %d: %v", i, err)
				}
			}
			if got := rr.take(); !slices.Equal(got, want(tc.gen)) {
				t.Errorf("actions:\n got %q\nwant %q", got, want(tc.gen))
			}
		})
	}
}

// The generation is remembered per server: a Flow pointed at another
// Hostname detects again.
func TestGenerationIsDetectedPerServer(t *testing.T) {
	t.Parallel()
	v1 := &routeRecorder{gen: 1, version: "1.3.5"}
	v2 := &routeRecorder{gen: 2, version: "2.0.0"}
	u1, u2 := newTinyServer(t, v1.ServeHTTP), newTinyServer(t, v2.ServeHTTP)
	f, _ := facade.New(facade.WithHostname(u1), facade.WithBasicAuth("", ""), facade.WithAPIToken(""), facade.WithTenant(""))
	ctx := ctxFor(t, 5*time.Second)
	for _, u := range []string{u1, u2, u1} {
		f.Hostname = u
		if _, err := f.Kill(ctx, "e1"); err != nil {
			t.Errorf("%s: %v", u, err)
		}
	}
	if got := v1.take(); len(got) != 4 || got[0] != "GET /api/v1/configs" || got[2] != "GET /api/v1/configs" {
		t.Errorf("1.x server saw %q", got)
	}
	if got := v2.take(); len(got) != 2 || got[0] != "GET /api/v1/configs" {
		t.Errorf("2.0 server saw %q", got)
	}
}
