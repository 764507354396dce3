package facade

import (
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/kestra-go/kestra-go/api"
)

// Option configures New.
type Option func(*Flow) error

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
	return func(f *Flow) error { f.set.legacyRoutes = true; return nil }
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
			f.set.labels = append(f.set.labels, label{keyValues[i], keyValues[i+1]})
		}
		return nil
	}
}

// WithHTTPClient uses c for every request (its Transport is the shared
// connection pool). Do not give it a Timeout shorter than the longest wait:
// pass contexts instead. The facade works on a copy whose CheckRedirect
// first applies the redirect rule (credentials only to the configured
// origin, no https to http), then asks c.CheckRedirect when it is set.
func WithHTTPClient(c *http.Client) Option {
	return func(f *Flow) error {
		if c == nil {
			return errors.New("facade: nil http client")
		}
		f.set.httpClient = c
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
		f.set.retry.maxAttempts, f.set.retry.base, f.set.retry.max = maxAttempts, base, max
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
		f.set.guardInterval = d
		return nil
	}
}

// WithLogHandler calls h with each log line of the execution, live, while
// Execute waits (it follows the server's log stream, and closes it when the
// execution ends). h is called from one goroutine at a time, in arrival
// order, and never after Execute returns; lines the stream missed are passed
// once at the end, from the full log fetched then. Only used when waiting.
func WithLogHandler(h func(api.LogEntry)) Option {
	return func(f *Flow) error { f.set.logHandler = h; return nil }
}

// WithCorrelationLabel turns the system.correlationId label on creates on or
// off (default on). The label is what lets the client prove, after an
// ambiguous failure, whether a create took effect; without it such a failure
// always ends in ErrCreateOutcomeUnknown.
func WithCorrelationLabel(on bool) Option {
	return func(f *Flow) error { f.set.correlation = on; return nil }
}

// WithMaxEventSize bounds one server-sent event (default 64 MiB).
func WithMaxEventSize(n int) Option {
	return func(f *Flow) error {
		if n < 1024 {
			return errors.New("facade: max event size below 1 KiB")
		}
		f.set.maxEventSize = n
		return nil
	}
}

// WithUserAgent sets the User-Agent header.
func WithUserAgent(ua string) Option {
	return func(f *Flow) error { f.set.userAgent = ua; return nil }
}

// WithProgressHandler calls h whenever what a waited execution is doing
// changes: its state or the tasks it is running (Progress.RunningTasks,
// read from the task runs the event stream and the status reads carry).
// Unlike WithStateHandler it reports the present only: two changes between
// two reads of the server are seen as one. h is called from the waiting
// goroutine, never after Execute or Wait returns.
func WithProgressHandler(h func(Progress)) Option {
	return func(f *Flow) error { f.set.progressHandler = h; return nil }
}

// WithStateHandler calls h with each state transition of the execution
// while Execute or Wait waits: every state the server recorded, once each,
// in order (read from the state histories the stream and the status reads
// carry, so a transition between two reads is not missed). h is called
// from the waiting goroutine, never after the call returns.
func WithStateHandler(h func(StateChange)) Option {
	return func(f *Flow) error { f.set.stateHandler = h; return nil }
}

// WithRetryWindow sets how long after its first failure a call is still
// retried (default DefaultRetryWindow, 2 minutes: a wait rides out a
// one-minute outage). The context's deadline, when sooner, wins.
func WithRetryWindow(d time.Duration) Option {
	return func(f *Flow) error {
		if d <= 0 {
			return errors.New("facade: retry window must be positive")
		}
		f.set.retry.window = d
		return nil
	}
}

// WithMaxRetryAfter caps the delay a Retry-After header may impose before
// one retry (default DefaultMaxRetryAfter, 1 minute): a server asking for
// longer (Retry-After: 86400) is asked again after the cap, not after a day.
// The retry window and the context still bound the whole call.
func WithMaxRetryAfter(d time.Duration) Option {
	return func(f *Flow) error {
		if d < 0 {
			return errors.New("facade: negative Retry-After cap")
		}
		f.set.retry.maxRetryAfter = d
		return nil
	}
}

// WithRetryDecision replaces DefaultRetryDecision, the rule deciding which
// failures of idempotent requests are retried (creates keep their own rule).
func WithRetryDecision(decide RetryDecision) Option {
	return func(f *Flow) error {
		if decide == nil {
			return errors.New("facade: nil retry decision")
		}
		f.set.retry.decide = decide
		return nil
	}
}

// WithCreateLookupWindow sets how long after an ambiguous create failure
// the client searches for the execution by its correlation label before it
// concludes that none was created and resends (default
// DefaultCreateLookupWindow). Make it longer than the server's search index
// lag: a search made too early could miss an execution that exists.
func WithCreateLookupWindow(d time.Duration) Option {
	return func(f *Flow) error {
		if d <= 0 {
			return errors.New("facade: create lookup window must be positive")
		}
		f.set.lookupWindow = d
		return nil
	}
}

// WithMajorVersion forces the server's API generation for execution
// actions: 1 for the 1.x routes (.../executions/{id}/kill), 2 for the 2.0
// routes (.../executions/{id}/actions/kill). Without it the generation is
// detected once per Flow (again when its Hostname changes) from GET
// /api/v1/configs, else from the first 404.
func WithMajorVersion(major int) Option {
	return func(f *Flow) error {
		if major != generation1 && major != generation2 {
			return fmt.Errorf("facade: major version %d, want 1 or 2", major)
		}
		f.set.majorVersion = major
		return nil
	}
}

// WithRetryNotify calls notify before each retry the Flow makes, of any
// request or create, with what failed and how long the wait is (a command
// line tool can say that the server is being retried rather than look hung).
// It may be called from several goroutines at once and must not block.
func WithRetryNotify(notify func(RetryNotice)) Option {
	return func(f *Flow) error { f.set.retry.notify = notify; return nil }
}
