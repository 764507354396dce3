package kestratest_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/kestra-go/kestra-go/api"
	"github.com/kestra-go/kestra-go/kestratest"
)

func withBasic(user, pass string) api.RequestEditorFn {
	return func(_ context.Context, req *http.Request) error {
		req.SetBasicAuth(user, pass)
		return nil
	}
}

func withBearer(tok string) api.RequestEditorFn {
	return func(_ context.Context, req *http.Request) error {
		req.Header.Set("Authorization", "Bearer "+tok)
		return nil
	}
}

func TestBasicAuth(t *testing.T) {
	_, c := newServer(t, kestratest.WithBasicAuth("admin@example.com", "Secret123"), kestratest.WithFlows(helloFlow))
	ctx := ctxT(t)
	for name, editors := range map[string][]api.RequestEditorFn{
		"none":           nil,
		"wrong password": {withBasic("admin@example.com", "nope")},
		"bearer":         {withBearer("Secret123")},
	} {
		res, err := c.GetFlowWithResponse(ctx, "main", "company.team", "hello", nil, editors...)
		if err != nil {
			t.Fatal(err)
		}
		if res.StatusCode() != 401 || res.HTTPResponse.Header.Get("WWW-Authenticate") != "Basic" || len(res.Body) != 0 {
			t.Errorf("%s: %d %v %q", name, res.StatusCode(), res.HTTPResponse.Header, res.Body)
		}
	}
	res, _ := c.GetFlowWithResponse(ctx, "main", "company.team", "hello", nil, withBasic("admin@example.com", "Secret123"))
	if res.StatusCode() != 200 {
		t.Fatalf("good credentials: %d", res.StatusCode())
	}
}

func TestBearerAndBasicTogether(t *testing.T) {
	_, c := newServer(t, kestratest.WithBasicAuth("admin@example.com", "Secret123"), kestratest.WithBearerToken("tok-1"), kestratest.WithFlows(helloFlow))
	ctx := ctxT(t)
	for name, ed := range map[string]api.RequestEditorFn{"basic": withBasic("admin@example.com", "Secret123"), "bearer": withBearer("tok-1")} {
		if res, _ := c.GetFlowWithResponse(ctx, "main", "company.team", "hello", nil, ed); res.StatusCode() != 200 {
			t.Errorf("%s: %d", name, res.StatusCode())
		}
	}
	if res, _ := c.GetFlowWithResponse(ctx, "main", "company.team", "hello", nil, withBearer("tok-2")); res.StatusCode() != 401 {
		t.Errorf("wrong token: %d", res.StatusCode())
	}
}

func TestUnauthenticatedProblem(t *testing.T) {
	srv, _ := newServer(t, kestratest.WithBearerToken("tok"), kestratest.WithProblemDetails())
	res := rawGet(t, srv, "/api/v1/main/executions/x")
	defer res.Body.Close()
	var p struct {
		Type   string
		Status int
	}
	if err := json.NewDecoder(res.Body).Decode(&p); err != nil || res.StatusCode != 401 ||
		res.Header.Get("Content-Type") != "application/problem+json" || p.Status != 401 || !strings.HasSuffix(p.Type, "/unauthenticated") {
		t.Fatalf("%v %d %+v", err, res.StatusCode, p)
	}
}

func TestTenants(t *testing.T) {
	srv, c := newServer(t, kestratest.WithTenants("main", "acme"))
	ctx := ctxT(t)
	if _, err := srv.DeployFlow("main", helloFlow); err != nil {
		t.Fatal(err)
	}
	// Flows are per tenant.
	if res, _ := c.GetFlowWithResponse(ctx, "acme", "company.team", "hello", nil); res.StatusCode() != 404 {
		t.Fatalf("flow of main seen in acme: %d", res.StatusCode())
	}
	if _, err := srv.DeployFlow("acme", helloFlow); err != nil {
		t.Fatal(err)
	}
	ct, body := multipartBody(t)
	res, _ := c.CreateExecutionWithBodyWithResponse(ctx, "acme", "company.team", "hello", waitParams(), ct, body)
	if res.StatusCode() != 200 || !strings.Contains(res.JSON200.URL, "/ui/acme/") {
		t.Fatalf("create in acme: %d %s", res.StatusCode(), res.Body)
	}
	if len(srv.Executions("acme")) != 1 || len(srv.Executions("main")) != 0 {
		t.Fatal("executions not kept per tenant")
	}
	if g, _ := c.GetExecutionWithResponse(ctx, "main", res.JSON200.ID); g.StatusCode() != 404 {
		t.Fatalf("acme execution seen in main: %d", g.StatusCode())
	}
	// Any tenant not served: 400 as on an open source server.
	g, _ := c.GetExecutionWithResponse(ctx, "other", "x")
	if g.StatusCode() != 400 || errorMessage(t, g.Body) != "Bad Request: Tenant must be 'main' for OSS version" {
		t.Fatalf("unknown tenant: %d %s", g.StatusCode(), g.Body)
	}
	if _, err := srv.DeployFlow("other", helloFlow); err == nil {
		t.Fatal("DeployFlow to an unserved tenant succeeded")
	}
}

