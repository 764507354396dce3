// Package quickstart holds the demo that "make demo" runs (demo.sh) and the
// flow it deploys (flow.yaml); this test runs the demo as a user would.
package quickstart

import (
	"bytes"
	"context"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/kestra-go/kestra-go/api"
	"github.com/kestra-go/kestra-go/kestratest"
)

// demo runs demo.sh with env (and PATH, HOME and the Go caches) only.
func demo(t *testing.T, env ...string) (code int, stdout, stderr string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "bash", "demo.sh")
	for _, k := range []string{"PATH", "HOME", "GOPATH", "GOCACHE", "GOMODCACHE", "GOFLAGS", "GOPROXY", "GOTOOLCHAIN"} {
		if v, ok := os.LookupEnv(k); ok {
			cmd.Env = append(cmd.Env, k+"="+v)
		}
	}
	cmd.Env = append(cmd.Env, env...)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	cmd.Stdin = strings.NewReader("") // not a terminal: no question can be asked
	err := cmd.Run()
	if ee, ok := err.(*exec.ExitError); ok {
		return ee.ExitCode(), out.String(), errOut.String()
	} else if err != nil {
		t.Fatal(err)
	}
	return 0, out.String(), errOut.String()
}

func TestDemoOnTestServer(t *testing.T) {
	t.Parallel()
	code, out, errOut := demo(t)
	if code != 0 {
		t.Fatalf("exit %d\n%s\n%s", code, out, errOut)
	}
	for _, want := range []string{
		"started the test server at http://127.0.0.1:",
		"no web UI",
		"$ kestra-go deploy examples/quickstart/flow.yaml\ncompany.team hello-kestra-go created revision 1",
		`$ kestra-go run company.team hello-kestra-go -i name=Gopher -i count=3 -i 'tags=["go","kestra","cli"]' -l source:demo -o json`,
		`"state": "SUCCESS"`, `"greeting": "Hello, Gopher!"`, `"source": "demo"`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("stdout lacks %q:\n%s", want, out)
		}
	}
	for _, want := range []string{"INFO  [greet] Hello, Gopher!", `[details] 3 tags: ["go","kestra","cli"]`} {
		if !strings.Contains(errOut, want) {
			t.Errorf("stderr lacks the live log line %q:\n%s", want, errOut)
		}
	}
	if strings.Contains(out+errOut, "correlationId") {
		t.Errorf("the internal correlation label is shown:\n%s", out)
	}
}

// Pointed at a server of their own, the demo changes nothing there without
// DEMO_DEPLOY=yes (or a "y" on a terminal).
func TestDemoOnRealServerAsksFirst(t *testing.T) {
	t.Parallel()
	srv := kestratest.NewServer(kestratest.WithBasicAuth("admin@kestra.io", "Admin1234"))
	defer srv.Close()
	env := []string{"KESTRA_HOSTNAME=" + srv.URL, "KESTRA_USER=admin@kestra.io", "KESTRA_PASSWORD=Admin1234"}
	code, out, errOut := demo(t, env...)
	if code != 2 || !strings.Contains(errOut, "DEMO_DEPLOY=yes") {
		t.Fatalf("exit %d\n%s\n%s", code, out, errOut)
	}
	if n := srv.RequestCount("createFlow") + srv.RequestCount("updateFlow") + srv.RequestCount("createExecution"); n != 0 {
		t.Fatalf("%d changes made without confirmation", n)
	}

	code, out, errOut = demo(t, append(env, "DEMO_DEPLOY=yes")...)
	if code != 0 || !strings.Contains(out, `"state": "SUCCESS"`) || strings.Contains(out, "test server") {
		t.Fatalf("exit %d\n%s\n%s", code, out, errOut)
	}
	c, _ := api.NewClientWithResponses(srv.URL, api.WithRequestEditorFn(func(_ context.Context, r *http.Request) error {
		r.SetBasicAuth("admin@kestra.io", "Admin1234")
		return nil
	}))
	got, err := c.GetFlowWithResponse(context.Background(), "main", "company.team", "hello-kestra-go", nil)
	if err != nil || got.StatusCode() != 200 {
		t.Fatalf("flow not deployed: %v %v", err, got.StatusCode())
	}
	if strings.Contains(out+errOut, "Admin1234") {
		t.Errorf("password printed")
	}
}
