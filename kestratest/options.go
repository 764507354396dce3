package kestratest

import (
	"io"
	"log/slog"
	"time"
)

// Option configures a Server created by NewServer.
type Option func(*config)

type config struct {
	basicUser, basicPassword string
	basicAuth                bool
	tokens                   []string
	tenants                  []string
	legacyRoutes             bool
	problemDetails           bool
	flows                    []string
	logger                   *slog.Logger
	addr                     string
	unknownExecutionCut      time.Duration
	responseValidation       func(error)
	version                  string
	maxRequestSize           int64
	majorVersion             int // 1: 1.x routes and answers (v1.go)
}

func defaultConfig() config {
	return config{
		tenants:             []string{"main"},
		logger:              slog.New(slog.NewTextHandler(io.Discard, nil)),
		unknownExecutionCut: 200 * time.Millisecond,
		version:             Version,
		maxRequestSize:      DefaultMaxRequestSize,
	}
}

// Version is the version getConfiguration reports, so that a client can tell
// it talks to this test double.
const Version = "0.0.0-kestratest"

// WithBasicAuth requires HTTP basic authentication with this user and
// password on every /api/v1 route except GET /api/v1/configs, as an open
// source server (0.24+) does. Missing or wrong credentials get 401 with
// `WWW-Authenticate: Basic`.
func WithBasicAuth(user, password string) Option {
	return func(c *config) { c.basicUser, c.basicPassword, c.basicAuth = user, password, true }
}

// WithBearerToken accepts `Authorization: Bearer <token>` (an Enterprise API
// token). It may be given several times, and combined with WithBasicAuth:
// then either credential is accepted.
func WithBearerToken(token string) Option {
	return func(c *config) { c.tokens = append(c.tokens, token) }
}

// WithTenants sets the tenants served (default: just "main"). A request for
// any other tenant gets 400 "Tenant must be 'main' for OSS version", as the
// open source server answers.
func WithTenants(tenants ...string) Option {
	return func(c *config) { c.tenants = append([]string(nil), tenants...) }
}

// WithLegacyRoutes also serves the routes without a tenant segment
// (/api/v1/executions/..., /api/v1/flows/..., /api/v1/logs/...,
// /api/v1/namespaces/...) as tenant "main", like the 0.23+ compatibility
// layer of the open source server, for clients configured for ≤0.22 servers.
func WithLegacyRoutes() Option { return func(c *config) { c.legacyRoutes = true } }

// WithProblemDetails makes errors RFC 9457 `application/problem+json`
// bodies, as Kestra 2.0 sends them; the default is the 1.x body
// `{"message": "...", "_links": ...}`.
func WithProblemDetails() Option { return func(c *config) { c.problemDetails = true } }

// WithFlows deploys these flow YAML sources at start, in every served tenant
// (just "main" unless WithTenants says otherwise).
// NewServer panics if one does not parse (it is meant for literals in tests).
func WithFlows(yamlSources ...string) Option {
	return func(c *config) { c.flows = append(c.flows, yamlSources...) }
}

// WithLogger sets where the server logs its own debug messages (requests,
// faults, validation failures); the default discards them.
func WithLogger(l *slog.Logger) Option {
	return func(c *config) {
		if l != nil {
			c.logger = l
		}
	}
}

// WithAddr listens on addr (host:port) instead of a random loopback port.
func WithAddr(addr string) Option { return func(c *config) { c.addr = addr } }

// WithUnknownExecutionCut sets how long followExecution waits for an
// unknown execution to appear before cutting the stream (after its 200 and
// `start` event), as the real server does after 10 s. Default: 200 ms.
func WithUnknownExecutionCut(d time.Duration) Option {
	return func(c *config) { c.unknownExecutionCut = d }
}

// WithResponseValidation validates every successful response against the
// project's OpenAPI document (for event streams, the data of each event
// but the start placeholder) and calls report with each failure, possibly
// from several goroutines at once. Tests use it to prove the server only
// sends documented shapes; t.Errorf is a fine report function.
func WithResponseValidation(report func(error)) Option {
	return func(c *config) { c.responseValidation = report }
}

// WithVersion sets the version string getConfiguration reports
// (default Version).
func WithVersion(v string) Option { return func(c *config) { c.version = v } }

// WithMaxRequestSize sets the largest request body accepted (default
// DefaultMaxRequestSize); a larger one is refused with 413, as the server
// refuses bodies over its micronaut.server.max-request-size, whether the
// request declares its length or not. n <= 0 keeps the default.
func WithMaxRequestSize(n int64) Option {
	return func(c *config) {
		if n > 0 {
			c.maxRequestSize = n
		}
	}
}
