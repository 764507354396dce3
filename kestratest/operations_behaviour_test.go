package kestratest_test

import (
	"archive/zip"
	"bytes"
	"encoding/csv"
	"strings"
	"testing"
	"time"

	"github.com/kestra-go/kestra-go/api"
	"github.com/kestra-go/kestra-go/kestratest"
)

// What the operations of the table do, beyond their status and shape.

const limitedFlow = `id: limited
namespace: company.team
concurrency:
  limit: 1
tasks:
  - id: wait
    type: io.kestra.plugin.core.flow.Pause
`

// A flow's concurrency limit queues the executions beyond it; a freed
// slot, force-run and unqueue take them out of the queue; CANCEL and FAIL
// end them at once.
func TestConcurrencyLimit(t *testing.T) {
	_, c := newServer(t, kestratest.WithFlows(limitedFlow,
		strings.Replace(strings.Replace(limitedFlow, "id: limited", "id: cancelling", 1), "limit: 1", "limit: 1\n  behavior: CANCEL", 1)))
	ctx := ctxT(t)
	first := run(t, c, "company.team", "limited", nil).JSON200.ID
	waitState(t, c, first, api.StateTypePaused)
	second := run(t, c, "company.team", "limited", nil).JSON200.ID
	third := run(t, c, "company.team", "limited", nil).JSON200.ID
	waitState(t, c, second, api.StateTypeQueued)
	waitState(t, c, third, api.StateTypeQueued)
	limits, _ := c.SearchConcurrencyLimitsWithResponse(ctx, "main")
	if limits.StatusCode() != 200 || !bytes.Contains(limits.Body, []byte(`"flowId":"limited","namespace":"company.team","running":1`)) {
		t.Fatalf("concurrency limits: %s", limits.Body)
	}
	// force-run: the second runs whatever the limit.
	if fr, _ := c.ForceRunExecutionWithResponse(ctx, "main", second); fr.StatusCode() != 200 {
		t.Fatalf("force-run: %d %s", fr.StatusCode(), fr.Body)
	}
	waitState(t, c, second, api.StateTypePaused)
	// unqueue to a terminal state: the third ends CANCELLED without running.
	if uq, _ := c.UnqueueExecutionWithResponse(ctx, "main", third, &api.UnqueueExecutionParams{State: api.StateTypeCancelled}); uq.StatusCode() != 200 {
		t.Fatalf("unqueue: %d %s", uq.StatusCode(), uq.Body)
	}
	ended := waitState(t, c, third, api.StateTypeCancelled)
	if len(ended.TaskRunList) != 0 {
		t.Fatalf("an unqueued-to-CANCELLED execution ran tasks: %+v", ended.TaskRunList)
	}
	// Not queued: 409.
	if again, _ := c.ForceRunExecutionWithResponse(ctx, "main", first); again.StatusCode() != 409 {
		t.Fatalf("force-run of a paused execution: %d", again.StatusCode())
	}
	// A freed slot lets the next queued execution run.
	fourth := run(t, c, "company.team", "limited", nil).JSON200.ID
	waitState(t, c, fourth, api.StateTypeQueued)
	for _, id := range []string{first, second} {
		if k, _ := c.KillExecutionWithResponse(ctx, "main", id, nil); k.StatusCode() != 200 {
			t.Fatalf("kill: %d", k.StatusCode())
		}
	}
	waitState(t, c, fourth, api.StateTypePaused)
	// behavior CANCEL: the execution beyond the limit is CANCELLED.
	holder := run(t, c, "company.team", "cancelling", nil).JSON200.ID
	waitState(t, c, holder, api.StateTypePaused)
	cancelled := run(t, c, "company.team", "cancelling", nil).JSON200.ID
	waitState(t, c, cancelled, api.StateTypeCancelled)
}

