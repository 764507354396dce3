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
	// DefaultMaxAttempts is how many times a call is tried in all.
	DefaultMaxAttempts = 5
	// DefaultBackoffBase is the first retry delay; it doubles each retry.
	DefaultBackoffBase = 200 * time.Millisecond
	// DefaultBackoffMax caps one retry delay (before jitter).
	DefaultBackoffMax = 10 * time.Second
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

	httpClient    *http.Client
	envTenant     string
	legacyRoutes  bool
	labels        []label
	maxAttempts   int
	backoffBase   time.Duration
	backoffMax    time.Duration
	guardInterval time.Duration
	maxEventSize  int
	logHandler    func(api.LogEntry)
	correlation   bool
	userAgent     string
}

// Option configures New.
type Option func(*Flow) error

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
		envTenant:         os.Getenv(EnvTenant),
		maxAttempts:       DefaultMaxAttempts,
		backoffBase:       DefaultBackoffBase,
		backoffMax:        DefaultBackoffMax,
		guardInterval:     DefaultGuardInterval,
		maxEventSize:      DefaultMaxEventSize,
		correlation:       true,
		userAgent:         "kestra-go-facade",
	}
	if f.Hostname == "" {
		f.Hostname = DefaultHostname
	}
	for _, o := range opts {
		if err := o(f); err != nil {
			return nil, err
		}
	}
	if f.httpClient == nil {
		f.httpClient = defaultHTTPClient()
	}
	if _, err := parseHostname(f.Hostname); err != nil {
		return nil, err
	}
	return f, nil
}

// defaultHTTPClient has no overall timeout (waits and event streams are
// long; contexts bound them) and keeps more idle connections per host than
// net/http's default 2, so many concurrent Execute calls reuse connections.
func defaultHTTPClient() *http.Client {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConns = 256
	t.MaxIdleConnsPerHost = 128
	return &http.Client{Transport: t}
}

// WithHostname sets Hostname.
func WithHostname(url string) Option {
	return func(f *Flow) error { f.Hostname = url; return nil }
}

// WithBasicAuth sets User and Password.
func WithBasicAuth(user, password string) Option {
	return func(f *Flow) error { f.User, f.Password = user, password; return nil }
}

// WithAPIToken sets APIToken (Enterprise Edition).
func WithAPIToken(token string) Option {
	return func(f *Flow) error { f.APIToken = token; return nil }
}

// WithTenant sets Tenant.
func WithTenant(tenant string) Option {
	return func(f *Flow) error { f.Tenant = tenant; return nil }
}

// WithLegacyRoutes uses the routes without tenant (/api/v1/executions/...)
// that servers up to 0.22 had and that newer ones still map to tenant "main"
// (an undocumented compatibility layer announced for removal). Use it only
// for such old servers. The generated client always puts a tenant in the
// path, so the facade removes the /api/v1/<tenant>/ segment in a request
// editor just before sending.
func WithLegacyRoutes() Option {
	return func(f *Flow) error { f.legacyRoutes = true; return nil }
}

// WithWait sets WaitForCompletion.
func WithWait(wait bool) Option {
	return func(f *Flow) error { f.WaitForCompletion = wait; return nil }
}

// WithPollInterval sets PollInterval.
func WithPollInterval(d time.Duration) Option {
	return func(f *Flow) error {
		if d <= 0 {
			return errors.New("facade: poll interval must be positive")
		}
		f.PollInterval = d
		return nil
	}
}

// WithLabelsFromInputs sets LabelsFromInputs.
func WithLabelsFromInputs(on bool) Option {
	return func(f *Flow) error { f.LabelsFromInputs = on; return nil }
}

// WithLabels adds execution labels to every Execute call, as key, value
// pairs: WithLabels("team", "data", "env", "prod"). They win over labels
// from inputs with the same key. Keys starting with "system." are refused by
// the server.
func WithLabels(keyValues ...string) Option {
	return func(f *Flow) error {
		if len(keyValues)%2 != 0 {
			return errors.New("facade: WithLabels needs key, value pairs")
		}
		for i := 0; i < len(keyValues); i += 2 {
			if keyValues[i] == "" {
				return errors.New("facade: empty label key")
			}
			f.labels = append(f.labels, label{keyValues[i], keyValues[i+1]})
		}
		return nil
	}
}

