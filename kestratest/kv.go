package kestratest

import (
	"errors"
	"net/http"
	"regexp"
	"strings"
	"time"

	"github.com/kestra-go/kestra-go/api"
	"github.com/kestra-go/kestra-go/internal/javatime"
	"github.com/kestra-go/kestra-go/kestratest/internal/store"
)

var kvKeyFormat = regexp.MustCompile(`^[a-zA-Z0-9][a-zA-Z0-9._-]*$`)

// kvEntryJSON is a KVEntry as the key listings answer it.
func kvEntryJSON(e store.KVEntry) map[string]any {
	m := map[string]any{"namespace": e.Namespace, "key": e.Key, "creationDate": jtime(e.Created), "updateDate": jtime(e.Updated)}
	if e.Description != "" {
		m["description"] = e.Description
	}
	if e.Expires != nil {
		m["expirationDate"] = jtime(*e.Expires)
	}
	return m
}

func (h *handlers) SetKeyValue(w http.ResponseWriter, r *http.Request, tenant api.Tenant, namespace api.NamespaceName, key api.Key) {
	ts := h.store(w, r, tenant)
	if ts == nil {
		return
	}
	if !kvKeyFormat.MatchString(key) {
		h.s.writeError(w, r, errIllegalArgument("Key must start with an alphanumeric character and contain only alphanumeric characters, dots, underscores or hyphens"))
		return
	}
	b, aerr := readBody(r)
	if aerr != nil {
		h.s.writeError(w, r, aerr)
		return
	}
	val, typ, err := readKVValue(b)
	if err != nil {
		h.s.writeError(w, r, errIllegalArgument("Invalid JSON value for: "+string(b)))
		return
	}
	now := time.Now()
	var expires *time.Time
	if ttl := r.Header.Get("ttl"); ttl != "" {
		d, err := javatime.ParseStdDuration(ttl) // Duration.parse
		if err != nil {
			// A DateTimeParseException, which the server's error
			// mapping leaves to the 500 of unknown exceptions.
			var pe *javatime.ParseError
			msg := err.Error()
			if errors.As(err, &pe) {
				msg = pe.Msg
			}
			h.s.writeError(w, r, errInternal(msg))
			return
		}
		e := now.Add(d)
		expires = &e
	}
	ts.kv.Put(store.KVEntry{Namespace: namespace, Key: key, Value: val, Type: typ, Description: r.Header.Get("description"),
		Created: now, Updated: now, Expires: expires})
	w.WriteHeader(200)
}

func (h *handlers) GetKeyValue(w http.ResponseWriter, r *http.Request, tenant api.Tenant, namespace api.NamespaceName, key api.Key) {
	ts := h.store(w, r, tenant)
	if ts == nil {
		return
	}
	e, err := ts.kv.Get(namespace, key, time.Now())
	if err != nil {
		h.s.writeError(w, r, err)
		return
	}
	writeJSON(w, 200, map[string]any{"type": e.Type, "value": e.Value})
}

func (h *handlers) DeleteKeyValue(w http.ResponseWriter, r *http.Request, tenant api.Tenant, namespace api.NamespaceName, key api.Key) {
	ts := h.store(w, r, tenant)
	if ts == nil {
		return
	}
	writeJSON(w, 200, len(ts.kv.Delete(namespace, key)) == 1)
}

func (h *handlers) ListAllKeys(w http.ResponseWriter, r *http.Request, tenant api.Tenant, params api.ListAllKeysParams) {
	ts, filters := h.search(w, r, tenant, api.FilterResourceKV, nil)
	if ts == nil {
		return
	}
	var out []map[string]any
	for _, e := range ts.kv.Live(time.Now(), nil) {
		ok, aerr := filters.matchKV(e)
		if aerr != nil {
			h.s.writeError(w, r, aerr)
			return
		}
		if !ok {
			continue
		}
		out = append(out, kvEntryJSON(e))
	}
	writePage(w, out, params.Page, params.Size)
}

func (h *handlers) DeleteKeyValues(w http.ResponseWriter, r *http.Request, tenant api.Tenant, namespace api.NamespaceName) {
	ts := h.store(w, r, tenant)
	if ts == nil {
		return
	}
	var body struct {
		Keys []string `json:"keys"`
	}
	if aerr := decodeJSON(r, &body); aerr != nil {
		h.s.writeError(w, r, aerr)
		return
	}
	writeJSON(w, 200, map[string]any{"keys": ts.kv.Delete(namespace, body.Keys...)})
}

func (h *handlers) ListKeysWithInheritence(w http.ResponseWriter, r *http.Request, tenant api.Tenant, namespace api.NamespaceName) {
	ts := h.store(w, r, tenant)
	if ts == nil {
		return
	}
	out := []map[string]any{}
	inherited := func(ns string) bool { return ns == namespace || strings.HasPrefix(namespace, ns+".") }
	for _, e := range ts.kv.Live(time.Now(), inherited) {
		out = append(out, kvEntryJSON(e))
	}
	writeJSON(w, 200, out)
}
