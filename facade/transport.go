package facade

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"strings"
	"sync/atomic"
	"time"
)

// ErrInsecureRedirect is wrapped by the error of a request the server
// redirected from https to http: the facade refuses to follow it, so that
// neither the credentials nor the request body travel in clear text.
var ErrInsecureRedirect = errors.New("redirect from https to http refused")

// guardedClient returns a copy of hc (or of the default client) whose
// redirects keep the credentials at the configured origin: a redirect to
// another scheme, host or port is followed without the Authorization header
// (net/http itself only drops it when the host name changes), and a
// redirect from https to http is refused with ErrInsecureRedirect. hc's own
// CheckRedirect, when set, is asked after that rule.
func guardedClient(hc *http.Client) *http.Client {
	if hc == nil {
		hc = defaultHTTPClient()
	}
	cp := *hc
	next := hc.CheckRedirect
	cp.CheckRedirect = func(req *http.Request, via []*http.Request) error {
		origin := via[0].URL
		if origin.Scheme == "https" && req.URL.Scheme != "https" {
			return ErrInsecureRedirect
		}
		if !sameOrigin(origin, req.URL) {
			req.Header.Del("Authorization")
		}
		if next != nil {
			return next(req, via)
		}
		if len(via) >= 10 {
			return errors.New("stopped after 10 redirects")
		}
		return nil
	}
	return &cp
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

// sameOrigin compares scheme, host and port (default ports filled in).
func sameOrigin(a, b *url.URL) bool {
	return strings.EqualFold(a.Scheme, b.Scheme) && strings.EqualFold(a.Hostname(), b.Hostname()) && port(a) == port(b)
}

func port(u *url.URL) string {
	if p := u.Port(); p != "" {
		return p
	}
	if strings.EqualFold(u.Scheme, "https") {
		return "443"
	}
	return "80"
}

// retryMode says which failures of a request may be answered by sending it
// again.
type retryMode int

const (
	// retryByMethod: retryIdempotent for GET, HEAD, PUT, DELETE, OPTIONS;
	// retryIfRefused otherwise.
	retryByMethod retryMode = iota
	// retryIdempotent: whenever the RetryDecision says so.
	retryIdempotent
	// retryIfRefused: only when the request provably never left the client
	// (its headers were never written) or was answered 429.
	retryIfRefused
	// retryNever: the caller has its own rule (the create, event streams).
	retryNever
)

type retryModeKey struct{}

// withRetryMode sets how the requests made with ctx are retried.
func withRetryMode(ctx context.Context, m retryMode) context.Context {
	return context.WithValue(ctx, retryModeKey{}, m)
}

func modeOf(req *http.Request) retryMode {
	m, _ := req.Context().Value(retryModeKey{}).(retryMode)
	if m != retryByMethod {
		return m
	}
	switch req.Method {
	case http.MethodGet, http.MethodHead, http.MethodPut, http.MethodDelete, http.MethodOptions:
		return retryIdempotent
	}
	return retryIfRefused
}

// retryDoer is the HTTP client of a call's generated client: it sends each
// request with the Flow's retry policy, and reads answers whole (except
// event streams and downloads) so that a body cut short is a failure of the
// request, retried like a reset, and not a decoding error later.
type retryDoer struct{ c *call }

// Do implements api.HttpRequestDoer. Its errors are redacted (a transport
// error quotes the URL, which a redirect may have filled with anything).
func (d *retryDoer) Do(req *http.Request) (*http.Response, error) {
	resp, err := d.do(req)
	return resp, d.c.seal(err)
}

// do sends req in one explicit attempt loop.
func (d *retryDoer) do(req *http.Request) (*http.Response, error) {
	ctx := req.Context()
	mode := modeOf(req)
	plan := d.c.set.retry.start()
	for {
		resp, sent, err := d.once(req)
		if !d.retry(ctx, mode, resp, sent, err) {
			return resp, err
		}
		last := d.failure(req, resp, err)
		delay, ok := plan.next(ctx, retryAfterOf(last))
		if !ok {
			if ctx.Err() != nil {
				return nil, fmt.Errorf("%w (last failure: %w)", ctx.Err(), last)
			}
			return nil, fmt.Errorf("%w (%d attempts): %w", ErrFailedExponentialBackoff, plan.attempts, last)
		}
		d.c.notify(req.Method+" "+req.URL.Path, plan.attempts, delay, last)
		if err := sleep(ctx, delay); err != nil {
			return nil, fmt.Errorf("%w (last failure: %w)", err, last)
		}
		if req, err = rewound(req); err != nil {
			return nil, fmt.Errorf("cannot send again (%w): %w", err, last)
		}
	}
}

// notify passes a retry about to happen to the WithRetryNotify callback.
func (c *call) notify(op string, attempt int, delay time.Duration, err error) {
	if c.set.retry.notify != nil {
		c.set.retry.notify(RetryNotice{Operation: op, Attempt: attempt, Delay: delay, Err: c.seal(err)})
	}
}

// once sends req one time. sent is false only when the transport never
// wrote the request headers: then no byte of it reached the server.
func (d *retryDoer) once(req *http.Request) (resp *http.Response, sent bool, err error) {
	var wrote atomic.Bool
	trace := &httptrace.ClientTrace{WroteHeaders: func() { wrote.Store(true) }}
	req = req.WithContext(httptrace.WithClientTrace(req.Context(), trace))
	resp, err = d.c.set.httpClient.Do(req)
	if err != nil {
		return nil, wrote.Load(), err
	}
	if !bufferable(resp) {
		return resp, true, nil
	}
	limit := int64(-1)
	if resp.StatusCode >= 300 {
		limit = maxErrorBody
	}
	body, rerr := readBody(resp.Body, limit)
	resp.Body.Close()
	if rerr != nil {
		return nil, true, fmt.Errorf("read answer %d: %w", resp.StatusCode, rerr)
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	resp.ContentLength = int64(len(body))
	return resp, true, nil
}

// bufferable: JSON answers and error answers are read whole; event streams
// and file downloads are left to the caller to stream.
func bufferable(resp *http.Response) bool {
	mt, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type"))
	switch {
	case mt == "text/event-stream":
		return false
	case resp.StatusCode >= 300:
		return true
	}
	return mt == "" || strings.HasSuffix(mt, "json")
}

func readBody(r io.Reader, limit int64) ([]byte, error) {
	if limit < 0 {
		return io.ReadAll(r)
	}
	b, err := io.ReadAll(io.LimitReader(r, limit))
	_, _ = io.Copy(io.Discard, io.LimitReader(r, 1<<20)) // let the connection be reused
	return b, err
}

func (d *retryDoer) retry(ctx context.Context, mode retryMode, resp *http.Response, sent bool, err error) bool {
	switch mode {
	case retryNever:
		return false
	case retryIfRefused:
		if err != nil {
			return !sent && ctx.Err() == nil && !errors.Is(err, ErrInsecureRedirect)
		}
		return resp.StatusCode == http.StatusTooManyRequests
	}
	return d.c.set.retry.decide(ctx, resp, err)
}

// failure describes a failed try: an *APIError for an answer.
func (d *retryDoer) failure(req *http.Request, resp *http.Response, err error) error {
	if err != nil {
		return err
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	return d.c.apiError(req.Method+" "+req.URL.Path, resp, body)
}

// rewound returns req ready to be sent again (a fresh body), or an error
// when its body cannot be produced again.
func rewound(req *http.Request) (*http.Request, error) {
	if req.Body == nil || req.Body == http.NoBody {
		return req, nil
	}
	if req.GetBody == nil {
		return nil, errors.New("the request body cannot be read twice")
	}
	body, err := req.GetBody()
	if err != nil {
		return nil, err
	}
	r := req.Clone(req.Context())
	r.Body = body
	return r, nil
}

// retryAfterOf returns the server's Retry-After hint carried by err.
func retryAfterOf(err error) time.Duration {
	var ae *APIError
	if errors.As(err, &ae) {
		return ae.RetryAfter
	}
	return 0
}
