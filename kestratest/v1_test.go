package kestratest_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/kestra-go/kestra-go/kestratest"
)

// rawDo sends one request to srv and returns the status and body.
func rawDo(t *testing.T, srv *kestratest.Server, method, path string) (int, string) {
	t.Helper()
	var body io.Reader
	ct := ""
	if method == http.MethodPost {
		ct, body = multipartBody(t)
	}
	req, err := http.NewRequestWithContext(ctxT(t), method, srv.URL+path, body)
	if err != nil {
		t.Fatal(err)
	}
	if ct != "" {
		req.Header.Set("Content-Type", ct)
	}
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// In 1.x mode the server reports a 1.x version, serves the actions on their
// 1.x routes with 1.x answers, and answers 404 on the 2.0 routes.
func TestMajorVersion1(t *testing.T) {
	t.Parallel()
	srv, c := newServer(t, kestratest.WithMajorVersion(1))
	paused := make(chan struct{})
	srv.BindFlow("main", "company.team", "pauses", func(ctx context.Context, r *kestratest.Run) error {
		close(paused)
		return r.Pause(ctx)
	})
	srv.BindFlow("main", "company.team", "forever", func(ctx context.Context, r *kestratest.Run) error {
		<-ctx.Done()
		return ctx.Err()
	})

	cfg, err := c.GetConfigurationWithResponse(ctxT(t))
	if err != nil || !strings.HasPrefix(string(cfg.Body), "{") || !strings.Contains(string(cfg.Body), `"version":"`+kestratest.Version1+`"`) {
		t.Fatalf("configs: %v %s", err, cfg.Body)
	}

	start := func(flow string) string {
		res := run(t, c, "company.team", flow, nil)
		if res.JSON200 == nil {
			t.Fatalf("create: %d %s", res.StatusCode(), res.Body)
		}
		return res.JSON200.ID
	}

	id := start("forever")
	if st, _ := rawDo(t, srv, http.MethodDelete, "/api/v1/main/executions/"+id+"/actions/kill"); st != 404 {
		t.Errorf("2.0 kill route: %d, want 404", st)
	}
	if st, body := rawDo(t, srv, http.MethodDelete, "/api/v1/main/executions/"+id+"/kill"); st != 202 || body != "" {
		t.Errorf("1.x kill: %d %q, want 202 and no body", st, body)
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		_, body := rawDo(t, srv, http.MethodGet, "/api/v1/main/executions/"+id)
		if strings.Contains(body, `"current":"KILLED"`) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("not killed: %s", body)
		}
		time.Sleep(10 * time.Millisecond)
	}
	// Other 1.x routes answer what the 2.0 handlers do.
	st, body := rawDo(t, srv, http.MethodPost, "/api/v1/main/executions/"+id+"/restart")
	var restarted struct{ ID string }
	if st != 200 || json.Unmarshal([]byte(body), &restarted) != nil || restarted.ID != id {
		t.Errorf("1.x restart: %d %s", st, body)
	}

	pid := start("pauses")
	<-paused
	for {
		_, body := rawDo(t, srv, http.MethodGet, "/api/v1/main/executions/"+pid)
		if strings.Contains(body, `"current":"PAUSED"`) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("not paused: %s", body)
		}
		time.Sleep(10 * time.Millisecond)
	}
	if st, body := rawDo(t, srv, http.MethodPost, "/api/v1/main/executions/"+pid+"/resume"); st != 204 || body != "" {
		t.Errorf("1.x resume: %d %q, want 204 and no body", st, body)
	}
	for { // the engine takes the resume in its own time
		_, body := rawDo(t, srv, http.MethodGet, "/api/v1/main/executions/"+pid)
		if strings.Contains(body, `"current":"SUCCESS"`) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("not resumed: %s", body)
		}
		time.Sleep(10 * time.Millisecond)
	}
	if st, body := rawDo(t, srv, http.MethodPost, "/api/v1/main/executions/"+pid+"/resume"); st != 409 || !strings.Contains(body, "message") {
		t.Errorf("1.x resume of an ended execution: %d %q, want 409 with a 1.x error body", st, body)
	}
}

// The default (2.0) server has no 1.x action routes.
func TestMajorVersion2HasNo1xRoutes(t *testing.T) {
	t.Parallel()
	srv, _ := newServer(t)
	if st, _ := rawDo(t, srv, http.MethodDelete, "/api/v1/main/executions/x/kill"); st != 404 {
		t.Errorf("1.x kill route on a 2.0 server: %d, want 404", st)
	}
}
