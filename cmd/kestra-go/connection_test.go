package main

import (
	"strings"
	"testing"

	"github.com/kestra-go/kestra-go/kestratest"
)

// Each global flag works, and wins over its variable.
func TestConnectionSettings(t *testing.T) {
	t.Parallel()
	srv := kestratest.NewServer(kestratest.WithTenants("acme", "other"), kestratest.WithBearerToken("Tok-1234"), kestratest.WithFlows(warnFlow))
	t.Cleanup(srv.Close)
	for _, tc := range []struct {
		name string
		env  map[string]string
		args []string
		want int
	}{
		{"flags", nil, []string{"--server", srv.URL, "--token", "Tok-1234", "--tenant", "acme"}, exitOK},
		{"variables", map[string]string{"KESTRA_HOSTNAME": srv.URL, "KESTRA_API_TOKEN": "Tok-1234", "KESTRA_TENANT": "other"}, nil, exitOK},
		{"flag wins over variable", map[string]string{"KESTRA_HOSTNAME": "http://127.0.0.1:1", "KESTRA_API_TOKEN": "wrong", "KESTRA_TENANT": "nope"},
			[]string{"--server", srv.URL, "--token", "Tok-1234", "--tenant", "acme"}, exitOK},
		{"token wins over user", map[string]string{"KESTRA_USER": "u", "KESTRA_PASSWORD": "p-1234"},
			[]string{"--server", srv.URL, "--token", "Tok-1234", "--tenant", "acme"}, exitOK},
		{"tenant not served", nil, []string{"--server", srv.URL, "--token", "Tok-1234", "--tenant", "main"}, exitServer},
		{"server with a path prefix", nil, []string{"--server", srv.URL + "/kestra", "--token", "Tok-1234", "--tenant", "acme"}, exitServer},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			o := kestraGo(t, invocation{env: tc.env}, append(tc.args, "run", "company.team", "shaky", "-o", "json")...)
			wantCode(t, o, tc.want)
			if tc.want == exitOK {
				r := parseResult(t, o)
				tenant := "acme"
				if tc.env["KESTRA_TENANT"] == "other" {
					tenant = "other"
				}
				if r.State != "WARNING" || !strings.Contains(r.URL, "/ui/"+tenant+"/executions/") || len(srv.Executions(tenant)) == 0 {
					t.Errorf("result %+v", r)
				}
			}
			if strings.Contains(o.stdout+o.stderr, "Tok-1234") || strings.Contains(o.stdout+o.stderr, "p-1234") {
				t.Errorf("secret printed:\n%s", o)
			}
		})
	}
}

func TestVersion(t *testing.T) {
	t.Parallel()
	o := kestraGo(t, invocation{}, "--version")
	wantCode(t, o, exitOK)
	if !strings.HasPrefix(o.stdout, "kestra-go version ") {
		t.Errorf("--version: %s", o)
	}
	o = kestraGo(t, invocation{}, "completion", "bash")
	wantCode(t, o, exitOK)
	if !strings.Contains(o.stdout, "bash completion") || !strings.Contains(o.stdout, "kestra-go") {
		t.Errorf("completion bash: %.200s", o.stdout)
	}
}

// Credentials written in the server URL are used and never printed, not
// even in the URLs the tool prints.
func TestCredentialsInServerURL(t *testing.T) {
	t.Parallel()
	srv := newServer(t, kestratest.WithBasicAuth("admin@kestra.io", "Url-Secret-7"))
	withCreds := strings.Replace(srv.URL, "http://", "http://admin%40kestra.io:Url-Secret-7@", 1)
	o := kestraGo(t, invocation{env: map[string]string{"KESTRA_HOSTNAME": withCreds}}, "run", "company.team", "hello-kestra-go", "-o", "json")
	wantCode(t, o, exitOK)
	if r := parseResult(t, o); !strings.HasPrefix(r.URL, srv.URL+"/ui/") {
		t.Errorf("url %q", r.URL)
	}
	if strings.Contains(o.stdout+o.stderr, "Url-Secret-7") {
		t.Errorf("secret printed:\n%s", o)
	}
	// A wrong one: the 401 message shows the URL without it.
	wrong := strings.Replace(withCreds, "Url-Secret-7", "Wrong-Secret-7", 1)
	o = kestraGo(t, invocation{env: map[string]string{"KESTRA_HOSTNAME": wrong}}, "status", "x")
	wantCode(t, o, exitServer)
	if strings.Contains(o.stdout+o.stderr, "Wrong-Secret-7") || !strings.Contains(o.stderr, "user info in KESTRA_HOSTNAME") {
		t.Errorf("stderr:\n%s", o)
	}
}
