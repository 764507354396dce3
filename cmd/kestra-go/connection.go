package main

import (
	"encoding/base64"
	"fmt"
	"io"
	"net/url"
	"strings"

	"github.com/spf13/pflag"

	"github.com/kestra-go/kestra-go/facade"
)

// setting is one connection setting and where its value came from, so that
// messages can name the source (a flag or a variable), never the value.
type setting struct {
	flag, env string
	value     string
	from      string // "--server", "KESTRA_HOSTNAME", or "" when unset
}

// connection holds the global connection settings.
type connection struct {
	server, user, password, token, tenant setting
	flags                                 *pflag.FlagSet
}

func (c *connection) addFlags(fs *pflag.FlagSet) {
	c.flags = fs
	c.server = setting{flag: "server", env: facade.EnvHostname}
	c.user = setting{flag: "user", env: facade.EnvUser}
	c.password = setting{flag: "password", env: facade.EnvPassword}
	c.token = setting{flag: "token", env: facade.EnvAPIToken}
	c.tenant = setting{flag: "tenant", env: facade.EnvTenant}
	// No default comes from the environment: --help would print it.
	fs.StringVar(&c.server.value, "server", "", "Kestra base `URL` (env KESTRA_HOSTNAME; default "+facade.DefaultHostname+")")
	fs.StringVar(&c.user.value, "user", "", "basic auth `user` (env KESTRA_USER)")
	fs.StringVar(&c.password.value, "password", "", "basic auth `password` (env KESTRA_PASSWORD, preferred)")
	fs.StringVar(&c.token.value, "token", "", "API `token`, Enterprise Edition (env KESTRA_API_TOKEN, preferred)")
	fs.StringVar(&c.tenant.value, "tenant", "", "`tenant` (env KESTRA_TENANT; default "+facade.DefaultTenant+")")
}

// resolve fills each setting from its flag, else its variable.
func (c *connection) resolve(getenv func(string) string) error {
	for _, s := range c.all() {
		switch {
		case c.flags.Changed(s.flag):
			s.from = "--" + s.flag
		case getenv(s.env) != "":
			s.value, s.from = getenv(s.env), s.env
		}
	}
	if c.server.value != "" {
		u, err := url.Parse(c.server.value)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return usagef("%s: want a URL such as https://kestra.example.com (with http:// or https://)", c.server.source())
		}
	}
	if c.password.from != "" && c.user.from == "" && c.token.from == "" {
		return usagef("%s is set but no user: set --user or %s", c.password.source(), facade.EnvUser)
	}
	return nil
}

func (c *connection) all() []*setting {
	return []*setting{&c.server, &c.user, &c.password, &c.token, &c.tenant}
}

// source names where a setting came from, for messages.
func (s *setting) source() string {
	if s.from == "" {
		return "--" + s.flag + " / " + s.env
	}
	return s.from
}

// options are the facade options of the connection. The variables are
// resolved here and passed explicitly, so the flags always win.
func (c *connection) options() []facade.Option {
	opts := []facade.Option{facade.WithUserAgent("kestra-go/" + version())}
	if c.server.value != "" {
		opts = append(opts, facade.WithHostname(c.server.value))
	}
	if c.tenant.value != "" {
		opts = append(opts, facade.WithTenant(c.tenant.value))
	}
	if c.user.value != "" {
		opts = append(opts, facade.WithBasicAuth(c.user.value, c.password.value))
	}
	if c.token.value != "" {
		opts = append(opts, facade.WithAPIToken(c.token.value))
	}
	return opts
}

// serverURL is the URL the program talks to, without credentials, for
// messages.
func (c *connection) serverURL() string {
	s := c.server.value
	if s == "" {
		s = facade.DefaultHostname
	}
	if u, err := url.Parse(s); err == nil {
		u.User = nil
		return u.String()
	}
	return "the URL in " + c.server.source()
}

// credentialsUsed says which credentials were sent and where they came
// from, without their values.
func (c *connection) credentialsUsed() string {
	switch {
	case c.token.value != "":
		return "a bearer token from " + c.token.from
	case c.user.value != "":
		return fmt.Sprintf("basic auth with the user from %s and the password from %s", c.user.from, c.password.source())
	}
	if u, err := url.Parse(c.server.value); err == nil && u.User != nil {
		return "basic auth from the user info in " + c.server.from
	}
	return "no credentials (neither --user/--password, KESTRA_USER/KESTRA_PASSWORD nor --token/KESTRA_API_TOKEN is set)"
}

// secrets are the strings never to print: the password, the token, the
// basic-auth header value and the password of a URL's user info.
func (c *connection) secrets() []string {
	var out []string
	add := func(s string) {
		if len(s) >= 4 { // shorter ones would blank out ordinary text
			out = append(out, s)
		}
	}
	add(c.password.value)
	add(c.token.value)
	if c.user.value != "" {
		add(base64.StdEncoding.EncodeToString([]byte(c.user.value + ":" + c.password.value)))
	}
	if u, err := url.Parse(c.server.value); err == nil && u.User != nil {
		if p, ok := u.User.Password(); ok {
			add(p)
			add(url.QueryEscape(p))
		}
	}
	return out
}

// redacting wraps w so that no secret of c is ever written through it, in
// case a server echoes one into a message we print. Each write is redacted
// on its own; the program writes whole lines.
func (c *connection) redacting(w io.Writer) io.Writer {
	return &redactor{w: w, c: c}
}

type redactor struct {
	w io.Writer
	c *connection
}

func (r *redactor) Write(p []byte) (int, error) {
	s := string(p)
	for _, secret := range r.c.secrets() {
		s = strings.ReplaceAll(s, secret, "***")
	}
	if _, err := io.WriteString(r.w, s); err != nil {
		return 0, err
	}
	return len(p), nil
}
