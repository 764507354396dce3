// Command fireandforget starts a Kestra flow without waiting for it (the
// Python client's Flow(wait_for_completion=False)), prints the execution's id
// and link, and reads its status once.
//
//	go run ./examples/fireandforget                                   # embedded test server
//	KESTRA_HOSTNAME=http://localhost:8080 KESTRA_USER=... KESTRA_PASSWORD=... \
//	go run ./examples/fireandforget -namespace company.team -flow myflow -input param=value
//
// Without KESTRA_HOSTNAME it starts the in-process server of package
// kestratest with a small demo flow.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/kestra-go/kestra-go/facade"
	"github.com/kestra-go/kestra-go/kestratest"
)

const demoFlow = `id: myflow
namespace: company.team
inputs:
  - id: param
    type: STRING
    defaults: none
tasks:
  - id: work
    type: io.kestra.plugin.core.flow.Sleep
    duration: PT2S
  - id: done
    type: io.kestra.plugin.core.log.Log
    message: "done with {{ inputs.param }}"
`

// inputFlags collects repeated -input key=value flags.
type inputFlags map[string]any

func (f inputFlags) String() string { return fmt.Sprint(map[string]any(f)) }

func (f inputFlags) Set(s string) error {
	k, v, ok := strings.Cut(s, "=")
	if !ok || k == "" {
		return errors.New("want key=value")
	}
	f[k] = v
	return nil
}

func main() {
	ns := flag.String("namespace", "company.team", "flow namespace")
	id := flag.String("flow", "myflow", "flow id")
	inputs := inputFlags{}
	flag.Var(inputs, "input", "an input as key=value (repeatable)")
	flag.Parse()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := run(ctx, os.Stdout, *ns, *id, inputs); err != nil {
		fmt.Fprintln(os.Stderr, "fireandforget:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, out io.Writer, ns, id string, inputs map[string]any) error {
	opts := []facade.Option{facade.WithWait(false)}
	if os.Getenv(facade.EnvHostname) == "" {
		srv := kestratest.NewServer(kestratest.WithFlows(demoFlow))
		defer srv.Close()
		fmt.Fprintf(out, "KESTRA_HOSTNAME is not set: started the embedded test server at %s\n", srv.URL)
		opts = append(opts, facade.WithHostname(srv.URL), facade.WithTenant("main"))
	}
	f, err := facade.New(opts...)
	if err != nil {
		return err
	}
	res, err := f.Execute(ctx, ns, id, inputs)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "started %s (%s)\n", res.ExecutionID, res.Status)
	fmt.Fprintf(out, "follow it at %s\n", res.URL)

	exec, err := f.CheckStatus(ctx, res.ExecutionID)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "current state: %s\n", exec.State.Current)
	return nil
}
