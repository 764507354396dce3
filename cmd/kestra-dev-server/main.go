// Command kestra-dev-server runs kestratest's in-process Kestra-compatible
// test server as a standalone program, for trying clients by hand:
//
//	go run ./cmd/kestra-dev-server -addr 127.0.0.1:8080 -flows ./flows
//
// It deploys every *.yml / *.yaml file of the -flows directory in each
// served tenant (-tenants, default "main"), prints the base URL and serves
// until interrupted (Ctrl-C).
// It is a TEST DOUBLE: see the kestratest package documentation for what it
// emulates and how it differs from a real Kestra server.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"sort"
	"strings"
	"syscall"

	"github.com/kestra-go/kestra-go/kestratest"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "kestra-dev-server:", err)
		os.Exit(1)
	}
}

// run serves until ctx ends.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("kestra-dev-server", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", "127.0.0.1:8080", "address to listen on (host:port; port 0 = any free port)")
	user := fs.String("user", "", "require basic auth with this user (with -password)")
	password := fs.String("password", "", "basic auth password")
	token := fs.String("token", "", "also accept this bearer token")
	flowsDir := fs.String("flows", "", "directory of flow YAML files to deploy in each served tenant")
	tenants := fs.String("tenants", "main", "comma-separated tenants to serve")
	legacy := fs.Bool("legacy-routes", false, "also serve routes without a tenant (/api/v1/executions/...)")
	problem := fs.Bool("problem-details", false, "answer errors as RFC 9457 problem+json (Kestra 2.0)")
	maxBody := fs.Int64("max-request-size", kestratest.DefaultMaxRequestSize, "largest request body in bytes; larger ones get 413")
	verbose := fs.Bool("v", false, "log every request to stderr")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if (*user == "") != (*password == "") {
		return errors.New("-user and -password go together")
	}

	served := splitList(*tenants)
	if len(served) == 0 {
		return errors.New("-tenants names no tenant")
	}
	if *maxBody <= 0 {
		return errors.New("-max-request-size must be positive")
	}
	opts := []kestratest.Option{kestratest.WithAddr(*addr), kestratest.WithTenants(served...), kestratest.WithMaxRequestSize(*maxBody)}
	if *user != "" {
		opts = append(opts, kestratest.WithBasicAuth(*user, *password))
	}
	if *token != "" {
		opts = append(opts, kestratest.WithBearerToken(*token))
	}
	if *legacy {
		opts = append(opts, kestratest.WithLegacyRoutes())
	}
	if *problem {
		opts = append(opts, kestratest.WithProblemDetails())
	}
	if *verbose {
		opts = append(opts, kestratest.WithLogger(slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))))
	}
	sources, err := readFlows(*flowsDir)
	if err != nil {
		return err
	}

	srv, err := start(opts)
	if err != nil {
		return err
	}
	defer srv.Close()
	for _, tenant := range served {
		for _, src := range sources {
			f, err := srv.DeployFlow(tenant, src.yaml)
			if err != nil {
				return fmt.Errorf("deploy %s: %w", src.path, err)
			}
			fmt.Fprintf(stdout, "deployed %s.%s in tenant %s (%s)\n", f.Namespace, f.ID, tenant, src.path)
		}
	}
	fmt.Fprintf(stdout, "kestra-dev-server (kestratest %s) listening on %s\n", kestratest.Version, srv.URL)
	fmt.Fprintln(stdout, "press Ctrl-C to stop")

	<-ctx.Done()
	fmt.Fprintln(stdout, "stopping")
	return nil
}

// start turns NewServer's panics (listen errors) into an error.
func start(opts []kestratest.Option) (srv *kestratest.Server, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("%v", p)
		}
	}()
	return kestratest.NewServer(opts...), nil
}

type flowFile struct{ path, yaml string }

func readFlows(dir string) ([]flowFile, error) {
	if dir == "" {
		return nil, nil
	}
	var out []flowFile
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		ext := strings.ToLower(filepath.Ext(p))
		if d.IsDir() || (ext != ".yml" && ext != ".yaml") {
			return nil
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		out = append(out, flowFile{p, string(b)})
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read flows from %s: %w", dir, err)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].path < out[j].path })
	return out, nil
}

func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}
