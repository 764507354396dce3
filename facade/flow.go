package facade

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/kestra-go/kestra-go/api"
)

// Defaults of New.
const (
	DefaultHostname     = "http://localhost:8080"
	DefaultTenant       = "main"
	DefaultPollInterval = time.Second
	// DefaultGuardInterval is when a status read first double-checks a
	// followed execution (see WithGuardInterval).
	DefaultGuardInterval = 10 * time.Second
	// DefaultMaxEventSize bounds one server-sent event (a followed
	// execution's JSON with all its task runs can be large).
	DefaultMaxEventSize = 64 << 20
)

// Environment variables New reads.
const (
	EnvHostname = "KESTRA_HOSTNAME"
	EnvUser     = "KESTRA_USER"
	EnvPassword = "KESTRA_PASSWORD"
	EnvAPIToken = "KESTRA_API_TOKEN"
	EnvTenant   = "KESTRA_TENANT"
)

// Flow runs Kestra flows and waits for their result, like the Python client's
// Flow class. Make one with New: the methods of a Flow not made by New
// return an error.
//
// The exported fields may be changed after New, as the Python examples do
// with flow.user and flow.password: every call reads them once, when it
// starts, and uses that snapshot to its end. Changing them while calls are in
// flight is a data race, like any unsynchronised write; set them before
// sharing the Flow. All methods are safe for concurrent use and share one
// HTTP client (and connection pool).
type Flow struct {
	// WaitForCompletion makes Execute wait for the execution to end
	// (default true). Without it Execute returns right after the create,
	// with Status "STARTED".
	WaitForCompletion bool
	// PollInterval is the delay between status reads when the execution's
	// event stream is unavailable (default 1 s). While the stream works no
	// polling happens, except the slow guard of WithGuardInterval.
	PollInterval time.Duration
	// LabelsFromInputs puts one execution label key:value per input
	// (default false). Values are written as inputs are; a file input's
	// label value is its file name; empty values are left out.
	LabelsFromInputs bool
	// Tenant is the tenant of every route: /api/v1/{tenant}/... When empty,
	// KESTRA_TENANT (read by New) is used, else "main" (the only tenant of
	// the open-source edition). Ignored with WithLegacyRoutes.
	Tenant string
	// Hostname is the server's base URL (default KESTRA_HOSTNAME, else
	// http://localhost:8080). A path prefix (https://host/kestra) is kept.
	Hostname string
	// User and Password are sent as HTTP basic auth when APIToken is empty
	// and User is set (KESTRA_USER, KESTRA_PASSWORD). The open-source server
	// requires basic auth since 0.24.
	User, Password string
	// APIToken is sent as "Authorization: Bearer" (KESTRA_API_TOKEN); it wins
	// over User/Password. Bearer tokens exist only in the Enterprise Edition.
	APIToken string

	// set holds the settings the options chose; New fills it and nothing
	// changes it afterwards, so each call copies it into its snapshot.
	set settings
	// gen caches the server's API generation (see generation.go).
	gen generationCache
}

// settings are a Flow's unexported settings, fixed by New.
type settings struct {
	httpClient    *http.Client
	envTenant     string
	env           envCredentials
	legacyRoutes  bool
	labels        []label
	retry         retryPolicy
	guardInterval time.Duration
	maxEventSize  int
	logHandler    func(api.LogEntry)
	stateHandler  func(StateChange)
	// progressHandler: see WithProgressHandler.
	progressHandler func(Progress)
	correlation     bool
	lookupWindow    time.Duration
	userAgent       string
	majorVersion    int
}

// envCredentials remembers which credential variables New found set, so
// that a 401 can say where the credentials came from (never their values).
type envCredentials struct {
	user, password, token string
}

// New returns a Flow with the Python client's defaults (wait for completion,
// 1 s poll interval, no labels from inputs), the connection settings from the
// environment (KESTRA_HOSTNAME, KESTRA_USER, KESTRA_PASSWORD,
// KESTRA_API_TOKEN, KESTRA_TENANT), then the options applied in order.
func New(opts ...Option) (*Flow, error) {
	f := &Flow{
		WaitForCompletion: true,
		PollInterval:      DefaultPollInterval,
		Hostname:          os.Getenv(EnvHostname),
		User:              os.Getenv(EnvUser),
		Password:          os.Getenv(EnvPassword),
		APIToken:          os.Getenv(EnvAPIToken),
		set: settings{
			envTenant:     os.Getenv(EnvTenant),
			retry:         defaultRetryPolicy(),
			guardInterval: DefaultGuardInterval,
			maxEventSize:  DefaultMaxEventSize,
			correlation:   true,
			lookupWindow:  DefaultCreateLookupWindow,
			userAgent:     "kestra-go-facade",
		},
	}
	f.set.env = envCredentials{user: f.User, password: f.Password, token: f.APIToken}
	if f.Hostname == "" {
		f.Hostname = DefaultHostname
	}
	for _, o := range opts {
		if err := o(f); err != nil {
			return nil, err
		}
	}
	if _, err := parseHostname(f.Hostname); err != nil {
		return nil, err
	}
	f.set.httpClient = guardedClient(f.set.httpClient)
	return f, nil
}

// parseHostname checks the base URL and drops credentials written into it.
func parseHostname(h string) (*url.URL, error) {
	h = strings.TrimSpace(h)
	if !strings.Contains(h, "://") {
		h = "http://" + h
	}
	u, err := url.Parse(h)
	if err != nil {
		return nil, errors.New("facade: invalid hostname (not a URL)")
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return nil, fmt.Errorf("facade: hostname scheme %q, want http or https", u.Scheme)
	}
	if u.Host == "" {
		return nil, errors.New("facade: hostname has no host")
	}
	u.Path = strings.TrimRight(u.Path, "/")
	u.RawPath = ""
	u.RawQuery, u.Fragment = "", ""
	return u, nil
}

