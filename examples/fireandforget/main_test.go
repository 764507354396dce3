package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/kestra-go/kestra-go/facade"
)

func TestFireAndForget(t *testing.T) {
	t.Setenv(facade.EnvHostname, "")
	t.Setenv(facade.EnvTenant, "")
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var out bytes.Buffer
	if err := run(ctx, &out, "company.team", "myflow", map[string]any{"param": "x"}); err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	s := out.String()
	for _, want := range []string{"(STARTED)", "/ui/main/executions/company.team/myflow/", "current state: "} {
		if !strings.Contains(s, want) {
			t.Errorf("output lacks %q:\n%s", want, s)
		}
	}
	// The flow sleeps 2 s: a state other than SUCCESS shows it did not wait.
	if strings.Contains(s, "current state: SUCCESS") {
		t.Errorf("waited for the flow:\n%s", s)
	}
}