// By-query actions act on the executions the filters match, and only on
// those that qualify; by-ids refuse an id that does not qualify.
func TestBulkByQuery(t *testing.T) {
	_, c := newServer(t, kestratest.WithFlows(helloFlow, limitedFlow))
	ctx := ctxT(t)
	ended := run(t, c, "company.team", "hello", waitParams()).JSON200.ID
	paused := run(t, c, "company.team", "limited", nil).JSON200.ID
	waitState(t, c, paused, api.StateTypePaused)
	onlyHello := api.Filters{}.Where(api.FilterFieldFlowID, api.FilterOpEquals, "hello")
	labels, _ := c.SetLabelsOnTerminatedExecutionsByQueryWithResponse(ctx, "main",
		&api.SetLabelsOnTerminatedExecutionsByQueryParams{Filters: onlyHello}, api.SetLabelsOnTerminatedExecutionsByQueryJSONRequestBody{{Key: "batch", Value: "7"}})
	if labels.StatusCode() != 200 || !bytes.Contains(labels.Body, []byte(`"count":1`)) {
		t.Fatalf("labels by query: %d %s", labels.StatusCode(), labels.Body)
	}
	got, _ := c.GetExecutionWithResponse(ctx, "main", ended)
	if labelMap(got.JSON200.Labels)["batch"] != "7" {
		t.Fatalf("labels after the bulk action: %v", got.JSON200.Labels)
	}
	// kill by query: the paused one is killed, the ended one is skipped.
	kill, _ := c.KillExecutionsByQueryWithResponse(ctx, "main", nil)
	if kill.StatusCode() != 200 || !bytes.Contains(kill.Body, []byte(`"count":1`)) {
		t.Fatalf("kill by query: %d %s", kill.StatusCode(), kill.Body)
	}
	waitState(t, c, paused, api.StateTypeKilled)
	// by ids: an id that does not qualify is a 400 and nothing is done.
	bad, _ := c.ResumeExecutionsByIdsWithResponse(ctx, "main", api.ResumeExecutionsByIdsJSONRequestBody{ended})
	if bad.StatusCode() != 400 {
		t.Fatalf("resume of an ended execution by ids: %d %s", bad.StatusCode(), bad.Body)
	}
	status, _ := c.UpdateExecutionsStatusByQueryWithResponse(ctx, "main", &api.UpdateExecutionsStatusByQueryParams{Filters: onlyHello, NewStatus: "WARNING"})
	if status.StatusCode() != 200 {
		t.Fatalf("change status by query: %d %s", status.StatusCode(), status.Body)
	}
	waitState(t, c, ended, api.StateTypeWarning)
	csvRes, _ := c.ExportExecutionsWithResponse(ctx, "main", &api.ExportExecutionsParams{Filters: onlyHello})
	rows, err := csv.NewReader(bytes.NewReader(csvRes.Body)).ReadAll()
	if err != nil || len(rows) != 2 || rows[0][0] != "id" || rows[1][0] != ended || rows[1][4] != "WARNING" {
		t.Fatalf("CSV export: %v %q", err, csvRes.Body)
	}
}

