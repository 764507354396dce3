package main

import (
	"context"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/kestra-go/kestra-go/facade"
	"github.com/kestra-go/kestra-go/kestratest"
)

// Bad input is exit 2 with a message naming the flag and the fix; nothing
// is sent to the server.
func TestUsageErrors(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	missing := t.TempDir() + "/nope.csv"
	for _, tc := range []struct {
		name string
		args []string
		env  map[string]string
		want []string
	}{
		{"input without =", []string{"run", "company.team", "hello-kestra-go", "-i", "name"}, nil, []string{`--input "name": want key=value`}},
		{"input twice", []string{"run", "company.team", "hello-kestra-go", "-i", "name=a", "-i", "name=b"}, nil, []string{"given twice"}},
		{"missing file", []string{"run", "company.team", "upload", "-f", "data=" + missing}, nil, []string{"--file data=" + missing, "no such file", "or - for stdin"}},
		{"directory as file", []string{"run", "company.team", "upload", "-f", "data=" + t.TempDir()}, nil, []string{"is a directory"}},
		{"file without =", []string{"run", "company.team", "upload", "-f", "data"}, nil, []string{`--file "data": want key=PATH`}},
		{"stdin twice", []string{"run", "company.team", "upload", "-f", "a=-", "-f", "b=-"}, nil, []string{"stdin (-) can feed only one"}},
		{"label without :", []string{"run", "company.team", "hello-kestra-go", "-l", "team"}, nil, []string{`--label "team": want key:value`}},
		{"system label", []string{"run", "company.team", "hello-kestra-go", "-l", "system.x:y"}, nil, []string{"reserved for Kestra"}},
		{"bad logs", []string{"run", "company.team", "hello-kestra-go", "--logs", "all"}, nil, []string{`--logs "all": want live, end, none`}},
		{"bad output", []string{"run", "company.team", "hello-kestra-go", "-o", "yaml"}, nil, []string{`--output "yaml": want text or json`}},
		{"bad timeout", []string{"run", "company.team", "hello-kestra-go", "--timeout", "soon"}, nil, []string{"--timeout", "soon"}},
		{"negative timeout", []string{"run", "company.team", "hello-kestra-go", "--timeout", "-1s"}, nil, []string{"--timeout -1s: want a positive duration"}},
		{"one argument", []string{"run", "company.team"}, nil, []string{"kestra-go run takes 2 arguments (NAMESPACE FLOW), got 1", "kestra-go run --help"}},
		{"empty argument", []string{"run", "company.team", ""}, nil, []string{"FLOW is empty"}},
		{"dot-segment id", []string{"status", ".."}, nil, []string{"invalid identifier"}},
		{"unknown flag", []string{"run", "company.team", "hello-kestra-go", "--verbose"}, nil, []string{"unknown flag: --verbose"}},
		{"unknown command", []string{"launch"}, nil, []string{`unknown command "launch"`}},
		{"server not a URL", []string{"--server", "localhost:8080", "run", "a", "b"}, nil, []string{"--server: want a URL"}},
		{"env server not a URL", []string{"run", "a", "b"}, map[string]string{"KESTRA_HOSTNAME": "ftp://x"}, []string{"KESTRA_HOSTNAME: want a URL"}},
		{"password without user", []string{"run", "a", "b"}, map[string]string{"KESTRA_PASSWORD": "hunter22"}, []string{"KESTRA_PASSWORD is set but no user"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			env := map[string]string{"KESTRA_HOSTNAME": srv.URL}
			for k, v := range tc.env {
				env[k] = v
			}
			o := kestraGo(t, invocation{env: env}, tc.args...)
			wantCode(t, o, exitUsage)
			for _, w := range tc.want {
				if !strings.Contains(o.stderr, w) {
					t.Errorf("stderr lacks %q:\n%s", w, o)
				}
			}
			if o.stdout != "" {
				t.Errorf("stdout not empty:\n%s", o)
			}
			if strings.Contains(o.stderr, "hunter22") {
				t.Errorf("secret printed:\n%s", o)
			}
		})
	}
	if n := srv.RequestCount("createExecution"); n != 0 {
		t.Errorf("%d creates sent for bad input", n)
	}
}

// shortRetries makes an unreachable server fail within a second (the
// facade rides out two minutes of outage by default).
var shortRetries = []facade.Option{facade.WithRetryWindow(time.Second)}

// freeAddr returns a local address nothing listens on.
func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return addr
}

