// Command quickstart runs a Kestra flow with package facade and prints its
// result, showing its logs live.
//
//	go run ./examples/quickstart            # embedded test server (kestratest)
//	KESTRA_HOSTNAME=http://localhost:8080 \
//	KESTRA_USER=admin@kestra.io KESTRA_PASSWORD=Admin1234 \
//	go run ./examples/quickstart            # a real Kestra server
//
// Without KESTRA_HOSTNAME it starts the in-process server of package
// kestratest. Either way it deploys the flow kept beside it (flow.yaml, a
// real Kestra flow: inputs, Log, Sleep and OutputValues tasks, a flow
// output), creates or updates it, runs it with inputs and labels, and prints
// the Result. It exits with status 1 if the execution does not succeed.
package main

import (
	"bytes"
	"context"
	_ "embed"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/signal"
	"slices"
	"strings"
	"time"

	"github.com/kestra-go/kestra-go/api"
	"github.com/kestra-go/kestra-go/facade"
	"github.com/kestra-go/kestra-go/kestratest"
)

//go:embed flow.yaml
var flowYAML string

const (
	namespace = "company.team"
	flowID    = "hello-kestra-go"
)

func main() {
	user := flag.String("user", "Gopher", "the flow's `user` input")
	timeout := flag.Duration("timeout", 2*time.Minute, "give up after this long")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	ctx, cancel := context.WithTimeout(ctx, *timeout)
	defer cancel()
	if err := run(ctx, os.Stdout, *user); err != nil {
		fmt.Fprintln(os.Stderr, "quickstart:", err)
		os.Exit(1)
	}
}

// run is the whole program: server, deploy, execute, print.
func run(ctx context.Context, out io.Writer, user string) error {
	var opts []facade.Option
	if os.Getenv(facade.EnvHostname) == "" {
		srv := kestratest.NewServer()
		defer srv.Close()
		fmt.Fprintf(out, "KESTRA_HOSTNAME is not set: started the embedded test server at %s\n", srv.URL)
		opts = append(opts, facade.WithHostname(srv.URL), facade.WithTenant("main"))
	}
	opts = append(opts,
		facade.WithLabels("source", "quickstart"),
		facade.WithLabelsFromInputs(true),
		facade.WithLogHandler(func(e api.LogEntry) {
			fmt.Fprintf(out, "  | %s\n", facade.FormatLog(e))
		}),
	)
	f, err := facade.New(opts...)
	if err != nil {
		return err
	}
	if err := deploy(ctx, f); err != nil {
		return err
	}
	fmt.Fprintf(out, "Deployed flow %s/%s on %s; running it:\n", namespace, flowID, f.Hostname)

	res, err := f.Execute(ctx, namespace, flowID, map[string]any{
		"user":  user,
		"count": 3,
		"tags":  []string{"go", "kestra", "quickstart"},
	})
	if err != nil {
		return err
	}
	printResult(out, res)
	return res.Err()
}

func printResult(out io.Writer, res *facade.Result) {
	fmt.Fprintf(out, "Execution %s ended %s\n", res.ExecutionID, res.Status)
	fmt.Fprintf(out, "  url:     %s\n", res.URL)
	keys := make([]string, 0, len(res.Outputs))
	for k := range res.Outputs {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		fmt.Fprintf(out, "  output:  %s = %v\n", k, res.Outputs[k])
	}
	var labels []string
	for _, l := range res.Execution.Labels {
		labels = append(labels, l.Key+":"+l.Value)
	}
	slices.Sort(labels)
	fmt.Fprintf(out, "  labels:  %s\n", strings.Join(labels, ", "))
	fmt.Fprintf(out, "  log:     %d lines\n", len(res.Logs))
	if res.Error != "" {
		fmt.Fprintf(out, "  error:   %s\n", res.Error)
	}
}

// deploy creates the flow, or updates it when it exists, with the same
// server, tenant and credentials as f.
func deploy(ctx context.Context, f *facade.Flow) error {
	c, tenant, err := f.API()
	if err != nil {
		return err
	}
	got, err := c.GetFlowWithResponse(ctx, tenant, namespace, flowID, nil)
	if err != nil {
		return fmt.Errorf("read flow: %w", err)
	}
	const yamlType = "application/x-yaml"
	var status int
	var body []byte
	switch got.StatusCode() {
	case http.StatusOK:
		r, err := c.UpdateFlowWithBodyWithResponse(ctx, tenant, namespace, flowID, nil, yamlType, bytes.NewReader([]byte(flowYAML)))
		if err != nil {
			return fmt.Errorf("update flow: %w", err)
		}
		status, body = r.StatusCode(), r.Body
	case http.StatusNotFound:
		r, err := c.CreateFlowWithBodyWithResponse(ctx, tenant, nil, yamlType, bytes.NewReader([]byte(flowYAML)))
		if err != nil {
			return fmt.Errorf("create flow: %w", err)
		}
		status, body = r.StatusCode(), r.Body
	default:
		status, body = got.StatusCode(), got.Body
	}
	if status != http.StatusOK {
		msg := string(body)
		if len(msg) > 300 {
			msg = msg[:300]
		}
		return errors.New("deploy flow: HTTP " + fmt.Sprint(status) + ": " + msg)
	}
	return nil
}
