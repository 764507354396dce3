package kestratest_test

import (
	"strings"
	"testing"

	"github.com/kestra-go/kestra-go/api"
	"github.com/kestra-go/kestra-go/kestratest"
)

func TestFlowCRUD(t *testing.T) {
	_, c := newServer(t)
	ctx := ctxT(t)
	cr, err := c.CreateFlowWithBodyWithResponse(ctx, "main", nil, "application/x-yaml", strings.NewReader(helloFlow))
	if err != nil {
		t.Fatal(err)
	}
	if cr.StatusCode() != 200 || cr.JSON200 == nil || cr.JSON200.Revision != 1 || cr.JSON200.Source != helloFlow {
		t.Fatalf("create: %d %s", cr.StatusCode(), cr.Body)
	}

	dup, _ := c.CreateFlowWithBodyWithResponse(ctx, "main", nil, "application/x-yaml", strings.NewReader(helloFlow))
	if dup.StatusCode() != 422 || !strings.Contains(errorMessage(t, dup.Body), "already exists") {
		t.Fatalf("duplicate: %d %s", dup.StatusCode(), dup.Body)
	}

	g, _ := c.GetFlowWithResponse(ctx, "main", "company.team", "hello", &api.GetFlowParams{Source: true})
	if g.StatusCode() != 200 || g.JSON200.Source == "" || g.JSON200.ID != "hello" {
		t.Fatalf("get: %d %s", g.StatusCode(), g.Body)
	}
	g, _ = c.GetFlowWithResponse(ctx, "main", "company.team", "hello", nil)
	if g.JSON200.Source != "" || g.JSON200.Updated.IsZero() || len(g.JSON200.Inputs) != 2 || g.JSON200.Inputs[1].ID != "count" {
		t.Fatalf("get without source: %s", g.Body)
	}

	updated := strings.Replace(helloFlow, "defaults: world", "defaults: everyone", 1)
	u, _ := c.UpdateFlowWithBodyWithResponse(ctx, "main", "company.team", "hello", nil, "application/x-yaml", strings.NewReader(updated))
	if u.StatusCode() != 200 || u.JSON200.Revision != 2 {
		t.Fatalf("update: %d %s", u.StatusCode(), u.Body)
	}
	same, _ := c.UpdateFlowWithBodyWithResponse(ctx, "main", "company.team", "hello", nil, "application/x-yaml", strings.NewReader(updated))
	if same.JSON200.Revision != 2 {
		t.Fatalf("an unchanged source made a new revision: %s", same.Body)
	}
	moved, _ := c.UpdateFlowWithBodyWithResponse(ctx, "main", "company.team", "other", nil, "application/x-yaml", strings.NewReader(updated))
	if moved.StatusCode() != 404 {
		t.Fatalf("update of an unknown flow: %d", moved.StatusCode())
	}

	old, _ := c.GetFlowWithResponse(ctx, "main", "company.team", "hello", &api.GetFlowParams{Revision: 1, Source: true})
	if old.StatusCode() != 200 || old.JSON200.Source != helloFlow {
		t.Fatalf("revision 1: %d %s", old.StatusCode(), old.Body)
	}
	revs, _ := c.ListFlowRevisionsWithResponse(ctx, "main", "company.team", "hello", nil)
	if revs.StatusCode() != 200 || len(*revs.JSON200) != 2 {
		t.Fatalf("revisions: %d %s", revs.StatusCode(), revs.Body)
	}

	deploy(t, c, "main", strings.Replace(sleepyFlow, "namespace: company.team", "namespace: company.other", 1))
	list, _ := c.ListFlowsByNamespaceWithResponse(ctx, "main", "company.team")
	if list.StatusCode() != 200 || len(*list.JSON200) != 1 || (*list.JSON200)[0].ID != "hello" {
		t.Fatalf("list: %s", list.Body)
	}
	s, _ := c.SearchFlowsWithResponse(ctx, "main", nil, addQuery("filters[namespace][PREFIX]", "company"))
	if s.StatusCode() != 200 || s.JSON200.Total != 2 {
		t.Fatalf("search: %s", s.Body)
	}
	s, _ = c.SearchFlowsWithResponse(ctx, "main", &api.SearchFlowsParams{Size: 1, Sort: []string{"id:desc"}})
	if s.JSON200.Total != 2 || len(s.JSON200.Results) != 1 || s.JSON200.Results[0].ID != "sleepy" {
		t.Fatalf("search page: %s", s.Body)
	}

	d, _ := c.DeleteFlowWithResponse(ctx, "main", "company.team", "hello")
	if d.StatusCode() != 204 {
		t.Fatalf("delete: %d", d.StatusCode())
	}
	g, _ = c.GetFlowWithResponse(ctx, "main", "company.team", "hello", nil)
	if g.StatusCode() != 404 || errorMessage(t, g.Body) != "Not Found: Requested Flow is not found." {
		t.Fatalf("get deleted: %d %s", g.StatusCode(), g.Body)
	}
	g, _ = c.GetFlowWithResponse(ctx, "main", "company.team", "hello", &api.GetFlowParams{AllowDeleted: true})
	if g.StatusCode() != 200 || !g.JSON200.Deleted {
		t.Fatalf("get with allowDeleted: %d %s", g.StatusCode(), g.Body)
	}
	d, _ = c.DeleteFlowWithResponse(ctx, "main", "company.team", "hello")
	if d.StatusCode() != 404 {
		t.Fatalf("second delete: %d", d.StatusCode())
	}
	// A deleted flow can be created again.
	deploy(t, c, "main", helloFlow)

	// Inputs declared with the old `name` key are served with `id`.
	deploy(t, c, "main", strings.Replace(typedFlow, "namespace: company.team", "namespace: legacy.ns", 1))
	typed, _ := c.GetFlowWithResponse(ctx, "main", "legacy.ns", "typed", nil)
	if in := typed.JSON200.Inputs; typed.StatusCode() != 200 || in[len(in)-1].ID != "legacy" {
		t.Fatalf("legacy input: %s", typed.Body)
	}
}

