package facade_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kestra-go/kestra-go/api"
	"github.com/kestra-go/kestra-go/facade"
	"github.com/kestra-go/kestra-go/kestratest"
)

// f.API() retries idempotent requests with the Flow's policy, never a create
// that may have reached the server, and its answers turn into the same
// *APIError as the facade's own.
func TestAPIClientRetriesAndTypedErrors(t *testing.T) {
	t.Parallel()
	srv := newServer(t, kestratest.WithFlows(quickstartFlow(t)), kestratest.WithProblemDetails())
	f := newFlow(t, srv)
	c, tenant, err := f.API()
	if err != nil {
		t.Fatal(err)
	}
	ctx := ctxFor(t, 10*time.Second)

	srv.InjectFault(kestratest.Fault{Operation: "searchFlows", Status: 503, Count: 2})
	if resp, err := c.SearchFlowsWithResponse(ctx, tenant, &api.SearchFlowsParams{}); err != nil || resp.StatusCode() != 200 {
		t.Fatalf("search after two 503s: %v", err)
	}
	if n := srv.RequestCount("searchFlows"); n != 3 {
		t.Errorf("%d searches, want 3", n)
	}

	srv.InjectFault(kestratest.Fault{Operation: "createExecution", Status: 502, AfterHandle: true})
	resp, err := c.CreateExecutionWithBodyWithResponse(ctx, tenant, "company.team", "hello-kestra-go", &api.CreateExecutionParams{}, "multipart/form-data; boundary=x", strings.NewReader("--x--\r\n"))
	if err != nil {
		t.Fatal(err)
	}
	if n := srv.RequestCount("createExecution"); n != 1 || resp.StatusCode() != 502 {
		t.Errorf("create answered 502 was sent %d times (status %d), want once", n, resp.StatusCode())
	}
	var ae *facade.APIError
	if err := f.ResponseError("createExecution", resp); !errors.As(err, &ae) || ae.StatusCode != 502 || ae.Operation != "createExecution" {
		t.Errorf("ResponseError: %v", err)
	}

	srv.InjectFault(kestratest.Fault{Operation: "getExecution", Status: 500, Count: 100})
	_, err = c.GetExecutionWithResponse(ctx, tenant, "x")
	if !errors.Is(err, facade.ErrFailedExponentialBackoff) || !errors.As(err, &ae) || ae.StatusCode != 500 {
		t.Errorf("retries ran out: %v", err)
	}
	srv.ClearFaults()

	missing, err := c.GetFlowWithResponse(ctx, tenant, "company.team", "missing", &api.GetFlowParams{})
	if err != nil {
		t.Fatal(err)
	}
	err = f.ResponseError("getFlow", missing)
	if !errors.Is(err, facade.ErrNotFound) || !errors.As(err, &ae) || ae.Type == "" || ae.Message == "" {
		t.Errorf("problem+json 404: %v %+v", err, ae)
	}
	if err := f.ResponseError("getFlow", http.StatusText); err == nil {
		t.Error("a value that is no response gave no error")
	}
}

// The retry decision is replaceable.
func TestRetryDecisionIsReplaceable(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	var asked int
	f := newFlow(t, srv, facade.WithRetryDecision(func(ctx context.Context, resp *http.Response, err error) bool {
		asked++
		return resp != nil && resp.StatusCode == http.StatusNotFound // odd, but ours
	}))
	_, err := f.CheckStatus(ctxFor(t, 10*time.Second), "missing")
	if !errors.Is(err, facade.ErrFailedExponentialBackoff) || !errors.Is(err, facade.ErrNotFound) || asked != 4 {
		t.Errorf("err %v after %d decisions", err, asked)
	}
}

// A 401 says which kind of credentials were sent and where they came from,
// never their values.
func TestUnauthorizedSaysWhichCredentials(t *testing.T) {
	srv := newServer(t, kestratest.WithBasicAuth("admin@example.com", "Right1234"))
	for _, tc := range []struct {
		name string
		env  map[string]string
		opts []facade.Option
		want []string
	}{
		{"none", nil, nil, []string{"no credentials", facade.EnvUser, facade.EnvPassword, facade.EnvAPIToken}},
		{"basic from env", map[string]string{facade.EnvUser: "admin@example.com", facade.EnvPassword: "Wrong1234"}, nil,
			[]string{"basic auth", facade.EnvUser, facade.EnvPassword}},
		{"basic by option", nil, []facade.Option{facade.WithBasicAuth("admin@example.com", "Wrong1234")}, []string{"basic auth", "WithBasicAuth"}},
		{"token from env", map[string]string{facade.EnvAPIToken: "tok-wrong-1"}, nil, []string{"bearer token", facade.EnvAPIToken}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, k := range []string{facade.EnvUser, facade.EnvPassword, facade.EnvAPIToken, facade.EnvTenant, facade.EnvHostname} {
				t.Setenv(k, tc.env[k])
			}
			f, err := facade.New(append([]facade.Option{facade.WithHostname(srv.URL)}, tc.opts...)...)
			if err != nil {
				t.Fatal(err)
			}
			_, err = f.CheckStatus(ctxFor(t, 5*time.Second), "x")
			if !errors.Is(err, facade.ErrUnauthorized) {
				t.Fatalf("err %v", err)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("%q does not say %q", err, w)
				}
			}
			for _, secret := range []string{"Wrong1234", "tok-wrong-1"} {
				if strings.Contains(err.Error(), secret) {
					t.Errorf("%q shows a credential", err)
				}
			}
		})
	}
}

// Every retry is announced, of reads and of creates alike, with the
// failure redacted.
func TestRetryNotify(t *testing.T) {
	t.Parallel()
	srv := newServer(t, kestratest.WithFlows(quickstartFlow(t)))
	var mu sync.Mutex
	var notes []facade.RetryNotice
	f := newFlow(t, srv, facade.WithWait(false), facade.WithRetryNotify(func(n facade.RetryNotice) {
		mu.Lock()
		notes = append(notes, n)
		mu.Unlock()
	}))
	ctx := ctxFor(t, 10*time.Second)
	srv.InjectFault(kestratest.Fault{Operation: "createExecution", Status: 429})
	res, err := f.Execute(ctx, "company.team", "hello-kestra-go", nil)
	if err != nil {
		t.Fatal(err)
	}
	srv.InjectFault(kestratest.Fault{Operation: "getExecution", Status: 503, Count: 2})
	if _, err := f.CheckStatus(ctx, res.ExecutionID); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	var ae *facade.APIError
	if len(notes) != 3 || !strings.HasPrefix(notes[0].Operation, "createExecution") || notes[0].Attempt != 2 ||
		!errors.As(notes[0].Err, &ae) || ae.StatusCode != 429 ||
		!strings.HasPrefix(notes[1].Operation, "GET /api/v1/main/executions/") || notes[2].Attempt != 3 {
		t.Errorf("notices %+v", notes)
	}
}
