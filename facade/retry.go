package facade

import (
	"context"
	"errors"
	"net/http"
	"time"

	"github.com/sethvargo/go-retry"
)

// Retry defaults of New. With them a call rides out a server or network
// outage of a minute or more: delays grow from 200 ms to 10 s, and retries
// stop only when the next delay would end more than DefaultRetryWindow after
// the first failure (or after the context's deadline, or after
// DefaultMaxAttempts tries).
const (
	// DefaultMaxAttempts is how many times a call is tried in all.
	DefaultMaxAttempts = 20
	// DefaultBackoffBase is the first retry delay; it doubles each retry.
	DefaultBackoffBase = 200 * time.Millisecond
	// DefaultBackoffMax caps one retry delay (before jitter).
	DefaultBackoffMax = 10 * time.Second
	// DefaultRetryWindow bounds how long after its first failure a call is
	// still retried (see WithRetryWindow).
	DefaultRetryWindow = 2 * time.Minute
	// DefaultMaxRetryAfter caps how long a Retry-After header may make the
	// client wait before one retry (see WithMaxRetryAfter).
	DefaultMaxRetryAfter = time.Minute
)

// RetryDecision decides whether an idempotent request is tried again after
// it got resp (its body already read, so a decision may look at it) or
// failed with err (then resp is nil). ctx is the request's context. It is
// only asked about requests that are safe to repeat; the delays, the attempt
// limit and the retry window are applied after it says yes. Replace it with
// WithRetryDecision; DefaultRetryDecision is the rule used otherwise.
type RetryDecision func(ctx context.Context, resp *http.Response, err error) bool

// DefaultRetryDecision retries the answers worth another attempt (408, 429,
// 500, 502, 503 and 504, the Python client's list) and transport failures:
// refused or reset connections, timeouts, bodies cut short. It never
// retries once ctx has ended, nor a request refused by the redirect rule
// (ErrInsecureRedirect), nor any other status: a 401, 404 or 422 will not
// change by asking again. Decoding failures never reach it: a body that does
// not decode is not retried.
func DefaultRetryDecision(ctx context.Context, resp *http.Response, err error) bool {
	if ctx.Err() != nil {
		return false
	}
	if err != nil {
		return !errors.Is(err, ErrInsecureRedirect) && !errors.Is(err, context.Canceled) && !errors.Is(err, context.DeadlineExceeded)
	}
	return retryStatus(resp.StatusCode)
}

// retryStatus are the answers worth another attempt: timeouts, rate limits
// and transient server or proxy failures.
func retryStatus(code int) bool {
	switch code {
	case http.StatusRequestTimeout, http.StatusTooManyRequests, http.StatusInternalServerError,
		http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return true
	}
	return false
}

// RetryNotice describes a retry about to happen, for WithRetryNotify.
type RetryNotice struct {
	// Operation names the request: "GET /api/v1/main/executions/{id}" for
	// requests, "createExecution <namespace>/<flow>" for a create.
	Operation string
	// Attempt is the number of the try about to be made (2 for the first
	// retry).
	Attempt int
	// Delay is the wait before it.
	Delay time.Duration
	// Err is why the previous try failed (an *APIError for an answer),
	// redacted.
	Err error
}

// retryPolicy is the retry configuration of a Flow (WithRetry and friends).
type retryPolicy struct {
	maxAttempts   int
	base, max     time.Duration
	window        time.Duration
	maxRetryAfter time.Duration
	decide        RetryDecision
	notify        func(RetryNotice)
}

func defaultRetryPolicy() retryPolicy {
	return retryPolicy{
		maxAttempts: DefaultMaxAttempts, base: DefaultBackoffBase, max: DefaultBackoffMax,
		window: DefaultRetryWindow, maxRetryAfter: DefaultMaxRetryAfter, decide: DefaultRetryDecision,
	}
}

// schedule is one call's sequence of retry delays: go-retry's exponential
// backoff with ±20% jitter and a cap per delay, stretched to the server's
// Retry-After when that is longer.
type schedule struct {
	p        retryPolicy
	delays   retry.Backoff
	first    time.Time // first failure
	attempts int       // tries made so far
}

// start begins a call's schedule. The delays are made at the first retry:
// go-retry's jitter seeds its own random source (5 KB), a cost most calls,
// which never retry, should not pay.
func (p retryPolicy) start() *schedule {
	return &schedule{p: p, attempts: 1}
}

// next returns the delay before the next try (at least the server's
// Retry-After, capped at maxRetryAfter), or false when the policy says stop:
// attempts used up, or the delay would end after the retry window or the
// context's deadline.
func (s *schedule) next(ctx context.Context, retryAfter time.Duration) (time.Duration, bool) {
	now := time.Now()
	if s.first.IsZero() {
		s.first = now
	}
	if s.attempts >= s.p.maxAttempts {
		return 0, false
	}
	if s.delays == nil {
		var b retry.Backoff = retry.NewExponential(s.p.base)
		b = retry.WithCappedDuration(s.p.max, b)
		s.delays = retry.WithJitterPercent(20, b)
	}
	d, _ := s.delays.Next()
	d = max(d, min(retryAfter, s.p.maxRetryAfter))
	if now.Add(d).Sub(s.first) > s.p.window {
		return 0, false
	}
	if dl, ok := ctx.Deadline(); ok && now.Add(d).After(dl) {
		return 0, false
	}
	s.attempts++
	return d, true
}

// sleep waits d or until ctx ends (then it returns ctx's error).
func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