func TestWithFlowsDeploysInEveryServedTenant(t *testing.T) {
	_, c := newServer(t, kestratest.WithTenants("acme", "beta"), kestratest.WithFlows(helloFlow))
	for _, tenant := range []string{"acme", "beta"} {
		if res, err := c.GetFlowWithResponse(ctxT(t), tenant, "company.team", "hello", nil); err != nil || res.StatusCode() != 200 {
			t.Errorf("tenant %s: flow not deployed: %v %d", tenant, err, res.StatusCode())
		}
	}
}

func TestLegacyRoutes(t *testing.T) {
	srv, _ := newServer(t, kestratest.WithLegacyRoutes(), kestratest.WithFlows(helloFlow))
	legacy, err := api.NewClientWithResponses(srv.URL, api.WithRequestEditorFn(func(_ context.Context, req *http.Request) error {
		// What a client configured for a <=0.22 server sends.
		req.URL.Path = strings.Replace(req.URL.Path, "/api/v1/main/", "/api/v1/", 1)
		return nil
	}))
	if err != nil {
		t.Fatal(err)
	}
	ctx := ctxT(t)
	ct, body := multipartBody(t)
	res, err := legacy.CreateExecutionWithBodyWithResponse(ctx, "main", "company.team", "hello", waitParams(), ct, body)
	if err != nil || res.StatusCode() != 200 || res.HTTPResponse.Request.URL.Path != "/api/v1/executions/company.team/hello" {
		t.Fatalf("legacy create: %v %d %s", err, res.StatusCode(), res.Body)
	}
	g, _ := legacy.GetExecutionWithResponse(ctx, "main", res.JSON200.ID)
	if g.StatusCode() != 200 {
		t.Fatalf("legacy get: %d", g.StatusCode())
	}
	if srv.RequestCount("getExecution") != 1 || srv.RequestCount("createExecution") != 1 {
		t.Fatal("legacy requests not counted under their operation")
	}
	logs := rawGet(t, srv, "/api/v1/logs/"+res.JSON200.ID)
	b, _ := io.ReadAll(logs.Body)
	logs.Body.Close()
	if logs.StatusCode != 200 || !strings.Contains(string(b), "Hello world") {
		t.Fatalf("legacy logs: %d %s", logs.StatusCode, b)
	}

	// Without the option the no-tenant route is not served.
	plain, _ := newServer(t, kestratest.WithFlows(helloFlow))
	r := rawGet(t, plain, "/api/v1/executions/"+res.JSON200.ID)
	r.Body.Close()
	if r.StatusCode == 200 {
		t.Fatal("legacy route served without WithLegacyRoutes")
	}
}

func TestProblemDetailsNotFound(t *testing.T) {
	_, c := newServer(t, kestratest.WithProblemDetails())
	res, _ := c.GetFlowWithResponse(ctxT(t), "main", "a", "b", nil)
	var p map[string]any
	if err := json.Unmarshal(res.Body, &p); err != nil {
		t.Fatal(err)
	}
	if res.StatusCode() != 404 || p["type"] != "https://kestra.io/docs/api-reference/problems/not-found" ||
		p["detail"] != "Requested Flow is not found." || p["instance"] != "/api/v1/main/flows/a/b" || p["status"] != float64(404) {
		t.Fatalf("%d %s", res.StatusCode(), res.Body)
	}
}
