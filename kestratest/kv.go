package kestratest

import (
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/kestra-go/kestra-go/api"
	"github.com/kestra-go/kestra-go/internal/javatime"
)

var kvKeyFormat = regexp.MustCompile(`^[a-zA-Z0-9][a-zA-Z0-9._-]*$`)

// kvEntryJSON is a KVEntry as the key listings answer it.
func kvEntryJSON(ns, key string, e *kvEntry) map[string]any {
	m := map[string]any{"namespace": ns, "key": key, "creationDate": jtime(e.created), "updateDate": jtime(e.updated)}
	if e.description != "" {
		m["description"] = e.description
	}
	if e.expires != nil {
		m["expirationDate"] = jtime(*e.expires)
	}
	return m
}

// sortKVEntries orders kvEntryJSON items by namespace, then key.
func sortKVEntries(out []map[string]any) {
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i]["namespace"].(string)+"\x00"+out[i]["key"].(string), out[j]["namespace"].(string)+"\x00"+out[j]["key"].(string)
		return a < b
	})
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
	ts.mu.Lock()
	m := ts.kv[namespace]
	if m == nil {
		m = map[string]*kvEntry{}
		ts.kv[namespace] = m
	}
	entry := &kvEntry{value: val, typ: typ, description: r.Header.Get("description"), created: now, updated: now, expires: expires, revision: 1}
	if old := m[key]; old != nil {
		entry.created = old.created
		entry.revision = old.revision + 1
	}
	m[key] = entry
	ts.mu.Unlock()
	w.WriteHeader(200)
}

func (h *handlers) GetKeyValue(w http.ResponseWriter, r *http.Request, tenant api.Tenant, namespace api.NamespaceName, key api.Key) {
	ts := h.store(w, r, tenant)
	if ts == nil {
		return
	}
	ts.mu.Lock()
	e := ts.kv[namespace][key]
	ts.mu.Unlock()
	if e == nil {
		h.s.writeError(w, r, errNotFound(fmt.Sprintf("No value found for key '%s' in namespace '%s'", key, namespace)))
		return
	}
	if e.expired(time.Now()) {
		h.s.writeError(w, r, errGone(fmt.Sprintf("The requested value has expired (key '%s' in namespace '%s')", key, namespace)))
		return
	}
	writeJSON(w, 200, map[string]any{"type": e.typ, "value": e.value})
}

func (h *handlers) DeleteKeyValue(w http.ResponseWriter, r *http.Request, tenant api.Tenant, namespace api.NamespaceName, key api.Key) {
	ts := h.store(w, r, tenant)
	if ts == nil {
		return
	}
	ts.mu.Lock()
	_, ok := ts.kv[namespace][key]
	delete(ts.kv[namespace], key)
	ts.mu.Unlock()
	writeJSON(w, 200, ok)
}

func (h *handlers) ListAllKeys(w http.ResponseWriter, r *http.Request, tenant api.Tenant, params api.ListAllKeysParams) {
	ts, filters := h.search(w, r, tenant, api.FilterResourceKV, nil)
	if ts == nil {
		return
	}
	type item struct {
		ns, key string
		e       *kvEntry
	}
	var items []item
	now := time.Now()
	ts.mu.Lock()
	for ns, m := range ts.kv {
		for k, e := range m {
			if !e.expired(now) {
				items = append(items, item{ns, k, e})
			}
		}
	}
	ts.mu.Unlock()
	var out []map[string]any
	for _, it := range items {
		ok, aerr := filters.matchKV(it.ns, it.key, it.e)
		if aerr != nil {
			h.s.writeError(w, r, aerr)
			return
		}
		if !ok {
			continue
		}
		out = append(out, kvEntryJSON(it.ns, it.key, it.e))
	}
	sortKVEntries(out)
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
	deleted := []string{}
	ts.mu.Lock()
	for _, k := range body.Keys {
		if _, ok := ts.kv[namespace][k]; ok {
			delete(ts.kv[namespace], k)
			deleted = append(deleted, k)
		}
	}
	ts.mu.Unlock()
	writeJSON(w, 200, map[string]any{"keys": deleted})
}

func (h *handlers) ListKeysWithInheritence(w http.ResponseWriter, r *http.Request, tenant api.Tenant, namespace api.NamespaceName) {
	ts := h.store(w, r, tenant)
	if ts == nil {
		return
	}
	now := time.Now()
	out := []map[string]any{}
	ts.mu.Lock()
	for ns, m := range ts.kv {
		if ns != namespace && !strings.HasPrefix(namespace, ns+".") {
			continue
		}
		for k, e := range m {
			if !e.expired(now) {
				out = append(out, kvEntryJSON(ns, k, e))
			}
		}
	}
	ts.mu.Unlock()
	sortKVEntries(out)
	writeJSON(w, 200, out)
}