func TestServerErrors(t *testing.T) {
	t.Parallel()
	t.Run("unknown flow", func(t *testing.T) {
		t.Parallel()
		srv := newServer(t, kestratest.WithProblemDetails())
		o := on(t, srv, "run", "company.team", "nope", "-o", "json")
		wantCode(t, o, exitServer)
		if !strings.Contains(o.stderr, "404") || !strings.Contains(o.stderr, "kestra-go: ") {
			t.Errorf("stderr:\n%s", o)
		}
		if o.stdout != "" {
			t.Errorf("no execution, yet stdout:\n%s", o)
		}
	})
	t.Run("unreachable", func(t *testing.T) {
		t.Parallel()
		url := "http://" + freeAddr(t)
		o := kestraGo(t, invocation{env: map[string]string{"KESTRA_HOSTNAME": url}, extra: shortRetries}, "run", "company.team", "hello")
		wantCode(t, o, exitServer)
		if strings.Count(o.stderr, "; retrying for up to 2m0s") != 1 || !strings.Contains(o.stderr, "kestra-go: createExecution company.team/hello failed (") {
			t.Errorf("want one retry notice for the create:\n%s", o)
		}
		for _, w := range []string{"could not reach the Kestra server at " + url + " (from KESTRA_HOSTNAME)", "set --server or KESTRA_HOSTNAME"} {
			if !strings.Contains(o.stderr, w) {
				t.Errorf("stderr lacks %q:\n%s", w, o)
			}
		}
	})
	t.Run("unreachable default", func(t *testing.T) {
		t.Parallel()
		o := kestraGo(t, invocation{extra: shortRetries}, "--server", "http://"+freeAddr(t), "status", "some-id", "-o", "json")
		wantCode(t, o, exitServer)
		if !strings.Contains(o.stderr, "(from --server)") || strings.Count(o.stderr, "; retrying for up to 2m0s") != 1 {
			t.Errorf("stderr:\n%s", o)
		}
	})
	t.Run("https to an http server", func(t *testing.T) {
		t.Parallel()
		srv := newServer(t)
		o := kestraGo(t, invocation{extra: shortRetries}, "--server", strings.Replace(srv.URL, "http://", "https://", 1), "status", "x")
		wantCode(t, o, exitServer)
		if !strings.Contains(o.stderr, "fix: the server speaks http, not https: change --server") {
			t.Errorf("stderr:\n%s", o)
		}
	})
	t.Run("401 names the variables, never the values", func(t *testing.T) {
		t.Parallel()
		srv := newServer(t, kestratest.WithBasicAuth("admin@kestra.io", "Right-Pass-1"))
		o := kestraGo(t, invocation{env: map[string]string{"KESTRA_HOSTNAME": srv.URL, "KESTRA_USER": "admin@kestra.io", "KESTRA_PASSWORD": "Wrong-Pass-1"}},
			"run", "company.team", "hello-kestra-go")
		wantCode(t, o, exitServer)
		for _, w := range []string{"401", "user from KESTRA_USER and the password from KESTRA_PASSWORD", "fix: set --user and --password"} {
			if !strings.Contains(o.stderr, w) {
				t.Errorf("stderr lacks %q:\n%s", w, o)
			}
		}
		if strings.Contains(o.stdout+o.stderr, "Wrong-Pass-1") {
			t.Errorf("password printed:\n%s", o)
		}
		o = kestraGo(t, invocation{env: map[string]string{"KESTRA_HOSTNAME": srv.URL}}, "run", "company.team", "hello-kestra-go")
		wantCode(t, o, exitServer)
		if !strings.Contains(o.stderr, "carried no credentials") {
			t.Errorf("stderr:\n%s", o)
		}
		o = kestraGo(t, invocation{}, "--server", srv.URL, "--user", "admin@kestra.io", "--password", "Wrong-Pass-2", "status", "x")
		wantCode(t, o, exitServer)
		if !strings.Contains(o.stderr, "the user from --user and the password from --password") || strings.Contains(o.stderr, "WithBasicAuth") || strings.Contains(o.stderr, "Wrong-Pass-2") {
			t.Errorf("stderr:\n%s", o)
		}
		o = kestraGo(t, invocation{env: map[string]string{"KESTRA_HOSTNAME": srv.URL, "KESTRA_API_TOKEN": "tok-secret-1"}}, "run", "company.team", "hello-kestra-go")
		wantCode(t, o, exitServer)
		if !strings.Contains(o.stderr, "a bearer token from KESTRA_API_TOKEN") || strings.Contains(o.stderr, "tok-secret-1") {
			t.Errorf("stderr:\n%s", o)
		}
	})
	t.Run("credentials from flags", func(t *testing.T) {
		t.Parallel()
		srv := newServer(t, kestratest.WithBasicAuth("admin@kestra.io", "Right-Pass-1"))
		o := kestraGo(t, invocation{env: map[string]string{"KESTRA_USER": "other", "KESTRA_PASSWORD": "Wrong-Pass-1"}},
			"--server", srv.URL, "--user", "admin@kestra.io", "--password", "Right-Pass-1", "run", "company.team", "hello-kestra-go", "-o", "json")
		wantCode(t, o, exitOK)
		if strings.Contains(o.stdout+o.stderr, "Right-Pass-1") {
			t.Errorf("password printed:\n%s", o)
		}
	})
}