// Trigger states are data: disable, backfills (create, pause, delete),
// reset by delete.
func TestTriggerStates(t *testing.T) {
	_, c := newServer(t, kestratest.WithFlows(tableFlow))
	ctx := ctxT(t)
	search, _ := c.SearchTriggersWithResponse(ctx, "main", nil)
	if search.StatusCode() != 200 || search.JSON200.Total != 2 {
		t.Fatalf("search: %s", search.Body)
	}
	ref := api.TriggerRef{Namespace: "company.team", FlowID: "hello", TriggerID: "sched"}
	dis, _ := c.DisableTriggerByIDWithResponse(ctx, "main", api.DisableTriggerByIDJSONRequestBody{Namespace: ref.Namespace, FlowID: ref.FlowID, TriggerID: ref.TriggerID, Disabled: true})
	if dis.StatusCode() != 200 || !dis.JSON200.Disabled {
		t.Fatalf("disable: %s", dis.Body)
	}
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	bf, _ := c.CreateBackfillWithResponse(ctx, "main", api.CreateBackfillJSONRequestBody{Namespace: ref.Namespace, FlowID: ref.FlowID, TriggerID: ref.TriggerID,
		Backfill: api.BackfillRequest{Start: start, End: start.Add(48 * time.Hour)}})
	if bf.StatusCode() != 200 || !bf.JSON200.Backfill.Start.Equal(start) || bf.JSON200.Backfill.Paused {
		t.Fatalf("create backfill: %s", bf.Body)
	}
	if twice, _ := c.CreateBackfillWithResponse(ctx, "main", api.CreateBackfillJSONRequestBody{Namespace: ref.Namespace, FlowID: ref.FlowID, TriggerID: ref.TriggerID,
		Backfill: api.BackfillRequest{Start: start}}); twice.StatusCode() != 409 {
		t.Fatalf("a second backfill: %d", twice.StatusCode())
	}
	if onWebhook, _ := c.CreateBackfillWithResponse(ctx, "main", api.CreateBackfillJSONRequestBody{Namespace: ref.Namespace, FlowID: ref.FlowID, TriggerID: "hook",
		Backfill: api.BackfillRequest{Start: start}}); onWebhook.StatusCode() != 409 {
		t.Fatalf("a backfill on a webhook trigger: %d", onWebhook.StatusCode())
	}
	paused, _ := c.PauseBackfillByIdsWithResponse(ctx, "main", api.PauseBackfillByIdsJSONRequestBody{ref})
	if paused.StatusCode() != 200 || !bytes.Contains(paused.Body, []byte(`"count":1`)) {
		t.Fatalf("pause backfill: %s", paused.Body)
	}
	forFlow, _ := c.SearchTriggersForFlowWithResponse(ctx, "main", "company.team", "hello", &api.SearchTriggersForFlowParams{Q: "sched"})
	if forFlow.StatusCode() != 200 || !bytes.Contains(forFlow.Body, []byte(`"paused":true`)) || !bytes.Contains(forFlow.Body, []byte(`"disabled":true`)) {
		t.Fatalf("trigger state after pause: %s", forFlow.Body)
	}
	if del, _ := c.DeleteTriggerWithResponse(ctx, "main", ref.Namespace, ref.FlowID, ref.TriggerID); del.StatusCode() != 204 {
		t.Fatalf("delete trigger: %d", del.StatusCode())
	}
	forFlow, _ = c.SearchTriggersForFlowWithResponse(ctx, "main", "company.team", "hello", &api.SearchTriggersForFlowParams{Q: "sched"})
	if bytes.Contains(forFlow.Body, []byte(`"backfill"`)) || bytes.Contains(forFlow.Body, []byte(`"disabled":true`)) {
		t.Fatalf("a deleted trigger state kept its backfill or disabled flag: %s", forFlow.Body)
	}
	csvRes, _ := c.ExportTriggersWithResponse(ctx, "main", nil)
	if rows, err := csv.NewReader(bytes.NewReader(csvRes.Body)).ReadAll(); err != nil || len(rows) != 3 {
		t.Fatalf("trigger CSV: %v %q", err, csvRes.Body)
	}
}

// Flows exported as a ZIP import back; the graph follows the tasks;
// drafts aside, deprecated task names are reported.
func TestFlowExportImportGraph(t *testing.T) {
	_, c := newServer(t, kestratest.WithFlows(tableFlow, strings.Replace(otherFlow, "io.kestra.plugin.core.debug.Return", "io.kestra.core.tasks.debugs.Return", 1)))
	ctx := ctxT(t)
	zipRes, _ := c.ExportFlowsByQueryWithResponse(ctx, "main", nil)
	zr, err := zip.NewReader(bytes.NewReader(zipRes.Body), int64(len(zipRes.Body)))
	if err != nil || len(zr.File) != 2 {
		t.Fatalf("export: %v, %d files", err, len(zr.File))
	}
	_, c2 := newServer(t)
	ct, body := multipartBody(t, part{name: "fileUpload", value: string(zipRes.Body), filename: "flows.zip"})
	imp, _ := c2.ImportFlowsWithBodyWithResponse(ctx, "main", nil, ct, body)
	if imp.StatusCode() != 200 || string(imp.Body) != "[]" {
		t.Fatalf("import: %d %s", imp.StatusCode(), imp.Body)
	}
	if got, _ := c2.GetFlowWithResponse(ctx, "main", "company.team", "hello", &api.GetFlowParams{Source: true}); got.StatusCode() != 200 || got.JSON200.Source != tableFlow {
		t.Fatalf("imported flow: %d", got.StatusCode())
	}
	graph, _ := c.GenerateFlowGraphWithResponse(ctx, "main", "company.team", "hello", nil)
	var uids []string
	for _, n := range graph.JSON200.Nodes {
		uids = append(uids, n.UID)
	}
	if strings.Join(uids, ",") != "root.root,root.Triggers.sched,root.Triggers.hook,root.greet,root.out,root.end" || len(graph.JSON200.Edges) != 5 {
		t.Fatalf("graph: %v, %d edges", uids, len(graph.JSON200.Edges))
	}
	dep, _ := c.ListDeprecatedWithResponse(ctx, "main", nil)
	if dep.StatusCode() != 200 || !bytes.Contains(dep.Body, []byte(`"replacement":"io.kestra.plugin.core.debug.Return"`)) {
		t.Fatalf("deprecated: %s", dep.Body)
	}
}
