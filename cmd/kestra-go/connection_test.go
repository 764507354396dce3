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
}