// A server that echoes the credentials into its messages gets them
// redacted; no output carries a secret.
func TestSecretsNeverPrinted(t *testing.T) {
	t.Parallel()
	const secret = "S3cret-Token-xyz"
	srv := newServer(t, kestratest.WithBearerToken(secret))
	// The flow name carries the secret, so the server's 404 message echoes it.
	o := kestraGo(t, invocation{env: map[string]string{"KESTRA_HOSTNAME": srv.URL, "KESTRA_API_TOKEN": secret}},
		"run", "company.team", "flow-"+secret, "-o", "json")
	wantCode(t, o, exitServer)
	if strings.Contains(o.stdout+o.stderr, secret) {
		t.Errorf("secret printed:\n%s", o)
	}
	if !strings.Contains(o.stderr, "flow-***") {
		t.Errorf("want the redacted echo:\n%s", o)
	}
}

func TestHelp(t *testing.T) {
	t.Parallel()
	env := map[string]string{"KESTRA_PASSWORD": "Pass-In-Env-1", "KESTRA_API_TOKEN": "Token-In-Env-1", "KESTRA_USER": "someone", "KESTRA_HOSTNAME": "http://example.invalid"}
	for _, args := range [][]string{{"--help"}, {"run", "--help"}, {"help", "run"}} {
		o := kestraGo(t, invocation{env: env}, args...)
		wantCode(t, o, exitOK)
		for _, secret := range []string{"Pass-In-Env-1", "Token-In-Env-1"} {
			if strings.Contains(o.stdout+o.stderr, secret) {
				t.Errorf("%v prints a secret:\n%s", args, o)
			}
		}
		for _, w := range []string{"Exit codes:", "124  --timeout reached", "KESTRA_PASSWORD"} {
			if !strings.Contains(o.stdout, w) {
				t.Errorf("%v lacks %q:\n%s", args, w, o)
			}
		}
	}
	// A command that does not wait lists only the codes it can give.
	for _, args := range [][]string{{"kill", "--help"}, {"kv", "delete", "--help"}, {"executions", "search", "--help"}} {
		o := kestraGo(t, invocation{}, args...)
		wantCode(t, o, exitOK)
		if !strings.Contains(o.stdout, "Exit codes:\n  0    done\n") || strings.Contains(o.stdout, "124") || strings.Contains(o.stdout, "--strict") {
			t.Errorf("%v exit codes:\n%s", args, o)
		}
	}
	if o := kestraGo(t, invocation{}, "status", "--help"); !strings.Contains(o.stdout, "0    the execution runs, or ended SUCCESS") || strings.Contains(o.stdout, "124") {
		t.Errorf("status exit codes:\n%s", o)
	}
	o := kestraGo(t, invocation{}, "run", "--help")
	for _, flag := range []string{"--input", "--file", "--label", "--labels-from-inputs", "--no-wait", "--timeout", "--kill-on-cancel", "--output", "--logs", "--strict", "--server", "--user", "--password", "--token", "--tenant"} {
		if !strings.Contains(o.stdout, flag) {
			t.Errorf("run --help lacks %s", flag)
		}
	}
}

// Ctrl-C during a command that does not wait (here a status riding out an
// unreachable server) exits 130 too.
func TestInterruptedCommand(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancelCause(context.Background())
	time.AfterFunc(300*time.Millisecond, func() { cancel(errInterrupted) })
	o := kestraGo(t, invocation{ctx: ctx}, "--server", "http://"+freeAddr(t), "status", "x")
	wantCode(t, o, exitInterrupted)
	if !strings.Contains(o.stderr, "kestra-go: interrupted: ") {
		t.Errorf("stderr:\n%s", o)
	}
}
