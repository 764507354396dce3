package facade

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/sethvargo/go-retry"
)

// retryStatus are the answers worth another attempt (the Python client's
// list): timeouts, rate limits and transient server or proxy failures.
func retryStatus(code int) bool {
	switch code {
	case http.StatusRequestTimeout, http.StatusTooManyRequests, http.StatusInternalServerError,
		http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return true
	}
	return false
}

// retryable reports whether an idempotent call failing with err may be tried
// again: a retryable status, or a transport failure (not the caller's
// context ending).
func retryable(ctx context.Context, err error) bool {
	var ae *APIError
	if errors.As(err, &ae) {
		return retryStatus(ae.StatusCode)
	}
	if ctx.Err() != nil {
		return false
	}
	var ne notRetryable
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	// A body that does not decode will not decode better next time.
	return !errors.As(err, &ne) && !errors.As(err, &se) && !errors.As(err, &te)
}

// notRetryable marks a local failure (bad input, decoding) as final.
type notRetryable struct{ err error }

func (e notRetryable) Error() string { return e.err.Error() }
func (e notRetryable) Unwrap() error { return e.err }

// retryAfterOf returns the server's Retry-After hint carried by err.
func retryAfterOf(err error) time.Duration {
	var ae *APIError
	if errors.As(err, &ae) {
		return ae.RetryAfter
	}
	return 0
}

// backoff is one call's retry schedule: go-retry's exponential backoff with
// jitter, a cap per delay and a number of attempts, stretched to the server's
// Retry-After when that is longer. It gives up early when the next delay
// would end after the context's deadline.
type backoff struct {
	ctx       context.Context
	inner     retry.Backoff
	hint      time.Duration // Retry-After of the last failure
	exhausted bool          // stopped because attempts (or time) ran out
	attempts  int
}

func (c *call) newBackoff(ctx context.Context) *backoff {
	f := c.f
	var b retry.Backoff = retry.NewExponential(f.backoffBase)
	b = retry.WithCappedDuration(f.backoffMax, b)
	b = retry.WithJitterPercent(20, b)
	b = retry.WithMaxRetries(uint64(f.maxAttempts-1), b)
	return &backoff{ctx: ctx, inner: b, attempts: 1}
}

// Next implements retry.Backoff.
func (b *backoff) Next() (time.Duration, bool) {
	d, stop := b.inner.Next()
	if stop {
		b.exhausted = true
		return 0, true
	}
	if b.hint > d {
		d = b.hint
	}
	b.hint = 0
	if dl, ok := b.ctx.Deadline(); ok && time.Until(dl) < d {
		b.exhausted = true
		return 0, true
	}
	b.attempts++
	return d, false
}

// do runs fn with retries for an idempotent operation. fn returns an error
// (an *APIError for HTTP failures). The final error wraps
// ErrFailedExponentialBackoff and the last failure when the attempts ran out.
func do[T any](ctx context.Context, c *call, op string, fn func(context.Context) (T, error)) (T, error) {
	b := c.newBackoff(ctx)
	var last error
	v, err := retry.DoValue(ctx, b, func(ctx context.Context) (T, error) {
		v, err := fn(ctx)
		if err == nil {
			return v, nil
		}
		last = err
		if retryable(ctx, err) {
			b.hint = retryAfterOf(err)
			return v, retry.RetryableError(err)
		}
		return v, err
	})
	if err == nil {
		return v, nil
	}
	return v, finalError(ctx, b, op, err, last)
}

// finalError shapes the error of a retried call.
func finalError(ctx context.Context, b *backoff, op string, err, last error) error {
	var ne notRetryable
	if errors.As(err, &ne) {
		err = ne.err
	}
	switch {
	case b.exhausted && last != nil && retryable(ctx, last):
		return fmt.Errorf("%s: %w (%d attempts): %w", op, ErrFailedExponentialBackoff, b.attempts, last)
	case ctx.Err() != nil && last != nil && !errors.Is(last, ctx.Err()):
		return fmt.Errorf("%s: %w (last failure: %w)", op, ctx.Err(), last)
	case ctx.Err() != nil && last == nil:
		return fmt.Errorf("%s: %w", op, ctx.Err())
	}
	return fmt.Errorf("%s: %w", op, err)
}

// maxErrorBody bounds how much of an error answer is read.
const maxErrorBody = 64 << 10

// checkRaw turns a non-2xx raw response into an *APIError (closing it).
func (c *call) checkRaw(op string, resp *http.Response) error {
	if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		return nil
	}
	body, _ := io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
	resp.Body.Close()
	return c.apiError(op, resp, body)
}

// apiError builds the typed error of an answer, secrets removed.
func (c *call) apiError(op string, resp *http.Response, body []byte) *APIError {
	e := newAPIError(op, resp.Header, resp.StatusCode, body, time.Now())
	for _, s := range []*string{&e.Message, &e.Type, &e.Title, &e.Detail, &e.Instance} {
		*s = c.redact(*s)
	}
	for i := range e.Errors {
		e.Errors[i] = c.redact(e.Errors[i])
	}
	return e
}
