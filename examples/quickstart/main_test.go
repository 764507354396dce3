package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/kestra-go/kestra-go/facade"
	"github.com/kestra-go/kestra-go/kestratest"
)

func check(t *testing.T, out string) {
	t.Helper()
	for _, want := range []string{
		"Deployed flow company.team/hello-kestra-go",
		"  | ", // live log lines
		"INFO Hello, Gopher!",
		"INFO count = 3",
		`INFO 3 tags: ["go","kestra","quickstart"]`,
		"WARN Done greeting Gopher (3 times).",
		" ended SUCCESS\n",
		"output:  greeting = Hello, Gopher!",
		"source:quickstart", "user:Gopher", `tags:["go","kestra","quickstart"]`, "count:3",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

// Without KESTRA_HOSTNAME: the embedded server.
func TestQuickstartEmbedded(t *testing.T) {
	t.Setenv(facade.EnvHostname, "")
	t.Setenv(facade.EnvTenant, "")
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	var out bytes.Buffer
	if err := run(ctx, &out, "Gopher"); err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	check(t, out.String())
	if !strings.Contains(out.String(), "started the embedded test server") {
		t.Errorf("no embedded server:\n%s", out.String())
	}
}

// With KESTRA_HOSTNAME: that server (here another kestratest, with basic auth
// as an open-source server has), deployed twice to go through create and
// update.
func TestQuickstartAgainstServer(t *testing.T) {
	srv := kestratest.NewServer(kestratest.WithBasicAuth("admin@kestra.io", "Admin1234"))
	defer srv.Close()
	t.Setenv(facade.EnvHostname, srv.URL)
	t.Setenv(facade.EnvUser, "admin@kestra.io")
	t.Setenv(facade.EnvPassword, "Admin1234")
	t.Setenv(facade.EnvAPIToken, "")
	t.Setenv(facade.EnvTenant, "")
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	for range 2 {
		var out bytes.Buffer
		if err := run(ctx, &out, "Gopher"); err != nil {
			t.Fatalf("%v\n%s", err, out.String())
		}
		check(t, out.String())
		if strings.Contains(out.String(), "embedded") {
			t.Errorf("used the embedded server despite KESTRA_HOSTNAME")
		}
	}
}
