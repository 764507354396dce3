package facade_test

import (
	"context"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/kestra-go/kestra-go/api"
	"github.com/kestra-go/kestra-go/facade"
)

// outageProxy forwards to a server, and can go through an outage: answers
// 503, then resets connections, then refuses them (listener closed), then
// serves again. Starting an outage cuts the streams in flight.
type outageProxy struct {
	URL      string
	addr     string
	rp       *httputil.ReverseProxy
	mode     atomic.Int32 // 0 serve, 1 answer 503, 2 reset
	mu       sync.Mutex
	srv      *http.Server
	cut      chan struct{} // closed when an outage starts
	requests atomic.Int64
}

func newOutageProxyB(t testing.TB, target string) *outageProxy {
	u, _ := url.Parse(target)
	p := &outageProxy{rp: httputil.NewSingleHostReverseProxy(u), cut: make(chan struct{})}
	p.rp.FlushInterval = -1
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p.addr = l.Addr().String()
	p.URL = "http://" + p.addr
	p.serve(l)
	t.Cleanup(func() {
		p.mu.Lock()
		defer p.mu.Unlock()
		if p.srv != nil {
			_ = p.srv.Close()
		}
	})
	return p
}

func (p *outageProxy) serve(l net.Listener) {
	s := &http.Server{Handler: http.HandlerFunc(p.handle)}
	p.mu.Lock()
	p.srv = s
	p.mu.Unlock()
	go func() { _ = s.Serve(l) }()
}

func (p *outageProxy) handle(w http.ResponseWriter, r *http.Request) {
	p.requests.Add(1)
	switch p.mode.Load() {
	case 1:
		w.Header().Set("Retry-After", "1")
		w.WriteHeader(http.StatusServiceUnavailable)
		return
	case 2:
		if c, _, err := http.NewResponseController(w).Hijack(); err == nil {
			_ = c.Close()
		}
		return
	}
	p.mu.Lock()
	cut := p.cut
	p.mu.Unlock()
	ctx, cancel := context.WithCancel(r.Context())
	defer cancel()
	go func() {
		select {
		case <-cut:
			cancel()
		case <-ctx.Done():
		}
	}()
	p.rp.ServeHTTP(w, r.WithContext(ctx))
}

// outage runs the three phases, each lasting d, then serves again.
func (p *outageProxy) outage(t testing.TB, d time.Duration) {
	p.mu.Lock()
	close(p.cut)
	p.cut = make(chan struct{})
	p.mu.Unlock()
	p.mode.Store(1)
	time.Sleep(d)
	p.mode.Store(2)
	time.Sleep(d)
	p.mu.Lock()
	_ = p.srv.Close() // refused from now on
	p.mu.Unlock()
	p.mode.Store(0)
	time.Sleep(d)
	l, err := net.Listen("tcp", p.addr)
	if err != nil {
		t.Errorf("listen again on %s: %v", p.addr, err)
		return
	}
	p.serve(l)
}

// A wait rides out an outage of 503s, resets and refused connections on its
// stream and status reads, and ends with the right result (one execution).
// The outage is short here and the retry window scaled to it; the default
// window (2 minutes) covers a one-minute outage (BenchmarkOutage).
func TestWaitRidesOutAnOutage(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	bind(srv, "slow", takes(2*time.Second, false))
	p := newOutageProxyB(t, srv.URL)
	f, err := facade.New(facade.WithHostname(p.URL), facade.WithRetry(1000, 5*time.Millisecond, 50*time.Millisecond),
		facade.WithRetryWindow(5*time.Second), facade.WithMaxRetryAfter(50*time.Millisecond), facade.WithPollInterval(20*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	ctx := ctxFor(t, 20*time.Second)
	done := make(chan struct{})
	var res *facade.Result
	go func() { defer close(done); res, err = f.Execute(ctx, "company.team", "slow", nil) }()
	if !eventually(func() bool { return srv.RequestCount("followExecution") > 0 }) {
		t.Fatal("no stream")
	}
	p.outage(t, 300*time.Millisecond)
	<-done
	if err != nil || res.Status != api.StateTypeSuccess {
		t.Fatalf("%v %+v", err, res)
	}
	if n := len(srv.Executions("main")); n != 1 {
		t.Errorf("%d executions", n)
	}
	if srv.RequestCount("followExecution") < 2 {
		t.Errorf("the stream was not opened again after the outage")
	}
}
