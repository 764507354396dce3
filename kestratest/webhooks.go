package kestratest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"

	"github.com/kestra-go/kestra-go/api"
)

const webhookTrigger = "io.kestra.plugin.core.trigger.Webhook"

func (h *handlers) TriggerExecutionByGetWebhook(w http.ResponseWriter, r *http.Request, tenant api.Tenant, namespace api.NamespaceName, id api.FlowID, key api.WebhookKey) {
	h.webhook(w, r, tenant, namespace, id, key)
}

func (h *handlers) TriggerExecutionByPostWebhook(w http.ResponseWriter, r *http.Request, tenant api.Tenant, namespace api.NamespaceName, id api.FlowID, key api.WebhookKey) {
	h.webhook(w, r, tenant, namespace, id, key)
}

func (h *handlers) TriggerExecutionByPutWebhook(w http.ResponseWriter, r *http.Request, tenant api.Tenant, namespace api.NamespaceName, id api.FlowID, key api.WebhookKey) {
	h.webhook(w, r, tenant, namespace, id, key)
}

// The ...WithPath forms take a path after the key (webhook routes such as
// /webhook/ns/flow/key/orders/42): the path is not part of the key.

func (h *handlers) TriggerExecutionByGetWebhookWithPath(w http.ResponseWriter, r *http.Request, tenant api.Tenant, namespace api.NamespaceName, id api.FlowID, key api.WebhookKey, path api.WebhookPath) {
	h.webhook(w, r, tenant, namespace, id, key)
}

func (h *handlers) TriggerExecutionByPostWebhookWithPath(w http.ResponseWriter, r *http.Request, tenant api.Tenant, namespace api.NamespaceName, id api.FlowID, key api.WebhookKey, path api.WebhookPath) {
	h.webhook(w, r, tenant, namespace, id, key)
}

func (h *handlers) TriggerExecutionByPutWebhookWithPath(w http.ResponseWriter, r *http.Request, tenant api.Tenant, namespace api.NamespaceName, id api.FlowID, key api.WebhookKey, path api.WebhookPath) {
	h.webhook(w, r, tenant, namespace, id, key)
}

// webhook starts an execution of a flow whose Webhook trigger has this key;
// the trigger variables are body (JSON-decoded when possible), headers and
// parameters, as {{ trigger.body }} etc.
func (h *handlers) webhook(w http.ResponseWriter, r *http.Request, tenant, namespace, id, key string) {
	ts := h.store(w, r, tenant)
	if ts == nil {
		return
	}
	f := ts.getFlow(namespace, id, 0, false)
	if f == nil {
		h.s.writeError(w, r, errNotFound("Flow not found"))
		return
	}
	var triggerID string
	triggers, _ := f.Raw["triggers"].([]any)
	for _, t := range triggers {
		m, _ := t.(map[string]any)
		typ, _ := m["type"].(string)
		k := fmt.Sprint(m["key"])
		if (typ == webhookTrigger || typ == "io.kestra.core.models.triggers.types.Webhook") && k == key {
			triggerID, _ = m["id"].(string)
		}
	}
	if triggerID == "" {
		h.s.writeError(w, r, errNotFound("Webhook not found"))
		return
	}
	b, aerr := readBody(r)
	if aerr != nil {
		h.s.writeError(w, r, aerr)
		return
	}
	var body any
	if len(b) > 0 {
		if json.Unmarshal(b, &body) != nil {
			body = string(b)
		}
	}
	headers := map[string]any{}
	for k, v := range r.Header {
		if strings.EqualFold(k, "Authorization") {
			continue
		}
		headers[k] = v
	}
	params := map[string]any{}
	for k, v := range r.URL.Query() {
		params[k] = v
	}
	trig := &execTrigger{ID: triggerID, Type: webhookTrigger, Variables: map[string]any{"body": body, "headers": headers, "parameters": params}}
	rec, err := h.s.startExecution(ts, namespace, id, 0, map[string]rawInput{}, startOptions{trigger: trig})
	if err != nil {
		h.s.writeError(w, r, err)
		return
	}
	var e execution
	_ = json.Unmarshal(rec.initial, &e) // as created, like the server
	writeJSON(w, 200, map[string]any{
		"tenantId": tenant, "id": e.ID, "namespace": e.Namespace, "flowId": e.FlowID, "flowRevision": e.FlowRevision,
		"trigger": e.Trigger, "outputs": map[string]any{}, "labels": e.Labels, "state": e.State,
		"url": fmt.Sprintf("%s/ui/%s/executions/%s/%s/%s", h.s.URL, tenant, namespace, id, e.ID),
	})
}