// WithHTTPClient uses c for every request (its Transport is the shared
// connection pool). Do not give it a Timeout shorter than the longest wait:
// pass contexts instead.
func WithHTTPClient(c *http.Client) Option {
	return func(f *Flow) error {
		if c == nil {
			return errors.New("facade: nil http client")
		}
		f.httpClient = c
		return nil
	}
}

// WithRetry sets the retry policy of every call: maxAttempts tries in all
// (1 = no retry), delays growing exponentially from base, each capped at max,
// with ±20% jitter. A Retry-After header lengthens a delay, never shortens it.
func WithRetry(maxAttempts int, base, max time.Duration) Option {
	return func(f *Flow) error {
		if maxAttempts < 1 || base <= 0 || max < base {
			return errors.New("facade: WithRetry needs maxAttempts >= 1 and 0 < base <= max")
		}
		f.maxAttempts, f.backoffBase, f.backoffMax = maxAttempts, base, max
		return nil
	}
}

// WithGuardInterval sets when a status read first double-checks an
// execution while its event stream is followed (default 10 s); the delay
// then doubles after each read, up to 5 minutes, so a long wait makes a few
// reads, not one per interval. The server reads the state before it
// subscribes the stream, so an end landing in between would otherwise only
// be noticed after the server's 1-hour stream timeout. Waits shorter than
// the interval make no such read.
func WithGuardInterval(d time.Duration) Option {
	return func(f *Flow) error {
		if d <= 0 {
			return errors.New("facade: guard interval must be positive")
		}
		f.guardInterval = d
		return nil
	}
}

// WithLogHandler calls h with each log line of the execution, live, while
// Execute waits (it follows the server's log stream, and closes it when the
// execution ends). h is called from one goroutine at a time, in arrival
// order, and never after Execute returns; lines the stream missed are passed
// once at the end, from the full log fetched then. Only used when waiting.
func WithLogHandler(h func(api.LogEntry)) Option {
	return func(f *Flow) error { f.logHandler = h; return nil }
}

// WithCorrelationLabel turns the system.correlationId label on creates on or
// off (default on). The label is what lets the client prove, after an
// ambiguous failure, whether a create took effect; without it such a failure
// always ends in ErrCreateOutcomeUnknown.
func WithCorrelationLabel(on bool) Option {
	return func(f *Flow) error { f.correlation = on; return nil }
}

// WithMaxEventSize bounds one server-sent event (default 64 MiB).
func WithMaxEventSize(n int) Option {
	return func(f *Flow) error {
		if n < 1024 {
			return errors.New("facade: max event size below 1 KiB")
		}
		f.maxEventSize = n
		return nil
	}
}

// WithUserAgent sets the User-Agent header.
func WithUserAgent(ua string) Option {
	return func(f *Flow) error { f.userAgent = ua; return nil }
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

// call is the snapshot of a Flow's settings one call runs with.
type call struct {
	f        *Flow
	api      *api.ClientWithResponses
	tenant   string
	base     string
	legacy   bool
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
	if f.httpClient == nil {
		return nil, errNotFromNew
	}
	u, err := parseHostname(f.Hostname)
	if err != nil {
		return nil, err
	}
	c := &call{
		f:        f,
		tenant:   f.Tenant,
		legacy:   f.legacyRoutes,
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
		c.tenant = f.envTenant
	}
	if c.tenant == "" {
		c.tenant = DefaultTenant
	}
	if c.poll <= 0 {
		c.poll = DefaultPollInterval
	}
	c.api, err = api.NewClientWithResponses(c.base, api.WithHTTPClient(f.httpClient), api.WithRequestEditorFn(c.edit))
	if err != nil {
		return nil, fmt.Errorf("facade: %w", err)
	}
	return c, nil
}

// API returns a client of the generated package api configured as f is
// now (server, credentials, legacy routes, retries are NOT included: the
// client makes exactly the requests it is asked for), and the tenant to pass
// as each operation's tenant argument. Use it for the operations the facade
// does not wrap: deploying flows, the KV store, namespace files, searches.
// Like every call, it reads the exported fields once.
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
	if c.f.userAgent != "" {
		req.Header.Set("User-Agent", c.f.userAgent)
	}
	if c.legacy {
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