// call is the snapshot of a Flow's settings one call runs with: the
// exported fields read once, and a copy of the fixed settings. Code running
// a call reads settings from here only.
type call struct {
	f        *Flow // for the generation cache only
	set      settings
	api      *api.ClientWithResponses
	tenant   string
	base     string
	token    string
	user     string
	password string
	waitEnd  bool
	poll     time.Duration
	fromIn   bool
}

// errNotFromNew is returned by the methods of a Flow not made by New: its
// unexported settings are zero (no attempt limit, no guard interval), which
// would retry forever and poll without pause.
var errNotFromNew = errors.New("facade: use a Flow made by facade.New (a zero Flow has no retry or polling settings)")

// snapshot reads the exported fields once.
func (f *Flow) snapshot() (*call, error) {
	if f.set.httpClient == nil {
		return nil, errNotFromNew
	}
	u, err := parseHostname(f.Hostname)
	if err != nil {
		return nil, err
	}
	c := &call{
		f:        f,
		set:      f.set,
		tenant:   f.Tenant,
		token:    f.APIToken,
		user:     f.User,
		password: f.Password,
		waitEnd:  f.WaitForCompletion,
		poll:     f.PollInterval,
		fromIn:   f.LabelsFromInputs,
	}
	if u.User != nil { // credentials in the URL: use them, never send them in it
		if c.user == "" && c.token == "" {
			c.user = u.User.Username()
			c.password, _ = u.User.Password()
		}
		u.User = nil
	}
	c.base = u.String()
	if c.tenant == "" {
		c.tenant = c.set.envTenant
	}
	if c.tenant == "" {
		c.tenant = DefaultTenant
	}
	if c.poll <= 0 {
		c.poll = DefaultPollInterval
	}
	c.api, err = api.NewClientWithResponses(c.base, api.WithHTTPClient(&retryDoer{c: c}), api.WithRequestEditorFn(c.edit))
	if err != nil {
		return nil, fmt.Errorf("facade: %w", err)
	}
	return c, nil
}

// API returns a client of the generated package api configured as f is
// now (server, credentials, tenant or legacy routes, user agent, redirect
// rule), and the tenant to pass as each operation's tenant argument. Use it
// for the operations the facade does not wrap. Like every call, it reads the
// exported fields once.
//
// Its requests are retried with the Flow's policy (WithRetry,
// WithRetryWindow, WithRetryDecision): GET, HEAD, PUT, DELETE and OPTIONS
// whenever the decision says so; POST and PATCH only when the request
// provably never left the client, or was answered 429 (refused). A create
// sent through this client is therefore never resent after it may have
// reached the server; Execute applies the full create rule instead. When
// the retries run out, the operation returns an error matching
// ErrFailedExponentialBackoff that wraps the last *APIError or transport
// failure. Answers that are not retried (a 404, a 422...) come back as
// responses: turn them into the same *APIError with f.ResponseError.
func (f *Flow) API() (client *api.ClientWithResponses, tenant string, err error) {
	c, err := f.snapshot()
	if err != nil {
		return nil, "", err
	}
	return c.api, c.tenant, nil
}

// checkPathIDs refuses identifiers the generated client cannot put in a path
// as they are: empty ones, and "." and "..", which URL resolution would turn
// into another route (for example .../executions/.. into .../executions).
func checkPathIDs(op string, ids ...string) error {
	for _, id := range ids {
		switch id {
		case "":
			return fmt.Errorf("facade: %s: %w: empty identifier", op, ErrInvalidID)
		case ".", "..":
			return fmt.Errorf("facade: %s: %w: %q cannot be sent as a path segment", op, ErrInvalidID, id)
		}
	}
	return nil
}

// edit adds authentication and the user agent, and rewrites legacy routes.
func (c *call) edit(_ context.Context, req *http.Request) error {
	switch {
	case c.token != "":
		req.Header.Set("Authorization", "Bearer "+c.token)
	case c.user != "":
		req.SetBasicAuth(c.user, c.password)
	}
	if c.set.userAgent != "" {
		req.Header.Set("User-Agent", c.set.userAgent)
	}
	if c.set.legacyRoutes {
		stripTenant(req.URL, c.tenant)
	}
	return nil
}

// stripTenant turns .../api/v1/<tenant>/rest into .../api/v1/rest.
func stripTenant(u *url.URL, tenant string) {
	esc := u.EscapedPath()
	seg := "/api/v1/" + url.PathEscape(tenant) + "/"
	i := strings.Index(esc, seg)
	if i < 0 {
		return
	}
	esc = esc[:i] + "/api/v1/" + esc[i+len(seg):]
	if p, err := url.PathUnescape(esc); err == nil {
		u.Path = p
		u.RawPath = esc
		if u.EscapedPath() != esc { // RawPath not needed
			u.RawPath = ""
		}
	}
}

// redact removes the call's secrets from s (in case a server echoes them):
// the token, the password and the base64 basic-auth credentials, which carry
// the password in a form a plain search would miss.
func (c *call) redact(s string) string {
	var basic string
	if c.user != "" {
		basic = base64.StdEncoding.EncodeToString([]byte(c.user + ":" + c.password))
	}
	for _, secret := range []string{c.token, c.password, basic} {
		if len(secret) >= 4 {
			s = strings.ReplaceAll(s, secret, "***")
		}
	}
	return s
}
