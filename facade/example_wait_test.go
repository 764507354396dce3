package facade_test

import (
	"context"
	"fmt"
	"log"

	"github.com/kestra-go/kestra-go/api"
	"github.com/kestra-go/kestra-go/facade"
	"github.com/kestra-go/kestra-go/kestratest"
)

// Wait for an execution started earlier (by a trigger, another program, or
// Execute without waiting), with every state change reported as it happens.
func ExampleFlow_Wait() {
	srv := kestratest.NewServer(kestratest.WithFlows(exampleFlow))
	defer srv.Close()
	ctx := context.Background()

	starter, _ := facade.New(facade.WithHostname(srv.URL), facade.WithWait(false))
	started, err := starter.Execute(ctx, "company.team", "myflow", map[string]any{"param": "waited"})
	if err != nil {
		log.Fatal(err)
	}

	f, _ := facade.New(facade.WithHostname(srv.URL), facade.WithStateHandler(func(c facade.StateChange) {
		fmt.Println("now", c.State)
	}))
	res, err := f.Wait(ctx, started.ExecutionID)
	if err != nil {
		log.Fatal(err) // res.Status still holds the last state seen
	}
	fmt.Println(res.Status, res.Outputs["echoed"])
	// Output:
	// now CREATED
	// now RUNNING
	// now SUCCESS
	// SUCCESS waited
}

// Act on executions: the same calls work on 1.x and 2.0 servers (the
// generation is detected once per Flow).
func ExampleFlow_Kill() {
	srv := kestratest.NewServer(kestratest.WithMajorVersion(1)) // a 1.x server
	defer srv.Close()
	srv.BindFlow("main", "company.team", "long", func(ctx context.Context, r *kestratest.Run) error {
		<-ctx.Done() // runs until killed
		return ctx.Err()
	})
	ctx := context.Background()

	f, _ := facade.New(facade.WithHostname(srv.URL), facade.WithWait(false))
	res, err := f.Execute(ctx, "company.team", "long", nil)
	if err != nil {
		log.Fatal(err)
	}
	killed, err := f.Kill(ctx, res.ExecutionID)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(killed == nil) // a 1.x server answers no execution; 2.0 does

	ended, err := f.Wait(ctx, res.ExecutionID)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(ended.Status)
	replay, err := f.Replay(ctx, res.ExecutionID, nil)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(replay.ID != res.ExecutionID, hasLabel(replay.Labels, "system.replay"))
	// Output:
	// true
	// KILLED
	// true true
}

func hasLabel(ls []api.Label, key string) bool {
	for _, l := range ls {
		if l.Key == key {
			return true
		}
	}
	return false
}

// Show what an execution is doing: its state and the tasks running now,
// reported whenever they change (a progress display).
func ExampleWithProgressHandler() {
	srv := kestratest.NewServer(kestratest.WithFlows(`id: slow
namespace: company.team
tasks:
  - id: think
    type: io.kestra.plugin.core.flow.Sleep
    duration: PT0.2S
`))
	defer srv.Close()

	sawThink := false
	f, _ := facade.New(facade.WithHostname(srv.URL), facade.WithProgressHandler(func(p facade.Progress) {
		for _, task := range p.RunningTasks {
			sawThink = sawThink || task == "think" // e.g. redraw "RUNNING  task think"
		}
	}))
	res, err := f.Execute(context.Background(), "company.team", "slow", nil)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(res.Status, sawThink)
	// Output:
	// SUCCESS true
}