func TestCreateFlowInvalid(t *testing.T) {
	_, c := newServer(t)
	for name, src := range map[string]string{
		"not yaml":          "id: [",
		"no namespace":      "id: x\ntasks:\n  - id: a\n    type: io.kestra.plugin.core.log.Log\n    message: m\n",
		"no tasks":          "id: x\nnamespace: n\n",
		"bad id":            "id: -x\nnamespace: n\ntasks:\n  - id: a\n    type: t\n",
		"task without type": "id: x\nnamespace: n\ntasks:\n  - id: a\n",
	} {
		res, err := c.CreateFlowWithBodyWithResponse(ctxT(t), "main", nil, "application/x-yaml", strings.NewReader(src))
		if err != nil {
			t.Fatal(err)
		}
		if res.StatusCode() != 422 || !strings.HasPrefix(errorMessage(t, res.Body), "Invalid entity: ") {
			t.Errorf("%s: %d %s", name, res.StatusCode(), res.Body)
		}
	}
	// JSON is not a flow content type: 415.
	res, _ := c.CreateFlowWithBodyWithResponse(ctxT(t), "main", nil, "application/json", strings.NewReader(`{"id":"x"}`))
	if res.StatusCode() != 415 {
		t.Errorf("json body: %d %s", res.StatusCode(), res.Body)
	}
}

func TestUpdateFlowsInNamespaceDeletesMissing(t *testing.T) {
	_, c := newServer(t, kestratest.WithFlows(helloFlow, sleepyFlow))
	body := strings.Replace(sleepyFlow, "message: after", "message: later", 1) + "---\n" +
		"id: third\nnamespace: company.team\ntasks:\n  - id: a\n    type: io.kestra.plugin.core.log.Log\n    message: m\n"
	res, err := c.UpdateFlowsInNamespaceWithBodyWithResponse(ctxT(t), "main", "company.team", nil, "application/x-yaml", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if res.StatusCode() != 200 || len(*res.JSON200) != 2 {
		t.Fatalf("%d %s", res.StatusCode(), res.Body)
	}
	list, _ := c.ListFlowsByNamespaceWithResponse(ctxT(t), "main", "company.team")
	var ids []string
	for _, f := range *list.JSON200 {
		ids = append(ids, f.ID)
	}
	if strings.Join(ids, ",") != "sleepy,third" {
		t.Fatalf("flows after sync: %v", ids)
	}
}

func TestValidateFlows(t *testing.T) {
	_, c := newServer(t)
	body := helloFlow + "---\nid: broken\n---\n" + strings.Replace(helloFlow, "io.kestra.plugin.core.log.Log", "io.kestra.plugin.scripts.python.Script", 1)
	res, err := c.ValidateFlowsWithBodyWithResponse(ctxT(t), "main", "application/x-yaml", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if res.StatusCode() != 200 || len(*res.JSON200) != 3 {
		t.Fatalf("%d %s", res.StatusCode(), res.Body)
	}
	v := *res.JSON200
	if v[0].Constraints != "" || v[1].Constraints == "" || v[2].Warnings == nil {
		t.Fatalf("verdicts: %s", res.Body)
	}
}

func TestDisableFlowThenCreateExecutionIs409(t *testing.T) {
	srv, c := newServer(t, kestratest.WithFlows(helloFlow))
	res, err := c.DisableFlowsByIdsWithResponse(ctxT(t), "main", api.DisableFlowsByIdsJSONRequestBody{{Namespace: "company.team", ID: "hello"}})
	if err != nil || res.StatusCode() != 200 {
		t.Fatalf("disable: %v %v", err, res)
	}
	ex := run(t, c, "company.team", "hello", nil)
	if ex.StatusCode() != 409 || errorMessage(t, ex.Body) != "Illegal state: Requested Flow is disabled." {
		t.Fatalf("create on disabled: %d %s", ex.StatusCode(), ex.Body)
	}
	if err := srv.SetFlowDisabled("main", "company.team", "hello", false); err != nil {
		t.Fatal(err)
	}
	if ex := run(t, c, "company.team", "hello", nil); ex.StatusCode() != 200 {
		t.Fatalf("create after SetFlowDisabled(false): %d %s", ex.StatusCode(), ex.Body)
	}
	if err := srv.SetFlowDisabled("main", "company.team", "hello", true); err != nil {
		t.Fatal(err)
	}
	en, _ := c.EnableFlowsByIdsWithResponse(ctxT(t), "main", api.EnableFlowsByIdsJSONRequestBody{{Namespace: "company.team", ID: "hello"}})
	if en.StatusCode() != 200 {
		t.Fatalf("enable: %d", en.StatusCode())
	}
	if ex := run(t, c, "company.team", "hello", nil); ex.StatusCode() != 200 {
		t.Fatalf("create after enableFlowsByIds: %d %s", ex.StatusCode(), ex.Body)
	}
	del, _ := c.DeleteFlowsByIdsWithResponse(ctxT(t), "main", api.DeleteFlowsByIdsJSONRequestBody{{Namespace: "company.team", ID: "hello"}})
	if del.StatusCode() != 200 {
		t.Fatalf("bulk delete: %d", del.StatusCode())
	}
	if ex := run(t, c, "company.team", "hello", nil); ex.StatusCode() != 404 || errorMessage(t, ex.Body) != "Not Found: Requested Flow is not found." {
		t.Fatalf("create on deleted: %d %s", ex.StatusCode(), ex.Body)
	}
}
