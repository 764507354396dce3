package kestratest

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/kestra-go/kestra-go/api"
	"github.com/kestra-go/kestra-go/kestratest/internal/flowdef"
)

// Server is an in-process Kestra-compatible HTTP server (a test double).
// Create it with NewServer and stop it with Close.
type Server struct {
	// URL is the base URL of the server, e.g. http://127.0.0.1:41234, with
	// no trailing slash.
	URL string

	cfg    config
	log    *slog.Logger
	hs     *httptest.Server
	ctx    context.Context
	cancel context.CancelFunc
	broker *broker
	api    http.Handler

	mu     sync.Mutex
	closed bool
	wg     sync.WaitGroup // running executions

	tenantsMu sync.RWMutex
	tenants   map[string]*tenantStore

	faultsMu sync.Mutex
	faults   []*Fault
	counts   map[string]int
	total    int
}

// NewServer starts a server on a random 127.0.0.1 port (see WithAddr), with
// no authentication and the tenant "main", unless options say otherwise.
// It panics if the server cannot start or a WithFlows source is invalid,
// as httptest.NewServer does for listener errors.
func NewServer(opts ...Option) *Server {
	cfg := defaultConfig()
	for _, o := range opts {
		o(&cfg)
	}
	if _, _, err := loadSpec(); err != nil {
		panic("kestratest: " + err.Error())
	}
	s := &Server{
		cfg: cfg, log: cfg.logger, broker: newBroker(),
		tenants: map[string]*tenantStore{}, counts: map[string]int{},
	}
	s.ctx, s.cancel = context.WithCancel(context.Background())
	for _, t := range cfg.tenants {
		s.tenants[t] = newTenantStore(t, s.broker)
	}
	mux := api.NewRouter() // http.ServeMux cannot hold every route of the document (see api.Router)
	s.api = api.HandlerWithOptions(&handlers{s: s}, api.StdHTTPServerOptions{
		BaseRouter:       mux,
		ErrorHandlerFunc: s.paramError,
	})
	s.hs = httptest.NewUnstartedServer(s)
	if cfg.addr != "" {
		l, err := net.Listen("tcp", cfg.addr)
		if err != nil {
			panic(fmt.Sprintf("kestratest: listen on %s: %v", cfg.addr, err))
		}
		_ = s.hs.Listener.Close()
		s.hs.Listener = l
	}
	s.hs.Start()
	s.URL = s.hs.URL
	for _, t := range cfg.tenants {
		for _, src := range cfg.flows {
			if _, err := s.DeployFlow(t, src); err != nil {
				s.Close()
				panic("kestratest: WithFlows: " + err.Error())
			}
		}
	}
	return s
}

// Close stops the server: running executions are cancelled (they end
// KILLED), open event streams and hanging requests are cut, and Close waits
// for all of them.
func (s *Server) Close() {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return
	}
	s.closed = true
	s.mu.Unlock()
	// Cancelling ends executions, event streams and hanging requests; the
	// httptest server then waits for every request in flight.
	s.cancel()
	// A client that stopped reading an event stream would keep its handler
	// blocked in Write: cut every connection.
	s.hs.CloseClientConnections()
	s.hs.Close()
	s.wg.Wait()
}

// Client returns an HTTP client for this server (like httptest.Server.Client).
func (s *Server) Client() *http.Client { return s.hs.Client() }

// tenant returns the store of a served tenant, or nil.
func (s *Server) tenant(name string) *tenantStore {
	s.tenantsMu.RLock()
	defer s.tenantsMu.RUnlock()
	return s.tenants[name]
}

func (s *Server) tenantOrErr(name string) (*tenantStore, error) {
	ts := s.tenant(name)
	if ts == nil {
		return nil, fmt.Errorf("kestratest: tenant %q is not served (see WithTenants)", name)
	}
	return ts, nil
}

// count records one request for an operation.
func (s *Server) count(op string) {
	s.faultsMu.Lock()
	s.total++
	if op != "" {
		s.counts[op]++
	}
	s.faultsMu.Unlock()
}

// RequestCount returns how many requests the server received for an
// operation (its operationId in the OpenAPI document, e.g.
// "createExecution"), faulted ones included; "" counts every request.
func (s *Server) RequestCount(operation string) int {
	s.faultsMu.Lock()
	defer s.faultsMu.Unlock()
	if operation == "" {
		return s.total
	}
	return s.counts[operation]
}

// ResetCounts sets every request count back to zero.
func (s *Server) ResetCounts() {
	s.faultsMu.Lock()
	s.counts = map[string]int{}
	s.total = 0
	s.faultsMu.Unlock()
}

// Operations returns the operationIds of the OpenAPI document, sorted.
func Operations() []string {
	doc, _, err := loadSpec()
	if err != nil {
		return nil
	}
	var out []string
	for _, p := range doc.Paths.Map() {
		for _, o := range p.Operations() {
			out = append(out, o.OperationID)
		}
	}
	sort.Strings(out)
	return out
}

// DeployFlow parses a flow YAML source and stores it in tenant (a new
// revision when the flow exists), as createFlow/updateFlow do.
func (s *Server) DeployFlow(tenant, yamlSource string) (api.FlowWithSource, error) {
	ts, err := s.tenantOrErr(tenant)
	if err != nil {
		return api.FlowWithSource{}, err
	}
	f, err := parseFlow(yamlSource)
	if err != nil {
		return api.FlowWithSource{}, fmt.Errorf("deploy flow: %w", err)
	}
	f = ts.putFlow(f)
	return toFlowWithSource(f), nil
}

func toFlowWithSource(f *flowDef) api.FlowWithSource {
	return api.FlowWithSource{ID: f.ID, Namespace: f.Namespace, Revision: f.Revision, Disabled: f.Disabled, Deleted: f.Deleted,
		Description: f.Description, Source: f.Source}
}

// BindFlow deploys a flow driven by Go code: each execution calls run
// instead of running tasks. inputs declare the flow's inputs (validated and
// converted as for YAML flows). Binding again replaces the function and
// makes a new revision. It panics if tenant is not served (see WithTenants),
// a mistake in the calling test.
func (s *Server) BindFlow(tenant, namespace, id string, run RunFunc, inputs ...InputDef) {
	ts, err := s.tenantOrErr(tenant)
	if err != nil {
		panic(err.Error())
	}
	src := fmt.Sprintf("id: %s\nnamespace: %s\n# bound to a Go function by kestratest.BindFlow\n", id, namespace)
	f := &flowDef{Flow: flowdef.Flow{ID: id, Namespace: namespace, Source: src, Raw: map[string]any{}}, run: run}
	var rawInputs []any
	for _, in := range inputs {
		typ := strings.ToUpper(in.Type)
		if typ == "" {
			typ = "STRING"
		}
		spec := flowdef.Input{ID: in.ID, Type: typ, Required: in.Required, Defaults: in.Defaults, HasDefaults: in.Defaults != nil}
		f.Inputs = append(f.Inputs, spec)
		m := map[string]any{"id": in.ID, "type": typ, "required": in.Required}
		if in.Defaults != nil {
			m["defaults"] = in.Defaults
		}
		rawInputs = append(rawInputs, m)
	}
	if len(rawInputs) > 0 {
		f.Raw["inputs"] = rawInputs
	}
	ts.putFlow(f)
}

// SetFlowDisabled disables (or enables) a flow: creating an execution of a
// disabled flow answers 409 "Requested Flow is disabled.".
func (s *Server) SetFlowDisabled(tenant, namespace, id string, disabled bool) error {
	ts, err := s.tenantOrErr(tenant)
	if err != nil {
		return err
	}
	ts.mu.Lock()
	defer ts.mu.Unlock()
	cur := ts.currentFlowLocked(namespace, id)
	if cur == nil || cur.Deleted {
		return fmt.Errorf("kestratest: flow %s.%s not found in tenant %s", namespace, id, tenant)
	}
	cp := *cur
	cp.Disabled = disabled
	cp.Revision = cur.Revision + 1
	cp.Updated = jtime(time.Now())
	k := flowKey(namespace, id)
	ts.flows[k] = append(ts.flows[k], &cp)
	return nil
}

// WaitIdle returns when no execution is running any more (in any tenant),
// or with ctx's error.
func (s *Server) WaitIdle(ctx context.Context) error {
	for {
		var pending []chan struct{}
		s.tenantsMu.RLock()
		for _, ts := range s.tenants {
			ts.mu.Lock()
			for _, rec := range ts.execs {
				select {
				case <-rec.done:
				default:
					pending = append(pending, rec.done)
				}
			}
			ts.mu.Unlock()
		}
		s.tenantsMu.RUnlock()
		if len(pending) == 0 {
			return nil
		}
		for _, d := range pending {
			select {
			case <-d:
			case <-ctx.Done():
				return ctx.Err()
			}
		}
	}
}

// sleepCtx waits d or until ctx or the server ends; it reports whether d elapsed.
func (s *Server) sleepCtx(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
	case <-s.ctx.Done():
	}
	return false
}

// Executions returns a snapshot of every execution of tenant (in no
// particular order), for assertions in tests; nil for an unknown tenant.
func (s *Server) Executions(tenant string) []api.Execution {
	ts := s.tenant(tenant)
	if ts == nil {
		return nil
	}
	ts.mu.Lock()
	snaps := make([][]byte, 0, len(ts.execs))
	for _, rec := range ts.execs {
		snaps = append(snaps, rec.snapshot)
	}
	ts.mu.Unlock()
	out := make([]api.Execution, 0, len(snaps))
	for _, b := range snaps {
		var e api.Execution
		if err := json.Unmarshal(b, &e); err == nil {
			out = append(out, e)
		}
	}
	return out
}
